// The crossbar solver with line resistance (IR drop), in badcrossbar's conventions (joksas/badcrossbar; Joksas and
// Mehonic, SoftwareX 12:100617, 2020): resistances R[wordLine][bitLine] in ohms, applied voltages V[wordLine][inputSet];
// each word line is driven at its left end and each bit line is held at 0 V at its bottom, each through one
// interconnect segment; every word line has one segment to the left of each of its nodes, every bit line one segment
// below each of its nodes. The unknowns are the 2 * rows * columns node voltages (word-line nodes, then bit-line
// nodes, as badcrossbar orders them); the nodal matrix is symmetric positive definite.
//
// Two solvers, both float64 and hand-written:
// - exact: the nodal system ordered by nested dissection and factored once as L D L^T (solve-sparse.ts), every input
//   set solved with the same factor. A banded Cholesky (half-bandwidth 2 * min(rows, columns)) is kept as a second,
//   independent direct solver for the tests (BandedCholesky). Ideal lines (0 ohm) remove their nodes: with ideal
//   word lines every bit line is an independent tridiagonal chain (and vice versa), solved exactly by the Thomas
//   algorithm; with both ideal, I = G V.
// - iterative: conjugate gradients preconditioned by the exact line solves (every word line and every bit line a
//   tridiagonal chain, block Jacobi), for 256 x 256 and larger; it stops at ||b - A v|| / ||b|| <= toleranceRel.
//
// Segment currents are summed from the device currents (Kirchhoff's current law along each line), which holds for
// any interconnect, ideal lines included, and avoids the cancellation of a voltage difference over a tiny segment.
// badcrossbar divides the segment's voltage difference by its resistance; both are the same current.

import { inputError } from '../errors.js';
import { CROSSBAR_MESSAGES as XM } from '../messages/crossbar.js';
import { CROSSBAR_DEFAULTS } from '../presets/defaults.js';
import { SparseLdl } from './solve-sparse.js';

export const CROSSBAR_SOLVERS = ['auto', 'exact', 'iterative'] as const;
export type CrossbarSolverName = (typeof CROSSBAR_SOLVERS)[number];

/** Interconnect resistance per segment: one value for all, or word and bit lines separately (badcrossbar's r_i_word_line, r_i_bit_line). */
export interface CrossbarSolveOptions {
  /** Resistance of every line segment in ohms (default 0: ideal lines). */
  interconnectOhm?: number;
  /** Resistance of each word-line segment in ohms (default interconnectOhm). */
  interconnectWordOhm?: number;
  /** Resistance of each bit-line segment in ohms (default interconnectOhm). */
  interconnectBitOhm?: number;
  /** auto (exact up to CROSSBAR_DEFAULTS.autoExactMaxCells devices, iterative beyond), exact or iterative. */
  solver?: CrossbarSolverName;
  /** Iterative solver: stop at this relative residual (default CROSSBAR_DEFAULTS.toleranceRel). */
  toleranceRel?: number;
  /** Iterative solver: give up after this many CG iterations per input set. */
  maxIterations?: number;
}

/** A crossbar as the solver sees it: conductances in siemens, row-major [wordLine * columns + bitLine]. */
export interface CrossbarArray {
  rows: number;
  columns: number;
  conductancesS: Float64Array;
}

/** Node voltages of every input set, flat: wordV[k][i * columns + j], bitV[k][i * columns + j]. */
export interface CrossbarNodeVoltages {
  rows: number;
  columns: number;
  inputSets: number;
  wordV: Float64Array[];
  bitV: Float64Array[];
  /** The method that produced them ('ideal', 'chains', 'sparse-ldl' or 'pcg-line'). */
  method: string;
  /** CG iterations per input set (0 for the direct methods). */
  iterations: number[];
  /** The largest ||b - A v|| / ||b|| over the input sets (0 with both lines ideal: nothing was solved). */
  residualRel: number;
  interconnectWordOhm: number;
  interconnectBitOhm: number;
}

