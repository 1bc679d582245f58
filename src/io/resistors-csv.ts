// resistors.csv: one row per realized connection (its resistor pair) plus each neuron's feedback/ground pair, bias
// pair, normalizing resistor and gain stage, with the element names the netlist uses (realize/circuit.ts); one row per
// multiplier cell and per delay (no resistors).
// Format in docs/formats.md#resistorscsv. Streamed: a large network has millions of rows.

import { requireRealized } from '../realize/realize.js';
import { neuronElement as el } from '../realize/circuit.js';
import type { Realized } from '../realize/realize.js';
import { BufferedFileWriter } from './stream.js';
import { signalLabel } from '../tnet/types.js';
import { BLOCK } from '../tnet/blocks.js';

const HEADER = 'neuron,layer,kind,source,target_weight,r_feedback_ohm,r_plus_ohm,r_minus_ohm,realized_weight,error,element_plus,element_minus\n';

/** Ohms in shortest exact form (set values are short already); empty for an open circuit. */
function ohm(v: number): string {
  return v === Infinity || Number.isNaN(v) ? '' : String(v);
}

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function writeResistorsCsv(path: string, r: Realized): void {
  requireRealized(r);
  const out = new BufferedFileWriter(path);
  const net = r.tnet;
  const n = net.neurons;
  const push = (line: string) => out.write(line);
  push(HEADER);
  try {
    for (let i = 0; i < n.count; i++) {
      const layer = csvField(n.origin[i] >= 0 ? net.origins[n.origin[i]].name : '');
      const rf = ohm(r.rFeedbackOhm[i]);
      const row = (kind: string, source: string, target: string, rp: string, rm: string, realized: string, err: string, ep: string, em: string) =>
        push(`${i},${layer},${kind},${source},${target},${rf},${rp},${rm},${realized},${err},${ep},${em}\n`);
      if (n.block[i] === BLOCK.multiplier) {
        // A multiplier cell has no resistors: one row naming its two sources and its coefficient k (target_weight).
        const e = n.rowPtr[i];
        row('multiplier', csvField(`${signalLabel(net, n.src[e])} x ${signalLabel(net, n.src[e + 1])}`), String(n.paramA[i]), '', '', '', '', '', '');
        continue;
      }
      if (n.block[i] === BLOCK.delay) {
        // A delay has no resistors either (sample-and-hold cells): one row naming its source and weight w.
        const e = n.rowPtr[i];
        row('delay', csvField(`${signalLabel(net, n.src[e])}, ${n.paramA[i]} tick${n.paramA[i] === 1 ? '' : 's'} earlier`), String(n.weight[e]), '', '', String(r.weight[e]), '0', '', '');
        continue;
      }
      // The feedback row: R_n (output to the inverting input) and R_p (non-inverting input to ground), both R_f.
      row('feedback', 'output', '', ohm(r.rFeedbackOhm[i]), ohm(r.rFeedbackOhm[i]), '', '', el.ground(i), el.feedback(i));
      for (let e = n.rowPtr[i], k = 0; e < n.rowPtr[i + 1]; e++, k++) {
        const t = n.weight[e];
        const open = r.rPlusOhm[e] === Infinity;
        row('weight', csvField(signalLabel(net, n.src[e])), String(t), ohm(r.rPlusOhm[e]), ohm(r.rMinusOhm[e]), String(r.weight[e]), String(r.weight[e] - t), open ? '' : el.plus(i, k), open ? '' : el.minus(i, k));
      }
      if (n.bias[i] !== 0 || r.rBiasPlusOhm[i] !== Infinity) {
        const t = n.bias[i] / r.options.vRefV;
        const got = r.bias[i] / r.options.vRefV;
        const open = r.rBiasPlusOhm[i] === Infinity;
        row('bias', 'vref', String(t), ohm(r.rBiasPlusOhm[i]), ohm(r.rBiasMinusOhm[i]), String(got), String(got - t), open ? '' : el.biasPlus(i), open ? '' : el.biasMinus(i));
      }
      // One row per normalizer element (a parallel copy, or the second value, is a row of its own): r_plus_ohm on (+),
      // r_minus_ohm on (-), paired up row by row.
      const side = (v: number, count: number, v2: number, name: (i: number, c?: number) => string, name2: (i: number) => string) => {
        const out: [string, string][] = [];
        for (let c = 0; c < count; c++) out.push([ohm(v), name(i, c)]);
        if (v2 !== Infinity) out.push([ohm(v2), name2(i)]);
        return out;
      };
      const ps = side(r.rNormPlusOhm[i], r.normPlusCount[i], r.rNormPlus2Ohm[i], el.normalizerPlus, el.normalizerPlus2);
      const ms = side(r.rNormMinusOhm[i], r.normMinusCount[i], r.rNormMinus2Ohm[i], el.normalizerMinus, el.normalizerMinus2);
      for (let c = 0; c < Math.max(ps.length, ms.length); c++) {
        const [pv, pn] = ps[c] ?? ['', ''];
        const [mv, mn] = ms[c] ?? ['', ''];
        row('normalize', 'ground', '', pv, mv, '', '', pn, mn);
      }
      if (r.gain[i] !== 1) row('gain', 'summator', String(r.gain[i]), ohm(r.rGainAOhm[i]), ohm(r.rGainBOhm[i]), String(1 + r.rGainBOhm[i] / r.rGainAOhm[i]), '', el.gainA(i), el.gainB(i));
    }
  } finally {
    out.close();
  }
}

/**
 * bom.csv: the bill of materials, one row per resistance value with how many resistors of that value the netlist
 * holds (value_ohm exact, value in the netlist's engineering notation, `eng`: spice/eng.ts), ascending by value.
 */
export function writeBomCsv(path: string, bom: readonly { readonly valueOhm: number; readonly count: number }[], eng: (ohm: number) => string): void {
  const out = new BufferedFileWriter(path);
  try {
    out.write('value_ohm,value,count\n');
    for (const b of bom) out.write(`${ohm(b.valueOhm)},${eng(b.valueOhm)},${b.count}\n`);
  } finally {
    out.close();
  }
}
