// The behavioural transient of a realized network (issue 12): every op-amp a single-pole amplifier with a slew-rate
// limit and output limits, the resistor networks solved at every step, the supply and source power integrated along
// the way (simulate/energy.ts turns the result into latency and energy figures).
//
// The model of one op-amp stage (realize/circuit.ts is the circuit): the differential summing amplifier's linear
// output v (the node `fb` R_f feeds back from) follows its closed-loop target T (what the DC transfer gives for the
// present inputs: the realized weights with the op-amp's finite-gain DC model, simulate/realized.ts nominalWeights)
// with the closed-loop pole of a single-pole op-amp, f_cl = GBW / noise gain (noise gain 1 + R_f G-, circuit.ts
// noiseGain), and no faster than the slew rate:
//     dv/dt = clamp(2 pi f_cl (T - v), -SR, +SR),   v held within the supplies.
// A two-stage neuron (a gain stage 1 + R_b/R_a after the summator, circuit.ts) has a second such state whose target is
// the gain times the summator's limited output and whose noise gain is the stage's gain. The output the next neurons
// see is the final stage's v through the output stage's limits (the activation's: ReLU [h, S-h], clipped ReLU
// [h, min(A,S)-h], identity +-(S-h), h the preset's headroom), and a sigmoid/tanh block (behavioural, instantaneous,
// as in the netlist) after it. At equilibrium every state equals its target, so the transient ends exactly where the DC
// simulation (simulateRealized with the same preset) is.
//
// Integration: TR-BDF2 (gamma = 2 - sqrt 2; Bank et al. 1985), L-stable, second order, with its local error estimate
// (LTE = 2 k h (f_n/gamma - f_gamma/(gamma(1-gamma)) + f_{n+1}/(1-gamma)), k = (-3 gamma^2 + 4 gamma - 2)/(12(2-gamma)))
// controlling the step. The neurons are in topological order (a neuron reads only inputs and earlier neurons), so each
// implicit stage is one forward sweep: a neuron's sources are already known at the stage's time, and its own update
// is a scalar equation v = c + alpha clamp(omega (T - v), +-SR) with a closed-form solution. Samples are batched
// ("lanes", neuron-major Float64Arrays like tnet/evaluate.ts) on one common time grid.
//
// Power at every accepted step (the resistor networks' node voltages from the states): each op-amp draws its
// quiescent current between its supplies, Iq (V+ - V-), and the current its output sources (from V+) or sinks (into
// V-), V+ I_o or V- I_o; the input sources and the bias reference V_ref deliver V I into their resistors. That sum is
// everything the supplies deliver; the resistor dissipation (V^2/R of every resistor) is the part of it the resistor
// networks turn into heat, reported beside it and never added to it (it is paid by the op-amp outputs, the inputs and
// V_ref). The sigmoid/tanh blocks are behavioural: no supply current, their load current charged to the stage before.
//
// Protocol (Binas et al.): each lane starts at the DC operating point of its initial pattern (a random previous
// pattern, "settled"), then its patterns are applied one after another, at t = 0 and every `periodS` after; without a
// period there is one pattern and the run ends when every lane has settled (every op-amp state within
// settleToleranceV of its DC value).

import { usageError } from '../errors.js';
import { ENERGY_MESSAGES as EM } from '../messages/energy.js';
import type { DynamicOpamp } from '../presets/opamps.js';
import { requireRealized, type Realized } from '../realize/realize.js';
import { noiseGain, parallelOhm } from '../realize/circuit.js';
import { BLOCK, BLOCKS } from '../tnet/blocks.js';
import { applyTnetActivation, readout } from '../tnet/evaluate.js';
import { ACT, isSmoothAct, ROLES, type TNet } from '../tnet/types.js';
import { DEFAULTS } from '../presets/defaults.js';
import { classOf, nominalWeights } from './realized.js';

const GAMMA = 2 - Math.SQRT2;
const LTE_K = (-3 * GAMMA * GAMMA + 4 * GAMMA - 2) / (12 * (2 - GAMMA));

export interface TransientOptions {
  /** The op-amp model (presets/opamps.ts DYNAMIC_OPAMPS, or one with overrides: parseOpampPreset). */
  readonly opamp: DynamicOpamp;
  /** An output has settled once it stays within this many volts of its DC value (latency; Binas's class criterion too). */
  readonly latencyToleranceV: number;
  /** Time between patterns in a sequence (1 / inference rate), seconds; absent: one pattern, run until settled. */
  readonly periodS?: number;
  /** Local error per step the step control keeps below, volts (default latencyToleranceV / 10). */
  readonly errorToleranceV?: number;
  /** Without a period, the run ends when every op-amp state is within this of its DC value (default latencyToleranceV / 1000). */
  readonly settleToleranceV?: number;
  /** Longest simulated time, seconds (default 1 s): a lane not settled by then is an error. */
  readonly maxTimeS?: number;
  /** Class of a single-output model: output > threshold (default DEFAULTS.classThreshold). */
  readonly classThreshold?: number;
  /** Lanes (samples) integrated together on one time grid (default 8; memory ~18 x neurons x lanes x 8 bytes). */
  readonly lanesPerBatch?: number;
  /** Called after every accepted step with the time, every signal's value (signal-major: signal s of lane k at
   * values[s * lanes + k]; inputs then neurons; the buffer is reused), the batch's first lane index, and each lane's
   * power at that point (watts: op-amp supplies, inputs and V_ref; reused) and per layer x lane its op-amp supply power. */
  readonly onStep?: (tS: number, values: Float64Array, lanes: number, firstLane: number, powerW: Float64Array, layerPowerW: Float64Array) => void;
  /**
   * Power gating: per layer (TransientResult.layers order), the time after each pattern's switch at which the layer is
   * switched off (Infinity or absent: never), and on again at the next pattern's switch. A gated op-amp draws no
   * quiescent current and its output is held (see the header); with a schedule and no period the run lasts at least
   * until the last layer is gated.
   */
  readonly gateOffS?: ArrayLike<number>;
}

/** One lane's run: an initial pattern (its DC state is where the lane starts) and the patterns applied after it. */
export interface TransientLane {
  readonly initial: ArrayLike<number>;
  readonly patterns: readonly ArrayLike<number>[];
}

