// Messages of the non-linear synapse cells, their characterization and look-up tables (src/synapse/cells.ts,
// characterize.ts, lut.ts, transistor-netlist.ts; issue 16). Options are named through the Namer.

import type { Namer } from '../errors.js';

export const SYNAPSE_MESSAGES = {
  otherNetlist: (file: string, fileHash: string, cellsHash: string) =>
    `LUT file was made from a different netlist (${file}: netlist SHA-256 ${fileHash.slice(0, 12)}..., this ohmnet's cells ${cellsHash.slice(0, 12)}...); regenerate it with ohmnet characterize`,
  otherDecks: (file: string) =>
    `LUT file's tables do not match its grid (${file}: the SHA-256 of the characterization decks differs; the file was edited or is damaged); regenerate it with ohmnet characterize`,
  notLut: (file: string, why: string) => `${file} is not an ohmnet synapse LUT file (${why}); make one with ohmnet characterize`,
  gridTooCoarse: (axis: string, points: number, min: number) => (n: Namer) =>
    `${n(axis)} ${points} is too coarse: the tables need at least ${min} points per axis`,
  badGridValue: (option: string, value: unknown, want: string) => (n: Namer) => `${n(option)} ${String(value)} must be ${want}`,
  badWeight: (w: number, levels: readonly number[]) => `weight ${w} is not a weight level of the cells (${levels.join(', ')}); round the weights to the levels first`,
  badLayers: (why: string) => `bad network for the transistor-level netlist: ${why}`,
  badInputCurrent: (value: number, max: number) => `input current ${value} A is outside the tables' range [0, ${max}] A; scale the inputs into it`,
  noNgspice: () => 'characterization needs the ngspice program on the PATH (Debian: apt-get install ngspice)',
  ngspiceFailed: (what: string, detail: string) => `ngspice failed on the ${what} deck: ${detail}`,
  ngspiceOutput: (what: string, detail: string) => `ngspice's output for the ${what} deck is not what was asked: ${detail}`,
} as const;
