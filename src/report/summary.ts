// summary.json: what was compiled, under which constraints, on which sample sets, what came out, and the figures that
// judge it, each naming the set it was measured on. Field meanings are documented in docs/formats.md#summaryjson.
// The builder is pure: it formats analyses the flow computed once (flow/run.ts); `summarize` is the one-call form
// for library users who hold only a graph and a compilation.

import { API_MESSAGES as AM } from '../messages/index.js';
import { requireGraph } from '../ir/validate.js';
import { usageError } from '../errors.js';
import type { Graph } from '../ir/ops.js';
import { evaluate } from '../reference/evaluate.js';
import { percentile, type MonteCarloResult } from '../simulate/montecarlo.js';
import { perturbedWeights, trialSeed } from '../simulate/realized.js';
import { Rng } from '../util/random.js';
import type { ErrorFigures, ToleranceDistribution } from '../simulate/realized.js';
import type { SpiceVerification } from '../spice/verify.js';
import { finalOutputs, evaluateTnet, type TnetEvaluation } from '../tnet/evaluate.js';
import { signalDepths } from '../tnet/compact.js';
import { tnetStats, type TnetStats } from '../tnet/stats.js';
import { BLOCK } from '../tnet/blocks.js';
import { ROLES, type RoleName, type TNet } from '../tnet/types.js';
import { fanOutCounts } from '../tnet/verify.js';
import type { Compiled, PassRecord } from '../transform/pipeline.js';
import type { Realized, RealizationStats } from '../realize/realize.js';
import { calibrationEvaluation } from '../transform/rescale-signals.js';
import { inspectGraph } from './inspect.js';
import type { Verdict } from './verdicts.js';
import type { PruningSummary } from './pruning.js';

import type { EnergySummary } from '../simulate/energy.js';

export const VERSION = '0.2.0';

/** Which sample set a figure was measured on. */
export type SetName = 'calibration' | 'test';

export interface LayerSummary {
  /** Source node name (after batch-norm folding; a folded node is named after the conv/dense). */
  readonly name: string;
  /** Source op type(s), e.g. "Conv+BatchNormalization". */
  readonly op: string;
  /**
   * How the layer was built: direct, pyramid (fan-in trees), fan-out tree, trapezium (both), approx(p), composed (a
   * linear op with no neurons of its own: its weights live in its consumers), fused into <layer> (an activation
   * realized by the conv/dense neurons feeding it), digital tail (a final Softmax).
   */
  readonly construction: string;
  /** Summing neurons by role, and their total. */
  readonly neurons: Record<RoleName, number> & { total: number };
  /** Multiplier blocks (k x y cells, no resistors), counted apart from the neurons. */
  readonly multipliers: number;
  /** Connections into this layer's neurons. */
  readonly connections: number;
  readonly maxFanIn: number;
  readonly maxFanOut: number;
  /** Min and max neuron output over the calibration samples (volts), or null if the layer has no neurons. */
  readonly signalRangeV: [number, number] | null;
  /** The share of the ±S swing the layer uses on the calibration set: max |neuron output| / S, or null. */
  readonly swingShare: number | null;
  /** First and last neuron layer (depth) the layer's neurons occupy, or null. */
  readonly depth: [number, number] | null;
}

export interface Equivalence {
  /** Which samples: the calibration set (the rescaling is proven on it) or the held-out test set. */
  readonly on: SetName;
  readonly samples: number;
  /** max and mean |T-network - source| over samples and analog outputs (source units). */
  readonly maxAbsError: number;
  readonly meanAbsError: number;
  /** The same after the digital tail (equal to the above when there is none). */
  readonly maxAbsErrorFinal: number;
  /**
   * Neuron outputs (over all samples) driven beyond a rail by more than 1e-12 relative, then clipped: 0 on the
   * calibration set by construction; on the test set, a count of signal-limit violations on unseen data.
   */
  readonly railHits: number;
}

export interface SetSummary {
  readonly samples: number;
  readonly from: 'file' | 'uniform' | 'given';
  /** The file's name (without its directory, so the summary does not depend on where the file was). */
  readonly file: string | null;
  readonly inputRange: [number, number] | null;
  readonly seed: number | null;
  readonly labelled: boolean;
}

