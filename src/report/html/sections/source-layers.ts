// Source model layers: the imported model as `ohmnet inspect` lists it (shapes per sample, parameters, MACs).

import { escapeHtml as esc, int, listedRows, numCell as n, omittedNote, shape, table } from '../format.js';
import type { SectionInput } from '../section.js';

export function sourceLayers({ data }: SectionInput): string {
  const ins = data.inspect;
  const rows = listedRows(ins.layers).map((l) => [l.name, l.op, l.inputShapes.map(shape).join(', '), shape(l.outputShape), l.parameters, l.macs]);
  const foot = [[{ text: `total: ${int(ins.totals.layers)} layers` }, '', '', '', ins.totals.parameters, ins.totals.macs]];
  return [
    `<p>Input <code>${esc(ins.input.name)}</code> ${esc(shape(ins.input.shape))}, output <code>${esc(ins.output.name)}</code> ${esc(shape(ins.output.shape))}; shapes per sample (batch dimension removed), MACs per sample.</p>`,
    table(['layer', 'op', 'input shapes', 'output shape', n('parameters'), n('MACs')], rows, foot, 'layers'),
    omittedNote(ins.layers.length, 'layers', '<code>ohmnet inspect --json</code> lists every one'),
  ].filter((p) => p !== '').join('\n');
}
