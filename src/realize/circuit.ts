// The one owner of the neuron circuit (patent FIG. 18, FIG. 24D): the differential summing amplifier that realizes a
// T-network neuron, and its weight-reduction gain stage. Every stage that needs the circuit's topology reads it here:
// realization (pair selection, the normalizing resistor, the exact weight formula), Monte Carlo (which resistors are
// drawn, in which order), SPICE verification (the noise gain that finite open-loop gain multiplies), the structured
// netlist (circuit/: element names and nets) and resistors.csv (the same names).
//
// The circuit of neuron i (R_f = rFeedbackOhm[i]):
//   - feedback R_n = R_f from the amplifier's output to the inverting input (-), element R<i>f;
//   - R_p = R_f from the non-inverting input (+) to ground, element R<i>g;
//   - each input j through R_j+ to (+) and R_j- to (-), elements R<i>p<k> / R<i>m<k> (k: position in the row), so
//     w_j = R_f/R_j+ - R_f/R_j-;
//   - the bias as a pair from V_ref, elements R<i>bp / R<i>bm: b = V_ref (R_f/R_b+ - R_f/R_b-);
//   - a normalizing resistor to ground on the input with less total conductance (element R<i>n), so both inputs see
//     the same total conductance G+ = G-: V_out = R_f [(G-/G+) sum x_j/R_j+ - sum x_j/R_j-] is then exact;
//   - where the weights need more gain than the set gives, a non-inverting stage of gain 1 + R_b/R_a follows
//     (elements R<i>ga = R_a to ground, R<i>gb = R_b in its feedback).
// An open connection (weight realized as 0) has no resistors.

import type { Realized } from './realize.js';

/** Element names of neuron i's resistors (the netlist, resistors.csv and masks share them). */
export const neuronElement = {
  feedback: (i: number) => `R${i}f`,
  ground: (i: number) => `R${i}g`,
  plus: (i: number, k: number) => `R${i}p${k}`,
  minus: (i: number, k: number) => `R${i}m${k}`,
  biasPlus: (i: number) => `R${i}bp`,
  biasMinus: (i: number) => `R${i}bm`,
  normalizer: (i: number) => `R${i}n`,
  gainA: (i: number) => `R${i}ga`,
  gainB: (i: number) => `R${i}gb`,
  summator: (i: number) => `X${i}`,
  gainStage: (i: number) => `X${i}g`,
} as const;

/**
 * The normalizing resistor that equalizes the conductances at the two inputs, given their sums without it: on the
 * side with less conductance (Infinity on the other side, and on both when they are equal).
 */
export function normalizer(gPlus: number, gMinus: number): { plusOhm: number; minusOhm: number } {
  if (gPlus > gMinus) return { plusOhm: Infinity, minusOhm: 1 / (gPlus - gMinus) };
  if (gMinus > gPlus) return { plusOhm: 1 / (gMinus - gPlus), minusOhm: Infinity };
  return { plusOhm: Infinity, minusOhm: Infinity };
}

/**
 * Effective weights and bias of a neuron from its resistor values, through the exact formula of the amplifier with
 * an ideal op-amp: writes the weights of connections [from, to) into outWeight and returns the bias (volts).
 */
export function effectiveNeuron(
  rPlus: ArrayLike<number>, rMinus: ArrayLike<number>, from: number, to: number,
  rN: number, rP: number, rBp: number, rBm: number, rNp: number, rNm: number, gain: number, vRef: number,
  outWeight: Float64Array,
): number {
  let gp = 1 / rP + 1 / rBp + 1 / rNp;
  let gm = 1 / rN + 1 / rBm + 1 / rNm;
  for (let e = from; e < to; e++) {
    gp += 1 / rPlus[e];
    gm += 1 / rMinus[e];
  }
  const ratio = gm / gp;
  for (let e = from; e < to; e++) outWeight[e] = gain * rN * (ratio / rPlus[e] - 1 / rMinus[e]);
  return gain * vRef * rN * (ratio / rBp - 1 / rBm);
}

/**
 * The neuron's effective weights with every resistor value passed through `draw` (identity: nominal values; a
 * random perturbation: one Monte Carlo trial). The draw order is fixed (R_n, R_p, bias pair, normalizers, gain
 * stage R_b then R_a, then each connection's R+ and R-), so a trial depends only on its seed. Writes the drawn pair
 * values into rPlus/rMinus and the weights into outWeight for the neuron's connections; returns the bias.
 */
export function drawNeuron(r: Realized, i: number, draw: (ohm: number) => number, rPlus: Float64Array, rMinus: Float64Array, outWeight: Float64Array): number {
  const n = r.tnet.neurons;
  const rN = draw(r.rFeedbackOhm[i]);
  const rP = draw(r.rFeedbackOhm[i]);
  const rBp = draw(r.rBiasPlusOhm[i]);
  const rBm = draw(r.rBiasMinusOhm[i]);
  const rNp = draw(r.rNormPlusOhm[i]);
  const rNm = draw(r.rNormMinusOhm[i]);
  let gain = r.gain[i];
  if (gain !== 1) gain = 1 + draw(r.rGainBOhm[i]) / draw(r.rGainAOhm[i]);
  for (let e = n.rowPtr[i]; e < n.rowPtr[i + 1]; e++) {
    rPlus[e] = draw(r.rPlusOhm[e]);
    rMinus[e] = draw(r.rMinusOhm[e]);
  }
  return effectiveNeuron(rPlus, rMinus, n.rowPtr[i], n.rowPtr[i + 1], rN, rP, rBp, rBm, rNp, rNm, gain, r.options.vRefV, outWeight);
}

/** Noise gain 1 + R_f * G- of neuron i's summator: what a finite open-loop gain A0 divides (error ~ noise gain / A0). */
export function noiseGain(r: Realized, i: number): number {
  const n = r.tnet.neurons;
  let g = 1 / r.rFeedbackOhm[i] + 1 / r.rBiasMinusOhm[i] + 1 / r.rNormMinusOhm[i];
  for (let e = n.rowPtr[i]; e < n.rowPtr[i + 1]; e++) g += 1 / r.rMinusOhm[e];
  return r.rFeedbackOhm[i] * g;
}

/** Whether neuron i has a second stage after its summator: a gain stage, or a sigmoid/tanh block. */
export function hasGainStage(r: Realized, i: number): boolean {
  return r.gain[i] !== 1;
}
