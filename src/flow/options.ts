// The options of the whole flow, as the library takes them (API names with units) and as a run resolves them: every
// option with its value, defaults from presets/defaults.ts, validated with one-line errors that name the option
// through a Namer (the CLI renders flags, the config loader keys). The resolved record is plain JSON: summary.json
// and the report show it, so no value a run used is hidden.

import { isOhmnetError, usageError } from '../errors.js';
import { PROJECT_MESSAGES as PM } from '../messages/project.js';
import { VERDICT_MESSAGES as OM } from '../messages/verdicts.js';
import { OPTION_MESSAGES as OPTM } from '../messages/options.js';
import type { FeedbackMode } from '../realize/realize.js';
import { DEFAULTS } from '../presets/defaults.js';
import type { OpampModel } from '../presets/opamps.js';
import { resolveRealizationOptions, type RealizationOptions, type ResolvedRealizationOptions } from '../realize/stage.js';
import type { EngineKind } from '../spice/engines/index.js';
import { parseOpamp } from '../spice/models.js';
import type { DebugHooks } from '../pass/manager.js';
import { resolveCompileScalars, resolveLayerLimits } from '../transform/pipeline.js';
import type { ApproxMethod } from '../transform/approx.js';
import { resolvePruneOptions, type PruneOptions, type PruneStep, type RankMetric } from '../transform/prune.js';
import { resolveResistorRules, type ResistorRules } from '../transform/prune-resistors.js';
import { SIGMOID_BLOCKS, TANH_BLOCKS, type ActivationBlock } from '../presets/blocks.js';
import type { SampleInput } from './samples.js';
import type { Graph } from '../ir/ops.js';
import type { TNet } from '../tnet/types.js';

export const ENGINES = ['ngspice', 'wasm', 'auto'] as const;

export interface FlowOptions extends RealizationOptions {
  // --- T-transformation
  /** Maximum inputs per neuron, N_I (>= 2). */
  readonly fanIn?: number;
  /** Maximum neurons one signal may drive, N_O (>= 2). */
  readonly fanOut?: number;
  /** Signal limit S in volts. */
  readonly signalLimitV?: number;
  /** Fraction of S kept free on the calibration data (a margin for unseen inputs). */
  readonly signalHeadroomRel?: number;
  /** Calibration samples (signal scaling): samples, or samples with labels. Default: uniform over inputRange. */
  readonly calibration?: SampleInput;
  /** Test samples (held out) on which the circuit is judged; default: the calibration set. */
  readonly test?: SampleInput;
  /** Range of uniform calibration samples in model input units. */
  readonly inputRange?: readonly [number, number];
  readonly calibrationSamples?: number;
  /** Layer2TNNX_Approx with p shared levels, or null for the exact construction. */
  readonly approx?: { readonly levels: number; readonly method: ApproxMethod } | null;
  /** Fixed sigmoid block constants: a preset name ("patent": A = -0.1, B = 11.3), "A,B", or the block; default free. */
  readonly sigmoidBlock?: ActivationBlock | string | null;
  /** Fixed tanh block constants: a preset name ("patent": A = 0.1, B = -10.1), "A,B", or the block; default free. */
  readonly tanhBlock?: ActivationBlock | string | null;
  /** Verify the IR after every pass (default true). */
  readonly verifyPasses?: boolean;
  /** Pruning and knowledge extraction steps (transform/prune.ts): weights, biases, dead, extract, rank, fold; default none. */
  readonly prune?: readonly PruneStep[];
  /** Step 'weights': connections with |w| below this (a ratio) are removed; required with that step. */
  readonly pruneWeightBelowAbs?: number;
  /** Step 'biases': biases with |b| below this (model signal units) become 0; required with that step. */
  readonly pruneBiasBelowAbs?: number;
  /** Step 'rank': the use measure (activity, mean-abs, current); required with that step. */
  readonly pruneRankBy?: string;
  /** Step 'rank': the largest |output change| allowed on the calibration set (model signal units); required with that step. */
  readonly pruneRankMaxErrorAbs?: number;
  /** The pruning summary's area estimate: a user-supplied area per resistor and per op-amp (um^2); both or neither. */
  readonly pruneResistorAreaUm2?: number;
  readonly pruneOpampAreaUm2?: number;
  /** Realized circuit: weight/bias resistors above this (ohms) are removed (patent claims, FIG. 30C). */
  readonly pruneOpenAboveOhm?: number;
  /** Realized circuit: weight/bias resistors below this (ohms) become a conductor (FIG. 30B); needs pruneConductorOhm. */
  readonly pruneConductorBelowOhm?: number;
  /** The conductor's resistance in ohms. */
  readonly pruneConductorOhm?: number;
  /** Debug hooks of the pass manager. */
  readonly debug?: DebugHooks | null;
  // --- measurement
  /** Monte Carlo trials (default 100 with a tolerance, else 0). */
  readonly trials?: number;
  /** Worker threads for Monte Carlo (default: the CPU count; results do not depend on it). */
  readonly workers?: number;
  readonly dacBits?: number;
  readonly adcBits?: number;
  /** Class of a single-output model: output > classThreshold. */
  readonly classThreshold?: number;
  // --- verdict thresholds (docs/cli.md#verdicts)
  /** Largest |realized - source| at any analog output of the nominal realized circuit, in volts (default 1% of S). */
  readonly maxOutputErrorV?: number;
  /** Smallest task accuracy (fraction 0..1) of the realized circuit and of Monte Carlo p5 (default: the source's minus 0.02). */
  readonly minAccuracy?: number;
  /** Smallest class agreement with the source (fraction 0..1) of the realized circuit and of Monte Carlo p5 (default 0.98). */
  readonly minAgreement?: number;
  /** Inputs beyond the calibration range or the rails are counted but do not fail (default false). */
  readonly allowOutOfRange?: boolean;
  // --- SPICE
  readonly opamp?: OpampModel | string;
  readonly engine?: EngineKind;
  /** How many samples of the evaluation set SPICE simulates. */
  readonly spiceSamples?: number;
  /** Time limit of one SPICE run in milliseconds (default: 60 s plus, per sample, 0.25 s and 50 us per netlist line). */
  readonly spiceTimeoutMs?: number;
  /**
   * Solve the netlist in partitions of at most this many neurons, each driven by the voltages SPICE solved for the
   * partitions before it (spice/partition.ts); default: the whole netlist at once.
   */
  readonly spicePartitionNeurons?: number;
  // --- per layer
  /** Options of single source layers, by layer (source node) name; the other layers keep the global options. */
  readonly layers?: Readonly<Record<string, LayerOptions>>;
}

