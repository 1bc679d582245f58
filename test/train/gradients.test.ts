// Gradient checks: the analytic gradient of every layer and every training mode against central finite differences
// of the same loss. Float64 throughout and inputs drawn away from kinks, so the agreement is at the level of the
// difference quotient's truncation error: relative 1e-5 of the largest gradient (h = 1e-5, error ~ h^2 f''' ~ 1e-10
// absolute). Also: the forward pass equals ohmnet's reference evaluator, so what is trained is what is compiled.

import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/reference/evaluate.js';
import { TrainModel } from '../../src/train/model.js';
import { signedBitsGrid, valueGrid } from '../../src/train/grid.js';
import type { LossKind } from '../../src/train/shard.js';
import { Rng } from '../../src/util/random.js';
import { G, randn, testGraphs } from './graphs.js';
import { BASE, checkGradients, dataFor, lossAndGrad } from './gradcheck.js';

describe('training forward pass', () => {
  it.each(testGraphs().map((c) => [c.name, c] as const))('%s equals the reference evaluator', (_n, c) => {
    const model = new TrainModel(c.graph);
    const set = dataFor([...c.graph.input.shape], c.outputs, 3, 1);
    const ref = evaluate(c.graph, set.samples).outputs;
    const ws = model.workspace();
    set.samples.forEach((x, s) => {
      const y = model.forward(ws, x);
      for (let i = 0; i < y.length; i++) expect(Math.abs(y[i] - ref[s][i])).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(ref[s][i])));
    });
  });
});

describe('gradient checks (central differences)', () => {
  for (const c of testGraphs()) {
    for (const loss of ['mse', 'cross-entropy'] as LossKind[]) {
      it(`${c.name}, ${loss}`, async () => {
        const model = new TrainModel(c.graph, loss === 'cross-entropy');
        const set = dataFor([...c.graph.input.shape], c.outputs, 4, 2);
        expect(await checkGradients(model, set, { ...BASE, loss })).toBeLessThan(1e-5);
      });
    }
  }

  const mlp = testGraphs()[0];
  const set = dataFor([5], 3, 5, 4);
  it('weight noise (one seeded draw: the loss is smooth in the float copy)', async () => {
    expect(await checkGradients(new TrainModel(mlp.graph), set, { ...BASE, loss: 'mse', weightNoiseRel: 0.05 })).toBeLessThan(1e-5);
  });
  it('signal noise (per-sample seeded multipliers at every summator output)', async () => {
    expect(await checkGradients(new TrainModel(mlp.graph), set, { ...BASE, loss: 'cross-entropy', signalNoiseRel: 0.05 })).toBeLessThan(1e-5);
  });
  it('L1, L2, L1 on negative weights and the range penalty A max|w| / mean|w|', async () => {
    expect(await checkGradients(new TrainModel(mlp.graph), set, { ...BASE, loss: 'mse', l1: 0.01, l2: 0.02, l1Negative: 0.03, rangePenalty: 0.1 })).toBeLessThan(1e-5);
  });
  it('per-neuron transfer slopes (a mismatched chip) on the input and every summator', async () => {
    const model = new TrainModel(mlp.graph);
    const rng = new Rng(9);
    model.hooks.inputSlope = Float64Array.from({ length: 5 }, () => Math.exp(0.2 * rng.normal()));
    model.hooks.unitSlope = model.summingSteps.map((s) => Float64Array.from({ length: s.units! }, () => Math.exp(0.2 * rng.normal())));
    expect(await checkGradients(model, set, { ...BASE, loss: 'mse', weightNoiseRel: 0.02 })).toBeLessThan(1e-5);
  });

  it('quantization (straight-through): the gradient is the float model\'s gradient at the grid values', async () => {
    for (const grid of [valueGrid([-1, -0.5, 0, 0.5, 1]), signedBitsGrid(0.1, 0.8)]) {
      const model = new TrainModel(mlp.graph);
      const o = { ...BASE, loss: 'mse' as const, grid: () => grid };
      const { grads } = await lossAndGrad(model, set, o);
      // The float model at the grid values: finite differences there give the same gradient.
      const onGrid = new TrainModel(mlp.graph);
      onGrid.params.forEach((p, i) => grid.quantize(model.params[i].value, p.value, p.role === 'bias'));
      const ref = await lossAndGrad(onGrid, set, { ...BASE, loss: 'mse' });
      grads.forEach((g, i) => g.forEach((v, k) => expect(v).toBeCloseTo(ref.grads[i][k], 14)));
      expect(await checkGradients(onGrid, set, { ...BASE, loss: 'mse' })).toBeLessThan(1e-5);
    }
  });
});

describe('dense kernels', () => {
  it('blocked by four outputs, give the same bits as the plain loops (forward and backward, zero gradients skipped)', () => {
    // A dense layer over rows ([3, 7] -> [3, 9]: 9 outputs, two blocks of four and one left over), a ReLU (zero
    // gradients), and a readout; the plain loops below are the kernel before blocking.
    const g = new G(new Rng(31), [3, 7]);
    const h = g.dense(7, 9);
    g.act({ type: 'relu' }, h);
    g.push({ kind: 'reshape', shape: [27] } as never);
    g.dense(27, 6);
    const model = new TrainModel(g.graph());
    const ws = model.workspace();
    const grads = model.params.map((p) => new Float64Array(p.value.length));
    const rng = new Rng(5);
    const x = randn(rng, 21, 1);
    const dOut = randn(rng, 6, 1);
    model.forward(ws, x);
    model.backward(ws, dOut, grads);
    // Plain loops.
    const [W1, b1, W2, b2] = model.params.map((p) => p.value);
    const dense = (W: Float64Array, b: Float64Array, O: number, v: Float64Array) => {
      const K = W.length / O;
      const y = new Float64Array((v.length / K) * O);
      for (let r = 0; r < v.length / K; r++) for (let o = 0; o < O; o++) {
        let acc = b[o];
        for (let k = 0; k < K; k++) acc += W[o * K + k] * v[r * K + k];
        y[r * O + o] = acc;
      }
      return y;
    };
    const z = dense(W1, b1, 9, x);
    const a = z.map((v) => (v > 0 ? v : 0));
    const out = dense(W2, b2, 6, a);
    expect(Buffer.from(model.forward(ws, x).buffer).equals(Buffer.from(out.buffer))).toBe(true);
    const dW2 = new Float64Array(W2.length);
    const da = new Float64Array(27);
    for (let o = 0; o < 6; o++) for (let k = 0; k < 27; k++) {
      dW2[o * 27 + k] += dOut[o] * a[k];
      da[k] += dOut[o] * W2[o * 27 + k];
    }
    const dz = da.map((v, i) => (z[i] > 0 ? v : 0));
    const dW1 = new Float64Array(W1.length);
    for (let r = 0; r < 3; r++) for (let o = 0; o < 9; o++) {
      const d = dz[r * 9 + o];
      if (d === 0) continue;
      for (let k = 0; k < 7; k++) dW1[o * 7 + k] += d * x[r * 7 + k];
    }
    expect(dz.some((v) => v === 0)).toBe(true);
    expect(Buffer.from(grads[0].buffer).equals(Buffer.from(dW1.buffer))).toBe(true);
    expect(Buffer.from(grads[2].buffer).equals(Buffer.from(dW2.buffer))).toBe(true);
  });
});
