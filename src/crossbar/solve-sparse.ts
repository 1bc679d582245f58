// The exact solver's sparse direct factorization: the crossbar's nodal matrix (symmetric positive definite) ordered by
// geometric nested dissection and factored as L D L^T by the up-looking algorithm (Davis, "Algorithm 849: A concise
// sparse Cholesky factorization package", ACM TOMS 31(4), 2005; written here from the paper's description: elimination
// tree, row patterns by tree walks, one row of L at a time).
//
// Nested dissection fits the crossbar exactly: the W and B nodes of one column (all rows) separate the columns left of
// it from those right of it (word segments are the only horizontal edges), and the nodes of one row separate the rows
// above from those below (bit segments are the only vertical ones). So the array is cut recursively in its longer
// direction, each half ordered before the separator; the fill is O(N log N) and the work O(N^1.5) for N = 2 m n
// unknowns, against O(N min(m, n)^2) for the band.

import { inputError } from '../errors.js';
import { CROSSBAR_MESSAGES as XM } from '../messages/crossbar.js';

/** Nodal index order (word p = i * n + j, bit m * n + p) by nested dissection of the rows x columns grid of cells. */
export function nestedDissection(rows: number, columns: number): Int32Array {
  const off = rows * columns;
  const order = new Int32Array(2 * off);
  let k = 0;
  const emit = (i: number, j: number) => {
    order[k++] = i * columns + j;
    order[k++] = off + i * columns + j;
  };
  // Explicit stack of rectangles [i0, i1) x [j0, j1); a separator is pushed to be emitted after both halves.
  type Item = { i0: number; i1: number; j0: number; j1: number; sep: boolean };
  const stack: Item[] = [{ i0: 0, i1: rows, j0: 0, j1: columns, sep: false }];
  while (stack.length > 0) {
    const t = stack.pop()!;
    const h = t.i1 - t.i0;
    const w = t.j1 - t.j0;
    if (h <= 0 || w <= 0) continue;
    if (t.sep || h * w <= 8) {
      for (let i = t.i0; i < t.i1; i++) for (let j = t.j0; j < t.j1; j++) emit(i, j);
      continue;
    }
    // Popped last-in first-out: push the separator first so that it is emitted after both halves.
    if (w >= h) {
      const jm = t.j0 + (w >> 1);
      stack.push({ i0: t.i0, i1: t.i1, j0: jm, j1: jm + 1, sep: true });
      stack.push({ i0: t.i0, i1: t.i1, j0: jm + 1, j1: t.j1, sep: false });
      stack.push({ i0: t.i0, i1: t.i1, j0: t.j0, j1: jm, sep: false });
    } else {
      const im = t.i0 + (h >> 1);
      stack.push({ i0: im, i1: im + 1, j0: t.j0, j1: t.j1, sep: true });
      stack.push({ i0: im + 1, i1: t.i1, j0: t.j0, j1: t.j1, sep: false });
      stack.push({ i0: t.i0, i1: im, j0: t.j0, j1: t.j1, sep: false });
    }
  }
  return order;
}

/** L D L^T of the nodal matrix (both lines resistive), for repeated solves. */
export class SparseLdl {
  readonly size: number;
  /** Non-zeros of L below the diagonal. */
  readonly nnz: number;
  private readonly perm: Int32Array;
  private readonly lp: Int32Array;
  private readonly li: Int32Array;
  private readonly lx: Float64Array;
  private readonly d: Float64Array;

