// The float64 reference evaluator of the source-graph IR: the ground truth every later stage is compared against.
// Written for clarity and exactness first: plain loops, one sample at a time, summation in the natural index order.

import { reportCall } from '../util/instrument.js';
import type { ActivationFn, Graph, Node } from '../ir/ops.js';
import { inferShapes } from '../ir/shapes.js';
import { sizeOf, stridesOf, type Shape } from '../ir/tensor.js';
import { usageError } from '../errors.js';

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
  }
}

/** A 1-D spatial problem is the 2-D one with a height of 1: same arithmetic, one implementation. */
function as2d(spatial: readonly number[], k: readonly number[], s: readonly number[], pads: readonly number[], d: readonly number[]) {
  if (k.length === 2) {
    return { H: spatial[0], W: spatial[1], kH: k[0], kW: k[1], sH: s[0], sW: s[1], pT: pads[0], pL: pads[1], dH: d[0], dW: d[1] };
  }
  return { H: 1, W: spatial[0], kH: 1, kW: k[0], sH: 1, sW: s[0], pT: 0, pL: pads[0], dH: 1, dW: d[0] };
}

function conv(node: Extract<Node, { kind: 'conv' }>, x: Float64Array, xs: Shape, ys: Shape): Float64Array {
  const y = new Float64Array(sizeOf(ys));
  const w = node.weight;
  const M = w.shape[0];
  const Cg = w.shape[1];
  const g = node.group;
  const Mg = M / g;
  const p = as2d(xs.slice(1), w.shape.slice(2), node.strides, node.pads, node.dilations);
  const o = as2d(ys.slice(1), w.shape.slice(2), node.strides, node.pads, node.dilations);
  const OH = o.H;
  const OW = o.W;
  for (let m = 0; m < M; m++) {
    const c0 = Math.floor(m / Mg) * Cg;
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        let acc = node.bias ? node.bias[m] : 0;
        for (let c = 0; c < Cg; c++) {
          for (let kh = 0; kh < p.kH; kh++) {
            const ih = oh * p.sH - p.pT + kh * p.dH;
            if (ih < 0 || ih >= p.H) continue;
            for (let kw = 0; kw < p.kW; kw++) {
              const iw = ow * p.sW - p.pL + kw * p.dW;
              if (iw < 0 || iw >= p.W) continue;
              acc += w.data[((m * Cg + c) * p.kH + kh) * p.kW + kw] * x[((c0 + c) * p.H + ih) * p.W + iw];
            }
          }
        }
        y[(m * OH + oh) * OW + ow] = acc;
      }
    }
  }
  return y;
}

function pool(node: Extract<Node, { kind: 'maxpool' | 'avgpool' }>, x: Float64Array, xs: Shape, ys: Shape): Float64Array {
  const y = new Float64Array(sizeOf(ys));
  const dil = node.kind === 'maxpool' ? node.dilations : node.kernel.map(() => 1);
  const p = as2d(xs.slice(1), node.kernel, node.strides, node.pads, dil);
  const o = as2d(ys.slice(1), node.kernel, node.strides, node.pads, dil);
  // End padding, needed for the count_include_pad divisor: a window is clipped to the padded extent, not the input.
  const pB = node.kernel.length === 2 ? node.pads[2] : 0;
  const pR = node.kernel.length === 2 ? node.pads[3] : node.pads[1];
  const C = xs[0];
  for (let c = 0; c < C; c++) {
    for (let oh = 0; oh < o.H; oh++) {
      for (let ow = 0; ow < o.W; ow++) {
        const h0 = oh * p.sH - p.pT;
        const w0 = ow * p.sW - p.pL;
        let acc = node.kind === 'maxpool' ? -Infinity : 0;
        let count = 0;
        for (let kh = 0; kh < p.kH; kh++) {
          const ih = h0 + kh * p.dH;
          if (ih < 0 || ih >= p.H) continue;
          for (let kw = 0; kw < p.kW; kw++) {
            const iw = w0 + kw * p.dW;
            if (iw < 0 || iw >= p.W) continue;
            const v = x[(c * p.H + ih) * p.W + iw];
            if (node.kind === 'maxpool') {
              if (v > acc) acc = v;
            } else {
              acc += v;
            }
            count++;
          }
        }
        if (node.kind === 'avgpool') {
          let divisor = count;
          if (node.countIncludePad) {
            const hEnd = Math.min(h0 + p.kH, p.H + pB);
            const wEnd = Math.min(w0 + p.kW, p.W + pR);
            divisor = (hEnd - h0) * (wEnd - w0);
          }
          acc /= divisor;
        }
        y[(c * o.H + oh) * o.W + ow] = acc;
      }
    }
  }
  return y;
}

