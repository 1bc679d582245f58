// Simulation of the realized network: effective weights from (possibly perturbed) resistor values through the exact
// op-amp formula, optional input DAC and output ADC of n bits, and error figures against the source model.
//
// The op-amp model: ideal (default; infinite open-loop gain, the realization's own weights) or a macro model at DC
// (realize/circuit.ts finiteGainNeuron: the exact closed-loop transfer with open-loop gain A0, Rin and Rout; the output
// swing narrowed by its headroom). What the DC macro model leaves out is what the netlist's operating point does not
// see either: the pole (GBW) and the capacitor are open at DC, and the quiescent current flows between the supply rails
// only. The limiter after Rout is an ideal source in the netlist, so the following neurons' input resistors load no
// Rout.

import { requireRealized } from '../realize/realize.js';
import { drawNeuron } from '../realize/circuit.js';
import type { Realized } from '../realize/realize.js';
import type { ToleranceDistribution } from '../realize/stage.js';
import { DEFAULTS } from '../presets/defaults.js';
import { Rng } from '../util/random.js';
import { evaluateTnet, readout, type TnetEvalOptions, type TnetEvaluation } from '../tnet/evaluate.js';
import type { MacroOpamp, OpampModel } from '../presets/opamps.js';

export type { ToleranceDistribution };

export interface ConverterOptions {
  /** Input DAC resolution in bits (quantizes the physical input voltages over the calibration input range). */
  readonly dacBits?: number;
  /** Output ADC resolution in bits (quantizes the analog output voltages over the rails, -S..+S). */
  readonly adcBits?: number;
  /** Physical input range [lo, hi] of the DAC in volts. */
  readonly dacRangeV?: readonly [number, number];
}

export function quantizer(bits: number, lo: number, hi: number): (v: number) => number {
  const levels = 2 ** bits - 1;
  const step = (hi - lo) / levels;
  if (!(step > 0)) return () => lo;
  return (v) => {
    const k = Math.round((v - lo) / step);
    return lo + Math.min(levels, Math.max(0, k)) * step;
  };
}

/** The finite-gain model of an op-amp, or null for an ideal one (whose 1e9 gain the simulation takes as infinite). */
function finiteGain(opamp: OpampModel | null | undefined): MacroOpamp | null {
  return opamp?.kind === 'macro' ? opamp : null;
}

/** Effective weights and biases of the realized network with every resistor multiplied by (1 + error), through the
 * circuit's transfer with the op-amp model (default ideal). */
export function perturbedWeights(r: Realized, rng: Rng | null, toleranceRel: number, dist: ToleranceDistribution, opamp: OpampModel | null = null): { weight: Float64Array; bias: Float64Array } {
  const n = r.tnet.neurons;
  const draw = rng === null || toleranceRel === 0
    ? (v: number) => v
    : dist === 'gaussian'
      ? (v: number) => (v === Infinity ? v : v * (1 + toleranceRel * rng.normal()))
      : (v: number) => (v === Infinity ? v : v * (1 + toleranceRel * (2 * rng.next() - 1)));
  const rPlus = new Float64Array(r.rPlusOhm.length);
  const rMinus = new Float64Array(r.rMinusOhm.length);
  const weight = new Float64Array(r.rPlusOhm.length);
  const bias = new Float64Array(n.count);
  const op = finiteGain(opamp);
  for (let i = 0; i < n.count; i++) bias[i] = drawNeuron(r, i, draw, rPlus, rMinus, weight, op);
  return { weight, bias };
}

/** Nominal effective weights and biases with the op-amp model: ideal, the realization's own (the same arrays). */
export function nominalWeights(r: Realized, opamp: OpampModel | null = null): { weight: Float64Array; bias: Float64Array } {
  return finiteGain(opamp) ? perturbedWeights(r, null, 0, 'uniform', opamp) : { weight: r.weight, bias: r.bias };
}

/** The evaluator's options for the op-amp model's output limits: a macro model's swing within the netlist's rails. */
function swingOptions(r: Realized, opamp: OpampModel | null): Pick<TnetEvalOptions, 'swing' | 'railV'> {
  const op = finiteGain(opamp);
  return op ? { swing: { headroomV: op.swingHeadroomV }, railV: r.tnet.railV ?? DEFAULTS.signalLimitV } : {};
}

/**
 * The behavioural simulation of the realized circuit (nominal resistor values, no converters) with the op-amp model:
 * ideal (default) gives the realization's evaluation unchanged; a macro model its DC transfer and output swing.
 */
export function simulateRealized(r: Realized, samples: readonly ArrayLike<number>[], opamp: OpampModel | null = null): TnetEvaluation {
  requireRealized(r);
  const w = nominalWeights(r, opamp);
  return evaluateTnet(r.tnet, samples, { weight: w.weight, bias: w.bias, ...swingOptions(r, opamp) });
}

/** Final outputs (after readout scales, ADC and the digital tail) of the realized network with given weights (from
 * perturbedWeights with the same op-amp model, whose output swing applies). */
