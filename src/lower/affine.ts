// Sparse affine tensors: the value of every element of a source-graph tensor, written as an affine combination of
// physical signals (network inputs and neuron outputs): x_i = sum_t w_t * signal(s_t) + c_i.
//
// This is how lowering keeps exact equivalence while creating as few neurons as possible: linear source ops
// (dense, conv, pooling averages, batch norm, constant add/mul, residual add, reshape, transpose, concat, pad) only
// compose these expressions; a neuron is created where a non-linearity needs one (or where composing would cost more
// connections than a materialized identity neuron). One composition routine serves every linear op: each op just
// describes itself as a sparse matrix over its input elements.

import { NeuronBuilder, type NeuronSpec } from '../tnet/builder.js';
import { ACT, ROLE } from '../tnet/types.js';

/** A tensor whose element i is sum_{t in ptr[i]..ptr[i+1]} w[t] * signal(sig[t]) + c[i]. */
export interface Affine {
  readonly size: number;
  readonly ptr: Int32Array;
  readonly sig: Int32Array;
  readonly w: Float64Array;
  readonly c: Float64Array;
  /** Per element, the source node (origin index) whose op produced the expression, or -1; a neuron that later
   * materializes the expression is attributed to it, since it carries that op's weights. */
  readonly o: Int32Array;
}

/** A sparse linear map y_o = sum_k coef * x_{idx} + bias_o over a (concatenated) input's elements, in CSR form. */
export interface SparseMap {
  readonly rows: number;
  readonly ptr: Int32Array;
  readonly idx: Int32Array;
  readonly coef: Float64Array;
  readonly bias: Float64Array | null;
}

/** The network inputs as an affine tensor: element i is input signal i. */
export function inputTensor(n: number): Affine {
  const ptr = new Int32Array(n + 1);
  const sig = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    ptr[i + 1] = i + 1;
    sig[i] = i;
  }
  return { size: n, ptr, sig, w: new Float64Array(n).fill(1), c: new Float64Array(n), o: new Int32Array(n).fill(-1) };
}

export function termsOf(x: Affine, i: number): number {
  return x.ptr[i + 1] - x.ptr[i];
}

/** Elements of several tensors, end to end (the input space of a map over more than one operand). */
export function concatTensors(parts: readonly Affine[]): Affine {
  if (parts.length === 1) return parts[0];
  const size = parts.reduce((s, p) => s + p.size, 0);
  const nnz = parts.reduce((s, p) => s + p.ptr[p.size], 0);
  const ptr = new Int32Array(size + 1);
  const sig = new Int32Array(nnz);
  const w = new Float64Array(nnz);
  const c = new Float64Array(size);
  const o = new Int32Array(size);
  let i0 = 0;
  let t0 = 0;
  for (const p of parts) {
    const pn = p.ptr[p.size];
    sig.set(p.sig.subarray(0, pn), t0);
    w.set(p.w.subarray(0, pn), t0);
    c.set(p.c, i0);
    o.set(p.o, i0);
    for (let i = 0; i < p.size; i++) ptr[i0 + i + 1] = t0 + p.ptr[i + 1];
    i0 += p.size;
    t0 += pn;
  }
  return { size, ptr, sig, w, c, o };
}

/** Picks elements by index (reshape is the identity, transpose/concat are gathers). idx[i] = -1 gives the constant fill. */
export function gather(x: Affine, idx: ArrayLike<number>, fill = 0): Affine {
  const n = idx.length;
  const ptr = new Int32Array(n + 1);
  let nnz = 0;
  for (let i = 0; i < n; i++) {
    nnz += idx[i] >= 0 ? termsOf(x, idx[i]) : 0;
    ptr[i + 1] = nnz;
  }
  const sig = new Int32Array(nnz);
  const w = new Float64Array(nnz);
  const c = new Float64Array(n);
  const o = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const k = idx[i];
    if (k < 0) {
      c[i] = fill;
      continue;
    }
    o[i] = x.o[k];
    const from = x.ptr[k];
    const len = x.ptr[k + 1] - from;
    sig.set(x.sig.subarray(from, from + len), ptr[i]);
    w.set(x.w.subarray(from, from + len), ptr[i]);
    c[i] = x.c[k];
  }
  return { size: n, ptr, sig, w, c, o };
}

