// The index maps and element-wise semantics of the source-graph ops, written once. The reference evaluator
// (reference/evaluate.ts) and lowering (lower/*.ts) both describe the same ops: one computes values with plain loops,
// the other builds sparse maps over affine tensors. They share the geometry here, so a fix to a window, a divisor or
// an axis order reaches both; the arithmetic (what is summed, in which order, and divided when) stays in each of them.
//
// Conventions: shapes are per sample and row-major (ir/tensor.ts); pads are ONNX's [begin..., end...]. A 1-D
// sliding window is the 2-D one with a height of 1. Output sizes of windows (with ceil mode) come from
// ir/shapes.ts windowOutputSize; everything here takes the output shape as given, so a window that ceil mode lets
// run past the end padding is handled by clipping: its taps outside the input are skipped like padding taps, and
// the average-pool divisor is clipped to the padded extent (PyTorch's rule).
//
// A leaf of ir/: besides ir/tensor.ts it imports only types of ir/ops.ts, nothing at run time.

import type { ActivationFn, BatchNormNode } from './ops.js';
import { sizeOf, stridesOf, type Shape } from './tensor.js';

// ---------------------------------------------------------------------------------------------------------------
// Sliding windows (Conv, MaxPool, AveragePool)

/** 2-D view of a 1-D or 2-D sliding-window geometry over a [C, ...spatial] input. */
export interface Window2d {
  /** Input channels and spatial size. */
  readonly C: number;
  readonly H: number;
  readonly W: number;
  /** Output spatial size. */
  readonly OH: number;
  readonly OW: number;
  /** Kernel, strides, dilations. */
  readonly kH: number;
  readonly kW: number;
  readonly sH: number;
  readonly sW: number;
  readonly dH: number;
  readonly dW: number;
  /** Padding: top, left (begin) and bottom, right (end). */
  readonly pT: number;
  readonly pL: number;
  readonly pB: number;
  readonly pR: number;
}

/** The window geometry of a node with a [C, L] or [C, H, W] input and its (inferred) output shape. */
export function window2d(inShape: Shape, outShape: Shape, kernel: readonly number[], strides: readonly number[],
  pads: readonly number[], dilations: readonly number[]): Window2d {
  if (kernel.length === 2) {
    return {
      C: inShape[0], H: inShape[1], W: inShape[2], OH: outShape[1], OW: outShape[2], kH: kernel[0], kW: kernel[1],
      sH: strides[0], sW: strides[1], dH: dilations[0], dW: dilations[1], pT: pads[0], pL: pads[1], pB: pads[2], pR: pads[3],
    };
  }
  return {
    C: inShape[0], H: 1, W: inShape[1], OH: 1, OW: outShape[1], kH: 1, kW: kernel[0],
    sH: 1, sW: strides[0], dH: 1, dW: dilations[0], pT: 0, pL: pads[0], pB: 0, pR: pads[1],
  };
}

/**
 * Calls f(ih, iw, kh, kw) for each kernel tap of output position (oh, ow) that falls inside the input, in row-major
 * kernel order (padding taps are skipped: they read 0 in a convolution and nothing in a pool).
 */
export function forEachTap(g: Window2d, oh: number, ow: number, f: (ih: number, iw: number, kh: number, kw: number) => void): void {
  for (let kh = 0; kh < g.kH; kh++) {
    const ih = oh * g.sH - g.pT + kh * g.dH;
    if (ih < 0 || ih >= g.H) continue;
    for (let kw = 0; kw < g.kW; kw++) {
      const iw = ow * g.sW - g.pL + kw * g.dW;
      if (iw >= 0 && iw < g.W) f(ih, iw, kh, kw);
    }
  }
}

/** Channel grouping of a convolution: M output channels in `group` groups, each reading Cg input channels. */
export interface ConvGroups {
  readonly M: number;
  readonly Cg: number;
  readonly group: number;
}

/**
 * Calls f(inputIndex, weightIndex) for every tap of convolution output element o (flat over [M, OH, OW]) that reads
 * the input: input channel, then kernel row, then kernel column. Indices are flat into the [C, H, W] input and the
 * [M, Cg, kH, kW] weight.
 */
export function forEachConvTap(g: Window2d, groups: ConvGroups, o: number, f: (inputIndex: number, weightIndex: number) => void): void {
  const per = g.OH * g.OW;
  const m = Math.floor(o / per);
  const oh = Math.floor((o % per) / g.OW);
  const ow = o % g.OW;
  const { Cg } = groups;
  const c0 = Math.floor(m / (groups.M / groups.group)) * Cg;
  for (let c = 0; c < Cg; c++) {
    forEachTap(g, oh, ow, (ih, iw, kh, kw) => f(((c0 + c) * g.H + ih) * g.W + iw, ((m * Cg + c) * g.kH + kh) * g.kW + kw));
  }
}

