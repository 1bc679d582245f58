// On-line training on a memristor crossbar as the seed's circuit does it (Yang et al., US 2021/0097379 A1, [0053]-
// [0061], FIGS. 3-7; issue 17): a single layer of weights on a crossbar of device pairs, or the seed's two synaptic grids
// (a hidden layer, `hidden` > 0), trained pulse by pulse.
//
// The circuit, and the choices where the seed is silent (docs/crossbar.md, "Devices and on-line training"):
// - Weights: w_ij = w_max (G+_ij - G-_ij) / (G_max - G_min), a differential pair per weight (the seed's MLP never says
//   how negative weights are formed; the pair is the standard answer, the inverted-input rows of its LSTM are the
//   same arithmetic). Lines are ideal: column j's current is I_j = sum_i V_i (G+_ij - G-_ij), each device's G read at
//   its own row voltage (the Yakopcic device's I-V is a sinh, so G depends on V).
// - Inputs: each feature x in [0, 1] drives its row at V = (2x - 1) V_read, plus a bias row at +V_read (the seed
//   names no bias; a single layer without one cannot place its boundaries freely).
// - Neurons: a transimpedance stage scales I_j to net_j = sum_i u_i w_ij (u_i = V_i / V_read) and a saturating op-amp
//   gives y_j = tanh(net_j) (the seed gives no transfer function; tanh matches its +-1 targets).
// - Time: iterations of 0.1 s, each 1,000 pulse slots of 1e-4 s ([0061]); each slot takes one training sample (a
//   seeded shuffle of the training set, reshuffled after every pass: how samples map to slots is not stated), reads
//   (T_rd: every device sees V_i then -V_i, the output computed at t = 0+, FIG. 4), then writes (T_write: each device
//   gets the set or reset amplitude for T_update, then nothing to the end of the window, FIG. 5).
// - Gradient (the delta_last module, MSE, [0057]): delta_j = (d_j - y_j)(1 - y_j^2); the update command
//   dw_ij = eta delta_j u_i. With a hidden layer (the delta_front module, [0058]): delta_h = (1 - h^2) sum_j w_hj delta_j,
//   the second grid's backward product on the weights as this slot's read saw them; the hidden outputs h drive the
//   second grid's rows at h V_read. The hidden pairs start at seeded small random weights (a set or reset pulse of up
//   to a tenth of the write window on each device) to break the symmetry.
// - Momentum module (FIG. 6: sample-and-hold, multiplier, adder): the S&H holds each synapse's previous command
//   dw(t-1), the multiplier forms alpha dw(t-1), the adder gives dw(t) = eta delta u + alpha dw(t-1).
// - Adaptive learning-rate module (FIG. 7: S&H, adder, comparator, amplifier, multiplier, constant), once per 0.1 s
//   iteration: the S&H holds the previous iteration's error E(t-1), the adder forms E(t) - E(t-1), the comparator
//   takes its sign; if the error fell the amplifier (gain a > 1) raises eta <- a eta, else the multiplier with the
//   constant b < 1 lowers it, eta <- b eta (Battiti's "bold driver", Complex Systems 3:331 (1989), with a and b ours).
// - Pulse width (the calculation module): T_update = |dw| / (w_max (r_set + r_reset)), r the nominal device's state
//   change per second at mid-range: the calculation module assumes a linear device, the real state equations are
//   what programs the pair (programming non-linearity). The G+ device is pulsed towards R_on and the G- device towards
//   R_off for dw > 0, the reverse for dw < 0. T_update saturates at the pulse-width limit (the write window unless
//   set shorter); a limit longer than the write window is an input error.

import { inputError } from '../errors.js';
import { MEMRISTOR_MESSAGES as MM } from '../messages/memristors.js';
import { NO_VARIATION, type DeviceVariation, type MemristorModel } from '../presets/memristors.js';
import { Rng } from '../util/random.js';
import { conductanceRange, conductanceS, createDevices, nominalRatePerS, readCycle, validateModel, validateVariation, writePulse, type DeviceArray } from './devices.js';

/** The seed's time base ([0061]): 0.1 s iterations of 1,000 pulse slots. */
export const SEED_ITERATION_S = 0.1;
export const SEED_SLOTS_PER_ITERATION = 1000;

