// The patent's rules on the resistance matrix of the realized circuit (claims 69/70; FIGS. 30B, 30C), as the claims
// state them (seed-targets C8: one paragraph of the description says the opposite; the claims win):
//   R > R_max  (a weight too small to matter)  -> the connection is removed
//   R < R_min  (a large weight)                -> the resistor is replaced by a conductor
// Applied to the weight and bias pairs of every summing neuron (R_f, gain stages and normalizers stay). A connection is
// a differential pair (R+ to the non-inverting input, R- to the inverting one), so "remove the connection" applies to
// the pair: it is removed (both resistors open) when both its resistors are above the threshold; one resistor alone
// is never opened (that would turn a small weight into a large one of either sign). A conductor is
// not 0 ohms in the model: into the virtual ground of the summing node it would be an infinite weight, so it is a wire
// of the resistance the user states (conductorOhm, no default). The realized weights and biases are recomputed with
// the exact circuit formula (realize/circuit.ts effectiveNeuron), so every later stage (netlist, SPICE, Monte Carlo,
// the realization-error verdict) sees the circuit with the rules applied, and the change they cause is measured.

import { usageError } from '../errors.js';
import { PRUNE_MESSAGES as PM } from '../messages/prune.js';
import { effectiveNeuron, normalizerOhm } from '../realize/circuit.js';
import type { Realized } from '../realize/realize.js';
import { BLOCK } from '../tnet/blocks.js';
import { evaluateTnet } from '../tnet/evaluate.js';

export interface ResistorRules {
  /** Weight/bias resistors above this (ohms) are removed (open); null: rule off. */
  readonly openAboveOhm: number | null;
  /** Weight/bias resistors below this (ohms) become a conductor of conductorOhm; null: rule off. */
  readonly conductorBelowOhm: number | null;
  /** The conductor's resistance (ohms), required with conductorBelowOhm. */
  readonly conductorOhm: number | null;
}

/** Validates the rules (positive finite ohms; the conductor's resistance with the conductor rule); null: none given. */
export function resolveResistorRules(o: { openAboveOhm?: number; conductorBelowOhm?: number; conductorOhm?: number }): ResistorRules | null {
  const ohm = (option: string, v: number | undefined): number | null => {
    if (v === undefined) return null;
    if (!(typeof v === 'number' && v > 0 && Number.isFinite(v))) throw usageError(PM.badResistorRule(option, v));
    return v;
  };
  const openAboveOhm = ohm('pruneOpenAboveOhm', o.openAboveOhm);
  const conductorBelowOhm = ohm('pruneConductorBelowOhm', o.conductorBelowOhm);
  const conductorOhm = ohm('pruneConductorOhm', o.conductorOhm);
  if (conductorBelowOhm !== null && conductorOhm === null) throw usageError(PM.conductorNeedsOhm());
  if (conductorOhm !== null && conductorBelowOhm === null) throw usageError(PM.thresholdNeedsStep('pruneConductorOhm', 'pruneConductorBelowOhm'));
  if (conductorBelowOhm !== null && openAboveOhm !== null && !(conductorBelowOhm < openAboveOhm)) throw usageError(PM.conductorAboveOpen(conductorBelowOhm, openAboveOhm));
  if (openAboveOhm === null && conductorBelowOhm === null) return null;
  return { openAboveOhm, conductorBelowOhm, conductorOhm };
}

export interface ResistorRulesResult {
  readonly realized: Realized;
  /** Resistors removed (open) and replaced by a conductor. */
  readonly opened: number;
  readonly conductors: number;
  /** Connections (and bias pairs) left with both resistors open: absent. */
  readonly connectionsRemoved: number;
}

export function applyResistorRules(r: Realized, rules: ResistorRules): ResistorRulesResult {
  const n = r.tnet.neurons;
  const rPlusOhm = r.rPlusOhm.slice();
  const rMinusOhm = r.rMinusOhm.slice();
  const rBiasPlusOhm = r.rBiasPlusOhm.slice();
  const rBiasMinusOhm = r.rBiasMinusOhm.slice();
  const weight = r.weight.slice();
  const bias = r.bias.slice();
  let opened = 0;
  let conductors = 0;
  let connectionsRemoved = 0;
  const rule = (v: number): number => {
    if (v === Infinity) return v;
    if (rules.conductorBelowOhm !== null && v < rules.conductorBelowOhm) {
      conductors++;
      return rules.conductorOhm!;
    }
    return v;
  };
  for (let i = 0; i < n.count; i++) {
    if (n.block[i] !== BLOCK.neuron) continue;
    let changed = false;
    const pair = (p: Float64Array, m: Float64Array, k: number) => {
      if (p[k] === Infinity) return; // open already
      if (rules.openAboveOhm !== null && p[k] > rules.openAboveOhm && m[k] > rules.openAboveOhm) {
        p[k] = Infinity;
        m[k] = Infinity;
        opened += 2;
        connectionsRemoved++;
        changed = true;
        return;
      }
      const a = rule(p[k]);
      const b = rule(m[k]);
      if (a !== p[k] || b !== m[k]) changed = true;
      p[k] = a;
      m[k] = b;
    };
    for (let e = n.rowPtr[i]; e < n.rowPtr[i + 1]; e++) pair(rPlusOhm, rMinusOhm, e);
    pair(rBiasPlusOhm, rBiasMinusOhm, i);
    if (!changed) continue;
    const rf = r.rFeedbackOhm[i];
    bias[i] = effectiveNeuron(rPlusOhm, rMinusOhm, n.rowPtr[i], n.rowPtr[i + 1], rf, rf, rBiasPlusOhm[i], rBiasMinusOhm[i],
      normalizerOhm(r.rNormPlusOhm[i], r.normPlusCount[i], r.rNormPlus2Ohm[i]), normalizerOhm(r.rNormMinusOhm[i], r.normMinusCount[i], r.rNormMinus2Ohm[i]), r.gain[i], r.options.vRefV, weight);
  }
  return { realized: { ...r, rPlusOhm, rMinusOhm, rBiasPlusOhm, rBiasMinusOhm, weight, bias }, opened, conductors, connectionsRemoved };
}

/** Largest |after - before| at the analog outputs (model units) of two realizations of one network on the samples. */
export function realizedChange(before: Realized, after: Realized, samples: readonly ArrayLike<number>[]): number {
  const a = evaluateTnet(before.tnet, samples, { weight: before.weight, bias: before.bias }).analog;
  const b = evaluateTnet(after.tnet, samples, { weight: after.weight, bias: after.bias }).analog;
  let m = 0;
  a.forEach((row, k) => row.forEach((v, j) => (m = Math.max(m, Math.abs(v - b[k][j])))));
  return m;
}