/** What lowering needs from its surroundings: the neuron builder and the provenance of the op being lowered. */
export class LoweringContext {
  private acc = new Float64Array(0);
  private stamp = new Int32Array(0);
  private stampNow = 0;
  readonly builder: NeuronBuilder;
  /** Unit-delay chains per delayed signal (time.ts): chain[d] is the signal delayed by d ticks, chain[0] the signal. */
  readonly delayChains = new Map<string, number[]>();

  constructor(inputCount: number) {
    this.builder = new NeuronBuilder(inputCount);
  }

  get signalCount(): number {
    return this.builder.inputCount + this.builder.count;
  }

  private ensureScratch(): void {
    const n = this.signalCount;
    if (this.acc.length >= n) return;
    const cap = Math.max(n, this.acc.length * 2, 1024);
    this.acc = new Float64Array(cap);
    const st = new Int32Array(cap);
    st.set(this.stamp);
    this.stamp = st;
  }

  /**
   * Creates one neuron act(x_i) per element i of x that has signal terms. An element without terms is a constant: it
   * gets no neuron and passes through unchanged, for the caller to fold with the source op's own semantics (see
   * lowerActivation), so a folded constant is exactly what the reference computes.
   */
  neurons(x: Affine, spec: (i: number) => Omit<NeuronSpec, 'bias'>): Affine {
    const ptr = new Int32Array(x.size + 1);
    let nnz = 0;
    for (let i = 0; i < x.size; i++) {
      if (termsOf(x, i) > 0) nnz++;
      ptr[i + 1] = nnz;
    }
    const sig = new Int32Array(nnz);
    const c = new Float64Array(x.size);
    const o = new Int32Array(x.size);
    for (let i = 0, t = 0; i < x.size; i++) {
      const s = spec(i);
      o[i] = s.origin;
      if (termsOf(x, i) === 0) c[i] = x.c[i];
      else sig[t++] = this.builder.add({ ...s, bias: x.c[i] }, x.sig, x.w, x.ptr[i], x.ptr[i + 1]);
    }
    return { size: x.size, ptr, sig, w: new Float64Array(nnz).fill(1), c, o };
  }

  /**
   * Replaces every element with more than one term (at least minTerms) by an identity neuron ('linear' role) reading
   * those terms; with `only`, just the elements it marks (an element no consumer needs as one signal stays composed).
   */
  materialize(x: Affine, origin: number, minTerms = 2, only?: Uint8Array): Affine {
    const picked = (i: number) => termsOf(x, i) >= minTerms && (only === undefined || only[i] === 1);
    let any = false;
    for (let i = 0; i < x.size; i++) if (picked(i)) any = true;
    if (!any) return x;
    const ptr = new Int32Array(x.size + 1);
    let nnz = 0;
    for (let i = 0; i < x.size; i++) {
      nnz += picked(i) ? 1 : termsOf(x, i);
      ptr[i + 1] = nnz;
    }
    const sig = new Int32Array(nnz);
    const w = new Float64Array(nnz);
    const c = new Float64Array(x.size);
    for (let i = 0; i < x.size; i++) {
      if (picked(i)) {
        const by = x.o[i] >= 0 ? x.o[i] : origin;
        sig[ptr[i]] = this.builder.add({ activation: ACT.identity, bias: x.c[i], role: ROLE.linear, origin: by, unit: i }, x.sig, x.w, x.ptr[i], x.ptr[i + 1]);
        w[ptr[i]] = 1;
      } else {
        for (let t = x.ptr[i], u = ptr[i]; t < x.ptr[i + 1]; t++, u++) {
          sig[u] = x.sig[t];
          w[u] = x.w[t];
        }
        c[i] = x.c[i];
      }
    }
    return { size: x.size, ptr, sig, w, c, o: x.o };
  }

