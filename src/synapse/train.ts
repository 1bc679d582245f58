/**
 * Black-box training of a non-linear synapse network on its circuit curves (issue 16, C15; Yuzuguler et al., seed 002,
 * section 4.1 and Eq. 9).
 *
 * - Loss: softmax cross-entropy with the last layer's aggregated currents / currentScaleA (50e-6) as logits.
 * - Forward: model.ts (Newton per neuron), with the mismatch noise of Eq. 8 drawn afresh per sample (at `areaScale`).
 * - Backward: the exact gradient through the v = H(z) loop (model.ts; the seed's Eq. 6 drops its loop factor).
 * - Update (Eq. 9): M <- lambda M + gamma dC/dw; f = w - M; w = floor(f) + 1 with probability f - floor(f), else
 *   floor(f) (stochastic rounding, a seeded generator), then clamped to the weight generator's level range.
 *   lambda = 0.9 is ours: the seed's "Momentum optimizer with its default settings" has no default momentum.
 * - Model selection: every evalEvery iterations (and at the end) the noise-free validation accuracy is measured; the
 *   weights of the best (accuracy, then loss) are kept. Without a validation set, the last weights.
 * - Monte Carlo: a chip draws one standard-normal xi per synapse and keeps it for every sample; the same chips are
 *   used at every area scale (the spread scales as 1/sqrt(area), synapseSigmaA).
 *
 * Every random draw comes from generators seeded by (seed, purpose, index): same seed, same bits.
 */

import { inputError, usageError } from '../errors.js';
import { SYNAPSE_TRAIN_MESSAGES as SM } from '../messages/synapse-train.js';
import { SYNAPSE_TRAIN_DEFAULTS as D } from '../presets/defaults.js';
import { mixSeed, type LabelledSet } from '../train/shard.js';
import { Rng } from '../util/random.js';
import type { SynapseCurves } from './curves.js';
import { argmax, softmaxCrossEntropy, SynapseModel, zeroGradient, type GradientKind, type SynapseEncoding, type SynapseNetwork } from './model.js';
import type { EvalCounters } from './newton.js';

export interface SynapseTrainOptions {
  /** Hidden layer sizes (default [10, 10]: the seed's 4-10-10-3 on Iris). */
  readonly hidden?: readonly number[];
  readonly iterations?: number;
  readonly batchSize?: number;
  /** gamma of Eq. 9 (default 5.0). */
  readonly learningRate?: number;
  /** lambda of Eq. 9 (default 0.9, ours). */
  readonly momentum?: number;
  readonly currentScaleA?: number;
  readonly seed?: number;
  /** Mismatch noise in the forward pass (Eq. 8); default true. */
  readonly trainNoise?: boolean;
  /** Area scale of the training noise (default 1). */
  readonly areaScale?: number;
  /** 'exact' (default) or the seed's Eq. 6 as printed. */
  readonly gradient?: GradientKind;
  readonly newtonToleranceV?: number;
  readonly newtonMaxIterations?: number;
  /** Input current of a feature equal to 1 and the bias current (default: half the table's largest z). */
  readonly inputHighA?: number;
  readonly biasA?: number;
  readonly evalEvery?: number;
  /** The level every bias synapse starts at (default +2; null: seeded random in [-1, 1] like the other weights). */
  readonly initialBiasLevel?: number | null;
  /** A starting network (levels of the curves); default: seeded random levels in [-1, 1], the biases at level +2. */
  readonly initial?: SynapseNetwork;
  readonly validation?: LabelledSet;
  readonly test?: LabelledSet;
  /** Called with each history row as it is measured. */
  readonly onRow?: (row: SynapseHistoryRow) => void;
}

/** Figures of one labelled set under one network (noise-free unless a chip is given). */
export interface SynapseSetFigures {
  readonly samples: number;
  readonly correct: number;
  readonly accuracy: number;
  readonly loss: number;
  /** Newton over every neuron of every sample: the largest update count and residual, and how many did not converge. */
  readonly maxNewtonIterations: number;
  readonly meanNewtonIterations: number;
  readonly maxResidualV: number;
  readonly unconverged: number;
}

export interface SynapseHistoryRow {
  readonly iteration: number;
  /** Mean loss of the batches since the previous row, as trained (with noise). */
  readonly trainLossAsTrained: number;
  readonly train: SynapseSetFigures;
  readonly validation?: SynapseSetFigures;
}

