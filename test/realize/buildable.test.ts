// Buildable circuits (issue 10, observation 4): every resistor, normalizers included, is a value of the chosen set
// within [R_min, R_max]; no open-circuit "resistors" of 1e20 ohm; a custom list is never trimmed unseen; the bill of
// materials counts exactly the netlist's resistors.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NORMALIZER_NEGLIGIBLE_REL, normalizerFor } from '../../src/index.js';
import { seriesValues } from '../../src/realize/series.js';
import { parseEng } from '../../src/spice/eng.js';
import { loadFixture, runCli } from '../helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'ohmnet-buildable-'));
const E96 = seriesValues('E96', 1e5, 1e6);

/** name -> ohms of every R element of a netlist (values in engineering notation). */
function netlistResistors(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(R\S+)\s+\S+\s+\S+\s+(\S+)/.exec(line);
    if (m) out.set(m[1], parseEng(m[2]));
  }
  return out;
}

describe('normalizerFor', () => {
  const noPair = () => null;

  it('adds none when the inputs already see the same conductance (within 1e-9 relative)', () => {
    expect(normalizerFor(1e-5, 1e-5 * (1 + NORMALIZER_NEGLIGIBLE_REL / 2), E96, noPair).plusCount).toBe(0);
    expect(normalizerFor(1e-5, 1e-5, E96, noPair)).toMatchObject({ plusCount: 0, minusCount: 0 });
  });

  it('puts the set value nearest 1/dG on the side with less conductance', () => {
    const c = normalizerFor(1e-5, 1e-5 + 1 / 301e3, E96, noPair);
    expect(c).toMatchObject({ plusOhm: 301e3, plusCount: 1, minusCount: 0 });
    const d = normalizerFor(1e-5 + 1 / 301e3, 1e-5, E96, noPair);
    expect(d).toMatchObject({ minusOhm: 301e3, minusCount: 1, plusCount: 0 });
  });

  it('uses parallel copies when the mismatch needs less than R_min', () => {
    // dG = 1/40k: 1/dG = 40k < 100k, so three copies of 120k (40k) on the (+) side.
    const c = normalizerFor(0, 1 / 40e3, E96, noPair);
    expect(c.plusCount).toBe(3);
    expect(c.plusOhm).toBe(121e3);
    expect(Math.abs(1 / 40e3 - c.plusCount / c.plusOhm)).toBeLessThan(0.01 / 40e3);
  });

  it('takes a pair from the pair table when it leaves less mismatch, and never one that leaves more', () => {
    const dG = 1 / 3e6; // beyond R_max: no single set value reaches it
    const single = normalizerFor(0, dG, E96, noPair);
    const pair = normalizerFor(0, dG, E96, () => ({ aOhm: 150e3, bOhm: 158e3 }));
    expect(Math.abs(dG - single.plusCount / single.plusOhm)).toBeGreaterThan(Math.abs(dG - (1 / 150e3 - 1 / 158e3)));
    expect(pair).toMatchObject({ plusOhm: 150e3, plusCount: 1, minusOhm: 158e3, minusCount: 1 });
    const worse = normalizerFor(0, dG, E96, () => ({ aOhm: 100e3, bOhm: 1e6 }));
    expect(worse).toEqual(single);
  });
});

describe('the compiled circuit is buildable', () => {
  it('digits CNN: every netlist resistor is an E96 value in 100k..1M, no open-circuit element, and the BOM counts them', async () => {
    const fx = loadFixture('digits_cnn');
    const dir = join(tmp, 'digits');
    const r = await runCli(['compile', fx.path, '-o', dir, '--calibration', join(fx.path, '..', 'digits_calibration.json'), '--fan-in', '32', '--json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    const rs = netlistResistors(readFileSync(join(dir, 'netlist.cir'), 'utf8'));
    const values = [...rs.values()];
    expect(values.length).toBeGreaterThan(1000);
    expect(values.filter((v) => !E96.includes(v))).toEqual([]);
    expect(s.realization.outsideRange).toBe(0);
    expect(s.realization.normalizingResistors).toBeGreaterThan(0);
    // The bill of materials: summary and bom.csv, value -> count, exactly the netlist's resistors.
    const counts = new Map<number, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    const expected = [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([valueOhm, count]) => ({ valueOhm, count }));
    expect(s.realization.billOfMaterials).toEqual(expected);
    expect(s.realization.resistors).toBe(values.length);
    const csv = readFileSync(join(dir, 'bom.csv'), 'utf8').trimEnd().split('\n');
    expect(csv[0]).toBe('value_ohm,value,count');
    expect(csv.slice(1).map((l) => l.split(',')).map(([v, e, c]) => ({ valueOhm: Number(v), count: Number(c), same: parseEng(e) === Number(v) }))).toEqual(expected.map((b) => ({ ...b, same: true })));
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toMatch(/<section id="bom">/);
    // Normalizer elements are named per side (R<i>np / R<i>nm, copies R<i>np2 ...).
    expect([...rs.keys()].some((k) => /^R\d+n[pm]\d*$/.test(k))).toBe(true);
  });

  it('a custom list with values outside --r-min/--r-max is refused naming them (not trimmed unseen)', async () => {
    const list = join(tmp, 'parts.txt');
    writeFileSync(list, '47k 100k 220k 470k 1M 2.2M\n');
    const fx = loadFixture('tiny_mlp');
    const r = await runCli(['compile', fx.path, '-o', join(tmp, 'custom'), '--resistors', list]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/2 values outside 100 kΩ\.\.1 MΩ \(47000, 2200000 ohm\).*--r-min\/--r-max/);
    // With the range widened the list is used whole (its six values make a poor circuit: the verdicts say so, exit 1).
    const ok = await runCli(['compile', fx.path, '-o', join(tmp, 'custom-ok'), '--resistors', list, '--r-min', '47k', '--r-max', '2.2M', '--json']);
    expect(ok.stderr).not.toMatch(/error:/);
    expect(JSON.parse(ok.stdout).realization.setValuesOhm).toEqual([47e3, 100e3, 220e3, 470e3, 1e6, 2.2e6]);
  });
});
