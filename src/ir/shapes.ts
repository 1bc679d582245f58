// Shape inference for the source-graph IR (per-sample shapes), and per-node operation counts for reports.
// Every inconsistency is an input error naming the node: a graph that reaches the evaluator has consistent shapes.

import { inputError } from '../errors.js';
import { M } from '../messages/index.js';
import { formatList } from '../messages/import.js';
import { activationCountOf, gatesOf, type Graph, type Node } from './ops.js';
import { formatShape, sizeOf, type Shape } from './tensor.js';
import { broadcastShape } from './kernels.js';
import { checkGraphValue, checkNodeValue, checkShapesValue, MAX_RANK, unknownKind } from './structure.js';

export { MAX_RANK };

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
  const atLeast = (what: string, v: readonly number[], min: number) => {
    if (v.some((d) => !Number.isSafeInteger(d) || d < min)) fail(node, `${what} ${formatList(v)} must be integers >= ${min}`);
  };
  atLeast('kernel', kernel, 1);
  atLeast('strides', strides, 1);
  atLeast('dilations', dilations, 1);
  atLeast('pads', pads, 0);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const o = windowOutputSize(x[i + 1], kernel[i], strides[i], pads[i], pads[i + n], dilations[i], ceilMode);
    if (o < 1) fail(node, `the window (kernel ${kernel[i]}, dilation ${dilations[i]}) is larger than the padded input ${formatShape(x)}`);
    out.push(o);
  }
  return out;
}

/** The per-sample output shape of a node given its input shapes (both checked first: this is a library entry). */
export function inferNodeShape(node: Node, inputs: readonly Shape[]): number[] {
  checkNodeValue(node, 0);
  checkShapesValue(node, inputs);
  return nodeShape(node, inputs);
}

/** inferNodeShape for a node and shapes known to be well-formed (from the importer or a checked graph). */
export function nodeShape(node: Node, inputs: readonly Shape[]): number[] {
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
      if (node.shape.length > MAX_RANK) fail(node, `target shape has ${node.shape.length} dimensions, more than ${MAX_RANK}`);
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
      const out = broadcastShape(x, inputs[1]);
      if (out === null) fail(node, `operands ${formatShape(x)} and ${formatShape(inputs[1])} do not broadcast (numpy rules: aligned from the right, each pair of extents equal or one of them 1)`);
      return out;
    }
    case 'constBinary':
      if (node.constant.length !== sizeOf(x)) fail(node, 'constant was not broadcast to the input shape');
      return [...x];
    case 'pad': {
      if (node.pads.length !== 2 * x.length) fail(node, `pads have ${node.pads.length} values for a rank-${x.length} input`);
      if (node.pads.some((p) => !Number.isSafeInteger(p))) fail(node, `pads ${formatList(node.pads)} are not all integers`);
      if (node.pads.some((p) => p < 0)) fail(node, `negative pads ${formatList(node.pads)} (cropping) are not supported`);
      return x.map((d, i) => d + node.pads[i] + node.pads[i + x.length]);
    }
    case 'slice': {
      const r = x.length;
      if (node.starts.length !== r || node.ends.length !== r || node.steps.length !== r) fail(node, `starts, ends and steps must have ${r} values for a rank-${r} input`);
      if (node.shape.length > MAX_RANK) fail(node, `target shape has ${node.shape.length} dimensions, more than ${MAX_RANK}`);
      const counts = x.map((d, i) => sliceCount(node, d, node.starts[i], node.ends[i], node.steps[i], i));
      if (node.shape.some((d) => !Number.isInteger(d) || d < 1) || sizeOf(node.shape) !== sizeOf(counts)) {
        fail(node, `the selection ${formatShape(counts)} cannot take the shape ${formatShape(node.shape)}`);
      }
      return [...node.shape];
    }
    case 'gather': {
      if (!Number.isSafeInteger(node.axis) || node.axis < 0 || node.axis >= x.length) fail(node, `axis ${node.axis} is outside a rank-${x.length} input`);
      if (node.indices.length < 1) fail(node, 'selects nothing');
      const size = x[node.axis];
      const bad = node.indices.find((i) => !Number.isSafeInteger(i) || i < -1 || i >= size);
      if (bad !== undefined) fail(node, `index ${bad} is outside the axis of size ${size} (-1 is a zero)`);
      return x.map((d, i) => (i === node.axis ? node.indices.length : d));
    }
    case 'recurrent':
      return recurrentShape(node, x);
  }
  return unknownKind(node);
}

