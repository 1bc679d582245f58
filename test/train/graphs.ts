// Small IR graphs for the training tests, built by hand with seeded random parameters: every op kind the trainer
// supports appears in at least one, each after a parameterized layer, so its backward pass shows in a parameter
// gradient that the finite-difference check compares.

import type { ActivationFn, Graph, Node } from '../../src/ir/ops.js';
import { Rng } from '../../src/util/random.js';

export function randn(rng: Rng, n: number, s = 0.5): Float64Array {
  return Float64Array.from({ length: n }, () => s * rng.normal());
}

let counter = 0;
const nm = (k: string) => `${k}${counter++}`;

export class G {
  readonly nodes: Node[] = [];
  private last: string;
  constructor(readonly rng: Rng, readonly shape: number[]) {
    this.last = 'x';
  }
  get cur(): string {
    return this.last;
  }
  push(n: Omit<Node, 'name' | 'output' | 'sourceOp'> & { inputs?: readonly string[] }, out?: string): string {
    const name = nm(n.kind);
    const node = { sourceOp: n.kind, name, output: out ?? name, ...n, inputs: n.inputs ?? [this.last] } as unknown as Node;
    this.nodes.push(node);
    this.last = node.output;
    return node.output;
  }
  dense(inF: number, outF: number, bias = true, from?: string): string {
    return this.push({ kind: 'dense', inputs: [from ?? this.last], weight: { shape: [outF, inF], data: randn(this.rng, outF * inF) }, bias: bias ? randn(this.rng, outF, 0.1) : null } as never);
  }
  conv(C: number, M: number, k: number[], o: { group?: number; strides?: number[]; pads?: number[]; dilations?: number[] } = {}): string {
    const group = o.group ?? 1;
    const n = k.length;
    const wn = M * (C / group) * k.reduce((a, b) => a * b, 1);
    return this.push({
      kind: 'conv', weight: { shape: [M, C / group, ...k], data: randn(this.rng, wn) }, bias: randn(this.rng, M, 0.1), group,
      strides: o.strides ?? new Array(n).fill(1), pads: o.pads ?? new Array(2 * n).fill(0), dilations: o.dilations ?? new Array(n).fill(1),
    } as never);
  }
  act(fn: ActivationFn, from?: string): string {
    return this.push({ kind: 'activation', fn, inputs: [from ?? this.last] } as never);
  }
  graph(output = this.last): Graph {
    return { name: 'test', input: { name: 'x', shape: this.shape }, output, nodes: this.nodes, origin: 'test' };
  }
}