/** The solution in badcrossbar's shapes: [row][column][inputSet], output currents [inputSet][column]. */
export interface CrossbarSolution {
  rows: number;
  columns: number;
  inputSets: number;
  interconnectWordOhm: number;
  interconnectBitOhm: number;
  solver: { method: string; iterations: number[]; residualRel: number; toleranceRel: number | null };
  /** Current through each device, word line to bit line, in amperes. */
  deviceCurrentsA: number[][][];
  /** Current through the word-line segment to the left of each node, flowing right (away from the driver). */
  wordLineCurrentsA: number[][][];
  /** Current through the bit-line segment below each node, flowing down (to the grounded end). */
  bitLineCurrentsA: number[][][];
  /** Current out of the bottom of each bit line into the 0 V sense node, [inputSet][column] (badcrossbar's currents.output). */
  outputCurrentsA: number[][];
  wordLineVoltagesV: number[][][];
  bitLineVoltagesV: number[][][];
}

interface Resolved {
  rw: number;
  rb: number;
  solver: CrossbarSolverName;
  toleranceRel: number;
  maxIterations: number;
}

function resolveOptions(o: CrossbarSolveOptions): Resolved {
  const check = (name: string, v: number | undefined): void => {
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 0)) throw inputError(XM.badInterconnect(name, v));
  };
  check('interconnectOhm', o.interconnectOhm);
  check('interconnectWordOhm', o.interconnectWordOhm);
  check('interconnectBitOhm', o.interconnectBitOhm);
  const base = o.interconnectOhm ?? 0;
  const solver = o.solver ?? CROSSBAR_DEFAULTS.solver;
  if (!(CROSSBAR_SOLVERS as readonly string[]).includes(solver)) throw inputError(XM.unknownSolver(String(solver), CROSSBAR_SOLVERS));
  const toleranceRel = o.toleranceRel ?? CROSSBAR_DEFAULTS.toleranceRel;
  if (!(typeof toleranceRel === 'number' && toleranceRel >= 1e-15 && toleranceRel <= 1e-3)) throw inputError(XM.badTolerance(toleranceRel));
  const maxIterations = o.maxIterations ?? CROSSBAR_DEFAULTS.maxIterations;
  return { rw: o.interconnectWordOhm ?? base, rb: o.interconnectBitOhm ?? base, solver, toleranceRel, maxIterations };
}

/** A rectangular, non-empty matrix of numbers, or an error naming `what` (the option) and the fix. */
function checkMatrix(what: string, a: unknown): number[][] {
  if (!Array.isArray(a) || a.length === 0 || !Array.isArray(a[0]) || a[0].length === 0) throw inputError(XM.notMatrix(what));
  const width = (a[0] as unknown[]).length;
  a.forEach((row, i) => {
    if (!Array.isArray(row)) throw inputError(XM.notMatrix(what));
    if (row.length !== width) throw inputError(XM.ragged(what, i, row.length, width));
  });
  return a as number[][];
}

/** Device resistances (ohms, word lines x bit lines) as a CrossbarArray; Infinity is an open device. */
export function crossbarFromResistances(resistancesOhm: unknown): CrossbarArray {
  const r = checkMatrix('resistances', resistancesOhm);
  const rows = r.length;
  const columns = r[0].length;
  const g = new Float64Array(rows * columns);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < columns; j++) {
      const v = r[i][j];
      if (typeof v !== 'number' || !(v > 0)) throw inputError(XM.badResistance(i, j, v));
      g[i * columns + j] = 1 / v;
    }
  return { rows, columns, conductancesS: g };
}

/** Device conductances (siemens, word lines x bit lines) as a CrossbarArray. */
export function crossbarFromConductances(conductancesS: unknown): CrossbarArray {
  const c = checkMatrix('conductances', conductancesS);
  const rows = c.length;
  const columns = c[0].length;
  const g = new Float64Array(rows * columns);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < columns; j++) {
      const v = c[i][j];
      if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw inputError(XM.badConductance(i, j, v));
      g[i * columns + j] = v;
    }
  return { rows, columns, conductancesS: g };
}

