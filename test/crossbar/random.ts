// Seeded random crossbars for the solver's tests and fixtures (fixtures/crossbar/make_ngspice.ts): devices uniform in
// 10-100 kOhm (badcrossbar's scale test, shared/research/anchors.md), one input set of word-line voltages in [0, 1) V.

import { Rng } from '../../src/util/random.js';

export function randomCrossbar(rows: number, columns: number, seed = 1000 + rows * 7 + columns): { seed: number; r: number[][]; v: number[] } {
  const g = new Rng(seed);
  const r = Array.from({ length: rows }, () => Array.from({ length: columns }, () => 1e4 + 9e4 * g.next()));
  const v = Array.from({ length: rows }, () => g.next());
  return { seed, r, v };
}
