// The flow driver's entry points: open a run on a graph with options (resolving every option and building the named
// sample sets), run stages on it (stages.ts), and assemble summary.json from what the stages measured. The CLI's
// commands and the library's one-call functions (realizeCompiled) are thin layers over these.

import { API_MESSAGES as AM } from '../messages/index.js';
import { requireGraph } from '../ir/validate.js';
import { usageError } from '../errors.js';
import type { Graph } from '../ir/ops.js';
import type { DebugHooks } from '../pass/manager.js';
import type { Realized } from '../realize/realize.js';
import type { ConverterOptions, ErrorFigures } from '../simulate/realized.js';
import { pruningSummary } from './pruning.js';
import { addRealization, buildSummary, layerOutputError, layerSensitivity, type FullSummary, type OptionsSummary, type RealizationSummary, type SetSummary, type Summary } from '../report/summary.js';
import type { Compiled } from '../transform/pipeline.js';
import { buildVerdicts, inputRangeVerdict, spiceVerdict, type Verdict, type VerdictInput } from '../report/verdicts.js';
import { DEFAULTS } from '../presets/defaults.js';
import type { Progress } from '../util/progress.js';
import { requireKnownLayers, resolveFlowOptions, type FlowOptions, type ResolvedFlowOptions } from './options.js';
import { Run, type ModelInfo } from './run.js';
import { featureRange, sampleSet, uniformSet, type SampleSet } from './samples.js';
import { runStages, type StageName } from './stages.js';

export { Run } from './run.js';
export { runStages, STAGES, type StageName } from './stages.js';
export { resolveFlowOptions, type FlowOptions, type ResolvedFlowOptions } from './options.js';
export type { SampleSet, SampleInput, SetName } from './samples.js';

export interface OpenRunOptions {
  readonly model?: ModelInfo;
  readonly progress?: Progress;
  readonly debug?: DebugHooks | null;
}

/** A run on a graph: options resolved, the calibration set (given, or drawn uniformly) and the test set built. */
export function openRun(graph: Graph, options: FlowOptions, o: OpenRunOptions = {}): Run {
  requireGraph(graph);
  if (typeof options !== 'object' || options === null) throw usageError(AM.badArgument('openRun', 'an options object (possibly empty)'));
  const resolved = resolveFlowOptions(options);
  requireKnownLayers(graph, resolved);
  const c = resolved.compile;
  const calibration = options.calibration !== undefined ? sampleSet('calibration', options.calibration, graph) : uniformSet(graph, c.inputRange, c.calibrationSamples, c.seed);
  const test = options.test !== undefined ? sampleSet('test', options.test, graph) : null;
  return new Run(graph, resolved, { calibration, test }, o.model ?? { path: null, fileName: null }, o.progress, o.debug ?? options.debug ?? null);
}

function setSummary(set: SampleSet): SetSummary {
  const o = set.origin;
  return {
    samples: set.samples.length,
    from: o.kind,
    file: o.kind === 'file' ? o.path.split(/[\\/]/).pop()! : null,
    inputRange: o.kind === 'uniform' ? [o.range[0], o.range[1]] : null,
    seed: o.kind === 'uniform' ? o.seed : null,
    labelled: set.labels !== null,
  };
}

/** The T-network part of summary.json (after the compile and measure stages). */
export function tnetSummary(run: Run): Summary {
  const m = run.measurements;
  if (!m) throw new Error('flow: the measure stage has not run');
  return buildSummary({
    source: run.graph,
    compiled: run.requireCompiled(),
    file: run.model.fileName,
    sets: { calibration: setSummary(run.sets.calibration), test: run.sets.test ? setSummary(run.sets.test) : null },
    calibrationEvaluation: run.tnetEvaluation(run.sets.calibration),
    equivalence: m.equivalence,
  });
}

