// The realization stage: resolve the resistor set (an E-series over a range, a custom file, or the patent's
// optimal-set search) and R_f rule, then realize every weight as a resistor pair (realize.ts). Measuring the realized
// network against the source model is the flow's job (flow/measure.ts); `realizeCompiled` there keeps the old
// one-call API.

import { ohms } from '../util/format.js';
import { usageError } from '../errors.js';
import { OPTION_MESSAGES as OM, REALIZE_MESSAGES as RM } from '../messages/index.js';
import { DEFAULTS } from '../presets/defaults.js';
import type { TNet } from '../tnet/types.js';
import { BLOCK } from '../tnet/blocks.js';
import { PairTableCache } from './pairs.js';
import { realizationStats, realize, type FeedbackMode, type Realized, type RealizationStats } from './realize.js';
import { searchOptimalSet } from './resistor-set.js';
import { checkRange, readCustomSet, SERIES_NAMES, seriesValues } from './series.js';

export const FEEDBACK_RULES = ['min-error', 'patent', 'fixed'] as const;
export const FEEDBACK_SCOPES = ['layer', 'neuron'] as const;
export const TOLERANCE_DISTRIBUTIONS = ['gaussian', 'uniform'] as const;
export type ToleranceDistribution = (typeof TOLERANCE_DISTRIBUTIONS)[number];

export interface RealizationOptions {
  /** E6, E12, E24, E48, E96, E192, optimal:N, or the path of a file of values. Default E96. */
  readonly resistors?: string;
  /** Resistance range in ohms. Default 100k..1M (the patent's). */
  readonly rMinOhm?: number;
  readonly rMaxOhm?: number;
  /** How R_f is chosen: 'min-error' (default), 'patent', or 'fixed' (rFeedbackOhm; implied when it is given). */
  readonly feedback?: FeedbackMode;
  /** With feedback 'fixed': R_f in ohms. */
  readonly rFeedbackOhm?: number;
  /** One R_f per source layer (default) or per neuron. */
  readonly feedbackPer?: 'layer' | 'neuron';
  /** Relative resistor tolerance (sigma for gaussian, half-width for uniform). Default 0: nominal values. */
  readonly toleranceRel?: number;
  readonly toleranceDistribution?: ToleranceDistribution;
  /** Bias reference voltage. Default 1 V. */
  readonly vRefV?: number;
  /** Seed of the optimal-set search (and, in the flow, of Monte Carlo). Default 1. */
  readonly seed?: number;
}

export interface ResolvedRealizationOptions {
  readonly resistors: string;
  readonly rMinOhm: number;
  readonly rMaxOhm: number;
  readonly feedback: FeedbackMode;
  readonly rFeedbackOhm: number | null;
  readonly feedbackPer: 'layer' | 'neuron';
  readonly toleranceRel: number;
  readonly toleranceDistribution: ToleranceDistribution;
  readonly vRefV: number;
  readonly seed: number;
}

function oneOf<T extends string>(option: string, v: string | undefined, allowed: readonly T[], fallback: T): T {
  if (v === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(v)) throw usageError(OM.notOneOf(option, v, allowed));
  return v as T;
}

