// Optimal resistor sets (src/realize/resistor-set.ts): the patent's value function, the iterative search, and the
// acceptance check against the patent's published 20-value set.

import { describe, expect, it } from 'vitest';
import { OhmnetError } from '../../src/errors.js';
import {
  PATENT_SET_12,
  PATENT_SET_12_PARAMS,
  PATENT_SET_20,
  PATENT_SET_20_OHM,
  PATENT_SET_20_PARAMS,
  defaultRestarts,
  gapStats,
  halfRangeValue,
  resistorSetValue,
  searchOptimalSet,
  setOptions,
  type SetValue,
} from '../../src/realize/resistor-set.js';
import { Rng } from '../../src/util/random.js';

const fmt = (v: SetValue) => ({
  value: v.value.toExponential(4),
  maxGap: v.maxGap.toFixed(4),
  options: v.options,
  coverage: `[${v.lowest.toFixed(4)}, ${v.highest.toFixed(4)}]`,
});

/** The element of a set that, as R_f, gives the lowest value. */
function bestFeedback(set: readonly number[], params: { weightLimit: number; toleranceRel: number }): { rf: number; value: SetValue } {
  let best: { rf: number; value: SetValue } | null = null;
  for (const rf of set) {
    const value = resistorSetValue(set, { ...params, rFeedbackOhm: rf });
    if (!best || value.value < best.value.value) best = { rf, value };
  }
  return best!;
}

function expectUsage(fn: () => unknown, message: string | RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(OhmnetError);
  const err = caught as OhmnetError;
  expect(err.kind).toBe('usage');
  expect(err.message).not.toContain('\n');
  if (typeof message === 'string') expect(err.message).toBe(message);
  else expect(err.message).toMatch(message);
}

describe('patent set vs our search (acceptance)', () => {
  it('our N = 20 set is at least as good as the patent set by the patent value function', () => {
    const P = PATENT_SET_20_PARAMS;
    const patent = resistorSetValue(PATENT_SET_20_OHM, P);
    const t0 = performance.now();
    const ours = searchOptimalSet({ count: 20, rMinOhm: P.rMinOhm, rMaxOhm: P.rMaxOhm, weightLimit: P.weightLimit, toleranceRel: P.toleranceRel, seed: 1 });
    const seconds = (performance.now() - t0) / 1000;
    const patentBest = bestFeedback(PATENT_SET_20_OHM, P);
    console.log(`resistor set N = 20, weight range [-${P.weightLimit}, ${P.weightLimit}], r_err ${P.toleranceRel}, R in [${P.rMinOhm}, ${P.rMaxOhm}] ohm`);
    console.table({
      'patent (R_f 1.763 MΩ)': fmt(patent),
      [`patent, best R_f (${patentBest.rf / 1e6} MΩ)`]: fmt(patentBest.value),
      [`ohmnet search (R_f ${ours.rFeedbackOhm / 1e6} MΩ)`]: fmt(ours.value),
    });
    console.log(`ohmnet set (MΩ): ${ours.set.map((r) => r / 1e6).join(', ')}`);
    console.log(`search: ${seconds.toFixed(2)} s, ${ours.evaluations} evaluations, ${ours.iterations} sweeps`);

    expect(patent.value).toBeGreaterThan(0);
    expect(ours.value.value).toBeLessThanOrEqual(patent.value);
    expect(ours.set).toHaveLength(20);
    expect(ours.set).toContain(ours.rFeedbackOhm);
    for (const r of ours.set) {
      expect(r).toBeGreaterThanOrEqual(P.rMinOhm);
      expect(r).toBeLessThanOrEqual(P.rMaxOhm);
    }
    // R_f = 1.763 MΩ is the best element of the patent's own set as R_f under this value function.
    expect(patentBest.rf).toBe(1.763e6);
  });

  it('PATENT_SET_20_OHM is PATENT_SET_20 in ohms', () => {
    expect(PATENT_SET_20_OHM).toEqual(PATENT_SET_20.map((m) => m * 1e6).map((x) => Math.round(x)));
    expect(PATENT_SET_20_OHM[17]).toBe(1763000);
    expect([...PATENT_SET_20_OHM].sort((a, b) => a - b)).toEqual(PATENT_SET_20_OHM);
  });

  it('our N = 12 set is at least as good as the patent 12-value set with its best R_f', () => {
    const P = PATENT_SET_12_PARAMS;
    const patent = bestFeedback(PATENT_SET_12, P);
    const ours = searchOptimalSet({ count: 12, rMinOhm: P.rMin, rMaxOhm: P.rMax, weightLimit: P.weightLimit, toleranceRel: P.toleranceRel });
    console.log('resistor set N = 12, weight range [-2, 2], r_err 0.001, R in [0.1, 10] (relative)');
    console.table({ [`patent (best R_f ${patent.rf})`]: fmt(patent.value), [`ohmnet (R_f ${ours.rFeedbackOhm})`]: fmt(ours.value) });
    console.log(`ohmnet set: ${ours.set.join(', ')}`);
    expect(ours.value.value).toBeLessThanOrEqual(patent.value.value);
  });
});

