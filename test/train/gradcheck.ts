// The finite-difference gradient check the training tests share: the analytic gradient of a batch's loss (the
// trainer's own batchGradient, with the step's forward weights) against central differences of the same loss.

import { expect } from 'vitest';
import { sizeOf } from '../../src/ir/tensor.js';
import type { TrainModel } from '../../src/train/model.js';
import { ForwardWeights, batchGradient, type TrainOptions } from '../../src/train/train.js';
import type { LabelledSet } from '../../src/train/shard.js';
import { Rng } from '../../src/util/random.js';
import { randn } from './graphs.js';

export const BASE = { shardSize: 2, seed: 3, l1: 0, l2: 0, l1Negative: 0, rangePenalty: 0, signalNoiseRel: 0, weightNoiseRel: 0, grid: null };

export function dataFor(shape: number[], outputs: number, n: number, seed: number): LabelledSet {
  const rng = new Rng(seed);
  return {
    samples: Array.from({ length: n }, () => randn(rng, sizeOf(shape), 1)),
    labels: Array.from({ length: n }, (_, i) => i % Math.max(outputs, 2)),
  };
}

export type Opts = Pick<TrainOptions, 'loss' | 'shardSize' | 'signalNoiseRel' | 'seed' | 'l1' | 'l2' | 'l1Negative' | 'rangePenalty' | 'grid' | 'weightNoiseRel'>;

export async function lossAndGrad(model: TrainModel, set: LabelledSet, o: Opts): Promise<{ loss: number; grads: Float64Array[] }> {
  const eff = new ForwardWeights(model, o);
  eff.apply(5, true);
  const order = Int32Array.from(set.samples.keys());
  return batchGradient(model, eff, set, order, 0, set.samples.length, o, 5);
}

/** Max over parameters of |analytic - numeric|, relative to the largest |gradient|. */
export async function checkGradients(model: TrainModel, set: LabelledSet, o: Opts, h = 1e-5): Promise<number> {
  const { grads } = await lossAndGrad(model, set, o);
  let worst = 0;
  let scale = 0;
  for (const g of grads) for (const v of g) scale = Math.max(scale, Math.abs(v));
  for (const p of model.params) {
    // Every entry of small tensors, a spread of entries of larger ones.
    const stride = Math.max(1, Math.floor(p.value.length / 40));
    for (let k = 0; k < p.value.length; k += stride) {
      const v = p.value[k];
      p.value[k] = v + h;
      const up = (await lossAndGrad(model, set, o)).loss;
      p.value[k] = v - h;
      const down = (await lossAndGrad(model, set, o)).loss;
      p.value[k] = v;
      worst = Math.max(worst, Math.abs((up - down) / (2 * h) - grads[p.index][k]));
    }
  }
  expect(scale).toBeGreaterThan(0);
  return worst / scale;
}

