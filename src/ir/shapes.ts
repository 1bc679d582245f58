// Shape inference for the source-graph IR (per-sample shapes), and per-node operation counts for reports.
// Every inconsistency is an input error naming the node: a graph that reaches the evaluator has consistent shapes.

import { inputError } from '../errors.js';
import { M } from '../messages/index.js';
import type { Graph, Node } from './ops.js';
import { formatShape, sizeOf, type Shape } from './tensor.js';

/** Output length of a sliding window along one axis (ONNX Conv/Pool), with PyTorch's ceil-mode rule. */
export function windowOutputSize(
  inSize: number, kernel: number, stride: number, padBegin: number, padEnd: number, dilation: number, ceilMode: boolean,
): number {
  const span = inSize + padBegin + padEnd - dilation * (kernel - 1) - 1;
  if (span < 0) return 0;
  let out = (ceilMode ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  // A window may not start in the end padding (PyTorch and ONNX opset >= 19 agree on this).
  if (ceilMode && (out - 1) * stride >= inSize + padBegin) out--;
  return out;
}

function fail(node: Node, what: string): never {
  throw inputError(M.badNodeShape(node.name, node.sourceOp, what));
}

function checkAxis(node: Node, axis: number, rank: number): void {
  if (!Number.isInteger(axis) || axis < 0 || axis >= rank) fail(node, `axis ${axis} is outside a rank-${rank} input`);
}

function spatialOutput(node: Node, x: Shape, kernel: readonly number[], strides: readonly number[],
  pads: readonly number[], dilations: readonly number[], ceilMode: boolean): number[] {
  const n = kernel.length;
  if (x.length !== n + 1) fail(node, `expects a [C, ${n === 1 ? 'L' : 'H, W'}] input, got ${formatShape(x)}`);
  if (strides.length !== n || dilations.length !== n || pads.length !== 2 * n) fail(node, 'strides, dilations or pads have the wrong length');
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    if (kernel[i] < 1 || strides[i] < 1 || dilations[i] < 1 || pads[i] < 0 || pads[i + n] < 0) fail(node, 'kernel, strides and dilations must be >= 1 and pads >= 0');
    const o = windowOutputSize(x[i + 1], kernel[i], strides[i], pads[i], pads[i + n], dilations[i], ceilMode);
    if (o < 1) fail(node, `the window (kernel ${kernel[i]}, dilation ${dilations[i]}) is larger than the padded input ${formatShape(x)}`);
    out.push(o);
  }
  return out;
}