/** The realization part of summary.json. */
export function realizationSummary(run: Run): RealizationSummary {
  const res = run.requireRealization();
  const m = run.measurements;
  if (!m) throw new Error('flow: the measure stage has not run');
  const o = run.options.realization;
  const st = res.stats;
  const mc = run.monteCarlo;
  return {
    series: res.set.name,
    rangeOhm: [o.rMinOhm, o.rMaxOhm],
    setValuesOhm: res.set.custom ? res.set.values : null,
    feedback: { mode: res.feedbackText, per: o.feedbackPer, byLayer: st.feedbackByLayer },
    vRefV: o.vRefV,
    toleranceRel: o.toleranceRel,
    toleranceDistribution: o.toleranceDistribution,
    resistors: st.resistors,
    weightResistors: st.weightResistors,
    normalizingResistors: st.normalizingResistors,
    normalizingOutsideRange: st.normalizingOutsideRange,
    outsideRange: st.outsideRange,
    distinctValues: st.distinctValues,
    billOfMaterials: st.billOfMaterials,
    multiplierCells: st.multiplierCells,
    openConnections: st.openConnections,
    neuronsWithGain: st.neuronsWithGain,
    weightError: { mean: st.weightErrorMean, max: st.weightErrorMax },
    converters: { dacBits: run.options.measure.dacBits, adcBits: run.options.measure.adcBits },
    nominal: m.nominal,
    monteCarlo: mc
      ? { on: run.evaluation.name, samples: run.evaluation.samples.length, trials: mc.trials.length, seed: o.seed, mse: mc.mse, maxAbsError: mc.maxAbsError, classAgreement: mc.classAgreement, accuracy: mc.accuracy }
      : null,
  };
}

/** The whole summary.json of a run whose measure stage (and optionally Monte Carlo and SPICE) has run. */
export function fullSummary(run: Run): FullSummary {
  const m = run.measurements!;
  const accuracy = m.accuracy ? { ...m.accuracy, monteCarlo: run.monteCarlo?.accuracy ?? null } : null;
  const r = run.requireRealization().realized;
  const layerError = layerOutputError(run.evaluation.name, r.tnet, r.weight, r.bias, run.evaluation.samples, run.requireCompiled().options.signalLimitV);
  const o = run.options.realization;
  const sensitivity = run.monteCarlo && run.monteCarlo.trials.length > 0
    ? layerSensitivity(run.evaluation.name, r, run.evaluation.samples, run.monteCarlo.trials.length, o.seed, o.toleranceRel, o.toleranceDistribution, run.requireCompiled().options.signalLimitV)
    : null;
  const pruning = pruningSummary(run);
  return { ...addRealization(tnetSummary(run), realizationSummary(run), run.spice, accuracy, optionsSummary(run), verdictsOf(run), run.command), layerError, layerSensitivity: sensitivity, ...(pruning ? { pruning } : {}) };
}

/** max over samples and analog outputs of |got - ref| in volts at the outputs (source units / output scale). */
function maxErrorV(got: readonly ArrayLike<number>[], ref: readonly ArrayLike<number>[], scale: ArrayLike<number>): number {
  let e = 0;
  got.forEach((y, k) => {
    for (let j = 0; j < y.length; j++) e = Math.max(e, Math.abs(y[j] - ref[k][j]) / Math.abs(scale[j]));
  });
  return e;
}

/**
 * Inputs of `set` beyond the calibration input range (min..max over every feature of the calibration set: the range
 * the input DAC spans, stages.ts; widened by the signal headroom's margin) and beyond the rails at the network's
 * inputs (after the input gain).
 */
function inputsBeyond(run: Run, set: SampleSet): VerdictInput['inputs'] {
  let [lo, hi] = featureRange(run.sets.calibration);
  // The signal headroom h keeps calibration signals within S (1 - h): that margin is for inputs beyond the calibration
  // range, so the range is widened by it (by max |bound| h / (1 - h) on each side); beyond that an input fails.
  const h = run.options.compile.signalHeadroomRel;
  const margin = h > 0 && h < 1 ? (Math.max(Math.abs(lo), Math.abs(hi)) * h) / (1 - h) : 0;
  lo -= margin;
  hi += margin;
  const net = run.requireCompiled().tnet;
  const rail = run.options.compile.signalLimitV * (1 + 1e-12);
  const cal2 = { samples: 0, values: 0 };
  const rails = { samples: 0, values: 0 };
  for (const x of set.samples) {
    let c = 0;
    let r = 0;
    for (let j = 0; j < x.length; j++) {
      if (x[j] < lo || x[j] > hi) c++;
      if (Math.abs(net.inputGain * x[j]) > rail) r++;
    }
    cal2.values += c;
    rails.values += r;
    if (c > 0) cal2.samples++;
    if (r > 0) rails.samples++;
  }
  return { on: set.name, samples: set.samples.length, beyondCalibration: cal2, beyondRails: rails };
}

function spiceFigures(run: Run): VerdictInput['spice'] {
  return run.spice ? { on: run.spice.on, samples: run.spice.samples, maxVsBehaviouralV: run.spice.maxVsBehaviouralV, toleranceV: run.spice.toleranceV, opamp: run.spice.opamp.kind } : null;
}

