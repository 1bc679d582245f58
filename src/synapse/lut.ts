// The look-up tables of the non-linear synapse (issue 16, C15; seed 002 §III-A): the file format that
// `ohmnet characterize` writes (characterize.ts) and `SynapseLut`, which implements SynapseCurves (curves.ts) over
// it: trilinear interpolation for F(z, w, v), linear for H(z), trilinear for the Monte Carlo spread.
//
// Derivatives: those of the interpolant itself (numerical, from the grid: differences of the corner values divided
// by the grid step, blended by the other two axes' weights), so that F and its derivatives agree exactly inside a
// cell and a finite-difference check of a gradient built on them passes (up to the kinks at grid lines, where the
// derivative is the one of the cell above). Outside the grid a query is clamped and the derivative along a clamped
// axis is 0 (the clamped function is flat there).
//
// The file: JSON, `format` "ohmnet-synapse-lut", version 1; `netlistSha256` is the SHA-256 of the cells' netlist
// text (cells.ts cellsText) and `decksSha256` the SHA-256 of every characterization deck (cells, grid, Monte Carlo
// draws); a file whose netlist is not this ohmnet's cells is refused ("LUT file was made from a different netlist
// ..."), as is one whose decks do not match its grid, or whose grid is coarser than MIN_GRID_POINTS per axis.
// F and sigma are stored [z][w][v] (v fastest), amperes; H and A_p per soma z point, volts.

import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { inputError } from '../errors.js';
import { SYNAPSE_MESSAGES as YM } from '../messages/synapse.js';
import { readTextFile } from '../util/read-file.js';
import { cellsText, WEIGHT_LEVELS } from './cells.js';
import type { SomaPoint, SynapseCurves, SynapsePoint } from './curves.js';

export const LUT_FORMAT = 'ohmnet-synapse-lut';
export const LUT_VERSION = 1;
/** Fewest points per axis of a table (z, v and the soma's z): below it the interpolation error is not bounded by
 * anything we measured (docs/synapse.md). */
export const MIN_GRID_POINTS = 8;

export interface LutGrid {
  /** The z axis of F and H: [0, zMaxA] amperes. */
  zMaxA: number;
  /** Points of F's z axis. */
  nZ: number;
  /** Points of F's v axis over [0, Vcc]. */
  nV: number;
  /** Points of H's z axis. */
  nZSoma: number;
  /** Monte Carlo draws per grid point for the spread. */
  mcDraws: number;
  /** Seed of the draws. */
  seed: number;
}

export interface LutData {
  format: typeof LUT_FORMAT;
  version: typeof LUT_VERSION;
  netlistSha256: string;
  decksSha256: string;
  vccV: number;
  weightLevels: number[];
  grid: LutGrid;
  /** The WGEN's output voltage per weight level (measured). */
  wgenLevelsV: number[];
  f: number[];
  sigma: number[];
  h: number[];
  hAp: number[];
}

/** Operation counts of one evaluation, as seed 002 counts them (@13842: F 11 reads, 10 mul/div, 20 add/sub; H 3
 * reads, 2 mul/div, 4 add/sub; a linear synapse 2 reads, 1 mul). Ours, read off the code below: reads are the 8
 * corner values (2 for H) plus the axis constants (origin and inverse step per axis); comparisons of the clamp are
 * not counted (nor are they in the paper). */
export const F_COST = { reads: 8 + 6, mulDiv: 10, addSub: 20 } as const;
/** What the three partial derivatives add to F's evaluation (they reuse its corners and lerps). */
export const F_DERIVATIVE_COST = { reads: 0, mulDiv: 2 + 3 + 5, addSub: 0 + 2 + 6 } as const;
/** H: 2 corner reads and the inverse step (the z axis starts at 0: no origin to subtract). */
export const H_COST = { reads: 2 + 1, mulDiv: 2, addSub: 3 } as const;
export const H_DERIVATIVE_COST = { reads: 0, mulDiv: 2, addSub: 0 } as const;