export interface Summary {
  readonly tool: { readonly name: 'ohmnet'; readonly version: string };
  /** name: what the report calls the model (modelTitle); graphName: the ONNX graph's own name. */
  readonly model: { readonly name: string; readonly graphName: string; readonly origin: string; readonly file: string | null };
  readonly source: { readonly layers: number; readonly parameters: number; readonly macs: number };
  readonly constraints: { readonly fanIn: number; readonly fanOut: number; readonly signalLimit: number };
  readonly sets: { readonly calibration: SetSummary; readonly test: SetSummary | null };
  readonly construction: { readonly approx: { readonly levels: number; readonly method: string; readonly relativeMatrixError: number } | null };
  /** The network before fan-in/fan-out limits: the lowering of the source alone. */
  readonly beforeLimits: { readonly layers: number; readonly neurons: number; readonly connections: number };
  readonly tnet: TnetStats & { readonly maxAbsSignal: number; readonly inputGain: number; readonly outputScales: { readonly min: number; readonly max: number } };
  readonly digitalTail: { readonly kind: string; readonly axes: number[] } | null;
  /** The time axis of a recurrent model's network (null for a feed-forward one). */
  readonly clock?: ClockSummary | null;
  /** Equivalence of the T-network with the source on the calibration set and, when given, the test set. */
  readonly equivalence: { readonly calibration: Equivalence; readonly test: Equivalence | null };
  /** Per source layer; signal ranges are measured on the calibration set. */
  readonly layers: LayerSummary[];
  readonly passes: readonly PassRecord[];
}

/** A clocked network's time axis and its blocks by kind (summators by activation, multipliers, delays by length). */
export interface ClockSummary {
  /** Clock ticks per sample: the sequence length. */
  readonly ticks: number;
  /** Ticks at which the analog outputs are read. */
  readonly readTicks: readonly number[];
  readonly summators: number;
  readonly summatorsByActivation: Readonly<Record<string, number>>;
  readonly multipliers: number;
  /** Delay blocks by their delay in ticks, ascending; a k-tick delay is k sample-and-hold pairs. */
  readonly delaysByTicks: readonly { readonly ticks: number; readonly count: number }[];
  /** The ticks at which delays first pass their source on (a stream that starts late: a Conv1D's first window). */
  readonly stateStartTicks: readonly number[];
}

/** The clock part of the summary from the network and its counts (tnetStats: summators by activation, multipliers). */
export function clockSummary(net: TNet, stats: TnetStats): ClockSummary | null {
  if (!net.clock) return null;
  const n = net.neurons;
  const delays = new Map<number, number>();
  const starts = new Set<number>();
  for (let i = 0; i < n.count; i++) {
    if (n.block[i] !== BLOCK.delay) continue;
    delays.set(n.paramA[i], (delays.get(n.paramA[i]) ?? 0) + 1);
    starts.add(n.paramB[i]);
  }
  return {
    ticks: net.clock.ticks, readTicks: [...net.clock.readTicks], summators: stats.blocks.neuron,
    summatorsByActivation: Object.fromEntries(Object.entries(stats.neuronsByActivation).filter(([, k]) => k > 0)), multipliers: stats.blocks.multiplier,
    delaysByTicks: [...delays].sort((a, b) => a[0] - b[0]).map(([ticks, count]) => ({ ticks, count })), stateStartTicks: [...starts].sort((a, b) => a - b),
  };
}

/** Error figures of the realized network against the source model, on a named set. */
export type MeasuredFigures = ErrorFigures & { readonly on: SetName; readonly samples: number };

