// Realization: every T-network neuron becomes a differential summing amplifier (the circuit: circuit.ts): R_f per
// layer or per neuron, each weight a resistor pair from the set chosen by its cost (pairs.ts), the bias a pair to
// V_ref, a normalizing resistor so both op-amp inputs see equal conductance, and where the neuron's largest weight
// exceeds what the set can realize with its R_f (R_f/R_min - R_f/R_max), its weights are divided by a gain k and a
// non-inverting stage of gain k = 1 + R_b/R_a follows ("weight reduction").
// A row that is not a summing neuron (a multiplier cell k x y) has no resistors: it is a cell of its own (circuit/cells.ts),
// its realized weights and bias are its exact ones (1 and 0), and it takes no part in choosing R_f; its per-row entries
// hold NaN for R_f and the gain resistors, Infinity for the open pairs.
// A weight whose best realization is 0 is an open circuit (no resistors). Every resistor comes from the resistor set:
// weights, R_f, the gain stage and the normalizers (one set value, parallel copies of one, two different values in
// parallel, or a pair: normalizerFor in circuit.ts); the realized weights are computed from those rounded values.

import { checkTnetShape } from '../tnet/verify.js';
import { usageError } from '../errors.js';
import { REALIZE_MESSAGES as RM } from '../messages/index.js';
import type { TNet } from '../tnet/types.js';
import { BLOCK } from '../tnet/blocks.js';
import { effectiveNeuron, normalizerFor, normalizerOhm } from './circuit.js';
import { bestOption, PairTableCache, type PairTable } from './pairs.js';

export type FeedbackMode = 'min-error' | 'patent' | 'fixed';

export interface RealizeOptions {
  /** The resistor set, ohms ascending (an E-series over a range, a custom list, or an optimal set). */
  readonly setOhm: readonly number[];
  /** Name of the set for reports, e.g. "E24 100k..1M". */
  readonly setName: string;
  /**
   * How R_f is chosen: 'min-error' (default) ranks the set's values (coarse to fine: every few values, then all values
   * around the best) by the fewest gain stages needed, then the least weight error on a deterministic sample of up to
   * 20,000 of the group's weights; 'patent' takes the set value closest to R_min * w_max; 'fixed'.
   */
  readonly feedback: FeedbackMode;
  /** With feedback 'fixed': R_f in ohms. */
  readonly rFeedbackOhm?: number;
  /** One R_f per source layer (default) or per neuron. */
  readonly feedbackPer: 'layer' | 'neuron';
  /** Relative resistor tolerance r_err used in pair selection (expected error term); 0 = nominal values only. */
  readonly toleranceRel: number;
  /** Bias reference voltage V_ref in volts (default 1). */
  readonly vRefV: number;
}

export interface Realized {
  readonly tnet: TNet;
  readonly options: RealizeOptions;
  /** Per neuron: R_f (both R_n and R_p), ohms. */
  readonly rFeedbackOhm: Float64Array;
  /**
   * Per neuron: gain of the post-summator stage (1: none; a ratio, so no unit), and its resistors in ohms
   * (gain = 1 + rGainBOhm/rGainAOhm; NaN if none).
   */
  readonly gain: Float64Array;
  readonly rGainAOhm: Float64Array;
  readonly rGainBOhm: Float64Array;
  /** Per neuron: bias pair to V_ref, ohms (Infinity: open). */
  readonly rBiasPlusOhm: Float64Array;
  readonly rBiasMinusOhm: Float64Array;
  /**
   * Per neuron: the set value of the normalizing resistor(s) to ground on the non-inverting / inverting input, ohms
   * (Infinity: none), and how many copies of it are in parallel (0: none); and a second, different set value in
   * parallel with them (one resistor; Infinity: none).
   */
  readonly rNormPlusOhm: Float64Array;
  readonly rNormMinusOhm: Float64Array;
  readonly normPlusCount: Uint32Array;
  readonly normMinusCount: Uint32Array;
  readonly rNormPlus2Ohm: Float64Array;
  readonly rNormMinus2Ohm: Float64Array;
  /** Per connection (CSR order of tnet): R+ and R-, ohms (Infinity: open). */
  readonly rPlusOhm: Float64Array;
  readonly rMinusOhm: Float64Array;
  /**
   * Realized weights and biases (nominal resistor values, through the exact circuit formula). A weight is a ratio of
   * resistances (dimensionless); a bias is in volts (V_ref times the bias pair's ratios).
   */
  readonly weight: Float64Array;
  readonly bias: Float64Array;
}