/** Energy by where it comes from, joules. total = quiescent + outputStage + inputs + reference. */
export interface EnergyParts {
  readonly totalJ: number;
  /** Op-amp quiescent current between the supplies, Iq (V+ - V-). */
  readonly quiescentJ: number;
  /** The supplies' share of the op-amp output currents (V+ I_o sourcing, V- I_o sinking). */
  readonly outputStageJ: number;
  /** Delivered by the input sources (ideal voltage sources; may be negative when a source absorbs). */
  readonly inputsJ: number;
  /** Delivered by the bias reference V_ref. */
  readonly referenceJ: number;
  /** Dissipated in the resistors (paid out of the figures above, not added to them). */
  readonly resistorJ: number;
}

/** One inference (a pattern of one lane) in the transient. Times are from the pattern's switch. */
export interface InferenceTransient {
  /** Latency: the later of toleranceLatencyS and classLatencyS (Infinity: not settled within the window). */
  readonly latencyS: number;
  /** After this time every output stays within latencyToleranceV of its DC value. */
  readonly toleranceLatencyS: number;
  /** Binas's criterion: after this time the class (argmax) equals the DC class and never changes again. */
  readonly classLatencyS: number;
  /** The DC class. */
  readonly dcClass: number;
  /** Per layer (TransientResult.layers), when its last op-amp output settled within the tolerance (the wavefront). */
  readonly layerSettleS: Float64Array;
  /** Energy from the switch to the latency (Binas: E = V_dd integral of I_dd up to the time to output). */
  readonly toOutput: EnergyParts;
  /** Energy over the whole window (the period, or until the run ended). */
  readonly window: EnergyParts;
  readonly windowS: number;
  /** Per layer: op-amp supply energy (quiescent + output stage) from the switch to the latency, joules. */
  readonly layerEnergyToOutputJ: Float64Array;
  /** Per layer: op-amp supply energy over the window, joules. */
  readonly layerEnergyWindowJ: Float64Array;
  /** Per block kind (ROLES order: compute, linear, partialSum, buffer, pool, shared): op-amp supply energy to the
   * latency and over the window, joules. */
  readonly kindEnergyToOutputJ: Float64Array;
  readonly kindEnergyWindowJ: Float64Array;
  /** At the end of the window: max |output - DC| over the outputs, and whether the class is the DC class. */
  readonly endDeviationV: number;
  readonly endClassHeld: boolean;
}

export interface TransientLayer {
  /** Source-graph node the neurons realize (fused activations counted with their conv/dense), or "(unattributed)". */
  readonly name: string;
  readonly op: string;
  readonly neurons: number;
  /** Op-amps: one per neuron, two for a neuron with a gain stage. */
  readonly opamps: number;
  /** The layers that read this layer's outputs (indices into TransientResult.layers), ascending. */
  readonly feeds: readonly number[];
}

export interface TransientResult {
  readonly opamp: DynamicOpamp;
  /** Per lane, per pattern. */
  readonly inferences: InferenceTransient[][];
  readonly layers: readonly TransientLayer[];
  readonly opamps: number;
  /** Accepted and rejected steps over all batches. */
  readonly steps: number;
  readonly rejectedSteps: number;
  /** The largest |output current| of any op-amp at any step, amperes, and how many op-amps exceeded the preset's limit. */
  readonly peakOutputCurrentA: number;
  readonly overCurrentOpamps: number;
  /** Slowest and fastest closed-loop pole, Hz. */
  readonly slowestPoleHz: number;
  readonly fastestPoleHz: number;
  /** Per neuron, its layer (index into layers). */
  readonly layerOfNeuron: Int32Array;
  /** Per block kind (ROLES order): neurons and op-amps. */
  readonly kinds: readonly { readonly kind: string; readonly neurons: number; readonly opamps: number }[];
}

interface Prepared {
  readonly net: TNet;
  readonly nIn: number;
  readonly count: number;
  readonly weight: Float64Array;
  readonly bias: Float64Array;
  /** Per neuron: summator's closed-loop pole (rad/s); target divisor (the gain stage's gain, 1 if none). */
  readonly omega1: Float64Array;
  readonly stage2: Uint8Array;
  readonly gain: Float64Array;
  readonly omega2: Float64Array;
  /** Output-stage limits of the final op-amp stage, and of the summator when a second stage follows. */
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  readonly smooth: Uint8Array;
  readonly layerOf: Int32Array;
  readonly layers: TransientLayer[];
  // Resistor network conductances (siemens).
  readonly gPlus: Float64Array;
  readonly gMinus: Float64Array;
  readonly gpTot: Float64Array;
  readonly gmTot: Float64Array;
  readonly gBp: Float64Array;
  readonly gBm: Float64Array;
  readonly gN: Float64Array;
  /** (+) to ground besides the inputs: R_p and the (+) normalizers. */
  readonly gpGround: Float64Array;
  readonly gmGround: Float64Array;
  /** Gain stage: 1 / (R_a + R_b) and R_a / (R_a + R_b). */
  readonly gGain: Float64Array;
  readonly gainDivider: Float64Array;
  readonly rail: number;
  readonly headroom: number;
  readonly vRef: number;
  readonly opamps: number;
  /** Per neuron: 1 while its layer is gated off (the states frozen, the output held, no quiescent current). */
  readonly gated: Uint8Array;
}

function checkNetwork(r: Realized): void {
  const net = r.tnet;
  if (net.clock) throw usageError(EM.clocked());
  const n = net.neurons;
  for (let i = 0; i < n.count; i++) if (n.block[i] !== BLOCK.neuron) throw usageError(EM.unsupportedBlock(BLOCKS[n.block[i]] ?? String(n.block[i])));
}

/** Validates the op-amp's dynamics and that the signal range fits its supplies. */
export function checkOpampFits(opamp: DynamicOpamp, signalLimitV: number): void {
  if (!(opamp.supplyPlusV > 0) || !(opamp.supplyMinusV <= 0)) throw usageError(EM.suppliesReversed(opamp.supplyPlusV, opamp.supplyMinusV));
  if (signalLimitV > opamp.supplyPlusV * (1 + 1e-12) || (opamp.supplyMinusV < 0 ? -signalLimitV < opamp.supplyMinusV * (1 + 1e-12) : true)) {
    throw usageError(EM.signalBeyondSupplies(signalLimitV, opamp.supplyPlusV, opamp.supplyMinusV, opamp.name));
  }
}