/** Applied voltages (word lines x input sets) as one Float64Array per input set. */
export function voltageSets(voltagesV: unknown, wordLines: number): Float64Array[] {
  const v = checkMatrix('voltages', voltagesV);
  if (v.length !== wordLines) throw inputError(XM.voltageRows(v.length, wordLines));
  const sets = v[0].length;
  const out = Array.from({ length: sets }, () => new Float64Array(wordLines));
  for (let i = 0; i < wordLines; i++)
    for (let k = 0; k < sets; k++) {
      const x = v[i][k];
      if (typeof x !== 'number' || !Number.isFinite(x)) throw inputError(XM.badVoltage(i, k, x));
      out[k][i] = x;
    }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The nodal system. Unknown x = [word nodes (i * n + j), bit nodes (m * n + i * n + j)]:
//   word (i, j): (g_ij + gw * (j < n-1 ? 2 : 1)) W_ij - gw W_i,j-1 - gw W_i,j+1 - g_ij B_ij = (j == 0 ? gw V_i : 0)
//   bit  (i, j): (g_ij + gb * (i > 0 ? 2 : 1))   B_ij - gb B_i-1,j - gb B_i+1,j - g_ij W_ij = 0
// ---------------------------------------------------------------------------------------------------------------

/** A x for the nodal matrix (both lines resistive). */
function applyNodal(a: CrossbarArray, gw: number, gb: number, x: Float64Array, y: Float64Array): void {
  const { rows: m, columns: n, conductancesS: g } = a;
  const off = m * n;
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      const p = i * n + j;
      const gij = g[p];
      const w = x[p];
      const b = x[off + p];
      let yw = (gij + gw * (j < n - 1 ? 2 : 1)) * w - gij * b;
      if (j > 0) yw -= gw * x[p - 1];
      if (j < n - 1) yw -= gw * x[p + 1];
      let yb = (gij + gb * (i > 0 ? 2 : 1)) * b - gij * w;
      if (i > 0) yb -= gb * x[off + p - n];
      if (i < m - 1) yb -= gb * x[off + p + n];
      y[p] = yw;
      y[off + p] = yb;
    }
}

function rhsOf(a: CrossbarArray, gw: number, v: Float64Array): Float64Array {
  const { rows: m, columns: n } = a;
  const b = new Float64Array(2 * m * n);
  for (let i = 0; i < m; i++) b[i * n] = gw * v[i];
  return b;
}

const norm2 = (x: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
};

/** ||b - A x|| / ||b|| of the full nodal system. */
function nodalResidual(a: CrossbarArray, gw: number, gb: number, v: Float64Array, x: Float64Array): number {
  const b = rhsOf(a, gw, v);
  const ax = new Float64Array(b.length);
  applyNodal(a, gw, gb, x, ax);
  for (let i = 0; i < b.length; i++) ax[i] = b[i] - ax[i];
  const nb = norm2(b);
  return nb === 0 ? norm2(ax) : norm2(ax) / nb;
}

/**
 * A symmetric tridiagonal chain factored for repeated solves (Thomas algorithm): diagonal d, off-diagonal -c
 * (the same on every link). Solve overwrites r with the solution.
 */
