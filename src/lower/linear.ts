// Linear source ops as sparse maps over their input elements (never densified): dense, convolution (1-D/2-D,
// groups, depthwise, strides, padding, dilation), average pooling, mean reduction, inference batch norm, and
// element-wise ops with a constant or between two tensors. Each function only describes the op; LoweringContext.apply
// composes it onto the signals.

import type { AvgPoolNode, BatchNormNode, BinaryNode, ConstBinaryNode, ConvNode, DenseNode, ReduceMeanNode } from '../ir/ops.js';
import { sizeOf, stridesOf, type Shape } from '../ir/tensor.js';
import type { SparseMap } from './affine.js';

/** 2-D view of a 1-D or 2-D sliding-window geometry (a 1-D problem is the 2-D one with height 1). */
export interface Window2d {
  C: number;
  H: number;
  W: number;
  OH: number;
  OW: number;
  kH: number;
  kW: number;
  sH: number;
  sW: number;
  pT: number;
  pL: number;
  dH: number;
  dW: number;
}

export function window2d(inShape: Shape, outShape: Shape, kernel: readonly number[], strides: readonly number[], pads: readonly number[], dilations: readonly number[]): Window2d {
  if (kernel.length === 2) {
    return { C: inShape[0], H: inShape[1], W: inShape[2], OH: outShape[1], OW: outShape[2], kH: kernel[0], kW: kernel[1], sH: strides[0], sW: strides[1], pT: pads[0], pL: pads[1], dH: dilations[0], dW: dilations[1] };
  }
  return { C: inShape[0], H: 1, W: inShape[1], OH: 1, OW: outShape[1], kH: 1, kW: kernel[0], sH: 1, sW: strides[0], pT: 0, pL: pads[0], dH: 1, dW: dilations[0] };
}

/** Calls f(ih, iw, kh, kw) for each kernel tap of output position (oh, ow) that falls inside the input (padding
 * taps skipped): the sliding window shared by convolution and pooling. */
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