function prepare(r: Realized, op: DynamicOpamp): Prepared {
  requireRealized(r);
  checkNetwork(r);
  const net = r.tnet;
  const n = net.neurons;
  const count = n.count;
  const rail = net.railV ?? DEFAULTS.signalLimitV;
  checkOpampFits(op, rail);
  const h = op.swingHeadroomV;
  const w = nominalWeights(r, op);
  const twoPi = 2 * Math.PI;
  const omega1 = new Float64Array(count);
  const omega2 = new Float64Array(count);
  const stage2 = new Uint8Array(count);
  const gain = new Float64Array(count).fill(1);
  const lo = new Float64Array(count);
  const hi = new Float64Array(count);
  const smooth = new Uint8Array(count);
  const gpTot = new Float64Array(count);
  const gmTot = new Float64Array(count);
  const gBp = new Float64Array(count);
  const gBm = new Float64Array(count);
  const gN = new Float64Array(count);
  const gpGround = new Float64Array(count);
  const gmGround = new Float64Array(count);
  const gGain = new Float64Array(count);
  const gainDivider = new Float64Array(count);
  const nnz = n.rowPtr[count];
  const gPlus = new Float64Array(nnz);
  const gMinus = new Float64Array(nnz);
  for (let e = 0; e < nnz; e++) {
    gPlus[e] = 1 / r.rPlusOhm[e];
    gMinus[e] = 1 / r.rMinusOhm[e];
  }
  let opamps = 0;
  for (let i = 0; i < count; i++) {
    omega1[i] = (twoPi * op.gbwHz) / noiseGain(r, i);
    const code = n.activation[i];
    smooth[i] = isSmoothAct(code) ? 1 : 0;
    if (r.gain[i] !== 1) {
      stage2[i] = 1;
      gain[i] = r.gain[i];
      omega2[i] = (twoPi * op.gbwHz) / r.gain[i];
      gGain[i] = 1 / (r.rGainAOhm[i] + r.rGainBOhm[i]);
      gainDivider[i] = r.rGainAOhm[i] / (r.rGainAOhm[i] + r.rGainBOhm[i]);
    }
    opamps += 1 + stage2[i];
    if (code === ACT.relu) {
      lo[i] = h;
      hi[i] = rail - h;
    } else if (code === ACT.clippedRelu) {
      lo[i] = h;
      hi[i] = (n.paramA[i] < rail ? n.paramA[i] : rail) - h;
    } else {
      lo[i] = -rail + h;
      hi[i] = rail - h;
    }
    const rf = r.rFeedbackOhm[i];
    gN[i] = 1 / rf;
    gBp[i] = 1 / r.rBiasPlusOhm[i];
    gBm[i] = 1 / r.rBiasMinusOhm[i];
    gpGround[i] = 1 / rf + 1 / parallelOhm(r.rNormPlusOhm[i], r.normPlusCount[i]);
    gmGround[i] = 1 / parallelOhm(r.rNormMinusOhm[i], r.normMinusCount[i]);
    let gp = gpGround[i] + gBp[i];
    let gm = gmGround[i] + gBm[i] + gN[i];
    for (let e = n.rowPtr[i]; e < n.rowPtr[i + 1]; e++) {
      gp += gPlus[e];
      gm += gMinus[e];
    }
    gpTot[i] = gp;
    gmTot[i] = gm;
  }
  // Layers: the source-graph node each neuron realizes (an activation fused into its conv/dense counts with it).
  const layerIndex = new Map<number, number>();
  const layers: { name: string; op: string; neurons: number; opamps: number; feeds: number[] }[] = [];
  const layerOf = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    let o = n.origin[i];
    if (o >= 0 && net.origins[o].fusedInto !== undefined) o = net.origins[o].fusedInto!;
    let l = layerIndex.get(o);
    if (l === undefined) {
      l = layers.length;
      layerIndex.set(o, l);
      layers.push({ name: o >= 0 ? net.origins[o].name : '(unattributed)', op: o >= 0 ? net.origins[o].op : '-', neurons: 0, opamps: 0, feeds: [] });
    }
    layerOf[i] = l;
    layers[l].neurons++;
    layers[l].opamps += 1 + stage2[i];
  }
  const feeds = layers.map(() => new Set<number>());
  for (let i = 0; i < count; i++) {
    for (let e = n.rowPtr[i]; e < n.rowPtr[i + 1]; e++) {
      const s = n.src[e] - net.inputCount;
      if (s >= 0 && layerOf[s] !== layerOf[i]) feeds[layerOf[s]].add(layerOf[i]);
    }
  }
  feeds.forEach((f, l) => layers[l].feeds.push(...[...f].sort((a, b) => a - b)));
  return {
    net, nIn: net.inputCount, count, weight: w.weight, bias: w.bias, omega1, stage2, gain, omega2, lo, hi, smooth, layerOf, layers,
    gPlus, gMinus, gpTot, gmTot, gBp, gBm, gN, gpGround, gmGround, gGain, gainDivider, rail, headroom: h, vRef: r.options.vRefV, opamps,
    gated: new Uint8Array(count),
  };
}

/** The output of neuron i's final stage for its state v (the output stage's limits, then a smooth block, within the rails). */
function finalOutput(p: Prepared, i: number, v: number): number {
  const n = p.net.neurons;
  if (!p.smooth[i]) return v < p.lo[i] ? p.lo[i] : v > p.hi[i] ? p.hi[i] : v;
  const x = v < p.lo[i] ? p.lo[i] : v > p.hi[i] ? p.hi[i] : v;
  const y = applyTnetActivation(n.activation[i], n.paramA[i], n.paramB[i], x);
  return y > p.rail ? p.rail : y < -p.rail ? -p.rail : y;
}

/** The summator's output when a gain stage follows: linear within the rails (less the headroom). */
function summatorOutput(p: Prepared, v: number): number {
  const l = p.rail - p.headroom;
  return v < -l ? -l : v > l ? l : v;
}

/** Scalar implicit update v = c + alpha clamp(omega (T - v), +-SR), then held within the supplies [vMin, vMax]. */
function solveStage(c: number, alpha: number, omega: number, sr: number, target: number, vMin: number, vMax: number): number {
  let v = (c + alpha * omega * target) / (1 + alpha * omega);
  const rate = omega * (target - v);
  if (rate > sr) v = c + alpha * sr;
  else if (rate < -sr) v = c - alpha * sr;
  return v < vMin ? vMin : v > vMax ? vMax : v;
}