/** Named graphs over every op kind; each maps a sample of its input shape to `outputs` values. */
export function testGraphs(seed = 7): { name: string; graph: Graph; outputs: number }[] {
  const out: { name: string; graph: Graph; outputs: number }[] = [];
  {
    const g = new G(new Rng(seed), [5]);
    g.dense(5, 6);
    g.act({ type: 'relu' });
    g.dense(6, 3);
    out.push({ name: 'mlp relu', graph: g.graph(), outputs: 3 });
  }
  {
    // conv 2-D with stride, padding, dilation; batch norm; leaky ReLU; max pool (ceil mode); flatten; dense
    const g = new G(new Rng(seed + 1), [2, 6, 6]);
    g.conv(2, 3, [3, 3], { strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1] });
    g.push({ kind: 'batchnorm', scale: randn(g.rng, 3, 1).map((v) => 1 + 0.2 * v), bias: randn(g.rng, 3, 0.1), mean: randn(g.rng, 3, 0.1), variance: Float64Array.from([0.5, 1, 2]), epsilon: 1e-5 } as never);
    g.act({ type: 'leakyRelu', alpha: 0.1 });
    g.push({ kind: 'maxpool', kernel: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0], dilations: [1, 1], ceilMode: true } as never);
    g.conv(3, 2, [2, 2], { strides: [2, 1], dilations: [1, 2] });
    g.act({ type: 'relu' });
    g.push({ kind: 'reshape', shape: [2] } as never);
    g.dense(2, 3);
    out.push({ name: 'conv2d bn leaky maxpool dilated', graph: g.graph(), outputs: 3 });
  }
  {
    // grouped conv; average pool with padding, both divisor rules; sigmoid; reducemean; dense
    const g = new G(new Rng(seed + 2), [4, 5, 5]);
    g.conv(4, 4, [3, 3], { group: 2, pads: [1, 1, 1, 1] });
    g.act({ type: 'sigmoid' });
    g.push({ kind: 'avgpool', kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceilMode: false, countIncludePad: false } as never);
    g.push({ kind: 'avgpool', kernel: [2, 2], strides: [1, 1], pads: [0, 0, 1, 1], ceilMode: false, countIncludePad: true } as never);
    g.push({ kind: 'reducemean', axes: [1, 2], keepDims: false } as never);
    g.dense(4, 2);
    out.push({ name: 'grouped conv sigmoid avgpool reducemean', graph: g.graph(), outputs: 2 });
  }
  {
    // depthwise conv 1-D; tanh; transpose; slice; pad; hard sigmoid; flatten; dense
    const g = new G(new Rng(seed + 3), [3, 8]);
    g.conv(3, 3, [3], { group: 3, pads: [1, 0], strides: [2] });
    g.act({ type: 'tanh' });
    g.push({ kind: 'transpose', perm: [1, 0] } as never); // [4, 3]
    g.push({ kind: 'slice', starts: [3, 0], ends: [-1, 3], steps: [-1, 2], shape: [4, 2] } as never);
    g.push({ kind: 'pad', pads: [1, 0, 0, 1], value: 0.25 } as never); // [5, 3]
    // gather along axis 0 with a repeat and an inserted zero (-1): [6, 3]
    g.push({ kind: 'gather', axis: 0, indices: [4, 0, -1, 2, 2, 1] } as never);
    g.act({ type: 'hardSigmoid', alpha: 0.3, beta: 0.5 });
    g.push({ kind: 'reshape', shape: [18] } as never);
    g.dense(18, 3);
    out.push({ name: 'depthwise conv1d tanh transpose slice pad gather hardsigmoid', graph: g.graph(), outputs: 3 });
  }
  {
    // two branches: concat; binary add, sub and mul with broadcasting; constBinary; clip; a softmax inside; dense
    const g = new G(new Rng(seed + 4), [4]);
    const a = g.dense(4, 6);
    const r = g.act({ type: 'relu' }, a);
    const b = g.dense(4, 6, true, 'x');
    const t = g.act({ type: 'tanh' }, b);
    const c = g.push({ kind: 'concat', axis: 0, inputs: [r, t] } as never); // [12]
    const c2 = g.push({ kind: 'reshape', shape: [3, 4], inputs: [c] } as never);
    const s = g.dense(4, 1, true, 'x'); // [1]
    const m = g.push({ kind: 'binary', op: 'mul', inputs: [c2, s] } as never); // [3,4] * [1]
    const ad = g.push({ kind: 'binary', op: 'add', inputs: [m, c2] } as never);
    const sb = g.push({ kind: 'binary', op: 'sub', inputs: [ad, m] } as never);
    g.push({ kind: 'constBinary', op: 'sub', constant: randn(g.rng, 12), constantElements: 12, constantOnLeft: true, inputs: [sb] } as never);
    g.push({ kind: 'constBinary', op: 'mul', constant: randn(g.rng, 12), constantElements: 12, constantOnLeft: false } as never);
    g.act({ type: 'clip', min: -1.5, max: 1.5 });
    g.push({ kind: 'softmax', axes: [1] } as never);
    g.push({ kind: 'reshape', shape: [12] } as never);
    g.dense(12, 3);
    out.push({ name: 'branches concat broadcast binary constBinary clip inner softmax', graph: g.graph(), outputs: 3 });
  }
  {
    // the smooth activations of issue 19: elu, selu, softplus, softsign
    const g = new G(new Rng(seed + 6), [4]);
    g.dense(4, 5);
    g.act({ type: 'elu', alpha: 0.7 });
    g.dense(5, 5);
    g.act({ type: 'selu', alpha: 1.6732632, gamma: 1.050701 });
    g.dense(5, 4);
    g.act({ type: 'softplus' });
    g.dense(4, 4);
    g.act({ type: 'softsign' });
    g.dense(4, 2);
    out.push({ name: 'mlp elu selu softplus softsign', graph: g.graph(), outputs: 2 });
  }
  {
    // a final softmax (cross-entropy on its input in logits mode; MSE through it otherwise)
    const g = new G(new Rng(seed + 5), [3]);
    g.dense(3, 4);
    g.act({ type: 'sigmoid' });
    g.dense(4, 3);
    g.push({ kind: 'softmax', axes: [0] } as never);
    out.push({ name: 'final softmax', graph: g.graph(), outputs: 3 });
  }
  return out;
}

