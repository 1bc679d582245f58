// The realization stage of the pipeline: resolve the resistor set (E-series over a range, a custom file, or the
// patent's optimal-set search), realize every weight as a resistor pair, and measure the realized network against the
// source model: nominal resistor values, with an input DAC / output ADC if asked, and Monte Carlo over tolerance.

import { usageError } from '../errors.js';
import type { Graph } from '../ir/ops.js';
import { evaluate } from '../reference/evaluate.js';
import { monteCarlo, type MonteCarloResult } from '../simulate/montecarlo.js';
import { compareOutputs, evaluateRealized, type ConverterOptions, type ErrorFigures, type ToleranceDistribution } from '../simulate/realized.js';
import type { TNet } from '../tnet/types.js';
import type { Compiled } from '../transform/pipeline.js';
import { realizationStats, realize, type FeedbackMode, type Realized, type RealizationStats } from './realize.js';
import { searchOptimalSet } from './resistor-set.js';
import { silentProgress, type Progress } from '../util/progress.js';
import { checkRange, readCustomSet, SERIES_NAMES, seriesValues } from './series.js';

export interface RealizationOptions {
  /** E6, E12, E24, E48, E96, E192, optimal:N, or the path of a file of values. Default E96. */
  readonly resistors?: string;
  /** Resistance range in ohms. Default 100k..1M (the patent's). */
  readonly rMinOhm?: number;
  readonly rMaxOhm?: number;
  /** R_f: 'min-error' (default), 'patent', or a fixed value in ohms. */
  readonly rFeedback?: 'min-error' | 'patent' | number;
  /** One R_f per source layer (default) or per neuron. */
  readonly feedbackPer?: 'layer' | 'neuron';
  /** Relative resistor tolerance (sigma for gaussian, half-width for uniform). Default 0: nominal values. */
  readonly toleranceRel?: number;
  readonly toleranceDistribution?: ToleranceDistribution;
  /** Bias reference voltage. Default 1 V. */
  readonly vRefV?: number;
  /** Monte Carlo trials; default 100 when the tolerance is above 0, else 0. */
  readonly trials?: number;
  /** Seed of the Monte Carlo draws (and of the optimal-set search). Default 1. */
  readonly seed?: number;
  /** Worker threads for Monte Carlo (default: the CPU count). */
  readonly workers?: number;
  readonly dacBits?: number;
  readonly adcBits?: number;
  /** Threshold for single-output classification. Default 0.5. */
  readonly classThreshold?: number;
}

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
  readonly distinctValues: number;
  readonly openConnections: number;
  readonly neuronsWithGain: number;
  readonly weightError: { readonly mean: number; readonly max: number };
  readonly converters: { readonly dacBits: number | null; readonly adcBits: number | null };
  /** The realized network with nominal resistor values (and converters), against the source model. */
  readonly nominal: ErrorFigures & { readonly samples: number };
  readonly monteCarlo: null | {
    readonly trials: number;
    readonly seed: number;
    readonly mse: MonteCarloResult['mse'];
    readonly maxAbsError: MonteCarloResult['maxAbsError'];
    readonly classAgreement: MonteCarloResult['classAgreement'];
  };
}

function maxAbsWeight(net: TNet, vRef: number): number {
  let m = 0;
  for (const w of net.neurons.weight) m = Math.max(m, Math.abs(w));
  for (const b of net.neurons.bias) m = Math.max(m, Math.abs(b / vRef));
  return m;
}

interface ResolvedSet {
  readonly name: string;
  readonly values: number[];
  readonly custom: boolean;
  /** R_f found by the optimal-set search (used unless the user fixes R_f). */
  readonly rFeedbackOhm?: number;
}

export function resolveResistorSet(spec: string, rMin: number, rMax: number, net: TNet, rErr: number, vRef: number, seed: number): ResolvedSet {
  checkRange(rMin, rMax);
  const range = `${rMin}..${rMax} ohm`;
  if (SERIES_NAMES.includes(spec.toUpperCase())) return { name: `${spec.toUpperCase()} ${range}`, values: seriesValues(spec, rMin, rMax), custom: false };
  const m = /^optimal:(\d+)$/i.exec(spec);
  if (m) {
    // The patent's search needs a weight range and a tolerance: the network's largest weight, and r_err (0.1%, the
    // patent's example, when no tolerance is given).
    const found = searchOptimalSet({ count: Number(m[1]), rMinOhm: rMin, rMaxOhm: rMax, weightLimit: maxAbsWeight(net, vRef), toleranceRel: rErr > 0 ? rErr : 0.001, seed });
    return { name: `optimal:${m[1]} ${range}`, values: found.set, custom: true, rFeedbackOhm: found.rFeedbackOhm };
  }
  if (/^optimal/i.test(spec)) throw usageError(`--resistors '${spec}' should be optimal:N with N the number of values, e.g. optimal:20`);
  if (/^E\d+$/i.test(spec)) throw usageError(`unknown resistor series '${spec}'; use one of ${SERIES_NAMES.join(', ')}, optimal:N or a file of values`);
  const values = readCustomSet(spec).filter((v) => v >= rMin && v <= rMax);
  if (values.length === 0) throw usageError(`no value of the resistor list '${spec}' lies within ${range}; widen --r-min/--r-max`);
  return { name: `${spec} ${range}`, values, custom: true };
}