/** Gains realizable by a non-inverting stage 1 + Rb/Ra with Ra, Rb from the set, ascending. */
function gainOptions(set: readonly number[]): { gain: number; a: number; b: number }[] {
  const out: GainOption[] = [];
  for (const a of set) for (const b of set) out.push({ gain: 1 + b / a, a, b });
  out.sort((p, q) => p.gain - q.gain || q.a - p.a);
  return out;
}

interface NeuronPlan {
  gain: number;
  a: number;
  b: number;
}

type GainOption = { gain: number; a: number; b: number };

/** The smallest realizable gain >= need (binary search over the ascending options), or null. */
function gainAtLeast(gains: readonly GainOption[], need: number): GainOption | null {
  let lo = 0;
  let hi = gains.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (gains[mid].gain >= need) hi = mid;
    else lo = mid + 1;
  }
  return lo < gains.length ? gains[lo] : null;
}

/** The gain a neuron needs with R_f, given its largest |weight| (incl. bias / V_ref). */
function planGain(maxAbs: number, table: PairTable, gains: readonly GainOption[]): NeuronPlan {
  if (maxAbs <= table.maxAbs) return { gain: 1, a: NaN, b: NaN };
  const need = maxAbs / table.maxAbs;
  const g = gainAtLeast(gains, need);
  if (!g) {
    throw usageError(RM.gainBeyondSet(maxAbs, need, gains[gains.length - 1].gain));
  }
  return { gain: g.gain, a: g.a, b: g.b };
}

function neuronMaxAbs(net: TNet, i: number, vRef: number): number {
  const n = net.neurons;
  let m = Math.abs(n.bias[i] / vRef);
  for (let e = n.rowPtr[i]; e < n.rowPtr[i + 1]; e++) m = Math.max(m, Math.abs(n.weight[e]));
  return m;
}

/** What ranking R_f candidates for a group needs: each neuron's largest |weight|, and a deterministic sample of
 * the group's weights (every k-th, at most `limit`) with their neuron's largest |weight|. */
interface GroupSample {
  readonly neuronMax: Float64Array;
  readonly weight: Float64Array;
  readonly weightNeuronMax: Float64Array;
}

function sampleGroup(net: TNet, neurons: readonly number[], vRef: number, limit: number): GroupSample {
  const n = net.neurons;
  const neuronMax = Float64Array.from(neurons, (i) => neuronMaxAbs(net, i, vRef));
  const total = neurons.reduce((s, i) => s + n.rowPtr[i + 1] - n.rowPtr[i] + 1, 0);
  const stride = Math.max(1, Math.ceil(total / limit));
  const w: number[] = [];
  const wm: number[] = [];
  let k = 0;
  neurons.forEach((i, j) => {
    for (let e = n.rowPtr[i]; e <= n.rowPtr[i + 1]; e++) {
      if (k++ % stride !== 0) continue;
      w.push(e < n.rowPtr[i + 1] ? n.weight[e] : n.bias[i] / vRef);
      wm.push(neuronMax[j]);
    }
  });
  return { neuronMax, weight: Float64Array.from(w), weightNeuronMax: Float64Array.from(wm) };
}

/**
 * Cost of realizing a group with R_f: first the number of gain stages it needs (each is one more op-amp), then the
 * mean weight cost over the sample (quantization + expected tolerance error, scaled by the gain).
 */
function costWith(sample: GroupSample, rf: number, tables: PairTableCache, gains: readonly GainOption[]): { stages: number; cost: number } {
  const t = tables.get(rf);
  const top = gains[gains.length - 1].gain;
  let stages = 0;
  for (const m of sample.neuronMax) {
    if (m <= t.maxAbs) continue;
    if (m / t.maxAbs > top) return { stages: Infinity, cost: Infinity };
    stages++;
  }
  let cost = 0;
  for (let k = 0; k < sample.weight.length; k++) {
    const m = sample.weightNeuronMax[k];
    const g = m <= t.maxAbs ? 1 : gainAtLeast(gains, m / t.maxAbs)!.gain;
    const w = sample.weight[k] / g;
    const o = bestOption(t, w);
    cost += g * (Math.abs(w - t.value[o]) + t.penalty[o]);
  }
  return { stages, cost: sample.weight.length > 0 ? cost / sample.weight.length : 0 };
}