export function evaluateRealized(r: Realized, samples: readonly ArrayLike<number>[], w: { weight: Float64Array; bias: Float64Array }, conv: ConverterOptions = {}, opamp: OpampModel | null = null): Float64Array[] {
  requireRealized(r);
  const net = r.tnet;
  let xs = samples;
  if (conv.dacBits !== undefined) {
    const [lo, hi] = conv.dacRangeV ?? [0, 1];
    const q = quantizer(conv.dacBits, lo, hi);
    xs = samples.map((s) => Float64Array.from(s, (v) => q(net.inputGain * v) / net.inputGain));
  }
  const ev = evaluateTnet(net, xs, { weight: w.weight, bias: w.bias, ...swingOptions(r, opamp) });
  if (conv.adcBits === undefined) return ev.outputs;
  const rail = net.railV ?? DEFAULTS.signalLimitV;
  const q = quantizer(conv.adcBits, -rail, rail);
  return ev.analog.map((y) => readout(net, y.map((v, k) => q(v / net.outputScale[k]))).output);
}

/**
 * The time-stepped behavioural simulation of a realized clocked network (nominal resistor values, the op-amp model as
 * simulateRealized has it (null: ideal), no converters): per sample, per clock tick, the voltage of every output
 * signal (v(out<k>)), at every tick, not only the read ticks. SPICE's transient verification compares with it at the
 * end of every tick.
 */
export function realizedTrace(r: Realized, samples: readonly ArrayLike<number>[], opamp: OpampModel | null = null): Float64Array[][] {
  requireRealized(r);
  const net = r.tnet;
  const trace: Float64Array[][] = samples.map(() => []);
  const w = nominalWeights(r, opamp);
  evaluateTnet(net, samples, {
    weight: w.weight,
    bias: w.bias,
    ...swingOptions(r, opamp),
    onTick: (t, vals, S) => {
      for (let k = 0; k < S; k++) trace[k][t] = Float64Array.from(net.outputSignal, (sig) => vals[sig * S + k]);
    },
  });
  return trace;
}

export interface ErrorFigures {
  /** Mean over samples and outputs of (realized - source)^2. */
  readonly mse: number;
  readonly maxAbsError: number;
  /** Fraction of samples whose class (argmax, or output > threshold for a single output) equals the source's. */
  readonly classAgreement: number;
  /** With labels: fraction of samples whose class equals the label (task accuracy); else null. */
  readonly accuracy: number | null;
}

/** The class of one output vector: argmax, or output > threshold for a single output. */
export function classOf(y: ArrayLike<number>, threshold: number): number {
  if (y.length === 1) return y[0] > threshold ? 1 : 0;
  let best = 0;
  for (let j = 1; j < y.length; j++) if (y[j] > y[best]) best = j;
  return best;
}

/** Task accuracy of outputs against integer labels (the class of each output vector equals its label). */
export function accuracyOf(got: readonly ArrayLike<number>[], labels: readonly number[], classThreshold: number): number {
  let right = 0;
  got.forEach((y, k) => {
    if (classOf(y, classThreshold) === labels[k]) right++;
  });
  return got.length > 0 ? right / got.length : 1;
}

export function compareOutputs(got: readonly ArrayLike<number>[], reference: readonly ArrayLike<number>[], classThreshold: number, labels: readonly number[] | null = null): ErrorFigures {
  let sq = 0;
  let max = 0;
  let n = 0;
  let agree = 0;
  got.forEach((y, k) => {
    const r = reference[k];
    for (let j = 0; j < y.length; j++) {
      const d = y[j] - r[j];
      sq += d * d;
      max = Math.max(max, Math.abs(d));
      n++;
    }
    if (classOf(y, classThreshold) === classOf(r, classThreshold)) agree++;
  });
  return { mse: n > 0 ? sq / n : 0, maxAbsError: max, classAgreement: got.length > 0 ? agree / got.length : 1, accuracy: labels ? accuracyOf(got, labels, classThreshold) : null };
}

/** Seed of trial t: a trial's draws depend on (seed, t) only, never on which worker runs it. */
export function trialSeed(seed: number, trial: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (trial + 0x7f4a7c15), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

export interface TrialSpec {
  readonly toleranceRel: number;
  readonly distribution: ToleranceDistribution;
  readonly seed: number;
  readonly classThreshold: number;
  readonly converters: ConverterOptions;
  /** Labels of the samples, for task accuracy per trial (absent or null: none). */
  readonly labels?: readonly number[] | null;
}

export function runTrial(r: Realized, samples: readonly ArrayLike<number>[], reference: readonly ArrayLike<number>[], trial: number, spec: TrialSpec): ErrorFigures {
  const w = perturbedWeights(r, new Rng(trialSeed(spec.seed, trial)), spec.toleranceRel, spec.distribution);
  return compareOutputs(evaluateRealized(r, samples, w, spec.converters), reference, spec.classThreshold, spec.labels ?? null);
}