  constructor(rows: number, columns: number, g: Float64Array, gw: number, gb: number, maxBytes: number) {
    const m = rows;
    const n = columns;
    const off = m * n;
    const size = 2 * off;
    this.size = size;
    const perm = nestedDissection(m, n);
    const iperm = new Int32Array(size);
    for (let k = 0; k < size; k++) iperm[perm[k]] = k;
    // The upper triangle (rows i <= k) of each column k of the permuted matrix, diagonal last.
    const ap = new Int32Array(size + 1);
    const ai = new Int32Array(4 * size);
    const ax = new Float64Array(4 * size);
    let q = 0;
    const add = (k: number, old: number, v: number) => {
      const i = iperm[old];
      if (i < k) {
        ai[q] = i;
        ax[q++] = v;
      }
    };
    for (let k = 0; k < size; k++) {
      ap[k] = q;
      const old = perm[k];
      let diag: number;
      if (old < off) {
        const i = Math.floor(old / n);
        const j = old - i * n;
        diag = g[old] + gw * (j < n - 1 ? 2 : 1);
        if (j > 0) add(k, old - 1, -gw);
        if (j < n - 1) add(k, old + 1, -gw);
        add(k, off + old, -g[old]);
      } else {
        const p = old - off;
        const i = Math.floor(p / n);
        diag = g[p] + gb * (i > 0 ? 2 : 1);
        if (i > 0) add(k, old - n, -gb);
        if (i < m - 1) add(k, old + n, -gb);
        add(k, p, -g[p]);
      }
      ai[q] = k;
      ax[q++] = diag;
    }
    ap[size] = q;
    // Symbolic: the elimination tree and the column counts of L.
    const parent = new Int32Array(size);
    const lnz = new Int32Array(size);
    const flag = new Int32Array(size);
    for (let k = 0; k < size; k++) {
      parent[k] = -1;
      flag[k] = k;
      for (let p = ap[k]; p < ap[k + 1]; p++) {
        let i = ai[p];
        if (i < k)
          for (; flag[i] !== k; i = parent[i]) {
            if (parent[i] === -1) parent[i] = k;
            lnz[i]++;
            flag[i] = k;
          }
      }
    }
    const lp = new Int32Array(size + 1);
    for (let k = 0; k < size; k++) lp[k + 1] = lp[k] + lnz[k];
    const nnz = lp[size];
    this.nnz = nnz;
    const bytes = nnz * 12 + size * 40;
    if (bytes > maxBytes) throw inputError(XM.exactTooLarge(m, n, bytes));
    // Numeric: row k of L from the rows of its pattern, in topological order of the tree.
    const li = new Int32Array(nnz);
    const lx = new Float64Array(nnz);
    const d = new Float64Array(size);
    const y = new Float64Array(size);
    const pattern = new Int32Array(size);
    lnz.fill(0);
    for (let k = 0; k < size; k++) {
      y[k] = 0;
      let top = size;
      flag[k] = k;
      for (let p = ap[k]; p < ap[k + 1]; p++) {
        let i = ai[p];
        y[i] += ax[p];
        let len = 0;
        for (; flag[i] !== k; i = parent[i]) {
          pattern[len++] = i;
          flag[i] = k;
        }
        while (len > 0) pattern[--top] = pattern[--len];
      }
      let dk = y[k];
      y[k] = 0;
      for (; top < size; top++) {
        const i = pattern[top];
        const yi = y[i];
        y[i] = 0;
        const p2 = lp[i] + lnz[i];
        let p = lp[i];
        for (; p < p2; p++) y[li[p]] -= lx[p] * yi;
        const lki = yi / d[i];
        dk -= lki * yi;
        li[p] = k;
        lx[p] = lki;
        lnz[i]++;
      }
      if (!(dk > 0)) throw new Error(`crossbar nodal matrix not positive definite at row ${k} (pivot ${dk})`);
      d[k] = dk;
    }
    this.perm = perm;
    this.lp = lp;
    this.li = li;
    this.lx = lx;
    this.d = d;
  }

  /** Solves A x = b (b, x in nodal order). */
  solve(b: Float64Array): Float64Array {
    const { size, perm, lp, li, lx, d } = this;
    const x = new Float64Array(size);
    for (let k = 0; k < size; k++) x[k] = b[perm[k]];
    for (let j = 0; j < size; j++) {
      const xj = x[j];
      if (xj !== 0) for (let p = lp[j]; p < lp[j + 1]; p++) x[li[p]] -= lx[p] * xj;
    }
    for (let j = 0; j < size; j++) x[j] /= d[j];
    for (let j = size - 1; j >= 0; j--) {
      let s = x[j];
      for (let p = lp[j]; p < lp[j + 1]; p++) s -= lx[p] * x[li[p]];
      x[j] = s;
    }
    const out = new Float64Array(size);
    for (let k = 0; k < size; k++) out[perm[k]] = x[k];
    return out;
  }
}