/** What a layer may set for itself: its T-transformation limits and its realization (set, R_f rule, tolerance). */
export interface LayerOptions {
  readonly fanIn?: number;
  readonly fanOut?: number;
  readonly resistors?: string;
  readonly rMinOhm?: number;
  readonly rMaxOhm?: number;
  readonly feedback?: FeedbackMode;
  readonly rFeedbackOhm?: number;
  readonly toleranceRel?: number;
}

/** A layer's options, resolved: its limits and its whole realization options (the global ones where it sets none). */
export interface ResolvedLayerOptions {
  readonly fanIn: number;
  readonly fanOut: number;
  readonly realization: ResolvedRealizationOptions;
}

/** The option names a layer may set (for messages and the config loader). */
export const LAYER_OPTION_KEYS = ['fanIn', 'fanOut', 'resistors', 'rMinOhm', 'rMaxOhm', 'feedback', 'rFeedbackOhm', 'toleranceRel'] as const;

export interface ResolvedFlowOptions {
  readonly compile: {
    readonly fanIn: number;
    readonly fanOut: number;
    readonly signalLimitV: number;
    readonly signalHeadroomRel: number;
    readonly inputRange: readonly [number, number];
    readonly calibrationSamples: number;
    readonly seed: number;
    readonly approx: { readonly levels: number; readonly method: ApproxMethod } | null;
    readonly sigmoidBlock: ActivationBlock | null;
    readonly tanhBlock: ActivationBlock | null;
    readonly verifyPasses: boolean;
    /** Pruning steps and their thresholds, or null: none. */
    readonly prune: PruneOptions | null;
    /** The resistor rules on the realized circuit, or null: none. */
    readonly resistorRules: ResistorRules | null;
  };
  readonly realization: ResolvedRealizationOptions;
  readonly measure: {
    readonly trials: number;
    readonly workers: number | null;
    readonly dacBits: number | null;
    readonly adcBits: number | null;
    readonly classThreshold: number;
    /** Verdict thresholds: null where the default follows the run (1% of S, the source's accuracy minus 0.02). */
    readonly maxOutputErrorV: number | null;
    readonly minAccuracy: number | null;
    readonly minAgreement: number;
    readonly allowOutOfRange: boolean;
  };
  readonly spice: {
    readonly opamp: OpampModel;
    readonly engine: EngineKind;
    readonly samples: number;
    readonly timeoutMs: number | null;
    /** Largest partition in neurons, or null: the whole netlist at once. */
    readonly partitionNeurons: number | null;
  };
  /** Per-layer options by layer name, sorted by name; {} when none. */
  readonly layers: Readonly<Record<string, ResolvedLayerOptions>>;
}

