// resistors.csv: one row per realized connection (its resistor pair) plus each neuron's feedback/ground pair, bias
// pair, normalizing resistor and gain stage. Format in docs/formats.md#resistorscsv. Streamed: a large network has
// millions of rows.

import type { Realized } from '../realize/realize.js';
import { BufferedFileWriter } from './stream.js';
import { signalLabel } from '../tnet/types.js';

const HEADER = 'neuron,layer,kind,source,target_weight,r_feedback_ohm,r_plus_ohm,r_minus_ohm,realized_weight,error\n';

/** Ohms in shortest exact form (set values are short already); empty for an open circuit. */
function ohm(v: number): string {
  return v === Infinity || Number.isNaN(v) ? '' : String(v);
}

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function writeResistorsCsv(path: string, r: Realized): void {
  const out = new BufferedFileWriter(path);
  const net = r.tnet;
  const n = net.neurons;
  const push = (line: string) => out.write(line);
  push(HEADER);
  try {
    for (let i = 0; i < n.count; i++) {
      const layer = csvField(n.origin[i] >= 0 ? net.origins[n.origin[i]].name : '');
      const rf = ohm(r.rFeedback[i]);
      const row = (kind: string, source: string, target: string, rp: string, rm: string, realized: string, err: string) =>
        push(`${i},${layer},${kind},${source},${target},${rf},${rp},${rm},${realized},${err}\n`);
      row('feedback', 'output', '', ohm(r.rFeedback[i]), ohm(r.rFeedback[i]), '', '');
      for (let e = n.rowPtr[i]; e < n.rowPtr[i + 1]; e++) {
        const t = n.weight[e];
        row('weight', csvField(signalLabel(net, n.src[e])), String(t), ohm(r.rPlus[e]), ohm(r.rMinus[e]), String(r.weight[e]), String(r.weight[e] - t));
      }
      if (n.bias[i] !== 0 || r.rBiasPlus[i] !== Infinity) {
        const t = n.bias[i] / r.options.vRefV;
        const got = r.bias[i] / r.options.vRefV;
        row('bias', 'vref', String(t), ohm(r.rBiasPlus[i]), ohm(r.rBiasMinus[i]), String(got), String(got - t));
      }
      if (r.rNormPlus[i] !== Infinity || r.rNormMinus[i] !== Infinity) row('normalize', 'ground', '', ohm(r.rNormPlus[i]), ohm(r.rNormMinus[i]), '', '');
      if (r.gain[i] !== 1) row('gain', 'summator', String(r.gain[i]), ohm(r.rGainA[i]), ohm(r.rGainB[i]), String(1 + r.rGainB[i] / r.rGainA[i]), '');
    }
  } finally {
    out.close();
  }
}