export interface RealizationSummary {
  readonly series: string;
  readonly rangeOhm: [number, number];
  /** The set's values when it is not a standard series (custom file or optimal search), else null. */
  readonly setValuesOhm: number[] | null;
  readonly feedback: { readonly mode: string; readonly per: string; readonly byLayer: RealizationStats['feedbackByLayer'] };
  readonly vRefV: number;
  readonly toleranceRel: number;
  readonly toleranceDistribution: ToleranceDistribution;
  readonly resistors: number;
  readonly weightResistors: number;
  readonly normalizingResistors: number;
  readonly normalizingOutsideRange: number;
  /** Resistors of any role outside rangeOhm (0 for a buildable circuit). */
  readonly outsideRange: number;
  readonly distinctValues: number;
  /** Value -> count of every resistor in netlist.cir, ascending (also bom.csv). */
  readonly billOfMaterials: RealizationStats['billOfMaterials'];
  /** The multiplier cells (ohm_mul in netlist.cir, no resistors) by coefficient k, ascending; [] when there are none. */
  readonly multiplierCells: RealizationStats['multiplierCells'];
  readonly openConnections: number;
  readonly neuronsWithGain: number;
  readonly weightError: { readonly mean: number; readonly max: number };
  readonly converters: { readonly dacBits: number | null; readonly adcBits: number | null };
  /** The realized network with nominal resistor values (and converters), against the source model. */
  readonly nominal: MeasuredFigures;
  readonly monteCarlo: null | {
    readonly on: SetName;
    readonly samples: number;
    readonly trials: number;
    readonly seed: number;
    readonly mse: MonteCarloResult['mse'];
    readonly maxAbsError: MonteCarloResult['maxAbsError'];
    readonly classAgreement: MonteCarloResult['classAgreement'];
    readonly accuracy: MonteCarloResult['accuracy'];
  };
}

/** Task accuracy against the labels of a set, for every stage of the flow. */
export interface AccuracySummary {
  readonly on: SetName;
  readonly samples: number;
  readonly source: number;
  readonly tnet: number;
  readonly realized: number;
  /** Over the Monte Carlo trials (mean, p5, p95, worst), or null without Monte Carlo. */
  readonly monteCarlo: MonteCarloResult['accuracy'];
}

/** SPICE figures as summary.json keeps them: without the wall time, so the same compile gives the same file. */
export type SpiceFigures = Omit<SpiceVerification, 'seconds'> & { readonly on: SetName };

/** Where the options came from (the config file in use) and the layers compiled with options of their own. */
export interface OptionsSummary {
  /** The config file the options were read from (its file name), or null. */
  readonly config: string | null;
  readonly layers: readonly {
    readonly layer: string;
    readonly fanIn: number;
    readonly fanOut: number;
    readonly series: string;
    readonly feedback: string;
    readonly toleranceRel: number;
    /** Neurons of the layer (partial sums and buffers included), all realized with these options. */
    readonly neurons: number;
  }[];
}

/** summary.json as `compile` writes it: the T-network summary, the realization, accuracy and SPICE agreement. */
export interface FullSummary extends Summary {
  /** One pass/fail line per check against its threshold (report/verdicts.ts); [] when the caller computed none. */
  readonly verdicts: readonly Verdict[];
  readonly realization: RealizationSummary;
  readonly accuracy: AccuracySummary | null;
  readonly spice: SpiceFigures | null;
  readonly options: OptionsSummary;
  /** The command line that reproduces the run (POSIX shell quoting), or "library call" when no CLI ran. */
  readonly command: string;
  /** Per-layer output error of the realized circuit against the ideal network, or null when not measured. */
  readonly layerError?: LayerErrorSummary | null;
  /** Per-layer spread of the neuron outputs over Monte Carlo trials, or null without Monte Carlo. */
  readonly layerSensitivity?: LayerSensitivitySummary | null;
  /** With pruning only: the circuit before and after, and each pruning step (report/pruning.ts). */
  readonly pruning?: PruningSummary;
  /** compile --energy: latency, energy with and without power gating, the op-amp model (docs/formats.md); absent otherwise. */
  readonly energy?: EnergySummary;
}

/** Most Monte Carlo trials and samples the per-layer sensitivity replays (each trial is one more evaluation). */
export const SENSITIVITY_TRIALS = 20;
export const SENSITIVITY_SAMPLES = 16;

export interface LayerSensitivitySummary {
  readonly on: SetName;
  readonly samples: number;
  /** Trials replayed: the first SENSITIVITY_TRIALS of the Monte Carlo (the same draws, seed (s, k)). */
  readonly trials: number;
  /**
   * Per source layer with neurons: the deviation of its neuron outputs from their nominal values over the trials,
   * samples and neurons: RMS (volts), and the 95th percentile over trials of each trial's max |deviation|.
   */
  readonly layers: readonly { readonly name: string; readonly rmsDeviationV: number; readonly p95MaxDeviationV: number; readonly rmsDeviationRel: number }[];
}