describe('value function', () => {
  const base = { weightLimit: 1.5, toleranceRel: 0.001 };

  it('two resistors: options 0 and ±1, end gaps to ±wlim', () => {
    // R_f = 2 kΩ over {1 kΩ, 2 kΩ}: w = 2 - 1 = ±1 (error 3 r_err), the diagonal pairs and the open circuit give 0.
    const v = resistorSetValue([1000, 2000], { ...base, rFeedbackOhm: 2000 });
    expect(Array.from(setOptions([1000, 2000], { ...base, rFeedbackOhm: 2000 }))).toEqual([-1, 0, 1]);
    // Gaps 0.5, 1, 1, 0.5.
    expect(v.value).toBeCloseTo((0.25 + 1 + 1 + 0.25) / 4, 15);
    expect(v).toMatchObject({ maxGap: 1, options: 3, lowest: -1, highest: 1 });
  });

  it('end gaps: an uncovered range is one large gap; the limit is inclusive', () => {
    const at = (weightLimit: number) => resistorSetValue([1000, 2000], { toleranceRel: 0.001, weightLimit, rFeedbackOhm: 2000 });
    // wlim 3: gaps 2, 1, 1, 2.
    expect(at(3).value).toBeCloseTo((4 + 1 + 1 + 4) / 4, 15);
    expect(at(3).maxGap).toBe(2);
    // wlim 1: ±1 are on the limit and stay; end gaps 0.
    expect(at(1).value).toBeCloseTo(2 / 4, 15);
    expect(at(1).options).toBe(3);
    // wlim 0.9: only the open circuit is left; two gaps of 0.9.
    expect(at(0.9)).toMatchObject({ options: 1, lowest: 0, highest: 0, maxGap: 0.9 });
    expect(at(0.9).value).toBeCloseTo(0.81, 15);
  });

  it('options with an expected error above thresholdFactor * r_err are removed', () => {
    // R_f = 10 over {1, 2}: w = 10 - 5 = ±5 with error (10 + 5) r_err = 15 r_err > 10 r_err.
    const p = { weightLimit: 6, toleranceRel: 0.001, rFeedbackOhm: 10 };
    expect(resistorSetValue([1, 2], p)).toMatchObject({ options: 1, value: 36, maxGap: 6 });
    // A threshold of 20 r_err keeps them: gaps 1, 5, 5, 1.
    expect(resistorSetValue([1, 2], { ...p, thresholdFactor: 20 })).toMatchObject({ options: 3, value: 13, maxGap: 5 });
    // r_err = 0: every error is 0, nothing is above the threshold.
    expect(resistorSetValue([1, 2], { ...p, toleranceRel: 0 })).toMatchObject({ options: 3, value: 13 });
  });

  it('an option worse than a neighbour is removed, and adding a resistor can then raise the value', () => {
    // R_f = 2.2 over {1, 1.5, 2.2}: options 0, ±(2.2/1.5 - 1) = ±0.4667 and ±(2.2 - 2.2/1.5) = ±0.7333 (2.2 - 1 = 1.2
    // is beyond wlim 1). Adding 8.2 brings 1 - 2.2/8.2 = 0.7317 with error (1 + 0.268) r_err = 0.0013, which beats
    // 0.7333 (error 0.0037, 0.0016 away): 0.7333 is dropped and the end gap widens.
    const p = { weightLimit: 1, toleranceRel: 0.001, rFeedbackOhm: 2.2 };
    const a = 2.2 - 2.2 / 1.5;
    const b = 2.2 / 1.5 - 1;
    const c = 1 - 2.2 / 8.2;
    const before = resistorSetValue([1, 1.5, 2.2], p);
    const after = resistorSetValue([1, 1.5, 2.2, 8.2], p);
    expect(before.options).toBe(5);
    expect(before.highest).toBeCloseTo(a, 15);
    expect(before.value).toBeCloseTo((2 * ((1 - a) ** 2 + (a - b) ** 2 + b ** 2)) / 6, 15);
    expect(after.options).toBe(5);
    expect(after.highest).toBeCloseTo(c, 15);
    expect(after.value).toBeCloseTo((2 * ((1 - c) ** 2 + (c - b) ** 2 + b ** 2)) / 6, 15);
    expect(after.value).toBeGreaterThan(before.value);
    // Without the envelope rule (r_err = 0) both stay and the value falls.
    const q = { ...p, toleranceRel: 0 };
    expect(resistorSetValue([1, 1.5, 2.2, 8.2], q).value).toBeLessThan(resistorSetValue([1, 1.5, 2.2], q).value);
  });

  it('splitting a gap never raises the value; uniform options reach the lower bound', () => {
    const rng = new Rng(11);
    for (let t = 0; t < 500; t++) {
      const wlim = rng.uniform(0.5, 5);
      const pts = Array.from({ length: 1 + Math.floor(rng.next() * 20) }, () => rng.uniform(-wlim, wlim)).sort((x, y) => x - y);
      const before = gapStats(pts, wlim);
      const more = [...pts, rng.uniform(-wlim, wlim)].sort((x, y) => x - y);
      const after = gapStats(more, wlim);
      expect(after.value).toBeLessThanOrEqual(before.value * (1 + 1e-12));
      expect(after.maxGap).toBeLessThanOrEqual(before.maxGap);
      expect(before.value).toBeGreaterThanOrEqual(((2 * wlim) / (pts.length + 1)) ** 2 * (1 - 1e-12));
    }
    const uniform = Array.from({ length: 9 }, (_, k) => -1 + (2 * (k + 1)) / 10);
    expect(gapStats(uniform, 1).value).toBeCloseTo(0.04, 15);
  });

  it('with r_err = 0, adding a resistor never raises the value', () => {
    const rng = new Rng(5);
    for (let t = 0; t < 300; t++) {
      const n = 2 + Math.floor(rng.next() * 8);
      const set = Array.from({ length: n }, () => 1e5 * 50 ** rng.next()).sort((x, y) => x - y);
      const p = { rFeedbackOhm: set[Math.floor(rng.next() * n)], weightLimit: rng.uniform(0.5, 5), toleranceRel: 0 };
      const more = [...set, 1e5 * 50 ** rng.next()].sort((x, y) => x - y);
      expect(resistorSetValue(more, p).value).toBeLessThanOrEqual(resistorSetValue(set, p).value * (1 + 1e-12));
    }
  });

  it("the search's fast half-range evaluation agrees with resistorSetValue", () => {
    const rng = new Rng(9);
    for (let t = 0; t < 300; t++) {
      const n = 2 + Math.floor(rng.next() * 25);
      const set = Array.from({ length: n }, () => Number((1e5 * 50 ** rng.next()).toPrecision(4)));
      const rf = Math.floor(rng.next() * n);
      const p = { weightLimit: [1, 2, 5][t % 3], toleranceRel: [0, 0.001, 0.01][Math.floor(t / 3) % 3] };
      const ref = resistorSetValue(set, { ...p, rFeedbackOhm: set[rf] }).value;
      expect(halfRangeValue(set, rf, p)).toBeCloseTo(ref, 12);
    }
  });

  it('accepts the 12-value set in its published (unsorted) order', () => {
    const sorted = [...PATENT_SET_12].sort((a, b) => a - b);
    const p = { weightLimit: 2, toleranceRel: 0.001, rFeedbackOhm: 1.036 };
    expect(resistorSetValue(PATENT_SET_12, p)).toEqual(resistorSetValue(sorted, p));
  });
});

