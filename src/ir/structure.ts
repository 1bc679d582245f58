// The structural contract of a Graph value, checked before shapes or numbers: every field has its declared type
// (parameters are Float64Arrays as long as their shapes say), every tensor name is assigned once, and every node reads
// only tensors assigned before it; a node reading a later tensor is reported as a cycle or as nodes out of order.
// A Graph from the importer always passes; the checks are for graphs built by library callers, so that a malformed
// value gives an input error naming the field instead of a TypeError deep in a later stage. Linear in the graph.

import { inputError } from '../errors.js';
import { M } from '../messages/index.js';
import type { Node, NodeKind } from './ops.js';
import { sizeOf } from './tensor.js';
import type { ShapeOptions } from './shapes.js';

/** Most dimensions a tensor may have: bounds every per-axis loop, and no trained network comes near it. */
export const MAX_RANK = 32;

/** Called after an exhaustive switch over node kinds: unreachable for a typed Node, an input error for a bad value. */
export function unknownKind(node: never): never {
  const kind = (node as { kind?: unknown } | null)?.kind;
  throw inputError(M.badGraphValue('node kind', `one of ${KINDS.join(', ')}`, describe(kind)));
}

const KINDS: readonly NodeKind[] = ['dense', 'conv', 'batchnorm', 'activation', 'softmax', 'maxpool', 'avgpool', 'reducemean',
  'reshape', 'transpose', 'concat', 'binary', 'constBinary', 'pad', 'slice', 'gather', 'recurrent'];
const CELLS = ['rnn', 'lstm', 'gru'];
const RECURRENT_ACTIVATIONS = ['sigmoid', 'tanh', 'relu', 'hardSigmoid'];
const RECURRENT_OUTPUTS = ['sequence', 'hidden', 'cell'];
const ACTIVATIONS = ['relu', 'clip', 'leakyRelu', 'sigmoid', 'hardSigmoid', 'tanh', 'elu', 'selu', 'softplus', 'softsign'];
const BINARY_OPS = ['add', 'sub', 'mul'];

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v instanceof Float64Array) return `a Float64Array of ${v.length}`;
  if (typeof v === 'string') return `'${v.length > 40 ? `${v.slice(0, 40)}...` : v}'`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return typeof v;
}

/**
 * Checks of one value's fields; the message names the field under `prefix`, or under node `name` (or the node's
 * index while its name is unknown). The path is built only on failure: these checks run on every node of every graph.
 */
class Fields {
  constructor(private readonly prefix: string, private readonly index = -1, private readonly name: string | null = null) {}
  private fail(field: string, want: string, got: unknown): never {
    const path = this.name !== null ? `node '${this.name}' ${field}` : this.index >= 0 ? `nodes[${this.index}]${field}` : `${this.prefix}${field}`;
    throw inputError(M.badGraphValue(path, want, describe(got)));
  }
  object(field: string, v: unknown): Record<string, unknown> {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail(field, 'an object', v);
    return v as Record<string, unknown>;
  }
  string(field: string, v: unknown, nonEmpty = true): string {
    if (typeof v !== 'string' || (nonEmpty && v === '')) this.fail(field, nonEmpty ? 'a non-empty string' : 'a string', v);
    return v;
  }
  number(field: string, v: unknown): void {
    if (typeof v !== 'number') this.fail(field, 'a number', v);
  }
  boolean(field: string, v: unknown): void {
    if (typeof v !== 'boolean') this.fail(field, 'a boolean', v);
  }
  oneOf(field: string, v: unknown, allowed: readonly string[]): void {
    if (typeof v !== 'string' || !allowed.includes(v)) this.fail(field, `one of ${allowed.join(', ')}`, v);
  }
  /** A short list of integers (axes, strides, pads, a shape). */
  ints(field: string, v: unknown, maxLength = 2 * MAX_RANK): readonly number[] {
    if (!Array.isArray(v) || v.length > maxLength) this.fail(field, `an array of at most ${maxLength} integers`, v);
    for (const d of v as unknown[]) if (typeof d !== 'number' || !Number.isSafeInteger(d)) this.fail(`${field} values`, 'integers', d);
    return v as number[];
  }
  shape(field: string, v: unknown): readonly number[] {
    const s = this.ints(field, v, MAX_RANK);
    for (const d of s) if (d < 0) this.fail(`${field} values`, 'sizes >= 0', d);
    return s;
  }
  floats(field: string, v: unknown, length?: number): void {
    if (!(v instanceof Float64Array) || (length !== undefined && v.length !== length)) {
      this.fail(field, `a Float64Array${length !== undefined ? ` of ${length} values` : ''}`, v);
    }
  }
  optionalFloats(field: string, v: unknown): void {
    if (v !== null) this.floats(field, v);
  }
  tensor(field: string, v: unknown): void {
    const t = this.object(field, v);
    const shape = this.shape(`${field}.shape`, t.shape);
    this.floats(`${field}.data`, t.data, sizeOf(shape));
  }
}

