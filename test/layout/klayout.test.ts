// KLayout reads the masks compile --masks writes (scripts/klayout/check.rb) and, independently of ohmnet: recomputes
// every resistance from the drawn geometry (must equal resistors.csv and the netlist to 1e-9 relative: both carry the
// drawn values, and KLayout reads the same integer coordinates; and lie within the grid-snapping error masks.json
// reports of a value of the resistor set, E96), finds the DRC deck of the process clean, and extracts one neuron's
// connectivity, which must be the netlist's (every resistor between the same two nets, the op-amp's pins on the
// netlist's nets). each model on two processes (XOR: sky130-res-high and ihp-rppd, and the patent's holes in the example process; Iris and the digits CNN:
// sky130-res-xhigh and ihp-rhigh) (the high-resistance ones keep its
// 44,046 resistors' check within a minute). Skipped without klayout unless OHMNET_REQUIRE_KLAYOUT=1 (.ci/run).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, runCli } from '../helpers.js';
import { seriesValues } from '../../src/realize/series.js';

const hasKlayout = spawnSync('klayout', ['-v'], { stdio: 'ignore' }).status === 0;
const required = process.env.OHMNET_REQUIRE_KLAYOUT === '1';
const work = mkdtempSync(join(tmpdir(), 'ohmnet-klayout-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Check {
  resistors: { cell: string; name: string | null; ohm: number }[];
  drc: { rule: string; layer: string; valueUm: number; violations: number }[];
  neuron: { index: number; terminals: Record<string, [string | null, string | null]>; instances: Record<string, (string | null)[]> };
}

function klayoutCheck(dir: string, neuron: number): Check {
  const out = join(dir, 'check.json');
  const r = spawnSync('klayout', ['-b', '-r', join(ROOT, 'scripts', 'klayout', 'check.rb'), '-rd', `dir=${dir}`, '-rd', `neuron=${neuron}`, '-rd', `out=${out}`], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(readFileSync(out, 'utf8')) as Check;
}

/** resistors.csv's resistors by element name (feedback rows: element_plus R<i>g and element_minus R<i>f, both R_f). */
function csvResistors(dir: string): Map<string, number> {
  const lines = readFileSync(join(dir, 'resistors.csv'), 'utf8').trim().split('\n');
  const head = lines[0].split(',');
  const col = (n: string) => head.indexOf(n);
  const out = new Map<string, number>();
  for (const line of lines.slice(1)) {
    const f = line.split(',');
    if (f[col('element_plus')]) out.set(f[col('element_plus')], Number(f[col('r_plus_ohm')]));
    if (f[col('element_minus')]) out.set(f[col('element_minus')], Number(f[col('r_minus_ohm')]));
  }
  return out;
}

/** The netlist's resistors and instances: name -> nets (values for resistors in ohms). */
function netlist(dir: string): { r: Map<string, { a: string; b: string; ohm: number }>; x: Map<string, string[]> } {
  const unit: Record<string, number> = { k: 1e3, Meg: 1e6, '': 1 };
  const r = new Map<string, { a: string; b: string; ohm: number }>();
  const x = new Map<string, string[]>();
  for (const line of readFileSync(join(dir, 'netlist.cir'), 'utf8').split('\n')) {
    let m = /^(R\d+\w*) (\S+) (\S+) ([\d.e+-]+)(k|Meg|)$/.exec(line);
    if (m) r.set(m[1], { a: m[2], b: m[3], ohm: Number(m[4]) * unit[m[5]] });
    m = /^(X\d+\w*) (.*) ohm_opamp\b/.exec(line);
    if (m) x.set(m[1], m[2].split(' '));
  }
  return { r, x };
}

const CASES: { model: string; processes: string[]; calibration?: string; neuron: number }[] = [
  { model: 'xor.onnx', processes: ['sky130-res-high', 'ihp-rppd', 'patent-hole-example'], neuron: 0 },
  { model: 'iris_mlp.onnx', processes: ['sky130-res-xhigh', 'ihp-rhigh'], neuron: 3 },
  { model: 'digits_cnn.onnx', processes: ['sky130-res-xhigh', 'ihp-rhigh'], calibration: 'digits_calibration.json', neuron: 0 },
];

describe.runIf(hasKlayout || required)('KLayout reads the masks', () => {
  it('is installed (.ci/run installs it; OHMNET_REQUIRE_KLAYOUT=1 makes these tests mandatory)', () => {
    expect(hasKlayout).toBe(true);
  });

  for (const c of CASES) {
    for (const processName of c.processes) {
      it(`${c.model} in ${processName}: resistances from geometry, DRC clean, neuron ${c.neuron}'s connectivity is the netlist's`, async () => {
        const dir = join(work, `${c.model}-${processName}`);
        const args = ['compile', join(FIXTURES, c.model), '-o', dir, '--masks', '--process', processName, ...(c.calibration ? ['--calibration', join(FIXTURES, c.calibration)] : [])];
        const run = await runCli(args);
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        const doc = JSON.parse(readFileSync(join(dir, 'masks.json'), 'utf8')) as { snapping: { maxRel: number; resistors: number }; masks: { resistors: number } };
        const k = klayoutCheck(dir, c.neuron);
        // 1. Every resistance, recomputed by KLayout from the drawn path, is resistors.csv's and the netlist's.
        const csv = csvResistors(dir);
        const net = netlist(dir);
        expect(k.resistors.length).toBe(csv.size);
        expect(k.resistors.length).toBe(doc.masks.resistors);
        const set = seriesValues('E96', 1e5, 1e6);
        const seen = new Set<string>();
        for (const r of k.resistors) {
          expect(r.name, `a resistor in ${r.cell} without a label`).not.toBeNull();
          seen.add(r.name!);
          const want = csv.get(r.name!);
          expect(want, `${r.name} is in resistors.csv`).toBeDefined();
          expect(Math.abs(r.ohm - want!) / want!).toBeLessThan(1e-9);
          expect(Math.abs(r.ohm - net.r.get(r.name!)!.ohm) / want!).toBeLessThan(1e-9);
          // The drawn value is a set value moved by at most the snapping error the realization reports.
          const nearest = set.reduce((b, v) => (Math.abs(v - r.ohm) < Math.abs(b - r.ohm) ? v : b));
          expect(Math.abs(r.ohm - nearest) / nearest).toBeLessThanOrEqual(doc.snapping.maxRel * (1 + 1e-9));
        }
        expect(seen.size).toBe(csv.size);
        expect(doc.snapping.maxRel).toBeGreaterThan(0);
        // 2. DRC: every rule checked on something, no violation.
        const implants = (JSON.parse(readFileSync(join(dir, 'process.json'), 'utf8')).implants ?? []) as unknown[];
        const planarRules = ['width body', 'spacing body', ...implants.flatMap((_, j) => [`enclosure implant${j}`, `spacing implant${j}`])];
        const rules = [...(processName.startsWith('patent-hole') ? ['width hole', 'spacing hole'] : planarRules), 'width strap', 'spacing strap', 'width bus', 'spacing bus', 'separation slots'];
        expect(k.drc.map((d) => `${d.rule} ${d.layer}`).sort()).toEqual(rules.sort());
        expect(k.drc.filter((d) => d.violations > 0)).toEqual([]);
        // 3. The neuron's resistors sit between the netlist's nets, its op-amp's pins on the netlist's nets.
        const mine = [...net.r.entries()].filter(([name]) => new RegExp(`^R${c.neuron}[a-z]`).test(name));
        expect(Object.keys(k.neuron.terminals).sort()).toEqual(mine.map(([name]) => name).sort());
        for (const [name, { a, b }] of mine) expect([...k.neuron.terminals[name]].sort(), name).toEqual([a, b].sort());
        expect(k.neuron.instances[`X${c.neuron}`]).toEqual(net.x.get(`X${c.neuron}`));
      }, 600_000);
    }
  }

  it('the DRC deck is not vacuous: the XOR masks checked against stricter rules report the violations', async () => {
    const dir = join(work, 'xor-strict');
    const run = await runCli(['compile', join(FIXTURES, 'xor.onnx'), '-o', dir, '--masks', '--process', 'sky130-res-high']);
    expect(run.code).toBe(0);
    const p = JSON.parse(readFileSync(join(dir, 'process.json'), 'utf8'));
    // The legs are 0.48 um apart and 0.35 um wide: a 0.6 um spacing and a 0.4 um width rule must both fire.
    p.body.minSpacingUm = 0.6;
    p.body.minWidthUm = 0.4;
    writeFileSync(join(dir, 'process.json'), JSON.stringify(p));
    const k = klayoutCheck(dir, 0);
    const v = Object.fromEntries(k.drc.map((d) => [`${d.rule} ${d.layer}`, d.violations]));
    expect(v['spacing body']).toBeGreaterThan(0);
    expect(v['width body']).toBeGreaterThan(0);
    expect(v['spacing strap']).toBe(0);
  }, 600_000);
});