export interface OnlineOptions {
  readonly deviceModel: MemristorModel;
  readonly variation: DeviceVariation;
  /** Number of 0.1 s iterations. */
  readonly iterations: number;
  readonly slotsPerIteration: number;
  /** One pulse slot, seconds (the seed's 1e-4 s). */
  readonly slotS: number;
  /** T_rd and T_write, seconds; their sum fits in a slot. */
  readonly readWindowS: number;
  readonly writeWindowS: number;
  /** Longest update pulse the pulse-width modulator gives, seconds (at most the write window). */
  readonly updatePulseMaxS: number;
  /** Weight of a pair at full conductance difference. */
  readonly weightMax: number;
  /** Hidden neurons: 0 a single layer; n > 0 the seed's two synaptic grids (features -> n -> classes, tanh). */
  readonly hidden: number;
  /** Initial learning rate eta (weight change per unit delta u). */
  readonly learningRate: number;
  /** Momentum alpha in [0, 1); 0 switches the momentum module off. */
  readonly momentum: number;
  /** Adaptive learning-rate module on or off, and its amplifier gain (> 1) and multiplier constant (in (0, 1)). */
  readonly adaptiveLearningRate: boolean;
  readonly lrIncrease: number;
  readonly lrDecrease: number;
  readonly seed: number;
}

/** Defaults: the seed's time base; T_rd 20 us, T_write 80 us of the 100 us slot (our split); eta 0.05, weight range
 * 3, alpha 0.5 when momentum is on, bold-driver gains 1.1 / 0.5 (Battiti 1989) when adaptation is on. */
export const ONLINE_DEFAULTS = {
  iterations: 20,
  slotsPerIteration: SEED_SLOTS_PER_ITERATION,
  slotS: SEED_ITERATION_S / SEED_SLOTS_PER_ITERATION,
  readWindowS: 2e-5,
  writeWindowS: 8e-5,
  weightMax: 3,
  hidden: 0,
  learningRate: 0.05,
  momentum: 0,
  adaptiveLearningRate: false,
  lrIncrease: 1.1,
  lrDecrease: 0.5,
  seed: 1,
} as const;

/** Labelled samples: features in [0, 1], class labels 0..classes-1. */
export interface OnlineData {
  readonly inputs: readonly (readonly number[])[];
  readonly labels: readonly number[];
}

export interface LayerSnapshot {
  readonly gPlusS: number[][];
  readonly gMinusS: number[][];
  readonly weights: number[][];
}

export interface OnlineResult {
  readonly model: string;
  readonly inputs: number;
  readonly outputs: number;
  /** Hidden neurons (0: a single layer). */
  readonly hidden: number;
  /** Per layer (crossbar): the pairs' conductances after training, siemens, [row][column] (the last row the bias),
   * and the weights they stand for. */
  readonly layers: LayerSnapshot[];
  readonly trainAccuracy: number;
  readonly testAccuracy: number;
  /** Mean squared output error of each iteration (what the adaptive module compares). */
  readonly iterationErrors: number[];
  /** eta at the end of each iteration. */
  readonly learningRates: number[];
  /** Update pulses that hit the pulse-width limit, and all update pulses. */
  readonly saturatedPulses: number;
  readonly pulses: number;
  /** Simulated circuit time, seconds. */
  readonly circuitTimeS: number;
}

/** Largest hidden layer: the simulation is pulse by pulse on every device, so larger layers take hours. */
const MAX_HIDDEN = 1024;

function check(o: OnlineOptions): void {
  validateModel(o.deviceModel);
  validateVariation(o.variation);
  const count = (f: 'iterations' | 'slotsPerIteration') => {
    if (!(Number.isInteger(o[f]) && o[f] >= 1)) throw inputError(MM.badCount(f, o[f]));
  };
  count('iterations');
  count('slotsPerIteration');
  if (!(Number.isInteger(o.hidden) && o.hidden >= 0 && o.hidden <= MAX_HIDDEN)) throw inputError(MM.badHidden(o.hidden, MAX_HIDDEN));
  for (const f of ['slotS', 'readWindowS', 'writeWindowS', 'updatePulseMaxS'] as const) {
    if (!(Number.isFinite(o[f]) && o[f] > 0)) throw inputError(MM.badDuration(f, o[f]));
  }
  if (o.readWindowS + o.writeWindowS > o.slotS * (1 + 1e-12)) throw inputError(MM.slotTooShort(o.readWindowS, o.writeWindowS, o.slotS));
  if (o.updatePulseMaxS > o.writeWindowS) throw inputError(MM.pulseTooLong(o.updatePulseMaxS, o.writeWindowS));
  for (const f of ['weightMax', 'learningRate'] as const) {
    if (!(Number.isFinite(o[f]) && o[f] > 0)) throw inputError(MM.badPositive(f, o[f]));
  }
  if (!(Number.isFinite(o.momentum) && o.momentum >= 0 && o.momentum < 1)) throw inputError(MM.badFraction('momentum', o.momentum));
  if (!(Number.isFinite(o.lrIncrease) && o.lrIncrease >= 1)) throw inputError(MM.badFactor('lrIncrease', o.lrIncrease, '>= 1, e.g. 1.1'));
  if (!(Number.isFinite(o.lrDecrease) && o.lrDecrease > 0 && o.lrDecrease <= 1)) throw inputError(MM.badFactor('lrDecrease', o.lrDecrease, 'in (0, 1], e.g. 0.5'));
}

