// Structural tests of lowering: what each op becomes (counts of neurons by role/activation), including the cases
// where a pass must not fire, and numerical equivalence on each small graph.

import { describe, expect, it } from 'vitest';
import type { Graph, Node } from '../../src/ir/ops.js';
import { foldBatchNorm } from '../../src/lower/fold-batchnorm.js';
import { lowerToTnet } from '../../src/lower/to-tnet.js';
import { evaluate } from '../../src/reference/evaluate.js';
import { evaluateTnet } from '../../src/tnet/evaluate.js';
import { tnetStats } from '../../src/tnet/stats.js';
import { verifyTnet } from '../../src/tnet/verify.js';
import { BLOCK } from '../../src/tnet/blocks.js';
import { Rng } from '../../src/util/random.js';
import { maxAbsDiff } from '../helpers.js';

const rng = new Rng(11);
const rand = (n: number, lo = -1, hi = 1) => Float64Array.from({ length: n }, () => rng.uniform(lo, hi));

function graph(shape: number[], nodes: Node[], output = nodes[nodes.length - 1].output): Graph {
  return { name: 't', origin: 'test', input: { name: 'x', shape }, output, nodes };
}

function lowerAndCheck(g: Graph, samples = 16) {
  const size = g.input.shape.reduce((a, b) => a * b, 1);
  const xs = Array.from({ length: samples }, () => rand(size, -2, 2));
  const { net, notes } = lowerToTnet(g);
  verifyTnet(net);
  expect(maxAbsDiff(evaluateTnet(net, xs).outputs, evaluate(g, xs).outputs)).toBeLessThanOrEqual(1e-12);
  return { net, stats: tnetStats(net), notes };
}

const conv = (name: string, input: string, output: string, cin: number, cout: number, group = 1): Node => ({
  kind: 'conv', name, inputs: [input], output, sourceOp: 'Conv', weight: { shape: [cout, cin / group, 3, 3], data: rand(cout * (cin / group) * 9) },
  bias: rand(cout), strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1], group,
});
const act = (name: string, input: string, output: string, fn: Extract<Node, { kind: 'activation' }>['fn']): Node => ({ kind: 'activation', name, inputs: [input], output, sourceOp: fn.type, fn });
const bn = (name: string, input: string, output: string, c: number): Node => ({
  kind: 'batchnorm', name, inputs: [input], output, sourceOp: 'BatchNormalization', scale: rand(c, 0.5, 2), bias: rand(c), mean: rand(c), variance: rand(c, 0.1, 1), epsilon: 1e-5,
});

describe('fold-batchnorm', () => {
  it('folds a batch norm into the conv that feeds only it', () => {
    const g = graph([2, 4, 4], [conv('c', 'x', 'h', 2, 3), bn('bn', 'h', 'y', 3)]);
    const r = foldBatchNorm(g);
    expect(r.changed).toBe(true);
    expect(r.value.nodes.map((n) => n.kind)).toEqual(['conv']);
    expect(r.value.nodes[0].sourceOp).toBe('Conv+BatchNormalization');
    const xs = [rand(32), rand(32)];
    expect(maxAbsDiff(evaluate(r.value, xs).outputs, evaluate(g, xs).outputs)).toBeLessThanOrEqual(1e-12);
  });

  it('does not fire when the conv output has another consumer', () => {
    const g = graph([2, 4, 4], [conv('c', 'x', 'h', 2, 3), bn('bn', 'h', 'b', 3), { kind: 'binary', name: 'add', inputs: ['h', 'b'], output: 'y', sourceOp: 'Add', op: 'add' }]);
    expect(foldBatchNorm(g).changed).toBe(false);
  });

  it('does not fire after a non-linear op', () => {
    const g = graph([2, 4, 4], [act('r', 'x', 'h', { type: 'relu' }), bn('bn', 'h', 'y', 2)]);
    expect(foldBatchNorm(g).changed).toBe(false);
  });
});