/** The patent's R_f rule for weights up to wMax: the set value closest (in log) to R_min * wMax. */
export function patentFeedback(set: readonly number[], wMax: number): number {
  const target = set[0] * Math.max(wMax, 1e-12);
  let best = set[0];
  for (const r of set) if (Math.abs(Math.log(r / target)) < Math.abs(Math.log(best / target))) best = r;
  return best;
}

/** Chooses R_f for a group of neurons. */
/** Pair options the min-error R_f search of one group may build (about 10 s of tables on this project's machines). */
export const RF_SEARCH_OPTION_BUDGET = 12_000_000;

function chooseFeedback(net: TNet, neurons: readonly number[], opts: RealizeOptions, tables: PairTableCache, gains: readonly GainOption[]): number {
  if (opts.feedback === 'fixed') return opts.rFeedbackOhm!;
  const set = opts.setOhm;
  if (opts.feedback === 'patent') {
    // The patent's rule: the set value closest to R_base * w_max, with R_base = R_min, so the largest weight of the
    // group is realized near the smallest resistor of the set.
    let wmax = 0;
    for (const i of neurons) wmax = Math.max(wmax, neuronMaxAbs(net, i, opts.vRefV));
    return patentFeedback(set, wmax);
  }
  const sample = sampleGroup(net, neurons, opts.vRefV, 20000);
  // Coarse to fine over the set's values: every step-th value, then every value around the best of those. Each
  // candidate needs a pair table of n^2 options; a set so large that the usual ~24 + 2 step candidates would build
  // more than RF_SEARCH_OPTION_BUDGET options searches a coarser grid and a narrower window instead (bounded work:
  // E192 over 1 Ω..1 GΩ is 1,729 values, 3 M options per table).
  const perTable = set.length * set.length + 1;
  const budget = Math.max(4, Math.floor(RF_SEARCH_OPTION_BUDGET / perTable));
  let step = Math.max(1, Math.floor(set.length / 24));
  let window = step - 1;
  if (Math.ceil(set.length / step) + 2 * window > budget) {
    step = Math.max(1, Math.ceil(set.length / Math.max(2, Math.floor(budget / 2))));
    window = Math.max(0, Math.min(step - 1, Math.floor((budget - Math.ceil(set.length / step)) / 2)));
  }
  let best = set.length - 1;
  let bestCost = { stages: Infinity, cost: Infinity };
  const tryIndex = (k: number) => {
    const c = costWith(sample, set[k], tables, gains);
    if (c.stages < bestCost.stages || (c.stages === bestCost.stages && c.cost < bestCost.cost - 1e-15)) {
      bestCost = c;
      best = k;
    }
  };
  for (let k = set.length - 1; k >= 0; k -= step) tryIndex(k);
  const coarse = best;
  for (let k = Math.max(0, coarse - window); k <= Math.min(set.length - 1, coarse + window); k++) if (k !== coarse) tryIndex(k);
  return set[best];
}

export { effectiveNeuron };

