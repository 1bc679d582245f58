// Mismatch-aware training after Binas et al. ("Precise deep neural network computation on imprecise low-power analog
// hardware", seeds 001/004): a behavioural model of their current-mode chip with device mismatch, the characterization
// that measures each neuron's transfer slope through source and monitor neurons, and training on the measured slopes
// with signed 3-bit weights (dual-copy rounding: train/grid.ts signedBitsGrid with the straight-through estimator).
//
// The chip (Binas Fig. 2): layers of somas, each f_i(r) = max(0, a_i r) (B @49133), joined by signed 3-bit synapses
// (Fig. 2c: a sign switch and three binary-weighted current mirrors, 2^0, 2^1, 2^2 units). Mismatch: every transistor
// gets a threshold shift dV_T ~ N(0, sigma^2), sigma = A_VT / sqrt(W L) (Pelgrom; the default) or A_VT / sqrt(W / L)
// (as Binas prints it, B @44719), A_VT = 3.3 mV um (180 nm). In subthreshold a mirror's gain is exp(dV/(n U_T))
// (derived, not in B; n = 1.4, U_T = 25.9 mV), so:
//   - a soma's slope a_i is its input-output mirror (M0-M4, 2.7/0.45 um): ln a_i ~ N(0, 2 sigma^2 / (n U_T)^2);
//   - each bit mirror of each synapse (M10-M12 positive, M13-M15 negative: 0.27, 0.54, 1.08 / 0.54 um) has its own
//     gain, ln g ~ N(0, sigma^2 / (n U_T)^2) (the source soma's diode is common to its synapses: in a_i);
//   - the negative path of each receiving soma has one more mirror (M16-M20, 0.54/0.54 um): the unit negative
//     strength nu_i, ln nu_i ~ N(0, 2 sigma^2 / (n U_T)^2);
//   - the outputs are read through one more array of synapses (B: "an additional array of synapses after the last
//     layer"), with the same bit-mirror mismatch.
// Which transistor does what beyond Table 2's sizes is our reading of Fig. 2 (stated in docs/training.md).

import { usageError } from '../errors.js';
import { TRAIN_MESSAGES as TM } from '../messages/train.js';
import type { Graph, Node } from '../ir/ops.js';
import { Rng } from '../util/random.js';
import { signedBitsGrid } from './grid.js';
import { TrainModel } from './model.js';
import { mixSeed, type LabelledSet } from './shard.js';
import { evaluateSet, trainModel, TRAIN_DEFAULTS, type TrainOptions, type TrainResult } from './train.js';

export interface Device {
  /** Width and length, um. */
  readonly wUm: number;
  readonly lUm: number;
}

export type SigmaFormula = 'wl' | 'w/l';

export interface MismatchModel {
  /** Pelgrom's A_VT, mV um. */
  readonly avtMvUm: number;
  /** sigma = A_VT / sqrt(W L) ('wl', Pelgrom; default) or A_VT / sqrt(W / L) ('w/l', as Binas prints it). */
  readonly sigmaFormula: SigmaFormula;
  /** Subthreshold slope factor n and thermal voltage U_T (mV): a mirror's gain is exp(dV_T / (n U_T)). */
  readonly slopeFactor: number;
  readonly thermalVoltageMv: number;
  readonly soma: Device;
  /** The synapse's bit mirrors, least significant first (2^0, 2^1, 2^2 units). */
  readonly bits: readonly Device[];
  readonly negativeMirror: Device;
  readonly source: string;
}

/** Binas's 180 nm devices (Table 2, B @42228) and A_VT (B @44818). */
export const BINAS_180NM: MismatchModel = {
  avtMvUm: 3.3,
  sigmaFormula: 'wl',
  slopeFactor: 1.4,
  thermalVoltageMv: 25.9,
  soma: { wUm: 2.7, lUm: 0.45 },
  bits: [{ wUm: 0.27, lUm: 0.54 }, { wUm: 0.54, lUm: 0.54 }, { wUm: 1.08, lUm: 0.54 }],
  negativeMirror: { wUm: 0.54, lUm: 0.54 },
  source: 'Binas et al., Table 2 (W/L of M0-M4, M10-M15, M16-M20) and A_VT = 3.3 mV um for 180 nm; sigma per Pelgrom (W L) unless sigmaFormula w/l (Binas as printed)',
};

