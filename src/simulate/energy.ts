// Latency and energy per inference from the behavioural transient (simulate/transient.ts), the op-amp presets with
// dynamics by name with overrides, Binas's protocol, and the energy per MAC. Every figure rests on the op-amp model the
// user chose: the patent gives no op-amp currents (seed-targets C9), so each result carries its model and says so.
//
// Definitions (docs/energy.md):
//   - latency of an inference: the later of (a) the time after which every analog output stays within the tolerance
//     of its DC value and (b) Binas's criterion, the time after which the class equals the DC class for good;
//   - energy per inference: what the supplies, the input sources and V_ref deliver from the switch to the latency
//     (Binas: E = V_dd integral of I_dd up to the time to output); the window energy runs to the next pattern instead;
//   - energy per MAC: energy per inference / the source model's MACs (report/inspect.ts totals);
//   - power at a rate: the window energy (window = 1 / rate) times the rate, the average power of back-to-back
//     inferences without power gating.

import { usageError } from '../errors.js';
import { ENERGY_MESSAGES as EM } from '../messages/energy.js';
import { DYNAMIC_OPAMPS, PATENT_SUPPLIES, type DynamicOpamp } from '../presets/opamps.js';
import type { Realized } from '../realize/realize.js';
import { Rng } from '../util/random.js';
import { percentile } from './montecarlo.js';
import { simulateTransient, type EnergyParts, type TransientLane, type TransientOptions, type TransientResult } from './transient.js';

/** What an override key of --opamp-preset sets, and what values it takes. */
const PRESET_KEYS: Readonly<Record<string, { key: keyof DynamicOpamp; min: 'positive' | 'nonnegative' | 'any' }>> = {
  gbw: { key: 'gbwHz', min: 'positive' },
  slew: { key: 'slewRateVPerS', min: 'positive' },
  iq: { key: 'iqA', min: 'nonnegative' },
  gain: { key: 'gain', min: 'positive' },
  headroom: { key: 'swingHeadroomV', min: 'nonnegative' },
  rin: { key: 'rinOhm', min: 'positive' },
  rout: { key: 'routOhm', min: 'nonnegative' },
  vplus: { key: 'supplyPlusV', min: 'any' },
  vminus: { key: 'supplyMinusV', min: 'any' },
  ilimit: { key: 'outputCurrentLimitA', min: 'positive' },
};

/**
 * An op-amp preset with dynamics by name, with overrides: "micropower", "fast:gbw=20e6,slew=10e6",
 * "generic:supply=op3" (the patent's OP3 supplies, +-2.5 V; op1: +5 V single). Units: gbw Hz, slew V/s, iq and ilimit
 * A, headroom / vplus / vminus V, rin / rout ohm. An overridden preset's name records the overrides.
 */
export function parseOpampPreset(text: string): DynamicOpamp {
  const colon = text.indexOf(':');
  const name = colon < 0 ? text : text.slice(0, colon);
  const rest = colon < 0 ? '' : text.slice(colon + 1);
  const base = Object.prototype.hasOwnProperty.call(DYNAMIC_OPAMPS, name) ? DYNAMIC_OPAMPS[name] : undefined;
  if (!base) throw usageError(EM.unknownPreset(name, Object.keys(DYNAMIC_OPAMPS)));
  if (!rest) return base;
  const out: Record<string, unknown> = { ...base };
  const notes: string[] = [];
  for (const part of rest.split(',')) {
    const eq = part.indexOf('=');
    const k = (eq < 0 ? part : part.slice(0, eq)).trim();
    const v = eq < 0 ? '' : part.slice(eq + 1).trim();
    if (k === 'supply') {
      if (v !== 'op1' && v !== 'op3') throw usageError(EM.badSupplyChoice(v));
      out.supplyPlusV = PATENT_SUPPLIES[v].supplyPlusV;
      out.supplyMinusV = PATENT_SUPPLIES[v].supplyMinusV;
      notes.push(PATENT_SUPPLIES[v].source);
      continue;
    }
    const spec = Object.prototype.hasOwnProperty.call(PRESET_KEYS, k) ? PRESET_KEYS[k] : undefined;
    if (!spec) throw usageError(EM.unknownPresetParameter(name, k, [...Object.keys(PRESET_KEYS), 'supply']));
    const value = Number(v);
    const ok = v !== '' && Number.isFinite(value) && (spec.min === 'any' || (spec.min === 'positive' ? value > 0 : value >= 0));
    if (!ok) throw usageError(EM.badPresetParameter(name, k, v, spec.min === 'any' ? 'a finite number' : spec.min === 'positive' ? 'a positive finite number' : 'a finite number of at least 0'));
    out[spec.key] = value;
  }
  const op = { ...(out as unknown as DynamicOpamp), name: text, assumptions: [...base.assumptions, `overrides: ${rest}`, ...notes] };
  if (!(op.supplyPlusV > 0) || !(op.supplyMinusV <= 0)) throw usageError(EM.suppliesReversed(op.supplyPlusV, op.supplyMinusV));
  return op;
}