/** The rate of a state at its target: clamp(omega (T - v), +-SR), 0 when held at a supply and pushed beyond it. */
function rateOf(v: number, omega: number, sr: number, target: number, vMin: number, vMax: number): number {
  let f = omega * (target - v);
  if (f > sr) f = sr;
  else if (f < -sr) f = -sr;
  if ((v <= vMin && f < 0) || (v >= vMax && f > 0)) return 0;
  return f;
}

/** The state arrays of one time point of a batch. */
interface Point {
  /** Summator and gain-stage states (neuron-major, lane fastest). */
  a: Float64Array;
  b: Float64Array;
  fa: Float64Array;
  fb: Float64Array;
  /** Signal values (inputs then neuron outputs), signal-major. */
  out: Float64Array;
  /** The summator's output where a gain stage follows (what the gain stage's target multiplies). */
  s: Float64Array;
}

function newPoint(p: Prepared, L: number): Point {
  const m = p.count * L;
  return { a: new Float64Array(m), b: new Float64Array(m), fa: new Float64Array(m), fb: new Float64Array(m), out: new Float64Array((p.nIn + p.count) * L), s: new Float64Array(m) };
}

/** Mode of a sweep: the DC operating point, the rates at the present states, or an implicit stage. */
const enum Sweep {
  dc,
  rates,
  implicit,
}

/**
 * One forward sweep over the neurons of a batch. dc: every state at its target (the operating point). rates: the
 * states kept, their rates computed for the present outputs. implicit: each state solved from c = base(state) and alpha.
 * `base` gives c for (stage 0|1, index).
 */
function sweep(p: Prepared, op: DynamicOpamp, L: number, mode: Sweep, pt: Point, alpha: number, base: ((stage: 0 | 1, idx: number) => number) | null, acc: Float64Array): void {
  const n = p.net.neurons;
  const nIn = p.nIn;
  const sr = op.slewRateVPerS;
  const vMin = op.supplyMinusV;
  const vMax = op.supplyPlusV;
  const { a, b, fa, fb, out, s } = pt;
  // One op-amp stage (0: the summator, 1: the gain stage) of element idx toward its target, by the sweep's mode: the
  // new state into `state`, its rate into `rate`.
  const gated = p.gated;
  const settle = (stage: 0 | 1, state: Float64Array, rate: Float64Array, idx: number, target: number, omega: number): number => {
    let v: number;
    if (mode !== Sweep.dc && gated[(idx / L) | 0]) {
      // Gated: the state frozen (its rate is 0, so an implicit stage's base is the state itself), the output held.
      v = mode === Sweep.rates ? state[idx] : base!(stage, idx);
      rate[idx] = 0;
    } else if (mode === Sweep.dc) {
      v = target < vMin ? vMin : target > vMax ? vMax : target;
      rate[idx] = 0;
    } else if (mode === Sweep.rates) {
      v = state[idx];
      rate[idx] = rateOf(v, omega, sr, target, vMin, vMax);
    } else {
      const c = base!(stage, idx);
      v = solveStage(c, alpha, omega, sr, target, vMin, vMax);
      rate[idx] = (v - c) / alpha;
      if ((v <= vMin || v >= vMax) && rate[idx] * (target - v) <= 0) rate[idx] = 0;
    }
    state[idx] = v;
    return v;
  };
  for (let i = 0; i < p.count; i++) {
    acc.fill(p.bias[i]);
    for (let e = n.rowPtr[i]; e < n.rowPtr[i + 1]; e++) {
      const w = p.weight[e];
      const base0 = n.src[e] * L;
      for (let k = 0; k < L; k++) acc[k] += w * out[base0 + k];
    }
    const two = p.stage2[i] === 1;
    const g = p.gain[i];
    const w1 = p.omega1[i];
    const w2 = p.omega2[i];
    const o = (nIn + i) * L;
    for (let k = 0; k < L; k++) {
      const idx = i * L + k;
      const t1 = two ? acc[k] / g : acc[k];
      const va = settle(0, a, fa, idx, t1, w1);
      if (!two) {
        out[o + k] = finalOutput(p, i, va);
        continue;
      }
      const sv = summatorOutput(p, va);
      s[idx] = sv;
      const t2 = g * sv;
      const vb = settle(1, b, fb, idx, t2, w2);
      out[o + k] = finalOutput(p, i, vb);
    }
  }
}

/** Instantaneous power of a batch at one point, per lane, into the given arrays (watts). */
interface PowerArrays {
  quiescent: Float64Array;
  outputStage: Float64Array;
  inputs: Float64Array;
  reference: Float64Array;
  resistor: Float64Array;
  /** Per layer x lane: op-amp supply power (quiescent + output stage); the same per block kind (role) x lane. */
  layer: Float64Array;
  kind: Float64Array;
}

function newPower(L: number, layers: number): PowerArrays {
  return { quiescent: new Float64Array(L), outputStage: new Float64Array(L), inputs: new Float64Array(L), reference: new Float64Array(L), resistor: new Float64Array(L), layer: new Float64Array(layers * L), kind: new Float64Array(ROLES.length * L) };
}

interface PowerScratch {
  vp: Float64Array;
  vm: Float64Array;
  load: Float64Array;
  diss: Float64Array;
  peak: number;
  over: Uint8Array;
}