/** Elements a slice selects along one axis of size `size`; every selected index must lie inside the axis. */
function sliceCount(node: Node, size: number, start: number, end: number, step: number, axis: number): number {
  if (![start, end, step].every(Number.isSafeInteger) || step === 0) fail(node, `axis ${axis}: start ${start}, end ${end} and step ${step} must be integers with a non-zero step`);
  const n = step > 0 ? Math.ceil((end - start) / step) : Math.ceil((start - end) / -step);
  if (n < 1) fail(node, `axis ${axis}: start ${start}, end ${end}, step ${step} select nothing`);
  const last = start + (n - 1) * step;
  if (start < 0 || start >= size || last < 0 || last >= size) fail(node, `axis ${axis}: start ${start}, end ${end}, step ${step} leave the axis of size ${size}`);
  return n;
}

function recurrentShape(node: Extract<Node, { kind: 'recurrent' }>, x: Shape): number[] {
  const H = node.hiddenSize;
  const G = gatesOf(node.cell);
  if (!Number.isSafeInteger(H) || H < 1) fail(node, `hidden size ${H} must be a positive integer`);
  if (x.length !== 2) fail(node, `expects a per-sample [T, I] sequence, got ${formatShape(x)}`);
  const I = x[1];
  const w = node.weight.shape;
  const r = node.recurrence.shape;
  if (w.length !== 2 || w[0] !== G * H || w[1] !== I) fail(node, `W ${formatShape(w)} must be [${G * H}, ${I}] (${G} gate blocks of ${H} for ${I} inputs)`);
  if (r.length !== 2 || r[0] !== G * H || r[1] !== H) fail(node, `R ${formatShape(r)} must be [${G * H}, ${H}]`);
  if (node.inputBias.length !== G * H || node.recurrenceBias.length !== G * H) fail(node, `the biases must have ${G * H} values each`);
  if (node.activations.length !== activationCountOf(node.cell)) fail(node, `a ${node.cell} cell takes ${activationCountOf(node.cell)} activation functions, got ${node.activations.length}`);
  if (node.initialH.length !== H) fail(node, `the initial hidden state has ${node.initialH.length} values for ${H} units`);
  if ((node.cell === 'lstm') !== (node.initialC !== null)) fail(node, 'an initial cell state belongs to an LSTM, and an LSTM needs one');
  if (node.initialC !== null && node.initialC.length !== H) fail(node, `the initial cell state has ${node.initialC.length} values for ${H} units`);
  if (node.linearBeforeReset && node.cell !== 'gru') fail(node, 'linearBeforeReset is a GRU attribute');
  if (node.activations.includes('hardSigmoid') !== (node.hardSigmoid !== null)) fail(node, 'a hardSigmoid activation needs its slope and offset (hardSigmoid), and only it has them');
  if (node.diagonalRecurrence && node.cell !== 'rnn') fail(node, 'a diagonal recurrence (IndRNN) is an RNN property');
  if (node.produces === 'cell' && node.cell !== 'lstm') fail(node, 'only an LSTM has a cell state output');
  return node.produces === 'sequence' ? [x[0], 1, H] : [1, H];
}

/** Whether some tap of a window (start, start + d, ..., start + (k-1) d) lands inside [0, size). */
function windowTouches(start: number, k: number, d: number, size: number): boolean {
  const j = start >= 0 ? 0 : Math.ceil(-start / d);
  return j < k && start + j * d < size;
}

/**
 * A max-pool window, or an average-pool window that does not count the padding, must hold at least one input
 * element: otherwise its maximum is -Infinity and its average 0/0. With dilation <= input size the windows that
 * miss the input can only be the first and the last (their taps are closer than the input is long); a larger
 * dilation needs every window checked, which the output size limit (checked first) bounds.
 */
function checkWindowsTouchInput(node: Node, x: Shape, out: Shape): void {
  if (node.kind !== 'maxpool' && !(node.kind === 'avgpool' && !node.countIncludePad)) return;
  const n = node.kernel.length;
  for (let i = 0; i < n; i++) {
    const size = x[i + 1];
    const k = node.kernel[i];
    const s = node.strides[i];
    const pb = node.pads[i];
    const d = node.kind === 'maxpool' ? node.dilations[i] : 1;
    const last = out[i + 1] - 1;
    const step = d <= size ? Math.max(last, 1) : 1;
    for (let o = 0; o <= last; o += step) {
      if (!windowTouches(o * s - pb, k, d, size)) throw inputError(M.windowInPadding(node.name, node.sourceOp, i, o));
    }
  }
}

