// Bill of materials: every resistor value in netlist.cir with its count (summary.realization.billOfMaterials, also
// bom.csv), a bar per value for the histogram, and whether every value lies within the set's range; then the
// multiplier cells by coefficient (summary.realization.multiplierCells), when the network has any.

import { int, listedRows, note, num, numCell as n, ohms, omittedNote, pct, table } from '../format.js';
import type { SectionInput } from '../section.js';

const BAR_PX = 240;

/** The multiplier cells, one row per coefficient (none: no lines, so pages of networks without them do not change). */
function multiplierCells(cells: readonly { readonly coefficient: number; readonly count: number }[] | undefined): string[] {
  if (!cells || cells.length === 0) return [];
  const total = cells.reduce((k, c) => k + c.count, 0);
  const rows = listedRows(cells).map((c) => [n(num(c.coefficient)), n(int(c.count))]);
  return [
    `<p>${int(total)} multiplier cells k·x·y (<code>ohm_mul</code> in netlist.cir, behavioural and ideal: no resistors, gain error not modelled), by coefficient k:</p>`,
    table([n('k'), n('count')], rows, [[n('total'), n(int(total))]], 'bom-multipliers'),
    omittedNote(cells.length, 'coefficients', 'summary.json lists them all'),
  ];
}

export function bom({ data }: SectionInput): string {
  const r = data.summary.realization;
  const items = r.billOfMaterials;
  const total = items.reduce((k, b) => k + b.count, 0);
  const most = items.reduce((k, b) => Math.max(k, b.count), 0);
  const [lo, hi] = r.rangeOhm;
  const rows = listedRows(items).map((b) => [
    n(ohms(b.valueOhm)),
    n(int(b.count)),
    n(pct(b.count / total)),
    { text: `<span class="bom-bar" style="display:inline-block;height:0.8em;background:#4c78a8;width:${Math.max(1, Math.round((BAR_PX * b.count) / most))}px"></span>${b.valueOhm < lo || b.valueOhm > hi ? ' outside the range' : ''}`, html: true },
  ]);
  const range = r.outsideRange === 0
    ? `every value lies within ${ohms(lo)} .. ${ohms(hi)}`
    : `<strong>${int(r.outsideRange)} resistors lie outside ${ohms(lo)} .. ${ohms(hi)}</strong>`;
  return [
    `<p>${int(total)} resistors of ${int(items.length)} distinct values (${r.normalizingResistors > 0 ? `${int(r.normalizingResistors)} of them normalizers, ` : ''}all in netlist.cir, also in bom.csv); ${range}.</p>`,
    items.length > 0 ? table([n('value'), n('count'), n('share'), 'histogram'], rows, [[n('total'), n(int(total)), n('100%'), '']], 'bom') : note('No resistors.'),
    omittedNote(items.length, 'values', 'bom.csv lists them all'),
    ...multiplierCells(r.multiplierCells),
  ].join('\n');
}
