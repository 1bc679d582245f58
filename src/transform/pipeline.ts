// The compilation pipeline, as one ordered list. Data moves one way:
//
//   Graph --fold-batchnorm--> Graph --lower--> logical TNet --approx (opt.)--> --fan-in pyramids--> --fan-out trees-->
//         --signal limit (calibration data)--> TNet
//
//   fold-batchnorm   src/lower/fold-batchnorm.ts   BN into the conv/dense that feeds it
//   lower            src/lower/to-tnet.ts          exact sparse affine lowering: neurons at non-linearities only
//   approx           src/transform/approx.ts       Layer2TNNX_Approx, only with --approx p
//   fan-in           src/transform/pyramid.ts      Neuron2TNN1 pyramids: no neuron has more than N_I inputs
//   fan-out          src/transform/fanout.ts       Layer2TNNX buffer trees: no signal drives more than N_O neurons
//   signal limit     src/transform/rescale-signals.ts  exact rescaling: every signal within +-S on calibration data
//
// verifyTnet runs after every T-network pass (unless disabled), with the constraints that pass guarantees.

import { usageError } from '../errors.js';
import type { Graph } from '../ir/ops.js';
import { sizeOf } from '../ir/tensor.js';
import { foldBatchNorm } from '../lower/fold-batchnorm.js';
import { lowerToTnet } from '../lower/to-tnet.js';
import { verifyTnet, type VerifyOptions } from '../tnet/verify.js';
import type { TNet } from '../tnet/types.js';
import { Rng } from '../util/random.js';
import { approximateLayers, type ApproxMethod } from './approx.js';
import { limitFanOut } from './fanout.js';
import { limitFanIn } from './pyramid.js';
import { rescaleSignals, type SignalReport } from './rescale-signals.js';

export interface CompileOptions {
  /** Maximum inputs per neuron, N_I (>= 2). Default 100, the patent's. */
  readonly fanIn?: number;
  /** Maximum neurons one signal may drive, N_O (>= 2). Default 100. */
  readonly fanOut?: number;
  /** Signal limit S in volts: every signal stays within +-S on the calibration data. Default 5, the patent's. */
  readonly signalLimitV?: number;
  /** Calibration samples (flattened, per sample). Default: uniform random samples over inputRange. */
  readonly calibration?: readonly ArrayLike<number>[];
  /** Range of the uniform calibration samples when none are given. Default [0, 1]. */
  readonly inputRange?: readonly [number, number];
  /** Number of uniform calibration samples. Default 100. */
  readonly calibrationSamples?: number;
  /** Seed of the calibration sampler. Default 1. */
  readonly seed?: number;
  /** Layer2TNNX_Approx with p shared levels (p >= 1), or null for the exact construction. */
  readonly approx?: { readonly levels: number; readonly method: ApproxMethod } | null;
  /** Run verifyTnet after every pass. Default true. */
  readonly verify?: boolean;
}

export interface ResolvedOptions {
  readonly fanIn: number;
  readonly fanOut: number;
  readonly signalLimitV: number;
  readonly calibration: readonly ArrayLike<number>[];
  readonly calibrationSource: 'given' | 'uniform';
  readonly inputRange: readonly [number, number];
  readonly seed: number;
  readonly approx: { readonly levels: number; readonly method: ApproxMethod } | null;
  readonly verify: boolean;
}

export interface PassRecord {
  readonly pass: string;
  readonly changed: boolean;
  readonly notes: string[];
  readonly neurons: number;
  readonly connections: number;
}

export interface Compiled {
  /** The graph after graph-level passes (what the T-network's origins index). */
  readonly graph: Graph;
  /** The logical T-network before fan-in/fan-out limits and scaling (for comparison with the source). */
  readonly logical: TNet;
  readonly tnet: TNet;
  /** The source tensor the analog outputs realize (the graph output, or the input of a final Softmax). */
  readonly analogOutput: string;
  readonly options: ResolvedOptions;
  readonly passes: PassRecord[];
  readonly signals: SignalReport;
  readonly approxMatrixError: number | null;
}

function isInt(v: number, min: number): boolean {
  return Number.isSafeInteger(v) && v >= min;
}

