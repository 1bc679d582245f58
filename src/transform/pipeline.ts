// The compilation pipeline, as one ordered list of passes built from the options (as the TypeScript compiler builds
// its transformer list). Data moves one way:
//
//   Graph --fold-batchnorm--> Graph --lower--> logical TNet --approx (opt.)--> --fan-in pyramids--> --fan-out trees-->
//         --signal limit (calibration data)--> TNet
//
//   fold-batchnorm   src/lower/fold-batchnorm.ts        BN into the conv/dense that feeds it (exact)
//   lower            src/lower/to-tnet.ts               exact sparse affine lowering: neurons at non-linearities only
//   approx           src/transform/approx.ts            Layer2TNNX_Approx, only with approx p (lossy)
//   prune-*, extract-*, fold-identity  src/transform/prune.ts  pruning and knowledge extraction, only if asked (C8)
//   fan-in           src/transform/pyramid.ts           Neuron2TNN1 pyramids: no neuron has more than N_I inputs
//   fan-out          src/transform/fanout.ts            Layer2TNNX buffer trees: no signal drives more than N_O neurons
//   signal-limit     src/transform/rescale-signals.ts   exact rescaling: every signal within +-S on calibration data
//   block-constants  src/transform/block-constants.ts   fixed sigmoid/tanh block constants (presets), only if asked
//
// The pass manager (src/pass/manager.ts) runs the list: verifyTnet after every pass with the constraints that pass
// guarantees, a record per pass, and under debug a differential check of every pass and a dump of its output.

import { API_MESSAGES as AM } from '../messages/index.js';
import { requireGraph } from '../ir/validate.js';
import { usageError } from '../errors.js';
import { OPTION_MESSAGES as OM, TRANSFORM_MESSAGES as TM } from '../messages/index.js';
import type { Graph } from '../ir/ops.js';
import { sizeOf } from '../ir/tensor.js';
import { foldBatchNorm } from '../lower/fold-batchnorm.js';
import { ANALOG_OUTPUT, lowerPass } from '../lower/to-tnet.js';
import { runPipeline, type DebugHooks, type PassTiming } from '../pass/manager.js';
import { AnalysisCache, type Pass, type PassRecord } from '../pass/types.js';
import { DEFAULTS } from '../presets/defaults.js';
import type { TNet } from '../tnet/types.js';
import { Rng } from '../util/random.js';
import { approxPass, type ApproxMethod } from './approx.js';
import { fanOutPass } from './fanout.js';
import { blockConstantsPass } from './block-constants.js';
import type { ActivationBlock } from '../presets/blocks.js';
import { fanInPass, limitsByName } from './pyramid.js';
import { SIGNAL_REPORT, signalLimitPass, type SignalReport } from './rescale-signals.js';
import { PRUNE_PASS_NAMES, prunePasses, resolvePruneOptions, type PruneOptions } from './prune.js';

export type { PassRecord } from '../pass/types.js';

export const APPROX_METHODS = ['patent', 'svd'] as const;