/** Replays the first Monte Carlo trials with every signal kept and measures each layer's spread around nominal. */
export function layerSensitivity(on: SetName, r: Realized, samples: readonly ArrayLike<number>[], trials: number, seed: number, toleranceRel: number, dist: ToleranceDistribution, signalLimitV: number): LayerSensitivitySummary {
  const net = r.tnet;
  const used = samples.slice(0, SENSITIVITY_SAMPLES);
  const nominal: Float64Array[] = [];
  evaluateTnet(net, used, { weight: r.weight, bias: r.bias, onTick: (_t, v) => nominal.push(v.slice()) });
  const k = net.origins.length;
  const S = used.length;
  const T = Math.min(trials, SENSITIVITY_TRIALS);
  const sumSq = new Float64Array(k);
  const count = new Float64Array(k);
  const maxPerTrial = Array.from({ length: k }, () => [] as number[]);
  for (let t = 0; t < T; t++) {
    const w = perturbedWeights(r, new Rng(trialSeed(seed, t)), toleranceRel, dist);
    const mx = new Float64Array(k);
    evaluateTnet(net, used, {
      weight: w.weight, bias: w.bias,
      onTick: (tick, v) => addLayerDeviations(net, S, v, nominal[tick], mx, sumSq, count),
    });
    for (let o = 0; o < k; o++) maxPerTrial[o].push(mx[o]);
  }
  const layers = net.origins.flatMap((origin, o) => {
    if (count[o] === 0) return [];
    const rms = Math.sqrt(sumSq[o] / count[o]);
    return [{ name: origin.name, rmsDeviationV: rms, p95MaxDeviationV: percentile([...maxPerTrial[o]].sort((a, b) => a - b), 0.95), rmsDeviationRel: rms / signalLimitV }];
  });
  return { on, samples: S, trials: T, layers };
}

/**
 * Adds one clock tick's |signal - reference| of every neuron to its source layer's figures (max, sum of squares,
 * count; indexed by origin): `v` and `ref` hold every signal of S samples (evaluateTnet's onTick layout).
 */
function addLayerDeviations(net: TNet, S: number, v: ArrayLike<number>, ref: ArrayLike<number>, max: Float64Array, sumSq: Float64Array, count: Float64Array): void {
  const n = net.neurons;
  for (let i = 0; i < n.count; i++) {
    const o = n.origin[i];
    if (o < 0) continue;
    const base = (net.inputCount + i) * S;
    for (let j = 0; j < S; j++) {
      const d = Math.abs(v[base + j] - ref[base + j]);
      if (d > max[o]) max[o] = d;
      sumSq[o] += d * d;
      count[o]++;
    }
  }
}

/** Most samples of the evaluation set the per-layer output error is measured on (it holds every signal per sample). */
export const LAYER_ERROR_SAMPLES = 64;

export interface LayerErrorSummary {
  /** The evaluation set, and how many of its samples (the first LAYER_ERROR_SAMPLES at most). */
  readonly on: SetName;
  readonly samples: number;
  /**
   * Per source layer with neurons: the realized circuit's neuron outputs (nominal resistor values, ideal op-amps)
   * against the T-network's with exact weights (which equals the float64 reference within the equivalence error),
   * over the layer's neurons, samples and clock ticks: max |error| and RMS in volts and relative to S.
   */
  readonly layers: readonly { readonly name: string; readonly maxAbsErrorV: number; readonly rmsErrorV: number; readonly maxAbsErrorRel: number; readonly rmsErrorRel: number }[];
  /** A clocked network's figures per clock tick, on the same samples; absent for a feed-forward network. */
  readonly ticks?: TickFigures;
}

/** Per clock tick (index = tick), over the samples: the realized circuit against the ideal network, and its range. */
export interface TickFigures {
  /** Ticks at which the analog outputs are read (the others are internal steps of the sequence). */
  readonly readTicks: readonly number[];
  /** max |realized - ideal| over the analog output signals (volts), at every tick. */
  readonly outputMaxAbsErrorV: readonly number[];
  /** max |realized - ideal| over every block output (volts). */
  readonly signalMaxAbsErrorV: readonly number[];
  /** Lowest and highest block output of the ideal network (volts). */
  readonly signalMinV: readonly number[];
  readonly signalMaxV: readonly number[];
}

