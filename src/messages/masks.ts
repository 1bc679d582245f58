// Messages of the masks (src/layout/): process files, resistances no geometry within the rules can draw, re-spins.
// A message that names an option returns a function of the Namer (the CLI renders it as the flag).

import type { Namer } from '../errors.js';

export const MASK_MESSAGES = {
  unknownProcess: (name: string, names: readonly string[]) => (n: Namer) =>
    `unknown resistor process '${name}'; give ${n('process')} one of ${names.join(', ')} or a process file (.json, schema/process.schema.json)`,
  processNotJson: (path: string, why: string) => `process file ${path} is not JSON (${why}); fix the file (schema/process.schema.json)`,
  processInvalid: (path: string, where: string, why: string) => `process file ${path}: ${where} ${why}; fix the file (schema/process.schema.json)`,
  processValue: (path: string, key: string, value: number, need: string) =>
    `process file ${path}: ${key} ${value} must be ${need}; fix the file (schema/process.schema.json)`,
  tooSmall: (element: string, ohm: number, minOhm: number, process: string) => (n: Namer) =>
    `${element} of ${ohm} ohm is below the smallest resistor process ${process} can draw (${minOhm.toPrecision(4)} ohm); raise ${n('rMinOhm')} or choose another ${n('process')}`,
  tooLarge: (element: string, ohm: number, maxOhm: number, process: string) => (n: Namer) =>
    `${element} of ${ohm} ohm is above the largest resistor process ${process} can draw (${maxOhm.toPrecision(4)} ohm); lower ${n('rMaxOhm')} or choose another ${n('process')}`,
  processWithoutMasks: () => (n: Namer) => `${n('process')} and ${n('reuse')} apply to masks: add ${n('masks')}`,
  masksNeedProcess: () => (n: Namer) => `masks need a resistor process: pass ${n('process')} (e.g. sky130-res-high)`,
  reuseNotMasks: (dir: string) => (n: Namer) => `${dir} holds no masks.gds and masks.json of a previous compile; give ${n('reuse')} a directory written with masks`,
  reuseOtherTopology: (dir: string, what: string) => (n: Namer) =>
    `${dir} was compiled for another topology (${what}); ${n('reuse')} needs the same network structure and process`,
  masksTooLarge: (process: string, mm: number, neuron: number) =>
    `the masks of this network in ${process} span more than ${mm.toFixed(0)} mm by neuron ${neuron}, beyond GDSII's 32-bit coordinates at 1 nm (2,147 mm); use a process of higher sheet resistance or a smaller network`,
  gdsTruncated: (path: string, at: number) => `${path} is not a GDSII stream (a record at byte ${at} runs past the end of the file)`,
  gdsBadRecord: (path: string, at: number, why: string) => `${path} is not a GDSII stream (byte ${at}: ${why})`,
} as const;
