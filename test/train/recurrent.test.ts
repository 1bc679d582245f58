// Recurrent cells in the training core (train/recurrent.ts): the forward pass equals ohmnet's reference evaluator
// (reference/recurrent.ts) to 1e-12, and backpropagation through time equals central finite differences of the same
// loss (relative 1e-5 of the largest gradient, as test/train/gradients.test.ts and for the same reason) for every cell
// kind and variant (RNN tanh/ReLU, LSTM with sigmoid and hard-sigmoid gates, each of Y / Y_h / Y_c, GRU with
// linear_before_reset 0 and 1, initial states, one source node read twice) and for each hardware-aware mode that acts
// on a recurrent layer: weight noise, signal noise at the gate summators, the penalties, per-unit transfer slopes,
// and the weight grid (straight-through: the gradient is the float model's at the forward weights).

import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/reference/evaluate.js';
import { valueGrid } from '../../src/train/grid.js';
import { TrainModel } from '../../src/train/model.js';
import type { LossKind } from '../../src/train/shard.js';
import { trainModel, TRAIN_DEFAULTS } from '../../src/train/train.js';
import { Rng } from '../../src/util/random.js';
import { BASE, checkGradients, dataFor, lossAndGrad } from './gradcheck.js';
import { recurrentGraphs } from './graphs.js';

const cases = recurrentGraphs().map((c) => [c.name, c] as const);