class Chain {
  private readonly inv: Float64Array;
  private readonly up: Float64Array;
  constructor(readonly d: Float64Array, readonly c: number) {
    const len = d.length;
    this.inv = new Float64Array(len);
    this.up = new Float64Array(len);
    let prev = 0;
    for (let k = 0; k < len; k++) {
      const piv = d[k] - c * c * prev;
      this.inv[k] = 1 / piv;
      this.up[k] = -c / piv;
      prev = 1 / piv;
    }
  }
  /** Solves the chain for right-hand side values read by get(k) and written by set(k, x). */
  solve(get: (k: number) => number, set: (k: number, x: number) => void, tmp: Float64Array): void {
    const len = this.d.length;
    // forward: y_k = (r_k + c y_{k-1}) / piv_k
    let y = 0;
    for (let k = 0; k < len; k++) {
      y = (get(k) + this.c * y) * this.inv[k];
      tmp[k] = y;
    }
    // backward: x_k = y_k - up_k x_{k+1}
    let x = tmp[len - 1];
    set(len - 1, x);
    for (let k = len - 2; k >= 0; k--) {
      x = tmp[k] - this.up[k] * x;
      set(k, x);
    }
  }
}

function wordChain(a: CrossbarArray, i: number, gw: number): Chain {
  const n = a.columns;
  const d = new Float64Array(n);
  for (let j = 0; j < n; j++) d[j] = a.conductancesS[i * n + j] + gw * (j < n - 1 ? 2 : 1);
  return new Chain(d, gw);
}

function bitChain(a: CrossbarArray, j: number, gb: number): Chain {
  const { rows: m, columns: n } = a;
  const d = new Float64Array(m);
  for (let i = 0; i < m; i++) d[i] = a.conductancesS[i * n + j] + gb * (i > 0 ? 2 : 1);
  return new Chain(d, gb);
}

/** Bytes of the banded Cholesky factor of an array this size. */
export function bandedFactorBytes(rows: number, columns: number): number {
  return 2 * rows * columns * (2 * Math.min(rows, columns) + 1) * 8;
}

/**
 * The nodal matrix in band form, factored by Cholesky (A = L L^T). Node order: word and bit node of (i, j) adjacent,
 * (i, j) row-major when columns <= rows (word neighbours 2 apart, bit neighbours 2n apart) else column-major, so the
 * half-bandwidth is 2 * min(rows, columns). Row r of L is stored at band[r * (hb + 1) + (c - r + hb)] for c in [r - hb, r].
 */
export class BandedCholesky {
  readonly size: number;
  readonly hb: number;
  private readonly band: Float64Array;
  private readonly order: Int32Array; // nodal index (word p, bit off + p) -> band index
  constructor(a: CrossbarArray, gw: number, gb: number) {
    const { rows: m, columns: n, conductancesS: g } = a;
    const bytes = bandedFactorBytes(m, n);
    if (bytes > CROSSBAR_DEFAULTS.exactMaxBytes) throw inputError(XM.exactTooLarge(m, n, bytes));
    const rowMajor = n <= m;
    const hb = 2 * (rowMajor ? n : m);
    const size = 2 * m * n;
    this.size = size;
    this.hb = hb;
    const w = hb + 1;
    const band = new Float64Array(size * w);
    const order = new Int32Array(size);
    const idx = (i: number, j: number, t: number) => 2 * (rowMajor ? i * n + j : j * m + i) + t;
    const off = m * n;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        order[i * n + j] = idx(i, j, 0);
        order[off + i * n + j] = idx(i, j, 1);
      }
    // Lower triangle entry (r, c), c <= r.
    const put = (r: number, c: number, v: number) => {
      if (c > r) [r, c] = [c, r];
      band[r * w + (c - r + hb)] += v;
    };
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        const gij = g[i * n + j];
        const wi = idx(i, j, 0);
        const bi = idx(i, j, 1);
        put(wi, wi, gij + gw * (j < n - 1 ? 2 : 1));
        put(bi, bi, gij + gb * (i > 0 ? 2 : 1));
        put(bi, wi, -gij);
        if (j < n - 1) put(idx(i, j + 1, 0), wi, -gw);
        if (i < m - 1) put(idx(i + 1, j, 1), bi, -gb);
      }
    // In-place banded Cholesky, row by row.
    for (let r = 0; r < size; r++) {
      const r0 = Math.max(0, r - hb);
      const rb = r * w - r + hb; // band[rb + c] = L[r][c]
      for (let c = r0; c <= r; c++) {
        const cb = c * w - c + hb;
        const k0 = Math.max(r0, c - hb);
        let s = band[rb + c];
        for (let k = k0; k < c; k++) s -= band[rb + k] * band[cb + k];
        if (c < r) band[rb + c] = s / band[cb + c];
        else {
          if (!(s > 0)) throw new Error(`crossbar nodal matrix not positive definite at row ${r} (pivot ${s})`);
          band[rb + r] = Math.sqrt(s);
        }
      }
    }
    this.band = band;
    this.order = order;
  }
  /** Solves A x = b (b, x in nodal order). */
  solve(b: Float64Array): Float64Array {
    const { size, hb, band, order } = this;
    const w = hb + 1;
    const y = new Float64Array(size);
    for (let p = 0; p < size; p++) y[order[p]] = b[p];
    for (let r = 0; r < size; r++) {
      const rb = r * w - r + hb;
      let s = y[r];
      for (let k = Math.max(0, r - hb); k < r; k++) s -= band[rb + k] * y[k];
      y[r] = s / band[rb + r];
    }
    for (let r = size - 1; r >= 0; r--) {
      const rb = r * w - r + hb;
      const xr = y[r] / band[rb + r];
      y[r] = xr;
      for (let k = Math.max(0, r - hb); k < r; k++) y[k] -= band[rb + k] * xr;
    }
    const x = new Float64Array(size);
    for (let p = 0; p < size; p++) x[p] = y[order[p]];
    return x;
  }
}

