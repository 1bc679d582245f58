// resistors.csv: the resistor table (io/resistor-rows.ts) as text, one line per row.
// Format in docs/formats.md#resistorscsv. Streamed: a large network has millions of rows.

import { requireRealized, type Realized } from '../realize/realize.js';
import { BufferedFileWriter } from './stream.js';
import { signalLabel, type TNet } from '../tnet/types.js';
import { SOURCE, visitResistorRows, type ResistorRow } from './resistor-rows.js';

const HEADER = 'neuron,layer,kind,source,target_weight,r_feedback_ohm,r_plus_ohm,r_minus_ohm,realized_weight,error,element_plus,element_minus\n';

/** Ohms in shortest exact form (set values are short already); empty for an open circuit or no resistor. */
function ohm(v: number): string {
  return v === Infinity || Number.isNaN(v) ? '' : String(v);
}

/** A number in shortest exact form; empty for none (NaN). */
function num(v: number): string {
  return Number.isNaN(v) ? '' : String(v);
}

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The `source` column: a signal's label, or the named node. */
function sourceText(net: TNet, row: Readonly<ResistorRow>): string {
  switch (row.source) {
    case SOURCE.output:
      return 'output';
    case SOURCE.vref:
      return 'vref';
    case SOURCE.ground:
      return 'ground';
    case SOURCE.summator:
      return 'summator';
  }
  if (row.kind === 'multiplier') return csvField(`${signalLabel(net, row.source)} x ${signalLabel(net, row.source2)}`);
  if (row.kind === 'delay') return csvField(`${signalLabel(net, row.source)}, ${row.ticks} tick${row.ticks === 1 ? '' : 's'} earlier`);
  return csvField(signalLabel(net, row.source));
}

export function writeResistorsCsv(path: string, r: Realized): void {
  requireRealized(r);
  const out = new BufferedFileWriter(path);
  const net = r.tnet;
  const n = net.neurons;
  try {
    out.write(HEADER);
    visitResistorRows(r, (row) => {
      const i = row.neuron;
      const layer = csvField(n.origin[i] >= 0 ? net.origins[n.origin[i]].name : '');
      const rf = ohm(r.rFeedbackOhm[i]);
      const error = row.kind === 'weight' || row.kind === 'bias' || row.kind === 'delay' ? String(row.realized - row.target) : '';
      out.write(`${i},${layer},${row.kind},${sourceText(net, row)},${num(row.target)},${rf},${ohm(row.rPlusOhm)},${ohm(row.rMinusOhm)},${num(row.realized)},${error},${row.elementPlus},${row.elementMinus}\n`);
    });
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
