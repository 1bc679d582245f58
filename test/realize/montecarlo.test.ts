// The realized network's circuit model and Monte Carlo: exact nominal formula, determinism whatever the worker count,
// and statistics checked against bounds, never "the output changed".

import { describe, expect, it } from 'vitest';
import type { Graph } from '../../src/ir/ops.js';
import { importModel } from '../../src/import/index.js';
import { evaluate } from '../../src/reference/evaluate.js';
import { realize, effectiveNeuron } from '../../src/realize/realize.js';
import { seriesValues } from '../../src/realize/series.js';
import { monteCarlo } from '../../src/simulate/montecarlo.js';
import { perturbedWeights, quantizer } from '../../src/simulate/realized.js';
import { compileGraph } from '../../src/transform/pipeline.js';
import { Rng } from '../../src/util/random.js';
import { loadFixture } from '../helpers.js';

describe('circuit model', () => {
  it('with normalizing resistors the op-amp formula gives exactly R_f/R+ - R_f/R- for every input', () => {
    const rp = [2e5, 4.7e5, Infinity];
    const rm = [3.3e5, Infinity, 1e5];
    const rf = 1e6;
    let gp = 1 / rf + rp.reduce((s, r) => s + 1 / r, 0) + 1 / 5.6e5;
    let gm = 1 / rf + rm.reduce((s, r) => s + 1 / r, 0) + 1 / 6.8e5;
    const norm = gp > gm ? [Infinity, 1 / (gp - gm)] : [1 / (gm - gp), Infinity];
    const w = new Float64Array(3);
    const b = effectiveNeuron(rp, rm, 0, 3, rf, rf, 5.6e5, 6.8e5, norm[0], norm[1], 1, 1.5, w);
    [0, 1, 2].forEach((i) => expect(w[i]).toBeCloseTo(rf / rp[i] - rf / rm[i], 12));
    expect(b).toBeCloseTo(1.5 * (rf / 5.6e5 - rf / 6.8e5), 12);
    void gp;
    void gm;
    // Without the normalizing resistor the + side is scaled by G-/G+ and the formula no longer holds.
    const w2 = new Float64Array(3);
    effectiveNeuron(rp, rm, 0, 3, rf, rf, 5.6e5, 6.8e5, Infinity, Infinity, 1, 1.5, w2);
    expect(Math.abs(w2[0] - w[0])).toBeGreaterThan(1e-3);
  });

  it('an n-bit quantizer has 2^n levels over its range', () => {
    const q = quantizer(3, -1, 1);
    const levels = new Set(Array.from({ length: 1001 }, (_, i) => q(-1.2 + (2.4 * i) / 1000)));
    expect(levels.size).toBe(8);
    expect(q(0.01)).toBeCloseTo(1 / 7, 12);
  });
});

describe('Monte Carlo', () => {
  const fx = loadFixture('digits_cnn');
  const graph = importModel(fx.path);
  const compiled = compileGraph(graph, { fanIn: 16, fanOut: 16, calibration: fx.inputs.slice(0, 12) });
  const samples = fx.inputs.slice(0, 12);
  const reference = evaluate(graph, samples).outputs;
  const r = realize(compiled.tnet, { setOhm: seriesValues('E96', 1e5, 1e6), setName: 'E96', feedback: 'min-error', feedbackPer: 'layer', toleranceRel: 0.01, vRefV: 1 });
  const base = { toleranceRel: 0.01, distribution: 'gaussian' as const, classThreshold: 0.5, converters: {} };

  it('gives identical results for a seed whatever the number of workers, and different ones for another seed', async () => {
    const one = await monteCarlo(r, samples, reference, { ...base, trials: 8, seed: 11, workers: 1 });
    const two = await monteCarlo(r, samples, reference, { ...base, trials: 8, seed: 11, workers: 2 });
    expect(two.trials).toEqual(one.trials);
    const other = await monteCarlo(r, samples, reference, { ...base, trials: 8, seed: 12, workers: 1 });
    expect(other.trials).not.toEqual(one.trials);
  });

  it('aggregates as mean, p5, p95 and worst', async () => {
    const mc = await monteCarlo(r, samples, reference, { ...base, trials: 20, seed: 3, workers: 1 });
    const mses = mc.trials.map((t) => t.mse).sort((a, b) => a - b);
    expect(mc.mse.worst).toBe(mses[19]);
    expect(mc.mse.p5).toBeGreaterThanOrEqual(mses[0]);
    expect(mc.mse.p95).toBeLessThanOrEqual(mses[19]);
    expect(mc.mse.mean).toBeCloseTo(mses.reduce((a, b) => a + b, 0) / 20, 15);
    expect(mc.classAgreement.worst).toBe(Math.min(...mc.trials.map((t) => t.classAgreement)));
  });
});