/** A recurrent node over [T, I] with seeded parameters (the IR's field set, as the ONNX importer fills it). */
export function recurrentNode(rng: Rng, o: {
  cell: 'rnn' | 'lstm' | 'gru'; I: number; H: number; activations: ('sigmoid' | 'tanh' | 'relu' | 'hardSigmoid')[]; produces: 'sequence' | 'hidden' | 'cell';
  linearBeforeReset?: boolean; initialState?: boolean; name?: string; sharedWith?: Node;
}, input = 'x'): Node {
  const G = o.cell === 'lstm' ? 4 : o.cell === 'gru' ? 3 : 1;
  const name = o.name ?? nm('recurrent');
  const owner = o.sharedWith as (Node & { kind: 'recurrent' }) | undefined;
  return {
    kind: 'recurrent', name, sourceOp: o.cell.toUpperCase(), inputs: [input], output: `${name}.${o.produces}`,
    cell: o.cell, hiddenSize: o.H,
    weight: owner ? owner.weight : { shape: [G * o.H, o.I], data: randn(rng, G * o.H * o.I) },
    recurrence: owner ? owner.recurrence : { shape: [G * o.H, o.H], data: randn(rng, G * o.H * o.H, 0.4) },
    inputBias: owner ? owner.inputBias : randn(rng, G * o.H, 0.2),
    recurrenceBias: owner ? owner.recurrenceBias : randn(rng, G * o.H, 0.2),
    activations: o.activations,
    hardSigmoid: o.activations.includes('hardSigmoid') ? { alpha: 0.2, beta: 0.5 } : null,
    linearBeforeReset: o.linearBeforeReset ?? false,
    layout: 0,
    initialH: owner ? owner.initialH : o.initialState ? randn(rng, o.H, 0.5) : new Float64Array(o.H),
    initialC: o.cell !== 'lstm' ? null : owner ? owner.initialC : o.initialState ? randn(rng, o.H, 0.5) : new Float64Array(o.H),
    produces: o.produces,
    diagonalRecurrence: false,
    sharedWith: owner ? owner.name : null,
  } as Node;
}

/** Recurrent graphs: every cell kind and variant, its output flattened into a dense readout. */
export function recurrentGraphs(seed = 21): { name: string; graph: Graph; outputs: number }[] {
  const T = 4;
  const I = 3;
  const H = 3;
  const cases: [string, Parameters<typeof recurrentNode>[1]][] = [
    ['rnn tanh, sequence', { cell: 'rnn', I, H, activations: ['tanh'], produces: 'sequence' }],
    ['rnn relu, last hidden, initial state', { cell: 'rnn', I, H, activations: ['relu'], produces: 'hidden', initialState: true }],
    ['lstm, sequence', { cell: 'lstm', I, H, activations: ['sigmoid', 'tanh', 'tanh'], produces: 'sequence' }],
    ['lstm, cell state, initial states', { cell: 'lstm', I, H, activations: ['sigmoid', 'tanh', 'tanh'], produces: 'cell', initialState: true }],
    ['lstm hard sigmoid gates, last hidden', { cell: 'lstm', I, H, activations: ['hardSigmoid', 'tanh', 'tanh'], produces: 'hidden' }],
    ['gru linear_before_reset 0, sequence', { cell: 'gru', I, H, activations: ['sigmoid', 'tanh'], produces: 'sequence', initialState: true }],
    ['gru linear_before_reset 1, last hidden', { cell: 'gru', I, H, activations: ['sigmoid', 'tanh'], produces: 'hidden', linearBeforeReset: true, initialState: true }],
  ];
  const out: { name: string; graph: Graph; outputs: number }[] = [];
  cases.forEach(([name, o], k) => {
    const g = new G(new Rng(seed + k), [T, I]);
    const node = recurrentNode(g.rng, o);
    g.nodes.push(node);
    const n = o.produces === 'sequence' ? T * H : H;
    g.push({ kind: 'reshape', shape: [n], inputs: [node.output] } as never);
    g.dense(n, 3);
    out.push({ name, graph: g.graph(), outputs: 3 });
  });
  {
    // One source node read twice (Y and Y_h): two IR nodes sharing one set of parameters; both feed the readout.
    const g = new G(new Rng(seed + 40), [T, I]);
    const first = recurrentNode(g.rng, { cell: 'gru', I, H, activations: ['sigmoid', 'tanh'], produces: 'sequence' });
    const second = recurrentNode(g.rng, { cell: 'gru', I, H, activations: ['sigmoid', 'tanh'], produces: 'hidden', name: `${first.name}#1`, sharedWith: first });
    g.nodes.push(first, second);
    const a = g.push({ kind: 'reshape', shape: [T * H], inputs: [first.output] } as never);
    const b = g.push({ kind: 'reshape', shape: [H], inputs: [second.output] } as never);
    g.push({ kind: 'concat', axis: 0, inputs: [a, b] } as never);
    g.dense(T * H + H, 3);
    out.push({ name: 'gru read twice (shared parameters)', graph: g.graph(), outputs: 3 });
  }
  return out;
}