/** Realizes a T-network; `tables` (pair tables for this set and tolerance) may be shared with the caller. */
export function realize(net: TNet, opts: RealizeOptions, shared?: PairTableCache): Realized {
  checkTnetShape(net);
  if (typeof opts !== 'object' || opts === null || !Array.isArray(opts.setOhm)) throw usageError(RM.badRealizeOptions());
  const tables = shared ?? new PairTableCache(opts.setOhm, opts.toleranceRel);
  if (!(opts.toleranceRel >= 0) || !Number.isFinite(opts.toleranceRel)) {
    throw usageError(RM.toleranceImpossible(opts.toleranceRel));
  }
  if (!(opts.vRefV > 0) || !Number.isFinite(opts.vRefV)) throw usageError(RM.vRefNotPositive(opts.vRefV));
  if (opts.feedback === 'fixed' && !(opts.rFeedbackOhm! > 0)) throw usageError(RM.rFeedbackNotPositive(opts.rFeedbackOhm));
  if (opts.setOhm.length === 0) throw usageError(RM.setEmpty());
  const n = net.neurons;
  const N = n.count;
  const E = n.rowPtr[N];
  if (tables.set !== opts.setOhm && (tables.set.length !== opts.setOhm.length || tables.toleranceRel !== opts.toleranceRel)) throw new Error('realize: the pair tables belong to another resistor set');
  const gains = gainOptions(opts.setOhm);

  // R_f per group: a source layer (origin), or each neuron.
  const rFeedbackOhm = new Float64Array(N);
  const isNeuron = (i: number) => n.block[i] === BLOCK.neuron;
  if (opts.feedbackPer === 'neuron') {
    for (let i = 0; i < N; i++) rFeedbackOhm[i] = isNeuron(i) ? chooseFeedback(net, [i], opts, tables, gains) : NaN;
  } else {
    const groups = new Map<number, number[]>();
    for (let i = 0; i < N; i++) {
      if (!isNeuron(i)) {
        rFeedbackOhm[i] = NaN;
        continue;
      }
      const g = groups.get(n.origin[i]);
      if (g) g.push(i);
      else groups.set(n.origin[i], [i]);
    }
    for (const members of groups.values()) {
      const rf = chooseFeedback(net, members, opts, tables, gains);
      for (const i of members) rFeedbackOhm[i] = rf;
    }
  }

  const rPlusOhm = new Float64Array(E);
  const rMinusOhm = new Float64Array(E);
  const gain = new Float64Array(N);
  const rGainAOhm = new Float64Array(N).fill(NaN);
  const rGainBOhm = new Float64Array(N).fill(NaN);
  const rBiasPlusOhm = new Float64Array(N);
  const rBiasMinusOhm = new Float64Array(N);
  const rNormPlusOhm = new Float64Array(N).fill(Infinity);
  const rNormMinusOhm = new Float64Array(N).fill(Infinity);
  const normPlusCount = new Uint32Array(N);
  const normMinusCount = new Uint32Array(N);
  const rNormPlus2Ohm = new Float64Array(N).fill(Infinity);
  const rNormMinus2Ohm = new Float64Array(N).fill(Infinity);
  const weight = new Float64Array(E);
  const bias = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    if (!isNeuron(i)) {
      // A cell without resistors: exact weights and bias, every pair open.
      gain[i] = 1;
      rBiasPlusOhm[i] = Infinity;
      rBiasMinusOhm[i] = Infinity;
      for (let e = n.rowPtr[i]; e < n.rowPtr[i + 1]; e++) {
        rPlusOhm[e] = Infinity;
        rMinusOhm[e] = Infinity;
        weight[e] = n.weight[e];
      }
      bias[i] = n.bias[i];
      continue;
    }
    const rf = rFeedbackOhm[i];
    const t = tables.get(rf);
    const plan = planGain(neuronMaxAbs(net, i, opts.vRefV), t, gains);
    gain[i] = plan.gain;
    rGainAOhm[i] = plan.a;
    rGainBOhm[i] = plan.b;
    let gp = 1 / rf;
    let gm = 1 / rf;
    for (let e = n.rowPtr[i]; e < n.rowPtr[i + 1]; e++) {
      const o = bestOption(t, n.weight[e] / plan.gain);
      rPlusOhm[e] = t.rPlus[o];
      rMinusOhm[e] = t.rMinus[o];
      gp += 1 / rPlusOhm[e];
      gm += 1 / rMinusOhm[e];
    }
    const ob = bestOption(t, n.bias[i] / opts.vRefV / plan.gain);
    rBiasPlusOhm[i] = t.rPlus[ob];
    rBiasMinusOhm[i] = t.rMinus[ob];
    gp += 1 / rBiasPlusOhm[i];
    gm += 1 / rBiasMinusOhm[i];
    const norm = normalizerFor(gp, gm, opts.setOhm, (dG) => {
      if (rf * dG > t.maxAbs) return null;
      const o = bestOption(t, rf * dG);
      return { aOhm: t.rPlus[o], bOhm: t.rMinus[o] };
    });
    rNormPlusOhm[i] = norm.plusOhm;
    rNormMinusOhm[i] = norm.minusOhm;
    normPlusCount[i] = norm.plusCount;
    normMinusCount[i] = norm.minusCount;
    rNormPlus2Ohm[i] = norm.plus2Ohm;
    rNormMinus2Ohm[i] = norm.minus2Ohm;
    bias[i] = effectiveNeuron(rPlusOhm, rMinusOhm, n.rowPtr[i], n.rowPtr[i + 1], rf, rf, rBiasPlusOhm[i], rBiasMinusOhm[i], normalizerOhm(norm.plusOhm, norm.plusCount, norm.plus2Ohm), normalizerOhm(norm.minusOhm, norm.minusCount, norm.minus2Ohm), plan.gain, opts.vRefV, weight);
  }
  return { tnet: net, options: opts, rFeedbackOhm, gain, rGainAOhm, rGainBOhm, rBiasPlusOhm, rBiasMinusOhm, rNormPlusOhm, rNormMinusOhm, normPlusCount, normMinusCount, rNormPlus2Ohm, rNormMinus2Ohm, rPlusOhm, rMinusOhm, weight, bias };
}