export interface CompileOptions {
  /** Maximum inputs per neuron, N_I (>= 2). Default 100, the patent's. */
  readonly fanIn?: number;
  /** Maximum neurons one signal may drive, N_O (>= 2). Default 100. */
  readonly fanOut?: number;
  /** Signal limit S in volts: every signal stays within +-S on the calibration data. Default 5, the patent's. */
  readonly signalLimitV?: number;
  /**
   * Fraction of the signal limit kept free on the calibration data (0..0.9): signals scaled from data stay within
   * S (1 - headroom), a margin for unseen inputs. Default 0.
   */
  readonly signalHeadroomRel?: number;
  /** Calibration samples (flattened, per sample, in model units). Default: uniform random samples over inputRange. */
  readonly calibration?: readonly ArrayLike<number>[];
  /** Range of the uniform calibration samples when none are given, in model input units. Default [0, 1]. */
  readonly inputRange?: readonly [number, number];
  /** Number of uniform calibration samples. Default 100. */
  readonly calibrationSamples?: number;
  /** Seed of the calibration sampler. Default 1. */
  readonly seed?: number;
  /** Layer2TNNX_Approx with p shared levels (p >= 1), or null for the exact construction. */
  readonly approx?: { readonly levels: number; readonly method: ApproxMethod } | null;
  /** Run the verifiers after every pass. Default true. */
  readonly verify?: boolean;
  /** Debug hooks: differential check of every pass and dumps (see pass/manager.ts). Default none. */
  readonly debug?: DebugHooks | null;
  /** Fan-in / fan-out limits of single source layers, by layer (source node) name; the others keep fanIn/fanOut. */
  readonly layers?: Readonly<Record<string, LayerLimits>>;
  /** Fixed constants of every sigmoid block A/(1+exp(-B v)) (presets/blocks.ts), or null: chosen per neuron. */
  readonly sigmoidBlock?: ActivationBlock | null;
  /** Fixed constants of every tanh block A tanh(B v), or null: chosen per neuron. */
  readonly tanhBlock?: ActivationBlock | null;
  /** Pruning and knowledge extraction steps with their thresholds (transform/prune.ts), or null: none. */
  readonly prune?: PruneOptions | null;
}

export interface LayerLimits {
  readonly fanIn?: number;
  readonly fanOut?: number;
}

export interface ResolvedOptions {
  readonly fanIn: number;
  readonly fanOut: number;
  readonly signalLimitV: number;
  readonly signalHeadroomRel: number;
  readonly calibration: readonly ArrayLike<number>[];
  readonly calibrationSource: 'given' | 'uniform';
  readonly inputRange: readonly [number, number];
  readonly seed: number;
  readonly approx: { readonly levels: number; readonly method: ApproxMethod } | null;
  readonly verify: boolean;
  /** Per-layer limits by layer name, validated (every value an integer >= 2); {} when none. */
  readonly layers: Readonly<Record<string, LayerLimits>>;
  readonly sigmoidBlock: ActivationBlock | null;
  readonly tanhBlock: ActivationBlock | null;
  readonly prune: PruneOptions | null;
}

/** One pruning pass's output (the logical network after it, in model units) for per-step measurements. */
export interface PruneStepNet {
  readonly pass: string;
  readonly net: TNet;
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
  /** Analyses the passes computed (the calibration evaluation of `tnet`, ...), for the stages after compilation. */
  readonly analyses: AnalysisCache;
  /** Wall time per pass (not part of any output file). */
  readonly timings: PassTiming[];
  /** The logical network before pruning and after each pruning pass, in order ([] without pruning). */
  readonly pruneSteps: readonly PruneStepNet[];
}

/** Upper bound of uniform calibration samples drawn when none are given (each is a full input vector). */
export const MAX_UNIFORM_CALIBRATION_SAMPLES = 1_000_000;

function isInt(v: number, min: number, max = Number.MAX_SAFE_INTEGER): boolean {
  return Number.isSafeInteger(v) && v >= min && v <= max;
}

