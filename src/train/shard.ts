// One shard of a mini-batch: the summed loss and parameter gradients of a fixed run of samples, computed the same way
// on the main thread and in a worker. A batch is cut into shards by position (shardSize samples each, whatever the
// number of workers) and the shard sums are added in shard order, so the gradient is the same bits for 1 or 8 workers.

import { Rng } from '../util/random.js';
import type { TrainModel, Workspace } from './model.js';

export type LossKind = 'mse' | 'cross-entropy';

export interface LabelledSet {
  readonly samples: readonly Float64Array[];
  readonly labels: readonly number[];
}

/** Signal noise of one step: a <- a (1 + eps) at every summing layer's output, eps ~ N(0, rel^2), forward only. */
export interface SignalNoise {
  readonly rel: number;
  readonly seed: number;
  readonly step: number;
}

/** A 32-bit seed from several integers (a multiply-xorshift mix; the same parts give the same seed). */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x01000193) >>> 0;
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
    h = Math.imul(h ^ (h >>> 12), 0x297a2d39) >>> 0;
    h = (h ^ (h >>> 15)) >>> 0;
  }
  return h;
}

/** The regression target of a label for MSE: one-hot over the outputs, or the label itself for a single output. */
export function targetOf(label: number, outputs: number, out: Float64Array): Float64Array {
  out.fill(0);
  if (outputs === 1) out[0] = label;
  else out[label] = 1;
  return out;
}

/**
 * Loss of one sample's output and, when `grad` is given, dLoss/dOutput scaled by `scale` (1 / batch length).
 * MSE: mean over outputs of (y - t)^2 (Keras's and Binas's). Cross-entropy: -log softmax(z)[label] on logits z.
 */
export function sampleLoss(y: Float64Array, label: number, loss: LossKind, target: Float64Array, grad: Float64Array | null, scale: number): number {
  const O = y.length;
  if (loss === 'mse') {
    targetOf(label, O, target);
    let l = 0;
    for (let i = 0; i < O; i++) {
      const d = y[i] - target[i];
      l += d * d;
      if (grad) grad[i] = (2 * d * scale) / O;
    }
    return l / O;
  }
  let max = -Infinity;
  for (let i = 0; i < O; i++) if (y[i] > max) max = y[i];
  let sum = 0;
  for (let i = 0; i < O; i++) sum += Math.exp(y[i] - max);
  const logZ = max + Math.log(sum);
  if (grad) for (let i = 0; i < O; i++) grad[i] = (Math.exp(y[i] - logZ) - (i === label ? 1 : 0)) * scale;
  return logZ - y[label];
}

/** Class of an output: argmax, or output > 0.5 for a single output. */
export function classOf(y: Float64Array): number {
  if (y.length === 1) return y[0] > 0.5 ? 1 : 0;
  let best = 0;
  for (let i = 1; i < y.length; i++) if (y[i] > y[best]) best = i;
  return best;
}

/** Draws the signal-noise multipliers of one sample into the workspace (null noise: none). */
export function drawSignalNoise(model: TrainModel, ws: Workspace, noise: SignalNoise | null, sample: number): void {
  if (!noise || noise.rel === 0) {
    ws.noise.fill(null);
    return;
  }
  const rng = new Rng(mixSeed(noise.seed, noise.step, sample, 0x516e));
  model.summingSteps.forEach((s, k) => {
    const n = s.noiseSize ?? model.slotSize[s.out];
    let m = ws.noise[k];
    if (!m || m.length !== n) m = ws.noise[k] = new Float64Array(n);
    for (let i = 0; i < n; i++) m[i] = 1 + noise.rel * rng.normal();
  });
}

/**
 * Adds the gradients of samples order[from..to) into `grads` (zeroed by the caller) and returns their summed loss;
 * each sample's gradient carries the factor `scale` (1 / batch length).
 */
export function shardGradient(model: TrainModel, ws: Workspace, set: LabelledSet, order: ArrayLike<number>, from: number, to: number, loss: LossKind,
  scale: number, noise: SignalNoise | null, grads: Float64Array[]): number {
  const target = new Float64Array(model.outputSize);
  const dOut = new Float64Array(model.outputSize);
  let total = 0;
  for (let k = from; k < to; k++) {
    const s = order[k];
    drawSignalNoise(model, ws, noise, s);
    const y = model.forward(ws, set.samples[s]);
    total += sampleLoss(y, set.labels[s], loss, target, dOut, scale);
    model.backward(ws, dOut, grads);
  }
  ws.noise.fill(null);
  return total;
}
