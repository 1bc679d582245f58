// Determinism: the same seed gives the same weights, bit for bit, whatever the number of worker threads (batches are
// cut into fixed shards by sample position and reduced in shard order; every random draw is seeded by step and
// sample index). Also: training learns (the loss falls on a separable toy task).

import { describe, expect, it } from 'vitest';
import { TrainModel } from '../../src/train/model.js';
import { trainModel, TRAIN_DEFAULTS, type TrainOptions } from '../../src/train/train.js';
import { Rng } from '../../src/util/random.js';
import { G, randn } from './graphs.js';

function task(n: number, seed: number) {
  const rng = new Rng(seed);
  const samples = Array.from({ length: n }, () => randn(rng, 4, 1));
  // Three classes by the sign pattern of two projections.
  const labels = samples.map((x) => (x[0] + x[1] > 0 ? (x[2] > 0 ? 2 : 1) : 0));
  return { samples, labels };
}

function net() {
  const g = new G(new Rng(11), [4]);
  g.dense(4, 8);
  g.act({ type: 'relu' });
  g.dense(8, 3);
  return g.graph();
}

const OPTS: TrainOptions = {
  ...TRAIN_DEFAULTS, loss: 'cross-entropy', learningRate: 0.01, epochs: 3, batchSize: 40, seed: 5, shardSize: 7,
  weightNoiseRel: 0.02, signalNoiseRel: 0.02, l1Negative: 1e-4, grid: null,
};

async function trained(workers: number): Promise<Float64Array[]> {
  const model = new TrainModel(net(), true);
  await trainModel(model, task(200, 1), { ...OPTS, workers });
  return model.params.map((p) => p.value);
}

describe('training determinism', () => {
  it('gives byte-identical weights with 1, 2 and 3 workers', async () => {
    const one = await trained(1);
    for (const w of [2, 3]) {
      const many = await trained(w);
      many.forEach((p, i) => expect(Buffer.from(p.buffer).equals(Buffer.from(one[i].buffer))).toBe(true));
    }
    // And the weights did move.
    const start = new TrainModel(net(), true).params;
    expect(one.some((p, i) => p.some((v, k) => v !== start[i].value[k]))).toBe(true);
  }, 60_000);

  it('reports progress: one stage of epochs x batches units, every unit ticked, and a learning-curve row per epoch', async () => {
    const log: string[] = [];
    let ticks = 0;
    const rows: number[] = [];
    const model = new TrainModel(net(), true);
    await trainModel(model, task(100, 4), {
      ...OPTS, epochs: 2, batchSize: 30, weightNoiseRel: 0, signalNoiseRel: 0,
      progress: { stage: (name, total) => (log.push(`${name} ${total}`), { tick: (n = 1) => void (ticks += n), done: () => void log.push('done') }) },
      onEpoch: (r) => rows.push(r.epoch),
    });
    expect(log).toEqual(['training 8', 'done']);
    expect(ticks).toBe(8);
    expect(rows).toEqual([1, 2]);
  });

  it('learns: the test loss falls and the accuracy rises above 90% on a separable task', async () => {
    const model = new TrainModel(net(), true);
    const r = await trainModel(model, task(400, 2), { ...OPTS, weightNoiseRel: 0, signalNoiseRel: 0, epochs: 30, test: task(200, 3) });
    const first = r.history[0];
    const last = r.history[r.history.length - 1];
    expect(last.test!.loss).toBeLessThan(first.test!.loss);
    expect(last.test!.accuracy).toBeGreaterThan(0.9);
  }, 60_000);
});