/** sigma of dV_T of a device, mV. */
export function sigmaVtMv(m: MismatchModel, d: Device): number {
  if (m.sigmaFormula !== 'wl' && m.sigmaFormula !== 'w/l') throw usageError(TM.badSigmaFormula(String(m.sigmaFormula)));
  return m.avtMvUm / Math.sqrt(m.sigmaFormula === 'wl' ? d.wUm * d.lUm : d.wUm / d.lUm);
}

/** sigma of ln(gain) of a mirror with `devices` mismatched transistors of device d. */
function lnSigma(m: MismatchModel, d: Device, devices: number): number {
  return (Math.sqrt(devices) * sigmaVtMv(m, d)) / (m.slopeFactor * m.thermalVoltageMv);
}

const BITS = 3;
const TOP = 2 ** BITS - 1;

/** A simulated chip: layers of somas (layers[0] receives the input currents) and its drawn mismatch. */
export class SimulatedChip {
  /** True slope a_i of every soma, per layer. */
  readonly slope: Float64Array[];
  /** Per transition l (layer l -> l+1; the last one is the readout array to one current per output soma): bit gains [post][pre][bit]. */
  readonly positive: Float64Array[];
  readonly negative: Float64Array[];
  /** Unit negative strength of each receiving soma, per transition. */
  readonly nu: Float64Array[];

  constructor(readonly layers: readonly number[], readonly model: MismatchModel, readonly seed: number) {
    if (layers.length < 2 || !layers.every((n) => Number.isSafeInteger(n) && n >= 1)) throw usageError(TM.badChip('layers must be at least two positive sizes'));
    const rng = new Rng(mixSeed(seed, 0xc41b));
    const ln = (s: number) => Math.exp(s * rng.normal());
    const sSoma = lnSigma(model, model.soma, 2);
    const sBits = model.bits.map((d) => lnSigma(model, d, 1));
    const sNeg = lnSigma(model, model.negativeMirror, 2);
    this.slope = layers.map((n) => Float64Array.from({ length: n }, () => ln(sSoma)));
    this.positive = [];
    this.negative = [];
    this.nu = [];
    // Transitions between layers, then the readout array (one synapse per output soma, positive, code 7).
    for (let l = 0; l < layers.length; l++) {
      const pre = layers[l];
      const post = l + 1 < layers.length ? layers[l + 1] : layers[l];
      const draw = () => Float64Array.from({ length: post * pre * BITS }, (_, k) => ln(sBits[k % BITS]));
      this.positive.push(draw());
      this.negative.push(draw());
      this.nu.push(Float64Array.from({ length: post }, () => ln(sNeg)));
    }
  }

  /** Current of synapse (post, pre) of transition l programmed with code c in -7..7, per unit input current. */
  synapse(l: number, post: number, pre: number, c: number): number {
    const pres = this.layers[l];
    const g = c >= 0 ? this.positive[l] : this.negative[l];
    const m = Math.abs(c);
    let s = 0;
    for (let b = 0; b < BITS; b++) if (m & (1 << b)) s += (1 << b) * g[(post * pres + pre) * BITS + b];
    return c >= 0 ? s : -s * this.nu[l][post];
  }

  /**
   * The chip's response: input currents x (length layers[0], in units of full scale) through the programmed codes
   * (codes[l][post * pre_count + pre] for transitions 0..L-2); returns the readout currents of the last layer.
   */
  run(x: ArrayLike<number>, codes: readonly Int8Array[]): Float64Array {
    let v = Float64Array.from(this.slope[0], (a, i) => Math.max(0, a * (x[i] ?? 0)));
    for (let l = 0; l + 1 < this.layers.length; l++) {
      const pre = this.layers[l];
      const post = this.layers[l + 1];
      const next = new Float64Array(post);
      for (let i = 0; i < post; i++) {
        let r = 0;
        for (let j = 0; j < pre; j++) {
          const c = codes[l][i * pre + j];
          if (c !== 0 && v[j] !== 0) r += this.synapse(l, i, j, c) * v[j];
        }
        next[i] = Math.max(0, this.slope[l + 1][i] * r);
      }
      v = next;
    }
    const L = this.layers.length - 1;
    return Float64Array.from(v, (y, i) => y * this.synapse(L, i, i, TOP));
  }
}

