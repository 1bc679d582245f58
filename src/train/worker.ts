// A training worker thread: holds its own TrainModel and the training set, and computes shard gradients for the batch
// the main thread sends (the effective weights of the step and the shards to do). See train/parallel.ts.

import { parentPort, workerData } from 'node:worker_threads';
import { TrainModel } from './model.js';
import { shardGradient, type LabelledSet, type LossKind, type SignalNoise } from './shard.js';
import type { Graph } from '../ir/ops.js';

interface Init {
  graph: Graph;
  logits: boolean;
  set: LabelledSet;
  loss: LossKind;
  unitSlope: (Float64Array | null)[];
  inputSlope: Float64Array | null;
}

export interface BatchRequest {
  eff: Float64Array[];
  order: Int32Array;
  /** Shards [index, from, to) of `order` this worker computes. */
  shards: [number, number, number][];
  scale: number;
  noise: SignalNoise | null;
}

export interface ShardResult {
  shard: number;
  loss: number;
  grads: Float64Array[];
}

const init = workerData as Init;
const model = new TrainModel(init.graph, init.logits);
model.hooks.unitSlope = init.unitSlope;
model.hooks.inputSlope = init.inputSlope;
const ws = model.workspace();

parentPort!.on('message', (req: BatchRequest) => {
  model.params.forEach((p, i) => (p.eff = req.eff[i]));
  const results: ShardResult[] = req.shards.map(([shard, from, to]) => {
    const grads = model.params.map((p) => new Float64Array(p.value.length));
    const loss = shardGradient(model, ws, init.set, req.order, from, to, init.loss, req.scale, req.noise, grads);
    return { shard, loss, grads };
  });
  parentPort!.postMessage(results, results.flatMap((r) => r.grads.map((g) => g.buffer as ArrayBuffer)));
});