/** The per-sample output shape of a node given its input shapes. */
export function inferNodeShape(node: Node, inputs: readonly Shape[]): number[] {
  const x = inputs[0];
  switch (node.kind) {
    case 'dense': {
      const [out, inn] = node.weight.shape;
      if (node.weight.shape.length !== 2) fail(node, 'weight must be a matrix');
      if (x.length < 1 || x[x.length - 1] !== inn) fail(node, `weight ${formatShape(node.weight.shape)} does not match input ${formatShape(x)}`);
      if (node.bias && node.bias.length !== out) fail(node, `bias has ${node.bias.length} values for ${out} outputs`);
      return [...x.slice(0, -1), out];
    }
    case 'conv': {
      const w = node.weight.shape;
      const n = w.length - 2;
      if (n < 1 || n > 2) fail(node, `only 1-D and 2-D convolutions are supported (weight ${formatShape(w)})`);
      if (node.group < 1 || w[0] % node.group !== 0) fail(node, `group ${node.group} does not divide ${w[0]} output channels`);
      if (x.length !== n + 1) fail(node, `expects a [C, ...spatial] input of rank ${n + 1}, got ${formatShape(x)}`);
      if (x[0] !== w[1] * node.group) fail(node, `input has ${x[0]} channels, weight expects ${w[1]} x group ${node.group}`);
      if (node.bias && node.bias.length !== w[0]) fail(node, `bias has ${node.bias.length} values for ${w[0]} channels`);
      return [w[0], ...spatialOutput(node, x, w.slice(2), node.strides, node.pads, node.dilations, false)];
    }
    case 'batchnorm': {
      const c = node.scale.length;
      if (x.length < 1 || x[0] !== c) fail(node, `has ${c} channels, input is ${formatShape(x)}`);
      if (node.bias.length !== c || node.mean.length !== c || node.variance.length !== c) fail(node, 'scale, bias, mean and variance differ in length');
      return [...x];
    }
    case 'activation':
      return [...x];
    case 'softmax':
      for (const a of node.axes) checkAxis(node, a, x.length);
      return [...x];
    case 'maxpool':
      return [x[0], ...spatialOutput(node, x, node.kernel, node.strides, node.pads, node.dilations, node.ceilMode)];
    case 'avgpool':
      return [x[0], ...spatialOutput(node, x, node.kernel, node.strides, node.pads, node.kernel.map(() => 1), node.ceilMode)];
    case 'reducemean': {
      for (const a of node.axes) checkAxis(node, a, x.length);
      if (node.keepDims) return x.map((d, i) => (node.axes.includes(i) ? 1 : d));
      return x.filter((_, i) => !node.axes.includes(i));
    }
    case 'reshape':
      if (node.shape.some((d) => !Number.isInteger(d) || d < 1)) fail(node, `target shape ${formatShape(node.shape)} is not fully determined`);
      if (sizeOf(node.shape) !== sizeOf(x)) fail(node, `cannot reshape ${formatShape(x)} to ${formatShape(node.shape)}`);
      return [...node.shape];
    case 'transpose': {
      const p = node.perm;
      if (p.length !== x.length || [...p].sort((a, b) => a - b).some((v, i) => v !== i)) fail(node, `perm [${p.join(',')}] is not a permutation of ${x.length} axes`);
      return p.map((i) => x[i]);
    }
    case 'concat': {
      checkAxis(node, node.axis, x.length);
      const out = [...x];
      for (const s of inputs.slice(1)) {
        if (s.length !== x.length || s.some((d, i) => i !== node.axis && d !== x[i])) fail(node, `inputs ${inputs.map(formatShape).join(' and ')} differ outside axis ${node.axis}`);
        out[node.axis] += s[node.axis];
      }
      return out;
    }
    case 'binary': {
      const y = inputs[1];
      if (y.length !== x.length || y.some((d, i) => d !== x[i])) fail(node, `operands ${formatShape(x)} and ${formatShape(y)} differ in shape (only same-shape element-wise ops between activations are supported)`);
      return [...x];
    }
    case 'constBinary':
      if (node.constant.length !== sizeOf(x)) fail(node, 'constant was not broadcast to the input shape');
      return [...x];
    case 'pad': {
      if (node.pads.length !== 2 * x.length) fail(node, `pads have ${node.pads.length} values for a rank-${x.length} input`);
      if (node.pads.some((p) => !Number.isInteger(p) || p < 0)) fail(node, 'negative pads (cropping) are not supported');
      return x.map((d, i) => d + node.pads[i] + node.pads[i + x.length]);
    }
  }
}

export interface ShapeOptions {
  /** Largest number of elements allowed in any one activation (refused before allocation). */
  readonly maxTensorElements: number;
}

/** Shapes of every activation in the graph, keyed by name; throws on the first inconsistency. */
export function inferShapes(graph: Graph, options: ShapeOptions): Map<string, number[]> {
  const shapes = new Map<string, number[]>();
  shapes.set(graph.input.name, [...graph.input.shape]);
  for (const node of graph.nodes) {
    const ins = node.inputs.map((n) => {
      const s = shapes.get(n);
      if (!s) throw inputError(M.undefinedInput(node.name, n));
      return s;
    });
    const expected = node.kind === 'binary' ? 2 : node.kind === 'concat' ? -1 : 1;
    if ((expected > 0 && ins.length !== expected) || ins.length < 1) fail(node, `has ${ins.length} activation inputs`);
    const out = inferNodeShape(node, ins);
    if (sizeOf(out) > options.maxTensorElements) throw inputError(M.tensorTooLarge(`output of ${node.name}`, out, options.maxTensorElements));
    if (shapes.has(node.output)) throw inputError(M.duplicateTensor(node.output));
    shapes.set(node.output, out);
  }
  if (!shapes.has(graph.output)) throw inputError(M.undefinedInput('graph output', graph.output));
  return shapes;
}

/** Multiply-accumulate operations of one node for one sample (0 for pure data movement). */
export function macsOf(node: Node, inShape: Shape, outShape: Shape): number {
  switch (node.kind) {
    case 'dense':
      return sizeOf(outShape) * node.weight.shape[1];
    case 'conv':
      return sizeOf(outShape) * sizeOf(node.weight.shape.slice(1));
    case 'avgpool':
      return sizeOf(outShape) * sizeOf(node.kernel);
    case 'reducemean':
      return sizeOf(inShape);
    case 'batchnorm':
    case 'constBinary':
    case 'binary':
      return sizeOf(outShape);
    default:
      return 0;
  }
}
