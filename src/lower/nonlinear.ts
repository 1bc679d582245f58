// Non-linear source ops as analog neurons (patent FIGS. 13-15: a summator with an activation):
//   relu -> relu neuron;  sigmoid/tanh -> neuron with A = B = 1;  hard-sigmoid -> clipped-ReLU neuron (ceiling 1)
//   clip(lo, hi) -> lo + clippedRelu(x - lo, hi - lo) (and the one-sided forms via relu), the offset staying affine
//   leaky relu -> relu(x) - alpha * relu(-x): two ReLU paths, recombined by the consumers' weights
//   max pooling -> a tree of max(a, b) = b + relu(a - b) comparators
// Elements that are constants (e.g. padding, or all of a constant activation) are folded, not given a neuron: their
// value is ir/kernels.ts applyActivation of the constant, the reference's own definition.

import type { ActivationFn } from '../ir/ops.js';
import { applyActivation } from '../ir/kernels.js';
import type { NeuronSpec } from '../tnet/builder.js';
import { ACT, ROLE } from '../tnet/types.js';
import { buildMap, concatTensors, termsOf, type Affine, type LoweringContext } from './affine.js';

/** Element-wise a x + b. A term whose weight becomes exactly 0 (a = 0, or an underflow) is dropped: a zero weight is
 * an absent connection, and an element left without terms is a constant. */
function scaled(x: Affine, a: number, b: number): Affine {
  const n = x.ptr[x.size];
  let zeros = 0;
  for (let t = 0; t < n; t++) if (a * x.w[t] === 0) zeros++;
  const c = x.c.map((v) => a * v + b);
  if (zeros === 0) return { size: x.size, ptr: x.ptr, sig: x.sig, w: x.w.map((v) => a * v), c, o: x.o };
  const ptr = new Int32Array(x.size + 1);
  const sig = new Int32Array(n - zeros);
  const w = new Float64Array(n - zeros);
  let u = 0;
  for (let i = 0; i < x.size; i++) {
    for (let t = x.ptr[i]; t < x.ptr[i + 1]; t++) {
      const v = a * x.w[t];
      if (v === 0) continue;
      sig[u] = x.sig[t];
      w[u++] = v;
    }
    ptr[i + 1] = u;
  }
  return { size: x.size, ptr, sig, w, c, o: x.o };
}

/** Element-wise a x + b y for two tensors of the same size (no neurons). */
function combine(ctx: LoweringContext, x: Affine, y: Affine, a: number, b: number, origin: number): Affine {
  const n = x.size;
  const m = buildMap(n, () => 2, (o, put) => {
    put(o, a);
    put(n + o, b);
  }, null);
  return ctx.apply(concatTensors([x, y]), m, origin);
}

type SpecFor = (activation: number, paramA?: number, paramB?: number) => (unit: number) => Omit<NeuronSpec, 'bias'>;

/**
 * Lowers an element-wise activation. Neurons are created only for elements that still carry signal terms; every
 * other element is a constant (padding, a bias-only expression, or every element of a constant activation such as
 * HardSigmoid with alpha 0 or Clip with min = max), folded to the source activation of the source constant.
 */
export function lowerActivation(ctx: LoweringContext, fn: ActivationFn, x: Affine, origin: number): Affine {
  const y = lowerSignals(ctx, fn, x, origin);
  let c: Float64Array | null = null;
  for (let i = 0; i < y.size; i++) {
    if (termsOf(y, i) !== 0) continue;
    c ??= Float64Array.from(y.c);
    c[i] = applyActivation(fn, x.c[i]);
  }
  return c ? { ...y, c } : y;
}

/** The neuron construction of each activation; constant elements pass through it unfolded. */
function lowerSignals(ctx: LoweringContext, fn: ActivationFn, x: Affine, origin: number): Affine {
  const make: SpecFor = (activation, paramA = 0, paramB = 0) => (unit) => ({ activation, paramA, paramB, role: ROLE.compute, origin, unit });
  switch (fn.type) {
    case 'relu':
      return ctx.neurons(x, make(ACT.relu));
    case 'sigmoid':
      return ctx.neurons(x, make(ACT.sigmoid, 1, 1));
    case 'tanh':
      return ctx.neurons(x, make(ACT.tanh, 1, 1));
    // Elu(alpha) = relu(x) + alpha (exp(min(x, 0)) - 1): a ReLU neuron plus an eluNeg block (A = alpha, B = 1), summed
    // where the next layer reads them; Selu(alpha, gamma) is gamma times it. alpha = 0 is the ReLU alone.
    case 'elu':
    case 'selu': {
      const gamma = fn.type === 'selu' ? fn.gamma : 1;
      if (gamma === 0) return scaled(x, 0, 0);
      const p = ctx.neurons(x, make(ACT.relu));
      if (fn.alpha === 0) return gamma === 1 ? p : scaled(p, gamma, 0);
      const q = ctx.neurons(x, make(ACT.eluNeg, fn.alpha, 1));
      return combine(ctx, p, q, gamma, gamma, origin);
    }
    case 'softplus':
      return ctx.neurons(x, make(ACT.softplus, 1, 1));
    case 'softsign':
      return ctx.neurons(x, make(ACT.softsign, 1, 1));
    case 'hardSigmoid':
      return ctx.neurons(scaled(x, fn.alpha, fn.beta), make(ACT.clippedRelu, 1));
    case 'clip':
      return lowerClip(ctx, x, fn.min, fn.max, make);
    case 'leakyRelu': {
      if (fn.alpha === 0) return lowerSignals(ctx, { type: 'relu' }, x, origin);
      if (fn.alpha === 1) return x;
      const p = ctx.neurons(x, make(ACT.relu));
      const n = ctx.neurons(scaled(x, -1, 0), make(ACT.relu));
      return combine(ctx, p, n, 1, -fn.alpha, origin);
    }
  }
}

