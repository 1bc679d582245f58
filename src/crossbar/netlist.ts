// A crossbar array as a SPICE netlist, in the solver's topology (solve.ts, badcrossbar's conventions): word line i is
// driven by VIN<i> (node in<i>) through its first segment at the left, bit line j ends in its last segment to ground
// (0 V, the sense amplifier's virtual ground) at the bottom. Nodes: w_<i>_<j> on the word lines, b_<i>_<j> on the bit
// lines. A device is a resistor, or an instance of a subcircuit with pins (word node, bit node) and parameters (for
// behavioural memristor models); the subcircuits' text is passed in and written once. A 0-ohm segment (ideal line) is
// written as a 0 V source, so every segment keeps its own branch.
//
// The netlist follows the engine conventions of spice/engines/types.ts (VIN<k> inputs whose DC value is the last token,
// no analysis cards), so it runs on either engine with OperatingPointRequest; the probe names of its nodes come from
// crossbarProbes.

import { inputError } from '../errors.js';
import { CROSSBAR_MESSAGES as XM } from '../messages/crossbar.js';

/** One crossbar device: a resistor, or an instance of a subcircuit whose first two pins are (word node, bit node). */
export type CrossbarDevice =
  | { readonly kind: 'resistor'; readonly ohm: number }
  | { readonly kind: 'instance'; readonly subckt: string; readonly params?: Readonly<Record<string, number>> };

export interface CrossbarNetlistOptions {
  /** Resistance of each word-line segment in ohms (0: an ideal line, written as 0 V sources). */
  interconnectWordOhm: number;
  /** Resistance of each bit-line segment in ohms. */
  interconnectBitOhm: number;
  /** DC value of each word line's driver VIN<i> (default 0; the engines replace them per sample). */
  voltagesV?: readonly number[];
  /** Subcircuit definitions (.subckt ... .ends text) the devices instantiate. */
  subcircuits?: readonly string[];
  /** First comment line. */
  title?: string;
}

export const wordNode = (i: number, j: number) => `w_${i}_${j}`;
export const bitNode = (i: number, j: number) => `b_${i}_${j}`;

/** Probe names of every word node then every bit node, row-major: the solver's node order. */
export function crossbarProbes(rows: number, columns: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < rows; i++) for (let j = 0; j < columns; j++) out.push(wordNode(i, j));
  for (let i = 0; i < rows; i++) for (let j = 0; j < columns; j++) out.push(bitNode(i, j));
  return out;
}

const num = (x: number) => (Number.isInteger(x) ? String(x) : x.toPrecision(17).replace(/\.?0+(e|$)/, '$1'));

/** The netlist lines of a rows x columns crossbar; device(i, j) gives each device. */
export function crossbarNetlist(rows: number, columns: number, device: (i: number, j: number) => CrossbarDevice, o: CrossbarNetlistOptions): string {
  if (!(Number.isInteger(rows) && Number.isInteger(columns) && rows >= 1 && columns >= 1)) throw inputError(XM.notMatrix('resistances'));
  for (const [name, v] of [
    ['interconnectWordOhm', o.interconnectWordOhm],
    ['interconnectBitOhm', o.interconnectBitOhm],
  ] as const)
    if (!(Number.isFinite(v) && v >= 0)) throw inputError(XM.badInterconnect(name, v));
  const lines: string[] = [`* ${o.title ?? `crossbar ${rows} x ${columns}`}`];
  lines.push(`* word segments ${num(o.interconnectWordOhm)} ohm, bit segments ${num(o.interconnectBitOhm)} ohm; word lines driven at the left, bit lines grounded at the bottom`);
  for (const s of o.subcircuits ?? []) lines.push(...s.trimEnd().split('\n'));
  const segment = (name: string, a: string, b: string, ohm: number) => (ohm === 0 ? `V${name} ${a} ${b} DC 0` : `R${name} ${a} ${b} ${num(ohm)}`);
  for (let i = 0; i < rows; i++) {
    lines.push(`VIN${i} in${i} 0 DC ${num(o.voltagesV?.[i] ?? 0)}`);
    for (let j = 0; j < columns; j++) lines.push(segment(`W_${i}_${j}`, j === 0 ? `in${i}` : wordNode(i, j - 1), wordNode(i, j), o.interconnectWordOhm));
  }
  for (let j = 0; j < columns; j++)
    for (let i = 0; i < rows; i++) lines.push(segment(`B_${i}_${j}`, bitNode(i, j), i === rows - 1 ? '0' : bitNode(i + 1, j), o.interconnectBitOhm));
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < columns; j++) {
      const d = device(i, j);
      if (d.kind === 'resistor') {
        if (!(d.ohm > 0) || !Number.isFinite(d.ohm)) throw inputError(XM.badResistance(i, j, d.ohm));
        lines.push(`RD_${i}_${j} ${wordNode(i, j)} ${bitNode(i, j)} ${num(d.ohm)}`);
      } else {
        const params = Object.entries(d.params ?? {}).map(([k, v]) => ` ${k}=${num(v)}`).join('');
        lines.push(`XD_${i}_${j} ${wordNode(i, j)} ${bitNode(i, j)} ${d.subckt}${params}`);
      }
    }
  lines.push('.end');
  return `${lines.join('\n')}\n`;
}

/** A crossbar of resistive devices (resistances [wordLine][bitLine] in ohms) as a netlist. */
export function crossbarResistorNetlist(resistancesOhm: readonly (readonly number[])[], o: CrossbarNetlistOptions): string {
  return crossbarNetlist(resistancesOhm.length, resistancesOhm[0]?.length ?? 0, (i, j) => ({ kind: 'resistor', ohm: resistancesOhm[i][j] }), o);
}

/**
 * A subset of node probes for checking a large array against SPICE within the engines' print limit (400 nodes a
 * call): every bit line's bottom node (its output current is V / r), every word line's far-end node, and both nodes
 * of every stride-th row and column.
 */
export function crossbarCheckProbes(rows: number, columns: number, stride: number): string[] {
  const out = new Set<string>();
  for (let j = 0; j < columns; j++) out.add(bitNode(rows - 1, j));
  for (let i = 0; i < rows; i++) out.add(wordNode(i, columns - 1));
  for (let i = 0; i < rows; i += stride)
    for (let j = 0; j < columns; j += stride) {
      out.add(wordNode(i, j));
      out.add(bitNode(i, j));
    }
  return [...out];
}

/** The (kind, row, column) of a probe name written by this module. */
export function probeNode(name: string): { kind: 'word' | 'bit'; row: number; column: number } {
  const m = /^([wb])_(\d+)_(\d+)$/.exec(name.toLowerCase());
  if (!m) throw new Error(`not a crossbar node: ${name}`);
  return { kind: m[1] === 'w' ? 'word' : 'bit', row: Number(m[2]), column: Number(m[3]) };
}
