// The float64 reference evaluator of the source-graph IR: the ground truth every later stage is compared against.
// Written for clarity and exactness first: plain loops, one sample at a time, summation in the natural index order.
// The geometry (windows, divisors, axis orders, groups) and the element-wise semantics come from ir/kernels.ts,
// which lowering shares, so the two cannot disagree about which elements an op reads.

import { API_MESSAGES as AM } from '../messages/index.js';
import { requireGraph } from '../ir/validate.js';
import { reportCall } from '../util/instrument.js';
import type { Graph, Node } from '../ir/ops.js';
import {
  applyActivation, avgPoolDivisor, batchNormScale, broadcastIndex, concatIndex, forEachConvTap, forEachTap, groupIndex, padIndex, sliceIndex, gatherIndex, softmax,
  transposeIndex, window2d,
} from '../ir/kernels.js';
import { evaluateRecurrent } from './recurrent.js';
import { inferShapes } from '../ir/shapes.js';
import { firstNonFinite, sizeOf, type Shape } from '../ir/tensor.js';
import { inputError, usageError } from '../errors.js';
import { EVALUATE_MESSAGES as EM } from '../messages/index.js';

// The element-wise semantics and the softmax live in ir/kernels.ts; re-exported here, where the public API and the
// T-network's digital tail have always found them.
export { applyActivation, softmax };

function conv(node: Extract<Node, { kind: 'conv' }>, x: Float64Array, xs: Shape, ys: Shape): Float64Array {
  const y = new Float64Array(sizeOf(ys));
  const w = node.weight;
  const g = window2d(xs, ys, w.shape.slice(2), node.strides, node.pads, node.dilations);
  const groups = { M: w.shape[0], Cg: w.shape[1], group: node.group };
  const per = g.OH * g.OW;
  for (let o = 0; o < y.length; o++) {
    let acc = node.bias ? node.bias[Math.floor(o / per)] : 0;
    forEachConvTap(g, groups, o, (xi, wi) => {
      acc += w.data[wi] * x[xi];
    });
    y[o] = acc;
  }
  return y;
}

function pool(node: Extract<Node, { kind: 'maxpool' | 'avgpool' }>, x: Float64Array, xs: Shape, ys: Shape): Float64Array {
  const y = new Float64Array(sizeOf(ys));
  const dil = node.kind === 'maxpool' ? node.dilations : node.kernel.map(() => 1);
  const g = window2d(xs, ys, node.kernel, node.strides, node.pads, dil);
  const per = g.OH * g.OW;
  for (let o = 0; o < y.length; o++) {
    const base = Math.floor(o / per) * g.H * g.W;
    const oh = Math.floor((o % per) / g.OW);
    const ow = o % g.OW;
    let acc = node.kind === 'maxpool' ? -Infinity : 0;
    forEachTap(g, oh, ow, (ih, iw) => {
      const v = x[base + ih * g.W + iw];
      if (node.kind === 'maxpool') {
        if (v > acc) acc = v;
      } else {
        acc += v;
      }
    });
    y[o] = node.kind === 'avgpool' ? acc / avgPoolDivisor(g, o, node.countIncludePad) : acc;
  }
  return y;
}

function reduceMean(x: Float64Array, xs: Shape, axes: readonly number[]): Float64Array {
  const { groups, count } = groupIndex(xs, axes);
  const y = new Float64Array(count);
  for (let i = 0; i < x.length; i++) y[groups[i]] += x[i];
  const n = x.length / count;
  for (let g = 0; g < count; g++) y[g] /= n;
  return y;
}

/** y[j] = x[idx[j]], or `fill` where idx[j] is -1 (a padded element). */
function gather(x: Float64Array, idx: Int32Array, fill = 0): Float64Array {
  const y = new Float64Array(idx.length);
  for (let j = 0; j < idx.length; j++) y[j] = idx[j] >= 0 ? x[idx[j]] : fill;
  return y;
}

function concatenated(xs: Float64Array[]): Float64Array {
  if (xs.length === 1) return xs[0];
  const all = new Float64Array(xs.reduce((n, x) => n + x.length, 0));
  let offset = 0;
  for (const x of xs) {
    all.set(x, offset);
    offset += x.length;
  }
  return all;
}

