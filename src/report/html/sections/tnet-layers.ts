// T-network layers: per source layer, how it was constructed, its neurons by role, connections, fan-in/out, signal
// range and depth, against the constraints.

import { ROLES } from '../../../tnet/types.js';
import { int, listedRows, note, num, numCell as n, omittedNote, ROLE_LABEL, table, volts } from '../format.js';
import type { SectionInput } from '../section.js';

export function tnetLayers({ data, figures }: SectionInput): string {
  const s = data.summary;
  const t = s.tnet;
  const roles = ROLES.filter((r) => t.neuronsByKind[r] > 0);
  // Multipliers are blocks, not neurons: a column of their own, only when the network has any.
  const mult = (t.blocks?.multiplier ?? 0) > 0;
  const rows = listedRows(s.layers).map((l) => [
    l.name, l.op, l.construction,
    ...roles.map((r) => (l.neurons[r] > 0 ? int(l.neurons[r]) : '')).map(n),
    l.neurons.total, ...(mult ? [n(l.multipliers > 0 ? int(l.multipliers) : '')] : []), l.connections, l.maxFanIn, l.maxFanOut,
    n(l.signalRangeV ? `${num(l.signalRangeV[0])} … ${num(l.signalRangeV[1])}` : ''),
    n(l.depth ? (l.depth[0] === l.depth[1] ? String(l.depth[0]) : `${l.depth[0]}–${l.depth[1]}`) : ''),
  ]);
  const foot = [[
    { text: `T-network: ${int(t.layers)} layers` }, '', '',
    ...roles.map((r) => t.neuronsByKind[r]),
    t.neurons, ...(mult ? [t.blocks.multiplier] : []), t.connections, t.maxFanIn, t.maxFanOut, n(`±${num(t.maxAbsSignal)}`), n(`1–${t.layers}`),
  ]];
  const head = ['layer', 'op', 'construction', ...roles.map((r) => n(ROLE_LABEL[r])), n('neurons'), ...(mult ? [n('multipliers')] : []), n('connections'), n('fan-in'), n('fan-out'), n('signal range (V)'), n('depth')];
  const b = s.beforeLimits;
  const omitted = omittedNote(s.layers.length, 'source layers', '<code>summary.json</code> has every one');
  return [
    `<p>Constraints: every neuron has at most <strong>${int(s.constraints.fanIn)}</strong> inputs (fan-in), every signal drives at most <strong>${int(s.constraints.fanOut)}</strong> neurons (fan-out), every signal stays within <strong>±${num(s.constraints.signalLimit)} V</strong> on the calibration data. Measured: max fan-in ${int(t.maxFanIn)}, max fan-out ${int(t.maxFanOut)}, max |signal| ${volts(t.maxAbsSignal)}. Before the fan-in/fan-out limits the lowering had ${int(b.layers)} layers, ${int(b.neurons)} neurons and ${int(b.connections)} connections.</p>`,
    `<p>Per source layer: how it was built (direct; pyramid = fan-in trees; fan-out tree; trapezium = both; composed = a linear op folded into its consumers; fused = an activation realized by the neurons feeding it; digital tail), its neurons by role, the connections into them, and the signal range of their outputs on the calibration data. Depth is the neuron layer (1 = first). Roles without neurons are omitted.</p>`,
    table(head, rows, foot, 'layers'),
    ...(omitted ? [omitted] : []),
    figures.attributedNeurons !== t.neurons ? note(`${int(t.neurons - figures.attributedNeurons)} neurons are not attributed to a source layer (they are counted in the total only).`) : '',
  ].join('\n');
}
