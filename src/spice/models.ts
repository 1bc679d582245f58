// Op-amp models for the netlist: parsing the --opamp text into a preset (presets/opamps.ts) with overrides. The
// subcircuit of each model is circuit/cells.ts opampCell.

import { usageError } from '../errors.js';
import { SM } from '../messages/index.js';
import { opampCell, opampParams } from '../circuit/cells.js';
import { DEFAULT_IDEAL, DEFAULT_MACRO, type OpampModel } from '../presets/opamps.js';

export type { IdealOpamp, MacroOpamp, OpampModel } from '../presets/opamps.js';
export { DEFAULT_IDEAL, DEFAULT_MACRO };

/** Parses an op-amp model's text: "ideal", "macro", or either with overrides, e.g. "macro:gain=1e6,gbw=10e6". */
export function parseOpamp(text: string): OpampModel {
  const [kind, rest] = text.split(':', 2);
  const base: OpampModel = kind === 'ideal' ? DEFAULT_IDEAL : kind === 'macro' ? DEFAULT_MACRO : (() => {
    throw usageError(SM.badOpamp(text));
  })();
  if (!rest) return base;
  const keys: Record<string, string> = base.kind === 'ideal'
    ? { gain: 'gain' }
    : { gain: 'gain', gbw: 'gbwHz', headroom: 'swingHeadroomV', rin: 'rinOhm', rout: 'routOhm', iq: 'iqA' };
  const out: Record<string, number | string> = { ...base };
  for (const part of rest.split(',')) {
    const [k, v] = part.split('=');
    const key = keys[k?.trim() ?? ''];
    const value = Number(v);
    if (!key) throw usageError(SM.unknownOpampParameter(base.kind, k, Object.keys(keys)));
    if (!Number.isFinite(value) || value < 0 || (key !== 'swingHeadroomV' && value === 0)) throw usageError(SM.badOpampParameter(base.kind, k, v));
    out[key] = value;
  }
  return out as unknown as OpampModel;
}

/** The .subckt definition of the op-amp model, as text, after the .param card of the model's values that its body
 * uses (the cell itself is circuit/cells.ts opampCell). */
export function opampSubckt(m: OpampModel): string[] {
  const c = opampCell(m);
  return [`.param ${opampParams(m).map(([k, v]) => `${k}=${v}`).join(' ')}`, ...c.comment.map((l) => `* ${l}`), `.subckt ${c.name} ${c.pins.join(' ')} params: ${c.params.map(([k, v]) => `${k}=${v}`).join(' ')}`, ...c.body, `.ends ${c.name}`];
}