describe('search', () => {
  const params = { count: 8, rMinOhm: 100e3, rMaxOhm: 5e6, weightLimit: 5, toleranceRel: 0.001 };

  it('is deterministic for a seed and returns a sorted 4-digit set within the range', () => {
    const a = searchOptimalSet({ ...params, seed: 3 });
    const b = searchOptimalSet({ ...params, seed: 3 });
    expect(b).toEqual(a);
    expect(a.set).toHaveLength(8);
    for (let i = 0; i < a.set.length; i++) {
      expect(Number(a.set[i].toPrecision(4))).toBe(a.set[i]);
      expect(a.set[i]).toBeGreaterThanOrEqual(params.rMinOhm);
      expect(a.set[i]).toBeLessThanOrEqual(params.rMaxOhm);
      if (i > 0) expect(a.set[i]).toBeGreaterThan(a.set[i - 1]);
    }
    expect(a.set).toContain(a.rFeedbackOhm);
    // The reported value is the value of the rounded set, and the search's own bookkeeping agrees with it.
    expect(a.value).toEqual(resistorSetValue(a.set, { rFeedbackOhm: a.rFeedbackOhm, weightLimit: 5, toleranceRel: 0.001 }));
    expect(a.searchValue).toBeCloseTo(a.value.value, 12);
    expect(a.iterations).toBeGreaterThan(0);
  });

  it('restarts only improve on the deterministic start', () => {
    const single = searchOptimalSet({ ...params, count: 12, restarts: 0 });
    const multi = searchOptimalSet({ ...params, count: 12, restarts: 6, seed: 4 });
    expect(multi.value.value).toBeLessThanOrEqual(single.value.value);
    expect(single.searchValue).toBeCloseTo(single.value.value, 12);
    expect(multi.searchValue).toBeCloseTo(multi.value.value, 12);
  });

  it('keeps distinct values in a narrow range and uses the whole grid when it must', () => {
    // [100, 100.5] holds exactly 6 four-digit values: 100.0, 100.1, ..., 100.5.
    const r = searchOptimalSet({ count: 6, rMinOhm: 100, rMaxOhm: 100.5, weightLimit: 0.01, toleranceRel: 0, restarts: 1 });
    expect(r.set).toEqual([100, 100.1, 100.2, 100.3, 100.4, 100.5]);
    expectUsage(() => searchOptimalSet({ count: 7, rMinOhm: 100, rMaxOhm: 100.5, weightLimit: 1, toleranceRel: 0 }), 'rMinOhm 100 and rMaxOhm 100.5 are too close for 7 distinct 4-digit resistances; widen the range');
  });

  it('default restarts shrink with the set size', () => {
    expect(defaultRestarts(20)).toBe(10);
    expect(defaultRestarts(64)).toBe(4);
    expect(defaultRestarts(200)).toBe(0);
  });
});