function checkData(what: string, d: OnlineData, features: number | undefined, classes: number): number {
  if (d === null || typeof d !== 'object' || !Array.isArray(d.inputs) || !Array.isArray(d.labels) || !d.inputs.every(Array.isArray)) {
    throw inputError(MM.notData(what));
  }
  if (d.inputs.length === 0) throw inputError(MM.emptyData(what));
  if (d.inputs.length !== d.labels.length) throw inputError(MM.labelCount(what, d.labels.length, d.inputs.length));
  const n = features ?? d.inputs[0]!.length;
  if (n === 0) throw inputError(MM.noFeatures(what));
  d.inputs.forEach((x, k) => {
    if (x.length !== n) throw inputError(MM.ragged(what, k, x.length, n));
    if (!x.every(Number.isFinite)) throw inputError(MM.badFeature(what, k));
    const out = x.find((v) => v < 0 || v > 1);
    if (out !== undefined) throw inputError(MM.featureOutOfRange(what, k, out));
    const label = d.labels[k]!;
    if (!(Number.isInteger(label) && label >= 0 && label < classes)) throw inputError(MM.badLabel(what, k, label, classes));
  });
  return n;
}

/** The crossbar: (inputs + 1) rows (the last the bias) x outputs columns of pairs; device index 2 (r * cols + c)
 * is G+, the next G-. */
class Crossbar {
  readonly rows: number;
  readonly devices: DeviceArray;
  readonly rangeS: number;
  readonly volts: Float64Array;
  readonly g: Float64Array;
  constructor(
    readonly model: MemristorModel,
    inputs: number,
    readonly cols: number,
    variation: DeviceVariation,
    seed: number,
    readonly weightMax: number,
    readonly readWindowS: number,
  ) {
    this.rows = inputs + 1;
    this.devices = createDevices(model, 2 * this.rows * cols, variation, seed);
    const r = conductanceRange(model);
    this.rangeS = r.maxS - r.minS;
    this.volts = new Float64Array(this.rows);
    this.g = new Float64Array(2 * this.rows * cols);
  }

  /** Drives the rows with the signals u in [-1, 1] (V = u V_read, the bias row at +V_read) and reads every device
   * (FIG. 4); fills the outputs net_j and y_j = tanh(net_j). */
  read(u: ArrayLike<number>, net: Float64Array, y: Float64Array): void {
    const vr = this.model.readV;
    for (let i = 0; i < this.rows - 1; i++) this.volts[i] = u[i]! * vr;
    this.volts[this.rows - 1] = vr;
    for (let i = 0; i < this.rows; i++) {
      for (let k = 2 * i * this.cols; k < 2 * (i + 1) * this.cols; k++) this.g[k] = readCycle(this.devices, k, this.volts[i]!, this.readWindowS);
    }
    const gain = this.weightMax / (vr * this.rangeS);
    for (let j = 0; j < this.cols; j++) {
      let current = 0;
      for (let i = 0; i < this.rows; i++) {
        const k = 2 * (i * this.cols + j);
        current += this.volts[i]! * (this.g[k]! - this.g[k + 1]!);
      }
      net[j] = current * gain;
      y[j] = Math.tanh(net[j]!);
    }
  }

  /** Weight (row i, column j) as the last read saw it: what the synapse grid's backward product uses. */
  readWeight(i: number, j: number): number {
    const k = 2 * (i * this.cols + j);
    return (this.weightMax * (this.g[k]! - this.g[k + 1]!)) / this.rangeS;
  }