export interface Characterization {
  /** Measured slopes per layer, normalized to a mean of 1 per layer (B @47928). */
  readonly slope: Float64Array[];
  /** Measured unit negative strength of every receiving soma, per transition (normalized like the slopes: by the layer's mean positive response). */
  readonly negativeUnit: Float64Array[];
  readonly measurements: number;
  /** Data points per unit (mean). */
  readonly pointsPerUnit: number;
}

/**
 * Binas's characterization on the simulated chip (B @47400): in each measurement every probed soma receives exactly
 * one input (a random matching between consecutive layers, every such synapse at its maximum, code 7), the probed
 * inputs are set to one current, and each soma's input and output currents are recorded (its output read as the input
 * current of the soma it drives in the next layer, or through the readout array). A slope through the origin is
 * fitted to each soma's points and the slopes are normalized to a mean of 1 per layer. The unit negative weight is
 * measured by giving a soma a positive and a negative input at once and comparing with the negative one switched off.
 */
export function characterize(chip: SimulatedChip, o: { measurements?: number; pointsPerUnit?: number; negativeProbes?: number; seed?: number } = {}): Characterization {
  const M = o.measurements ?? 40;
  const want = o.pointsPerUnit ?? 10;
  const rng = new Rng(mixSeed(o.seed ?? 1, 0xc4a7));
  const L = chip.layers.length;
  const sxy = chip.layers.map((n) => new Float64Array(n));
  const sxx = chip.layers.map((n) => new Float64Array(n));
  const count = chip.layers.map((n) => new Float64Array(n));
  const width = Math.min(...chip.layers);
  // Chains probed per measurement, so each unit gets about `want` points over M measurements.
  const chains = Math.max(1, Math.min(width, Math.round((want * Math.max(...chip.layers)) / M)));
  for (let m = 0; m < M; m++) {
    const r = 0.1 + 0.9 * rng.next();
    // Chains: a unit per layer, distinct within each layer.
    const pick = chip.layers.map((n) => shuffle(n, rng).slice(0, chains));
    for (let c = 0; c < chains; c++) {
      let current = r; // the input current of the chain's unit in layer 0
      for (let l = 0; l < L; l++) {
        const u = pick[l][c];
        const out = Math.max(0, chip.slope[l][u] * current);
        // Its output, measured as the input current of the next soma (synapse at code 7), or through the readout.
        const next = l + 1 < L ? pick[l + 1][c] : u;
        const measured = out * chip.synapse(l, next, u, TOP) / TOP;
        sxy[l][u] += current * measured;
        sxx[l][u] += current * current;
        count[l][u]++;
        current = measured * TOP;
      }
    }
  }
  const slope = chip.layers.map((n, l) => {
    const a = Float64Array.from({ length: n }, (_, i) => (sxx[l][i] > 0 ? sxy[l][i] / sxx[l][i] : NaN));
    const seen = [...a].filter(Number.isFinite);
    const mean = seen.reduce((s, v) => s + v, 0) / Math.max(1, seen.length);
    // A unit never probed gets the layer mean.
    return a.map((v) => (Number.isFinite(v) ? v / mean : 1));
  });
  // Unit negative strength of each soma i of layer l+1: it gets +7 from source j and -3 from source q (the same input
  // current); with the negative one off the response is R_off, with both on R_on: nu = (R_off - R_on) / R_off * 7/3
  // (the source slopes and synapse gains enter too: averaged over `probes` pairs of sources).
  const negativeUnit: Float64Array[] = [];
  const probes = o.negativeProbes ?? 4;
  for (let l = 0; l + 1 < L; l++) {
    const pre = chip.layers[l];
    const post = chip.layers[l + 1];
    negativeUnit.push(Float64Array.from({ length: post }, (_, i) => {
      let sum = 0;
      let k = 0;
      for (let t = 0; t < probes && pre >= 2; t++) {
        const [j, q] = shuffle(pre, rng).slice(0, 2);
        const pos = chip.synapse(l, i, j, TOP) * chip.slope[l][j];
        const neg = chip.synapse(l, i, q, -3) * chip.slope[l][q];
        const on = Math.max(0, pos + neg);
        if (!(on > 0)) continue;
        sum += ((pos - on) / pos) * (TOP / 3);
        k++;
      }
      return k > 0 ? sum / k : 1;
    }));
  }
  const points = count.reduce((s, c) => s + c.reduce((a, b) => a + b, 0), 0) / chip.layers.reduce((s, n) => s + n, 0);
  return { slope, negativeUnit, measurements: M, pointsPerUnit: points };
}