/** The compile options without the samples, resolved against DEFAULTS and validated. */
export function resolveCompileScalars(o: Omit<CompileOptions, 'calibration' | 'debug'>): Omit<ResolvedOptions, 'calibration' | 'calibrationSource' | 'layers' | 'sigmoidBlock' | 'tanhBlock' | 'prune'> & { readonly calibrationSamples: number } {
  const fanIn = o.fanIn ?? DEFAULTS.fanIn;
  const fanOut = o.fanOut ?? DEFAULTS.fanOut;
  const signalLimitV = o.signalLimitV ?? DEFAULTS.signalLimitV;
  if (!isInt(fanIn, 2)) throw usageError(TM.badFanIn(fanIn));
  if (!isInt(fanOut, 2)) throw usageError(TM.badFanOut(fanOut));
  if (!(signalLimitV > 0) || !Number.isFinite(signalLimitV)) throw usageError(TM.badSignalLimit(signalLimitV));
  const signalHeadroomRel = o.signalHeadroomRel ?? DEFAULTS.signalHeadroomRel;
  if (!(signalHeadroomRel >= 0 && signalHeadroomRel <= 0.9)) throw usageError(TM.badSignalHeadroom(signalHeadroomRel));
  const inputRange = o.inputRange ?? DEFAULTS.inputRange;
  if (!(Number.isFinite(inputRange[0]) && Number.isFinite(inputRange[1]) && inputRange[0] < inputRange[1])) {
    throw usageError(TM.badInputRange(inputRange[0], inputRange[1]));
  }
  const seed = o.seed ?? DEFAULTS.seed;
  if (!isInt(seed, 0, 2 ** 32 - 1)) throw usageError(OM.badSeed(seed));
  const approx = o.approx ?? null;
  if (approx && !isInt(approx.levels, 1)) throw usageError(TM.badApproxLevels(approx.levels));
  if (approx && !(APPROX_METHODS as readonly string[]).includes(approx.method)) throw usageError(OM.notOneOf('approxMethod', approx.method, APPROX_METHODS));
  const calibrationSamples = o.calibrationSamples ?? DEFAULTS.calibrationSamples;
  if (!isInt(calibrationSamples, 1, MAX_UNIFORM_CALIBRATION_SAMPLES)) throw usageError(TM.badCalibrationCount(calibrationSamples, MAX_UNIFORM_CALIBRATION_SAMPLES));
  return { fanIn, fanOut, signalLimitV, signalHeadroomRel, inputRange: [inputRange[0], inputRange[1]], seed, approx, verify: o.verify ?? true, calibrationSamples };
}

/** Per-layer limits validated like the global ones (sorted by name, so records print the same for the same options). */
export function resolveLayerLimits(layers: Readonly<Record<string, LayerLimits>> | undefined): Readonly<Record<string, LayerLimits>> {
  const out: Record<string, LayerLimits> = {};
  for (const name of Object.keys(layers ?? {}).sort()) {
    const l = layers![name];
    if (l.fanIn !== undefined && !isInt(l.fanIn, 2)) throw usageError(TM.badFanIn(l.fanIn));
    if (l.fanOut !== undefined && !isInt(l.fanOut, 2)) throw usageError(TM.badFanOut(l.fanOut));
    out[name] = { ...(l.fanIn !== undefined ? { fanIn: l.fanIn } : {}), ...(l.fanOut !== undefined ? { fanOut: l.fanOut } : {}) };
  }
  return out;
}

export function resolveOptions(graph: Graph, o: CompileOptions): ResolvedOptions {
  const { calibrationSamples: count, ...scalars } = resolveCompileScalars(o);
  const layers = resolveLayerLimits(o.layers);
  const { inputRange, seed } = scalars;
  const inSize = sizeOf(graph.input.shape);
  let calibration = o.calibration;
  let calibrationSource: 'given' | 'uniform' = 'given';
  if (calibration) {
    if (calibration.length === 0) throw usageError(TM.calibrationEmpty());
    calibration.forEach((s, k) => {
      if (s.length !== inSize) throw usageError(TM.calibrationLength(k, s.length, inSize));
      for (let j = 0; j < s.length; j++) if (!Number.isFinite(s[j])) throw usageError(TM.calibrationNonFinite(k, j, s[j]));
    });
  } else {
    if (count * inSize > 2 ** 28) throw usageError(TM.tooManyUniformSamples(count, inSize));
    const rng = new Rng(seed);
    calibration = Array.from({ length: count }, () => Float64Array.from({ length: inSize }, () => rng.uniform(inputRange[0], inputRange[1])));
    calibrationSource = 'uniform';
  }
  const block = (b: ActivationBlock | null | undefined, which: string): ActivationBlock | null => {
    if (!b) return null;
    if (!(Number.isFinite(b.amplitudeV) && b.amplitudeV !== 0 && Number.isFinite(b.slopePerV) && b.slopePerV !== 0)) throw usageError(TM.badBlockConstants(which, b.amplitudeV, b.slopePerV));
    return b;
  };
  return { ...scalars, calibration, calibrationSource, layers, sigmoidBlock: block(o.sigmoidBlock, 'sigmoidBlock'), tanhBlock: block(o.tanhBlock, 'tanhBlock'), prune: resolvePruneOptions(o.prune ?? null) };
}