/** Builds a map whose row lengths are known in advance: first count, then fill, straight into typed arrays. */
function buildMap(rows: number, rowLength: (o: number) => number, fill: (o: number, put: (k: number, a: number) => void) => void, bias: Float64Array | null): SparseMap {
  let cap = 0;
  for (let o = 0; o < rows; o++) cap += rowLength(o);
  const ptr = new Int32Array(rows + 1);
  let idx = new Int32Array(cap);
  let coef = new Float64Array(cap);
  let n = 0;
  const put = (k: number, a: number) => {
    if (a === 0) return;
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

export function denseMap(node: DenseNode, inShape: Shape): SparseMap {
  const [O, K] = node.weight.shape;
  const rows = sizeOf(inShape) / K;
  const w = node.weight.data;
  let bias: Float64Array | null = null;
  if (node.bias) {
    bias = new Float64Array(rows * O);
    for (let r = 0; r < rows; r++) bias.set(node.bias, r * O);
  }
  return buildMap(rows * O, () => K, (row, put) => {
    const r = Math.floor(row / O);
    const o = row % O;
    for (let k = 0; k < K; k++) put(r * K + k, w[o * K + k]);
  }, bias);
}

export function convMap(node: ConvNode, inShape: Shape, outShape: Shape): SparseMap {
  const wt = node.weight;
  const M = wt.shape[0];
  const Cg = wt.shape[1];
  const Mg = M / node.group;
  const g = window2d(inShape, outShape, wt.shape.slice(2), node.strides, node.pads, node.dilations);
  const per = g.OH * g.OW;
  let bias: Float64Array | null = null;
  if (node.bias) {
    bias = new Float64Array(M * per);
    for (let m = 0; m < M; m++) bias.fill(node.bias[m], m * per, (m + 1) * per);
  }
  return buildMap(M * per, () => Cg * g.kH * g.kW, (o, put) => {
    const m = Math.floor(o / per);
    const oh = Math.floor((o % per) / g.OW);
    const ow = o % g.OW;
    const c0 = Math.floor(m / Mg) * Cg;
    for (let c = 0; c < Cg; c++) {
      forEachTap(g, oh, ow, (ih, iw, kh, kw) => put(((c0 + c) * g.H + ih) * g.W + iw, wt.data[((m * Cg + c) * g.kH + kh) * g.kW + kw]));
    }
  }, bias);
}

/** Input element indices of each pooling window (padding excluded), for average and max pooling. */
export function poolWindows(inShape: Shape, outShape: Shape, kernel: readonly number[], strides: readonly number[], pads: readonly number[], dilations: readonly number[]): { g: Window2d; window: (o: number) => number[] } {
  const g = window2d(inShape, outShape, kernel, strides, pads, dilations);
  const per = g.OH * g.OW;
  return {
    g,
    window: (o: number) => {
      const c = Math.floor(o / per);
      const oh = Math.floor((o % per) / g.OW);
      const ow = o % g.OW;
      const out: number[] = [];
      forEachTap(g, oh, ow, (ih, iw) => out.push((c * g.H + ih) * g.W + iw));
      return out;
    },
  };
}

export function avgPoolMap(node: AvgPoolNode, inShape: Shape, outShape: Shape): SparseMap {
  const { g, window } = poolWindows(inShape, outShape, node.kernel, node.strides, node.pads, node.kernel.map(() => 1));
  const pB = node.kernel.length === 2 ? node.pads[2] : 0;
  const pR = node.kernel.length === 2 ? node.pads[3] : node.pads[1];
  const per = g.OH * g.OW;
  return buildMap(sizeOf(outShape), () => g.kH * g.kW, (o, put) => {
    const ks = window(o);
    let divisor = ks.length;
    if (node.countIncludePad) {
      const oh = Math.floor((o % per) / g.OW);
      const ow = o % g.OW;
      const h0 = oh * g.sH - g.pT;
      const w0 = ow * g.sW - g.pL;
      divisor = (Math.min(h0 + g.kH, g.H + pB) - h0) * (Math.min(w0 + g.kW, g.W + pR) - w0);
    }
    for (const k of ks) put(k, 1 / divisor);
  }, null);
}

export function reduceMeanMap(node: ReduceMeanNode, inShape: Shape): SparseMap {
  const str = stridesOf(inShape);
  const kept = inShape.map((_, i) => i).filter((i) => !node.axes.includes(i));
  const groups = sizeOf(kept.map((a) => inShape[a]));
  const members: number[][] = Array.from({ length: groups }, () => []);
  for (let i = 0; i < sizeOf(inShape); i++) {
    let gi = 0;
    for (const a of kept) gi = gi * inShape[a] + (Math.floor(i / str[a]) % inShape[a]);
    members[gi].push(i);
  }
  return buildMap(groups, (o) => members[o].length, (o, put) => {
    for (const k of members[o]) put(k, 1 / members[o].length);
  }, null);
}

/** Inference batch norm as a per-channel scale and shift: y = s x + (beta - mean s), s = gamma / sqrt(var + eps). */
export function batchNormMap(node: BatchNormNode, inShape: Shape): SparseMap {
  const C = inShape[0];
  const inner = sizeOf(inShape) / C;
  const scale = new Float64Array(C);
  const bias = new Float64Array(C * inner);
  for (let c = 0; c < C; c++) {
    scale[c] = node.scale[c] / Math.sqrt(node.variance[c] + node.epsilon);
    bias.fill(node.bias[c] - node.mean[c] * scale[c], c * inner, (c + 1) * inner);
  }
  return buildMap(C * inner, () => 1, (o, put) => put(o, scale[Math.floor(o / inner)]), bias);
}

export function constBinaryMap(node: ConstBinaryNode, n: number): SparseMap {
  const c = node.constant;
  if (node.op === 'mul') return buildMap(n, () => 1, (o, put) => put(o, c[o]), null);
  const sign = node.op === 'sub' && node.constantOnLeft ? -1 : 1;
  const bias = node.op === 'add' ? Float64Array.from(c) : node.constantOnLeft ? Float64Array.from(c) : c.map((v) => -v);
  return buildMap(n, () => 1, (o, put) => put(o, sign), bias);
}

/** Element-wise add/sub of two tensors, as a map over their concatenation [x; y]. */
export function binaryMap(node: BinaryNode, n: number): SparseMap {
  const b = node.op === 'sub' ? -1 : 1;
  return buildMap(n, () => 2, (o, put) => {
    put(o, 1);
    put(n + o, b);
  }, null);
}