export function resolveOptions(graph: Graph, o: CompileOptions): ResolvedOptions {
  const fanIn = o.fanIn ?? 100;
  const fanOut = o.fanOut ?? 100;
  const signalLimitV = o.signalLimitV ?? 5;
  if (!isInt(fanIn, 2)) throw usageError(`fan-in ${fanIn} is not possible: every neuron needs at least 2 inputs to build trees; use --fan-in 2 or more`);
  if (!isInt(fanOut, 2)) throw usageError(`fan-out ${fanOut} is not possible: a fan-out tree needs each neuron to drive at least 2 others; use --fan-out 2 or more`);
  if (!(signalLimitV > 0) || !Number.isFinite(signalLimitV)) throw usageError(`signal limit ${signalLimitV} V is not possible: it must be a positive number of volts (the patent uses 5)`);
  const inputRange = o.inputRange ?? [0, 1];
  if (!(Number.isFinite(inputRange[0]) && Number.isFinite(inputRange[1]) && inputRange[0] < inputRange[1])) {
    throw usageError(`input range ${inputRange[0]},${inputRange[1]} is empty or not finite; give it as lo,hi with lo < hi`);
  }
  const seed = o.seed ?? 1;
  if (!isInt(seed, 0)) throw usageError(`seed ${seed} must be a non-negative integer`);
  const approx = o.approx ?? null;
  if (approx && !isInt(approx.levels, 1)) throw usageError(`--approx ${approx.levels}: the number of shared levels p must be an integer >= 1 (omit it for the exact construction)`);
  const inSize = sizeOf(graph.input.shape);
  let calibration = o.calibration;
  let calibrationSource: 'given' | 'uniform' = 'given';
  if (calibration) {
    if (calibration.length === 0) throw usageError('the calibration set is empty; give at least one sample');
    calibration.forEach((s, k) => {
      if (s.length !== inSize) throw usageError(`calibration sample ${k} has ${s.length} values; the model input needs ${inSize}`);
    });
  } else {
    const count = o.calibrationSamples ?? 100;
    if (!isInt(count, 1)) throw usageError(`calibration sample count ${count} must be a positive integer`);
    const rng = new Rng(seed);
    calibration = Array.from({ length: count }, () => Float64Array.from({ length: inSize }, () => rng.uniform(inputRange[0], inputRange[1])));
    calibrationSource = 'uniform';
  }
  return { fanIn, fanOut, signalLimitV, calibration, calibrationSource, inputRange, seed, approx, verify: o.verify ?? true };
}

/** Compiles a validated source graph into a T-network that honours the constraints, exactly (or approximately with approx). */
export function compileGraph(source: Graph, options: CompileOptions = {}): Compiled {
  const opts = resolveOptions(source, options);
  const passes: PassRecord[] = [];
  const record = (pass: string, net: TNet, changed: boolean, notes: string[], verify: VerifyOptions) => {
    if (opts.verify) verifyTnet(net, verify);
    passes.push({ pass, changed, notes, neurons: net.neurons.count, connections: net.neurons.rowPtr[net.neurons.count] });
  };

  const folded = foldBatchNorm(source);
  const graph = folded.value;
  const lowered = lowerToTnet(graph);
  record('lower', lowered.net, true, [...folded.notes, ...lowered.notes], {});
  let net = lowered.net;
  let approxMatrixError: number | null = null;
  if (opts.approx) {
    const a = approximateLayers(net, { levels: opts.approx.levels, fanIn: opts.fanIn, method: opts.approx.method });
    approxMatrixError = a.relativeMatrixError;
    net = a.value;
    record('approx', net, a.changed, a.notes, {});
  }
  const fi = limitFanIn(net, opts.fanIn);
  net = fi.value;
  record('fan-in', net, fi.changed, fi.notes, { fanIn: opts.fanIn });
  const fo = limitFanOut(net, opts.fanOut);
  net = fo.value;
  record('fan-out', net, fo.changed, fo.notes, { fanIn: opts.fanIn, fanOut: opts.fanOut });
  const sl = rescaleSignals(net, opts.calibration, opts.signalLimitV);
  net = sl.value;
  record('signal-limit', net, sl.changed, sl.notes, { fanIn: opts.fanIn, fanOut: opts.fanOut });
  return { graph, logical: lowered.net, tnet: net, analogOutput: lowered.analogOutput, options: opts, passes, signals: sl.report, approxMatrixError };
}
