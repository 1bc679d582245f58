// Worker threads for training: each holds a copy of the model and the training set; per batch the main thread sends
// the step's forward weights and a share of the batch's shards, and places the shard results by shard index. Which
// worker computed a shard does not change its bits, so the reduction (train.ts, in shard order) is worker-independent.

import { Worker } from 'node:worker_threads';
import type { TrainModel } from './model.js';
import type { LabelledSet, LossKind, SignalNoise } from './shard.js';
import type { BatchRequest, ShardResult } from './worker.js';

function workerEntry(): URL {
  const here = new URL(import.meta.url);
  return new URL(here.pathname.endsWith('.ts') ? './worker-dev.mjs' : './worker.js', here);
}

export class WorkerPool {
  private readonly workers: Worker[];
  constructor(model: TrainModel, set: LabelledSet, loss: LossKind, count: number) {
    const init = {
      graph: model.graph,
      logits: model.logits,
      set: { samples: set.samples, labels: set.labels },
      loss,
      unitSlope: model.hooks.unitSlope,
      inputSlope: model.hooks.inputSlope,
    };
    this.workers = Array.from({ length: count }, () => new Worker(workerEntry(), { workerData: init }));
  }

  /** Computes the shards (index, from, to) of `order`, spread over the workers; results in shard order. */
  async run(eff: Float64Array[], order: Int32Array, shards: [number, number, number][], scale: number, noise: SignalNoise | null): Promise<ShardResult[]> {
    const W = this.workers.length;
    const parts = this.workers.map((_, w) => shards.filter((_, k) => k % W === w));
    const out: ShardResult[] = new Array(shards.length);
    await Promise.all(this.workers.map((worker, w) => new Promise<void>((resolve, reject) => {
      if (parts[w].length === 0) return resolve();
      const onMessage = (res: ShardResult[]) => {
        worker.off('error', onError);
        for (const r of res) out[r.shard] = r;
        resolve();
      };
      const onError = (e: Error) => {
        worker.off('message', onMessage);
        reject(e);
      };
      worker.once('message', onMessage);
      worker.once('error', onError);
      const req: BatchRequest = { eff, order, shards: parts[w], scale, noise };
      worker.postMessage(req);
    })));
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