/** The node voltages, currents and powers of the resistor networks and op-amps at one point (see the header). */
function power(p: Prepared, op: DynamicOpamp, L: number, pt: Point, pw: PowerArrays, sc: PowerScratch): void {
  const n = p.net.neurons;
  const nIn = p.nIn;
  const { a, b, out } = pt;
  const { vp, vm, load } = sc;
  const vRef = p.vRef;
  pw.quiescent.fill(0);
  pw.outputStage.fill(0);
  pw.inputs.fill(0);
  pw.reference.fill(0);
  pw.resistor.fill(0);
  pw.layer.fill(0);
  pw.kind.fill(0);
  load.fill(0);
  // Node voltages of every summator's inputs: (+) a passive divider, (-) with the feedback from its linear output.
  // Edge-outer, lane-inner loops: the lanes of one signal are contiguous.
  for (let i = 0; i < p.count; i++) {
    const r0 = n.rowPtr[i];
    const r1 = n.rowPtr[i + 1];
    const o = i * L;
    for (let k = 0; k < L; k++) {
      vp[o + k] = vRef * p.gBp[i];
      vm[o + k] = vRef * p.gBm[i] + a[o + k] * p.gN[i];
    }
    for (let e = r0; e < r1; e++) {
      const gp = p.gPlus[e];
      const gm = p.gMinus[e];
      const si = n.src[e] * L;
      for (let k = 0; k < L; k++) {
        const x = out[si + k];
        vp[o + k] += x * gp;
        vm[o + k] += x * gm;
      }
    }
    const ip = 1 / p.gpTot[i];
    const im = 1 / p.gmTot[i];
    for (let k = 0; k < L; k++) {
      vp[o + k] *= ip;
      vm[o + k] *= im;
    }
  }
  // Currents through the input resistors, scattered to the signal that drives them; the resistors' dissipation.
  const diss = sc.diss;
  diss.fill(0);
  for (let i = 0; i < p.count; i++) {
    const r0 = n.rowPtr[i];
    const r1 = n.rowPtr[i + 1];
    const o = i * L;
    for (let k = 0; k < L; k++) {
      const up = vp[o + k];
      const um = vm[o + k];
      const dbp = vRef - up;
      const dbm = vRef - um;
      const dn = a[o + k] - um;
      diss[k] += up * up * p.gpGround[i] + um * um * p.gmGround[i] + dbp * dbp * p.gBp[i] + dbm * dbm * p.gBm[i] + dn * dn * p.gN[i] + (p.stage2[i] ? b[o + k] * b[o + k] * p.gGain[i] : 0);
      pw.reference[k] += vRef * (dbp * p.gBp[i] + dbm * p.gBm[i]);
    }
    for (let e = r0; e < r1; e++) {
      const gp = p.gPlus[e];
      const gm = p.gMinus[e];
      const si = n.src[e] * L;
      for (let k = 0; k < L; k++) {
        const x = out[si + k];
        const dp = x - vp[o + k];
        const dm = x - vm[o + k];
        load[si + k] += dp * gp + dm * gm;
        diss[k] += dp * dp * gp + dm * dm * gm;
      }
    }
  }
  for (let k = 0; k < L; k++) pw.resistor[k] = diss[k];
  for (let j = 0; j < nIn; j++) for (let k = 0; k < L; k++) pw.inputs[k] += out[j * L + k] * load[j * L + k];
  // The op-amps: quiescent current, and the supplies' share of each output current.
  const vPlus = op.supplyPlusV;
  const vMinus = op.supplyMinusV;
  const pq = op.iqA * (vPlus - vMinus);
  const limit = op.outputCurrentLimitA;
  const supplyOf = (io: number) => (io > 0 ? vPlus * io : vMinus * io);
  for (let i = 0; i < p.count; i++) {
    const l = p.layerOf[i] * L;
    const rk = n.role[i] * L;
    const two = p.stage2[i] === 1;
    for (let k = 0; k < L; k++) {
      const idx = i * L + k;
      const iLoad = load[(nIn + i) * L + k];
      const i1 = (a[idx] - vm[idx]) * p.gN[i] + (two ? 0 : iLoad);
      let ps = supplyOf(i1);
      const pqi = p.gated[i] ? 0 : pq;
      let q = pqi;
      let peak = Math.abs(i1);
      if (two) {
        const i2 = b[idx] * p.gGain[i] + iLoad;
        ps += supplyOf(i2);
        q += pqi;
        peak = Math.max(peak, Math.abs(i2));
      }
      if (peak > sc.peak) sc.peak = peak;
      if (peak > limit) sc.over[i] = 1;
      pw.quiescent[k] += q;
      pw.outputStage[k] += ps;
      pw.layer[l + k] += q + ps;
      pw.kind[rk + k] += q + ps;
    }
  }
}

/** Per lane, per window: what is tracked while the window runs. */
interface Tracking {
  dcOut: Float64Array;
  dcA: Float64Array;
  dcB: Float64Array;
  dcClass: Int32Array;
  /** Max |output - DC| over the network's outputs at the last accepted point, per lane; same per layer. */
  devOut: Float64Array;
  margin: Float64Array;
  devLayer: Float64Array;
  tTol: Float64Array;
  tClass: Float64Array;
  tLayer: Float64Array;
  /** Cumulative energies since the window's start, per lane (parts) and per layer x lane. */
  e: { quiescent: Float64Array; outputStage: Float64Array; inputs: Float64Array; reference: Float64Array; resistor: Float64Array; layer: Float64Array; kind: Float64Array };
  /** The cumulative energies at the latency so far. */
  eLat: { quiescent: Float64Array; outputStage: Float64Array; inputs: Float64Array; reference: Float64Array; resistor: Float64Array; layer: Float64Array; kind: Float64Array };
}

/** Block kinds the energy is broken down by: the neuron roles (tnet/types.ts ROLES). */
const NK = ROLES.length;
const PARTS = ['quiescent', 'outputStage', 'inputs', 'reference', 'resistor'] as const;

function newTracking(p: Prepared, L: number): Tracking {
  const nl = p.layers.length;
  const parts = () => ({ quiescent: new Float64Array(L), outputStage: new Float64Array(L), inputs: new Float64Array(L), reference: new Float64Array(L), resistor: new Float64Array(L), layer: new Float64Array(nl * L), kind: new Float64Array(ROLES.length * L) });
  return {
    dcOut: new Float64Array((p.nIn + p.count) * L), dcA: new Float64Array(p.count * L), dcB: new Float64Array(p.count * L), dcClass: new Int32Array(L),
    devOut: new Float64Array(L), margin: new Float64Array(L), devLayer: new Float64Array(nl * L), tTol: new Float64Array(L), tClass: new Float64Array(L), tLayer: new Float64Array(nl * L),
    e: parts(), eLat: parts(),
  };
}

/** The deviation figures of a point: max |out - DC| over outputs and per layer; the DC class's margin. */
function deviations(p: Prepared, L: number, pt: Point, tr: Tracking, classThreshold: number, devOut: Float64Array, margin: Float64Array, devLayer: Float64Array): void {
  const net = p.net;
  const nIn = p.nIn;
  devOut.fill(0);
  devLayer.fill(0);
  const nOut = net.outputSignal.length;
  const volts = new Float64Array(nOut);
  for (let k = 0; k < L; k++) {
    for (let j = 0; j < nOut; j++) {
      const si = net.outputSignal[j] * L + k;
      volts[j] = pt.out[si];
      const d = Math.abs(pt.out[si] - tr.dcOut[si]);
      if (d > devOut[k]) devOut[k] = d;
    }
    const y = readout(net, volts).output;
    const c = tr.dcClass[k];
    if (y.length === 1) {
      margin[k] = c === 1 ? y[0] - classThreshold : classThreshold - y[0];
      if (margin[k] === 0) margin[k] = c === 1 ? -Number.MIN_VALUE : Number.MIN_VALUE;
    } else {
      let other = -Infinity;
      for (let j = 0; j < y.length; j++) if (j !== c && y[j] > other) other = y[j];
      margin[k] = y[c] - other;
      // A tie goes to the lower index (classOf): the DC class wins a tie only when no lower index ties it.
      if (margin[k] === 0) margin[k] = classOf(y, classThreshold) === c ? Number.MIN_VALUE : -Number.MIN_VALUE;
    }
  }
  for (let i = 0; i < p.count; i++) {
    const l = p.layerOf[i] * L;
    const o = (nIn + i) * L;
    for (let k = 0; k < L; k++) {
      const d = Math.abs(pt.out[o + k] - tr.dcOut[o + k]);
      if (d > devLayer[l + k]) devLayer[l + k] = d;
    }
  }
}

