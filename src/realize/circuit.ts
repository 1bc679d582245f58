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
//   - normalizing resistors to ground so both inputs see nearly the same total conductance (element R<i>np on (+),
//     R<i>nm on (-); parallel copies R<i>np2, R<i>np3 ...), all set values (normalizerFor, docs/realization.md):
//     V_out = R_f [(G-/G+) sum x_j/R_j+ - sum x_j/R_j-] is exact whatever mismatch the rounding leaves;
//   - where the weights need more gain than the set gives, a non-inverting stage of gain 1 + R_b/R_a follows
//     (elements R<i>ga = R_a to ground, R<i>gb = R_b in its feedback).
// An open connection (weight realized as 0) has no resistors. A row that is not a summing neuron (a multiplier cell)
// has no resistors at all: drawNeuron keeps it ideal and its noise gain is 1.

import type { Realized } from './realize.js';
import { BLOCK } from '../tnet/blocks.js';

/** Element names of neuron i's resistors (the netlist, resistors.csv and masks share them). */
export const neuronElement = {
  feedback: (i: number) => `R${i}f`,
  ground: (i: number) => `R${i}g`,
  plus: (i: number, k: number) => `R${i}p${k}`,
  minus: (i: number, k: number) => `R${i}m${k}`,
  biasPlus: (i: number) => `R${i}bp`,
  biasMinus: (i: number) => `R${i}bm`,
  /** Copy c (0-based) of the normalizer from (+) / (-) to ground; copies beyond the first are in parallel. */
  normalizerPlus: (i: number, c = 0) => (c === 0 ? `R${i}np` : `R${i}np${c + 1}`),
  normalizerMinus: (i: number, c = 0) => (c === 0 ? `R${i}nm` : `R${i}nm${c + 1}`),
  gainA: (i: number) => `R${i}ga`,
  gainB: (i: number) => `R${i}gb`,
  summator: (i: number) => `X${i}`,
  gainStage: (i: number) => `X${i}g`,
} as const;

/** Relative conductance mismatch (|G+ - G-| / (G+ + G-)) below which a neuron gets no normalizer at all. */
export const NORMALIZER_NEGLIGIBLE_REL = 1e-9;

/** A neuron's normalizers: `plusCount` copies of plusOhm in parallel from (+) to ground, likewise on (-). */
export interface NormalizerChoice {
  readonly plusOhm: number;
  readonly plusCount: number;
  readonly minusOhm: number;
  readonly minusCount: number;
}

const NONE: NormalizerChoice = { plusOhm: Infinity, plusCount: 0, minusOhm: Infinity, minusCount: 0 };