/** The graph-level batch-norm folding as a pass. */
export const foldBatchNormPass: Pass<'graph', 'graph'> = {
  name: 'fold-batchnorm', from: 'graph', to: 'graph', exact: true, guarantees: {}, run: (graph) => foldBatchNorm(graph),
};

/** The ordered list of passes for the options: the one place the pipeline's order is written. */
export function compilePasses(o: ResolvedOptions): Pass[] {
  const passes: Pass[] = [foldBatchNormPass, lowerPass];
  if (o.approx) passes.push(approxPass({ levels: o.approx.levels, fanIn: o.fanIn, method: o.approx.method }));
  // Per-layer limits: each layer's neurons (and the signals they drive) get their own limit; the verifier checks the
  // largest limit after each pass, and test/cli/project.test.ts checks each layer's own.
  const layers = Object.values(o.layers ?? {});
  const byName = (k: keyof LayerLimits) => Object.fromEntries(Object.entries(o.layers ?? {}).filter(([, l]) => l[k] !== undefined).map(([name, l]) => [name, l[k]!]));
  const maxFanIn = Math.max(o.fanIn, ...layers.map((l) => l.fanIn ?? 0));
  const maxFanOut = Math.max(o.fanOut, ...layers.map((l) => l.fanOut ?? 0));
  // Pruning on the logical network, before the trees: identity folding keeps every row within the global fan-in.
  if (o.prune) passes.push(...prunePasses(o.prune, { fanIn: o.fanIn, fanOut: o.fanOut }, 'calibration'));
  passes.push(
    fanInPass(o.fanIn, limitsByName(byName('fanIn'), o.fanIn), maxFanIn),
    fanOutPass(maxFanIn, o.fanOut, limitsByName(byName('fanOut'), o.fanOut), maxFanOut),
    signalLimitPass(o.signalLimitV, { fanIn: maxFanIn, fanOut: maxFanOut }, o.signalHeadroomRel),
  );
  if (o.sigmoidBlock || o.tanhBlock) passes.push(blockConstantsPass({ sigmoid: o.sigmoidBlock, tanh: o.tanhBlock }, { fanIn: maxFanIn, fanOut: maxFanOut }));
  return passes;
}

/** Compiles a validated source graph into a T-network that honours the constraints, exactly (or approximately with approx). */
export function compileGraph(source: Graph, options: CompileOptions = {}): Compiled {
  requireGraph(source);
  if (typeof options !== 'object' || options === null) throw usageError(AM.badArgument('compileGraph', 'an options object (possibly empty)'));
  const opts = resolveOptions(source, options);
  const analyses = new AnalysisCache();
  const run = runPipeline(compilePasses(opts), source, { calibration: opts.calibration, analyses }, { verify: opts.verify, debug: options.debug ?? null });
  const tnet = run.value as TNet;
  const logical = run.outputs.get('lower') as TNet;
  const approx = run.records.find((r) => r.pass === 'approx');
  const names = new Set<string>(PRUNE_PASS_NAMES);
  const pruned = run.records.filter((r) => names.has(r.pass)).map((r) => ({ pass: r.pass, net: run.outputs.get(r.pass) as TNet }));
  const before = run.outputs.get(opts.approx ? 'approx' : 'lower') as TNet;
  return {
    graph: run.outputs.get('fold-batchnorm') as Graph,
    logical,
    tnet,
    analogOutput: analyses.get<string>(logical, ANALOG_OUTPUT)!,
    options: opts,
    passes: run.records,
    signals: analyses.get<SignalReport>(tnet, SIGNAL_REPORT)!,
    approxMatrixError: approx ? approx.metrics.relativeMatrixError : null,
    analyses,
    timings: run.timings,
    pruneSteps: pruned.length > 0 ? [{ pass: opts.approx ? 'approx' : 'lower', net: before }, ...pruned] : [],
  };
}