function intOpt(name: string, v: number | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isSafeInteger(v) || v < min || v > max) throw usageError(`${name} ${v} must be an integer from ${min} to ${max}`);
  return v;
}

/**
 * Realizes a compiled T-network and measures it against `source` (the model it was compiled from) on `samples`
 * (default: the calibration samples).
 */
export async function realizeCompiled(source: Graph, compiled: Compiled, o: RealizationOptions = {}, evaluationSamples?: readonly ArrayLike<number>[], progress: Progress = silentProgress): Promise<{ realized: Realized; summary: RealizationSummary; converters: ConverterOptions; trials: ErrorFigures[] | null }> {
  const net = compiled.tnet;
  const rMin = o.rMinOhm ?? 1e5;
  const rMax = o.rMaxOhm ?? 1e6;
  const tol = o.toleranceRel ?? 0;
  if (!(tol >= 0) || !Number.isFinite(tol)) throw usageError(`negative tolerance ${tol} is not possible; give --tolerance as a fraction, e.g. 0.01 for 1%`);
  if (tol >= 0.5) throw usageError(`tolerance ${tol} is not a plausible resistor tolerance; give it as a fraction, e.g. 0.01 for 1%`);
  const vRef = o.vRefV ?? 1;
  const seed = intOpt('--seed', o.seed, 0, 2 ** 32 - 1) ?? 1;
  const trials = intOpt('--trials', o.trials, 0, 1_000_000) ?? (tol > 0 ? 100 : 0);
  const dacBits = intOpt('--dac-bits', o.dacBits, 1, 32);
  const adcBits = intOpt('--adc-bits', o.adcBits, 1, 32);
  const workers = intOpt('--workers', o.workers, 1, 256);
  const threshold = o.classThreshold ?? 0.5;
  if (!Number.isFinite(threshold)) throw usageError(`--class-threshold ${threshold} must be a number`);
  const set = resolveResistorSet(o.resistors ?? 'E96', rMin, rMax, net, tol, vRef, seed);
  let feedback: FeedbackMode;
  let rFeedbackOhm: number | undefined;
  if (typeof o.rFeedback === 'number') {
    feedback = 'fixed';
    rFeedbackOhm = o.rFeedback;
  } else if (o.rFeedback === undefined && set.rFeedbackOhm !== undefined) {
    feedback = 'fixed';
    rFeedbackOhm = set.rFeedbackOhm;
  } else {
    feedback = o.rFeedback ?? 'min-error';
  }
  const realized = realize(net, {
    set: set.values, setName: set.name, feedback, rFeedbackOhm, feedbackPer: o.feedbackPer ?? 'layer', toleranceRel: tol, vRefV: vRef,
  });
  const stats = realizationStats(realized);

  const samples = evaluationSamples ?? compiled.options.calibration;
  const reference = evaluate(source, samples).outputs;
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of compiled.options.calibration) for (let j = 0; j < s.length; j++) {
    lo = Math.min(lo, net.inputGain * s[j]);
    hi = Math.max(hi, net.inputGain * s[j]);
  }
  const converters: ConverterOptions = { ...(dacBits !== undefined ? { dacBits, dacRangeV: [lo, hi] as const } : {}), ...(adcBits !== undefined ? { adcBits } : {}) };
  const nominal = compareOutputs(evaluateRealized(realized, samples, { weight: realized.weight, bias: realized.bias }, converters), reference, threshold);
  let mc: RealizationSummary['monteCarlo'] = null;
  let trialFigures: ErrorFigures[] | null = null;
  if (trials > 0) {
    const bar = progress.stage('Monte Carlo', trials);
    const res = await monteCarlo(realized, samples, reference, {
      trials, workers, seed, toleranceRel: tol, distribution: o.toleranceDistribution ?? 'gaussian', classThreshold: threshold, converters, onTrial: () => bar.tick(),
    });
    bar.done();
    mc = { trials, seed, mse: res.mse, maxAbsError: res.maxAbsError, classAgreement: res.classAgreement };
    trialFigures = res.trials;
  }
  return {
    realized,
    converters,
    trials: trialFigures,
    summary: {
      series: set.name,
      rangeOhm: [rMin, rMax],
      setValuesOhm: set.custom ? set.values : null,
      feedback: { mode: feedback === 'fixed' ? `fixed ${rFeedbackOhm} ohm` : feedback, per: o.feedbackPer ?? 'layer', byLayer: stats.feedbackByLayer },
      vRefV: vRef,
      toleranceRel: tol,
      toleranceDistribution: o.toleranceDistribution ?? 'gaussian',
      resistors: stats.resistors,
      weightResistors: stats.weightResistors,
      normalizingResistors: stats.normalizingResistors,
      normalizingOutsideRange: stats.normalizingOutsideRange,
      distinctValues: stats.distinctValues,
      openConnections: stats.openConnections,
      neuronsWithGain: stats.neuronsWithGain,
      weightError: { mean: stats.weightErrorMean, max: stats.weightErrorMax },
      converters: { dacBits: dacBits ?? null, adcBits: adcBits ?? null },
      nominal: { ...nominal, samples: samples.length },
      monteCarlo: mc,
    },
  };
}