/** Flat input indices of pooling output element o (flat over [C, OH, OW]), in tap order; padding excluded. */
export function poolWindow(g: Window2d, o: number): number[] {
  const per = g.OH * g.OW;
  const c = Math.floor(o / per);
  const oh = Math.floor((o % per) / g.OW);
  const ow = o % g.OW;
  const out: number[] = [];
  forEachTap(g, oh, ow, (ih, iw) => out.push((c * g.H + ih) * g.W + iw));
  return out;
}

/**
 * The divisor of average-pooling output element o (dilation 1). Without count_include_pad it is the number of input
 * elements in the window (0 for a window wholly in the padding: the average is undefined). With it, the window is
 * clipped to the padded extent [-pad_begin, size + pad_end), as PyTorch does: in ceil mode a last window may run past
 * the end padding, and those positions do not count.
 */
export function avgPoolDivisor(g: Window2d, o: number, countIncludePad: boolean): number {
  const per = g.OH * g.OW;
  const oh = Math.floor((o % per) / g.OW);
  const ow = o % g.OW;
  const h0 = oh * g.sH - g.pT;
  const w0 = ow * g.sW - g.pL;
  if (countIncludePad) return (Math.min(h0 + g.kH, g.H + g.pB) - h0) * (Math.min(w0 + g.kW, g.W + g.pR) - w0);
  const rows = Math.min(h0 + g.kH, g.H) - Math.max(h0, 0);
  const cols = Math.min(w0 + g.kW, g.W) - Math.max(w0, 0);
  return rows > 0 && cols > 0 ? rows * cols : 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Wiring: transpose, concat, pad

/** For each element of the transposed tensor (output shape perm.map(p => shape[p])), its flat index in the input. */
export function transposeIndex(inShape: Shape, perm: readonly number[]): Int32Array {
  const outShape = perm.map((p) => inShape[p]);
  const xs = stridesOf(inShape);
  const ys = stridesOf(outShape);
  const idx = new Int32Array(sizeOf(outShape));
  for (let j = 0; j < idx.length; j++) {
    let src = 0;
    for (let a = 0; a < outShape.length; a++) src += (Math.floor(j / ys[a]) % outShape[a]) * xs[perm[a]];
    idx[j] = src;
  }
  return idx;
}

/**
 * For each element of a strided selection (ONNX Slice: per axis start, start + step, ... before end, steps of
 * either sign), the flat index of the input element it takes. Row-major over the selection.
 */
export function sliceIndex(inShape: Shape, starts: readonly number[], ends: readonly number[], steps: readonly number[]): Int32Array {
  const counts = inShape.map((_, a) => (steps[a] > 0 ? Math.ceil((ends[a] - starts[a]) / steps[a]) : Math.ceil((starts[a] - ends[a]) / -steps[a])));
  const xs = stridesOf(inShape);
  const ys = stridesOf(counts);
  const idx = new Int32Array(sizeOf(counts));
  for (let j = 0; j < idx.length; j++) {
    let src = 0;
    for (let a = 0; a < counts.length; a++) src += (starts[a] + (Math.floor(j / ys[a]) % counts[a]) * steps[a]) * xs[a];
    idx[j] = src;
  }
  return idx;
}

/** For each output element of a selection along `axis` by `indices` (-1: none, a zero), its flat input index or -1. */
export function gatherIndex(inShape: Shape, axis: number, indices: readonly number[]): Int32Array {
  const outer = sizeOf(inShape.slice(0, axis));
  const inner = sizeOf(inShape.slice(axis + 1));
  const n = inShape[axis];
  const k = indices.length;
  const idx = new Int32Array(outer * k * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < k; j++) {
      const src = indices[j];
      for (let i = 0; i < inner; i++) idx[(o * k + j) * inner + i] = src < 0 ? -1 : (o * n + src) * inner + i;
    }
  }
  return idx;
}

/**
 * For each element of the concatenation of tensors of the given shapes along `axis`, its flat index into the
 * inputs' data laid end to end (input 0's elements, then input 1's, ...).
 */
export function concatIndex(shapes: readonly Shape[], axis: number): Int32Array {
  const outAxis = shapes.reduce((s, sh) => s + sh[axis], 0);
  const outer = sizeOf(shapes[0].slice(0, axis));
  const inner = sizeOf(shapes[0].slice(axis + 1));
  const idx = new Int32Array(outer * outAxis * inner);
  let base = 0;
  let offset = 0;
  for (const shape of shapes) {
    const block = shape[axis] * inner;
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < block; j++) idx[o * outAxis * inner + offset + j] = base + o * block + j;
    }
    base += sizeOf(shape);
    offset += block;
  }
  return idx;
}

/** For each element of the padded tensor (pads [begin..., end...] per axis), its flat index in the input, or -1. */
export function padIndex(inShape: Shape, pads: readonly number[]): Int32Array {
  const outShape = inShape.map((d, a) => d + pads[a] + pads[a + inShape.length]);
  const idx = new Int32Array(sizeOf(outShape)).fill(-1);
  const xs = stridesOf(inShape);
  const ys = stridesOf(outShape);
  const n = sizeOf(inShape);
  for (let i = 0; i < n; i++) {
    let dst = 0;
    for (let a = 0; a < inShape.length; a++) dst += (Math.floor(i / xs[a]) % inShape[a] + pads[a]) * ys[a];
    idx[dst] = i;
  }
  return idx;
}