export interface RealizationStats {
  /** Weight resistors (R+ and R- of every non-open pair, bias pairs), feedback and ground R_f, gain stages, normalizers. */
  readonly resistors: number;
  readonly weightResistors: number;
  readonly normalizingResistors: number;
  /** Distinct resistance values among all resistors (weights, R_f, gain stages, normalizers). */
  readonly distinctValues: number;
  /** |realized - target| over all weights and biases (biases in volts divided by V_ref). */
  readonly weightErrorMean: number;
  readonly weightErrorMax: number;
  /** Connections whose best realization is an open circuit (a weight too small for the set). */
  readonly openConnections: number;
  readonly neuronsWithGain: number;
  /** Value -> count of every resistor in the netlist, ascending by value. */
  readonly billOfMaterials: readonly { readonly valueOhm: number; readonly count: number }[];
  /** Resistors (of any role) whose value lies outside [min, max] of the set: 0 for a buildable circuit. */
  readonly outsideRange: number;
  /** Normalizing resistors whose value is outside [min, max] of the set (0 since normalizers come from the set). */
  readonly normalizingOutsideRange: number;
  /** R_f per source layer (origin index -> ohms), when chosen per layer. */
  readonly feedbackByLayer: { readonly layer: string; readonly rFeedbackOhm: number }[];
  /** Summing neurons (op-amp circuits of resistors); the cells below are counted apart. */
  readonly neurons: number;
  /** Multiplier cells (k x y, no resistors) by coefficient k, ascending: the bill of materials' cells. */
  readonly multiplierCells: readonly { readonly coefficient: number; readonly count: number }[];
}