function shuffle(n: number, rng: Rng): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** The dense layers of a chain of dense + ReLU without biases (the chip's network), in order. */
export function chipLayers(graph: Graph): Extract<Node, { kind: 'dense' }>[] {
  const dense: Extract<Node, { kind: 'dense' }>[] = [];
  graph.nodes.forEach((n, k) => {
    if (n.kind === 'dense') {
      if (n.bias && n.bias.some((b) => b !== 0)) throw usageError(TM.notChipNetwork(`dense '${n.name}' has a bias (the chip's somas have none)`));
      const next = graph.nodes[k + 1];
      if (!next || next.kind !== 'activation' || next.fn.type !== 'relu') throw usageError(TM.notChipNetwork(`dense '${n.name}' is not followed by a ReLU`));
      dense.push(n);
    } else if (!(n.kind === 'activation' && n.fn.type === 'relu')) throw usageError(TM.notChipNetwork(`node '${n.name}' is a ${n.kind}`));
  });
  return dense;
}

/** A fresh Binas network: dense (no bias) + ReLU per layer, He-normal initial weights from the seed. */
export function chipNetwork(sizes: readonly number[], seed: number): Graph {
  const rng = new Rng(mixSeed(seed, 0x1417));
  const nodes: Node[] = [];
  let prev = 'x';
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [K, O] = [sizes[l], sizes[l + 1]];
    const s = Math.sqrt(2 / K);
    nodes.push({ kind: 'dense', name: `dense${l}`, sourceOp: 'Gemm', inputs: [prev], output: `h${l}`, weight: { shape: [O, K], data: Float64Array.from({ length: O * K }, () => s * rng.normal()) }, bias: null });
    nodes.push({ kind: 'activation', name: `relu${l}`, sourceOp: 'Relu', inputs: [`h${l}`], output: `a${l}`, fn: { type: 'relu' } });
    prev = `a${l}`;
  }
  return { name: 'binas', input: { name: 'x', shape: [sizes[0]] }, output: prev, nodes, origin: 'ohmnet chipNetwork' };
}

/** Per dense layer: the 3-bit unit (max |w| / 7 of the starting weights). */
export function bitUnits(graph: Graph): number[] {
  return chipLayers(graph).map((d) => Math.max(...d.weight.data.map(Math.abs)) / TOP || 1);
}

export interface ChipTrainOptions extends Partial<Omit<TrainOptions, 'grid' | 'loss'>> {
  /** Train on these measured slopes (the inhomogeneous model); null: the ideal (homogeneous) model, all slopes 1. */
  readonly measured: Characterization | null;
  /** Signed 3-bit weights (dual-copy rounding); false: float weights. */
  readonly threeBit: boolean;
}

/**
 * Trains a chip network (Binas: Adam, MSE on one-hot targets, L1 on negative weights 1e-6) on the measured slopes of
 * the first sum(network sizes) somas of each chip layer; returns the trained model (its weights on the 3-bit grid).
 */
export async function trainForChip(graph: Graph, train: LabelledSet, o: ChipTrainOptions): Promise<{ model: TrainModel; units: number[]; result: TrainResult }> {
  const dense = chipLayers(graph);
  const units = bitUnits(graph);
  const model = new TrainModel(graph);
  if (o.measured) {
    const s = o.measured.slope;
    model.hooks.inputSlope = s[0].slice(0, graph.input.shape[0]);
    model.hooks.unitSlope = dense.map((d, l) => s[l + 1].slice(0, d.weight.shape[0]));
  }
  const grids = dense.map((d, l) => signedBitsGrid(units[l], o.measured ? o.measured.negativeUnit[l].slice(0, d.weight.shape[0]) : 1, d.weight.shape[1]));
  const result = await trainModel(model, train, {
    ...TRAIN_DEFAULTS, l1Negative: 1e-6, ...o, loss: 'mse',
    seed: o.seed ?? 1,
    grid: o.threeBit ? (p) => (p.role === 'weight' ? grids[dense.findIndex((d) => d.name === p.node)] : null) : null,
  });
  return { model, units, result };
}

