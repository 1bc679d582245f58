// `ohmnet characterize`: the SPICE DC sweeps that make the look-up tables of the non-linear synapse (issue 16, C15;
// seed 002 §III-A): the synapse's output current F(z, w, v) on a grid (z: the previous layer's aggregated current,
// which the previous soma turns into A_p/A_n; w: every weight level, through the WGEN; v: the aggregating node's
// voltage, held by a source) and the soma's node voltage H(z); with Monte Carlo copies of the synapse for the
// mismatch spread (Pelgrom, A_VT = 3 mV um: each draw shifts the threshold of the four DC devices by
// N(0, (A_VT / sqrt(W L))^2)). One ngspice run per weight level: a nested .dc over (v, z) with the nominal synapse
// and every Monte Carlo copy in the same deck, all reading the same soma (gate inputs only: no loading), each copy
// with its own WGEN on the shared reference ladder.

import { createHash } from 'node:crypto';
import { inputError, usageError } from '../errors.js';
import { SYNAPSE_MESSAGES as YM } from '../messages/synapse.js';
import { Rng } from '../util/random.js';
import {
  cellsText,
  logicV,
  pelgromSigmaV,
  SYNAPSE_DEVICES,
  SYNAPSE_MISMATCH_DEVICES,
  VCC_V,
  WEIGHT_LEVELS,
  weightControls,
  WGEN_TAPS,
} from './cells.js';
import { runNgspiceDeck } from './run-ngspice.js';
import { LUT_FORMAT, LUT_VERSION, MIN_GRID_POINTS, SynapseLut, type LutData, type LutGrid } from './lut.js';

/** The default grid (docs/synapse.md): z in [0, 100 uA] every 4 uA, v in [0, Vcc] every 50 mV, the soma every
 * 20 nA (its diode is steep near z = 0), 16 Monte Carlo draws per point. */
export const DEFAULT_LUT_GRID: LutGrid = { zMaxA: 100e-6, nZ: 26, nV: 23, nZSoma: 5001, mcDraws: 16, seed: 1 };

export interface CharacterizeOptions extends Partial<LutGrid> {
  /** Runs at once (one per weight level); default 1 (the machine is shared). */
  jobs?: number;
  /** Per ngspice run, milliseconds. */
  timeoutMs?: number;
  /** Called after each run (for a progress line). */
  onRun?: (done: number, total: number) => void;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The grid, checked: whole numbers, enough points per axis, a positive z range. */
export function resolveGrid(o: Partial<LutGrid> = {}): LutGrid {
  const g: LutGrid = { ...DEFAULT_LUT_GRID, ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) } as LutGrid;
  if (!(Number.isFinite(g.zMaxA) && g.zMaxA > 0 && g.zMaxA <= 1e-3)) throw usageError(YM.badGridValue('zMaxA', g.zMaxA, 'a current in (0, 1e-3] A'));
  for (const k of ['nZ', 'nV', 'nZSoma'] as const) {
    if (!Number.isInteger(g[k])) throw usageError(YM.badGridValue(k, g[k], 'a whole number of points'));
    if (g[k] < MIN_GRID_POINTS) throw usageError(YM.gridTooCoarse(k, g[k], MIN_GRID_POINTS));
    if (g[k] > 10001) throw usageError(YM.badGridValue(k, g[k], 'at most 10001 points'));
  }
  if (!Number.isInteger(g.mcDraws) || g.mcDraws < 2 || g.mcDraws > 200) throw usageError(YM.badGridValue('mcDraws', g.mcDraws, 'a whole number of draws in [2, 200]'));
  if (!Number.isInteger(g.seed) || g.seed < 0) throw usageError(YM.badGridValue('seed', g.seed, 'a whole number >= 0'));
  return g;
}

/** Threshold shifts (V) of the Monte Carlo draws: draws x SYNAPSE_MISMATCH_DEVICES, deterministic in the seed. */
export function mismatchDraws(g: LutGrid): number[][] {
  const rng = new Rng(g.seed);
  const sig = SYNAPSE_MISMATCH_DEVICES.map((n) => pelgromSigmaV(SYNAPSE_DEVICES.find((d) => d.name === n)!));
  return Array.from({ length: g.mcDraws }, () => sig.map((s) => Number((s * rng.normal()).toPrecision(6))));
}