/** Measures LayerErrorSummary: two evaluations of the first LAYER_ERROR_SAMPLES samples that keep every signal. */
export function layerOutputError(on: SetName, net: TNet, weight: Float64Array, bias: Float64Array, samples: readonly ArrayLike<number>[], signalLimitV: number): LayerErrorSummary {
  const used = samples.slice(0, LAYER_ERROR_SAMPLES);
  const ideal: Float64Array[] = [];
  evaluateTnet(net, used, { onTick: (_t, v) => ideal.push(v.slice()) });
  const k = net.origins.length;
  const maxErr = new Float64Array(k);
  const sumSq = new Float64Array(k);
  const count = new Float64Array(k);
  const S = used.length;
  const ticks = net.clock ? { outErr: [] as number[], sigErr: [] as number[], lo: [] as number[], hi: [] as number[] } : null;
  const first = net.inputCount * S;
  evaluateTnet(net, used, {
    weight, bias,
    onTick: (t, v) => {
      addLayerDeviations(net, S, v, ideal[t], maxErr, sumSq, count);
      if (!ticks) return;
      const ref = ideal[t];
      let outErr = 0;
      for (const sig of net.outputSignal) for (let j = 0; j < S; j++) outErr = Math.max(outErr, Math.abs(v[sig * S + j] - ref[sig * S + j]));
      let sigErr = 0;
      let lo = Infinity;
      let hi = -Infinity;
      for (let k = first; k < v.length; k++) {
        sigErr = Math.max(sigErr, Math.abs(v[k] - ref[k]));
        if (ref[k] < lo) lo = ref[k];
        if (ref[k] > hi) hi = ref[k];
      }
      ticks.outErr.push(outErr);
      ticks.sigErr.push(sigErr);
      ticks.lo.push(S > 0 && v.length > first ? lo : 0);
      ticks.hi.push(S > 0 && v.length > first ? hi : 0);
    },
  });
  const limit = signalLimitV;
  const layers = net.origins.flatMap((origin, o) => {
    if (count[o] === 0) return [];
    const rms = Math.sqrt(sumSq[o] / count[o]);
    return [{ name: origin.name, maxAbsErrorV: maxErr[o], rmsErrorV: rms, maxAbsErrorRel: maxErr[o] / limit, rmsErrorRel: rms / limit }];
  });
  if (!ticks) return { on, samples: S, layers };
  return { on, samples: S, layers, ticks: { readTicks: [...net.clock!.readTicks], outputMaxAbsErrorV: ticks.outErr, signalMaxAbsErrorV: ticks.sigErr, signalMinV: ticks.lo, signalMaxV: ticks.hi } };
}

export function addRealization(s: Summary, realization: RealizationSummary, spice: (SpiceVerification & { on?: SetName }) | null, accuracy: AccuracySummary | null = null, options: OptionsSummary = { config: null, layers: [] }, verdicts: readonly Verdict[] = [], command: string | null = null): FullSummary {
  let figures: SpiceFigures | null = null;
  if (spice) {
    const { seconds: _seconds, ...rest } = spice;
    figures = { ...rest, on: spice.on ?? 'calibration' };
  }
  // The verdicts open the file: the first thing a reader sees is whether the circuit passed.
  return { verdicts, ...s, realization, accuracy, spice: figures, options, command: command ?? 'library call' };
}

function constructionOf(op: string, roles: Record<RoleName, number>, total: number, approxLevels: number | null, fusedInto: string | null, multipliers: number): string {
  if (fusedInto !== null) return `fused into ${fusedInto}`;
  if (multipliers > 0) return total === 0 ? 'multipliers' : 'multipliers and neurons';
  if (total === 0) return op === 'Softmax' ? 'digital tail' : 'composed';
  if (roles.shared > 0) return `approx(${approxLevels})`;
  if (roles.partialSum > 0 && roles.buffer > 0) return 'trapezium';
  if (roles.partialSum > 0) return 'pyramid';
  if (roles.buffer > 0) return 'fan-out tree';
  return 'direct';
}