/** The fields of one node, by kind; `index` places it in the graph for the message. */
export function checkNodeValue(v: unknown, index: number): Node {
  const f0 = new Fields('', index);
  const node = f0.object('', v);
  f0.oneOf('.kind', node.kind, KINDS);
  const f = new Fields('', index, f0.string('.name', node.name));
  if (!Array.isArray(node.inputs)) f.object('inputs', node.inputs);
  const inputs = node.inputs as unknown[];
  for (let i = 0; i < inputs.length; i++) if (typeof inputs[i] !== 'string' || inputs[i] === '') f.string(`inputs[${i}]`, inputs[i]);
  f.string('output', node.output);
  f.string('sourceOp', node.sourceOp, false);
  const n = node as unknown as Node;
  switch (n.kind) {
    case 'dense':
      f.tensor('weight', n.weight);
      f.optionalFloats('bias', n.bias);
      break;
    case 'conv':
      f.tensor('weight', n.weight);
      f.optionalFloats('bias', n.bias);
      f.ints('strides', n.strides);
      f.ints('pads', n.pads);
      f.ints('dilations', n.dilations);
      f.number('group', n.group);
      break;
    case 'batchnorm':
      f.floats('scale', n.scale);
      f.floats('bias', n.bias);
      f.floats('mean', n.mean);
      f.floats('variance', n.variance);
      f.number('epsilon', n.epsilon);
      break;
    case 'activation': {
      const fn = f.object('fn', n.fn);
      f.oneOf('fn.type', fn.type, ACTIVATIONS);
      if (fn.type === 'clip') for (const k of ['min', 'max']) f.number(`fn.${k}`, fn[k]);
      if (fn.type === 'leakyRelu' || fn.type === 'elu') f.number('fn.alpha', fn.alpha);
      if (fn.type === 'selu') for (const k of ['alpha', 'gamma']) f.number(`fn.${k}`, fn[k]);
      if (fn.type === 'hardSigmoid') for (const k of ['alpha', 'beta']) f.number(`fn.${k}`, fn[k]);
      break;
    }
    case 'softmax':
    case 'reducemean':
      f.ints('axes', n.axes);
      if (n.kind === 'reducemean') f.boolean('keepDims', n.keepDims);
      break;
    case 'maxpool':
    case 'avgpool':
      f.ints('kernel', n.kernel);
      f.ints('strides', n.strides);
      f.ints('pads', n.pads);
      f.boolean('ceilMode', n.ceilMode);
      if (n.kind === 'maxpool') f.ints('dilations', n.dilations);
      else f.boolean('countIncludePad', n.countIncludePad);
      break;
    case 'reshape':
      f.ints('shape', n.shape);
      break;
    case 'transpose':
      f.ints('perm', n.perm);
      break;
    case 'concat':
      f.number('axis', n.axis);
      break;
    case 'binary':
      f.oneOf('op', n.op, BINARY_OPS);
      break;
    case 'constBinary':
      f.oneOf('op', n.op, BINARY_OPS);
      f.floats('constant', n.constant);
      f.number('constantElements', n.constantElements);
      f.boolean('constantOnLeft', n.constantOnLeft);
      break;
    case 'pad':
      f.ints('pads', n.pads);
      f.number('value', n.value);
      break;
    case 'slice':
      f.ints('starts', n.starts);
      f.ints('ends', n.ends);
      f.ints('steps', n.steps);
      f.shape('shape', n.shape);
      break;
    case 'gather':
      f.number('axis', n.axis);
      f.ints('indices', n.indices);
      break;
    case 'recurrent': {
      f.oneOf('cell', n.cell, CELLS);
      f.number('hiddenSize', n.hiddenSize);
      f.tensor('weight', n.weight);
      f.tensor('recurrence', n.recurrence);
      f.floats('inputBias', n.inputBias);
      f.floats('recurrenceBias', n.recurrenceBias);
      if (!Array.isArray(n.activations) || n.activations.length > 3) f.object('activations', n.activations);
      n.activations.forEach((a, i) => f.oneOf(`activations[${i}]`, a, RECURRENT_ACTIVATIONS));
      if (n.hardSigmoid !== null) {
        f.object('hardSigmoid', n.hardSigmoid);
        f.number('hardSigmoid.alpha', n.hardSigmoid.alpha);
        f.number('hardSigmoid.beta', n.hardSigmoid.beta);
      }
      f.boolean('linearBeforeReset', n.linearBeforeReset);
      if (n.layout !== 0 && n.layout !== 1) f.oneOf('layout', String(n.layout), ['0', '1']);
      f.floats('initialH', n.initialH);
      f.optionalFloats('initialC', n.initialC);
      f.oneOf('produces', n.produces, RECURRENT_OUTPUTS);
      f.boolean('diagonalRecurrence', n.diagonalRecurrence);
      if (n.sharedWith !== null) f.string('sharedWith', n.sharedWith);
      break;
    }
    default:
      unknownKind(n);
  }
  return n;
}