/** Energy per multiply-accumulate, joules: an energy (per inference) over the MACs it paid for. */
export function energyPerMacJ(energyJ: number, macs: number): number {
  if (!(macs > 0)) throw usageError(EM.macsUnknown());
  return energyJ / macs;
}

/** Energy per MAC from an average power over a run of given length (Binas: 200 uW x 15 us / 25,100 MAC = 0.1195 pJ). */
export function energyPerMacFromPowerJ(powerW: number, timeS: number, macs: number): number {
  return energyPerMacJ(powerW * timeS, macs);
}

/**
 * Binas's protocol: each sample under test is preceded by a random other sample of the set, settled (the lane starts at
 * its DC operating point). Deterministic in the seed; a set of one sample is preceded by all-zero inputs.
 */
export function binasLanes(samples: readonly ArrayLike<number>[], seed: number): TransientLane[] {
  const rng = new Rng(seed);
  const n = samples.length;
  return samples.map((x, k) => {
    if (n === 1) return { initial: new Float64Array(x.length), patterns: [x] };
    const j = (k + 1 + Math.floor(rng.next() * (n - 1))) % n;
    return { initial: samples[j], patterns: [x] };
  });
}

export interface Percentiles {
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

function percentiles(values: readonly number[]): Percentiles {
  const s = [...values].sort((a, b) => a - b);
  return { mean: values.reduce((a, b) => a + b, 0) / values.length, p50: percentile(s, 0.5), p90: percentile(s, 0.9), p99: percentile(s, 0.99), max: s[s.length - 1] };
}

export interface LayerEnergy {
  readonly layer: string;
  readonly op: string;
  readonly neurons: number;
  readonly opamps: number;
  /** When the layer's last output settled (the wavefront), over the samples. */
  readonly settleS: Percentiles;
  /** Mean op-amp supply energy of the layer (quiescent + output stage) up to the latency, and over the window. */
  readonly energyPerInferenceJ: number;
  readonly energyWindowJ: number;
}

export interface KindEnergy {
  readonly kind: string;
  readonly neurons: number;
  readonly opamps: number;
  readonly energyPerInferenceJ: number;
  readonly energyWindowJ: number;
}

function kindEnergies(res: TransientResult): KindEnergy[] {
  const inf = res.inferences.map((l) => l[0]);
  return res.kinds.flatMap((k, q) => (k.neurons === 0 ? [] : [{
    ...k,
    energyPerInferenceJ: inf.reduce((s, x) => s + x.kindEnergyToOutputJ[q], 0) / inf.length,
    energyWindowJ: inf.reduce((s, x) => s + x.kindEnergyWindowJ[q], 0) / inf.length,
  }]));
}

export interface EnergyFigures {
  /** The op-amp model every figure rests on (the patent gives no op-amp currents). */
  readonly opamp: DynamicOpamp;
  readonly dependsOnOpampModel: string;
  readonly samples: number;
  readonly macs: number;
  readonly opamps: number;
  readonly latencyToleranceV: number;
  /** Latency per inference over the samples. */
  readonly latencyS: Percentiles;
  /** Binas's criterion alone: the class fixed for good. */
  readonly classLatencyS: Percentiles;
  /** Energy per inference (switch to latency) over the samples, and its mean by source. */
  readonly energyPerInferenceJ: Percentiles;
  readonly energyParts: EnergyParts;
  readonly energyPerMacJ: number;
  /** With a rate: the rate, the window energy per inference (1 / rate) and the average power; else null. */
  readonly rateHz: number | null;
  readonly energyPerPeriodJ: number | null;
  readonly powerW: number | null;
  readonly layers: readonly LayerEnergy[];
  /** Per block kind (the neuron roles that occur: compute, partialSum, buffer, ...): mean op-amp supply energy. */
  readonly kinds: readonly KindEnergy[];
  /** Largest op-amp output current met, and how many op-amps exceeded the preset's output current limit. */
  readonly peakOutputCurrentA: number;
  readonly overCurrentOpamps: number;
  readonly slowestPoleHz: number;
  readonly fastestPoleHz: number;
  readonly steps: number;
  readonly rejectedSteps: number;
  /** With power gating: its schedule, figures and check (else null); energyPerInferenceGatedJ its mean energy per inference. */
  readonly energyPerInferenceGatedJ: number | null;
  readonly gating: GatingFigures | null;
}

/** What a gated op-amp does (docs/energy.md "Power gating"). */
export const GATED_OPAMP =
  'a gated op-amp draws no quiescent current; its output is held at the value it had when gated by an ideal sample-and-hold at the layer boundary, whose buffer delivers the current of the resistors on that output from the same supplies; at the next inference\'s switch it is powered again and resumes from the held value';

export interface GatingLayer {
  readonly layer: string;
  /** When the layer is switched off after each switch (the schedule), and the two settling times it comes from. */
  readonly offS: number;
  readonly settledS: number;
  readonly consumersSettledS: number;
  /** Whether its outputs are held by a sample-and-hold (gated before the end of the run). */
  readonly sampleAndHold: boolean;
  /** Mean op-amp supply energy of the layer with gating, up to the latency and over the window. */
  readonly energyPerInferenceJ: number;
  readonly energyWindowJ: number;
}

export interface GatingCheck {
  /** Every sample's outputs at the end of the gated run within the tolerance of the ungated outputs, the class kept. */
  readonly passed: boolean;
  readonly toleranceV: number;
  readonly samples: number;
  /** Largest |gated output - ungated output| at the end of the run, over outputs and samples, volts. */
  readonly maxDeviationV: number;
  /** The samples (indices into the set) that failed. */
  readonly failedSamples: readonly number[];
}

export interface ActiveInterval {
  readonly fromS: number;
  /** Infinity: until the next switch. */
  readonly toS: number;
  /** Indices into the layers, ascending. */
  readonly layers: readonly number[];
}

/** The active set of a schedule over time: intervals between the distinct off-times, with the layers still powered. */
export function activeSet(offS: ArrayLike<number>): ActiveInterval[] {
  const times = [...new Set(Array.from(offS).filter((t) => Number.isFinite(t)))].sort((a, b) => a - b);
  const cuts = [0, ...times.filter((t) => t > 0), Infinity];
  const out: ActiveInterval[] = [];
  for (let k = 0; k + 1 < cuts.length; k++) {
    const layers: number[] = [];
    for (let l = 0; l < offS.length; l++) if (!(offS[l] <= cuts[k])) layers.push(l);
    out.push({ fromS: cuts[k], toS: cuts[k + 1], layers });
  }
  return out;
}

export interface GatingFigures {
  readonly gatedOpamp: string;
  /** The schedule's safety factor on the settling times. */
  readonly marginRel: number;
  readonly layers: readonly GatingLayer[];
  /** The active set over time after each switch: the layers powered in each interval (the rest are off). */
  readonly activeSet: readonly ActiveInterval[];
  readonly kinds: readonly KindEnergy[];
  readonly latencyS: Percentiles;
  readonly energyPerInferenceJ: Percentiles;
  readonly energyParts: EnergyParts;
  readonly energyPerMacJ: number;
  readonly energyPerPeriodJ: number | null;
  readonly powerW: number | null;
  readonly check: GatingCheck;
}

export const OPAMP_DEPENDENCE = 'every time and energy figure rests on the op-amp model named here (its GBW, slew rate, quiescent current and supplies); the patent gives no op-amp currents';

function meanParts(list: readonly EnergyParts[]): EnergyParts {
  const m = (f: (p: EnergyParts) => number) => list.reduce((s, p) => s + f(p), 0) / list.length;
  return { totalJ: m((p) => p.totalJ), quiescentJ: m((p) => p.quiescentJ), outputStageJ: m((p) => p.outputStageJ), inputsJ: m((p) => p.inputsJ), referenceJ: m((p) => p.referenceJ), resistorJ: m((p) => p.resistorJ) };
}

/**
 * The figures of a transient run of one pattern per lane (binasLanes): latency, energy per inference and per MAC, and
 * with a rate (the run's period, 1 / rate) the power; refuses a rate at which some sample has not settled within its
 * period.
 */
export function energyFigures(res: TransientResult, macs: number, latencyToleranceV: number, rateHz: number | null): EnergyFigures {
  const inf = res.inferences.map((l) => l[0]);
  const unsettled = inf.filter((x) => !Number.isFinite(x.latencyS)).length;
  if (rateHz !== null && unsettled > 0) {
    const worst = Math.max(...inf.map((x) => x.latencyS));
    throw usageError(EM.rateTooFast(rateHz, 1 / rateHz, worst, unsettled, inf.length));
  }
  const e = inf.map((x) => x.toOutput.totalJ);
  const perInference = percentiles(e);
  const layers = res.layers.map((l, j): LayerEnergy => ({
    layer: l.name, op: l.op, neurons: l.neurons, opamps: l.opamps,
    settleS: percentiles(inf.map((x) => x.layerSettleS[j])),
    energyPerInferenceJ: inf.reduce((s, x) => s + x.layerEnergyToOutputJ[j], 0) / inf.length,
    energyWindowJ: inf.reduce((s, x) => s + x.layerEnergyWindowJ[j], 0) / inf.length,
  }));
  const windowJ = rateHz === null ? null : inf.reduce((s, x) => s + x.window.totalJ, 0) / inf.length;
  return {
    opamp: res.opamp, dependsOnOpampModel: OPAMP_DEPENDENCE, samples: inf.length, macs, opamps: res.opamps, latencyToleranceV,
    latencyS: percentiles(inf.map((x) => x.latencyS)), classLatencyS: percentiles(inf.map((x) => x.classLatencyS)),
    energyPerInferenceJ: perInference, energyParts: meanParts(inf.map((x) => x.toOutput)), energyPerMacJ: energyPerMacJ(perInference.mean, macs),
    rateHz, energyPerPeriodJ: windowJ, powerW: windowJ === null || rateHz === null ? null : windowJ * rateHz,
    layers, kinds: kindEnergies(res), peakOutputCurrentA: res.peakOutputCurrentA, overCurrentOpamps: res.overCurrentOpamps, slowestPoleHz: res.slowestPoleHz, fastestPoleHz: res.fastestPoleHz,
    steps: res.steps, rejectedSteps: res.rejectedSteps, energyPerInferenceGatedJ: null, gating: null,
  };
}

/**
 * The power-gating schedule (patent claims 1, 7, 10, 11): each layer is powered from the switch until it and every
 * layer reading it have settled (their latest settling time over the samples of the ungated run) times the margin,
 * then switched off with its outputs held; every layer is powered again at the next switch. The layers powered at a
 * time (the active set) and those switched off are disjoint by construction.
 */
export function gatingSchedule(res: TransientResult, marginRel: number): { offS: Float64Array; settledS: Float64Array; consumersSettledS: Float64Array } {
  if (!(marginRel > 0) || !Number.isFinite(marginRel)) throw usageError(EM.badGateMargin(marginRel));
  const nl = res.layers.length;
  const settled = Float64Array.from({ length: nl }, (_, l) => Math.max(0, ...res.inferences.map((lane) => lane[0].layerSettleS[l])));
  const consumers = Float64Array.from(res.layers, (layer) => Math.max(0, ...layer.feeds.map((c) => settled[c])));
  const offS = Float64Array.from({ length: nl }, (_, l) => marginRel * Math.max(settled[l], consumers[l]));
  return { offS, settledS: settled, consumersSettledS: consumers };
}

/** The gated run's figures and its check against the ungated outputs (each lane's end within the tolerance of DC). */
export function gatingFigures(gated: TransientResult, schedule: ReturnType<typeof gatingSchedule>, marginRel: number, macs: number, latencyToleranceV: number, rateHz: number | null): GatingFigures {
  const inf = gated.inferences.map((l) => l[0]);
  const failed: number[] = [];
  let worst = 0;
  inf.forEach((x, k) => {
    worst = Math.max(worst, x.endDeviationV);
    if (!(x.endDeviationV <= latencyToleranceV) || !x.endClassHeld) failed.push(k);
  });
  const e = percentiles(inf.map((x) => x.toOutput.totalJ));
  const windowJ = rateHz === null ? null : inf.reduce((s, x) => s + x.window.totalJ, 0) / inf.length;
  const runEnd = Math.min(...inf.map((x) => x.windowS));
  return {
    gatedOpamp: GATED_OPAMP, marginRel,
    layers: gated.layers.map((l, j): GatingLayer => ({
      layer: l.name, offS: schedule.offS[j], settledS: schedule.settledS[j], consumersSettledS: schedule.consumersSettledS[j], sampleAndHold: schedule.offS[j] < runEnd,
      energyPerInferenceJ: inf.reduce((s, x) => s + x.layerEnergyToOutputJ[j], 0) / inf.length,
      energyWindowJ: inf.reduce((s, x) => s + x.layerEnergyWindowJ[j], 0) / inf.length,
    })),
    activeSet: activeSet(schedule.offS),
    kinds: kindEnergies(gated),
    latencyS: percentiles(inf.map((x) => x.latencyS)), energyPerInferenceJ: e, energyParts: meanParts(inf.map((x) => x.toOutput)), energyPerMacJ: energyPerMacJ(e.mean, macs),
    energyPerPeriodJ: windowJ, powerW: windowJ === null || rateHz === null ? null : windowJ * rateHz,
    check: { passed: failed.length === 0, toleranceV: latencyToleranceV, samples: inf.length, maxDeviationV: worst, failedSamples: failed },
  };
}

export interface EnergyOptions extends Omit<TransientOptions, 'periodS'> {
  /** The source model's multiply-accumulates per inference (report/inspect.ts inspectGraph(graph).totals.macs). */
  readonly macs: number;
  /** Inference rate, Hz: each sample's window is 1 / rate, and the power at that rate is reported. */
  readonly rateHz?: number;
  /** Seed of Binas's random previous patterns (default 1). */
  readonly seed?: number;
  /** Power gating: the schedule's margin on the settling times (gatingSchedule), e.g. 1.25; absent: no gating. */
  readonly gateMarginRel?: number;
  /** Power gating with a given schedule (per layer off-times after the switch) instead of gatingSchedule's. */
  readonly gateOffS?: ArrayLike<number>;
}

/** Latency and energy per inference of a realized network over samples, by Binas's protocol (see the header). */
export function estimateEnergy(r: Realized, samples: readonly ArrayLike<number>[], options: EnergyOptions): EnergyFigures {
  if (options.rateHz !== undefined && !(options.rateHz > 0 && Number.isFinite(options.rateHz))) throw usageError(EM.badRate(options.rateHz));
  const signalV = r.tnet.railV ?? Infinity;
  if (options.latencyToleranceV > 0 && options.latencyToleranceV >= signalV) throw usageError(EM.toleranceBeyondSignal(options.latencyToleranceV, signalV));
  const { macs, rateHz, seed, gateMarginRel, gateOffS, ...transient } = options;
  if (!(macs > 0)) throw usageError(EM.macsUnknown());
  if (gateMarginRel !== undefined && !(gateMarginRel > 0 && Number.isFinite(gateMarginRel))) throw usageError(EM.badGateMargin(gateMarginRel));
  const lanes = binasLanes(samples, seed ?? 1);
  const period = rateHz !== undefined ? { periodS: 1 / rateHz } : {};
  const res = simulateTransient(r, lanes, { ...transient, ...period });
  const figures = energyFigures(res, macs, options.latencyToleranceV, rateHz ?? null);
  if (gateMarginRel === undefined && gateOffS === undefined) return figures;
  const margin = gateMarginRel ?? 1;
  const schedule = gatingSchedule(res, margin);
  const offS = gateOffS !== undefined ? Float64Array.from(gateOffS) : schedule.offS;
  const gated = simulateTransient(r, lanes, { ...transient, ...period, gateOffS: offS });
  const gating = gatingFigures(gated, { ...schedule, offS }, margin, macs, options.latencyToleranceV, rateHz ?? null);
  return { ...figures, energyPerInferenceGatedJ: gating.energyPerInferenceJ.mean, gating };
}

/** Points of the waveforms summary.json and the report carry (resampled uniformly in time). */
export const WAVEFORM_POINTS = 200;

/** One inference over time, without and with gating, for the report's plots (summary.json energy.waveform). */
export interface EnergyWaveform {
  /** The sample (index into the measured samples) and the one before it (Binas's protocol). */
  readonly sample: number;
  readonly previous: number;
  readonly timesS: number[];
  /** Per analog output, its voltage at each time, without and with gating. */
  readonly outputsV: number[][];
  readonly outputsGatedV: number[][];
  /** Per layer, the largest |output - its final value| over the layer's op-amps at each time (ungated): its activity. */
  readonly layerActivityV: number[][];
  /** Per layer, the gating schedule's off-time (the layer is powered from 0 to it). */
  readonly layerOffS: number[];
  /** Total power (op-amp supplies, inputs, V_ref) at each time, without and with gating, watts. */
  readonly powerW: number[];
  readonly powerGatedW: number[];
}

interface Trace {
  t: number[];
  out: number[][];
  sig: Float64Array[];
  power: number[];
}

function record(r: Realized, lane: TransientLane, o: TransientOptions, keepSignals: boolean): { trace: Trace; res: TransientResult } {
  const net = r.tnet;
  const trace: Trace = { t: [], out: [], sig: [], power: [] };
  const res = simulateTransient(r, [lane], {
    ...o,
    // Every accepted step (the first is a small fraction of the fastest pole's time constant after the switch).
    onStep: (t, v, lanes, _first, pw) => {
      trace.t.push(t);
      trace.out.push(Array.from(net.outputSignal, (s) => v[s * lanes]));
      if (keepSignals) trace.sig.push(Float64Array.from({ length: net.inputCount + net.neurons.count }, (_, s) => v[s * lanes]));
      trace.power.push(pw[0]);
    },
  });
  return { trace, res };
}

/** Six significant digits: enough for a plot, and summary.json stays small. */
const round6 = (v: number) => (v === 0 || !Number.isFinite(v) ? v : Number(v.toPrecision(6)));

function resample(t: readonly number[], y: readonly number[], grid: readonly number[]): number[] {
  return resampleExact(t, y, grid).map(round6);
}

function resampleExact(t: readonly number[], y: readonly number[], grid: readonly number[]): number[] {
  const out: number[] = [];
  let k = 0;
  for (const x of grid) {
    while (k + 1 < t.length && t[k + 1] < x) k++;
    if (x <= t[0]) out.push(y[0]);
    else if (k + 1 >= t.length) out.push(y[t.length - 1]);
    else out.push(y[k] + ((x - t[k]) / (t[k + 1] - t[k] || 1)) * (y[k + 1] - y[k]));
  }
  return out;
}

/** The waveforms of one inference (lane `sample` of binasLanes) without and with the gating schedule `offS`. */
export function energyWaveform(r: Realized, samples: readonly ArrayLike<number>[], sample: number, seed: number, options: Omit<TransientOptions, 'onStep' | 'gateOffS'>, offS: ArrayLike<number>): EnergyWaveform {
  const lanes = binasLanes(samples, seed);
  const lane = lanes[sample];
  const previous = samples.indexOf(lane.initial as ArrayLike<number>);
  const free = record(r, lane, options, true);
  const gated = record(r, lane, { ...options, gateOffS: offS }, false);
  const end = Math.max(free.trace.t[free.trace.t.length - 1], gated.trace.t[gated.trace.t.length - 1]);
  const grid = Array.from({ length: WAVEFORM_POINTS }, (_, k) => (k * end) / (WAVEFORM_POINTS - 1));
  const nOut = r.tnet.outputSignal.length;
  const nIn = r.tnet.inputCount;
  const final = free.trace.sig[free.trace.sig.length - 1];
  const layerOf = free.res.layerOfNeuron;
  const activity = free.res.layers.map((_, l) => free.trace.sig.map((v) => {
    let d = 0;
    for (let i = 0; i < layerOf.length; i++) if (layerOf[i] === l) d = Math.max(d, Math.abs(v[nIn + i] - final[nIn + i]));
    return d;
  }));
  return {
    sample, previous, timesS: grid.map(round6),
    outputsV: Array.from({ length: nOut }, (_, j) => resample(free.trace.t, free.trace.out.map((o) => o[j]), grid)),
    outputsGatedV: Array.from({ length: nOut }, (_, j) => resample(gated.trace.t, gated.trace.out.map((o) => o[j]), grid)),
    layerActivityV: activity.map((a) => resample(free.trace.t, a, grid)),
    layerOffS: Array.from(offS),
    powerW: resample(free.trace.t, free.trace.power, grid),
    powerGatedW: resample(gated.trace.t, gated.trace.power, grid),
  };
}

/** summary.json's `energy` section (docs/formats.md): the figures with gating, the set measured, one inference's waveforms. */
export type EnergySummary = EnergyFigures & { readonly on: string; readonly signalLimitV: number; readonly waveform: EnergyWaveform | null };