/** Evaluates one node on one sample. */
export function evaluateNode(node: Node, inputs: Float64Array[], inShapes: Shape[], outShape: Shape): Float64Array {
  const x = inputs[0];
  const xs = inShapes[0];
  switch (node.kind) {
    case 'dense': {
      const [O, K] = node.weight.shape;
      const rows = x.length / K;
      const y = new Float64Array(rows * O);
      for (let r = 0; r < rows; r++) {
        for (let o = 0; o < O; o++) {
          let acc = node.bias ? node.bias[o] : 0;
          for (let k = 0; k < K; k++) acc += node.weight.data[o * K + k] * x[r * K + k];
          y[r * O + o] = acc;
        }
      }
      return y;
    }
    case 'conv':
      return conv(node, x, xs, outShape);
    case 'batchnorm': {
      const C = xs[0];
      const inner = x.length / C;
      const y = new Float64Array(x.length);
      const scale = batchNormScale(node);
      for (let c = 0; c < C; c++) {
        const s = scale[c];
        for (let i = 0; i < inner; i++) y[c * inner + i] = (x[c * inner + i] - node.mean[c]) * s + node.bias[c];
      }
      return y;
    }
    case 'activation':
      return x.map((v) => applyActivation(node.fn, v));
    case 'softmax':
      return softmax(x, xs, node.axes);
    case 'maxpool':
    case 'avgpool':
      return pool(node, x, xs, outShape);
    case 'reducemean':
      return reduceMean(x, xs, node.axes);
    case 'reshape':
      return x.slice();
    case 'transpose':
      return gather(x, transposeIndex(xs, node.perm));
    case 'concat':
      return gather(concatenated(inputs), concatIndex(inShapes, node.axis));
    case 'binary': {
      const b = inputs[1];
      const f = node.op === 'add' ? (u: number, v: number) => u + v : node.op === 'sub' ? (u: number, v: number) => u - v : (u: number, v: number) => u * v;
      const n = sizeOf(outShape);
      if (x.length === n && b.length === n) return x.map((v, i) => f(v, b[i]));
      // Broadcasting: each output element pairs the operand elements numpy's rules give it.
      const ia = broadcastIndex(inShapes[0], outShape);
      const ib = broadcastIndex(inShapes[1], outShape);
      const y = new Float64Array(n);
      for (let i = 0; i < n; i++) y[i] = f(x[ia[i]], b[ib[i]]);
      return y;
    }
    case 'constBinary': {
      const c = node.constant;
      if (node.op === 'add') return x.map((v, i) => v + c[i]);
      if (node.op === 'mul') return x.map((v, i) => v * c[i]);
      return node.constantOnLeft ? x.map((v, i) => c[i] - v) : x.map((v, i) => v - c[i]);
    }
    case 'pad':
      return gather(x, padIndex(xs, node.pads), node.value);
    case 'slice':
      return gather(x, sliceIndex(xs, node.starts, node.ends, node.steps));
    case 'gather':
      return gather(x, gatherIndex(xs, node.axis, node.indices), 0);
    case 'recurrent':
      return evaluateRecurrent(node, x, xs[0]);
  }
}

export interface EvaluateOptions {
  /** Also return every intermediate activation (for per-layer comparisons). */
  readonly keepIntermediates?: boolean;
  /** Return this tensor instead of the graph output (e.g. the input of a final Softmax). */
  readonly tensor?: string;
}

export interface Evaluation {
  /** One Float64Array per sample, the flattened output. */
  readonly outputs: Float64Array[];
  readonly outputShape: number[];
  /** Per sample, every activation by name (only with keepIntermediates). */
  readonly intermediates?: Map<string, Float64Array>[];
}

/**
 * Float64 forward pass of the graph for a batch of samples. Each sample is a flattened Float64Array of the
 * input's per-sample shape. Refuses non-finite input values, and any node whose result is not finite (naming it):
 * the reference is the truth every later stage is compared against, and NaN compares with nothing.
 */
export function evaluate(graph: Graph, samples: readonly ArrayLike<number>[], options: EvaluateOptions = {}): Evaluation {
  requireGraph(graph);
  if (!Array.isArray(samples)) throw usageError(AM.badArgument('evaluate', 'an array of samples'));
  reportCall({ call: 'reference', target: graph, samples });
  const shapes = inferShapes(graph, { maxTensorElements: Number.MAX_SAFE_INTEGER });
  const inSize = sizeOf(graph.input.shape);
  const wanted = options.tensor ?? graph.output;
  if (!shapes.has(wanted)) throw usageError(EM.noSuchTensor(wanted));
  const outputs: Float64Array[] = [];
  const intermediates: Map<string, Float64Array>[] = [];
  // The plan is the same for every sample: each node's input shapes and output shape, looked up once (a 100k-node
  // chain evaluated on 100 samples otherwise spends most of its time in these lookups and their garbage).
  const plan = graph.nodes.map((node) => ({ node, inShapes: node.inputs.map((n) => shapes.get(n)!), outShape: shapes.get(node.output)! }));
  samples.forEach((sample, s) => {
    if (sample.length !== inSize) throw usageError(EM.sampleLength(s, sample.length, graph.input.shape, inSize));
    const x = Float64Array.from(sample);
    const bad = firstNonFinite(x);
    if (bad >= 0) throw inputError(EM.nonFiniteInput(s, bad, sample[bad]));
    const values = new Map<string, Float64Array>();
    values.set(graph.input.name, x);
    for (const { node, inShapes, outShape } of plan) {
      const ins = node.inputs.length === 1 ? [values.get(node.inputs[0])!] : node.inputs.map((n) => values.get(n)!);
      const y = evaluateNode(node, ins, inShapes, outShape);
      // Finite inputs can still give a non-finite value (0/0 in a pool window wholly in the padding, an overflow);
      // it would reach every later figure as NaN, so the node that produced it is named here.
      const k = firstNonFinite(y);
      if (k >= 0) throw inputError(EM.nonFiniteResult(node.name, node.sourceOp, y[k], k, s));
      values.set(node.output, y);
    }
    outputs.push(values.get(wanted)!);
    if (options.keepIntermediates) intermediates.push(values);
  });
  return { outputs, outputShape: shapes.get(wanted)!, ...(options.keepIntermediates ? { intermediates } : {}) };
}