/** Every realization option resolved against DEFAULTS and validated (one-line errors naming the option). */
export function resolveRealizationOptions(o: RealizationOptions): ResolvedRealizationOptions {
  const rMinOhm = o.rMinOhm ?? DEFAULTS.rMinOhm;
  const rMaxOhm = o.rMaxOhm ?? DEFAULTS.rMaxOhm;
  checkRange(rMinOhm, rMaxOhm);
  const tol = o.toleranceRel ?? DEFAULTS.toleranceRel;
  if (!Number.isFinite(tol) || tol < 0) throw usageError(RM.toleranceImpossible(tol));
  if (tol >= 0.5) throw usageError(RM.toleranceImplausible(tol));
  const distribution = oneOf('toleranceDistribution', o.toleranceDistribution, TOLERANCE_DISTRIBUTIONS, DEFAULTS.toleranceDistribution);
  // A gaussian of sigma s draws a negative resistance with probability Phi(-1/s): 1e-23 at 10%, but 2% at 49%.
  if (distribution === 'gaussian' && tol > 0.2) throw usageError(RM.gaussianNegative(tol));
  const vRefV = o.vRefV ?? DEFAULTS.vRefV;
  if (!(vRefV > 0) || !Number.isFinite(vRefV)) throw usageError(RM.vRefNotPositive(vRefV));
  const seed = o.seed ?? DEFAULTS.seed;
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 2 ** 32 - 1) throw usageError(OM.badSeed(seed));
  let feedback = oneOf('feedback', o.feedback, FEEDBACK_RULES, o.rFeedbackOhm !== undefined ? 'fixed' : DEFAULTS.feedback);
  const rFeedbackOhm = o.rFeedbackOhm ?? null;
  if (feedback === 'fixed' && !(rFeedbackOhm !== null && rFeedbackOhm > 0 && Number.isFinite(rFeedbackOhm))) throw usageError(RM.rFeedbackNotPositive(rFeedbackOhm));
  if (feedback !== 'fixed' && rFeedbackOhm !== null) feedback = 'fixed';
  return {
    resistors: o.resistors ?? DEFAULTS.resistors, rMinOhm, rMaxOhm, feedback, rFeedbackOhm,
    feedbackPer: oneOf('feedbackPer', o.feedbackPer, FEEDBACK_SCOPES, DEFAULTS.feedbackPer),
    toleranceRel: tol, toleranceDistribution: distribution, vRefV, seed,
  };
}

function maxAbsWeight(net: TNet, vRef: number): number {
  // The summing neurons' weights only: a multiplier's inputs (weight 1) are realized by no resistor.
  const n = net.neurons;
  let m = 0;
  for (let i = 0; i < n.count; i++) {
    if (n.block[i] !== BLOCK.neuron) continue;
    for (let e = n.rowPtr[i]; e < n.rowPtr[i + 1]; e++) m = Math.max(m, Math.abs(n.weight[e]));
    m = Math.max(m, Math.abs(n.bias[i] / vRef));
  }
  return m;
}

export interface ResolvedSet {
  readonly name: string;
  readonly values: number[];
  readonly custom: boolean;
  /** R_f found by the optimal-set search (used unless the user fixes R_f). */
  readonly rFeedbackOhm?: number;
}

export function resolveResistorSet(spec: string, rMin: number, rMax: number, net: TNet, toleranceRel: number, vRef: number, seed: number): ResolvedSet {
  checkRange(rMin, rMax);
  const range = `${ohms(rMin)}..${ohms(rMax)}`;
  if (SERIES_NAMES.includes(spec.toUpperCase())) return { name: `${spec.toUpperCase()} ${range}`, values: seriesValues(spec, rMin, rMax), custom: false };
  const m = /^optimal:(\d+)$/i.exec(spec);
  if (m) {
    // The patent's search needs a weight range and a tolerance: the network's largest weight, and r_err (0.1%, the
    // patent's example, when no tolerance is given).
    const found = searchOptimalSet({ count: Number(m[1]), rMinOhm: rMin, rMaxOhm: rMax, weightLimit: maxAbsWeight(net, vRef), toleranceRel: toleranceRel > 0 ? toleranceRel : DEFAULTS.optimalSetToleranceRel, seed });
    return { name: `optimal:${m[1]} ${range}`, values: found.set, custom: true, rFeedbackOhm: found.rFeedbackOhm };
  }
  if (/^optimal/i.test(spec)) throw usageError(RM.badOptimalSpec(spec));
  if (/^E\d+$/i.test(spec)) throw usageError(RM.unknownSeries(spec, SERIES_NAMES));
  const all = readCustomSet(spec);
  const values = all.filter((v) => v >= rMin && v <= rMax);
  if (values.length === 0) throw usageError(RM.listEmptyInRange(spec, range));
  // A list is the designer's parts: a value silently left out would change the circuit unseen (issue 10).
  const dropped = all.filter((v) => !(v >= rMin && v <= rMax));
  if (dropped.length > 0) throw usageError(RM.listOutsideRange(spec, range, dropped));
  return { name: `${spec} ${range}`, values, custom: true };
}