/**
 * The last time a quantity was outside its band, given its value at the previous and the present point: at the present
 * point if it is outside there, else the linear interpolation of the crossing if it was outside before; else as it was.
 */
function lastOutside(prevT: number, t0: number, t1: number, out0: number, out1: number): number {
  if (out1 > 0) return t1;
  if (out0 > 0) return t0 + ((t1 - t0) * out0) / (out0 - out1);
  return prevT;
}

function checkOptions(o: TransientOptions): void {
  if (!(o.latencyToleranceV > 0) || !Number.isFinite(o.latencyToleranceV)) throw usageError(EM.badTolerance(o.latencyToleranceV));
  if (o.periodS !== undefined && !(o.periodS > 0 && Number.isFinite(o.periodS))) throw usageError(EM.badTimeOption('period', o.periodS));
  if (o.maxTimeS !== undefined && !(o.maxTimeS > 0 && Number.isFinite(o.maxTimeS))) throw usageError(EM.badTimeOption('maximum time', o.maxTimeS));
  if (o.errorToleranceV !== undefined && !(o.errorToleranceV > 0)) throw usageError(EM.badErrorTolerance(o.errorToleranceV));
  if (o.settleToleranceV !== undefined && !(o.settleToleranceV > 0)) throw usageError(EM.badErrorTolerance(o.settleToleranceV));
}

/** The behavioural transient of a realized network over lanes of patterns (see the header for the model). */
export function simulateTransient(r: Realized, lanes: readonly TransientLane[], options: TransientOptions): TransientResult {
  checkOptions(options);
  const op = options.opamp;
  const p = prepare(r, op);
  if (lanes.length === 0) throw usageError(EM.noSamples());
  const K = lanes[0].patterns.length;
  for (const lane of lanes) {
    if (lane.patterns.length !== K || K === 0 || (options.periodS === undefined && K !== 1)) throw usageError(EM.periodPatterns());
    for (const [k, x] of [lane.initial, ...lane.patterns].entries()) if (x.length !== p.nIn) throw usageError(EM.patternLength(k, x.length, p.nIn));
  }
  const batch = Math.max(1, Math.min(options.lanesPerBatch ?? 8, lanes.length));
  const results: InferenceTransient[][] = lanes.map(() => []);
  let steps = 0;
  let rejected = 0;
  const sc: PowerScratch = { vp: new Float64Array(0), vm: new Float64Array(0), load: new Float64Array(0), diss: new Float64Array(0), peak: 0, over: new Uint8Array(p.count) };
  for (let first = 0; first < lanes.length; first += batch) {
    const L = Math.min(batch, lanes.length - first);
    const counts = runBatch(p, op, lanes.slice(first, first + L), first, options, results, sc);
    steps += counts.steps;
    rejected += counts.rejected;
  }
  let slow = Infinity;
  let fast = 0;
  for (let i = 0; i < p.count; i++) {
    slow = Math.min(slow, p.omega1[i]);
    fast = Math.max(fast, p.omega1[i]);
    if (p.stage2[i]) {
      slow = Math.min(slow, p.omega2[i]);
      fast = Math.max(fast, p.omega2[i]);
    }
  }
  let over = 0;
  for (let i = 0; i < p.count; i++) over += sc.over[i];
  return {
    opamp: op, inferences: results, layers: p.layers, opamps: p.opamps, steps, rejectedSteps: rejected, peakOutputCurrentA: sc.peak, overCurrentOpamps: over,
    slowestPoleHz: slow / (2 * Math.PI), fastestPoleHz: fast / (2 * Math.PI), layerOfNeuron: p.layerOf,
    kinds: ROLES.map((kind, q) => {
      let neurons = 0;
      let opamps = 0;
      for (let i = 0; i < p.count; i++) {
        if (p.net.neurons.role[i] !== q) continue;
        neurons++;
        opamps += 1 + p.stage2[i];
      }
      return { kind, neurons, opamps };
    }),
  };
}

function setInputs(p: Prepared, L: number, pts: readonly Point[], patterns: readonly ArrayLike<number>[]): void {
  const gIn = p.net.inputGain;
  for (const pt of pts) for (let j = 0; j < p.nIn; j++) for (let k = 0; k < L; k++) pt.out[j * L + k] = gIn * patterns[k][j];
}