/** The largest --workers accepted (Monte Carlo uses at most the CPU count of the machine it runs on). */
export const MAX_WORKERS = 1024;

function int(option: string, v: number | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isSafeInteger(v) || v < min || v > max) throw usageError((n) => `${n(option)} ${v} must be an integer from ${min} to ${max}`);
  return v;
}

/** A layer's options over the global ones; a refusal names the layer and the option. */
function resolveLayer(name: string, l: LayerOptions, o: FlowOptions, compile: { fanIn: number; fanOut: number }): ResolvedLayerOptions {
  if (typeof l !== 'object' || l === null || Array.isArray(l)) throw usageError(PM.layerNotObject(name));
  for (const k of Object.keys(l)) if (!(LAYER_OPTION_KEYS as readonly string[]).includes(k)) throw usageError(PM.layerUnknownOption(name, k, LAYER_OPTION_KEYS));
  try {
    const limits = resolveLayerLimits({ [name]: l })[name];
    // A layer that sets its R_f (a rule or a value) replaces both global R_f options.
    const ownFeedback = l.feedback !== undefined || l.rFeedbackOhm !== undefined;
    const { feedback: _f, rFeedbackOhm: _r, ...global } = o;
    const realization = resolveRealizationOptions({
      ...(ownFeedback ? global : o),
      ...Object.fromEntries(Object.entries(l).filter(([k, v]) => v !== undefined && k !== 'fanIn' && k !== 'fanOut')),
    });
    return { fanIn: limits.fanIn ?? compile.fanIn, fanOut: limits.fanOut ?? compile.fanOut, realization };
  } catch (e) {
    if (!isOhmnetError(e)) throw e;
    throw usageError((n) => PM.layerOption(name, e.messageWith(n)));
  }
}

/** A fixed activation block from a preset name, "A,B" text or a block record (null: constants chosen per neuron). */
function activationBlock(option: string, v: ActivationBlock | string | null | undefined, presets: Readonly<Record<string, ActivationBlock>>): ActivationBlock | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'object') return v;
  if (typeof v !== 'string') throw usageError(OPTM.badBlock(option, String(v), Object.keys(presets)));
  if (presets[v]) return presets[v];
  const parts = v.split(',').map((t) => Number(t.trim()));
  if (parts.length !== 2 || parts.some((x) => !Number.isFinite(x) || x === 0) || v.trim() === '') throw usageError(OPTM.badBlock(option, v, Object.keys(presets)));
  return { name: v, amplitudeV: parts[0], slopePerV: parts[1], source: 'user-given constants' };
}