/** Shapes handed to a per-node function: arrays of sizes. */
export function checkShapesValue(node: Node, shapes: unknown): void {
  const f = new Fields('', -1, node.name);
  if (!Array.isArray(shapes)) f.object('input shapes', shapes);
  (shapes as unknown[]).forEach((s, i) => f.shape(`input shape ${i}`, s));
}

/**
 * A node on a cycle of a graph of n nodes whose node k reads the nodes `preds(k)`, or null if it has none: Kahn's
 * algorithm removes every node outside a cycle; walking back from a node left must revisit one, which is on a cycle.
 */
export function nodeOnCycle(n: number, preds: (k: number) => readonly number[]): number | null {
  const indegree = new Int32Array(n);
  const succStart = new Int32Array(n + 1);
  for (let k = 0; k < n; k++) for (const p of preds(k)) {
    indegree[k]++;
    succStart[p + 1]++;
  }
  for (let k = 0; k < n; k++) succStart[k + 1] += succStart[k];
  const succ = new Int32Array(succStart[n]);
  const fill = succStart.slice(0, n);
  for (let k = 0; k < n; k++) for (const p of preds(k)) succ[fill[p]++] = k;
  const queue: number[] = [];
  for (let k = 0; k < n; k++) if (indegree[k] === 0) queue.push(k);
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head];
    for (let e = succStart[v]; e < succStart[v + 1]; e++) if (--indegree[succ[e]] === 0) queue.push(succ[e]);
  }
  if (queue.length === n) return null;
  let v = indegree.findIndex((d) => d > 0);
  const seen = new Uint8Array(n);
  while (!seen[v]) {
    seen[v] = 1;
    v = preds(v).find((p) => indegree[p] > 0)!;
  }
  return v;
}

/**
 * Checks a Graph value's structure (see the module comment) and the options; returns the element limit. Throws an
 * input error naming the first malformed field, duplicate name, or the cycle or order problem.
 */
export function checkGraphValue(graph: unknown, options: unknown): number {
  const f = new Fields('');
  if (options === null || typeof options !== 'object') throw inputError(M.badImportArgument('the shape options must be an object { maxTensorElements }', describe(options)));
  const limit = (options as Partial<ShapeOptions>).maxTensorElements;
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1) {
    throw inputError(M.badImportArgument('maxTensorElements must be a positive integer', describe(limit)));
  }
  const g = f.object('graph', graph);
  f.string('name', g.name, false);
  f.string('origin', g.origin, false);
  const input = f.object('input', g.input);
  const inputName = f.string('input.name', input.name);
  const shape = f.shape('input.shape', input.shape);
  if (shape.length === 0 || shape.some((d) => d < 1)) throw inputError(M.noInputShape(inputName));
  const output = f.string('output', g.output);
  if (!Array.isArray(g.nodes)) f.object('nodes', g.nodes);
  const nodes = (g.nodes as unknown[]).map(checkNodeValue);
  // Who assigns each tensor: -1 the graph input, k node k.
  const producer = new Map<string, number>([[inputName, -1]]);
  const names = new Set<string>();
  nodes.forEach((node, k) => {
    if (names.has(node.name)) throw inputError(M.duplicateNode(node.name));
    names.add(node.name);
    const p = producer.get(node.output);
    if (p !== undefined) throw inputError(M.duplicateTensor(node.output, p < 0 ? 'the graph input' : `node '${nodes[p].name}'`, `node '${node.name}'`));
    producer.set(node.output, k);
  });
  nodes.forEach((node, k) => {
    for (const input of node.inputs) {
      const p = producer.get(input);
      if (p === undefined) throw inputError(M.undefinedInput(`node '${node.name}'`, input));
      if (p >= k) {
        const preds = (j: number) => nodes[j].inputs.map((i) => producer.get(i) ?? -1).filter((q) => q >= 0);
        const onCycle = nodeOnCycle(nodes.length, preds);
        throw inputError(onCycle !== null ? M.cycle(nodes[onCycle].name) : M.outOfOrder(node.name, input, nodes[p].name));
      }
    }
  });
  if (!producer.has(output)) throw inputError(M.undefinedInput('the graph output', output));
  return limit;
}
