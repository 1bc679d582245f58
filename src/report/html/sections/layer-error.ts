// Per-layer output error (summary.json layerError): the realized circuit's neuron outputs against the ideal
// network's, per source layer, so a designer sees where the resistor rounding costs accuracy.

import { escapeHtml as esc, listedRows, note, num, numCell as n, omittedNote, table, volts } from '../format.js';
import type { SectionInput } from '../section.js';

export function layerError({ data }: SectionInput): string {
  const le = data.summary.layerError;
  if (!le) return note('The per-layer output error was not measured for this report (it is computed by the compile flow).');
  const rows = listedRows(le.layers).map((l) => [{ text: l.name }, n(volts(l.maxAbsErrorV)), n(volts(l.rmsErrorV)), n(num(l.maxAbsErrorRel)), n(num(l.rmsErrorRel))]);
  return [
    `<p>Each layer's neuron outputs in the realized circuit (nominal resistor values, ideal op-amps) against the same network with exact weights, which equals the float64 reference within the equivalence error; on the ${esc(le.on)} set, ${le.samples} sample${le.samples === 1 ? '' : 's'} (at most the first 64). Relative figures are divided by S = ${esc(num(data.summary.constraints.signalLimit))} V.</p>`,
    table(['layer', n('max |error|'), n('RMS error'), n('max / S'), n('RMS / S')], rows, [], 'layer-error'),
    omittedNote(le.layers.length, 'layers'),
  ].join('\n');
}