export function realizationStats(r: Realized): RealizationStats {
  const n = r.tnet.neurons;
  // The bill of materials: every resistor the netlist holds (circuit/build.ts), by value.
  const bom = new Map<number, number>();
  const add = (v: number, c = 1) => bom.set(v, (bom.get(v) ?? 0) + c);
  let weightResistors = 0;
  let open = 0;
  let errSum = 0;
  let errMax = 0;
  let count = 0;
  const cellRow = new Uint8Array(n.rowPtr[n.count]);
  for (let i = 0; i < n.count; i++) if (n.block[i] !== BLOCK.neuron) cellRow.fill(1, n.rowPtr[i], n.rowPtr[i + 1]);
  for (let e = 0; e < r.rPlusOhm.length; e++) {
    if (cellRow[e]) continue;
    if (r.rPlusOhm[e] === Infinity) open++;
    else {
      weightResistors += 2;
      add(r.rPlusOhm[e]);
      add(r.rMinusOhm[e]);
    }
    const d = Math.abs(r.weight[e] - n.weight[e]);
    errSum += d;
    errMax = Math.max(errMax, d);
    count++;
  }
  let norm = 0;
  let normOut = 0;
  let gains = 0;
  const lo = r.options.setOhm[0];
  const hi = r.options.setOhm[r.options.setOhm.length - 1];
  let neurons = 0;
  const cells = new Map<number, number>();
  for (let i = 0; i < n.count; i++) {
    if (n.block[i] !== BLOCK.neuron) {
      if (n.block[i] === BLOCK.multiplier) cells.set(n.paramA[i], (cells.get(n.paramA[i]) ?? 0) + 1);
      continue;
    }
    neurons++;
    if (r.rBiasPlusOhm[i] !== Infinity) {
      weightResistors += 2;
      add(r.rBiasPlusOhm[i]);
      add(r.rBiasMinusOhm[i]);
    }
    add(r.rFeedbackOhm[i], 2); // R_f in the feedback and R_p = R_f from (+) to ground

    const normParts = [[r.rNormPlusOhm[i], r.normPlusCount[i]], [r.rNormMinusOhm[i], r.normMinusCount[i]], [r.rNormPlus2Ohm[i], r.rNormPlus2Ohm[i] !== Infinity ? 1 : 0], [r.rNormMinus2Ohm[i], r.rNormMinus2Ohm[i] !== Infinity ? 1 : 0]] as const;
    for (const [v, c] of normParts) {
      if (c === 0) continue;
      norm += c;
      add(v, c);
      if (v < lo || v > hi) normOut += c;
    }
    if (r.gain[i] !== 1) {
      gains++;
      add(r.rGainAOhm[i]);
      add(r.rGainBOhm[i]);
    }
    const d = Math.abs(r.bias[i] - n.bias[i]) / r.options.vRefV;
    errSum += d;
    errMax = Math.max(errMax, d);
    count++;
  }
  const byLayer = new Map<number, number>();
  for (let i = 0; i < n.count; i++) if (n.block[i] === BLOCK.neuron && !byLayer.has(n.origin[i])) byLayer.set(n.origin[i], r.rFeedbackOhm[i]);
  return {
    resistors: weightResistors + 2 * neurons + norm + 2 * gains,
    weightResistors,
    normalizingResistors: norm,
    distinctValues: bom.size,
    billOfMaterials: [...bom.entries()].sort((a, b) => a[0] - b[0]).map(([valueOhm, count]) => ({ valueOhm, count })),
    outsideRange: [...bom.entries()].reduce((k, [v, c]) => k + (v < lo || v > hi ? c : 0), 0),
    weightErrorMean: count > 0 ? errSum / count : 0,
    weightErrorMax: errMax,
    openConnections: open,
    neuronsWithGain: gains,
    normalizingOutsideRange: normOut,
    feedbackByLayer: r.options.feedbackPer === 'layer'
      ? [...byLayer.entries()].sort((a, b) => a[0] - b[0]).map(([o, rf]) => ({ layer: o >= 0 ? r.tnet.origins[o].name : '(none)', rFeedbackOhm: rf }))
      : [],
    neurons,
    multiplierCells: [...cells.entries()].sort((a, b) => a[0] - b[0]).map(([coefficient, count]) => ({ coefficient, count })),
  };
}

const realizedChecked = new WeakSet<object>();

/** The guard of the entry points that take a realized network (the circuit builder, netlist emission, SPICE). */
export function requireRealized(r: unknown): asserts r is Realized {
  if (typeof r === 'object' && r !== null && realizedChecked.has(r)) return;
  if (typeof r !== 'object' || r === null) throw usageError(RM.notRealized(`got ${r === null ? 'null' : typeof r}`));
  const x = r as Partial<Realized>;
  checkTnetShape(x.tnet);
  const N = x.tnet.neurons.count;
  const E = x.tnet.neurons.rowPtr[N];
  const per = (k: keyof Realized, len: number) => {
    if (!(x[k] instanceof Float64Array) || (x[k] as Float64Array).length !== len) throw usageError(RM.notRealized(`${String(k)} is not a Float64Array of ${len} entries`));
  };
  for (const k of ['rFeedbackOhm', 'gain', 'rGainAOhm', 'rGainBOhm', 'rBiasPlusOhm', 'rBiasMinusOhm', 'rNormPlusOhm', 'rNormMinusOhm', 'rNormPlus2Ohm', 'rNormMinus2Ohm', 'bias'] as const) per(k, N);
  for (const k of ['rPlusOhm', 'rMinusOhm', 'weight'] as const) per(k, E);
  for (const k of ['normPlusCount', 'normMinusCount'] as const) {
    if (!(x[k] instanceof Uint32Array) || (x[k] as Uint32Array).length !== N) throw usageError(RM.notRealized(`${k} is not a Uint32Array of ${N} entries`));
  }
  if (typeof x.options !== 'object' || x.options === null || !(x.options.vRefV > 0)) throw usageError(RM.notRealized('its options have no positive vRefV'));
  realizedChecked.add(r);
}