/** The line (block Jacobi) preconditioner: every word line and every bit line solved exactly as a chain. */
class LinePreconditioner {
  private readonly words: Chain[];
  private readonly bits: Chain[];
  private readonly tmp: Float64Array;
  constructor(private readonly a: CrossbarArray, gw: number, gb: number) {
    this.words = Array.from({ length: a.rows }, (_, i) => wordChain(a, i, gw));
    this.bits = Array.from({ length: a.columns }, (_, j) => bitChain(a, j, gb));
    this.tmp = new Float64Array(Math.max(a.rows, a.columns));
  }
  apply(r: Float64Array, z: Float64Array): void {
    const { rows: m, columns: n } = this.a;
    const off = m * n;
    for (let i = 0; i < m; i++) {
      const base = i * n;
      this.words[i].solve((k) => r[base + k], (k, x) => (z[base + k] = x), this.tmp);
    }
    for (let j = 0; j < n; j++) {
      const base = off + j;
      this.bits[j].solve((k) => r[base + k * n], (k, x) => (z[base + k * n] = x), this.tmp);
    }
  }
}

/** Preconditioned conjugate gradients on the nodal system; returns the solution and the iterations. */
function pcg(a: CrossbarArray, gw: number, gb: number, pre: LinePreconditioner, b: Float64Array, tol: number, maxIt: number): { x: Float64Array; iterations: number } {
  const size = b.length;
  const x = new Float64Array(size);
  const r = Float64Array.from(b);
  const z = new Float64Array(size);
  const q = new Float64Array(size);
  const nb = norm2(b);
  if (nb === 0) return { x, iterations: 0 };
  pre.apply(r, z);
  const p = Float64Array.from(z);
  let rz = 0;
  for (let k = 0; k < size; k++) rz += r[k] * z[k];
  let it = 0;
  let rn = nb;
  while (rn > tol * nb) {
    if (it >= maxIt) throw inputError(XM.notConverged(it, rn / nb, tol));
    applyNodal(a, gw, gb, p, q);
    let pq = 0;
    for (let k = 0; k < size; k++) pq += p[k] * q[k];
    const alpha = rz / pq;
    let s = 0;
    for (let k = 0; k < size; k++) {
      x[k] += alpha * p[k];
      r[k] -= alpha * q[k];
      s += r[k] * r[k];
    }
    rn = Math.sqrt(s);
    it++;
    if (rn <= tol * nb) break;
    pre.apply(r, z);
    let rzNew = 0;
    for (let k = 0; k < size; k++) rzNew += r[k] * z[k];
    const beta = rzNew / rz;
    rz = rzNew;
    for (let k = 0; k < size; k++) p[k] = z[k] + beta * p[k];
  }
  return { x, iterations: it };
}

