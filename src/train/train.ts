// Training loop: seeded shuffling, mini-batches cut into fixed shards (train/shard.ts) computed inline or on worker
// threads, SGD with momentum or Adam, and the hardware-aware modes of the forward pass:
//   - quantization-aware training onto a weight grid (train/grid.ts): forward and backward on the grid values, the
//     update on the float copy (straight-through estimator; Binas's "dual-copy rounding" is the same scheme);
//   - weight noise w <- w (1 + eps), eps ~ N(0, rel^2) drawn per step (matched to the resistor tolerance), and signal
//     noise a <- a (1 + eps) at every summator's output per sample (patent FIG. 29F 2942); forward only;
//   - penalties: L1, L2, L1 on negative weights only (Binas: negative inputs slow the circuit), and the patent's range
//     penalty A * sum_layers max|w| / mean|w| (FIG. 29F 2944);
//   - per-neuron transfer slopes of a simulated chip (train/mismatch.ts) through TrainModel.hooks.
// Every random draw comes from a generator seeded by (seed, step, index): the result is the same bits whatever the
// worker count (test/train/determinism.test.ts).

import { usageError } from '../errors.js';
import { TRAIN_DEFAULTS } from '../presets/defaults.js';
import { TRAIN_MESSAGES as TM } from '../messages/train.js';
import { silentProgress, type Progress } from '../util/progress.js';
import { Rng } from '../util/random.js';
import type { LayerGrid } from './grid.js';
import { isBiasParam, isWeightParam, type Param, type TrainModel } from './model.js';
import { WorkerPool } from './parallel.js';
import { classOf, drawSignalNoise, mixSeed, sampleLoss, shardGradient, type LabelledSet, type LossKind, type SignalNoise } from './shard.js';

export type { LabelledSet, LossKind };

export interface TrainOptions {
  readonly loss: LossKind;
  readonly optimizer: 'adam' | 'sgd';
  readonly learningRate: number;
  /** SGD momentum (0: plain SGD). */
  readonly momentum: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly seed: number;
  /** Worker threads (1: inline). The result does not depend on it. */
  readonly workers: number;
  /** Samples per shard of a batch (fixed, so the reduction order does not depend on the workers). */
  readonly shardSize: number;
  readonly l1: number;
  readonly l2: number;
  /** L1 on negative weights only (Binas: 1e-6). */
  readonly l1Negative: number;
  /** A of the patent's range penalty A * sum_layers max|w| / mean|w|. */
  readonly rangePenalty: number;
  readonly weightNoiseRel: number;
  readonly signalNoiseRel: number;
  /** The weight grid of each parameter (quantization-aware training), or null for float; biases included. */
  readonly grid: ((p: Param) => LayerGrid | null) | null;
  readonly test?: LabelledSet;
  readonly progress?: Progress;
  /** Called after each epoch with its row of the learning curve. */
  readonly onEpoch?: (row: EpochRow) => void;
}

export { TRAIN_DEFAULTS };

export interface SetFigures {
  readonly loss: number;
  /** Fraction of samples whose class (argmax; > 0.5 for one output) equals the label. */
  readonly accuracy: number;
}

/** One row of the learning curve. */
export interface EpochRow {
  readonly epoch: number;
  /** Mean training loss over the epoch's batches (as trained: with the grid and the noise). */
  readonly trainLoss: number;
  /** Training set, nominal forward (grid values, no noise). */
  readonly train: SetFigures;
  readonly test: SetFigures | null;
  /** Test set under one seeded draw of the weight and signal noise (only with a noise mode). */
  readonly testNoisy: SetFigures | null;
}

export interface TrainResult {
  readonly history: EpochRow[];
  readonly steps: number;
}