const num = (x: number) => String(Number(x.toPrecision(12)));
export const zStepA = (g: LutGrid, n: number) => g.zMaxA / (n - 1);
export const vStepV = (g: LutGrid) => VCC_V / (g.nV - 1);

const TAPS = Array.from({ length: WGEN_TAPS }, (_, i) => i);

/** A WGEN instance reading the ladder's nodes t0..t8 (shared by every WGEN) under the select sources `prefix`. */
export const wgenLine = (name: string, prefix: string, waNode: string) =>
  `x${name} ${TAPS.map((i) => `t${i}`).join(' ')} ${TAPS.map((i) => `${prefix}s${i}`).join(' ')} ${TAPS.map((i) => `${prefix}sb${i}`).join(' ')} ${waNode} vcc wgen`;

/** Sources of one weight level's digital controls (WGEN one-hot select, sign selects), named by `prefix`. */
export function weightSourceLines(w: number, prefix: string): string[] {
  const c = weightControls(w);
  const k = TAPS;
  return [
    ...k.map((i) => `v${prefix}s${i} ${prefix}s${i} 0 ${logicV(c.select[i])}`),
    ...k.map((i) => `v${prefix}sb${i} ${prefix}sb${i} 0 ${logicV(!c.select[i])}`),
    `v${prefix}enp ${prefix}enp 0 ${logicV(c.enP)}`,
    `v${prefix}enpb ${prefix}enpb 0 ${logicV(!c.enP)}`,
    `v${prefix}enn ${prefix}enn 0 ${logicV(c.enN)}`,
    `v${prefix}ennb ${prefix}ennb 0 ${logicV(!c.enN)}`,
  ];
}

/** The ladder instance (one per deck). */
export const LADDER_LINE = `xladder ${Array.from({ length: WGEN_TAPS }, (_, i) => `t${i}`).join(' ')} vcc ladder`;

export const synapsePins = (prefix: string, an: string, ap: string, wa: string, out: string) =>
  `${an} ${ap} ${wa} ${prefix}enp ${prefix}enpb ${prefix}enn ${prefix}ennb ${out} vcc`;

/** The deck of one weight level: nominal synapse (o0) and the Monte Carlo copies (o1..oK) over the (v, z) grid. */
export function synapseDeck(w: number, g: LutGrid, draws: readonly (readonly number[])[]): string {
  const lines = [
    `* ohmnet characterize: synapse F(z, w=${w}, v), ${draws.length} Monte Carlo copies`,
    cellsText().trimEnd(),
    `vcc vcc 0 ${VCC_V}`,
    'iz vcc zs 0',
    'vzm zs zin 0',
    'xsoma zin ap vcc soma',
    LADDER_LINE,
    ...weightSourceLines(w, 'w'),
    'vv vz 0 0',
  ];
  const copies = [[0, 0, 0, 0], ...draws];
  copies.forEach((d, k) => {
    lines.push(`vm${k} vz o${k} 0`);
    const params = SYNAPSE_MISMATCH_DEVICES.map((n, j) => `dv${n}=${d[j]}`).join(' ');
    // Each copy has its own WGEN, as in the network (one per weight): the leakage of a synapse's sign-select
    // switches then loads its own WGEN only.
    lines.push(wgenLine(`wg${k}`, 'w', `wa${k}`));
    lines.push(`xs${k} ${synapsePins('w', 'zin', 'ap', `wa${k}`, `o${k}`)} syn params: ${params}`);
  });
  lines.push(
    '.options gmin=1e-12 abstol=1e-14 reltol=1e-4',
    '.control',
    'set wr_singlescale',
    // Stops a quarter step beyond the last point: ngspice accumulates the step and could drop the last point.
    `dc vv 0 ${num(VCC_V + vStepV(g) / 4)} ${num(vStepV(g))} iz 0 ${num(g.zMaxA + zStepA(g, g.nZ) / 4)} ${num(zStepA(g, g.nZ))}`,
    `wrdata syn.txt i(vzm) v(wa0) ${copies.map((_, k) => `i(vm${k})`).join(' ')}`,
    'quit',
    '.endc',
    '.end',
  );
  return lines.join('\n') + '\n';
}