interface SolveInfo {
  method: string;
  iterations: number[];
  residualRel: number;
  interconnectWordOhm: number;
  interconnectBitOhm: number;
}

/**
 * Solves every input set with one factorization (or one preconditioner) and hands each set's word and bit node
 * voltages to visit, so that callers keep only what they need (a layer keeps the output currents of thousands of sets).
 */
export function solveCrossbarEach(a: CrossbarArray, sets: Float64Array[], options: CrossbarSolveOptions, visit: (set: number, wordV: Float64Array, bitV: Float64Array) => void): SolveInfo {
  const o = resolveOptions(options);
  const { rows: m, columns: n, conductancesS: g } = a;
  if (!(m >= 1 && n >= 1)) throw inputError(XM.notMatrix('resistances'));
  for (const v of sets) if (v.length !== m) throw inputError(XM.voltageRows(v.length, m));
  const base = { interconnectWordOhm: o.rw, interconnectBitOhm: o.rb };
  const iterations: number[] = [];
  let residualRel = 0;
  const tmp = new Float64Array(Math.max(m, n));
  if (o.rw === 0 && o.rb === 0) {
    sets.forEach((v, k) => {
      const w = new Float64Array(m * n);
      for (let i = 0; i < m; i++) w.fill(v[i], i * n, (i + 1) * n);
      visit(k, w, new Float64Array(m * n));
      iterations.push(0);
    });
    return { ...base, method: 'ideal', iterations, residualRel };
  }
  if (o.rw === 0 || o.rb === 0) {
    // One kind of line is ideal: its nodes are known, and each line of the other kind is an independent chain.
    const gb = 1 / o.rb;
    const gw = 1 / o.rw;
    const chains = o.rw === 0 ? Array.from({ length: n }, (_, j) => bitChain(a, j, gb)) : Array.from({ length: m }, (_, i) => wordChain(a, i, gw));
    sets.forEach((v, set) => {
      const w = new Float64Array(m * n);
      const b = new Float64Array(m * n);
      let num = 0;
      let den = 0;
      if (o.rw === 0) {
        for (let i = 0; i < m; i++) w.fill(v[i], i * n, (i + 1) * n);
        for (let j = 0; j < n; j++) chains[j].solve((k) => g[k * n + j] * v[k], (k, x) => (b[k * n + j] = x), tmp);
        // residual of the bit-node equations
        for (let i = 0; i < m; i++)
          for (let j = 0; j < n; j++) {
            const p = i * n + j;
            const rhs = g[p] * v[i];
            let lhs = (g[p] + gb * (i > 0 ? 2 : 1)) * b[p];
            if (i > 0) lhs -= gb * b[p - n];
            if (i < m - 1) lhs -= gb * b[p + n];
            num += (rhs - lhs) ** 2;
            den += rhs * rhs;
          }
      } else {
        for (let i = 0; i < m; i++) chains[i].solve((k) => (k === 0 ? gw * v[i] : 0), (k, x) => (w[i * n + k] = x), tmp);
        for (let i = 0; i < m; i++)
          for (let j = 0; j < n; j++) {
            const p = i * n + j;
            const rhs = j === 0 ? gw * v[i] : 0;
            let lhs = (g[p] + gw * (j < n - 1 ? 2 : 1)) * w[p];
            if (j > 0) lhs -= gw * w[p - 1];
            if (j < n - 1) lhs -= gw * w[p + 1];
            num += (rhs - lhs) ** 2;
            den += rhs * rhs;
          }
      }
      residualRel = Math.max(residualRel, den === 0 ? Math.sqrt(num) : Math.sqrt(num / den));
      visit(set, w, b);
      iterations.push(0);
    });
    return { ...base, method: 'chains', iterations, residualRel };
  }
  const gw = 1 / o.rw;
  const gb = 1 / o.rb;
  const exact = o.solver === 'exact' || (o.solver === 'auto' && m * n <= CROSSBAR_DEFAULTS.autoExactMaxCells);
  const factor = exact ? new SparseLdl(m, n, g, gw, gb, CROSSBAR_DEFAULTS.exactMaxBytes) : null;
  const pre = exact ? null : new LinePreconditioner(a, gw, gb);
  sets.forEach((v, set) => {
    const rhs = rhsOf(a, gw, v);
    let x: Float64Array;
    if (factor) {
      x = factor.solve(rhs);
      iterations.push(0);
    } else {
      const s = pcg(a, gw, gb, pre!, rhs, o.toleranceRel, o.maxIterations);
      x = s.x;
      iterations.push(s.iterations);
    }
    residualRel = Math.max(residualRel, nodalResidual(a, gw, gb, v, x));
    visit(set, x.subarray(0, m * n), x.subarray(m * n));
  });
  return { ...base, method: factor ? 'sparse-ldl' : 'pcg-line', iterations, residualRel };
}

