// Pruning (summary.pruning, only when the run pruned): every value the steps used, the realized circuit before and
// after, and per pruning pass what it removed and the error and accuracy of the network after it.

import { escapeHtml as esc, int, num, numCell as n, pct, table } from '../format.js';
import type { SectionInput } from '../section.js';

export function pruning({ data }: SectionInput): string {
  const p = data.summary.pruning!;
  const o = p.options;
  const used = [
    `steps ${esc(o.steps.join(', '))}`,
    o.weightBelowAbs !== null ? `|w| below ${esc(num(o.weightBelowAbs))} removed` : null,
    o.biasBelowAbs !== null ? `|b| below ${esc(num(o.biasBelowAbs))} realized as 0` : null,
    o.rankBy !== null && o.rankMaxErrorAbs !== null ? `neurons ranked by ${esc(o.rankBy)} removed within a max output change of ${esc(num(o.rankMaxErrorAbs))} (model units)` : null,
    `identity folding within fan-in ${int(o.fanIn)} and fan-out ${int(o.fanOut)}`,
    `knowledge extraction measured on the ${esc(p.extractionOn.set)} set (${int(p.extractionOn.samples)} samples)`,
  ].filter((x) => x !== null).join('; ');
  const figures = ['neurons', 'opAmps', 'resistors', 'connections'] as const;
  const label = { neurons: 'neurons', opAmps: 'op-amps', resistors: 'resistors', connections: 'connections' };
  const counts = figures.map((k) => [label[k], n(int(p.before[k])), n(int(p.after[k])), n(int(p.before[k] - p.after[k])), n(p.after[k] > 0 ? `${num(p.before[k] / p.after[k])}x` : '-')]);
  const first = p.steps[0];
  const on = first ? `${esc(first.error.on)} set, ${int(first.error.samples)} samples` : '';
  const steps = p.steps.map((s) => [
    esc(s.pass), s.exact ? 'exact' : 'lossy', n(int(s.removedNeurons)), n(int(s.removedConnections)), n(int(s.removedBiasPairs)), n(int(s.removedResistors)), n(int(s.linearizedNeurons)),
    n(num(s.error.maxAbsOutputError)), n(s.error.accuracy === null ? '-' : pct(s.error.accuracy)), esc(s.notes.join('; ')),
  ]);
  const rr = p.resistorRules;
  const rules = rr
    ? `<p>Resistor rules of the patent's claims on the realized circuit: ${[rr.openAboveOhm !== null ? `resistors above ${esc(num(rr.openAboveOhm))} Ω removed (${int(rr.opened)})` : null, rr.conductorBelowOhm !== null ? `resistors below ${esc(num(rr.conductorBelowOhm))} Ω replaced by a ${esc(num(rr.conductorOhm!))} Ω conductor (${int(rr.conductors)})` : null].filter((x) => x !== null).join('; ')}; ${int(rr.connectionsRemoved)} connections gone; output change ${esc(num(rr.maxAbsOutputError))} (model units) on the ${esc(rr.on)} set (${int(rr.samples)} samples).</p>`
    : '';
  const ar = p.area;
  const area = ar
    ? `<p>Area estimate from the user's figures (${esc(num(ar.resistorAreaUm2))} µm² per resistor, ${esc(num(ar.opampAreaUm2))} µm² per op-amp; wiring not counted): before ${esc(num(ar.before.totalUm2))} µm² (resistors ${esc(num(ar.before.resistorsUm2))}, op-amps ${esc(num(ar.before.opAmpsUm2))}), after ${esc(num(ar.after.totalUm2))} µm² (resistors ${esc(num(ar.after.resistorsUm2))}, op-amps ${esc(num(ar.after.opAmpsUm2))}): ${esc(num(ar.ratio))}x.</p>`
    : '';
  return [
    rules,
    area,
    `<p>Values used: ${used}. Before: the same compilation without pruning; op-amps count summing neurons and gain stages.</p>`,
    table(['', n('before'), n('after'), n('removed'), n('before / after')], counts, [], 'pruning-counts'),
    `<p>Per step, on the logical network (before the fan-in/fan-out trees); error: largest |output - source| at the analog outputs in model units, and accuracy, on the ${on}${p.sourceAccuracy !== null ? ` (source accuracy ${pct(p.sourceAccuracy)})` : ''}. Extraction is exact on the set it was measured on, not necessarily on others.</p>`,
    p.steps.length === 0 ? '' : table(['step', 'kind', n('neurons'), n('connections'), n('bias pairs'), n('resistors'), n('made identity'), n('max |error|'), n('accuracy'), 'notes'], steps, [], 'pruning-steps'),
  ].join('\n');
}