  /**
   * y = M x + bias, composed exactly onto x's signals. When composing would create more connections than
   * materializing x's multi-term elements first (identity neurons), those are materialized.
   */
  apply(x: Affine, m: SparseMap, origin: number): Affine {
    let composed = 0;
    let direct = 0;
    const used = new Uint8Array(x.size);
    for (let e = 0; e < m.ptr[m.rows]; e++) {
      const k = m.idx[e];
      composed += termsOf(x, k);
      direct += 1;
      used[k] = 1;
    }
    let materializeCost = direct;
    for (let k = 0; k < x.size; k++) if (used[k] && termsOf(x, k) >= 2) materializeCost += termsOf(x, k) + 1;
    const src = composed > materializeCost ? this.materialize(x, origin) : x;
    return this.compose(src, m, origin);
  }

  private compose(x: Affine, m: SparseMap, origin: number): Affine {
    this.ensureScratch();
    const { acc, stamp } = this;
    const ptr = new Int32Array(m.rows + 1);
    const c = new Float64Array(m.rows);
    let cap = 0;
    for (let e = 0; e < m.ptr[m.rows]; e++) cap += termsOf(x, m.idx[e]);
    let sig = new Int32Array(cap);
    let w = new Float64Array(cap);
    let nnz = 0;
    const touched: number[] = [];
    for (let o = 0; o < m.rows; o++) {
      const now = ++this.stampNow;
      touched.length = 0;
      let constant = m.bias ? m.bias[o] : 0;
      for (let e = m.ptr[o]; e < m.ptr[o + 1]; e++) {
        const k = m.idx[e];
        const a = m.coef[e];
        constant += a * x.c[k];
        for (let t = x.ptr[k]; t < x.ptr[k + 1]; t++) {
          const s = x.sig[t];
          if (stamp[s] !== now) {
            stamp[s] = now;
            acc[s] = a * x.w[t];
            touched.push(s);
          } else {
            acc[s] += a * x.w[t];
          }
        }
      }
      for (const s of touched) {
        const v = acc[s];
        // An exact cancellation is an absent connection, not a zero-valued resistor pair.
        if (v === 0) continue;
        sig[nnz] = s;
        w[nnz++] = v;
      }
      c[o] = constant;
      ptr[o + 1] = nnz;
    }
    if (nnz < cap) {
      sig = sig.slice(0, nnz);
      w = w.slice(0, nnz);
    }
    return { size: m.rows, ptr, sig, w, c, o: new Int32Array(m.rows).fill(origin) };
  }
}

/**
 * Builds a SparseMap whose row lengths are bounded in advance: first count, then fill straight into typed arrays.
 * `fill(o, put)` puts the entries of row o; a zero coefficient is an absent entry (as in compose).
 */
export function buildMap(rows: number, rowLength: (o: number) => number, fill: (o: number, put: (k: number, a: number) => void) => void,
  bias: Float64Array | null): SparseMap {
  let cap = 0;
  for (let o = 0; o < rows; o++) cap += rowLength(o);
  const ptr = new Int32Array(rows + 1);
  let idx = new Int32Array(cap);
  let coef = new Float64Array(cap);
  let n = 0;
  const put = (k: number, a: number) => {
    if (a === 0) return;
    // Typed arrays drop writes past their end silently; only the total matters for the layout, so that is checked.
    if (n === cap) throw new Error('sparse map rows put more entries than their declared lengths');
    idx[n] = k;
    coef[n++] = a;
  };
  for (let o = 0; o < rows; o++) {
    fill(o, put);
    ptr[o + 1] = n;
  }
  if (n < cap) {
    idx = idx.slice(0, n);
    coef = coef.slice(0, n);
  }
  return { rows, ptr, idx, coef, bias };
}
