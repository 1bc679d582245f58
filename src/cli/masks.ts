// The human lines of the masks (compile --masks): the file, the process, the snapping error, areas, a re-spin's list.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { drawRealization, MASKS_JSON, type MasksDoc, type MasksRun } from '../layout/stage.js';
import type { MasksCheck } from '../report/data.js';
import type { ResistorProcess } from '../presets/processes.js';
import { groupDigits } from '../report/table.js';
import { runStages } from '../flow/index.js';
import type { Run } from '../flow/run.js';

/**
 * Replaces the run's realization by the drawn one (every resistance from its snapped shape in `process`), before
 * anything measures it: compile --masks, and run/verify/report on a project compiled with --masks.
 */
export async function drawRun(run: Run, process: ResistorProcess, reuse: string | null, library: string | null = null): Promise<MasksRun> {
  await runStages(run, ['realize']);
  const o = run.options;
  const rMaxOhm = Math.max(o.realization.rMaxOhm, ...Object.values(o.layers).map((l) => l.realization.rMaxOhm));
  // A module's constraints: its layer's own limits and resistor set where it sets them, the lanes' largest resistance.
  const constraintsOf = (layer: string) => {
    const l = o.layers[layer];
    return { fanIn: l?.fanIn ?? o.compile.fanIn, fanOut: l?.fanOut ?? o.compile.fanOut, resistors: l?.realization.resistors ?? o.realization.resistors, rMaxOhm };
  };
  const d = drawRealization(run.requireRealization(), process, rMaxOhm, reuse, library !== null ? { dir: library, constraintsOf } : null);
  run.realization = d.realization;
  return d.masks;
}

export function masksLines(d: MasksDoc): string[] {
  const m = d.masks;
  if (!m) return [];
  const um2 = (a: number) => `${groupDigits(Math.round(a))} um^2`;
  const lines = [
    `masks: ${m.file} in ${m.process}, ${groupDigits(m.cells)} cells, ${groupDigits(m.resistors)} resistors, ${groupDigits(m.opamps)} op-amps, ${m.widthUm.toFixed(1)} x ${m.heightUm.toFixed(1)} um`,
    `  grid snapping: resistances within ${d.snapping.maxRel.toExponential(2)} relative (mean ${d.snapping.meanRel.toExponential(2)}), weights moved by at most ${d.snapping.weightChangeMax.toExponential(2)}; every figure above is of the drawn resistances`,
    `  area: resistors ${um2(m.resistorAreaUm2)} vs op-amps ${um2(m.opampAreaUm2)} (placeholder footprint)`,
    ...m.byLayer.map((l) => `    ${l.layer || '(no layer)'}: ${groupDigits(l.neurons)} neurons, resistors ${um2(l.resistorAreaUm2)}, op-amps ${um2(l.opampAreaUm2)}, slots ${um2(l.slotAreaUm2)}`),
  ];
  if (m.modules) {
    const reused = m.modules.filter((x) => x.status === 'reused');
    const fresh = m.modules.filter((x) => x.status === 'new');
    const names = (l: typeof reused) => (l.length > 0 ? ` (${l.slice(0, 20).map((x) => x.name || '(no layer)').join(', ')}${l.length > 20 ? ', ...' : ''})` : '');
    lines.push(`  modules (library ${d.library ?? ''}): ${reused.length} reused${names(reused)}, ${fresh.length} new${names(fresh)}; the resistor cells are drawn for these weights`);
    for (const x of m.modules) if (x.note) lines.push(`    ${x.name || '(no layer)'}: ${x.note}`);
  }
  if (d.respin) {
    const r = d.respin;
    lines.push(`  re-spin of ${r.from}: ${r.identicalCells} neuron and placement cells byte-identical; ${r.changedResistorCells.length} resistor cells changed${r.changedResistorCells.length > 0 ? ` (${r.changedResistorCells.slice(0, 20).join(', ')}${r.changedResistorCells.length > 20 ? ', ...' : ''})` : ''}, ${r.unchangedResistorCells} unchanged`);
  }
  return lines;
}

/** The KLayout check's result file a report shows when it sits beside the masks (check.rb -rd out=DIR/check.json). */
export const MASKS_CHECK_JSON = 'check.json';

/**
 * The masks of a compiled directory for its re-rendered report: masks.json, and the KLayout check's counts when
 * check.json is there and has check.rb's shape (else none: the report says the check was not run).
 */
export function readMasksForReport(dir: string): { masks: MasksDoc | null; masksCheck: MasksCheck | null } {
  const json = join(dir, MASKS_JSON);
  if (!existsSync(json)) return { masks: null, masksCheck: null };
  const masks = JSON.parse(readFileSync(json, 'utf8')) as MasksDoc;
  return { masks, masksCheck: readMasksCheck(join(dir, MASKS_CHECK_JSON)) };
}

function readMasksCheck(path: string): MasksCheck | null {
  if (!existsSync(path)) return null;
  try {
    const c = JSON.parse(readFileSync(path, 'utf8')) as { resistors: unknown[]; drc: MasksCheck['drc']; neuron: { index: number; terminals: object; instances: object } };
    if (!Array.isArray(c.resistors) || !Array.isArray(c.drc) || typeof c.neuron?.index !== 'number') return null;
    return { resistors: c.resistors.length, drc: c.drc, neuron: c.neuron.index, terminals: Object.keys(c.neuron.terminals).length, instances: Object.keys(c.neuron.instances).length };
  } catch {
    return null;
  }
}