export function layerTable(graph: Graph, net: TNet, min: Float64Array, max: Float64Array, approxLevels: number | null, signalLimitV: number): LayerSummary[] {
  const n = net.neurons;
  const depth = signalDepths(net);
  const fo = fanOutCounts(net);
  const rows = graph.nodes.map(() => ({
    roles: Object.fromEntries(ROLES.map((r) => [r, 0])) as Record<RoleName, number>,
    connections: 0, maxFanIn: 0, maxFanOut: 0, lo: Infinity, hi: -Infinity, d0: Infinity, d1: -Infinity, total: 0, multipliers: 0, blocks: 0,
  }));
  for (let i = 0; i < n.count; i++) {
    const o = n.origin[i];
    if (o < 0) continue;
    const r = rows[o];
    const s = net.inputCount + i;
    r.blocks++;
    if (n.block[i] === BLOCK.neuron) {
      r.total++;
      r.roles[ROLES[n.role[i]]]++;
    } else if (n.block[i] === BLOCK.multiplier) r.multipliers++;
    const k = n.rowPtr[i + 1] - n.rowPtr[i];
    r.connections += k;
    r.maxFanIn = Math.max(r.maxFanIn, k);
    r.maxFanOut = Math.max(r.maxFanOut, fo[s]);
    r.lo = Math.min(r.lo, min[s]);
    r.hi = Math.max(r.hi, max[s]);
    r.d0 = Math.min(r.d0, depth[s]);
    r.d1 = Math.max(r.d1, depth[s]);
  }
  return graph.nodes.map((node, o) => {
    const r = rows[o];
    const origin = net.origins[o];
    const fused = origin.fusedInto !== undefined ? net.origins[origin.fusedInto].name : null;
    return {
      name: node.name,
      op: origin.op,
      construction: constructionOf(node.sourceOp, r.roles, r.total, approxLevels, fused, r.multipliers),
      neurons: { ...r.roles, total: r.total },
      multipliers: r.multipliers,
      connections: r.connections,
      maxFanIn: r.maxFanIn,
      maxFanOut: r.maxFanOut,
      signalRangeV: r.blocks > 0 ? [r.lo, r.hi] : null,
      swingShare: r.blocks > 0 ? Math.max(Math.abs(r.lo), Math.abs(r.hi)) / signalLimitV : null,
      depth: r.blocks > 0 ? [r.d0, r.d1] : null,
    };
  });
}

/** Equivalence of a T-network evaluation with the source's analog-output reference on one set. */
export function equivalenceOf(on: SetName, net: TNet, ev: TnetEvaluation, referenceAnalog: readonly Float64Array[]): Equivalence {
  let maxErr = 0;
  let sumErr = 0;
  let count = 0;
  let maxFinal = 0;
  ev.analog.forEach((y, k) => {
    const ref = referenceAnalog[k];
    for (let j = 0; j < y.length; j++) {
      const d = Math.abs(y[j] - ref[j]);
      maxErr = Math.max(maxErr, d);
      sumErr += d;
      count++;
    }
    // The source's final Softmax is the same function the tail applies: no second evaluation of the source.
    const refFinal = net.tail ? finalOutputs(net, ref) : ref;
    ev.outputs[k].forEach((v, j) => (maxFinal = Math.max(maxFinal, Math.abs(v - refFinal[j]))));
  });
  return { on, samples: ev.analog.length, maxAbsError: maxErr, meanAbsError: count > 0 ? sumErr / count : 0, maxAbsErrorFinal: maxFinal, railHits: ev.stats?.railHits ?? 0 };
}

export interface SummaryInput {
  readonly source: Graph;
  readonly compiled: Compiled;
  /** The model file's name (no directory), or null. */
  readonly file: string | null;
  readonly sets: Summary['sets'];
  /** The T-network on the calibration set, with signal statistics (the signal-limit pass's proof run). */
  readonly calibrationEvaluation: TnetEvaluation;
  readonly equivalence: Summary['equivalence'];
}

/**
 * Graph and model names exporters write by default (torch.onnx.export, older torch, tf2onnx, onnx helpers; Keras'
 * and TF.js' sequential, functional, model, with or without a _<k> counter): they name no model.
 */
export const EXPORTER_DEFAULT_NAMES: readonly string[] = ['torch_jit', 'torch-jit-export', 'main_graph', 'tf2onnx', 'graph', 'model', 'sequential', 'functional'];

