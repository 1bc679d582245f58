// Which files compile writes (`--outputs`): a user who needs only the verdict of a MobileNet-sized compile should not
// write gigabytes. summary.json is always written (it holds the verdicts); every other file is named here.

import { usageError } from '../errors.js';
import { DEFAULTS } from '../presets/defaults.js';

/** The selectable outputs, by name, with the file each writes, in the order they are listed. */
export const OUTPUTS = {
  tnet: 'tnet.json',
  resistors: 'resistors.csv',
  'resistors-bin': 'resistors.bin',
  bom: 'bom.csv',
  netlist: 'netlist.cir',
  'netlist-gz': 'netlist.cir.gz',
  testbench: 'testbench.cir',
  report: 'report.html',
  project: 'ohmnet.project.json',
} as const;
export type OutputName = keyof typeof OUTPUTS;
export const OUTPUT_NAMES = Object.keys(OUTPUTS) as OutputName[];

/** The default: every file but the compact forms (resistors.bin replaces resistors.csv on very large networks). */
export const DEFAULT_OUTPUTS: readonly OutputName[] = ['tnet', 'resistors', 'bom', 'netlist', 'testbench', 'report', 'project'];

export interface OutputSelection {
  readonly names: ReadonlySet<OutputName>;
  /** True when the user named the outputs (no automatic switch to resistors.bin). */
  readonly explicit: boolean;
}

/** Parses `--outputs a,b,...` (undefined: the default). Names are checked; testbench needs netlist. */
export function parseOutputs(text: unknown): OutputSelection {
  if (text === undefined || text === null) return { names: new Set(DEFAULT_OUTPUTS), explicit: false };
  const list = (Array.isArray(text) ? text.map(String) : String(text).split(',')).map((s) => s.trim()).filter((s) => s !== '');
  const names = new Set<OutputName>();
  for (const name of list) {
    if (name === 'summary') continue;
    if (!(name in OUTPUTS)) throw usageError((n) => `${n('outputs')}: unknown output '${name.slice(0, 40)}'; choose from summary, ${OUTPUT_NAMES.join(', ')}`);
    names.add(name as OutputName);
  }
  if (names.has('testbench') && !names.has('netlist')) throw usageError((n) => `${n('outputs')}: testbench.cir includes netlist.cir; add netlist to the outputs or drop testbench`);
  return { names, explicit: true };
}

/**
 * The outputs a compile writes for a network whose resistor table has `rows` rows: the selection, with resistors.csv
 * replaced by resistors.bin when the user did not name the outputs and the table exceeds DEFAULTS.resistorsCsvMaxRows.
 */
export function outputsFor(selection: OutputSelection, rows: number): { names: ReadonlySet<OutputName>; switchedToBinary: boolean } {
  if (selection.explicit || !selection.names.has('resistors') || rows <= DEFAULTS.resistorsCsvMaxRows) return { names: selection.names, switchedToBinary: false };
  const names = new Set(selection.names);
  names.delete('resistors');
  names.add('resistors-bin');
  return { names, switchedToBinary: true };
}