/** Node voltages of the crossbar for every input set (flat arrays; see solveCrossbar for badcrossbar's shapes). */
export function solveCrossbarNodes(a: CrossbarArray, sets: Float64Array[], options: CrossbarSolveOptions = {}): CrossbarNodeVoltages {
  const wordV: Float64Array[] = [];
  const bitV: Float64Array[] = [];
  const info = solveCrossbarEach(a, sets, options, (k, w, b) => {
    wordV[k] = w;
    bitV[k] = b;
  });
  return { rows: a.rows, columns: a.columns, inputSets: sets.length, wordV, bitV, ...info };
}

/** Output currents only ([inputSet][column], A): each bit line's current into its grounded end. */
export function solveCrossbarOutputs(a: CrossbarArray, sets: Float64Array[], options: CrossbarSolveOptions = {}): { outputs: Float64Array[]; info: SolveInfo } {
  const { rows: m, columns: n, conductancesS: g } = a;
  const outputs: Float64Array[] = [];
  const info = solveCrossbarEach(a, sets, options, (k, w, b) => {
    const out = new Float64Array(n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j] += (w[i * n + j] - b[i * n + j]) * g[i * n + j];
    outputs[k] = out;
  });
  return { outputs, info };
}



/** Device currents of one input set, flat [i * columns + j], word line to bit line. */
export function deviceCurrents(a: CrossbarArray, nodes: CrossbarNodeVoltages, set: number): Float64Array {
  const w = nodes.wordV[set];
  const b = nodes.bitV[set];
  const out = new Float64Array(w.length);
  for (let p = 0; p < w.length; p++) out[p] = (w[p] - b[p]) * a.conductancesS[p];
  return out;
}

/** Output currents of one input set: each bit line's current into its grounded end (the sense amplifier's input). */
export function outputCurrents(a: CrossbarArray, nodes: CrossbarNodeVoltages, set: number): Float64Array {
  const d = deviceCurrents(a, nodes, set);
  const { rows: m, columns: n } = a;
  const out = new Float64Array(n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j] += d[i * n + j];
  return out;
}

/**
 * The largest Kirchhoff current-law imbalance over all nodes and input sets, relative to the largest device current,
 * computed from the node voltages alone (segment currents as voltage difference over resistance): an independent
 * check of a solution. With an ideal line kind its nodes are sources and are not checked.
 */
