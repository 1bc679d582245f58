// Pair selection: the envelope search finds the same cost as a brute-force scan over every pair (and the open
// circuit), for random sets, feedback resistors, tolerances and weights.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bestOption, buildPairTable, optionCost } from '../../src/realize/pairs.js';
import { E_SERIES, seriesValues } from '../../src/realize/series.js';

function bruteForce(set: number[], rf: number, rErr: number, w: number): number {
  let best = Math.abs(w);
  for (const a of set) for (const b of set) best = Math.min(best, Math.abs(w - (rf / a - rf / b)) + (rf / a + rf / b) * rErr);
  return best;
}

describe('pair selection', () => {
  it('matches brute force on random sets and weights (property test)', () => {
    fc.assert(fc.property(
      fc.uniqueArray(fc.integer({ min: 100, max: 10000 }), { minLength: 1, maxLength: 14 }),
      fc.integer({ min: 0, max: 13 }),
      fc.constantFrom(0, 1e-4, 1e-3, 1e-2, 0.05),
      fc.array(fc.double({ min: -20, max: 20, noNaN: true }), { minLength: 1, maxLength: 20 }),
      (raw, rfPick, rErr, ws) => {
        const set = [...raw].sort((a, b) => a - b).map((v) => v * 100);
        const rf = set[rfPick % set.length];
        const t = buildPairTable(set, rf, rErr);
        for (const w of ws) expect(optionCost(t, w, bestOption(t, w))).toBeCloseTo(bruteForce(set, rf, rErr, w), 12);
      },
    ), { numRuns: 300, seed: 4 });
  });

  it('a zero weight, and a weight too small for the set, are open circuits', () => {
    const t = buildPairTable(seriesValues('E24', 1e5, 1e6), 1e6, 0.001);
    for (const w of [0, 1e-3, -0.02]) {
      const k = bestOption(t, w);
      expect([t.rPlus[k], t.rMinus[k], t.value[k]]).toEqual([Infinity, Infinity, 0]);
    }
  });

  it('covers +-(R_f/R_min - R_f/R_max) and no further', () => {
    const t = buildPairTable(seriesValues('E96', 1e5, 1e6), 1e6, 0);
    expect(t.maxAbs).toBeCloseTo(9, 12);
    expect(t.value[0]).toBeCloseTo(-9, 12);
  });
});

describe('E-series', () => {
  it('has the standard table sizes', () => {
    for (const [name, n] of [['E6', 6], ['E12', 12], ['E24', 24], ['E48', 48], ['E96', 96], ['E192', 192]] as const) expect(E_SERIES[name]).toHaveLength(n);
  });

  it('uses the historical E24 values, not the rounding formula (2.7, 3.3, ... 8.2; formula gives 2.6, 3.2, ... 8.3)', () => {
    expect(E_SERIES.E24).toContain(2.7);
    expect(E_SERIES.E24).toContain(8.2);
    expect(E_SERIES.E24).not.toContain(2.6);
    expect(E_SERIES.E192).toContain(9.2);
  });

  it('expands over a range inclusively, in ohms', () => {
    const v = seriesValues('E24', 1e5, 1e6);
    expect(v).toHaveLength(25);
    expect(v[0]).toBe(100000);
    expect(v[v.length - 1]).toBe(1000000);
    expect(v).toContain(270000);
    expect(seriesValues('E192', 1e5, 1e6)).toHaveLength(193);
  });
});
