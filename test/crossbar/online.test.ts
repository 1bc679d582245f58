// On-line crossbar training (issue 17): the seed's Iris set-up (75/75 split, targets (1,-1,-1) ...) on one seed and
// one device model (the bench, bench/crossbar-online.ts, runs every model, with and without momentum and adaptive
// learning rate, over 10 seeds), the modules' arithmetic, determinism, and the bad-input errors.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { splitHalves, trainOnline, type OnlineData } from '../../src/crossbar/online.js';
import { isOhmnetError } from '../../src/errors.js';
import { THRESHOLD_PERSHIN, VTEAM_MEMTORCH, YAKOPCIC_2011 } from '../../src/presets/memristors.js';

const load = (f: string) => JSON.parse(readFileSync(new URL(`../../fixtures/train/${f}`, import.meta.url), 'utf8')) as OnlineData;
const a = load('iris_train.json');
const b = load('iris_test.json');
const iris: OnlineData = { inputs: [...a.inputs, ...b.inputs], labels: [...a.labels, ...b.labels] };

function errorOf(f: () => void): string {
  try {
    f();
  } catch (e) {
    expect(isOhmnetError(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('on-line training on a VTEAM crossbar, Iris, seed 1', () => {
  const { train, test } = splitHalves(iris, 3, 1);
  const result = trainOnline(train, test, 3, { deviceModel: VTEAM_MEMTORCH, iterations: 20, seed: 1 });

  it('splits 75/75, 25 of each class per half', () => {
    expect(train.labels.length).toBe(75);
    expect(test.labels.length).toBe(75);
    for (let c = 0; c < 3; c++) expect(test.labels.filter((l) => l === c).length).toBe(25);
  });

  it('reaches test accuracy >= 0.8 on the 75 held-out samples (20 iterations = 2 s of circuit time; measured 0.88)', () => {
    expect(result.testAccuracy).toBeGreaterThanOrEqual(0.8);
    expect(result.trainAccuracy).toBeGreaterThanOrEqual(0.8);
    expect(result.circuitTimeS).toBeCloseTo(2, 12);
    expect(result.pulses).toBeGreaterThan(0);
  });

  it('the trained conductances stay in the device range and stand for the weights reported', () => {
    for (const g of [...result.layers[0]!.gPlusS.flat(), ...result.layers[0]!.gMinusS.flat()]) {
      expect(g).toBeGreaterThanOrEqual(1 / VTEAM_MEMTORCH.rOffOhm - 1e-15);
      expect(g).toBeLessThanOrEqual(1 / VTEAM_MEMTORCH.rOnOhm + 1e-15);
    }
    // independent forward pass in plain float64 from the reported weights (VTEAM's I-V is linear, and its read is
    // below threshold, so the weights reproduce the circuit's decisions exactly)
    const w = result.layers[0]!.weights;
    let right = 0;
    test.inputs.forEach((x, k) => {
      const u = [...x.map((v) => 2 * v - 1), 1];
      const y = [0, 1, 2].map((j) => Math.tanh(u.reduce((s, ui, i) => s + ui * w[i]![j]!, 0)));
      if (y.indexOf(Math.max(...y)) === test.labels[k]) right++;
    });
    expect(right / 75).toBe(result.testAccuracy);
  });

  it('is deterministic: the same seed gives byte-identical results', () => {
    const again = trainOnline(train, test, 3, { deviceModel: VTEAM_MEMTORCH, iterations: 20, seed: 1 });
    expect(JSON.stringify(again)).toBe(JSON.stringify(result));
  });
});

describe('the momentum and adaptive learning-rate modules', () => {
  const { train, test } = splitHalves(iris, 3, 2);
  it('adaptive: eta is raised by the amplifier gain after an iteration whose error fell, lowered by the multiplier otherwise', () => {
    const r = trainOnline(train, test, 3, { deviceModel: YAKOPCIC_2011, iterations: 6, adaptiveLearningRate: true, lrIncrease: 1.1, lrDecrease: 0.5, learningRate: 0.05, seed: 2 });
    let eta = 0.05;
    let held = Number.POSITIVE_INFINITY;
    r.iterationErrors.forEach((e, t) => {
      eta = e < held ? eta * 1.1 : eta * 0.5;
      held = e;
      expect(r.learningRates[t]).toBe(eta);
    });
    const fixed = trainOnline(train, test, 3, { deviceModel: YAKOPCIC_2011, iterations: 6, seed: 2 });
    expect(fixed.learningRates.every((v) => v === 0.05)).toBe(true);
  });

  it('momentum changes the trajectory (the held command is added), and alpha 0 is the plain rule', () => {
    const plain = trainOnline(train, test, 3, { deviceModel: VTEAM_MEMTORCH, iterations: 2, seed: 2 });
    const zero = trainOnline(train, test, 3, { deviceModel: VTEAM_MEMTORCH, iterations: 2, momentum: 0, seed: 2 });
    const mom = trainOnline(train, test, 3, { deviceModel: VTEAM_MEMTORCH, iterations: 2, momentum: 0.5, seed: 2 });
    expect(JSON.stringify(zero)).toBe(JSON.stringify(plain));
    expect(JSON.stringify(mom.layers)).not.toBe(JSON.stringify(plain.layers));
  });
});

describe("the seed's two synaptic grids (a hidden layer)", () => {
  it('trains 4 -> 6 -> 3 on two threshold-model crossbars: test accuracy >= 0.85 on seed 1 (measured 0.973)', () => {
    const { train, test } = splitHalves(iris, 3, 1);
    const r = trainOnline(train, test, 3, { deviceModel: THRESHOLD_PERSHIN, hidden: 6, iterations: 20, seed: 1 });
    expect(r.layers).toHaveLength(2);
    expect(r.layers[0]!.weights).toHaveLength(5); // 4 features + bias
    expect(r.layers[0]!.weights[0]).toHaveLength(6);
    expect(r.layers[1]!.weights).toHaveLength(7); // 6 hidden + bias
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0.85);
    // independent forward pass in plain float64 from the reported weights (the threshold model's I-V is linear and its
    // read below V_t, so the weights reproduce the circuit's decisions exactly)
    let right = 0;
    test.inputs.forEach((x, k) => {
      const u0 = [...x.map((v) => 2 * v - 1), 1];
      const h = [...Array.from({ length: 6 }, (_, j) => Math.tanh(u0.reduce((s, ui, i) => s + ui * r.layers[0]!.weights[i]![j]!, 0))), 1];
      const y = [0, 1, 2].map((j) => Math.tanh(h.reduce((s, hi, i) => s + hi * r.layers[1]!.weights[i]![j]!, 0)));
      if (y.indexOf(Math.max(...y)) === test.labels[k]) right++;
    });
    expect(right / 75).toBe(r.testAccuracy);
  });
});

describe('bad input gets one-line errors', () => {
  const { train, test } = splitHalves(iris, 3, 1);
  const base = { deviceModel: VTEAM_MEMTORCH, iterations: 1 };
  it('a pulse longer than the write window, windows that do not fit the slot, an inverted conductance range, NaN parameters', () => {
    expect(errorOf(() => trainOnline(train, test, 3, { ...base, updatePulseMaxS: 1e-4, writeWindowS: 8e-5 }))).toMatch(
      /write pulse of 0.0001 s is longer than the write window T_write 0.00008 s/,
    );
    expect(errorOf(() => trainOnline(train, test, 3, { ...base, readWindowS: 5e-5, writeWindowS: 8e-5 }))).toMatch(/do not fit the pulse slot/);
    expect(errorOf(() => trainOnline(train, test, 3, { ...base, deviceModel: { ...VTEAM_MEMTORCH, rOnOhm: 5000 } }))).toMatch(/conductance range is inverted/);
    expect(errorOf(() => trainOnline(train, test, 3, { ...base, deviceModel: { ...YAKOPCIC_2011, ap: Number.NaN } }))).toMatch(/ap is NaN/);
    expect(errorOf(() => trainOnline(train, test, 3, { ...base, momentum: 1 }))).toMatch(/momentum 1 must be in \[0, 1\)/);
    expect(errorOf(() => trainOnline(train, test, 3, { ...base, hidden: 1.5 }))).toMatch(/hidden 1.5 must be a whole number in 0..1024/);
    expect(errorOf(() => trainOnline({ inputs: [], labels: [] }, test, 3, base))).toMatch(/training set has no samples/);
    expect(errorOf(() => trainOnline({ inputs: [[0.5]], labels: [0, 1] }, test, 3, base))).toMatch(/training set has 2 labels for 1 samples/);
    expect(errorOf(() => trainOnline({ inputs: [[]], labels: [0] }, test, 3, base))).toMatch(/training samples have no features/);
    expect(errorOf(() => trainOnline(train, { inputs: [[0, 1, 2, 0]], labels: [0] }, 3, base))).toMatch(/test sample 0 has the feature 2, outside \[0, 1\]/);
    expect(errorOf(() => trainOnline(train, { inputs: [[0, 1]], labels: [0] }, 3, base))).toMatch(/test sample 0 has 2 features, the others 4/);
  });
});