describe('lowering', () => {
  it('conv + batch norm + relu is one layer of relu neurons (one per output element)', () => {
    const { stats } = lowerAndCheck(graph([2, 4, 4], [conv('c', 'x', 'h', 2, 3), bn('bn', 'h', 'b', 3), act('r', 'b', 'y', { type: 'relu' })]));
    expect(stats.neurons).toBe(48);
    expect(stats.neuronsByActivation.relu).toBe(48);
    expect(stats.maxFanIn).toBe(18);
  });

  it('a depthwise conv reads one channel per neuron', () => {
    const { stats } = lowerAndCheck(graph([3, 4, 4], [conv('c', 'x', 'h', 3, 3, 3), act('r', 'h', 'y', { type: 'relu' })]));
    expect(stats.maxFanIn).toBe(9);
  });

  it('reshape, transpose, concat and pad create no neurons', () => {
    const { net, stats } = lowerAndCheck(graph([2, 3], [
      { kind: 'transpose', name: 't', inputs: ['x'], output: 't', sourceOp: 'Transpose', perm: [1, 0] },
      { kind: 'pad', name: 'p', inputs: ['t'], output: 'p', sourceOp: 'Pad', pads: [1, 0, 0, 1], value: 0.5 },
      { kind: 'concat', name: 'c', inputs: ['p', 'p'], output: 'c', sourceOp: 'Concat', axis: 1 },
      { kind: 'reshape', name: 'r', inputs: ['c'], output: 'r', sourceOp: 'Flatten', shape: [24] },
      act('relu', 'r', 'y', { type: 'relu' }),
    ]));
    // The relu makes one neuron per real element (12: concat duplicated the 6 inputs); padded elements are constants
    // (relu(0.5) = 0.5 folds), and a constant output is driven by a bias-only identity neuron (12 of them).
    expect(stats.neuronsByKind.compute).toBe(12);
    expect(stats.neuronsByKind.linear).toBe(12);
    expect(stats.neurons).toBe(24);
    // No neuron belongs to the wiring ops (origins 0-3): only to the relu (origin 4) or the output.
    for (let i = 0; i < net.neurons.count; i++) expect(net.neurons.origin[i]).toBeGreaterThanOrEqual(4);
  });

  it('max pooling 2x2 uses three comparators relu(a - b) per window', () => {
    const { stats } = lowerAndCheck(graph([1, 4, 4], [
      act('r', 'x', 'h', { type: 'relu' }),
      { kind: 'maxpool', name: 'mp', inputs: ['h'], output: 'm', sourceOp: 'MaxPool', kernel: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0], dilations: [1, 1], ceilMode: false },
      act('s', 'm', 'y', { type: 'sigmoid' }),
    ]));
    expect(stats.neuronsByKind.pool).toBe(12);
    expect(stats.neuronsByActivation.relu).toBe(16 + 12);
  });

  it('leaky relu is two relu paths per element', () => {
    const { stats } = lowerAndCheck(graph([5], [act('l', 'x', 'h', { type: 'leakyRelu', alpha: 0.1 }), act('t', 'h', 'y', { type: 'tanh' })]));
    expect(stats.neuronsByActivation.relu).toBe(10);
    expect(stats.neuronsByActivation.tanh).toBe(5);
  });

  it('relu6 and hard-sigmoid are clipped-relu neurons; one-sided clips are relu with an offset', () => {
    for (const [fn, act2] of [
      [{ type: 'clip', min: 0, max: 6 }, 'clippedRelu'],
      [{ type: 'hardSigmoid', alpha: 0.2, beta: 0.5 }, 'clippedRelu'],
      [{ type: 'clip', min: -1, max: 2 }, 'clippedRelu'],
      [{ type: 'clip', min: -Infinity, max: 2 }, 'relu'],
      [{ type: 'clip', min: 0.5, max: Infinity }, 'relu'],
    ] as const) {
      const { stats } = lowerAndCheck(graph([6], [act('a', 'x', 'y', fn)]));
      expect(stats.neuronsByActivation[act2]).toBe(6);
    }
  });

  it('a residual add of two relu layers is one identity summator per element (materialized at the output)', () => {
    const { stats } = lowerAndCheck(graph([4], [
      act('a', 'x', 'a', { type: 'relu' }),
      act('b', 'x', 'b', { type: 'tanh' }),
      { kind: 'binary', name: 'add', inputs: ['a', 'b'], output: 'y', sourceOp: 'Add', op: 'add' },
    ]));
    expect(stats.neuronsByKind.linear).toBe(4);
  });

  it('a final softmax becomes a digital tail', () => {
    const { net, notes } = lowerAndCheck(graph([3], [
      act('r', 'x', 'h', { type: 'relu' }),
      { kind: 'softmax', name: 'sm', inputs: ['h'], output: 'y', sourceOp: 'Softmax', axes: [0] },
    ]));
    expect(net.tail).toEqual({ kind: 'softmax', axes: [0] });
    expect(notes.join()).toMatch(/digital tail/);
  });

  it('refuses a softmax inside the network', () => {
    expect(() => lowerToTnet(graph([3], [
      { kind: 'softmax', name: 'sm', inputs: ['x'], output: 'h', sourceOp: 'Softmax', axes: [0] },
      act('r', 'h', 'y', { type: 'relu' }),
    ]))).toThrow(/Softmax inside the network/);
  });
});