/** Elements of the structures a node derives per sample: one analog connection per weight tap or window tap. */
export function connectionsOf(node: Node, inShape: Shape, outShape: Shape): number {
  return node.kind === 'maxpool' ? sizeOf(outShape) * sizeOf(node.kernel) : nodeMacs(node, inShape, outShape);
}

/**
 * The checks on a node's output that need its shape: the output and what lowering derives from it (connections)
 * within the element limit, and pooling windows that hold an input element. Done before anything is allocated.
 */
export function checkNodeOutput(node: Node, inputs: readonly Shape[], out: Shape, maxTensorElements: number): void {
  if (out.length > MAX_RANK) fail(node, `its output has ${out.length} dimensions, more than ${MAX_RANK}`);
  if (sizeOf(out) > maxTensorElements) throw inputError(M.tensorTooLarge(`output of node '${node.name}'`, out, maxTensorElements));
  const connections = connectionsOf(node, inputs[0], out);
  if (connections > maxTensorElements) throw inputError(M.derivedTooLarge(node.name, node.sourceOp, 'connections (weight or window taps)', connections, maxTensorElements));
  checkWindowsTouchInput(node, inputs[0], out);
}

export interface ShapeOptions {
  /** Largest number of elements allowed in any one activation (refused before allocation). */
  readonly maxTensorElements: number;
}

/** Shapes of every activation in the graph, keyed by name; throws on the first inconsistency. */
export function inferShapes(graph: Graph, options: ShapeOptions): Map<string, number[]> {
  // Structure first (field types, single assignment, order), so a malformed value is an input error, not a TypeError.
  return inferCheckedShapes(graph, checkGraphValue(graph, options));
}

/** inferShapes for a graph whose structure checkGraphValue has passed (validateGraph checks it once for both). */
export function inferCheckedShapes(graph: Graph, maxTensorElements: number): Map<string, number[]> {
  const shapes = new Map<string, number[]>();
  shapes.set(graph.input.name, [...graph.input.shape]);
  for (const node of graph.nodes) {
    const ins = node.inputs.map((n) => shapes.get(n)!);
    const expected = node.kind === 'binary' ? 2 : node.kind === 'concat' ? -1 : 1;
    if ((expected > 0 && ins.length !== expected) || ins.length < 1) fail(node, `has ${ins.length} activation inputs`);
    const out = nodeShape(node, ins);
    checkNodeOutput(node, ins, out, maxTensorElements);
    shapes.set(node.output, out);
  }
  return shapes;
}

/** Multiply-accumulate operations of one node for one sample (0 for pure data movement). */
export function macsOf(node: Node, inShape: Shape, outShape: Shape): number {
  // Only what the count reads is checked: inspect calls this on every node of a checked graph.
  const v = node as unknown as { kind?: unknown; weight?: { shape?: unknown }; kernel?: unknown } | null;
  if (v === null || typeof v !== 'object' || ((v.kind === 'dense' || v.kind === 'conv') && !Array.isArray(v.weight?.shape)) || (v.kind === 'avgpool' && !Array.isArray(v.kernel))) {
    checkNodeValue(node, 0);
  }
  if (!Array.isArray(inShape) || !Array.isArray(outShape)) checkShapesValue(node, [inShape, outShape]);
  return nodeMacs(node, inShape, outShape);
}

function nodeMacs(node: Node, inShape: Shape, outShape: Shape): number {
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
    case 'recurrent': {
      // Per step: the gate pre-activations W x + R h, then the element-wise products of the cell.
      const T = inShape[0];
      const G = gatesOf(node.cell);
      const H = node.hiddenSize;
      const products = node.cell === 'lstm' ? 3 * H : node.cell === 'gru' ? 3 * H : 0;
      const recurrent = node.diagonalRecurrence ? H : G * H * H;
      return T * (G * H * inShape[1] + recurrent + products);
    }
    // Data movement and comparisons: no multiply-accumulates.
    case 'activation':
    case 'softmax':
    case 'maxpool':
    case 'reshape':
    case 'transpose':
    case 'concat':
    case 'pad':
    case 'slice':
    case 'gather':
      return 0;
  }
  return unknownKind(node);
}