  /** The conductances at the read amplitude, and the weights they stand for. */
  snapshot(): LayerSnapshot {
    const vr = this.model.readV;
    const gPlusS: number[][] = [];
    const gMinusS: number[][] = [];
    const weights: number[][] = [];
    for (let i = 0; i < this.rows; i++) {
      const p: number[] = [];
      const m: number[] = [];
      const w: number[] = [];
      for (let j = 0; j < this.cols; j++) {
        const k = 2 * (i * this.cols + j);
        const gp = conductanceS(this.devices, k, vr);
        const gm = conductanceS(this.devices, k + 1, vr);
        p.push(gp);
        m.push(gm);
        w.push((this.weightMax * (gp - gm)) / this.rangeS);
      }
      gPlusS.push(p);
      gMinusS.push(m);
      weights.push(w);
    }
    return { gPlusS, gMinusS, weights };
  }
}

/** The network: one crossbar per layer; the first layer's rows carry the features (u = 2x - 1), each later layer's
 * rows the previous layer's outputs (u = y, in [-1, 1]). */
class Network {
  readonly nets: Float64Array[];
  readonly outs: Float64Array[];
  readonly inputs: Float64Array;
  constructor(readonly layers: Crossbar[]) {
    this.nets = layers.map((l) => new Float64Array(l.cols));
    this.outs = layers.map((l) => new Float64Array(l.cols));
    this.inputs = new Float64Array(layers[0]!.rows - 1);
  }
  forward(x: readonly number[]): Float64Array {
    for (let i = 0; i < this.inputs.length; i++) this.inputs[i] = 2 * x[i]! - 1;
    this.layers.forEach((l, k) => l.read(k === 0 ? this.inputs : this.outs[k - 1]!, this.nets[k]!, this.outs[k]!));
    return this.outs[this.outs.length - 1]!;
  }
}

function accuracy(net: Network, data: OnlineData): number {
  let right = 0;
  data.inputs.forEach((x, k) => {
    const y = net.forward(x);
    let best = 0;
    for (let j = 1; j < y.length; j++) if (y[j]! > y[best]!) best = j;
    if (best === data.labels[k]) right++;
  });
  return right / data.inputs.length;
}

/** The seed's target vector for a class: +1 for the class, -1 for the others ([0061]: (1, -1, -1) ...). */
function target(label: number, classes: number, out: Float64Array): void {
  for (let j = 0; j < classes; j++) out[j] = j === label ? 1 : -1;
}

/** Trains a single layer on a crossbar of `options.deviceModel` devices, pulse by pulse, and measures it on `test`.
 * Deterministic: the same data, options and seed give the same result. */
