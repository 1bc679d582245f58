// `ohmnet crossbar solve --resistances R.json --voltages V.json --interconnect OHM [--json]`: the crossbar solver with
// line resistance (crossbar/solve.ts) in badcrossbar's array conventions: resistances (or conductances) word lines x
// bit lines, applied voltages word lines x input sets. Prints the output currents per input set, or with --json the
// whole solution: deviceCurrentsA [row][column][inputSet], the word- and bit-line segment currents, the node
// voltages and the output currents (docs/crossbar.md).

import { readFileSync, statSync } from 'node:fs';
import { inputError, isOhmnetError, OhmnetError, usageError, type Namer } from '../errors.js';
import { FILE_MESSAGES } from '../messages/files.js';
import { CROSSBAR_CLI_MESSAGES as XCM } from '../messages/crossbar.js';
import { CROSSBAR_DEFAULTS } from '../presets/defaults.js';
import {
  CROSSBAR_SOLVERS,
  crossbarFromConductances,
  crossbarFromResistances,
  crossbarSolution,
  solveCrossbarNodes,
  voltageSets,
  type CrossbarSolverName,
} from '../crossbar/solve.js';
import type { CliIO } from './context.js';
import { flagNamer } from './option-table.js';
import { parseNumberOption } from './options.js';

export interface CrossbarSolveFlags {
  [flag: string]: unknown;
  resistances?: string;
  conductances?: string;
  voltages?: string;
  interconnect?: string;
  interconnectWord?: string;
  interconnectBit?: string;
  solver?: string;
  json?: boolean;
}

const FLAGS: Readonly<Record<string, string>> = {
  resistances: '--resistances',
  conductances: '--conductances',
  voltages: '--voltages',
  interconnectOhm: '--interconnect',
  interconnectWordOhm: '--interconnect-word',
  interconnectBitOhm: '--interconnect-bit',
  solver: '--solver',
  toleranceRel: 'the solver tolerance',
};
const crossbarNamer: Namer = (o) => FLAGS[o] ?? flagNamer(o);

/** Largest matrix file read: 512 MB (a 4096 x 4096 array of 17-digit numbers is ~300 MB). */
const MAX_FILE_BYTES = 512 * 2 ** 20;

/** A JSON matrix file: a bare 2-D array, or an object holding it under `key`. */
function readMatrix(path: string, key: string): unknown {
  let text: string;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw inputError(FILE_MESSAGES.notRegularFile(path, 'a directory or device'));
    if (st.size > MAX_FILE_BYTES) throw inputError(FILE_MESSAGES.fileTooLarge(path, 'a crossbar matrix file', st.size, '512 MB', 'split the array into tiles'));
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (isOhmnetError(e)) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw inputError(code === 'ENOENT' ? FILE_MESSAGES.fileNotFound(path) : FILE_MESSAGES.fileUnreadable(path, code ?? String(e)));
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw inputError(XCM.notJson(path, (e as Error).message, key));
  }
  if (Array.isArray(doc)) return doc;
  if (doc !== null && typeof doc === 'object' && key in doc) return (doc as Record<string, unknown>)[key];
  throw inputError(XCM.notMatrixFile(path, key));
}

function ohm(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  return parseNumberOption(flag, text);
}

function solve(flags: CrossbarSolveFlags, io: CliIO): number {
  if ((flags.resistances === undefined) === (flags.conductances === undefined)) throw usageError(XCM.needArray());
  if (flags.voltages === undefined) throw usageError(XCM.needVoltages());
  if (flags.interconnect === undefined && (flags.interconnectWord === undefined || flags.interconnectBit === undefined)) throw usageError(XCM.needInterconnect());
  const solver = (flags.solver ?? CROSSBAR_DEFAULTS.solver) as CrossbarSolverName;
  if (!(CROSSBAR_SOLVERS as readonly string[]).includes(solver)) throw usageError(XCM.unknownSolver(solver, CROSSBAR_SOLVERS));
  const options = {
    interconnectOhm: ohm('--interconnect', flags.interconnect),
    interconnectWordOhm: ohm('--interconnect-word', flags.interconnectWord),
    interconnectBitOhm: ohm('--interconnect-bit', flags.interconnectBit),
    solver,
  };
  const a = flags.resistances !== undefined ? crossbarFromResistances(readMatrix(flags.resistances, 'resistances')) : crossbarFromConductances(readMatrix(flags.conductances!, 'conductances'));
  const sets = voltageSets(readMatrix(flags.voltages, 'voltages'), a.rows);
  const nodes = solveCrossbarNodes(a, sets, options);
  const s = crossbarSolution(a, nodes, nodes.method === 'pcg-line' ? CROSSBAR_DEFAULTS.toleranceRel : null);
  if (flags.json) {
    io.out(JSON.stringify(s));
    return 0;
  }
  const lines = [
    `crossbar ${s.rows} x ${s.columns} (word lines x bit lines), ${s.inputSets} input set${s.inputSets === 1 ? '' : 's'}; segments ${s.interconnectWordOhm} ohm (word), ${s.interconnectBitOhm} ohm (bit)`,
    `solver: ${s.solver.method}${s.solver.iterations.some((k) => k > 0) ? `, ${Math.max(...s.solver.iterations)} iterations at most` : ''}, relative residual ${s.solver.residualRel.toExponential(2)}`,
    'output currents (A), one row per input set, one column per bit line:',
    ...s.outputCurrentsA.map((row) => row.map((x) => x.toPrecision(10)).join(' ')),
  ];
  io.out(lines.join('\n'));
  return 0;
}

export function crossbarSolveCommand(flags: CrossbarSolveFlags, io: CliIO): number {
  try {
    return solve(flags, io);
  } catch (e) {
    if (isOhmnetError(e)) throw new OhmnetError(e.kind, e.messageWith(crossbarNamer));
    throw e;
  }
}
