// `ohmnet crossbar solve` (cli/crossbar.ts): badcrossbar's README example from files, the JSON shapes, and bad input
// (one line, exit 2, nothing on stdout).

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'ohmnet-crossbar-'));
const file = (name: string, doc: unknown) => {
  const p = join(tmp, name);
  writeFileSync(p, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return p;
};
const R = file('R.json', [
  [345, 903, 755, 257, 646],
  [652, 401, 508, 166, 454],
  [442, 874, 190, 244, 635],
]);
const V = file('V.json', {
  voltages: [
    [1.5, 4.1, 2.6, 2.1],
    [2.3, 4.5, 1.1, 0.8],
    [1.7, 4.0, 3.3, 1.1],
  ],
});

describe('ohmnet crossbar solve', () => {
  it('solves badcrossbar\'s README example and prints the solution as JSON', async () => {
    const r = await runCli(['crossbar', 'solve', '--resistances', R, '--voltages', V, '--interconnect', '0.5', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(Math.abs(s.deviceCurrentsA[0][3][2] - 0.009856197822795886) / 0.009856197822795886).toBeLessThan(1e-12);
    for (const k of ['deviceCurrentsA', 'wordLineCurrentsA', 'bitLineCurrentsA', 'wordLineVoltagesV', 'bitLineVoltagesV']) {
      expect(s[k].length, k).toBe(3);
      expect(s[k][0].length, k).toBe(5);
      expect(s[k][0][0].length, k).toBe(4);
    }
    expect(s.outputCurrentsA.length).toBe(4);
    expect(s.outputCurrentsA[0].length).toBe(5);
    expect(s.solver.method).toBe('sparse-ldl');
  });

  it('prints the output currents without --json; the iterative solver and conductances give the same', async () => {
    const r = await runCli(['crossbar', 'solve', '--resistances', R, '--voltages', V, '--interconnect', '0.5']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('crossbar 3 x 5 (word lines x bit lines), 4 input sets');
    expect(r.stdout).toContain('0.01158502');
    const G = file('G.json', { conductances: [[345, 903, 755, 257, 646], [652, 401, 508, 166, 454], [442, 874, 190, 244, 635]].map((row) => row.map((x) => 1 / x)) });
    const it = await runCli(['crossbar', 'solve', '--conductances', G, '--voltages', V, '--interconnect-word', '0.5', '--interconnect-bit', '0.5', '--solver', 'iterative', '--json']);
    expect(it.code).toBe(0);
    const s = JSON.parse(it.stdout);
    expect(s.solver.method).toBe('pcg-line');
    expect(Math.abs(s.deviceCurrentsA[0][3][2] - 0.009856197822795886) / 0.009856197822795886).toBeLessThan(1e-10);
  });

  it('zero interconnect: I = G V', async () => {
    const r = await runCli(['crossbar', 'solve', '--resistances', R, '--voltages', V, '--interconnect', '0', '--json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.deviceCurrentsA[0][3][2]).toBe(2.6 * (1 / 257));
  });

  const bad: Array<[string, string[], RegExp]> = [
    ['zero resistance', ['--resistances', file('r0.json', [[1, 0]]), '--voltages', file('v1.json', [[1]]), '--interconnect', '1'], /--resistances\[0\]\[1\] is 0: a device resistance must be a number > 0 ohms/],
    ['negative conductance', ['--conductances', file('g0.json', [[-1]]), '--voltages', file('v1b.json', [[1]]), '--interconnect', '1'], /--conductances\[0\]\[0\] is -1/],
    ['NaN (null) resistance', ['--resistances', file('rn.json', '[[1, null]]'), '--voltages', file('v1c.json', [[1]]), '--interconnect', '1'], /is null/],
    ['array size 0', ['--resistances', file('re.json', []), '--voltages', file('v1d.json', [[1]]), '--interconnect', '1'], /--resistances must be a non-empty list of rows/],
    ['ragged rows', ['--resistances', file('rr.json', [[1, 2], [3]]), '--voltages', file('v2.json', [[1], [1]]), '--interconnect', '1'], /--resistances row 1 has 1 entries but row 0 has 2/],
    ['voltage rows', ['--resistances', R, '--voltages', file('v2b.json', [[1], [1]]), '--interconnect', '1'], /--voltages has 2 rows but the array has 3 word lines; give one row per word line/],
    ['negative interconnect', ['--resistances', R, '--voltages', V, '--interconnect', '-1'], /--interconnect -1 must be a finite resistance >= 0 ohms/],
    ['no interconnect', ['--resistances', R, '--voltages', V], /give the line resistance per segment with --interconnect/],
    ['both arrays', ['--resistances', R, '--conductances', R, '--voltages', V, '--interconnect', '1'], /exactly one of --resistances \(ohms\) or --conductances/],
    ['not JSON', ['--resistances', file('bad.json', '[[1,'), '--voltages', V, '--interconnect', '1'], /is not valid JSON/],
    ['missing file', ['--resistances', join(tmp, 'nope.json'), '--voltages', V, '--interconnect', '1'], /no such file/],
    ['unknown solver', ['--resistances', R, '--voltages', V, '--interconnect', '1', '--solver', 'lu'], /--solver 'lu' is not one of auto, exact, iterative/],
  ];
  for (const [name, args, re] of bad)
    it(`bad input: ${name}`, async () => {
      const r = await runCli(['crossbar', 'solve', ...args, '--json']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(re);
    });
});
