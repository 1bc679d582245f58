// Linear source ops as sparse maps over their input elements (never densified): dense, convolution (1-D/2-D,
// groups, depthwise, strides, padding, dilation), average pooling, mean reduction, inference batch norm, and
// element-wise ops with a constant or between two tensors. Each function only describes the op, with the geometry of
// ir/kernels.ts (the reference evaluator's too); LoweringContext.apply composes it onto the signals.

import { inputError } from '../errors.js';
import type { AvgPoolNode, BatchNormNode, BinaryNode, ConstBinaryNode, ConvNode, DenseNode, ReduceMeanNode } from '../ir/ops.js';
import { avgPoolDivisor, batchNormScale, broadcastIndex, forEachConvTap, groupMembers, poolWindow, window2d, type Window2d } from '../ir/kernels.js';
import { sizeOf, type Shape } from '../ir/tensor.js';
import { EVALUATE_MESSAGES as EM } from '../messages/index.js';
import { buildMap, type SparseMap } from './affine.js';

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
  const g = window2d(inShape, outShape, wt.shape.slice(2), node.strides, node.pads, node.dilations);
  const groups = { M, Cg, group: node.group };
  const per = g.OH * g.OW;
  let bias: Float64Array | null = null;
  if (node.bias) {
    bias = new Float64Array(M * per);
    for (let m = 0; m < M; m++) bias.fill(node.bias[m], m * per, (m + 1) * per);
  }
  return buildMap(M * per, () => Cg * g.kH * g.kW, (o, put) => forEachConvTap(g, groups, o, (xi, wi) => put(xi, wt.data[wi])), bias);
}

/** Input element indices of each pooling window (padding excluded), for average and max pooling. */
export function poolWindows(inShape: Shape, outShape: Shape, kernel: readonly number[], strides: readonly number[], pads: readonly number[], dilations: readonly number[]): { g: Window2d; window: (o: number) => number[] } {
  const g = window2d(inShape, outShape, kernel, strides, pads, dilations);
  return { g, window: (o: number) => poolWindow(g, o) };
}

export function avgPoolMap(node: AvgPoolNode, inShape: Shape, outShape: Shape): SparseMap {
  const g = window2d(inShape, outShape, node.kernel, node.strides, node.pads, node.kernel.map(() => 1));
  return buildMap(sizeOf(outShape), () => g.kH * g.kW, (o, put) => {
    const divisor = avgPoolDivisor(g, o, node.countIncludePad);
    // An empty window would silently become the constant 0 here while the source computes 0/0.
    if (divisor === 0) throw inputError(EM.emptyAverage(node.name, node.sourceOp));
    for (const k of poolWindow(g, o)) put(k, 1 / divisor);
  }, null);
}

export function reduceMeanMap(node: ReduceMeanNode, inShape: Shape): SparseMap {
  const members = groupMembers(inShape, node.axes);
  return buildMap(members.length, (o) => members[o].length, (o, put) => {
    for (const k of members[o]) put(k, 1 / members[o].length);
  }, null);
}

/** Inference batch norm as a per-channel scale and shift: y = s x + (beta - mean s), s = gamma / sqrt(var + eps). */
export function batchNormMap(node: BatchNormNode, inShape: Shape): SparseMap {
  const C = inShape[0];
  const inner = sizeOf(inShape) / C;
  const scale = batchNormScale(node);
  const bias = new Float64Array(C * inner);
  for (let c = 0; c < C; c++) bias.fill(node.bias[c] - node.mean[c] * scale[c], c * inner, (c + 1) * inner);
  return buildMap(C * inner, () => 1, (o, put) => put(o, scale[Math.floor(o / inner)]), bias);
}
export function constBinaryMap(node: ConstBinaryNode, n: number): SparseMap {
  const c = node.constant;
  if (node.op === 'mul') return buildMap(n, () => 1, (o, put) => put(o, c[o]), null);
  const sign = node.op === 'sub' && node.constantOnLeft ? -1 : 1;
  const bias = node.op === 'add' ? Float64Array.from(c) : node.constantOnLeft ? Float64Array.from(c) : c.map((v) => -v);
  return buildMap(n, () => 1, (o, put) => put(o, sign), bias);
}

/**
 * Element-wise add/sub of two tensors, as a map over their concatenation [x; y]; with numpy broadcasting, output
 * element o reads the x and y elements broadcastIndex pairs it with (an element of an extent-1 axis feeds many).
 */
export function binaryMap(node: BinaryNode, xShape: Shape, yShape: Shape, outShape: Shape): SparseMap {
  const b = node.op === 'sub' ? -1 : 1;
  const nx = sizeOf(xShape);
  const ix = broadcastIndex(xShape, outShape);
  const iy = broadcastIndex(yShape, outShape);
  return buildMap(sizeOf(outShape), () => 2, (o, put) => {
    put(ix[o], 1);
    put(nx + iy[o], b);
  }, null);
}