/** The seed's interpolation costs per evaluation (section 3): F trilinear, H linear, a conventional synapse. */
export const INTERPOLATION_COSTS = {
  synapse: { reads: 11, mulDiv: 10, addSub: 20 },
  soma: { reads: 3, mulDiv: 2, addSub: 4 },
  conventionalSynapse: { reads: 2, mulDiv: 1, addSub: 0 },
} as const;

export interface InterpolationCost {
  readonly synapseEvals: number;
  readonly somaEvals: number;
  readonly sigmaEvals: number;
  /** The seed's per-evaluation costs times our counts (sigma lookups priced as F lookups). */
  readonly reads: number;
  readonly mulDiv: number;
  readonly addSub: number;
  /** What the same synapse operations cost a conventional (linear) network: one per synapse per sample pass. */
  readonly conventional: { readonly reads: number; readonly mulDiv: number };
}

export interface SynapseTrainResult {
  /** The trained network: integer weight levels. */
  readonly network: SynapseNetwork;
  readonly encoding: SynapseEncoding;
  /** Iteration whose weights were kept (the best validation row, or the last). */
  readonly keptIteration: number;
  readonly history: readonly SynapseHistoryRow[];
  readonly train: SynapseSetFigures;
  readonly validation?: SynapseSetFigures;
  readonly test?: SynapseSetFigures;
  /** Newton during training (noisy passes): largest update count, largest residual, unconverged neurons. */
  readonly trainingNewton: { readonly maxIterations: number; readonly meanIterations: number; readonly maxResidualV: number; readonly unconverged: number };
  readonly cost: InterpolationCost;
  readonly options: Required<Omit<SynapseTrainOptions, 'initial' | 'validation' | 'test' | 'onRow' | 'initialBiasLevel'>>;
}

export function costOf(c: EvalCounters, synapseOps: number): InterpolationCost {
  const S = INTERPOLATION_COSTS.synapse;
  const H = INTERPOLATION_COSTS.soma;
  const lookups = c.synapseEvals + c.sigmaEvals;
  return {
    synapseEvals: c.synapseEvals,
    somaEvals: c.somaEvals,
    sigmaEvals: c.sigmaEvals,
    reads: lookups * S.reads + c.somaEvals * H.reads,
    mulDiv: lookups * S.mulDiv + c.somaEvals * H.mulDiv,
    addSub: lookups * S.addSub + c.somaEvals * H.addSub,
    conventional: { reads: synapseOps * INTERPOLATION_COSTS.conventionalSynapse.reads, mulDiv: synapseOps * INTERPOLATION_COSTS.conventionalSynapse.mulDiv },
  };
}

/** The default encoding of a set of curves: inputs and biases at half the table's largest current. */
export function defaultEncoding(curves: SynapseCurves, o: { inputHighA?: number; biasA?: number; currentScaleA?: number } = {}): SynapseEncoding {
  const high = curves.zRangeA[1] * D.inputFractionOfRange;
  return { inputHighA: o.inputHighA ?? high, biasA: o.biasA ?? high, currentScaleA: o.currentScaleA ?? D.currentScaleA };
}

/** Checks that every weight of `net` is one of the curves' levels and the shape fits; throws a one-line input error. */
export function checkNetwork(net: SynapseNetwork, curves: SynapseCurves, what: string): void {
  const levels = new Set(curves.weightLevels);
  if (net.weights.length !== net.sizes.length - 1) throw inputError(SM.weightsShape(what, net.sizes.length - 1, net.weights.length));
  for (let l = 0; l < net.weights.length; l++) {
    const want = net.sizes[l + 1]! * (net.sizes[l]! + 1);
    if (net.weights[l]!.length !== want) throw inputError(SM.weightsLayerShape(what, l, want, net.weights[l]!.length));
    for (let k = 0; k < want; k++) {
      const w = net.weights[l]![k]!;
      if (!levels.has(w)) throw inputError(SM.weightOffLevel(what, l, k, w, curves.weightLevels));
    }
  }
}

function checkSet(set: LabelledSet, inputs: number, outputs: number, what: string): void {
  if (set.samples.length === 0) throw usageError(SM.emptySet(what));
  for (let k = 0; k < set.samples.length; k++) {
    if (set.samples[k]!.length !== inputs) throw inputError(SM.sampleWidth(what, k, set.samples[k]!.length, inputs));
    const y = set.labels[k]!;
    if (!Number.isInteger(y) || y < 0 || y >= outputs) throw inputError(SM.labelRange(what, k, y, outputs));
  }
}