export interface RealizationResult {
  readonly realized: Realized;
  readonly set: ResolvedSet;
  /** How R_f was chosen, for reports ("min-error", "patent", "fixed 1 MΩ"). */
  readonly feedbackText: string;
  readonly stats: RealizationStats;
  /** The pair tables realization built (one per R_f), for reports that show the achievable weights. */
  readonly pairTables: PairTableCache;
  /** The layers realized with their own options (the config's per-layer options), by name; [] when none. */
  readonly layers: readonly LayerRealization[];
}

/** Realization options of single source layers, by layer name (resolved, every option filled in). */
export type LayerRealizationOptions = Readonly<Record<string, ResolvedRealizationOptions>>;

/** How one layer was realized, for reports (a layer named in the per-layer options). */
export interface LayerRealization {
  readonly layer: string;
  readonly series: string;
  readonly feedback: string;
  readonly toleranceRel: number;
  readonly neurons: number;
}

/**
 * The rows of `neurons` as a network of their own: every signal of `net` is an input of it, so each row keeps its
 * sources (a row's realization depends only on its weights, bias and layer). Realizing it realizes those rows.
 */
function rowsOf(net: TNet, neurons: readonly number[]): TNet {
  const n = net.neurons;
  const N = neurons.length;
  const rowPtr = new Int32Array(N + 1);
  neurons.forEach((i, k) => (rowPtr[k + 1] = rowPtr[k] + n.rowPtr[i + 1] - n.rowPtr[i]));
  const src = new Int32Array(rowPtr[N]);
  const weight = new Float64Array(rowPtr[N]);
  neurons.forEach((i, k) => {
    src.set(n.src.subarray(n.rowPtr[i], n.rowPtr[i + 1]), rowPtr[k]);
    weight.set(n.weight.subarray(n.rowPtr[i], n.rowPtr[i + 1]), rowPtr[k]);
  });
  const pick = <T extends Uint8Array | Int32Array | Float64Array>(a: T): T => {
    const out = new (a.constructor as new (len: number) => T)(N);
    neurons.forEach((i, k) => (out[k] = a[i]));
    return out;
  };
  return {
    ...net,
    inputCount: net.inputCount + n.count,
    clock: null,
    outputSignal: new Int32Array(0),
    outputScale: new Float64Array(0),
    neurons: {
      count: N, rowPtr, src, weight, block: pick(n.block), activation: pick(n.activation), paramA: pick(n.paramA), paramB: pick(n.paramB),
      bias: pick(n.bias), role: pick(n.role), origin: pick(n.origin), unit: pick(n.unit),
    },
  };
}

/** Copies the realization of `neurons` (realized as rowsOf(net, neurons)) into the whole network's realization. */
function splice(into: Realized, part: Realized, net: TNet, neurons: readonly number[]): void {
  const n = net.neurons;
  const p = part.tnet.neurons;
  neurons.forEach((i, k) => {
    for (const key of ['rFeedbackOhm', 'gain', 'rGainAOhm', 'rGainBOhm', 'rBiasPlusOhm', 'rBiasMinusOhm', 'rNormPlusOhm', 'rNormMinusOhm', 'rNormPlus2Ohm', 'rNormMinus2Ohm', 'bias'] as const) into[key][i] = part[key][k];
    into.normPlusCount[i] = part.normPlusCount[k];
    into.normMinusCount[i] = part.normMinusCount[k];
    for (const key of ['rPlusOhm', 'rMinusOhm', 'weight'] as const) into[key].set(part[key].subarray(p.rowPtr[k], p.rowPtr[k + 1]), n.rowPtr[i]);
  });
}