describe('bad parameters', () => {
  const ok = { count: 8, rMinOhm: 100e3, rMaxOhm: 5e6, weightLimit: 5, toleranceRel: 0.001 };

  it('rejects impossible search parameters with one-line usage errors', () => {
    expectUsage(() => searchOptimalSet({ ...ok, count: 1 }), 'resistor set size 1 is not possible; give optimal:N with a whole N from 2 to 200');
    expectUsage(() => searchOptimalSet({ ...ok, count: 201 }), /resistor set size 201 is not possible/);
    expectUsage(() => searchOptimalSet({ ...ok, count: 2.5 }), /resistor set size 2.5 is not possible/);
    expectUsage(() => searchOptimalSet({ ...ok, rMinOhm: 5e6 }), 'rMinOhm 5000000 must be below rMaxOhm 5000000');
    expectUsage(() => searchOptimalSet({ ...ok, rMinOhm: 6e6 }), /must be below rMaxOhm/);
    expectUsage(() => searchOptimalSet({ ...ok, rMinOhm: 0 }), /rMinOhm 0 must be a positive resistance/);
    expectUsage(() => searchOptimalSet({ ...ok, rMaxOhm: -1 }), /rMaxOhm -1 must be a positive resistance/);
    expectUsage(() => searchOptimalSet({ ...ok, weightLimit: 0 }), /weight limit 0 must be a positive number/);
    expectUsage(() => searchOptimalSet({ ...ok, toleranceRel: -0.1 }), 'toleranceRel -0.1 is not possible; give it as a fraction, e.g. 0.001');
    expectUsage(() => searchOptimalSet({ ...ok, toleranceRel: Number.NaN }), /toleranceRel NaN is not a number/);
    expectUsage(() => searchOptimalSet({ ...ok, thresholdFactor: 0 }), /error threshold factor 0 must be positive/);
    expectUsage(() => searchOptimalSet({ ...ok, restarts: -1 }), /restarts -1 must be a whole number/);
  });

  it('rejects impossible value-function parameters', () => {
    const p = { rFeedbackOhm: 1e6, weightLimit: 2, toleranceRel: 0.001 };
    expectUsage(() => resistorSetValue([], p), /resistor set is empty/);
    expectUsage(() => resistorSetValue([1e5, -2e5], p), /resistance -200000 in the set must be positive/);
    expectUsage(() => resistorSetValue([1e5, 2e5], { ...p, rFeedbackOhm: 0 }), /feedback resistance 0 must be positive/);
    expectUsage(() => resistorSetValue([1e5, 2e5], { ...p, weightLimit: -2 }), /weight limit -2 must be a positive number/);
    expectUsage(() => resistorSetValue([1e5, 2e5], { ...p, toleranceRel: -0.1 }), 'toleranceRel -0.1 is not possible; give it as a fraction, e.g. 0.001');
    expectUsage(() => halfRangeValue([1e5, 2e5], 2, p), /R_f index 2 is not an index of the set/);
  });

  it('names options through the Namer (the CLI renders its flags), never by a flag of its own', () => {
    let caught: unknown;
    try {
      searchOptimalSet({ ...ok, rMinOhm: 5e6 });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(OhmnetError);
    const flag = (option: string) => `--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    expect((caught as OhmnetError).messageWith(flag)).toBe('--r-min-ohm 5000000 must be below --r-max-ohm 5000000');
  });
});