function runBatch(p: Prepared, op: DynamicOpamp, lanes: readonly TransientLane[], firstLane: number, o: TransientOptions, results: InferenceTransient[][], sc: PowerScratch): { steps: number; rejected: number } {
  const L = lanes.length;
  const tol = o.latencyToleranceV;
  const errTol = o.errorToleranceV ?? tol / 10;
  const settleTol = o.settleToleranceV ?? tol / 1000;
  const maxTime = o.maxTimeS ?? 1;
  const thr = o.classThreshold ?? DEFAULTS.classThreshold;
  const nl = p.layers.length;
  const acc = new Float64Array(L);
  if (sc.vp.length !== p.count * L) {
    sc.vp = new Float64Array(p.count * L);
    sc.vm = new Float64Array(p.count * L);
    sc.load = new Float64Array((p.nIn + p.count) * L);
    sc.diss = new Float64Array(L);
  }
  let cur = newPoint(p, L);
  const mid = newPoint(p, L);
  let nxt = newPoint(p, L);
  const dcPt = newPoint(p, L);
  let pwCur = newPower(L, nl);
  let pwNxt = newPower(L, nl);
  const tr = newTracking(p, L);
  const stepPower = new Float64Array(L);
  const devNxt = new Float64Array(L);
  const marginNxt = new Float64Array(L);
  const devLayerNxt = new Float64Array(nl * L);
  // Fastest and slowest closed-loop poles: the first step and the largest step before settling.
  let wMax = 0;
  let wMin = Infinity;
  for (let i = 0; i < p.count; i++) {
    wMax = Math.max(wMax, p.omega1[i], p.omega2[i]);
    wMin = Math.min(wMin, p.omega1[i], p.stage2[i] ? p.omega2[i] : Infinity);
  }
  const h0 = 1e-3 / wMax;
  const hMaxSettling = 0.5 / wMin;
  // The initial state: the DC operating point of each lane's initial pattern.
  setInputs(p, L, [cur], lanes.map((l) => l.initial));
  sweep(p, op, L, Sweep.dc, cur, 0, null, acc);
  let steps = 0;
  let rejected = 0;
  let t = 0;
  const K = lanes[0].patterns.length;
  for (let w = 0; w < K; w++) {
    const patterns = lanes.map((l) => l.patterns[w]);
    const t0 = t;
    const tEnd = o.periodS !== undefined ? t0 + o.periodS : Infinity;
    // The window's DC operating point (what every output settles to) and its class.
    setInputs(p, L, [dcPt, cur, mid, nxt], patterns);
    sweep(p, op, L, Sweep.dc, dcPt, 0, null, acc);
    tr.dcOut.set(dcPt.out);
    tr.dcA.set(dcPt.a);
    tr.dcB.set(dcPt.b);
    const nOut = p.net.outputSignal.length;
    for (let k = 0; k < L; k++) {
      const volts = Float64Array.from({ length: nOut }, (_, j) => dcPt.out[p.net.outputSignal[j] * L + k]);
      tr.dcClass[k] = classOf(readout(p.net, volts).output, thr);
    }
    // Every layer powered again at the switch; the gating times of this window, in order.
    p.gated.fill(0);
    const offs = gateOffs(p, o.gateOffS);
    let nextOff = 0;
    const lastOff = offs.length > 0 ? offs[offs.length - 1].t : 0;
    // The inputs jump: the rates at the switch, with the new inputs.
    sweep(p, op, L, Sweep.rates, cur, 0, null, acc);
    power(p, op, L, cur, pwCur, sc);
    deviations(p, L, cur, tr, thr, tr.devOut, tr.margin, tr.devLayer);
    tr.tTol.fill(0);
    tr.tClass.fill(0);
    tr.tLayer.fill(0);
    for (const part of [...PARTS, 'layer', 'kind'] as const) {
      tr.e[part].fill(0);
      tr.eLat[part].fill(0);
    }
    let h = h0;
    let settled = false;
    let justRejected = false;
    for (;;) {
      if (t >= tEnd * (1 - 1e-12)) break;
      if (o.periodS === undefined && settled && t - t0 >= lastOff * (1 - 1e-12)) break;
      if (t - t0 > maxTime) {
        const lane = firstLane + Math.max(0, settledLanes(p, L, cur, tr, settleTol).findIndex((s) => !s));
        throw usageError(EM.notSettled(maxTime, lane));
      }
      const hMax = settled ? Infinity : hMaxSettling;
      if (h > hMax) h = hMax;
      if (t + h > tEnd) h = tEnd - t;
      // Land on the next gating time.
      if (nextOff < offs.length && t + h > t0 + offs[nextOff].t) h = Math.max(t0 + offs[nextOff].t - t, 1e-15 * Math.max(t, 1e-9));
      // TR stage to t + gamma h, then BDF2 to t + h.
      const aTr = (GAMMA * h) / 2;
      const curA = cur.a;
      const curB = cur.b;
      const curFa = cur.fa;
      const curFb = cur.fb;
      sweep(p, op, L, Sweep.implicit, mid, aTr, (st, idx) => (st === 0 ? curA[idx] + aTr * curFa[idx] : curB[idx] + aTr * curFb[idx]), acc);
      const aBdf = ((1 - GAMMA) * h) / (2 - GAMMA);
      const c1 = 1 / (GAMMA * (2 - GAMMA));
      const c0 = ((1 - GAMMA) * (1 - GAMMA)) / (GAMMA * (2 - GAMMA));
      const midA = mid.a;
      const midB = mid.b;
      sweep(p, op, L, Sweep.implicit, nxt, aBdf, (st, idx) => (st === 0 ? c1 * midA[idx] - c0 * curA[idx] : c1 * midB[idx] - c0 * curB[idx]), acc);
      // Local error estimate over every state of every lane.
      let err = 0;
      const m = p.count * L;
      const q0 = 1 / GAMMA;
      const q1 = 1 / (GAMMA * (1 - GAMMA));
      const q2 = 1 / (1 - GAMMA);
      const scale = (2 * Math.abs(LTE_K) * h) / errTol;
      for (let idx = 0; idx < m; idx++) {
        const ea = Math.abs(q0 * curFa[idx] - q1 * mid.fa[idx] + q2 * nxt.fa[idx]) * scale;
        if (ea > err) err = ea;
        if (p.stage2[(idx / L) | 0]) {
          const eb = Math.abs(q0 * curFb[idx] - q1 * mid.fb[idx] + q2 * nxt.fb[idx]) * scale;
          if (eb > err) err = eb;
        }
      }
      const factor = err > 0 ? 0.8 * Math.pow(err, -1 / 3) : 2;
      if (err > 1) {
        rejected++;
        justRejected = true;
        h *= Math.max(0.1, Math.min(0.9, factor));
        if (h < 1e-15 * Math.max(1e-9, t) || h < 1e-6 * h0) throw usageError(EM.stepCollapsed(t));
        continue;
      }
      // Accept: power, energy (trapezoid), latency tracking.
      const t1 = t + h;
      power(p, op, L, nxt, pwNxt, sc);
      deviations(p, L, nxt, tr, thr, devNxt, marginNxt, devLayerNxt);
      for (let k = 0; k < L; k++) {
        const e0 = PARTS.map((part) => tr.e[part][k]);
        for (const part of PARTS) tr.e[part][k] += (h * (pwCur[part][k] + pwNxt[part][k])) / 2;
        const layer0 = new Float64Array(nl);
        for (let l = 0; l < nl; l++) {
          layer0[l] = tr.e.layer[l * L + k];
          tr.e.layer[l * L + k] += (h * (pwCur.layer[l * L + k] + pwNxt.layer[l * L + k])) / 2;
        }
        const kind0 = new Float64Array(NK);
        for (let q = 0; q < NK; q++) {
          kind0[q] = tr.e.kind[q * L + k];
          tr.e.kind[q * L + k] += (h * (pwCur.kind[q * L + k] + pwNxt.kind[q * L + k])) / 2;
        }
        const rel0 = t - t0;
        const rel1 = t1 - t0;
        const tolT = lastOutside(tr.tTol[k], rel0, rel1, tr.devOut[k] - tol, devNxt[k] - tol);
        const clsT = lastOutside(tr.tClass[k], rel0, rel1, -tr.margin[k], -marginNxt[k]);
        const before = Math.max(tr.tTol[k], tr.tClass[k]);
        tr.tTol[k] = tolT;
        tr.tClass[k] = clsT;
        const lat = Math.max(tolT, clsT);
        if (lat > before) {
          // The energies at the latency: interpolated within this step.
          const f = (lat - rel0) / h;
          PARTS.forEach((part, j) => (tr.eLat[part][k] = e0[j] + f * (tr.e[part][k] - e0[j])));
          for (let l = 0; l < nl; l++) tr.eLat.layer[l * L + k] = layer0[l] + f * (tr.e.layer[l * L + k] - layer0[l]);
          for (let q = 0; q < NK; q++) tr.eLat.kind[q * L + k] = kind0[q] + f * (tr.e.kind[q * L + k] - kind0[q]);
        }
        for (let l = 0; l < nl; l++) tr.tLayer[l * L + k] = lastOutside(tr.tLayer[l * L + k], rel0, rel1, tr.devLayer[l * L + k] - tol, devLayerNxt[l * L + k] - tol);
      }
      tr.devOut.set(devNxt);
      tr.margin.set(marginNxt);
      tr.devLayer.set(devLayerNxt);
      [cur, nxt] = [nxt, cur];
      [pwCur, pwNxt] = [pwNxt, pwCur];
      t = t1;
      steps++;
      // Gate the layers whose time has come: their states freeze (rates 0), their quiescent power stops.
      let gatedNow = false;
      while (nextOff < offs.length && t - t0 >= offs[nextOff].t * (1 - 1e-12)) {
        for (const i of offs[nextOff].neurons) p.gated[i] = 1;
        nextOff++;
        gatedNow = true;
      }
      if (gatedNow) {
        sweep(p, op, L, Sweep.rates, cur, 0, null, acc);
        power(p, op, L, cur, pwCur, sc);
      }
      if (o.onStep) {
        for (let k = 0; k < L; k++) stepPower[k] = pwCur.quiescent[k] + pwCur.outputStage[k] + pwCur.inputs[k] + pwCur.reference[k];
        o.onStep(t, cur.out, L, firstLane, stepPower, pwCur.layer);
      }
      if (!settled) settled = settledLanes(p, L, cur, tr, settleTol).every((s) => s);
      h *= Math.min(justRejected ? 1 : 2, Math.max(0.2, factor));
      justRejected = false;
    }
    for (let k = 0; k < L; k++) {
      const unsettledAtEnd = devNowOutside(tr, k, tol);
      const latency = unsettledAtEnd ? Infinity : Math.max(tr.tTol[k], tr.tClass[k]);
      const parts = (src: Tracking['e']): EnergyParts => {
        const q = src.quiescent[k];
        const os = src.outputStage[k];
        const inp = src.inputs[k];
        const ref = src.reference[k];
        return { totalJ: q + os + inp + ref, quiescentJ: q, outputStageJ: os, inputsJ: inp, referenceJ: ref, resistorJ: src.resistor[k] };
      };
      results[firstLane + k].push({
        latencyS: latency,
        toleranceLatencyS: unsettledAtEnd ? Infinity : tr.tTol[k],
        classLatencyS: tr.tClass[k],
        dcClass: tr.dcClass[k],
        layerSettleS: Float64Array.from({ length: nl }, (_, l) => tr.tLayer[l * L + k]),
        toOutput: parts(tr.eLat),
        window: parts(tr.e),
        windowS: t - t0,
        layerEnergyToOutputJ: Float64Array.from({ length: nl }, (_, l) => tr.eLat.layer[l * L + k]),
        layerEnergyWindowJ: Float64Array.from({ length: nl }, (_, l) => tr.e.layer[l * L + k]),
        kindEnergyToOutputJ: Float64Array.from({ length: NK }, (_, q) => tr.eLat.kind[q * L + k]),
        kindEnergyWindowJ: Float64Array.from({ length: NK }, (_, q) => tr.e.kind[q * L + k]),
        endDeviationV: tr.devOut[k],
        endClassHeld: tr.margin[k] > 0,
      });
    }
  }
  return { steps, rejected };
}