export function resolveFlowOptions(o: FlowOptions): ResolvedFlowOptions {
  const realization = resolveRealizationOptions(o);
  const { verify: verifyPasses, ...compile } = resolveCompileScalars({ ...o, sigmoidBlock: null, tanhBlock: null, prune: null, seed: realization.seed, ...(o.verifyPasses !== undefined ? { verify: o.verifyPasses } : {}) });
  const tol = realization.toleranceRel;
  const trials = int('trials', o.trials, 0, 1_000_000) ?? (tol > 0 ? DEFAULTS.trialsWithTolerance : 0);
  const classThreshold = o.classThreshold ?? DEFAULTS.classThreshold;
  if (!Number.isFinite(classThreshold)) throw usageError((n) => `${n('classThreshold')} ${classThreshold} must be a finite number`);
  const engine = o.engine ?? DEFAULTS.engine;
  if (!(ENGINES as readonly string[]).includes(engine)) throw usageError((n) => `${n('engine')} '${engine}' is not one of ${ENGINES.join(', ')}`);
  const timeoutMs = o.spiceTimeoutMs ?? null;
  if (timeoutMs !== null && !(timeoutMs > 0 && Number.isFinite(timeoutMs))) throw usageError((n) => `${n('spiceTimeoutMs')} ${timeoutMs} ms must be a positive, finite time`);
  const fraction = (option: string, v: number | undefined): number | undefined => {
    if (v !== undefined && !(typeof v === 'number' && v >= 0 && v <= 1)) throw usageError(OM.badFraction(option, v));
    return v;
  };
  const maxOutputErrorV = o.maxOutputErrorV ?? null;
  if (maxOutputErrorV !== null && !(typeof maxOutputErrorV === 'number' && maxOutputErrorV > 0 && Number.isFinite(maxOutputErrorV))) throw usageError(OM.badVolts('maxOutputErrorV', maxOutputErrorV));
  const allowOutOfRange = o.allowOutOfRange ?? false;
  if (typeof allowOutOfRange !== 'boolean') throw usageError(OM.badBoolean('allowOutOfRange', allowOutOfRange));
  const layersIn = o.layers ?? {};
  if (typeof layersIn !== 'object' || layersIn === null || Array.isArray(layersIn)) throw usageError(PM.layersNotObject());
  const layers = Object.fromEntries(Object.keys(layersIn).sort().map((name) => [name, resolveLayer(name, layersIn[name], o, compile)]));
  return {
    compile: { ...compile, sigmoidBlock: activationBlock('sigmoidBlock', o.sigmoidBlock, SIGMOID_BLOCKS), tanhBlock: activationBlock('tanhBlock', o.tanhBlock, TANH_BLOCKS), verifyPasses,
      prune: o.prune !== undefined || o.pruneWeightBelowAbs !== undefined || o.pruneBiasBelowAbs !== undefined || o.pruneRankBy !== undefined || o.pruneRankMaxErrorAbs !== undefined || o.pruneResistorAreaUm2 !== undefined || o.pruneOpampAreaUm2 !== undefined
        ? resolvePruneOptions({ steps: o.prune ?? [], weightBelowAbs: o.pruneWeightBelowAbs ?? null, biasBelowAbs: o.pruneBiasBelowAbs ?? null, rankBy: (o.pruneRankBy ?? null) as RankMetric | null, rankMaxErrorAbs: o.pruneRankMaxErrorAbs ?? null, resistorAreaUm2: o.pruneResistorAreaUm2 ?? null, opampAreaUm2: o.pruneOpampAreaUm2 ?? null })
        : null,
      resistorRules: resolveResistorRules({ openAboveOhm: o.pruneOpenAboveOhm, conductorBelowOhm: o.pruneConductorBelowOhm, conductorOhm: o.pruneConductorOhm }),
    },
    realization,
    measure: {
      trials,
      workers: int('workers', o.workers, 1, MAX_WORKERS) ?? null,
      dacBits: int('dacBits', o.dacBits, 1, 32) ?? null,
      adcBits: int('adcBits', o.adcBits, 1, 32) ?? null,
      classThreshold,
      maxOutputErrorV,
      minAccuracy: fraction('minAccuracy', o.minAccuracy) ?? null,
      minAgreement: fraction('minAgreement', o.minAgreement) ?? DEFAULTS.minAgreement,
      allowOutOfRange,
    },
    spice: {
      opamp: typeof o.opamp === 'string' ? parseOpamp(o.opamp) : o.opamp ?? parseOpamp(DEFAULTS.opamp),
      engine,
      samples: int('spiceSamples', o.spiceSamples, 1, 100_000) ?? DEFAULTS.spiceSamples,
      timeoutMs,
      partitionNeurons: int('spicePartitionNeurons', o.spicePartitionNeurons, 1, 2 ** 31 - 1) ?? null,
    },
    layers,
  };
}

/** Refuses per-layer options for a name that is not a layer of the graph, listing the layers (before any work). */
export function requireKnownLayers(graph: Graph, o: ResolvedFlowOptions): void {
  const known = graph.nodes.map((n) => n.name);
  for (const name of Object.keys(o.layers)) if (!known.includes(name)) throw usageError(PM.unknownLayer(name, known));
}

/** Refuses per-layer options on a layer that owns no neurons (an activation fused into the layer before it, ...). */
export function requireLayerNeurons(net: TNet, names: readonly string[]): void {
  if (names.length === 0) return;
  const owning = new Set<number>(net.neurons.origin);
  for (const name of names) {
    const k = net.origins.findIndex((o) => o.name === name);
    if (k >= 0 && owning.has(k)) continue;
    const into = k >= 0 && net.origins[k].fusedInto !== undefined ? net.origins[net.origins[k].fusedInto!].name : null;
    throw usageError(PM.layerHasNoNeurons(name, into));
  }
}