/** The set value nearest to `target` on a log scale (set ascending). */
function nearestLog(set: readonly number[], target: number): number {
  let lo = 0;
  let hi = set.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (set[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  const a = set[Math.max(0, lo - 1)];
  const b = set[lo];
  return Math.abs(Math.log(a / target)) <= Math.abs(Math.log(b / target)) ? a : b;
}

/**
 * The normalizers that equalize the conductances at the two inputs, given their sums without them, built only from
 * set values (docs/realization.md#normalizing-resistors):
 *   - a mismatch dG below NORMALIZER_NEGLIGIBLE_REL of G+ + G- needs none;
 *   - "single": k copies in parallel of the set value nearest k/dG on the side with less conductance (k = 1 when
 *     1/dG >= R_min, else the fewest copies that bring k/dG up to R_min);
 *   - "pair": when dG <= 1/R_min - 1/R_max, one resistor on each input, chosen like a weight from the pair table of
 *     `pairFor(dG)` (conductance difference 1/R_a - 1/R_b closest to dG; R_a on the side with less conductance);
 *   - whichever of the two leaves the smaller residual mismatch (the single one on a tie); none when neither reduces it.
 * The residual mismatch stays in the circuit and in the realized weights (effectiveNeuron is exact for any mismatch).
 */
export function normalizerFor(
  gPlus: number, gMinus: number, set: readonly number[],
  pairFor: (dG: number) => { readonly aOhm: number; readonly bOhm: number } | null,
): NormalizerChoice {
  const dG = Math.abs(gPlus - gMinus);
  if (!(dG > NORMALIZER_NEGLIGIBLE_REL * (gPlus + gMinus))) return NONE;
  const plusLess = gPlus < gMinus;
  const rMin = set[0];
  const target = 1 / dG;
  const copies = target >= rMin ? 1 : Math.ceil(rMin / target);
  const v = nearestLog(set, copies * target);
  const singleResidual = Math.abs(dG - copies / v);
  let best: NormalizerChoice = plusLess ? { plusOhm: v, plusCount: copies, minusOhm: Infinity, minusCount: 0 } : { plusOhm: Infinity, plusCount: 0, minusOhm: v, minusCount: copies };
  let bestResidual = singleResidual;
  const pair = pairFor(dG);
  if (pair && pair.aOhm !== Infinity) {
    const residual = Math.abs(dG - (1 / pair.aOhm - 1 / pair.bOhm));
    if (residual < bestResidual) {
      bestResidual = residual;
      best = plusLess ? { plusOhm: pair.aOhm, plusCount: 1, minusOhm: pair.bOhm, minusCount: 1 } : { plusOhm: pair.bOhm, plusCount: 1, minusOhm: pair.aOhm, minusCount: 1 };
    }
  }
  return bestResidual < dG ? best : NONE;
}

/** The effective resistance of `count` copies of `ohm` in parallel (Infinity when there are none). */
export function parallelOhm(ohm: number, count: number): number {
  return count > 0 ? ohm / count : Infinity;
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
 * random perturbation: one Monte Carlo trial). The draw order is fixed (R_n, R_p, bias pair, normalizers: the (+)
 * copies then the (-) copies, one draw of Infinity for a side without any; gain stage R_b then R_a, then each
 * connection's R+ and R-), so a trial depends only on its seed. Writes the drawn pair
 * values into rPlus/rMinus and the weights into outWeight for the neuron's connections; returns the bias.
 */
export function drawNeuron(r: Realized, i: number, draw: (ohm: number) => number, rPlus: Float64Array, rMinus: Float64Array, outWeight: Float64Array): number {
  const n = r.tnet.neurons;
  if (n.block[i] !== BLOCK.neuron) {
    // A cell without resistors (a multiplier) is ideal: no draws, its exact weights and bias (its gain error is not
    // modelled yet).
    for (let e = n.rowPtr[i]; e < n.rowPtr[i + 1]; e++) {
      rPlus[e] = Infinity;
      rMinus[e] = Infinity;
      outWeight[e] = n.weight[e];
    }
    return n.bias[i];
  }
  const rN = draw(r.rFeedbackOhm[i]);
  const rP = draw(r.rFeedbackOhm[i]);
  const rBp = draw(r.rBiasPlusOhm[i]);
  const rBm = draw(r.rBiasMinusOhm[i]);
  const rNp = drawParallel(r.rNormPlusOhm[i], r.normPlusCount[i], draw);
  const rNm = drawParallel(r.rNormMinusOhm[i], r.normMinusCount[i], draw);
  let gain = r.gain[i];
  if (gain !== 1) gain = 1 + draw(r.rGainBOhm[i]) / draw(r.rGainAOhm[i]);
  for (let e = n.rowPtr[i]; e < n.rowPtr[i + 1]; e++) {
    rPlus[e] = draw(r.rPlusOhm[e]);
    rMinus[e] = draw(r.rMinusOhm[e]);
  }
  return effectiveNeuron(rPlus, rMinus, n.rowPtr[i], n.rowPtr[i + 1], rN, rP, rBp, rBm, rNp, rNm, gain, r.options.vRefV, outWeight);
}

/** `count` independent draws of `ohm` in parallel; one draw (of Infinity) when there are none. */
function drawParallel(ohm: number, count: number, draw: (ohm: number) => number): number {
  if (count <= 1) return draw(count === 1 ? ohm : Infinity);
  let g = 0;
  for (let c = 0; c < count; c++) g += 1 / draw(ohm);
  return 1 / g;
}

/** Noise gain 1 + R_f * G- of neuron i's summator: what a finite open-loop gain A0 divides (error ~ noise gain / A0). */
export function noiseGain(r: Realized, i: number): number {
  const n = r.tnet.neurons;
  if (n.block[i] !== BLOCK.neuron) return 1;
  let g = 1 / r.rFeedbackOhm[i] + 1 / r.rBiasMinusOhm[i] + 1 / parallelOhm(r.rNormMinusOhm[i], r.normMinusCount[i]);
  for (let e = n.rowPtr[i]; e < n.rowPtr[i + 1]; e++) g += 1 / r.rMinusOhm[e];
  return r.rFeedbackOhm[i] * g;
}

/** Whether neuron i has a second stage after its summator: a gain stage, or a sigmoid/tanh block. */
export function hasGainStage(r: Realized, i: number): boolean {
  return r.gain[i] !== 1;
}
