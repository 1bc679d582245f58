// Resistor sets: the IEC 60063 E-series (the standard tables, not the rounding formula: E24's historical values such as
// 2.7, 3.3 ... 8.3 -> 8.2 and E192's 9.20 differ from round(10^(k/n))), expanded over a resistance range; and custom
// lists read from a file. Values in ohms, ascending, without duplicates.

import { ohms } from '../util/format.js';
import { existsSync } from 'node:fs';
import { readTextFile } from '../util/read-file.js';
import { inputError, usageError } from '../errors.js';
import { REALIZE_MESSAGES as RM } from '../messages/index.js';
import { E_SERIES } from '../presets/resistor-series.js';

export { E_SERIES };

export const SERIES_NAMES = Object.keys(E_SERIES);

/**
 * Whether a --resistors spec names a file of values, not a series (E6 ... E192, or any E<n>, refused later) or an
 * optimal-set search (optimal:N): the specs whose paths a config file or a project resolves.
 */
export function isResistorListFile(spec: string): boolean {
  return !/^E\d+$/i.test(spec) && !/^optimal/i.test(spec);
}

/** Rounds to 6 significant digits, so decade scaling of a mantissa (2.7 * 1e5) gives exactly 270000. */
function clean(v: number): number {
  return Number(v.toPrecision(6));
}

/** The values of an E-series within [rMin, rMax] (inclusive), ascending. */
export function seriesValues(name: string, rMinOhm: number, rMaxOhm: number): number[] {
  const mant = E_SERIES[name.toUpperCase()];
  if (!mant) throw usageError(RM.unknownSeries(name, SERIES_NAMES));
  checkRange(rMinOhm, rMaxOhm);
  const out: number[] = [];
  for (let d = Math.floor(Math.log10(rMinOhm)) - 1; d <= Math.ceil(Math.log10(rMaxOhm)) + 1; d++) {
    for (const m of mant) {
      const v = clean(m * 10 ** d);
      if (v >= rMinOhm * (1 - 1e-12) && v <= rMaxOhm * (1 + 1e-12)) out.push(v);
    }
  }
  if (out.length === 0) throw usageError(RM.seriesEmptyInRange(name, `${ohms(rMinOhm)}..${ohms(rMaxOhm)}`));
  return out;
}

export function checkRange(rMinOhm: number, rMaxOhm: number): void {
  if (!(Number.isFinite(rMinOhm) && rMinOhm > 0)) throw usageError(RM.rMinNotPositive(rMinOhm));
  if (!(Number.isFinite(rMaxOhm) && rMaxOhm > 0)) throw usageError(RM.rMaxNotPositive(rMaxOhm));
  if (!(rMinOhm < rMaxOhm)) throw usageError(RM.rangeEmpty(rMinOhm, rMaxOhm));
}

/** Parses "100k", "1M", "4.7k", "2M2" (value with an SI suffix, also as the decimal mark), or plain ohms. */
export function parseResistance(text: string, label = 'resistance'): number {
  const t = text.trim();
  const m = /^(\d+(?:\.\d*)?|\.\d+)(?:([rRkKmMgG])(\d*))?(?:\s*(?:ohms?|Ω))?$/.exec(t);
  if (!m) throw usageError(RM.notResistance(label, text));
  const mult: Record<string, number> = { r: 1, k: 1e3, m: 1e6, g: 1e9 };
  const base = m[3] ? Number(`${m[1]}.${m[3]}`) : Number(m[1]);
  const v = clean(base * (m[2] ? mult[m[2].toLowerCase()] : 1));
  if (!(v > 0) || !Number.isFinite(v)) throw usageError(RM.resistanceNotPositive(label, text));
  return v;
}

/** A custom resistor list: one value per line (or comma-separated), ascending, positive, no duplicates. */
export function readCustomSet(path: string): number[] {
  if (!existsSync(path)) throw inputError(RM.listMissing(path));
  // Bounded, regular files only: a list of resistor values is a few kilobytes, never /dev/zero or a FIFO.
  const text = readTextFile(path, { maxBytes: 1 << 20, what: 'a resistor list', hint: 'give one value per line, at most a few thousand values' });
  const tokens = text.split(/\r?\n/).map((line) => line.replace(/#.*/, '')).join(' ').split(/[\s,;]+/).filter((s) => s.length > 0);
  if (tokens.length === 0) throw inputError(RM.listEmpty(path));
  const values = tokens.map((t) => {
    try {
      return parseResistance(t);
    } catch {
      throw inputError(RM.listBadValue(path, t));
    }
  });
  for (let i = 1; i < values.length; i++) {
    if (!(values[i] > values[i - 1])) throw inputError(RM.listNotAscending(path, tokens[i - 1], tokens[i]));
  }
  return values;
}