describe('recurrent training forward pass', () => {
  it.each(cases)('%s equals the reference evaluator', (_n, c) => {
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

describe('backpropagation through time (central differences)', () => {
  for (const [name, c] of cases) {
    for (const loss of ['mse', 'cross-entropy'] as LossKind[]) {
      it(`${name}, ${loss}`, async () => {
        const model = new TrainModel(c.graph, loss === 'cross-entropy');
        const set = dataFor([...c.graph.input.shape], c.outputs, 3, 2);
        expect(await checkGradients(model, set, { ...BASE, loss })).toBeLessThan(1e-5);
      });
    }
  }

  it('a source node read twice has one set of parameters, and the trained graph shares them again', () => {
    const c = recurrentGraphs().find((g) => g.name.includes('read twice'))!;
    const model = new TrainModel(c.graph);
    expect(model.params.filter((p) => p.node === c.graph.nodes[0].name).map((p) => p.role)).toEqual(['weight', 'recurrence', 'bias', 'recurrenceBias']);
    expect(model.params.some((p) => p.node === c.graph.nodes[1].name)).toBe(false);
    const [a, b] = model.toGraph().nodes as unknown as { weight: { data: Float64Array }; recurrenceBias: Float64Array }[];
    expect(a.weight.data).toBe(b.weight.data);
    expect(a.recurrenceBias).toBe(b.recurrenceBias);
  });

  describe.each(['lstm, sequence', 'gru linear_before_reset 0, sequence', 'gru linear_before_reset 1, last hidden', 'rnn tanh, sequence'])('hardware-aware modes on %s', (name) => {
    const c = cases.find(([n]) => n === name)![1];
    const set = dataFor([...c.graph.input.shape], c.outputs, 3, 3);
    it('weight noise (one seeded draw)', async () => {
      expect(await checkGradients(new TrainModel(c.graph), set, { ...BASE, loss: 'mse', weightNoiseRel: 0.05 })).toBeLessThan(1e-5);
    });
    it('signal noise at every gate summator, per step', async () => {
      const model = new TrainModel(c.graph, true);
      // The noise reaches the cell: the loss differs from the noiseless one.
      const quiet = await lossAndGrad(model, set, { ...BASE, loss: 'cross-entropy' });
      const noisy = await lossAndGrad(model, set, { ...BASE, loss: 'cross-entropy', signalNoiseRel: 0.05 });
      expect(noisy.loss).not.toBe(quiet.loss);
      expect(await checkGradients(model, set, { ...BASE, loss: 'cross-entropy', signalNoiseRel: 0.05 })).toBeLessThan(1e-5);
    });
    it('L1, L2, L1 on negative weights and the range penalty on W and R', async () => {
      const model = new TrainModel(c.graph);
      // The penalties reach the recurrent matrices: the penalized loss is larger.
      const plain = await lossAndGrad(model, set, { ...BASE, loss: 'mse' });
      const o = { ...BASE, loss: 'mse' as const, l1: 0.01, l2: 0.02, l1Negative: 0.03, rangePenalty: 0.1 };
      expect((await lossAndGrad(model, set, o)).loss).toBeGreaterThan(plain.loss);
      expect(await checkGradients(model, set, o)).toBeLessThan(1e-5);
    });
    it('per-unit transfer slopes on the gate summators', async () => {
      const model = new TrainModel(c.graph);
      const rng = new Rng(9);
      model.hooks.unitSlope = model.summingSteps.map((s) => Float64Array.from({ length: s.units! }, () => Math.exp(0.2 * rng.normal())));
      expect(await checkGradients(model, set, { ...BASE, loss: 'mse', weightNoiseRel: 0.02 })).toBeLessThan(1e-5);
    });
    it('a weight grid on W, R and the summed biases (straight-through)', async () => {
      const grid = valueGrid([-1, -0.5, -0.25, 0, 0.25, 0.5, 1]);
      const model = new TrainModel(c.graph);
      const o = { ...BASE, loss: 'mse' as const, grid: () => grid };
      const { grads } = await lossAndGrad(model, set, o);
      // The forward weights: W and R on the grid, and each summed bias Wb + Rb (Rb on the grid, Wb the difference).
      const onGrid = new TrainModel(c.graph);
      onGrid.params.forEach((p, i) => p.value.set(model.params[i].eff));
      const q = new Float64Array(1);
      const on = (v: number) => (grid.quantize(Float64Array.of(v), q, false), Math.abs(q[0] - v) < 1e-15);
      for (const p of model.params) if (p.role !== 'bias') expect([...p.eff].every(on)).toBe(true);
      for (const sb of model.summedBiases) for (const k of sb.rows) expect(on(sb.bias.eff[k] + sb.partner.eff[k])).toBe(true);
      const ref = await lossAndGrad(onGrid, set, { ...BASE, loss: 'mse' });
      grads.forEach((g, i) => g.forEach((v, k) => expect(v).toBeCloseTo(ref.grads[i][k], 14)));
      expect(await checkGradients(onGrid, set, { ...BASE, loss: 'mse' })).toBeLessThan(1e-5);
    });
  });
});

describe('recurrent training', () => {
  it('learns a sequence task and gives the same bits with 1 and 2 workers', async () => {
    // Class = sign of the sum of the first feature over the sequence (needs memory across steps).
    const rng = new Rng(4);
    const samples = Array.from({ length: 120 }, () => Float64Array.from({ length: 12 }, () => rng.normal()));
    const labels = samples.map((x) => (x[0] + x[3] + x[6] + x[9] > 0 ? 1 : 0));
    const c = recurrentGraphs().find((g) => g.name === 'lstm, sequence')!;
    const run = async (workers: number) => {
      const model = new TrainModel(c.graph, true);
      const r = await trainModel(model, { samples, labels }, { ...TRAIN_DEFAULTS, loss: 'cross-entropy', learningRate: 0.03, epochs: 8, batchSize: 20, seed: 2, workers, shardSize: 7, signalNoiseRel: 0.01, grid: null });
      return { model, r };
    };
    const one = await run(1);
    const two = await run(2);
    one.model.params.forEach((p, i) => expect(Buffer.from(p.value.buffer).equals(Buffer.from(two.model.params[i].value.buffer))).toBe(true));
    const h = one.r.history;
    expect(h[h.length - 1].train.loss).toBeLessThan(0.7 * h[0].train.loss);
    expect(h[h.length - 1].train.accuracy).toBeGreaterThan(0.8);
  }, 60_000);
});