// ---------------------------------------------------------------------------------------------------------------
// Broadcasting (element-wise ops between two activations)

/**
 * The numpy broadcast of two per-sample shapes: aligned from the right, each pair of extents equal or one of them 1;
 * null when they do not broadcast.
 */
export function broadcastShape(a: Shape, b: Shape): number[] | null {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return null;
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * For each element of a tensor of shape `outShape`, the flat index of the element of an operand of shape `inShape`
 * that numpy broadcasting pairs it with (inShape aligned from the right, its extents of 1 repeated).
 */
export function broadcastIndex(inShape: Shape, outShape: Shape): Int32Array {
  const rank = outShape.length;
  const aligned = [...new Array<number>(rank - inShape.length).fill(1), ...inShape];
  const xs = stridesOf(aligned);
  const ys = stridesOf(outShape);
  const idx = new Int32Array(sizeOf(outShape));
  for (let j = 0; j < idx.length; j++) {
    let src = 0;
    for (let a = 0; a < rank; a++) if (aligned[a] !== 1) src += (Math.floor(j / ys[a]) % outShape[a]) * xs[a];
    idx[j] = src;
  }
  return idx;
}

// ---------------------------------------------------------------------------------------------------------------
// Reductions: ReduceMean, Softmax

/**
 * For each element, the index of its group when `axes` are reduced: the row-major index over the kept axes. Groups
 * are numbered as the elements of the reduced tensor (with or without kept dimensions of size 1).
 */
export function groupIndex(shape: Shape, axes: readonly number[]): { groups: Int32Array; count: number } {
  const n = sizeOf(shape);
  const strides = stridesOf(shape);
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const groups = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let g = 0;
    for (const a of kept) g = g * shape[a] + (Math.floor(i / strides[a]) % shape[a]);
    groups[i] = g;
  }
  return { groups, count: sizeOf(kept.map((a) => shape[a])) };
}

/** Members of each group of groupIndex, in increasing element order. */
export function groupMembers(shape: Shape, axes: readonly number[]): number[][] {
  const { groups, count } = groupIndex(shape, axes);
  const members: number[][] = Array.from({ length: count }, () => []);
  for (let i = 0; i < groups.length; i++) members[groups[i]].push(i);
  return members;
}

/**
 * Softmax of one sample over the given axes, max-shifted so it cannot overflow. Used by the reference evaluator and by
 * the T-network's digital tail, so both compute the same final outputs from the same logits.
 */
export function softmax(x: Float64Array, xs: Shape, axes: readonly number[]): Float64Array {
  const { groups, count } = groupIndex(xs, axes);
  const max = new Float64Array(count).fill(-Infinity);
  for (let i = 0; i < x.length; i++) if (x[i] > max[groups[i]]) max[groups[i]] = x[i];
  const sum = new Float64Array(count);
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    y[i] = Math.exp(x[i] - max[groups[i]]);
    sum[groups[i]] += y[i];
  }
  for (let i = 0; i < x.length; i++) y[i] /= sum[groups[i]];
  return y;
}

// ---------------------------------------------------------------------------------------------------------------
// Per-channel and element-wise semantics

/** Inference batch norm as a per-channel scale: s_c = gamma_c / sqrt(var_c + eps), so y = s (x - mean) + beta. */
export function batchNormScale(bn: Pick<BatchNormNode, 'scale' | 'variance' | 'epsilon'>): Float64Array {
  const s = new Float64Array(bn.scale.length);
  for (let c = 0; c < s.length; c++) s[c] = bn.scale[c] / Math.sqrt(bn.variance[c] + bn.epsilon);
  return s;
}

/**
 * The value of an activation function at v: the one definition of each ActivationFn's meaning. The reference evaluates
 * with it and lowering folds constant elements with it, so a folded constant is exactly the reference's value.
 */
export function applyActivation(fn: ActivationFn, v: number): number {
  switch (fn.type) {
    case 'relu':
      return v > 0 ? v : 0;
    case 'clip':
      return v < fn.min ? fn.min : v > fn.max ? fn.max : v;
    case 'leakyRelu':
      return v >= 0 ? v : fn.alpha * v;
    case 'sigmoid':
      return 1 / (1 + Math.exp(-v));
    case 'hardSigmoid': {
      const y = fn.alpha * v + fn.beta;
      return y < 0 ? 0 : y > 1 ? 1 : y;
    }
    case 'tanh':
      return Math.tanh(v);
    case 'elu':
      return v > 0 ? v : fn.alpha * Math.expm1(v);
    case 'selu':
      return v > 0 ? fn.gamma * v : fn.gamma * fn.alpha * Math.expm1(v);
    case 'softplus':
      return v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
    case 'softsign':
      return v / (1 + Math.abs(v));
  }
}