describe('tolerance statistics (bounds, not "it changed")', () => {
  // One input, one weight realized by a pair: y = relu(w_eff * x) (the relu makes it a neuron, not a readout gain). Under gaussian tolerance sigma on every resistor, to first
  // order w_eff - w is normal with a standard deviation computable from the partial derivatives; over 4000 trials the
  // sample mean must lie within 4 standard errors of the nominal weight (plus a second-order bias of O(sigma^2)), and
  // the sample standard deviation within 10% of the first-order prediction.
  const graph: Graph = {
    name: 'one', origin: 'test', input: { name: 'x', shape: [1] }, output: 'y',
    nodes: [
      { kind: 'dense', name: 'd', inputs: ['x'], output: 'h', sourceOp: 'Gemm', weight: { shape: [1, 1], data: Float64Array.of(0.8) }, bias: null },
      { kind: 'activation', name: 'r', inputs: ['h'], output: 'y', sourceOp: 'Relu', fn: { type: 'relu' } },
    ],
  };
  const compiled = compileGraph(graph, { calibration: [[1]] });
  if (compiled.tnet.neurons.count !== 1) throw new Error('expected one neuron');
  const r = realize(compiled.tnet, { setOhm: seriesValues('E24', 1e5, 1e6), setName: 'E24', feedback: 'fixed', rFeedbackOhm: 1e6, feedbackPer: 'layer', toleranceRel: 0, vRefV: 1 });
  const sigma = 0.01;

  it('the effective weight is unbiased and spread as predicted', () => {
    const nominal = r.weight[0];
    // Numerical first-order sensitivities of w_eff to each resistor, from the same formula.
    const parts = { rN: r.rFeedbackOhm[0], rP: r.rFeedbackOhm[0], rp: r.rPlusOhm[0], rm: r.rMinusOhm[0], nP: r.rNormPlusOhm[0], nM: r.rNormMinusOhm[0] };
    const f = (p: typeof parts) => {
      const w = new Float64Array(1);
      effectiveNeuron([p.rp], [p.rm], 0, 1, p.rN, p.rP, Infinity, Infinity, p.nP, p.nM, 1, 1, w);
      return w[0];
    };
    let variance = 0;
    for (const k of Object.keys(parts) as (keyof typeof parts)[]) {
      if (parts[k] === Infinity) continue;
      const h = 1e-6;
      const d = (f({ ...parts, [k]: parts[k] * (1 + h) }) - f({ ...parts, [k]: parts[k] * (1 - h) })) / (2 * h);
      variance += (d * sigma) ** 2;
    }
    const sd = Math.sqrt(variance);
    const T = 4000;
    const xs: number[] = [];
    for (let t = 0; t < T; t++) xs.push(perturbedWeights(r, new Rng(1000 + t), sigma, 'gaussian').weight[0]);
    const mean = xs.reduce((a, b) => a + b, 0) / T;
    const sampleSd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (T - 1));
    expect(Math.abs(mean - nominal)).toBeLessThan(4 * (sd / Math.sqrt(T)) + 10 * sigma * sigma * Math.abs(nominal));
    expect(sampleSd / sd).toBeGreaterThan(0.9);
    expect(sampleSd / sd).toBeLessThan(1.1);
  });

  it('uniform tolerance never moves a resistor beyond +-tol, so the weight stays within its worst case', () => {
    const tol = 0.02;
    const w0 = r.weight[0];
    // Worst case over the corners of the tolerance box, from the same formula (monotone in each resistor).
    for (let t = 0; t < 500; t++) {
      const w = perturbedWeights(r, new Rng(t), tol, 'uniform').weight[0];
      expect(Math.abs(w - w0)).toBeLessThan(Math.abs(w0) * 6 * tol + 1e-12);
    }
  });
});