/** The verdicts of `verify` (no measure stage): the inputs of the evaluated set, and SPICE when it ran. */
export function verifyVerdicts(run: Run): Verdict[] {
  const sp = spiceFigures(run);
  return [inputRangeVerdict(inputsBeyond(run, run.evaluation), run.options.compile.signalLimitV, run.options.measure.allowOutOfRange), ...(sp ? [spiceVerdict(sp)] : [])];
}

/** The verdicts of a run whose measure stage (and optionally Monte Carlo and SPICE) has run. */
export function verdictsOf(run: Run): Verdict[] {
  const m = run.measurements;
  if (!m) throw new Error('flow: the measure stage has not run');
  const net = run.requireCompiled().tnet;
  const scale = net.outputScale;
  const ev = run.evaluation;
  const mc = run.monteCarlo;
  const o = run.options.measure;
  return buildVerdicts({
    signalLimitV: run.options.compile.signalLimitV,
    equivalence: run.allSets.map((set) => ({ on: set.name, samples: set.samples.length, maxErrorV: maxErrorV(run.tnetEvaluation(set).analog, run.reference(set).analog, scale), railHits: run.tnetEvaluation(set).stats?.railHits ?? 0 })),
    realization: { on: ev.name, samples: ev.samples.length, maxErrorV: maxErrorV(run.realizedEvaluation(ev).analog, run.reference(ev).analog, scale), classAgreement: m.nominal.classAgreement, accuracy: m.nominal.accuracy },
    sourceAccuracy: m.accuracy?.source ?? null,
    monteCarlo: mc ? { trials: mc.trials.length, agreementP5: mc.classAgreement.p5, accuracyP5: mc.accuracy?.p5 ?? null } : null,
    inputs: inputsBeyond(run, ev),
    spice: spiceFigures(run),
    thresholds: { maxOutputErrorV: o.maxOutputErrorV, minAccuracy: o.minAccuracy, minAgreement: o.minAgreement, allowOutOfRange: o.allowOutOfRange },
    defaults: { equivalenceSignalRel: DEFAULTS.equivalenceSignalRel, outputErrorSignalRel: DEFAULTS.outputErrorSignalRel, accuracyDropAllowed: DEFAULTS.accuracyDropAllowed },
  });
}

/** The config file in use and the layers with options of their own. */
export function optionsSummary(run: Run): OptionsSummary {
  const realized = new Map((run.realization?.layers ?? []).map((l) => [l.layer, l]));
  return {
    config: run.config === null ? null : run.config.split(/[\\/]/).pop()!,
    layers: Object.entries(run.options.layers).map(([layer, l]) => {
      const r = realized.get(layer);
      return { layer, fanIn: l.fanIn, fanOut: l.fanOut, series: r?.series ?? l.realization.resistors, feedback: r?.feedback ?? l.realization.feedback, toleranceRel: l.realization.toleranceRel, neurons: r?.neurons ?? 0 };
    }),
  };
}

/**
 * Realizes a compiled T-network and measures it against `source` (the model it was compiled from) on
 * `evaluationSamples` (default: the calibration samples), with Monte Carlo when a tolerance is given: the one-call
 * form of the realize, measure and montecarlo stages.
 */
export async function realizeCompiled(source: Graph, compiled: Compiled, options: FlowOptions = {}, evaluationSamples?: FlowOptions['test'], progress?: Progress): Promise<{ realized: Realized; summary: RealizationSummary; converters: ConverterOptions; trials: ErrorFigures[] | null }> {
  requireGraph(source);
  if (typeof compiled !== 'object' || compiled === null || typeof compiled.tnet !== 'object' || typeof options !== 'object' || options === null) throw usageError(AM.badArgument('realizeCompiled', 'the source graph, the result of compileGraph and an options object'));
  const resolved: ResolvedFlowOptions = resolveFlowOptions(options);
  const calibration = sampleSet('calibration', compiled.options.calibration, source);
  const test = evaluationSamples !== undefined ? sampleSet('test', evaluationSamples, source) : null;
  const run = new Run(source, resolved, { calibration, test }, { path: null, fileName: null }, progress);
  run.compiled = compiled;
  run.done.add('compile');
  await runStages(run, ['measure', 'montecarlo']);
  return { realized: run.requireRealization().realized, summary: realizationSummary(run), converters: run.converters, trials: run.monteCarlo?.trials ?? null };
}

/** Runs the named stages on a fresh run of `graph` and returns the run. */
export async function runFlow(graph: Graph, options: FlowOptions, stages: readonly StageName[], o: OpenRunOptions = {}): Promise<Run> {
  const run = openRun(graph, options, o);
  await runStages(run, stages);
  return run;
}
