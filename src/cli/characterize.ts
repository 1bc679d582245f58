// `ohmnet characterize -o <file.lut.json>`: the SPICE look-up tables of the non-linear synapse cells (issue 16,
// src/synapse/characterize.ts): ngspice DC sweeps of the synapse F(z, w, v) for every weight level with Monte Carlo
// copies for the mismatch spread, and of the soma H(z), written as a LUT file (docs/synapse.md) that
// `ohmnet train --synapse lut:FILE` reads. Prints what it wrote (or its JSON with --json).

import { isOhmnetError, OhmnetError, usageError, type Namer } from '../errors.js';
import { checkOutputFile, writeFileAtomic } from '../io/atomic.js';
import { characterize } from '../synapse/characterize.js';
import { serializeLut, type LutData } from '../synapse/lut.js';
import type { CliIO } from './context.js';
import { flagNamer } from './option-table.js';
import { parseIntOption, parseNumberOption } from './options.js';

export interface CharacterizeFlags {
  [flag: string]: unknown;
  output?: string;
  zMaxA?: string;
  zPoints?: string;
  vPoints?: string;
  somaPoints?: string;
  mcDraws?: string;
  seed?: string;
  workers?: string;
  json?: boolean;
}

const FLAGS: Readonly<Record<string, string>> = {
  zMaxA: '--z-max-a',
  nZ: '--z-points',
  nV: '--v-points',
  nZSoma: '--soma-points',
  mcDraws: '--mc-draws',
  seed: '--seed',
  outputFile: '-o FILE',
};
const characterizeNamer: Namer = (o) => FLAGS[o] ?? flagNamer(o);

/** What the command prints: the file, its grid, the cells' hash and the WGEN's measured levels. */
export function characterizeLines(d: LutData, out: string): string[] {
  const g = d.grid;
  return [
    `wrote ${out}: F(z, w, v) on ${g.nZ} x ${d.weightLevels.length} x ${g.nV} points (z 0..${g.zMaxA} A, w ${d.weightLevels[0]}..${d.weightLevels[d.weightLevels.length - 1]}, v 0..${d.vccV} V), H(z) on ${g.nZSoma} points, ${g.mcDraws} Monte Carlo draws per point (seed ${g.seed})`,
    `cells netlist SHA-256 ${d.netlistSha256}`,
    `WGEN levels (V) for w = ${d.weightLevels.join(', ')}: ${d.wgenLevelsV.map((v) => v.toFixed(4)).join(', ')}`,
  ];
}

async function run(flags: CharacterizeFlags, io: CliIO): Promise<number> {
  if (flags.output === undefined) throw usageError((n) => `give the LUT file to write with ${n('outputFile')}`);
  checkOutputFile(flags.output);
  const int = (flag: string, v: string | undefined) => (v === undefined ? undefined : parseIntOption(flag, v));
  const d = await characterize({
    zMaxA: flags.zMaxA === undefined ? undefined : parseNumberOption('--z-max-a', flags.zMaxA),
    nZ: int('--z-points', flags.zPoints),
    nV: int('--v-points', flags.vPoints),
    nZSoma: int('--soma-points', flags.somaPoints),
    mcDraws: int('--mc-draws', flags.mcDraws),
    seed: int('--seed', flags.seed),
    jobs: flags.workers === undefined ? 1 : parseIntOption('--workers', flags.workers, 1, 64),
    onRun: io.interactive ? (done, total) => io.err(`ngspice run ${done}/${total}`) : undefined,
  });
  writeFileAtomic(flags.output, serializeLut(d));
  if (flags.json) {
    const { f: _f, sigma: _s, h: _h, hAp: _a, ...rest } = d;
    io.out(JSON.stringify({ output: flags.output.split(/[\\/]/).pop(), ...rest }, null, 2));
  } else {
    io.out(characterizeLines(d, flags.output).join('\n'));
  }
  return 0;
}

export async function characterizeCommand(flags: CharacterizeFlags, io: CliIO): Promise<number> {
  try {
    return await run(flags, io);
  } catch (e) {
    if (isOhmnetError(e)) throw new OhmnetError(e.kind, e.messageWith(characterizeNamer));
    throw e;
  }
}
