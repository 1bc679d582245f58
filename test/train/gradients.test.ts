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
import { testGraphs } from './graphs.js';
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