function checkOptions(model: TrainModel, train: LabelledSet, o: TrainOptions): void {
  if (!(o.learningRate > 0) || !Number.isFinite(o.learningRate)) throw usageError(TM.badLearningRate(o.learningRate));
  if (!(o.momentum >= 0 && o.momentum < 1)) throw usageError(TM.badMomentum(o.momentum));
  if (!Number.isSafeInteger(o.epochs) || o.epochs < 0) throw usageError(TM.badEpochs(o.epochs));
  for (const k of ['batchSize', 'workers', 'shardSize'] as const) if (!Number.isSafeInteger(o[k]) || o[k] < 1) throw usageError(TM.badCount(k, o[k]));
  for (const k of ['l1', 'l2', 'l1Negative', 'rangePenalty'] as const) if (!(o[k] >= 0) || !Number.isFinite(o[k])) throw usageError(TM.badNonNegative(k, o[k]));
  for (const k of ['weightNoiseRel', 'signalNoiseRel'] as const) if (!(o[k] >= 0 && o[k] < 0.5)) throw usageError(TM.badRelative(k, o[k]));
  if (o.loss !== 'mse' && o.loss !== 'cross-entropy') throw usageError(TM.unknownLoss(String(o.loss)));
  if (o.optimizer !== 'adam' && o.optimizer !== 'sgd') throw usageError(TM.unknownOptimizer(String(o.optimizer)));
  if (o.loss === 'cross-entropy' && model.outputSize < 2) throw usageError(TM.crossEntropyOneOutput());
  checkSet(model, train, 'training');
  if (o.test) checkSet(model, o.test, 'test');
}

export function checkSet(model: TrainModel, set: LabelledSet, what: string): void {
  if (set.samples.length === 0) throw usageError(TM.emptySet(what));
  const classes = Math.max(model.outputSize, 2);
  set.labels.forEach((l, k) => {
    if (!(Number.isInteger(l) && l >= 0 && l < classes)) throw usageError(TM.labelOutOfRange(what, k, l, model.outputSize));
  });
}

/** Loss and accuracy of the model on a set with the current forward weights (eff) and no noise. */
export function evaluateSet(model: TrainModel, set: LabelledSet, loss: LossKind, noise: SignalNoise | null = null): SetFigures {
  const ws = model.workspace();
  const target = new Float64Array(model.outputSize);
  let total = 0;
  let right = 0;
  set.samples.forEach((x, s) => {
    if (noise) {
      // The same per-sample draw as training uses (shard.ts).
      drawSignalNoise(model, ws, noise, s);
    }
    const y = model.forward(ws, x);
    total += sampleLoss(y, set.labels[s], loss, target, null, 1);
    if (classOf(y) === set.labels[s]) right++;
  });
  return { loss: total / set.samples.length, accuracy: right / set.samples.length };
}

/** The forward weights of a step: grid values of the float copy, times (1 + eps) with weight noise. */
export class ForwardWeights {
  readonly grids: (LayerGrid | null)[];
  /** Per parameter, the noise multipliers of the current step (null: none). */
  readonly mult: (Float64Array | null)[];
  constructor(readonly model: TrainModel, readonly opts: Pick<TrainOptions, 'grid' | 'weightNoiseRel' | 'seed'>) {
    this.grids = model.params.map((p) => (opts.grid ? opts.grid(p) : null));
    this.mult = model.params.map(() => null);
  }
  /** Sets every param's eff for a step; noisy: with a fresh seeded weight-noise draw. */
  apply(step: number, noisy: boolean): void {
    this.model.params.forEach((p, i) => {
      const grid = this.grids[i];
      const rel = noisy ? this.opts.weightNoiseRel : 0;
      if (!grid && rel === 0) {
        p.eff = p.value;
        this.mult[i] = null;
        return;
      }
      const eff = p.eff === p.value ? new Float64Array(p.value.length) : p.eff;
      if (grid) grid.quantize(p.value, eff, isBiasParam(p));
      else eff.set(p.value);
      if (rel > 0) {
        const rng = new Rng(mixSeed(this.opts.seed, step, i, 0x77e1));
        const m = this.mult[i] && this.mult[i]!.length === eff.length ? this.mult[i]! : new Float64Array(eff.length);
        for (let k = 0; k < eff.length; k++) {
          m[k] = 1 + rel * rng.normal();
          eff[k] *= m[k];
        }
        this.mult[i] = m;
      } else this.mult[i] = null;
      p.eff = eff;
    });
    // A bias the circuit sums with a partner (a recurrent gate's Wb + Rb): the sum goes on the grid. The partner is on
    // it already; the bias becomes grid(bias + partner) - partner (straight-through: its gradient is unchanged).
    for (const c of this.model.summedBiases) {
      const grid = this.grids[c.bias.index];
      if (!grid || !this.grids[c.partner.index]) continue;
      const part = new Float64Array(c.partner.value.length);
      this.grids[c.partner.index]!.quantize(c.partner.value, part, true);
      const sum = Float64Array.from(c.bias.value, (v, k) => v + part[k]);
      const q = new Float64Array(sum.length);
      grid.quantize(sum, q, true);
      const m = this.mult[c.bias.index];
      for (const k of c.rows) c.bias.eff[k] = (q[k] - part[k]) * (m ? m[k] : 1);
    }
  }
}

