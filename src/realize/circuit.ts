// The one owner of the neuron circuit (patent FIG. 18, FIG. 24D): the differential summing amplifier that realizes a
// T-network neuron, and its weight-reduction gain stage. Every stage that needs the circuit's topology reads it here:
// realization (pair selection, the normalizing resistor, the exact weight formula), Monte Carlo (which resistors are
// drawn, in which order), SPICE verification (the exact transfer with a finite-gain op-amp), the structured
// netlist (circuit/: element names and nets) and resistors.csv (the same names).
//
// The circuit of neuron i (R_f = rFeedbackOhm[i]):
//   - feedback R_n = R_f from the amplifier's output to the inverting input (-), element R<i>f;
//   - R_p = R_f from the non-inverting input (+) to ground, element R<i>g;
//   - each input j through R_j+ to (+) and R_j- to (-), elements R<i>p<k> / R<i>m<k> (k: position in the row), so
//     w_j = R_f/R_j+ - R_f/R_j-;
//   - the bias as a pair from V_ref, elements R<i>bp / R<i>bm: b = V_ref (R_f/R_b+ - R_f/R_b-);
//   - normalizing resistors to ground so both inputs see nearly the same total conductance (element R<i>np on (+),
//     R<i>nm on (-); parallel copies R<i>np2, R<i>np3 ...; a second, different value in parallel R<i>npb / R<i>nmb),
//     all set values (normalizerFor, docs/realization.md):
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
  /** The second, different value of the normalizer on (+) / (-), in parallel with the copies of the first. */
  normalizerPlus2: (i: number) => `R${i}npb`,
  normalizerMinus2: (i: number) => `R${i}nmb`,
  gainA: (i: number) => `R${i}ga`,
  gainB: (i: number) => `R${i}gb`,
  summator: (i: number) => `X${i}`,
  gainStage: (i: number) => `X${i}g`,
} as const;

/** Relative conductance mismatch (|G+ - G-| / (G+ + G-)) below which a neuron gets no normalizer at all. */
export const NORMALIZER_NEGLIGIBLE_REL = 1e-9;

/**
 * A neuron's normalizers: `plusCount` copies of plusOhm in parallel from (+) to ground, and in parallel with them one
 * resistor of plus2Ohm (Infinity: none; a value different from plusOhm); likewise on (-).
 */
export interface NormalizerChoice {
  readonly plusOhm: number;
  readonly plusCount: number;
  readonly plus2Ohm: number;
  readonly minusOhm: number;
  readonly minusCount: number;
  readonly minus2Ohm: number;
}

const NONE: NormalizerChoice = { plusOhm: Infinity, plusCount: 0, plus2Ohm: Infinity, minusOhm: Infinity, minusCount: 0, minus2Ohm: Infinity };

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

