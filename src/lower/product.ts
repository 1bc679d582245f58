// The element-wise product of two activations (SiLU's x * sigmoid(x), a squeeze-and-excitation gate x * s broadcast
// over the spatial axes, HardSwish's x * hardsigmoid(x)) as signal multiplier blocks (patent FIG. 20): one
// multiplier k * s_a * s_b per output element whose operands both carry signals.
//
// A multiplier reads physical signals, so each operand element is first made one signal times a gain plus a constant,
// a = w_a s_a + c_a: an element that sums several signals is materialized once by an identity neuron (only if some
// product needs it as a signal: an element multiplied by a constant stays composed). The product is then expanded
// exactly, with no further neuron:
//   (w_a s_a + c_a)(w_b s_b + c_b) = (w_a w_b) s_a s_b + (w_a c_b) s_a + (c_a w_b) s_b + c_a c_b
// the gains folded into the multiplier's coefficient k, the cross terms and the constant left affine for the
// consumers' weights. An operand element without signal terms (a constant: padding, a folded activation) scales the
// other operand's expression, with no multiplier. One pair of signals with one coefficient gets one multiplier however
// many output elements read it.

import { BLOCK } from '../tnet/blocks.js';
import { ACT, ROLE } from '../tnet/types.js';
import { broadcastIndex } from '../ir/kernels.js';
import { sizeOf, type Shape } from '../ir/tensor.js';
import { termsOf, type Affine, type LoweringContext } from './affine.js';

/** Marks the elements of one operand (indexed by ix) that some output multiplies by an element of y carrying signals. */
function needsSignal(ix: Int32Array, y: Affine, iy: Int32Array, mark: Uint8Array): void {
  for (let o = 0; o < ix.length; o++) if (termsOf(y, iy[o]) > 0) mark[ix[o]] = 1;
}

/** x * y element-wise (numpy broadcasting of xShape and yShape to outShape), exactly, with multiplier blocks. */
export function lowerProduct(ctx: LoweringContext, x: Affine, y: Affine, xShape: Shape, yShape: Shape, outShape: Shape, origin: number): Affine {
  const n = sizeOf(outShape);
  const ix = broadcastIndex(xShape, outShape);
  const iy = broadcastIndex(yShape, outShape);
  // Operands that are one tensor (x * x) are materialized once, so both sides read the same signal.
  let a: Affine;
  let b: Affine;
  if (x === y) {
    const mark = new Uint8Array(x.size);
    needsSignal(ix, y, iy, mark);
    needsSignal(iy, x, ix, mark);
    a = b = ctx.materialize(x, origin, 2, mark);
  } else {
    const mx = new Uint8Array(x.size);
    const my = new Uint8Array(y.size);
    needsSignal(ix, y, iy, mx);
    needsSignal(iy, x, ix, my);
    a = ctx.materialize(x, origin, 2, mx);
    b = ctx.materialize(y, origin, 2, my);
  }

  const ptr = new Int32Array(n + 1);
  const sig: number[] = [];
  const w: number[] = [];
  const c = new Float64Array(n);
  const shared = new Map<string, number>();
  const term = (s: number, v: number) => {
    // A zero (or underflowed) gain is an absent connection.
    if (v !== 0) {
      sig.push(s);
      w.push(v);
    }
  };
  /** Element k of t scaled by `by` (the other operand is the constant `by`). */
  const scaledTerms = (t: Affine, k: number, by: number) => {
    for (let u = t.ptr[k]; u < t.ptr[k + 1]; u++) term(t.sig[u], by * t.w[u]);
  };
  for (let o = 0; o < n; o++) {
    const i = ix[o];
    const j = iy[o];
    const ta = termsOf(a, i);
    const tb = termsOf(b, j);
    const ca = a.c[i];
    const cb = b.c[j];
    if (ta === 0) scaledTerms(b, j, ca);
    else if (tb === 0) scaledTerms(a, i, cb);
    else {
      // Both one signal each (materialized above): w_a s_a + c_a and w_b s_b + c_b.
      const sa = a.sig[a.ptr[i]];
      const wa = a.w[a.ptr[i]];
      const sb = b.sig[b.ptr[j]];
      const wb = b.w[b.ptr[j]];
      let k = wa * wb;
      let gain = 1;
      // A coefficient that overflows (or underflows to 0) keeps one gain outside the multiplier instead.
      if (!Number.isFinite(k) || k === 0) {
        k = wa;
        gain = wb;
      }
      const [s0, s1] = sa <= sb ? [sa, sb] : [sb, sa];
      const key = `${s0},${s1},${k}`;
      let m = shared.get(key);
      if (m === undefined) {
        m = ctx.builder.add({ block: BLOCK.multiplier, activation: ACT.identity, paramA: k, bias: 0, role: ROLE.compute, origin, unit: o }, [s0, s1], [1, 1]);
        shared.set(key, m);
      }
      term(m, gain);
      if (sa === sb) term(sa, wa * cb + ca * wb);
      else {
        term(sa, wa * cb);
        term(sb, ca * wb);
      }
    }
    c[o] = ca * cb;
    ptr[o + 1] = sig.length;
  }
  return { size: n, ptr, sig: Int32Array.from(sig), w: Float64Array.from(w), c, o: new Int32Array(n).fill(origin) };
}