/** The resistor set and R_f rule of one set of options (the optimal-set search's R_f unless the user chose one). */
function setAndFeedback(net: TNet, o: ResolvedRealizationOptions): { set: ResolvedSet; feedback: FeedbackMode; rFeedbackOhm: number | undefined } {
  const set = resolveResistorSet(o.resistors, o.rMinOhm, o.rMaxOhm, net, o.toleranceRel, o.vRefV, o.seed);
  let feedback = o.feedback;
  let rFeedbackOhm = o.rFeedbackOhm ?? undefined;
  // The optimal-set search found its best R_f with the set: use it unless the user chose a rule or a value.
  if (feedback === DEFAULTS.feedback && rFeedbackOhm === undefined && set.rFeedbackOhm !== undefined) {
    feedback = 'fixed';
    rFeedbackOhm = set.rFeedbackOhm;
  }
  return { set, feedback, rFeedbackOhm };
}

const feedbackTextOf = (feedback: FeedbackMode, rFeedbackOhm: number | undefined) => (feedback === 'fixed' ? `fixed ${rFeedbackOhm === undefined ? 'R_f' : ohms(rFeedbackOhm)}` : feedback);

/**
 * Realizes a T-network with resistor pairs under resolved options. `layers`: other options for the neurons of
 * single source layers (by name: every neuron whose origin is that layer, partial sums and buffers included); each
 * such layer is realized with its own set, R_f rule and tolerance, the rest with `o`.
 */
export function realizeNetwork(net: TNet, o: ResolvedRealizationOptions, layers: LayerRealizationOptions = {}): RealizationResult {
  const base = realizeWhole(net, o);
  const names = Object.keys(layers);
  if (names.length === 0) return base;
  const members = new Map<string, number[]>(names.map((name) => [name, []]));
  const n = net.neurons;
  for (let i = 0; i < n.count; i++) if (n.origin[i] >= 0) members.get(net.origins[n.origin[i]].name)?.push(i);
  const realized = base.realized;
  const values = new Set(base.set.values);
  const perLayer: LayerRealization[] = [];
  for (const name of names.sort()) {
    const rows = members.get(name)!;
    const lo = layers[name];
    const { set, feedback, rFeedbackOhm } = setAndFeedback(net, lo);
    perLayer.push({ layer: name, series: set.name, feedback: feedbackTextOf(feedback, rFeedbackOhm), toleranceRel: lo.toleranceRel, neurons: rows.length });
    if (rows.length === 0) continue;
    const sub = rowsOf(net, rows);
    const part = realize(sub, { setOhm: set.values, setName: set.name, feedback, rFeedbackOhm, feedbackPer: lo.feedbackPer, toleranceRel: lo.toleranceRel, vRefV: lo.vRefV });
    splice(realized, part, net, rows);
    for (const v of set.values) values.add(v);
  }
  // The whole circuit draws from the union of the sets; its name lists the layers' own sets.
  const union = [...values].sort((a, b) => a - b);
  const setName = `${base.set.name}; ${perLayer.map((l) => `${l.layer}: ${l.series}`).join('; ')}`;
  const whole: Realized = { ...realized, options: { ...realized.options, setOhm: union, setName } };
  return { ...base, realized: whole, stats: realizationStats(whole), layers: perLayer };
}

function realizeWhole(net: TNet, o: ResolvedRealizationOptions): RealizationResult {
  const { set, feedback, rFeedbackOhm } = setAndFeedback(net, o);
  const pairTables = new PairTableCache(set.values, o.toleranceRel);
  const realized = realize(net, { setOhm: set.values, setName: set.name, feedback, rFeedbackOhm, feedbackPer: o.feedbackPer, toleranceRel: o.toleranceRel, vRefV: o.vRefV }, pairTables);
  return { realized, set, feedbackText: feedbackTextOf(feedback, rFeedbackOhm), stats: realizationStats(realized), pairTables, layers: [] };
}