/** For each element, the index of its group when `axes` are reduced (mixed radix over the kept axes). */
function groupIndex(shape: Shape, axes: readonly number[]): { groups: Int32Array; count: number } {
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

/** Softmax of one sample over the given axes (shared with the T-network's digital tail). */
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

function reduceMean(x: Float64Array, xs: Shape, axes: readonly number[]): Float64Array {
  const { groups, count } = groupIndex(xs, axes);
  const y = new Float64Array(count);
  for (let i = 0; i < x.length; i++) y[groups[i]] += x[i];
  const n = x.length / count;
  for (let g = 0; g < count; g++) y[g] /= n;
  return y;
}

function transpose(x: Float64Array, xs: Shape, perm: readonly number[]): Float64Array {
  const ys = perm.map((p) => xs[p]);
  const xStr = stridesOf(xs);
  const yStr = stridesOf(ys);
  const y = new Float64Array(x.length);
  for (let j = 0; j < y.length; j++) {
    let src = 0;
    for (let a = 0; a < ys.length; a++) src += (Math.floor(j / yStr[a]) % ys[a]) * xStr[perm[a]];
    y[j] = x[src];
  }
  return y;
}

function concat(xs: Float64Array[], shapes: Shape[], axis: number, ys: Shape): Float64Array {
  const y = new Float64Array(sizeOf(ys));
  const outer = sizeOf(ys.slice(0, axis));
  const inner = sizeOf(ys.slice(axis + 1));
  let offset = 0;
  for (let t = 0; t < xs.length; t++) {
    const block = shapes[t][axis] * inner;
    for (let o = 0; o < outer; o++) y.set(xs[t].subarray(o * block, (o + 1) * block), o * ys[axis] * inner + offset);
    offset += block;
  }
  return y;
}

function pad(x: Float64Array, xs: Shape, pads: readonly number[], value: number, ys: Shape): Float64Array {
  const y = new Float64Array(sizeOf(ys)).fill(value);
  const xStr = stridesOf(xs);
  const yStr = stridesOf(ys);
  for (let i = 0; i < x.length; i++) {
    let dst = 0;
    for (let a = 0; a < xs.length; a++) dst += (Math.floor(i / xStr[a]) % xs[a] + pads[a]) * yStr[a];
    y[dst] = x[i];
  }
  return y;
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
      for (let c = 0; c < C; c++) {
        const s = node.scale[c] / Math.sqrt(node.variance[c] + node.epsilon);
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
      return transpose(x, xs, node.perm);
    case 'concat':
      return concat(inputs, inShapes, node.axis, outShape);
    case 'binary': {
      const b = inputs[1];
      const f = node.op === 'add' ? (u: number, v: number) => u + v : node.op === 'sub' ? (u: number, v: number) => u - v : (u: number, v: number) => u * v;
      return x.map((v, i) => f(v, b[i]));
    }
    case 'constBinary': {
      const c = node.constant;
      if (node.op === 'add') return x.map((v, i) => v + c[i]);
      if (node.op === 'mul') return x.map((v, i) => v * c[i]);
      return node.constantOnLeft ? x.map((v, i) => c[i] - v) : x.map((v, i) => v - c[i]);
    }
    case 'pad':
      return pad(x, xs, node.pads, node.value, outShape);
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
 * input's per-sample shape.
 */
export function evaluate(graph: Graph, samples: readonly ArrayLike<number>[], options: EvaluateOptions = {}): Evaluation {
  reportCall({ call: 'reference', target: graph, samples });
  const shapes = inferShapes(graph, { maxTensorElements: Number.MAX_SAFE_INTEGER });
  const inSize = sizeOf(graph.input.shape);
  const wanted = options.tensor ?? graph.output;
  if (!shapes.has(wanted)) throw usageError(`the graph has no tensor named '${wanted}'`);
  const outputs: Float64Array[] = [];
  const intermediates: Map<string, Float64Array>[] = [];
  samples.forEach((sample, s) => {
    if (sample.length !== inSize) throw usageError(`sample ${s} has ${sample.length} values; the model input [${graph.input.shape.join(', ')}] needs ${inSize}`);
    const values = new Map<string, Float64Array>();
    values.set(graph.input.name, Float64Array.from(sample));
    for (const node of graph.nodes) {
      const ins = node.inputs.map((n) => values.get(n)!);
      values.set(node.output, evaluateNode(node, ins, node.inputs.map((n) => shapes.get(n)!), shapes.get(node.output)!));
    }
    outputs.push(values.get(wanted)!);
    if (options.keepIntermediates) intermediates.push(values);
  });
  return { outputs, outputShape: shapes.get(wanted)!, ...(options.keepIntermediates ? { intermediates } : {}) };
}