describe('products of two activations: multiplier blocks', () => {
  const mul = (name: string, a: string, b: string, output: string): Node => ({ kind: 'binary', name, inputs: [a, b], output, sourceOp: 'Mul', op: 'mul' });
  const cb = (name: string, input: string, output: string, op: 'add' | 'mul', c: number[]): Node => ({
    kind: 'constBinary', name, inputs: [input], output, sourceOp: op === 'add' ? 'Add' : 'Mul', op, constant: Float64Array.from(c), constantElements: c.length, constantOnLeft: false,
  });
  const blocks = (net: ReturnType<typeof lowerToTnet>['net'], kind: number) => net.neurons.block.filter((b) => b === kind).length;
  const dense = (name: string, input: string, output: string, k: number, o: number): Node => ({
    kind: 'dense', name, inputs: [input], output, sourceOp: 'Gemm', weight: { shape: [o, k], data: rand(o * k) }, bias: rand(o),
  });

  it('relu(x) * x is one multiplier per element reading the two signals, no other block', () => {
    const { net } = lowerAndCheck(graph([4], [act('r', 'x', 'a', { type: 'relu' }), mul('m', 'a', 'x', 'y')]));
    expect(blocks(net, BLOCK.multiplier)).toBe(4);
    expect(blocks(net, BLOCK.neuron)).toBe(4);
    const n = net.neurons;
    for (let i = 0; i < n.count; i++) {
      if (n.block[i] !== BLOCK.multiplier) continue;
      expect(n.rowPtr[i + 1] - n.rowPtr[i]).toBe(2);
      expect(n.paramA[i]).toBe(1);
      expect(n.bias[i]).toBe(0);
    }
  });

  it('x * x squares one signal: the multiplier reads it twice', () => {
    const { net } = lowerAndCheck(graph([3], [mul('m', 'x', 'x', 'y')]));
    const n = net.neurons;
    expect(blocks(net, BLOCK.multiplier)).toBe(3);
    for (let i = 0; i < n.count; i++) expect(n.src[n.rowPtr[i]]).toBe(n.src[n.rowPtr[i] + 1]);
  });

  it('gains and offsets of single-signal operands expand exactly: (2x + 1)(x - 3) needs one multiplier, no neuron', () => {
    const { net } = lowerAndCheck(graph([3], [
      cb('s', 'x', 'u', 'mul', [2, 2, 2]), cb('o', 'u', 'a', 'add', [1, 1, 1]), cb('p', 'x', 'b', 'add', [-3, -3, -3]), mul('m', 'a', 'b', 'y'),
    ]));
    expect(blocks(net, BLOCK.multiplier)).toBe(3);
    // The outputs a sum (k x^2 + linear terms + constant) materialized once each; no neuron for the operands.
    expect(blocks(net, BLOCK.neuron)).toBe(3);
    const n = net.neurons;
    for (let i = 0; i < n.count; i++) if (n.block[i] === BLOCK.multiplier) expect(n.paramA[i]).toBe(2);
  });

  it('a multi-term operand is materialized once, however many products read it (a gate broadcast over space)', () => {
    // s = dense(pool) of shape [2, 1, 1] (a sum of many terms) gates x [2, 3, 3]: 18 multipliers.
    const { net, stats } = lowerAndCheck(graph([2, 3, 3], [
      { kind: 'reducemean', name: 'gap', inputs: ['x'], output: 'p', sourceOp: 'GlobalAveragePool', axes: [1, 2], keepDims: true },
      { kind: 'reshape', name: 'f', inputs: ['p'], output: 'pf', sourceOp: 'Flatten', shape: [2] },
      dense('d', 'pf', 'sf', 2, 2),
      { kind: 'reshape', name: 'u', inputs: ['sf'], output: 's', sourceOp: 'Reshape', shape: [2, 1, 1] },
      mul('m', 'x', 's', 'y'),
    ]));
    expect(blocks(net, BLOCK.multiplier)).toBe(18);
    // Identity neurons: the two channel means (composing them into the dense would cost more connections) and the
    // two gate values, once each; the products are the outputs, read out directly.
    expect(stats.neuronsByKind.linear).toBe(4);
    expect(stats.blocks).toEqual({ neuron: 4, multiplier: 18, delay: 0 });
    expect(stats.neurons).toBe(4);
  });

  it('an operand element that is a constant (padding) scales the other operand: no multiplier for it', () => {
    const { net } = lowerAndCheck(graph([2], [
      { kind: 'pad', name: 'pd', inputs: ['x'], output: 'a', sourceOp: 'Pad', pads: [1, 1], value: 0.5 },
      act('r', 'a', 'b', { type: 'tanh' }),
      mul('m', 'a', 'b', 'y'),
    ]));
    // 4 elements: the two padded ones are 0.5 * tanh(0.5) folded (constants), the two inner ones are products.
    expect(blocks(net, BLOCK.multiplier)).toBe(2);
  });

  it('broadcast add and sub are linear maps over both operands (no multiplier)', () => {
    for (const op of ['add', 'sub'] as const) {
      const { net } = lowerAndCheck(graph([2, 3], [
        { kind: 'reducemean', name: 'r', inputs: ['x'], output: 'm', sourceOp: 'ReduceMean', axes: [0], keepDims: false },
        act('t', 'x', 'h', { type: 'tanh' }),
        { kind: 'binary', name: 'b', inputs: ['h', 'm'], output: 'y', sourceOp: op, op },
      ]));
      expect(blocks(net, BLOCK.multiplier)).toBe(0);
    }
  });
});