export interface LutCounters {
  fEvaluations: number;
  hEvaluations: number;
  sigmaEvaluations: number;
  /** Queries outside a table's range (clamped). */
  clamped: number;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The file text: deterministic JSON (fixed key order, numbers as JSON prints them). */
export function serializeLut(d: LutData): string {
  const { format, version, netlistSha256, decksSha256, vccV, weightLevels, grid, wgenLevelsV, f, sigma, h, hAp } = d;
  const g = { zMaxA: grid.zMaxA, nZ: grid.nZ, nV: grid.nV, nZSoma: grid.nZSoma, mcDraws: grid.mcDraws, seed: grid.seed };
  return JSON.stringify({ format, version, netlistSha256, decksSha256, vccV, weightLevels, grid: g, wgenLevelsV, f, sigma, h, hAp }) + '\n';
}

const isNums = (a: unknown, n: number): a is number[] => Array.isArray(a) && a.length === n && a.every((x) => typeof x === 'number' && Number.isFinite(x));

/**
 * Parses and checks a LUT file's text. `decksHash`, when given, recomputes the characterization decks' SHA-256 from
 * the file's grid (characterize.ts decksSha256; passed in to keep this module free of the deck builder).
 */
export function parseLut(text: string, file: string, decksHash?: (g: LutGrid) => string): LutData {
  const name = basename(file);
  let d: Record<string, unknown>;
  try {
    d = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw inputError(YM.notLut(name, 'not JSON'));
  }
  if (d === null || typeof d !== 'object' || d.format !== LUT_FORMAT) throw inputError(YM.notLut(name, `format is not "${LUT_FORMAT}"`));
  if (d.version !== LUT_VERSION) throw inputError(YM.notLut(name, `version ${String(d.version)}, this ohmnet reads ${LUT_VERSION}`));
  const cellsHash = sha256(cellsText());
  if (d.netlistSha256 !== cellsHash) throw inputError(YM.otherNetlist(name, String(d.netlistSha256), cellsHash));
  const g = d.grid as LutGrid | undefined;
  if (!g || typeof g !== 'object') throw inputError(YM.notLut(name, 'no grid'));
  for (const [k, v] of [['nZ', g.nZ], ['nV', g.nV], ['nZSoma', g.nZSoma]] as const) {
    if (!Number.isInteger(v)) throw inputError(YM.notLut(name, `grid.${k} is not a whole number`));
    if (v < MIN_GRID_POINTS) throw inputError(YM.gridTooCoarse(k, v, MIN_GRID_POINTS));
  }
  if (!(typeof g.zMaxA === 'number' && g.zMaxA > 0)) throw inputError(YM.notLut(name, 'grid.zMaxA is not a positive current'));
  const levels = d.weightLevels;
  if (!isNums(levels, WEIGHT_LEVELS.length) || levels.some((w, i) => w !== WEIGHT_LEVELS[i])) throw inputError(YM.notLut(name, 'weight levels differ from the cells\''));
  const nF = g.nZ * levels.length * g.nV;
  if (!isNums(d.f, nF) || !isNums(d.sigma, nF)) throw inputError(YM.notLut(name, `F and sigma must hold ${nF} finite numbers each`));
  if (!isNums(d.h, g.nZSoma) || !isNums(d.hAp, g.nZSoma)) throw inputError(YM.notLut(name, `H and A_p must hold ${g.nZSoma} finite numbers each`));
  if (!isNums(d.wgenLevelsV, levels.length) || typeof d.vccV !== 'number') throw inputError(YM.notLut(name, 'no WGEN levels or Vcc'));
  if (decksHash && d.decksSha256 !== decksHash(g)) throw inputError(YM.otherDecks(name));
  return d as unknown as LutData;
}

/** Reads and checks a LUT file (see parseLut). */
export function readLutFile(path: string, decksHash?: (g: LutGrid) => string): LutData {
  const text = readTextFile(path, { maxBytes: 64 * 1024 * 1024, what: 'a synapse LUT file', hint: 'make a smaller grid with ohmnet characterize' });
  return parseLut(text, path, decksHash);
}

/** SynapseCurves over the SPICE tables: trilinear F and sigma, linear H. */
export class SynapseLut implements SynapseCurves {
  readonly vccV: number;
  readonly weightLevels: readonly number[];
  readonly zRangeA: readonly [number, number];
  readonly vRangeV: readonly [number, number];
  readonly counters: LutCounters = { fEvaluations: 0, hEvaluations: 0, sigmaEvaluations: 0, clamped: 0 };
  private readonly f: Float64Array;
  private readonly s: Float64Array;
  private readonly h: Float64Array;
  private readonly nZ: number;
  private readonly nW: number;
  private readonly nV: number;
  private readonly nH: number;
  // Axis constants: origin and inverse step.
  private readonly z0: number;
  private readonly zInv: number;
  private readonly w0: number;
  private readonly wInv: number;
  private readonly v0: number;
  private readonly vInv: number;
  private readonly hInv: number;

  constructor(readonly data: LutData) {
    const g = data.grid;
    this.vccV = data.vccV;
    this.weightLevels = data.weightLevels;
    this.zRangeA = [0, g.zMaxA];
    this.vRangeV = [0, data.vccV];
    this.f = Float64Array.from(data.f);
    this.s = Float64Array.from(data.sigma);
    this.h = Float64Array.from(data.h);
    this.nZ = g.nZ;
    this.nW = data.weightLevels.length;
    this.nV = g.nV;
    this.nH = g.nZSoma;
    this.z0 = 0;
    this.zInv = (g.nZ - 1) / g.zMaxA;
    this.w0 = data.weightLevels[0];
    this.wInv = (this.nW - 1) / (data.weightLevels[this.nW - 1] - this.w0);
    this.v0 = 0;
    this.vInv = (g.nV - 1) / data.vccV;
    this.hInv = (g.nZSoma - 1) / g.zMaxA;
  }

  /** Reads a LUT file, checks it and builds the curves (decksHash: see parseLut). */
  static fromFile(path: string, decksHash?: (g: LutGrid) => string): SynapseLut {
    return new SynapseLut(readLutFile(path, decksHash));
  }