/** Adds the penalty gradients (on the float copy of the weight matrices) to grads; returns the penalty. */
export function addPenalties(model: TrainModel, o: Pick<TrainOptions, 'l1' | 'l2' | 'l1Negative' | 'rangePenalty'>, grads: Float64Array[]): number {
  let pen = 0;
  for (const p of model.params) {
    if (!isWeightParam(p)) continue;
    const w = p.value;
    const g = grads[p.index];
    for (let i = 0; i < w.length; i++) {
      const v = w[i];
      if (o.l1 > 0) {
        pen += o.l1 * Math.abs(v);
        g[i] += o.l1 * Math.sign(v);
      }
      if (o.l2 > 0) {
        pen += o.l2 * v * v;
        g[i] += 2 * o.l2 * v;
      }
      if (o.l1Negative > 0 && v < 0) {
        pen -= o.l1Negative * v;
        g[i] -= o.l1Negative;
      }
    }
    if (o.rangePenalty > 0 && w.length > 0) {
      // A max|w| / mean|w|: d/dw_j = A sign(w_j) ([j = argmax] / mu - M / (n mu^2)).
      let at = 0;
      let sum = 0;
      for (let i = 0; i < w.length; i++) {
        sum += Math.abs(w[i]);
        if (Math.abs(w[i]) > Math.abs(w[at])) at = i;
      }
      const n = w.length;
      const mu = sum / n;
      if (mu > 0) {
        const M = Math.abs(w[at]);
        pen += (o.rangePenalty * M) / mu;
        const c = (o.rangePenalty * M) / (n * mu * mu);
        for (let i = 0; i < n; i++) g[i] -= c * Math.sign(w[i]);
        g[at] += (o.rangePenalty * Math.sign(w[at])) / mu;
      }
    }
  }
  return pen;
}

/** Fisher-Yates permutation of 0..n-1 from a seeded generator. */
export function shuffled(n: number, rng: Rng): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}

/**
 * The loss (data term averaged over the batch, plus penalties) and its gradient with respect to the float copy, for
 * the samples order[b0..b1) at a step whose forward weights `eff` has set: what one optimizer step uses.
 */
export async function batchGradient(model: TrainModel, eff: ForwardWeights, train: LabelledSet, order: Int32Array, b0: number, b1: number,
  o: Pick<TrainOptions, 'loss' | 'shardSize' | 'signalNoiseRel' | 'seed' | 'l1' | 'l2' | 'l1Negative' | 'rangePenalty'>, step: number,
  pool: WorkerPool | null = null, ws = model.workspace()): Promise<{ loss: number; grads: Float64Array[] }> {
  const P = model.params.length;
  const noise: SignalNoise | null = o.signalNoiseRel > 0 ? { rel: o.signalNoiseRel, seed: o.seed, step } : null;
  const scale = 1 / (b1 - b0);
  const shards: [number, number, number][] = [];
  for (let s0 = b0, k = 0; s0 < b1; s0 += o.shardSize, k++) shards.push([k, s0, Math.min(b1, s0 + o.shardSize)]);
  // Each shard sums its samples into zeroed arrays; the shards are then added in shard order.
  const results = pool
    ? await pool.run(model.params.map((p) => p.eff), order, shards, scale, noise)
    : shards.map(([shard, from, to]) => {
      const grads = model.params.map((p) => new Float64Array(p.value.length));
      return { shard, loss: shardGradient(model, ws, train, order, from, to, o.loss, scale, noise, grads), grads };
    });
  const grads = model.params.map((p) => new Float64Array(p.value.length));
  let batchLoss = 0;
  for (const r of results) {
    batchLoss += r.loss;
    for (let i = 0; i < P; i++) {
      const g = grads[i];
      const s = r.grads[i];
      for (let k = 0; k < g.length; k++) g[k] += s[k];
    }
  }
  // Back onto the float copy: straight through the grid, times (1 + eps) through the weight noise.
  for (let i = 0; i < P; i++) {
    const m = eff.mult[i];
    if (m) for (let k = 0; k < m.length; k++) grads[i][k] *= m[k];
  }
  return { loss: batchLoss * scale + addPenalties(model, o, grads), grads };
}

