// The rows of the resistor table, in one order, for every writer of it (resistors.csv, resistors.bin): one row per
// realized connection (its resistor pair) plus each neuron's feedback/ground pair, bias pair, normalizing resistors
// and gain stage, with the element names the netlist uses (realize/circuit.ts); one row per multiplier cell and per
// delay (no resistors). Visited, not collected: a MobileNet-sized network has millions of rows, and the visitor gets
// the same (reused) row object each time.

import { requireRealized } from '../realize/realize.js';
import { neuronElement as el } from '../realize/circuit.js';
import type { Realized } from '../realize/realize.js';
import { BLOCK } from '../tnet/blocks.js';

/** Row kinds, with their codes in resistors.bin (docs/formats.md). */
export const ROW_KINDS = ['feedback', 'weight', 'bias', 'normalize', 'gain', 'multiplier', 'delay'] as const;
export type RowKind = (typeof ROW_KINDS)[number];
export const ROW_KIND_CODE: Readonly<Record<RowKind, number>> = Object.fromEntries(ROW_KINDS.map((k, i) => [k, i])) as Record<RowKind, number>;

/** Where a row's current comes from. A signal index (input k is k, neuron j is inputCount + j) or one of these. */
export const SOURCE = { output: -1, vref: -2, ground: -3, summator: -4 } as const;

export interface ResistorRow {
  neuron: number;
  kind: RowKind;
  /** A signal index (>= 0), SOURCE.*, or for a multiplier its first source (the second is `source2`). */
  source: number;
  /** A multiplier's second source; -1 otherwise. */
  source2: number;
  /** A delay's tick count; 0 otherwise. */
  ticks: number;
  /** The T-network weight (bias / V_ref for a bias row, k for a multiplier, the gain for a gain row); NaN: none. */
  target: number;
  /** Ohms; Infinity: an open circuit; NaN: no resistor on this side. */
  rPlusOhm: number;
  rMinusOhm: number;
  /** The circuit's nominal weight (exact formula); NaN: none. */
  realized: number;
  /** Element names in the netlist ('' where there is none). */
  elementPlus: string;
  elementMinus: string;
}

/** Calls `visit` for every row of the table, in the order of resistors.csv. */
export function visitResistorRows(r: Realized, visit: (row: Readonly<ResistorRow>) => void): void {
  requireRealized(r);
  const net = r.tnet;
  const n = net.neurons;
  const row: ResistorRow = { neuron: 0, kind: 'weight', source: 0, source2: -1, ticks: 0, target: NaN, rPlusOhm: NaN, rMinusOhm: NaN, realized: NaN, elementPlus: '', elementMinus: '' };
  const emit = (kind: RowKind, source: number, target: number, rPlus: number, rMinus: number, realized: number, ep: string, em: string, ticks = 0) => {
    row.kind = kind;
    row.source = source;
    row.source2 = -1;
    row.ticks = ticks;
    row.target = target;
    row.rPlusOhm = rPlus;
    row.rMinusOhm = rMinus;
    row.realized = realized;
    row.elementPlus = ep;
    row.elementMinus = em;
    visit(row);
  };
  for (let i = 0; i < n.count; i++) {
    row.neuron = i;
    if (n.block[i] === BLOCK.multiplier) {
      const e = n.rowPtr[i];
      row.kind = 'multiplier';
      row.source = n.src[e];
      row.source2 = n.src[e + 1];
      row.ticks = 0;
      row.target = n.paramA[i];
      row.rPlusOhm = NaN;
      row.rMinusOhm = NaN;
      row.realized = NaN;
      row.elementPlus = '';
      row.elementMinus = '';
      visit(row);
      continue;
    }
    if (n.block[i] === BLOCK.delay) {
      const e = n.rowPtr[i];
      emit('delay', n.src[e], n.weight[e], NaN, NaN, r.weight[e], '', '', n.paramA[i]);
      continue;
    }
    // The feedback row: R_n (output to the inverting input) and R_p (non-inverting input to ground), both R_f.
    emit('feedback', SOURCE.output, NaN, r.rFeedbackOhm[i], r.rFeedbackOhm[i], NaN, el.ground(i), el.feedback(i));
    for (let e = n.rowPtr[i], k = 0; e < n.rowPtr[i + 1]; e++, k++) {
      const open = r.rPlusOhm[e] === Infinity;
      emit('weight', n.src[e], n.weight[e], r.rPlusOhm[e], r.rMinusOhm[e], r.weight[e], open ? '' : el.plus(i, k), open ? '' : el.minus(i, k));
    }
    if (n.bias[i] !== 0 || r.rBiasPlusOhm[i] !== Infinity) {
      const open = r.rBiasPlusOhm[i] === Infinity;
      emit('bias', SOURCE.vref, n.bias[i] / r.options.vRefV, r.rBiasPlusOhm[i], r.rBiasMinusOhm[i], r.bias[i] / r.options.vRefV, open ? '' : el.biasPlus(i), open ? '' : el.biasMinus(i));
    }
    // One row per normalizer element (a parallel copy, or the second value, is a row of its own): plus side on
    // rPlusOhm, minus side on rMinusOhm, paired up row by row.
    const side = (v: number, count: number, v2: number, name: (i: number, c?: number) => string, name2: (i: number) => string) => {
      const out: [number, string][] = [];
      for (let c = 0; c < count; c++) out.push([v, name(i, c)]);
      if (v2 !== Infinity) out.push([v2, name2(i)]);
      return out;
    };
    const ps = side(r.rNormPlusOhm[i], r.normPlusCount[i], r.rNormPlus2Ohm[i], el.normalizerPlus, el.normalizerPlus2);
    const ms = side(r.rNormMinusOhm[i], r.normMinusCount[i], r.rNormMinus2Ohm[i], el.normalizerMinus, el.normalizerMinus2);
    for (let c = 0; c < Math.max(ps.length, ms.length); c++) {
      const [pv, pn] = ps[c] ?? [NaN, ''];
      const [mv, mn] = ms[c] ?? [NaN, ''];
      emit('normalize', SOURCE.ground, NaN, pv, mv, NaN, pn, mn);
    }
    if (r.gain[i] !== 1) emit('gain', SOURCE.summator, r.gain[i], r.rGainAOhm[i], r.rGainBOhm[i], 1 + r.rGainBOhm[i] / r.rGainAOhm[i], el.gainA(i), el.gainB(i));
  }
}