  synapse(zA: number, w: number, vV: number, out: SynapsePoint): void {
    this.counters.fEvaluations++;
    // Per axis: u = (x - x0) * inv (2 reads, 1 sub, 1 mul), clamp, i = floor(u), t = u - i (1 sub).
    let uz = (zA - this.z0) * this.zInv;
    let uw = (w - this.w0) * this.wInv;
    let uv = (vV - this.v0) * this.vInv;
    let kz = 1;
    let kw = 1;
    let kv = 1;
    const mz = this.nZ - 1;
    const mw = this.nW - 1;
    const mv = this.nV - 1;
    if (!(uz >= 0)) (uz = 0), (kz = 0);
    else if (uz > mz) (uz = mz), (kz = 0);
    if (!(uw >= 0)) (uw = 0), (kw = 0);
    else if (uw > mw) (uw = mw), (kw = 0);
    if (!(uv >= 0)) (uv = 0), (kv = 0);
    else if (uv > mv) (uv = mv), (kv = 0);
    if (kz === 0 || kw === 0 || kv === 0) this.counters.clamped++;
    let iz = Math.floor(uz);
    let iw = Math.floor(uw);
    let iv = Math.floor(uv);
    if (iz === mz) iz--;
    if (iw === mw) iw--;
    if (iv === mv) iv--;
    const tz = uz - iz;
    const tw = uw - iw;
    const tv = uv - iv;
    // 8 corner reads.
    const f = this.f;
    const nV = this.nV;
    const base = (iz * this.nW + iw) * nV + iv;
    const sW = nV;
    const sZ = this.nW * nV;
    const c000 = f[base];
    const c001 = f[base + 1];
    const c010 = f[base + sW];
    const c011 = f[base + sW + 1];
    const c100 = f[base + sZ];
    const c101 = f[base + sZ + 1];
    const c110 = f[base + sZ + sW];
    const c111 = f[base + sZ + sW + 1];
    // 4 lerps along v (each a + t (b - a): 1 mul, 2 add/sub).
    const d00 = c001 - c000;
    const d01 = c011 - c010;
    const d10 = c101 - c100;
    const d11 = c111 - c110;
    const a00 = c000 + tv * d00;
    const a01 = c010 + tv * d01;
    const a10 = c100 + tv * d10;
    const a11 = c110 + tv * d11;
    // 2 lerps along w.
    const e0 = a01 - a00;
    const e1 = a11 - a10;
    const b0 = a00 + tw * e0;
    const b1 = a10 + tw * e1;
    // 1 lerp along z.
    const g = b1 - b0;
    out.sA = b0 + tz * g;
    // Derivatives of the interpolant (F_DERIVATIVE_COST).
    out.dSdZ = kz * g * this.zInv;
    out.dSdW = kw * (e0 + tz * (e1 - e0)) * this.wInv;
    const q0 = d00 + tw * (d01 - d00);
    const q1 = d10 + tw * (d11 - d10);
    out.dSdV = kv * (q0 + tz * (q1 - q0)) * this.vInv;
  }

  soma(zA: number, out: SomaPoint): void {
    this.counters.hEvaluations++;
    let u = zA * this.hInv;
    let k = 1;
    const m = this.nH - 1;
    if (!(u >= 0)) (u = 0), (k = 0);
    else if (u > m) (u = m), (k = 0);
    if (k === 0) this.counters.clamped++;
    let i = Math.floor(u);
    if (i === m) i--;
    const t = u - i;
    const h0 = this.h[i];
    const d = this.h[i + 1] - h0;
    out.vV = h0 + t * d;
    out.dVdZ = k * d * this.hInv;
  }

  synapseSigmaA(zA: number, w: number, vV: number, areaScale: number): number {
    this.counters.sigmaEvaluations++;
    const cl = (u: number, m: number) => (u >= 0 ? (u > m ? m : u) : 0);
    const uz = cl(zA * this.zInv, this.nZ - 1);
    const uw = cl((w - this.w0) * this.wInv, this.nW - 1);
    const uv = cl(vV * this.vInv, this.nV - 1);
    const iz = Math.min(Math.floor(uz), this.nZ - 2);
    const iw = Math.min(Math.floor(uw), this.nW - 2);
    const iv = Math.min(Math.floor(uv), this.nV - 2);
    const tz = uz - iz;
    const tw = uw - iw;
    const tv = uv - iv;
    const s = this.s;
    const nV = this.nV;
    const sZ = this.nW * nV;
    const at = (dz: number, dw: number, dv: number) => s[(iz + dz) * sZ + (iw + dw) * nV + iv + dv];
    const lv = (dz: number, dw: number) => at(dz, dw, 0) + tv * (at(dz, dw, 1) - at(dz, dw, 0));
    const b0 = lv(0, 0) + tw * (lv(0, 1) - lv(0, 0));
    const b1 = lv(1, 0) + tw * (lv(1, 1) - lv(1, 0));
    return (b0 + tz * (b1 - b0)) / Math.sqrt(areaScale);
  }
}
