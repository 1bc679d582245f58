// The drawn realization: every resistor of a realized network replaced by the resistance its shape on the masks has
// (layout/geometry.ts: the grid-snapped serpentine or hole), the weights and biases recomputed through the exact
// circuit formula (realize/circuit.ts drawNeuron). The flow measures, Monte Carlo draws and the netlist prints this
// network, so the simulated circuit is the drawn one; the snapping error is reported beside it.

import { drawNeuron, neuronElement as el } from '../realize/circuit.js';
import type { Realized } from '../realize/realize.js';
import { BLOCK } from '../tnet/blocks.js';
import { ShapeCache } from './geometry.js';

export interface SnappingStats {
  /** Resistors drawn (both of every pair, feedback, ground, bias, normalizers, gain stages). */
  readonly resistors: number;
  /** Largest and mean |R_drawn - R_set| / R_set over them. */
  readonly maxRel: number;
  readonly meanRel: number;
  /** Largest |w_drawn - w_set| over the weights, and over the biases divided by V_ref. */
  readonly weightChangeMax: number;
}

/** The realized network with drawn resistances, and how far snapping moved them. */
export function drawnRealization(r: Realized, shapes: ShapeCache): { realized: Realized; snapping: SnappingStats } {
  const n = r.tnet.neurons;
  let count = 0;
  let maxRel = 0;
  let sumRel = 0;
  const map = (src: Float64Array, name: (k: number) => string): Float64Array => {
    const out = new Float64Array(src.length);
    for (let k = 0; k < src.length; k++) {
      const v = src[k];
      if (v === Infinity || Number.isNaN(v)) {
        out[k] = v;
        continue;
      }
      const d = shapes.drawnOhm(v, name(k));
      out[k] = d;
      const rel = Math.abs(d - v) / v;
      count++;
      sumRel += rel;
      if (rel > maxRel) maxRel = rel;
    }
    return out;
  };
  // The row (neuron) of each connection, for messages that name the element.
  const rowOf = new Int32Array(n.rowPtr[n.count]);
  for (let i = 0; i < n.count; i++) rowOf.fill(i, n.rowPtr[i], n.rowPtr[i + 1]);
  const k = (e: number) => e - n.rowPtr[rowOf[e]];
  const d: Realized = {
    ...r,
    rFeedbackOhm: map(r.rFeedbackOhm, (i) => el.feedback(i)),
    rGainAOhm: map(r.rGainAOhm, (i) => el.gainA(i)),
    rGainBOhm: map(r.rGainBOhm, (i) => el.gainB(i)),
    rBiasPlusOhm: map(r.rBiasPlusOhm, (i) => el.biasPlus(i)),
    rBiasMinusOhm: map(r.rBiasMinusOhm, (i) => el.biasMinus(i)),
    rNormPlusOhm: map(r.rNormPlusOhm, (i) => el.normalizerPlus(i)),
    rNormMinusOhm: map(r.rNormMinusOhm, (i) => el.normalizerMinus(i)),
    rNormPlus2Ohm: map(r.rNormPlus2Ohm, (i) => el.normalizerPlus2(i)),
    rNormMinus2Ohm: map(r.rNormMinus2Ohm, (i) => el.normalizerMinus2(i)),
    rPlusOhm: map(r.rPlusOhm, (e) => el.plus(rowOf[e], k(e))),
    rMinusOhm: map(r.rMinusOhm, (e) => el.minus(rowOf[e], k(e))),
    gain: new Float64Array(r.gain),
    weight: new Float64Array(r.weight),
    bias: new Float64Array(r.bias),
  };
  // Feedback and ground resistors are one value per neuron (R_f) but two resistors: count the ground one too.
  for (let i = 0; i < n.count; i++) {
    if (n.block[i] !== BLOCK.neuron) continue;
    const rel = Math.abs(d.rFeedbackOhm[i] - r.rFeedbackOhm[i]) / r.rFeedbackOhm[i];
    count++;
    sumRel += rel;
  }
  const rPlus = new Float64Array(d.rPlusOhm.length);
  const rMinus = new Float64Array(d.rMinusOhm.length);
  const w = d.weight as Float64Array;
  const b = d.bias as Float64Array;
  const g = d.gain as Float64Array;
  let change = 0;
  for (let i = 0; i < n.count; i++) {
    if (n.block[i] !== BLOCK.neuron) continue;
    if (r.gain[i] !== 1) g[i] = 1 + d.rGainBOhm[i] / d.rGainAOhm[i];
    b[i] = drawNeuron(d, i, (v) => v, rPlus, rMinus, w);
    change = Math.max(change, Math.abs(b[i] - r.bias[i]) / r.options.vRefV);
    for (let e = n.rowPtr[i]; e < n.rowPtr[i + 1]; e++) change = Math.max(change, Math.abs(w[e] - r.weight[e]));
  }
  return { realized: d, snapping: { resistors: count, maxRel, meanRel: count > 0 ? sumRel / count : 0, weightChangeMax: change } };
}