export function kclResidualRel(a: CrossbarArray, sets: Float64Array[], nodes: CrossbarNodeVoltages): number {
  const { rows: m, columns: n, conductancesS: g } = a;
  const { interconnectWordOhm: rw, interconnectBitOhm: rb } = nodes;
  let worst = 0;
  let scale = 0;
  sets.forEach((v, k) => {
    const w = nodes.wordV[k];
    const b = nodes.bitV[k];
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        const p = i * n + j;
        const dev = (w[p] - b[p]) * g[p];
        scale = Math.max(scale, Math.abs(dev));
        if (rw > 0) {
          const inLeft = ((j === 0 ? v[i] : w[p - 1]) - w[p]) / rw;
          const outRight = j < n - 1 ? (w[p] - w[p + 1]) / rw : 0;
          worst = Math.max(worst, Math.abs(inLeft - outRight - dev));
        }
        if (rb > 0) {
          const inTop = i > 0 ? (b[p - n] - b[p]) / rb : 0;
          const outBottom = (b[p] - (i < m - 1 ? b[p + n] : 0)) / rb;
          worst = Math.max(worst, Math.abs(inTop + dev - outBottom));
        }
      }
  });
  return scale === 0 ? worst : worst / scale;
}

const nested = (rows: number, cols: number, sets: number, at: (k: number, p: number) => number): number[][][] =>
  Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => Array.from({ length: sets }, (_, k) => at(k, i * cols + j))));

/** The full solution of a crossbar (badcrossbar's shapes) from its node voltages. */
export function crossbarSolution(a: CrossbarArray, nodes: CrossbarNodeVoltages, toleranceRel: number | null): CrossbarSolution {
  const { rows: m, columns: n, inputSets: p } = nodes;
  const dev = Array.from({ length: p }, (_, k) => deviceCurrents(a, nodes, k));
  const word = dev.map((d) => {
    const s = new Float64Array(m * n);
    for (let i = 0; i < m; i++) {
      let acc = 0;
      for (let j = n - 1; j >= 0; j--) {
        acc += d[i * n + j];
        s[i * n + j] = acc;
      }
    }
    return s;
  });
  const bit = dev.map((d) => {
    const s = new Float64Array(m * n);
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let i = 0; i < m; i++) {
        acc += d[i * n + j];
        s[i * n + j] = acc;
      }
    }
    return s;
  });
  return {
    rows: m,
    columns: n,
    inputSets: p,
    interconnectWordOhm: nodes.interconnectWordOhm,
    interconnectBitOhm: nodes.interconnectBitOhm,
    solver: { method: nodes.method, iterations: nodes.iterations, residualRel: nodes.residualRel, toleranceRel },
    deviceCurrentsA: nested(m, n, p, (k, q) => dev[k][q]),
    wordLineCurrentsA: nested(m, n, p, (k, q) => word[k][q]),
    bitLineCurrentsA: nested(m, n, p, (k, q) => bit[k][q]),
    outputCurrentsA: bit.map((s) => Array.from(s.subarray((m - 1) * n, m * n))),
    wordLineVoltagesV: nested(m, n, p, (k, q) => nodes.wordV[k][q]),
    bitLineVoltagesV: nested(m, n, p, (k, q) => nodes.bitV[k][q]),
  };
}

/**
 * Solves a crossbar in badcrossbar's conventions: resistances [wordLine][bitLine] in ohms (Infinity: an open device),
 * applied voltages [wordLine][inputSet] in volts, interconnect per segment in ohms. Every input set shares one
 * factorization (exact) or one preconditioner (iterative).
 */
export function solveCrossbar(resistancesOhm: number[][], voltagesV: number[][], options: CrossbarSolveOptions = {}): CrossbarSolution {
  const a = crossbarFromResistances(resistancesOhm);
  const sets = voltageSets(voltagesV, a.rows);
  const nodes = solveCrossbarNodes(a, sets, options);
  return crossbarSolution(a, nodes, nodes.method === 'pcg-line' ? options.toleranceRel ?? CROSSBAR_DEFAULTS.toleranceRel : null);
}