function classesOf(sets: readonly (LabelledSet | undefined)[]): number {
  let max = 0;
  for (const s of sets) if (s) for (const y of s.labels) if (y > max) max = y;
  return max + 1;
}

/** Noise-free (or one chip's) figures of a set. */
export function evaluateSet(model: SynapseModel, net: SynapseNetwork, set: LabelledSet, chip: readonly Float64Array[] | null = null, areaScale = 1): SynapseSetFigures {
  const outputs = net.sizes[net.sizes.length - 1]!;
  const d = new Float64Array(outputs);
  let correct = 0;
  let loss = 0;
  let maxIt = 0;
  let totalIt = 0;
  let maxRes = 0;
  let unconverged = 0;
  let neurons = 0;
  for (let k = 0; k < set.samples.length; k++) {
    const z = model.forward(net, set.samples[k]!, chip, areaScale);
    loss += softmaxCrossEntropy(z, model.encoding.currentScaleA, set.labels[k]!, d);
    if (argmax(z) === set.labels[k]) correct++;
    const t = model.trace;
    maxIt = Math.max(maxIt, t.maxIterations);
    maxRes = Math.max(maxRes, t.maxResidualV);
    totalIt += t.totalIterations;
    unconverged += t.unconverged;
    neurons += net.sizes.slice(1).reduce((a, b) => a + b, 0);
  }
  const n = set.samples.length;
  return { samples: n, correct, accuracy: correct / n, loss: loss / n, maxNewtonIterations: maxIt, meanNewtonIterations: totalIt / neurons, maxResidualV: maxRes, unconverged };
}

/** One standard-normal draw per synapse: a Monte Carlo chip's mismatch (or one training pass's noise). */
export function drawChip(model: SynapseModel, rng: Rng, into?: Float64Array[]): Float64Array[] {
  const L = model.sizes.length - 1;
  const xi = into ?? Array.from({ length: L }, (_, l) => new Float64Array(model.synapseCount(l)));
  for (let l = 0; l < L; l++) {
    const a = xi[l]!;
    for (let k = 0; k < a.length; k++) a[k] = rng.normal();
  }
  return xi;
}

/** Eq. 9's stochastic rounding of f to an integer, then clamped to [lo, hi]. */
export function stochasticRound(f: number, u: number, lo: number, hi: number): number {
  const fl = Math.floor(f);
  const w = u < f - fl ? fl + 1 : fl;
  return Math.min(hi, Math.max(lo, w));
}

function resolved(o: SynapseTrainOptions) {
  const r = {
    hidden: o.hidden ?? D.hidden,
    iterations: o.iterations ?? D.iterations,
    batchSize: o.batchSize ?? D.batchSize,
    learningRate: o.learningRate ?? D.learningRate,
    momentum: o.momentum ?? D.momentum,
    currentScaleA: o.currentScaleA ?? D.currentScaleA,
    seed: o.seed ?? 1,
    trainNoise: o.trainNoise ?? true,
    areaScale: o.areaScale ?? D.areaScale,
    gradient: o.gradient ?? ('exact' as GradientKind),
    newtonToleranceV: o.newtonToleranceV ?? D.newtonToleranceV,
    newtonMaxIterations: o.newtonMaxIterations ?? D.newtonMaxIterations,
    inputHighA: o.inputHighA ?? Number.NaN,
    biasA: o.biasA ?? Number.NaN,
    evalEvery: o.evalEvery ?? D.evalEvery,
  };
  const count = (name: string, v: number, min: number) => {
    if (!Number.isInteger(v) || v < min) throw usageError(SM.badCount(name, v, min));
  };
  count('iterations', r.iterations, 0);
  count('batchSize', r.batchSize, 1);
  count('evalEvery', r.evalEvery, 1);
  count('newtonMaxIterations', r.newtonMaxIterations, 1);
  for (const h of r.hidden) count('hidden', h, 1);
  const positive = (name: string, v: number) => {
    if (!(v > 0) || !Number.isFinite(v)) throw usageError(SM.badPositive(name, v));
  };
  positive('learningRate', r.learningRate);
  positive('currentScaleA', r.currentScaleA);
  positive('areaScale', r.areaScale);
  positive('newtonToleranceV', r.newtonToleranceV);
  if (!(r.momentum >= 0 && r.momentum < 1)) throw usageError(SM.badMomentum(r.momentum));
  if (r.gradient !== 'exact' && r.gradient !== 'eq6') throw usageError(SM.badGradient(String(r.gradient)));
  if (o.inputHighA !== undefined) positive('inputHighA', o.inputHighA);
  if (o.biasA !== undefined) positive('biasA', o.biasA);
  return r;
}