/** Trains the model in place (its params' value); returns the learning curve. */
export async function trainModel(model: TrainModel, train: LabelledSet, opts: TrainOptions): Promise<TrainResult> {
  checkOptions(model, train, opts);
  const o = opts;
  const progress = o.progress ?? silentProgress;
  const n = train.samples.length;
  const eff = new ForwardWeights(model, o);
  const m1 = model.params.map((p) => new Float64Array(p.value.length));
  const m2 = model.params.map((p) => new Float64Array(p.value.length));
  const pool = o.workers > 1 ? new WorkerPool(model, train, o.loss, o.workers) : null;
  const ws = model.workspace();
  const history: EpochRow[] = [];
  let step = 0;
  const batchesPerEpoch = Math.ceil(n / o.batchSize);
  try {
    const bar = progress.stage('training', o.epochs * batchesPerEpoch);
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      const order = shuffled(n, new Rng(mixSeed(o.seed, epoch, 0x5f)));
      let lossSum = 0;
      for (let b0 = 0; b0 < n; b0 += o.batchSize) {
        step++;
        const b1 = Math.min(n, b0 + o.batchSize);
        eff.apply(step, true);
        const { loss, grads } = await batchGradient(model, eff, train, order, b0, b1, o, step, pool, ws);
        lossSum += loss;
        update(model, o, grads, m1, m2, step);
        bar.tick();
      }
      eff.apply(0, false);
      const noisy = o.weightNoiseRel > 0 || o.signalNoiseRel > 0;
      let testNoisy: SetFigures | null = null;
      if (noisy && o.test) {
        eff.apply(mixSeed(o.seed, epoch, 0x7e57), true);
        testNoisy = evaluateSet(model, o.test, o.loss, o.signalNoiseRel > 0 ? { rel: o.signalNoiseRel, seed: o.seed, step: mixSeed(epoch, 0x7e57) } : null);
        eff.apply(0, false);
      }
      const row: EpochRow = {
        epoch,
        trainLoss: lossSum / batchesPerEpoch,
        train: evaluateSet(model, train, o.loss),
        test: o.test ? evaluateSet(model, o.test, o.loss) : null,
        testNoisy,
      };
      history.push(row);
      o.onEpoch?.(row);
    }
    bar.done();
  } finally {
    await pool?.close();
  }
  // The trained model carries its grid values: what the hardware realizes is what is exported.
  eff.apply(0, false);
  for (const p of model.params) {
    if (p.eff !== p.value) p.value.set(p.eff);
    p.eff = p.value;
  }
  return { history, steps: step };
}

function update(model: TrainModel, o: TrainOptions, grads: Float64Array[], m1: Float64Array[], m2: Float64Array[], t: number): void {
  const lr = o.learningRate;
  if (o.optimizer === 'sgd') {
    model.params.forEach((p, i) => {
      const w = p.value;
      const g = grads[i];
      const v = m1[i];
      for (let k = 0; k < w.length; k++) {
        v[k] = o.momentum * v[k] + g[k];
        w[k] -= lr * v[k];
      }
    });
    return;
  }
  const { adamBeta1: b1, adamBeta2: b2, adamEpsilon: eps } = TRAIN_DEFAULTS;
  const c1 = 1 - b1 ** t;
  const c2 = 1 - b2 ** t;
  model.params.forEach((p, i) => {
    const w = p.value;
    const g = grads[i];
    const m = m1[i];
    const v = m2[i];
    for (let k = 0; k < w.length; k++) {
      m[k] = b1 * m[k] + (1 - b1) * g[k];
      v[k] = b2 * v[k] + (1 - b2) * g[k] * g[k];
      w[k] -= (lr * (m[k] / c1)) / (Math.sqrt(v[k] / c2) + eps);
    }
  });
}