/**
 * Programs a trained chip network into the chip (codes = round(w / unit), negative codes by the measured unit
 * negative strength as in training) and returns the chip's accuracy on the set (argmax of the readout currents).
 */
export function chipAccuracy(chip: SimulatedChip, model: TrainModel, units: readonly number[], negativeUnit: readonly (Float64Array | null)[], set: LabelledSet): number {
  const weights = model.params.filter((p) => p.role === 'weight');
  const codes = weights.map((p, l) => {
    const pre = chip.layers[l];
    const post = chip.layers[l + 1];
    const [O, K] = [p.rows, p.value.length / p.rows];
    if (O > post || K > pre) throw usageError(TM.chipTooSmall(l + 1, Math.max(O, K), Math.min(post, pre)));
    const c = new Int8Array(post * pre);
    for (let i = 0; i < O; i++) {
      for (let j = 0; j < K; j++) {
        const w = p.value[i * K + j];
        const u = w >= 0 ? units[l] : units[l] * (negativeUnit[l]?.[i] ?? 1);
        c[i * pre + j] = Math.max(-TOP, Math.min(TOP, Math.round(w / u)));
      }
    }
    return c;
  });
  if (chip.layers[0] < set.samples[0].length) throw usageError(TM.chipTooSmall(0, set.samples[0].length, chip.layers[0]));
  const outputs = model.outputSize;
  let right = 0;
  set.samples.forEach((x, s) => {
    const y = chip.run(x, codes).subarray(0, outputs);
    let best = 0;
    for (let i = 1; i < y.length; i++) if (y[i] > y[best]) best = i;
    if (best === set.labels[s]) right++;
  });
  return right / set.samples.length;
}

export interface ChipRecipe {
  /** Initializations tried (seeds 1..restarts); the one with the lowest training loss is kept (training data only). */
  readonly restarts: number;
  /** Float epochs (on the measured slopes), then 3-bit epochs from the float weights (the unit: max |w| / 7 of them). */
  readonly floatEpochs: number;
  readonly bitEpochs: number;
  readonly floatLearningRate: number;
  readonly bitLearningRate: number;
  readonly batchSize: number;
  readonly workers?: number;
  /** Weight noise in both phases (noise-aware on top of mismatch-aware: the synapses' own mismatch is not measured). */
  readonly weightNoiseRel?: number;
}

/** The recipe of the Iris chip test and bench (docs/training.md): Adam, MSE, batch 10. */
export const IRIS_CHIP_RECIPE: ChipRecipe = { restarts: 5, floatEpochs: 300, bitEpochs: 300, floatLearningRate: 0.01, bitLearningRate: 0.003, batchSize: 10 };

/**
 * Trains a chip network of the given sizes by the recipe: on the measured slopes (mismatch-aware) or on none (the
 * ideal, homogeneous model), float first, then signed 3-bit with dual-copy rounding; keeps the restart with the lowest
 * training loss.
 */
export async function trainChipNetwork(sizes: readonly number[], train: LabelledSet, measured: Characterization | null, r: ChipRecipe = IRIS_CHIP_RECIPE): Promise<{ model: TrainModel; units: number[]; trainLoss: number }> {
  let best: { model: TrainModel; units: number[]; trainLoss: number } | null = null;
  for (let s = 1; s <= r.restarts; s++) {
    const common = { batchSize: r.batchSize, measured, seed: s, ...(r.workers ? { workers: r.workers } : {}), ...(r.weightNoiseRel ? { weightNoiseRel: r.weightNoiseRel } : {}) };
    const f = await trainForChip(chipNetwork(sizes, s), train, { ...common, epochs: r.floatEpochs, learningRate: r.floatLearningRate, threeBit: false });
    const q = await trainForChip(f.model.toGraph(), train, { ...common, epochs: r.bitEpochs, learningRate: r.bitLearningRate, threeBit: true });
    const trainLoss = evaluateSet(q.model, train, 'mse').loss;
    if (!best || trainLoss < best.trainLoss) best = { model: q.model, units: q.units, trainLoss };
  }
  return best!;
}