/** The soma deck: H(z) = the node voltage (A_n) and A_p over the soma's z grid. */
export function somaDeck(g: LutGrid): string {
  return [
    '* ohmnet characterize: soma H(z)',
    cellsText().trimEnd(),
    `vcc vcc 0 ${VCC_V}`,
    'iz vcc zin 0',
    'xsoma zin ap vcc soma',
    '.options gmin=1e-12 abstol=1e-14 reltol=1e-4',
    '.control',
    'set wr_singlescale',
    `dc iz 0 ${num(g.zMaxA + zStepA(g, g.nZSoma) / 4)} ${num(zStepA(g, g.nZSoma))}`,
    'wrdata soma.txt v(zin) v(ap)',
    'quit',
    '.endc',
    '.end',
  ].join('\n') + '\n';
}

/** Every deck of a characterization, in order (the soma, then the weight levels): their SHA-256 is decksSha256. */
export function characterizationDecks(g: LutGrid): { soma: string; synapse: string[] } {
  const draws = mismatchDraws(g);
  return { soma: somaDeck(g), synapse: WEIGHT_LEVELS.map((w) => synapseDeck(w, g, draws)) };
}

export function decksSha256(g: LutGrid): string {
  const d = characterizationDecks(g);
  return sha256([d.soma, ...d.synapse].join(''));
}

export const netlistSha256 = (): string => sha256(cellsText());

const near = (a: number, b: number, scale: number) => Math.abs(a - b) <= 1e-6 * scale;

/** Runs the sweeps and returns the tables (LutData, as lut.ts stores them). */
export async function characterize(options: CharacterizeOptions = {}): Promise<LutData> {
  const g = resolveGrid(options);
  const jobs = Math.max(1, Math.floor(options.jobs ?? 1));
  const timeoutMs = options.timeoutMs ?? 600_000;
  const decks = characterizationDecks(g);
  const nW = WEIGHT_LEVELS.length;
  const K = g.mcDraws;
  const total = nW + 1;
  let done = 0;
  const tick = () => options.onRun?.(++done, total);

  const [somaRows] = await runNgspiceDeck('soma', decks.soma, ['soma.txt'], timeoutMs);
  tick();
  if (somaRows.length !== g.nZSoma) throw inputError(YM.ngspiceOutput('soma', `${somaRows.length} rows, expected ${g.nZSoma}`));
  const h = somaRows.map((r) => r[1]);
  const hAp = somaRows.map((r) => r[2]);

  const f = new Array<number>(g.nZ * nW * g.nV).fill(0);
  const sigma = new Array<number>(g.nZ * nW * g.nV).fill(0);
  const wgenLevelsV = new Array<number>(nW).fill(0);
  const runLevel = async (iw: number) => {
    const w = WEIGHT_LEVELS[iw];
    const [rows] = await runNgspiceDeck(`synapse w=${w}`, decks.synapse[iw], ['syn.txt'], timeoutMs);
    if (rows.length !== g.nZ * g.nV) throw inputError(YM.ngspiceOutput(`synapse w=${w}`, `${rows.length} rows, expected ${g.nZ * g.nV}`));
    const dz = zStepA(g, g.nZ);
    const dv = vStepV(g);
    for (let iz = 0; iz < g.nZ; iz++) {
      for (let iv = 0; iv < g.nV; iv++) {
        // wr_singlescale: the scale (v, the inner sweep), then i(vzm) (= z), v(wa), i(vm0..K).
        const r = rows[iz * g.nV + iv];
        if (r.length !== 3 + K + 1 || !near(r[0], iv * dv, VCC_V) || !near(r[1], iz * dz, g.zMaxA)) {
          throw inputError(YM.ngspiceOutput(`synapse w=${w}`, `row ${iz * g.nV + iv} is (${r.slice(0, 2).join(', ')}), expected (v ${iv * dv}, z ${iz * dz})`));
        }
        if (iz === 0 && iv === 0) wgenLevelsV[iw] = r[2];
        // F: current into the aggregating node = minus the current into the synapse's out pin.
        const at = (iz * nW + iw) * g.nV + iv;
        f[at] = -r[3];
        let mean = 0;
        for (let k = 1; k <= K; k++) mean += -r[3 + k];
        mean /= K;
        let ss = 0;
        for (let k = 1; k <= K; k++) ss += (-r[3 + k] - mean) ** 2;
        sigma[at] = Math.sqrt(ss / (K - 1));
      }
    }
    tick();
  };
  const queue = WEIGHT_LEVELS.map((_, i) => i);
  await Promise.all(
    Array.from({ length: Math.min(jobs, nW) }, async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) await runLevel(i);
    }),
  );
  return {
    format: LUT_FORMAT,
    version: LUT_VERSION,
    netlistSha256: netlistSha256(),
    decksSha256: sha256([decks.soma, ...decks.synapse].join('')),
    vccV: VCC_V,
    weightLevels: [...WEIGHT_LEVELS],
    grid: g,
    wgenLevelsV,
    f,
    sigma,
    h,
    hAp,
  };
}

