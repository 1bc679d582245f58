// Messages of the crossbar solver, netlist writer and layer mapping (src/crossbar/solve.ts, netlist.ts, mapping.ts;
// issue 17). Options are named through the Namer (the API's names, the CLI's flags).

import type { Namer } from '../errors.js';

const at = (i: number, j: number) => `[${i}][${j}]`;

export const CROSSBAR_MESSAGES = {
  notMatrix: (what: string) => (n: Namer) =>
    `${n(what)} must be a non-empty list of rows, each a non-empty list of numbers (rows are word lines); give at least a 1 x 1 array`,
  ragged: (what: string, row: number, len: number, expected: number) => (n: Namer) =>
    `${n(what)} row ${row} has ${len} entries but row 0 has ${expected}; every row must be as long as the first (a rectangular array)`,
  badResistance: (i: number, j: number, v: unknown) => (n: Namer) =>
    `${n('resistances')}${at(i, j)} is ${String(v)}: a device resistance must be a number > 0 ohms (use a very large value, or Infinity in the API, for an open device)`,
  badConductance: (i: number, j: number, v: unknown) => (n: Namer) =>
    `${n('conductances')}${at(i, j)} is ${String(v)}: a device conductance must be a finite number > 0 siemens (0 S is an open device: give a very small positive value)`,
  badVoltage: (i: number, j: number, v: unknown) => (n: Namer) =>
    `${n('voltages')}${at(i, j)} is ${String(v)}: an applied voltage must be a finite number of volts`,
  voltageRows: (rows: number, wordLines: number) => (n: Namer) =>
    `${n('voltages')} has ${rows} rows but the array has ${wordLines} word lines; give one row per word line (rows x input sets, badcrossbar's layout)`,
  badInterconnect: (option: string, v: unknown) => (n: Namer) =>
    `${n(option)} ${String(v)} must be a finite resistance >= 0 ohms per line segment (0 for ideal lines)`,
  unknownSolver: (s: string, solvers: readonly string[]) => (n: Namer) =>
    `${n('solver')} '${s}' is not one of ${solvers.join(', ')}`,
  badTolerance: (v: unknown) => (n: Namer) =>
    `${n('toleranceRel')} ${String(v)} must be a relative residual between 1e-15 and 1e-3`,
  exactTooLarge: (rows: number, cols: number, bytes: number) => (n: Namer) =>
    `the exact solver of a ${rows} x ${cols} array would need ${(bytes / 2 ** 30).toFixed(1)} GiB for its factor; use ${n('solver')} iterative for arrays this large`,
  notConverged: (iterations: number, residual: number, tol: number) => (n: Namer) =>
    `the iterative crossbar solver stopped after ${iterations} iterations at relative residual ${residual.toExponential(2)} above ${n('toleranceRel')} ${tol}; use ${n('solver')} exact or a looser tolerance`,
  badRange: (gMin: number, gMax: number) => (n: Namer) =>
    `the conductance range ${n('gMinS')} ${gMin} .. ${n('gMaxS')} ${gMax} must satisfy 0 < gMin < gMax (finite siemens); swap them if inverted`,
  badTile: (rows: number, cols: number) => (n: Namer) =>
    `the tile size ${n('tileRows')} ${rows} x ${n('tileColumns')} ${cols} must be whole numbers >= 2 x 1 (a tile needs room for a differential pair)`,
  badWeights: (what: string) => () => `${what}: the layer's weights must be a non-empty rectangular matrix of finite numbers`,
  badScheme: (s: string, schemes: readonly string[]) => (n: Namer) => `${n('scheme')} '${s}' is not one of ${schemes.join(', ')}`,
  sampleLength: (k: number, len: number, ins: number) => () =>
    `sample ${k} has ${len} values but the layer has ${ins} inputs; give one value per input (the bias row is added by the mapping)`,
  sampleValue: (k: number, p: number, v: number) => () => `sample ${k} input ${p} is ${String(v)}: inputs must be finite numbers`,
  badInputScale: (v: number) => (n: Namer) => `${n('inputScaleV')} ${v} must be a finite number of volts > 0 (the DAC's volts per unit input)`,
} as const;

/** Messages of `ohmnet crossbar` (cli/crossbar.ts): the files and flags themselves. */
export const CROSSBAR_CLI_MESSAGES = {
  needArray: () => (n: Namer) =>
    `give the array as exactly one of ${n('resistances')} (ohms) or ${n('conductances')} (siemens): a JSON file of word lines x bit lines`,
  needVoltages: () => (n: Namer) => `give the applied voltages with ${n('voltages')}: a JSON file of word lines x input sets, in volts`,
  needInterconnect: () => (n: Namer) =>
    `give the line resistance per segment with ${n('interconnectOhm')} (ohms; 0 for ideal lines), or both ${n('interconnectWordOhm')} and ${n('interconnectBitOhm')}`,
  unknownSolver: (s: string, solvers: readonly string[]) => (n: Namer) => `${n('solver')} '${s}' is not one of ${solvers.join(', ')}`,
  notJson: (path: string, why: string, key: string) => `'${path}' is not valid JSON (${why}); give a 2-D array, or an object with "${key}": [[...], ...]`,
  notMatrixFile: (path: string, key: string) => `'${path}' holds neither a 2-D array nor an object with "${key}"; give [[...], ...] (rows are word lines)`,
} as const;