/** Index of the first set value >= x (set ascending; set.length when none). */
function lowerBound(set: readonly number[], x: number): number {
  let lo = 0;
  let hi = set.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (set[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One side's normalizer: `count` copies of `ohm` in parallel with one `ohm2` (Infinity: none). */
export interface NormalizerSide {
  readonly ohm: number;
  readonly count: number;
  readonly ohm2: number;
}

/**
 * The best normalizer of conductance `dG` on one side from k copies of one set value v1 in parallel with one more set
 * value v2 (k/v1 + 1/v2 closest to dG), for k = `copies` and `copies` - 1 (>= 1): for each v1 with k/v1 in
 * [dG k/(k+1), dG) (so v2 >= v1 where v2 is the larger, every pair is seen for k = 1), the v2 nearest in conductance
 * to the remainder dG - k/v1 by binary search. When v2 = v1 it is k + 1 copies (ohm2 Infinity). Null when no v1 fits.
 * Cost: (values within a factor 2 of the set) binary searches, about 29 for E96.
 */
export function twoValueNormalizer(dG: number, set: readonly number[], copies: number): { side: NormalizerSide; residual: number } | null {
  let best: { side: NormalizerSide; residual: number } | null = null;
  for (let k = Math.max(1, copies - 1); k <= copies; k++) {
    // v1 in (k/dG, (k+1)/dG]: k/v1 < dG, and the remainder dG - k/v1 <= 1/v1.
    for (let a = lowerBound(set, k / dG); a < set.length && set[a] <= (k + 1) / dG; a++) {
      const v1 = set[a];
      const rest = dG - k / v1;
      if (!(rest > 0)) continue;
      const b = lowerBound(set, 1 / rest);
      for (const j of [b - 1, b]) {
        if (j < 0 || j >= set.length) continue;
        const v2 = set[j];
        const residual = Math.abs(rest - 1 / v2);
        if (best && !(residual < best.residual)) continue;
        best = { side: v2 === v1 ? { ohm: v1, count: k + 1, ohm2: Infinity } : { ohm: v1, count: k, ohm2: v2 }, residual };
      }
    }
  }
  return best;
}

/** How many values c the three-resistor normalizer (two values against one, for dG < 2/R_max) tries per neuron. */
export const PAIR_TWO_CANDIDATES = 16;

/**
 * The normalizers that equalize the conductances at the two inputs, given their sums without them, built only from
 * set values (docs/realization.md#normalizing-resistors):
 *   - a mismatch dG below NORMALIZER_NEGLIGIBLE_REL of G+ + G- needs none;
 *   - "single": k copies in parallel of the set value nearest k/dG on the side with less conductance (k = 1 when
 *     1/dG >= R_min, else the fewest copies that bring k/dG up to R_min);
 *   - "two values": on that side, k or k - 1 copies of one set value in parallel with one other set value
 *     (twoValueNormalizer: a single value leaves up to half a step of the series, ~1% of dG for E96; two values
 *     leave ~1e-4 of dG);
 *   - "two against one": when dG < 2/R_max, two values a, b on that side and one value c on the other,
 *     1/a + 1/b - 1/c closest to dG (c among the PAIR_TWO_CANDIDATES largest set values <= R_max/2);
 *   - "pair": when dG <= 1/R_min - 1/R_max, one resistor on each input, chosen like a weight from the pair table of
 *     `pairFor(dG)` (conductance difference 1/R_a - 1/R_b closest to dG; R_a on the side with less conductance);
 *   - whichever leaves the smallest residual mismatch (on a tie the first in this order: fewer resistors); none when
 *     none reduces it.
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
  const oneSide = (s: NormalizerSide): NormalizerChoice => (plusLess
    ? { plusOhm: s.ohm, plusCount: s.count, plus2Ohm: s.ohm2, minusOhm: Infinity, minusCount: 0, minus2Ohm: Infinity }
    : { plusOhm: Infinity, plusCount: 0, plus2Ohm: Infinity, minusOhm: s.ohm, minusCount: s.count, minus2Ohm: s.ohm2 });
  const v = nearestLog(set, copies * target);
  let best = oneSide({ ohm: v, count: copies, ohm2: Infinity });
  let bestResidual = Math.abs(dG - copies / v);
  const two = twoValueNormalizer(dG, set, copies);
  if (two && two.residual < bestResidual) {
    bestResidual = two.residual;
    best = oneSide(two.side);
  }
  // Below 2/R_max two values on one side cannot reach dG (nor can one): one set value c on the side with more
  // conductance and two on the other (a = b: two copies), 1/a + 1/b - 1/c ~= dG (the two-value search for dG + 1/c),
  // for the largest PAIR_TWO_CANDIDATES values c <= R_max/2 (so a and b up to 2c fit the set). A pair from the table
  // resolves no difference finer than 1/R' - 1/R_max (R' the value below R_max: ~2.5e-8 S for E96 up to 1 MΩ).
  const rMax = set[set.length - 1];
  if (dG < 2 / rMax && bestResidual > 0) {
    for (let j = lowerBound(set, rMax / 2 * (1 + 1e-12)) - 1, tried = 0; j >= 0 && tried < PAIR_TWO_CANDIDATES; j--, tried++) {
      const c = set[j];
      const t = twoValueNormalizer(dG + 1 / c, set, 1);
      if (!t || !(t.residual < bestResidual)) continue;
      bestResidual = t.residual;
      const s = t.side;
      best = plusLess
        ? { plusOhm: s.ohm, plusCount: s.count, plus2Ohm: s.ohm2, minusOhm: c, minusCount: 1, minus2Ohm: Infinity }
        : { plusOhm: c, plusCount: 1, plus2Ohm: Infinity, minusOhm: s.ohm, minusCount: s.count, minus2Ohm: s.ohm2 };
    }
  }
  const pair = pairFor(dG);
  if (pair && pair.aOhm !== Infinity) {
    const residual = Math.abs(dG - (1 / pair.aOhm - 1 / pair.bOhm));
    if (residual < bestResidual) {
      bestResidual = residual;
      best = plusLess
        ? { plusOhm: pair.aOhm, plusCount: 1, plus2Ohm: Infinity, minusOhm: pair.bOhm, minusCount: 1, minus2Ohm: Infinity }
        : { plusOhm: pair.bOhm, plusCount: 1, plus2Ohm: Infinity, minusOhm: pair.aOhm, minusCount: 1, minus2Ohm: Infinity };
    }
  }
  return bestResidual < dG ? best : NONE;
}

/** The effective resistance of `count` copies of `ohm` in parallel (Infinity when there are none). */
export function parallelOhm(ohm: number, count: number): number {
  return count > 0 ? ohm / count : Infinity;
}

/** The effective resistance of a normalizer side: `count` copies of `ohm` in parallel with `ohm2` (Infinity: none). */
export function normalizerOhm(ohm: number, count: number, ohm2: number): number {
  const g = (count > 0 ? count / ohm : 0) + 1 / ohm2;
  return g > 0 ? 1 / g : Infinity;
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

/** What the finite-gain transfer reads of an op-amp model: its DC open-loop gain, input and output resistance. */
export interface OpampDc {
  /** DC open-loop gain A0 (V/V). */
  readonly gain: number;
  /** Differential input resistance (ohm; Infinity: none). */
  readonly rinOhm: number;
  /** Output resistance (ohm), between the gain source and the amplifier's linear output `fb` where R_n connects. */
  readonly routOhm: number;
}

/**
 * Effective weights and bias of a neuron through the exact DC transfer of the circuit above with a finite-gain op-amp
 * (the macro model of circuit/cells.ts: a source A0 (V+ - V-) behind Rout driving the node `fb` that R_n feeds back
 * from, Rin between the inputs; the output limiter after `fb` is an ideal source, so the loads see no Rout). Nodal
 * analysis of (+), (-) and fb, with I+/I- the currents the inputs and the bias inject, G+ / G- the conductances at
 * (+) / (-) to ground and the sources (G- without R_n: G-0), G_n = 1/R_n, G_in = 1/Rin, k = R_n/(R_n + Rout):
 *   V_fb = k A0 D + (1-k) V-, D = V+ - V-, and solving exactly (no first-order step):
 *   D = ((G-'/G+) I+ - I-) / (G-' rho + G_in + G_n k A0), G-' = G-0 + G_n k, rho = 1 + G_in/G+,
 *   V_fb = c_D (G-'/G+) I+ - c_D I- + (1-k) I+/G+, c_D = (k A0 - (1-k) rho) / (G-' rho + G_in + G_n k A0)
 * (A0 -> infinity, Rout = 0, Rin = infinity give effectiveNeuron's R_n ((G-/G+) I+ - I-)). The gain stage (R_a = rGa
 * to ground, R_b = rGb in its feedback; rGa Infinity and rGb 0 when there is none), non-inverting with its input
 * driven by the summator's limiter, has the closed-loop gain (k2 = R_b/(R_b + Rout), q = k2 A0 - (1-k2),
 * G_g = G_a + G_b + G_in): (k2 A0 G_g - q G_in) / (G_g + q G_b). Writes the weights of [from, to) into outWeight
 * and returns the bias (volts).
 */
export function finiteGainNeuron(
  rPlus: ArrayLike<number>, rMinus: ArrayLike<number>, from: number, to: number,
  rN: number, rP: number, rBp: number, rBm: number, rNp: number, rNm: number, rGa: number, rGb: number, vRef: number,
  op: OpampDc, outWeight: Float64Array,
): number {
  const a0 = op.gain;
  const gIn = 1 / op.rinOhm;
  let gp = 1 / rP + 1 / rBp + 1 / rNp;
  let gm0 = 1 / rBm + 1 / rNm;
  for (let e = from; e < to; e++) {
    gp += 1 / rPlus[e];
    gm0 += 1 / rMinus[e];
  }
  const gn = 1 / rN;
  const k = rN / (rN + op.routOhm);
  const km = op.routOhm / (rN + op.routOhm);
  const gmEff = gm0 + gn * k;
  const rho = 1 + gIn / gp;
  const cD = (k * a0 - km * rho) / (gmEff * rho + gIn + gn * k * a0);
  const cP = (cD * gmEff + km) / gp;
  let gain = 1;
  if (rGa !== Infinity) {
    const gb = 1 / rGb;
    const gg = 1 / rGa + gb + gIn;
    const k2 = rGb / (rGb + op.routOhm);
    const q = k2 * a0 - op.routOhm / (rGb + op.routOhm);
    gain = (k2 * a0 * gg - q * gIn) / (gg + q * gb);
  }
  for (let e = from; e < to; e++) outWeight[e] = gain * (cP / rPlus[e] - cD / rMinus[e]);
  return gain * vRef * (cP / rBp - cD / rBm);
}

/**
 * The neuron's effective weights with every resistor value passed through `draw` (identity: nominal values; a
 * random perturbation: one Monte Carlo trial). The draw order is fixed (R_n, R_p, bias pair, normalizers: the (+)
 * copies and its second value if any, then the (-) copies and its second value, one draw of Infinity for a side
 * without copies; gain stage R_b then R_a, then each
 * connection's R+ and R-), so a trial depends only on its seed. Writes the drawn pair
 * values into rPlus/rMinus and the weights into outWeight for the neuron's connections; returns the bias. `opamp`:
 * null for ideal op-amps (effectiveNeuron), else a finite-gain op-amp's DC model (finiteGainNeuron).
 */
export function drawNeuron(r: Realized, i: number, draw: (ohm: number) => number, rPlus: Float64Array, rMinus: Float64Array, outWeight: Float64Array, opamp: OpampDc | null = null): number {
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
  const rNp = drawParallel(r.rNormPlusOhm[i], r.normPlusCount[i], r.rNormPlus2Ohm[i], draw);
  const rNm = drawParallel(r.rNormMinusOhm[i], r.normMinusCount[i], r.rNormMinus2Ohm[i], draw);
  let gain = r.gain[i];
  let rGb = 0;
  let rGa = Infinity;
  if (gain !== 1) {
    rGb = draw(r.rGainBOhm[i]);
    rGa = draw(r.rGainAOhm[i]);
    gain = 1 + rGb / rGa;
  }
  for (let e = n.rowPtr[i]; e < n.rowPtr[i + 1]; e++) {
    rPlus[e] = draw(r.rPlusOhm[e]);
    rMinus[e] = draw(r.rMinusOhm[e]);
  }
  if (opamp) return finiteGainNeuron(rPlus, rMinus, n.rowPtr[i], n.rowPtr[i + 1], rN, rP, rBp, rBm, rNp, rNm, rGa, rGb, r.options.vRefV, opamp, outWeight);
  return effectiveNeuron(rPlus, rMinus, n.rowPtr[i], n.rowPtr[i + 1], rN, rP, rBp, rBm, rNp, rNm, gain, r.options.vRefV, outWeight);
}

/**
 * `count` independent draws of `ohm` in parallel (one draw of Infinity when there are none), in parallel with one
 * draw of `ohm2` when it is a resistor (no draw for Infinity: the stream of a neuron without it is unchanged).
 */
function drawParallel(ohm: number, count: number, ohm2: number, draw: (ohm: number) => number): number {
  let g = 0;
  if (count <= 1) g = 1 / draw(count === 1 ? ohm : Infinity);
  else for (let c = 0; c < count; c++) g += 1 / draw(ohm);
  if (ohm2 !== Infinity) g += 1 / draw(ohm2);
  return 1 / g;
}

/** Noise gain 1 + R_f * G- of neuron i's summator: what a finite open-loop gain A0 divides (error ~ noise gain / A0). */
export function noiseGain(r: Realized, i: number): number {
  const n = r.tnet.neurons;
  if (n.block[i] !== BLOCK.neuron) return 1;
  let g = 1 / r.rFeedbackOhm[i] + 1 / r.rBiasMinusOhm[i] + 1 / normalizerOhm(r.rNormMinusOhm[i], r.normMinusCount[i], r.rNormMinus2Ohm[i]);
  for (let e = n.rowPtr[i]; e < n.rowPtr[i + 1]; e++) g += 1 / r.rMinusOhm[e];
  return r.rFeedbackOhm[i] * g;
}

/** Whether neuron i has a second stage after its summator: a gain stage, or a sigmoid/tanh block. */
export function hasGainStage(r: Realized, i: number): boolean {
  return r.gain[i] !== 1;
}