/** One point of the synapse for a direct SPICE check: z (A), w (a level), v (V). */
export interface SynapseQuery {
  zA: number;
  w: number;
  vV: number;
  /** Threshold shifts (V) of SYNAPSE_MISMATCH_DEVICES, for a Monte Carlo copy; nominal without. */
  dvtV?: readonly number[];
}

/**
 * The nominal synapse's current at arbitrary points, straight from ngspice (.op of independent copies of the
 * characterization circuit in one deck: soma, WGEN, synapse, held output), for checking the tables off the grid.
 * Also returns the soma's node voltage at each z.
 */
export async function spiceSynapsePoints(points: readonly SynapseQuery[], timeoutMs = 120_000): Promise<{ sA: number[]; hV: number[] }> {
  const lines = ['* ohmnet: synapse at given points', cellsText().trimEnd(), `vcc vcc 0 ${VCC_V}`, LADDER_LINE];
  points.forEach((p, i) => {
    lines.push(
      `iz${i} vcc z${i} ${num(p.zA)}`,
      `xsoma${i} z${i} ap${i} vcc soma`,
      ...weightSourceLines(p.w, `q${i}`),
      wgenLine(`wg${i}`, `q${i}`, `wa${i}`),
      `vv${i} o${i} 0 ${num(p.vV)}`,
      `xs${i} ${synapsePins(`q${i}`, `z${i}`, `ap${i}`, `wa${i}`, `o${i}`)} syn${p.dvtV ? ` params: ${SYNAPSE_MISMATCH_DEVICES.map((n, j) => `dv${n}=${p.dvtV![j]}`).join(' ')}` : ''}`,
    );
  });
  const vecs = points.flatMap((_, i) => [`i(vv${i})`, `v(z${i})`]);
  lines.push('.options gmin=1e-12 abstol=1e-14 reltol=1e-4', '.control', 'set wr_singlescale', 'op', `wrdata points.txt ${vecs.join(' ')}`, 'quit', '.endc', '.end');
  const [rows] = await runNgspiceDeck('synapse points', lines.join('\n') + '\n', ['points.txt'], timeoutMs);
  const r = rows[0];
  if (!r || r.length !== 1 + vecs.length) throw inputError(YM.ngspiceOutput('synapse points', `${r?.length ?? 0} values, expected ${1 + vecs.length}`));
  // vv holds o at v: the current the synapse drives into o enters vv's + terminal, and ngspice's i(vv) is the current
  // from + through the source to -: F = i(vv).
  return { sA: points.map((_, i) => r[1 + 2 * i]), hV: points.map((_, i) => r[2 + 2 * i]) };
}

/** Reads a LUT file and checks it against these cells and its own grid's decks: the curves for training
 * (`train --synapse lut:FILE`). */
export function loadSynapseLut(path: string): SynapseLut {
  return SynapseLut.fromFile(path, decksSha256);
}