/** Trains a network of the curves' synapses on `data` (features in [0, 1], integer class labels). */
export function trainSynapseNetwork(curves: SynapseCurves, data: LabelledSet, options: SynapseTrainOptions = {}): SynapseTrainResult {
  const o = resolved(options);
  if (data.samples.length === 0) throw usageError(SM.emptySet('training'));
  const inputs = data.samples[0]!.length;
  const outputs = options.initial ? options.initial.sizes[options.initial.sizes.length - 1]! : classesOf([data, options.validation, options.test]);
  const sizes = options.initial ? [...options.initial.sizes] : [inputs, ...o.hidden, Math.max(outputs, 2)];
  if (options.initial) {
    checkNetwork(options.initial, curves, 'starting');
    if (sizes[0] !== inputs) throw inputError(SM.startingInputs(sizes[0]!, inputs));
  }
  checkSet(data, inputs, sizes[sizes.length - 1]!, 'training');
  if (options.validation) checkSet(options.validation, inputs, sizes[sizes.length - 1]!, 'validation');
  if (options.test) checkSet(options.test, inputs, sizes[sizes.length - 1]!, 'test');

  const encoding = defaultEncoding(curves, { ...(options.inputHighA !== undefined ? { inputHighA: options.inputHighA } : {}), ...(options.biasA !== undefined ? { biasA: options.biasA } : {}), currentScaleA: o.currentScaleA });
  const newton = { toleranceV: o.newtonToleranceV, maxIterations: o.newtonMaxIterations };
  const model = new SynapseModel(curves, sizes, encoding, newton);
  const evalModel = new SynapseModel(curves, sizes, encoding, newton);
  const lo = Math.min(...curves.weightLevels);
  const hi = Math.max(...curves.weightLevels);

  const init = new Rng(mixSeed(o.seed, 1));
  const bias0 = options.initialBiasLevel === undefined ? D.initialBiasLevel : options.initialBiasLevel;
  const net: SynapseNetwork = options.initial
    ? { sizes, weights: options.initial.weights.map((w) => Float64Array.from(w)) }
    : { sizes, weights: zeroGradient(sizes).map((w, l) => w.map((_, k) => {
      const r = Math.max(lo, Math.min(hi, Math.floor(init.next() * 3) - 1));
      return bias0 !== null && k % (sizes[l]! + 1) === sizes[l]! ? Math.max(lo, Math.min(hi, bias0)) : r;
    })) };
  const momentum = zeroGradient(sizes);
  const grad = zeroGradient(sizes);
  const shuffle = new Rng(mixSeed(o.seed, 2));
  const noise = new Rng(mixSeed(o.seed, 3));
  const rounding = new Rng(mixSeed(o.seed, 4));
  const xi = o.trainNoise ? drawChip(model, noise) : null;
  const d = new Float64Array(sizes[sizes.length - 1]!);

  const n = data.samples.length;
  const order = Array.from({ length: n }, (_, k) => k);
  let cursor = n;
  const nextIndex = () => {
    if (cursor >= n) {
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(shuffle.next() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      cursor = 0;
    }
    return order[cursor++]!;
  };

  const history: SynapseHistoryRow[] = [];
  let best: { acc: number; loss: number; iteration: number; weights: Float64Array[] } | null = null;
  let lossSum = 0;
  let lossCount = 0;
  const tn = { maxIterations: 0, totalIterations: 0, neurons: 0, maxResidualV: 0, unconverged: 0 };
  const neuronsPerPass = sizes.slice(1).reduce((a, b) => a + b, 0);
  let synapseOps = 0;
  const synapsesPerPass = sizes.slice(1).reduce((a, b, l) => a + b * (sizes[l]! + 1), 0);

  const record = (iteration: number) => {
    const row: SynapseHistoryRow = {
      iteration,
      trainLossAsTrained: lossCount ? lossSum / lossCount : Number.NaN,
      train: evaluateSet(evalModel, net, data),
      ...(options.validation ? { validation: evaluateSet(evalModel, net, options.validation) } : {}),
    };
    lossSum = 0;
    lossCount = 0;
    history.push(row);
    options.onRow?.(row);
    const v = row.validation;
    if (v && (!best || v.accuracy > best.acc || (v.accuracy === best.acc && v.loss < best.loss))) {
      best = { acc: v.accuracy, loss: v.loss, iteration, weights: net.weights.map((w) => Float64Array.from(w)) };
    }
  };

  record(0);
  for (let it = 1; it <= o.iterations; it++) {
    for (const g of grad) g.fill(0);
    for (let b = 0; b < o.batchSize; b++) {
      const k = nextIndex();
      if (xi) drawChip(model, noise, xi);
      const z = model.forward(net, data.samples[k]!, xi, o.areaScale);
      const t = model.trace;
      tn.maxIterations = Math.max(tn.maxIterations, t.maxIterations);
      tn.maxResidualV = Math.max(tn.maxResidualV, t.maxResidualV);
      tn.totalIterations += t.totalIterations;
      tn.unconverged += t.unconverged;
      tn.neurons += neuronsPerPass;
      synapseOps += synapsesPerPass;
      lossSum += softmaxCrossEntropy(z, encoding.currentScaleA, data.labels[k]!, d);
      lossCount++;
      for (let j = 0; j < d.length; j++) d[j] = d[j]! / o.batchSize;
      model.backward(d, grad, o.gradient);
    }
    for (let l = 0; l < grad.length; l++) {
      const g = grad[l]!;
      const m = momentum[l]!;
      const w = net.weights[l]!;
      for (let k = 0; k < w.length; k++) {
        m[k] = o.momentum * m[k]! + o.learningRate * g[k]!;
        w[k] = stochasticRound(w[k]! - m[k]!, rounding.next(), lo, hi);
      }
    }
    if (it % o.evalEvery === 0 || it === o.iterations) record(it);
  }

  const kept = best as { iteration: number; weights: Float64Array[] } | null;
  const network: SynapseNetwork = { sizes, weights: kept ? kept.weights : net.weights };
  return {
    network,
    encoding,
    keptIteration: kept ? kept.iteration : o.iterations,
    history,
    train: evaluateSet(evalModel, network, data),
    ...(options.validation ? { validation: evaluateSet(evalModel, network, options.validation) } : {}),
    ...(options.test ? { test: evaluateSet(evalModel, network, options.test) } : {}),
    trainingNewton: { maxIterations: tn.maxIterations, meanIterations: tn.neurons ? tn.totalIterations / tn.neurons : 0, maxResidualV: tn.maxResidualV, unconverged: tn.unconverged },
    cost: costOf(model.counters, synapseOps),
    options: { ...o, inputHighA: encoding.inputHighA, biasA: encoding.biasA },
  };
}

export interface MonteCarloScale {
  readonly areaScale: number;
  /** Correct test samples of each chip, in run order. */
  readonly correct: readonly number[];
  readonly mean: number;
  /** Standard deviation over the runs (population), and the seed's error bar 2 sigma. */
  readonly std: number;
  readonly min: number;
  readonly max: number;
  readonly samples: number;
}

/**
 * Accuracy of a trained network under device mismatch: `runs` chips (one xi per synapse each, seeded by (seed, run)),
 * each measured on every sample of `set`, at each area scale (the same chips at every scale).
 */
export function monteCarloAccuracy(curves: SynapseCurves, net: SynapseNetwork, encoding: SynapseEncoding, set: LabelledSet, o: { runs?: number; areaScales?: readonly number[]; seed?: number; newtonToleranceV?: number; newtonMaxIterations?: number } = {}): MonteCarloScale[] {
  const runs = o.runs ?? D.monteCarloRuns;
  if (!Number.isInteger(runs) || runs < 1) throw usageError(SM.badCount('monteCarloRuns', runs, 1));
  const scales = o.areaScales ?? D.areaScales;
  for (const s of scales) if (!(s > 0) || !Number.isFinite(s)) throw usageError(SM.badPositive('areaScales', s));
  const model = new SynapseModel(curves, net.sizes, encoding, { toleranceV: o.newtonToleranceV ?? D.newtonToleranceV, maxIterations: o.newtonMaxIterations ?? D.newtonMaxIterations });
  const seed = o.seed ?? 1;
  return scales.map((areaScale) => {
    const correct: number[] = [];
    for (let r = 0; r < runs; r++) {
      const chip = drawChip(model, new Rng(mixSeed(seed, 5, r)));
      correct.push(evaluateSet(model, net, set, chip, areaScale).correct);
    }
    const mean = correct.reduce((a, b) => a + b, 0) / runs;
    const std = Math.sqrt(correct.reduce((a, b) => a + (b - mean) ** 2, 0) / runs);
    return { areaScale, correct, mean, std, min: Math.min(...correct), max: Math.max(...correct), samples: set.samples.length };
  });
}