/**
 * The model's title: the graph's name, or the file's name without extension when the graph's is an exporter default
 * or empty (a TF.js model.json, named dir/model.json, gives its directory's name).
 */
export function modelTitle(graphName: string, file: string | null): string {
  const n = graphName.trim().toLowerCase();
  const generic = n === '' || EXPORTER_DEFAULT_NAMES.includes(n) || /^(sequential|functional|model)_\d+$/.test(n);
  if (!generic || file === null) return graphName;
  const parts = file.split(/[\\/]/).filter(Boolean);
  const last = parts.pop() ?? '';
  if (last.toLowerCase() === 'model.json' && parts.length > 0) return parts.pop()!;
  return last.replace(/\.(onnx|keras|h5|hdf5|json)$/i, '') || graphName;
}

/** Builds the summary from analyses computed elsewhere (no evaluation here). */
export function buildSummary(input: SummaryInput): Summary {
  const { source, compiled, file } = input;
  const { tnet, options } = compiled;
  const st = input.calibrationEvaluation.stats;
  if (!st) throw new Error('buildSummary needs the calibration evaluation with signal statistics');
  let maxSignal = 0;
  for (let s = 0; s < st.min.length; s++) maxSignal = Math.max(maxSignal, Math.abs(st.min[s]), Math.abs(st.max[s]));
  const stats = tnetStats(tnet);
  const logical = tnetStats(compiled.logical);
  const src = inspectGraph(source).totals;
  let scaleMin = Infinity;
  let scaleMax = 0;
  for (const sc of tnet.outputScale) {
    scaleMin = Math.min(scaleMin, Math.abs(sc));
    scaleMax = Math.max(scaleMax, Math.abs(sc));
  }
  return {
    tool: { name: 'ohmnet', version: VERSION },
    model: { name: modelTitle(source.name, file), graphName: source.name, origin: source.origin, file },
    source: { layers: src.layers, parameters: src.parameters, macs: src.macs },
    constraints: { fanIn: options.fanIn, fanOut: options.fanOut, signalLimit: options.signalLimitV },
    sets: input.sets,
    construction: { approx: options.approx ? { levels: options.approx.levels, method: options.approx.method, relativeMatrixError: compiled.approxMatrixError ?? 0 } : null },
    beforeLimits: { layers: logical.layers, neurons: logical.neurons, connections: logical.connections },
    tnet: { ...stats, maxAbsSignal: Math.min(maxSignal, options.signalLimitV), inputGain: tnet.inputGain, outputScales: { min: scaleMin, max: scaleMax } },
    digitalTail: tnet.tail ? { kind: tnet.tail.kind, axes: [...tnet.tail.axes] } : null,
    // Only a clocked network has the key: a feed-forward summary.json stays as it was.
    ...(tnet.clock ? { clock: clockSummary(tnet, stats) } : {}),
    equivalence: input.equivalence,
    layers: layerTable(compiled.graph, tnet, st.min, st.max, options.approx?.levels ?? null, options.signalLimitV),
    passes: compiled.passes,
  };
}

/**
 * The summary of a compilation measured on its calibration samples (the one-call form: evaluates the source once
 * and reuses the signal-limit pass's evaluation of the T-network).
 */
export function summarize(source: Graph, compiled: Compiled, file: string | null): Summary {
  requireGraph(source);
  if (typeof compiled !== 'object' || compiled === null || typeof compiled.tnet !== 'object' || compiled.tnet === null) throw usageError(AM.badArgument('summarize', 'the result of compileGraph'));
  const { tnet, options } = compiled;
  const samples = options.calibration;
  const ref = evaluate(source, samples, { tensor: compiled.analogOutput }).outputs;
  const ev = calibrationEvaluation(compiled.analyses, tnet) ?? evaluateTnet(tnet, samples, { collectStats: true });
  const uniform = options.calibrationSource === 'uniform';
  return buildSummary({
    source, compiled, file,
    sets: {
      calibration: { samples: samples.length, from: uniform ? 'uniform' : 'given', file: null, inputRange: uniform ? [options.inputRange[0], options.inputRange[1]] : null, seed: uniform ? options.seed : null, labelled: false },
      test: null,
    },
    calibrationEvaluation: ev,
    equivalence: { calibration: equivalenceOf('calibration', tnet, ev, ref), test: null },
  });
}