/** Whether the lane's outputs are outside the tolerance at the last point. */
function devNowOutside(tr: Tracking, k: number, tol: number): boolean {
  return tr.devOut[k] > tol || tr.margin[k] <= 0;
}

/** The gating times of a schedule (per layer, after the switch), ascending, with the neurons of each. */
function gateOffs(p: Prepared, off: ArrayLike<number> | undefined): { t: number; neurons: number[] }[] {
  if (off === undefined) return [];
  if (off.length !== p.layers.length) throw usageError(EM.gateScheduleLength(off.length, p.layers.length));
  const byLayer = p.layers.map(() => [] as number[]);
  for (let i = 0; i < p.count; i++) byLayer[p.layerOf[i]].push(i);
  const list: { t: number; neurons: number[] }[] = [];
  for (let l = 0; l < off.length; l++) {
    const t = off[l];
    if (!(t >= 0)) throw usageError(EM.badGateTime(p.layers[l].name, t));
    if (Number.isFinite(t)) list.push({ t, neurons: byLayer[l] });
  }
  return list.sort((a, b) => a.t - b.t);
}

/** Per lane: every op-amp state (of the layers not gated) within `eps` of its DC value. */
function settledLanes(p: Prepared, L: number, pt: Point, tr: Tracking, eps: number): boolean[] {
  const ok = new Array<boolean>(L).fill(true);
  for (let i = 0; i < p.count; i++) {
    if (p.gated[i]) continue;
    const two = p.stage2[i] === 1;
    for (let k = 0; k < L; k++) {
      const idx = i * L + k;
      if (Math.abs(pt.a[idx] - tr.dcA[idx]) > eps || (two && Math.abs(pt.b[idx] - tr.dcB[idx]) > eps)) ok[k] = false;
    }
  }
  return ok;
}