function lowerClip(ctx: LoweringContext, x: Affine, lo: number, hi: number, make: SpecFor): Affine {
  if (lo === -Infinity && hi === Infinity) return x;
  if (lo === hi) return scaled(x, 0, lo);
  if (hi === Infinity) {
    // max(x, lo) = lo + relu(x - lo)
    const r = ctx.neurons(scaled(x, 1, -lo), make(ACT.relu));
    return scaled(r, 1, lo);
  }
  if (lo === -Infinity) {
    // min(x, hi) = hi - relu(hi - x)
    const r = ctx.neurons(scaled(x, -1, hi), make(ACT.relu));
    return scaled(r, -1, hi);
  }
  // clip(x, lo, hi) = lo + clippedRelu(x - lo, ceiling hi - lo); ReLU6 is clip(0, 6): a clipped ReLU with ceiling 6.
  const r = ctx.neurons(scaled(x, 1, -lo), make(ACT.clippedRelu, hi - lo));
  return lo === 0 ? r : scaled(r, 1, lo);
}

/** A small affine expression (one element), for building comparator trees. */
interface Expr {
  sig: number[];
  w: number[];
  c: number;
}

function element(x: Affine, i: number): Expr {
  const sig: number[] = [];
  const w: number[] = [];
  for (let t = x.ptr[i]; t < x.ptr[i + 1]; t++) {
    sig.push(x.sig[t]);
    w.push(x.w[t]);
  }
  return { sig, w, c: x.c[i] };
}

/** a + k b, merging equal signals and dropping exact cancellations. */
function axpy(a: Expr, k: number, b: Expr): Expr {
  const sig = [...a.sig];
  const w = [...a.w];
  for (let t = 0; t < b.sig.length; t++) {
    const j = sig.indexOf(b.sig[t]);
    if (j >= 0) w[j] += k * b.w[t];
    else {
      sig.push(b.sig[t]);
      w.push(k * b.w[t]);
    }
  }
  const keep = w.map((v) => v !== 0);
  return { sig: sig.filter((_, j) => keep[j]), w: w.filter((_, j) => keep[j]), c: a.c + k * b.c };
}

/** Max pooling: for each output, a balanced tree of comparators max(a, b) = b + relu(a - b). */
export function lowerMaxPool(ctx: LoweringContext, x: Affine, windows: number[][], origin: number): Affine {
  const outs: Expr[] = windows.map((win, o) => {
    let level = win.map((k) => element(x, k));
    while (level.length > 1) {
      const next: Expr[] = [];
      for (let j = 0; j + 1 < level.length; j += 2) {
        // Keep the operand with fewer terms as the pass-through `b`: smaller expressions downstream.
        let [a, b] = [level[j], level[j + 1]];
        if (a.sig.length < b.sig.length) [a, b] = [b, a];
        const d = axpy(a, -1, b);
        if (d.sig.length === 0) {
          next.push(d.c >= 0 ? a : b);
          continue;
        }
        const r = ctx.builder.add({ activation: ACT.relu, bias: d.c, role: ROLE.pool, origin, unit: o }, d.sig, d.w);
        next.push(axpy(b, 1, { sig: [r], w: [1], c: 0 }));
      }
      if (level.length % 2 === 1) next.push(level[level.length - 1]);
      level = next;
    }
    return level[0];
  });
  const ptr = new Int32Array(outs.length + 1);
  outs.forEach((e, o) => (ptr[o + 1] = ptr[o] + e.sig.length));
  const sig = new Int32Array(ptr[outs.length]);
  const w = new Float64Array(ptr[outs.length]);
  outs.forEach((e, o) => {
    sig.set(e.sig, ptr[o]);
    w.set(e.w, ptr[o]);
  });
  return { size: outs.length, ptr, sig, w, c: Float64Array.from(outs.map((e) => e.c)), o: new Int32Array(outs.length).fill(origin) };
}
