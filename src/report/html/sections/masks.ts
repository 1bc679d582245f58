// Masks (compile --masks, docs/masks.md): the process, the file's cells, the areas per layer and in total (drawn
// resistor footprints against the op-amp placeholders' footprints, and the slots), the grid snapping, a re-spin's
// changed resistor cells, the modules reused from a module library, and the KLayout check when its result is known
// (check.json beside the masks: written by scripts/klayout/check.rb with -rd out=DIR/check.json).

import type { MasksCheck } from '../../data.js';
import { escapeHtml as esc, facts, int, listedRows, note, num, numCell as n, omittedNote, table } from '../format.js';
import type { SectionInput } from '../section.js';

const um2 = (a: number) => `${int(Math.round(a))} µm²`;
const ratio = (r: number, o: number) => (o > 0 ? `${num(r / o)}` : '-');

function check(c: MasksCheck | null | undefined): string {
  if (!c) return note('KLayout check: not run on these masks (<code>klayout -b -r scripts/klayout/check.rb -rd dir=DIR -rd out=DIR/check.json</code>, then <code>ohmnet report DIR</code>, shows it here).');
  const violations = c.drc.reduce((k, d) => k + d.violations, 0);
  const rows = c.drc.map((d) => [d.rule, d.layer, n(num(d.valueUm)), n(int(d.violations))]);
  return [
    `<p>KLayout check (check.json): ${int(c.resistors)} resistances recomputed from the drawn geometry; DRC ${violations === 0 ? 'clean' : `<strong>${int(violations)} violations</strong>`}; neuron ${int(c.neuron)}'s connectivity extracted (${int(c.terminals)} resistors, ${int(c.instances)} op-amps).</p>`,
    table(['rule', 'layer', n('value (µm)'), n('violations')], rows, [], 'masks-drc'),
  ].join('\n');
}

export function masks({ data }: SectionInput): string {
  const d = data.masks!;
  const m = d.masks!;
  const rows = listedRows(m.byLayer).map((l) => [l.layer || '(no layer)', n(int(l.neurons)), n(int(l.resistors)), n(um2(l.resistorAreaUm2)), n(um2(l.opampAreaUm2)), n(ratio(l.resistorAreaUm2, l.opampAreaUm2)), n(um2(l.slotAreaUm2))]);
  const slots = m.byLayer.reduce((k, l) => k + l.slotAreaUm2, 0);
  const out = [
    `<p>${esc(m.file)} in process <code>${esc(d.process)}</code>: ${int(m.cells)} cells, ${int(m.resistors)} resistors, ${int(m.opamps)} op-amps, ${num(m.widthUm)} × ${num(m.heightUm)} µm. Every figure of this report is of the drawn resistances: the grid moved them by at most ${num(d.snapping.maxRel)} relative (mean ${num(d.snapping.meanRel)}), the weights by at most ${num(d.snapping.weightChangeMax)}.</p>`,
    facts([
      ['resistor area (drawn footprints)', um2(m.resistorAreaUm2)],
      ['op-amp area (placeholder footprints)', um2(m.opampAreaUm2)],
      ['resistor / op-amp area', ratio(m.resistorAreaUm2, m.opampAreaUm2)],
      ['slots (with buses and spacing)', um2(slots)],
    ]),
    table(['layer', n('neurons'), n('resistors'), n('resistor area'), n('op-amp area'), n('ratio'), n('slot area')], rows, [['total', n(int(m.byLayer.reduce((k, l) => k + l.neurons, 0))), n(int(m.resistors)), n(um2(m.resistorAreaUm2)), n(um2(m.opampAreaUm2)), n(ratio(m.resistorAreaUm2, m.opampAreaUm2)), n(um2(slots))]], 'masks-layers'),
    omittedNote(m.byLayer.length, 'layers', 'masks.json lists them all'),
  ];
  if (m.modules) {
    const reused = m.modules.filter((x) => x.status === 'reused').length;
    const mrows = listedRows(m.modules).map((x) => [x.name || '(no layer)', n(int(x.neurons)), { text: `<code>${esc(x.cell)}</code>`, html: true }, x.status, x.note ?? '']);
    out.push(`<p>Module library <code>${esc(d.library ?? '')}</code>: ${int(reused)} of ${int(m.modules.length)} modules reused (their op-amp cells and placement copied from the library); every resistor cell is drawn for these weights.</p>`);
    out.push(table(['module', n('neurons'), 'cell', 'status', 'note'], mrows, [], 'masks-modules'));
    out.push(omittedNote(m.modules.length, 'modules', 'modules.json lists them all'));
  }
  if (d.respin) {
    const r = d.respin;
    out.push(`<p>Re-spin of <code>${esc(r.from)}</code>: ${int(r.identicalCells)} neuron, module and placement cells byte-identical; ${int(r.changedResistorCells.length)} resistor cells changed, ${int(r.unchangedResistorCells)} unchanged (masks.json lists them).</p>`);
  }
  out.push(check(data.masksCheck));
  return out.join('\n');
}