export function trainOnline(train: OnlineData, test: OnlineData, classes: number, options: Partial<OnlineOptions> & { deviceModel: MemristorModel }): OnlineResult {
  if (options === null || typeof options !== 'object') throw inputError(MM.notOptions());
  const o: OnlineOptions = {
    ...ONLINE_DEFAULTS,
    variation: NO_VARIATION,
    updatePulseMaxS: options.writeWindowS ?? ONLINE_DEFAULTS.writeWindowS,
    ...options,
  };
  check(o);
  if (!(Number.isInteger(classes) && classes >= 2)) throw inputError(MM.badCount('classes', classes));
  const features = checkData('training', train, undefined, classes);
  checkData('test', test, features, classes);
  const rng = new Rng(o.seed);
  const sizes = o.hidden > 0 ? [features, o.hidden, classes] : [features, classes];
  const layers = sizes.slice(1).map((cols, k) => new Crossbar(o.deviceModel, sizes[k]!, cols, o.variation, (((o.seed + 7919 * k) * 2654435761) >>> 0), o.weightMax, o.readWindowS));
  const network = new Network(layers);
  if (o.hidden > 0) {
    // break the symmetry of the hidden layer: each pair programmed to a seeded small random weight (a set or reset
    // pulse of up to a tenth of the write window on each device)
    const init = new Rng((o.seed ^ 0x5bd1e995) >>> 0);
    for (const l of layers) {
      for (let k = 0; k < l.devices.count; k++) writePulse(l.devices, k, init.next() < 0.5 ? 1 : -1, init.next() * 0.1 * o.writeWindowS, o.writeWindowS);
    }
  }
  const weightPerS = o.weightMax * (nominalRatePerS(o.deviceModel, 1) + nominalRatePerS(o.deviceModel, -1));
  const held = layers.map((l) => new Float64Array(l.rows * l.cols)); // the momentum modules' sample-and-holds
  const deltas = layers.map((l) => new Float64Array(l.cols));
  const d = new Float64Array(classes);
  let eta = o.learningRate;
  let heldError = Number.POSITIVE_INFINITY; // the adaptive module's sample-and-hold of E(t-1)
  const iterationErrors: number[] = [];
  const learningRates: number[] = [];
  let saturated = 0;
  let pulses = 0;
  const order = train.inputs.map((_, k) => k);
  let cursor = order.length;
  const last = layers.length - 1;
  for (let it = 0; it < o.iterations; it++) {
    let sumSq = 0;
    for (let slot = 0; slot < o.slotsPerIteration; slot++) {
      if (cursor === order.length) {
        for (let k = order.length - 1; k > 0; k--) {
          const r = Math.floor(rng.next() * (k + 1));
          [order[k], order[r]] = [order[r]!, order[k]!];
        }
        cursor = 0;
      }
      const sample = order[cursor++]!;
      const y = network.forward(train.inputs[sample]!);
      target(train.labels[sample]!, classes, d);
      // delta_last (MSE, tanh): (d - y)(1 - y^2)
      for (let j = 0; j < classes; j++) {
        const e = d[j]! - y[j]!;
        sumSq += e * e;
        deltas[last]![j] = e * (1 - y[j]! * y[j]!);
      }
      // delta_front: the derivative module times the next grid's backward product W^T delta (weights as read)
      for (let k = last - 1; k >= 0; k--) {
        const next = layers[k + 1]!;
        const out = network.outs[k]!;
        for (let h = 0; h < layers[k]!.cols; h++) {
          let sum = 0;
          for (let j = 0; j < next.cols; j++) sum += next.readWeight(h, j) * deltas[k + 1]![j]!;
          deltas[k]![h] = (1 - out[h]! * out[h]!) * sum;
        }
      }
      layers.forEach((bar, k) => {
        const delta = deltas[k]!;
        const hold = held[k]!;
        for (let i = 0; i < bar.rows; i++) {
          const u = bar.volts[i]! / o.deviceModel.readV;
          for (let j = 0; j < bar.cols; j++) {
            const s = i * bar.cols + j;
            const dw = eta * delta[j]! * u + o.momentum * hold[s]!;
            hold[s] = dw;
            if (dw === 0) continue;
            let pulse = Math.abs(dw) / weightPerS;
            if (pulse > o.updatePulseMaxS) {
              pulse = o.updatePulseMaxS;
              saturated++;
            }
            pulses++;
            const up: 1 | -1 = dw > 0 ? 1 : -1;
            writePulse(bar.devices, 2 * s, up, pulse, o.writeWindowS);
            writePulse(bar.devices, 2 * s + 1, up > 0 ? -1 : 1, pulse, o.writeWindowS);
          }
        }
      });
    }
    const error = sumSq / (o.slotsPerIteration * classes);
    iterationErrors.push(error);
    if (o.adaptiveLearningRate) {
      // adder: E(t) - E(t-1); comparator: its sign; amplifier (gain a) or multiplier (constant b)
      eta = error - heldError < 0 ? eta * o.lrIncrease : eta * o.lrDecrease;
      heldError = error;
    }
    learningRates.push(eta);
  }
  return {
    model: o.deviceModel.name,
    inputs: features,
    outputs: classes,
    hidden: o.hidden,
    layers: layers.map((l) => l.snapshot()),
    trainAccuracy: accuracy(network, train),
    testAccuracy: accuracy(network, test),
    iterationErrors,
    learningRates,
    saturatedPulses: saturated,
    pulses,
    circuitTimeS: o.iterations * o.slotsPerIteration * o.slotS,
  };
}

/** The seed's Iris set-up ([0061]): 150 samples split 75/75. The split is seeded and stratified (25 of each class in
 * each half; the seed says only "two equal halves"). */
export function splitHalves(data: OnlineData, classes: number, seed: number): { train: OnlineData; test: OnlineData } {
  const rng = new Rng(seed);
  const trainIdx: number[] = [];
  const testIdx: number[] = [];
  for (let c = 0; c < classes; c++) {
    const idx = data.labels.flatMap((l, k) => (l === c ? [k] : []));
    for (let k = idx.length - 1; k > 0; k--) {
      const r = Math.floor(rng.next() * (k + 1));
      [idx[k], idx[r]] = [idx[r]!, idx[k]!];
    }
    const half = Math.floor(idx.length / 2);
    trainIdx.push(...idx.slice(0, idx.length - half));
    testIdx.push(...idx.slice(idx.length - half));
  }
  trainIdx.sort((a, b) => a - b);
  testIdx.sort((a, b) => a - b);
  const pick = (ix: number[]): OnlineData => ({ inputs: ix.map((k) => data.inputs[k]!), labels: ix.map((k) => data.labels[k]!) });
  return { train: pick(trainIdx), test: pick(testIdx) };
}
