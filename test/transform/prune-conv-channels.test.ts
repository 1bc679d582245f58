// Removing zero conv channels from the source network (issue 13): structural tests on hand-built graphs (including
// must-not-fire cases) and the digits CNN, whose pruned graph written as ONNX (io/onnx-export.ts) is evaluated by
// onnxruntime-node and compared with ohmnet's reference evaluator on the zeroed model (channels kept as zero rows).
// Tolerances: the removal only drops terms that are exactly 0 (or moves c * w into a bias), so the float64 reference
// agrees within 1e-12 of the output scale; onnxruntime computes in float32 (~1e-7 relative per op, a few hundred MACs
// per output), hence 1e-5 of the output scale, as in test/reference/fixtures.test.ts.

import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { importModel } from '../../src/import/index.js';
import { exportOnnx } from '../../src/io/onnx-export.js';
import { parameterCount, type Graph, type Node } from '../../src/ir/ops.js';
import { evaluate } from '../../src/reference/evaluate.js';
import { removeZeroConvChannels, zeroUnitsPrune } from '../../src/transform/prune-source.js';
import { loadFixture, maxAbsDiff } from '../helpers.js';

const params = (g: Graph) => g.nodes.reduce((k, n) => k + parameterCount(n), 0);
const scaleOf = (ys: readonly ArrayLike<number>[]) => Math.max(1e-30, ...ys.flatMap((r) => Array.from(r, Math.abs)));

// Input [1, 4, 4]; conv A 1 -> 3 channels 3x3 pad 1 (channel 1 zero); activation; then a conv B 3 -> 2 (1x1) or a
// flatten and a dense 48 -> 2.
function net(act: 'relu' | 'sigmoid', tail: 'conv' | 'dense'): Graph {
  const wa = Float64Array.from({ length: 27 }, (_, k) => (k >= 9 && k < 18 ? 0 : Math.sin(k + 1)));
  const nodes: Node[] = [
    { kind: 'conv', name: 'A', inputs: ['x'], output: 'a', sourceOp: 'Conv', weight: { shape: [3, 1, 3, 3], data: wa }, bias: Float64Array.from([0.1, 0, -0.2]), strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1], group: 1 },
    { kind: 'activation', name: 'f', inputs: ['a'], output: 'fa', sourceOp: act, fn: { type: act } as never },
  ];
  if (tail === 'conv') {
    nodes.push({ kind: 'conv', name: 'B', inputs: ['fa'], output: 'y', sourceOp: 'Conv', weight: { shape: [2, 3, 1, 1], data: Float64Array.from([1, 2, 3, -1, -2, -3]) }, bias: Float64Array.from([0.5, -0.5]), strides: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1], group: 1 });
  } else {
    nodes.push({ kind: 'reshape', name: 'flat', inputs: ['fa'], output: 'flat', sourceOp: 'Flatten', shape: [48] });
    nodes.push({ kind: 'dense', name: 'D', inputs: ['flat'], output: 'y', sourceOp: 'Gemm', weight: { shape: [2, 48], data: Float64Array.from({ length: 96 }, (_, k) => Math.cos(k)) }, bias: null });
  }
  return { name: 't', origin: 'test', input: { name: 'x', shape: [1, 4, 4] }, output: 'y', nodes };
}
const xs = [Array.from({ length: 16 }, (_, k) => k / 15), Array.from({ length: 16 }, (_, k) => Math.sin(3 * k))];

describe('removeZeroConvChannels', () => {
  it('removes a zero channel feeding a conv through ReLU (constant 0): the conv\'s row and the consumer\'s input channel go', () => {
    const g = net('relu', 'conv');
    const r = removeZeroConvChannels(g);
    const [a, , b] = r.nodes;
    expect(a.kind === 'conv' && a.weight.shape).toEqual([2, 1, 3, 3]);
    expect(a.kind === 'conv' && [...a.bias!]).toEqual([0.1, -0.2]);
    expect(b.kind === 'conv' && b.weight.shape).toEqual([2, 2, 1, 1]);
    expect(b.kind === 'conv' && [...b.weight.data]).toEqual([1, 3, -1, -3]);
    expect(params(r)).toBe(params(g) - 9 - 1 - 2);
    expect(maxAbsDiff(evaluate(r, xs).outputs, evaluate(g, xs).outputs)).toBeLessThanOrEqual(1e-15);
  });
  it('must not fire when the channel\'s constant is not 0 before a conv (sigmoid(0) = 0.5 against the zero padding)', () => {
    const g = net('sigmoid', 'conv');
    expect(removeZeroConvChannels(g)).toBe(g);
  });
  it('before a flatten and a dense layer a constant channel folds into the bias (sigmoid: 0.5 x its columns)', () => {
    const g = net('sigmoid', 'dense');
    const r = removeZeroConvChannels(g);
    const d = r.nodes[3];
    expect(d.kind === 'dense' && d.weight.shape).toEqual([2, 32]);
    expect(r.nodes[2].kind === 'reshape' && r.nodes[2].shape).toEqual([32]);
    expect(maxAbsDiff(evaluate(r, xs).outputs, evaluate(g, xs).outputs)).toBeLessThanOrEqual(1e-12);
  });
  it('must not fire when the conv output is read twice or is the graph output', () => {
    const g = net('relu', 'conv');
    const branch: Graph = { ...g, nodes: [...g.nodes, { kind: 'activation', name: 'g2', inputs: ['a'], output: 'z', sourceOp: 'Relu', fn: { type: 'relu' } }] };
    expect(removeZeroConvChannels(branch)).toBe(branch);
    const single: Graph = { ...g, output: 'a', nodes: [g.nodes[0]] };
    expect(removeZeroConvChannels(single)).toBe(single);
  });
});

describe('the digits CNN (fixtures/digits_cnn.onnx), half its channels zeroed', () => {
  const fx = loadFixture('digits_cnn');
  const graph = importModel(fx.path);
  const zeroed = zeroUnitsPrune(graph, 0.5);
  const removed = removeZeroConvChannels(zeroed);
  const ref = evaluate(zeroed, fx.inputs).outputs;
  const scale = scaleOf(ref);
  it('removes the channels from both convs and the dense columns, with fewer parameters and the same outputs', () => {
    const convs = removed.nodes.filter((n) => n.kind === 'conv');
    expect(convs.map((n) => n.kind === 'conv' && n.weight.shape)).toEqual([[4, 1, 3, 3], [8, 4, 3, 3]]);
    const dense = removed.nodes.find((n) => n.kind === 'dense')!;
    expect(dense.kind === 'dense' && dense.weight.shape).toEqual([10, 32]);
    expect(params(removed)).toBeLessThan(params(zeroed));
    expect(maxAbsDiff(evaluate(removed, fx.inputs).outputs, ref) / scale).toBeLessThanOrEqual(1e-12);
  });
  it('the written ONNX evaluates in onnxruntime-node as the zeroed model within 1e-5 of the output scale', async () => {
    const session = await ort.InferenceSession.create(exportOnnx(removed));
    const inputName = session.inputNames[0];
    const rt: number[][] = [];
    for (const sample of fx.inputs) {
      const t = new ort.Tensor('float32', Float32Array.from(sample), [1, ...graph.input.shape]);
      const res = await session.run({ [inputName]: t });
      rt.push(Array.from(res[session.outputNames[0]].data as Float32Array));
    }
    expect(maxAbsDiff(rt, ref) / scale).toBeLessThanOrEqual(1e-5);
  });
});
