// Constant elements in lowering (issue 20 item 8): an activation whose output is constant (HardSigmoid with alpha 0,
// Clip with min = max, a scaling that underflows to zero) used to become neurons with zero weights or a zero readout
// scale, breaking the T-network's invariants (exit 3). Each case here goes through compileGraph, must give a
// T-network that verifyTnet accepts after every pass, and must equal the reference; a folded constant must be exactly
// the reference's value, since both come from ir/kernels.ts applyActivation.

import { describe, expect, it } from 'vitest';
import { isOhmnetError } from '../../src/errors.js';
import type { ActivationFn, Graph, Node } from '../../src/ir/ops.js';
import { lowerToTnet } from '../../src/lower/to-tnet.js';
import { evaluate } from '../../src/reference/evaluate.js';
import { evaluateTnet } from '../../src/tnet/evaluate.js';
import { tnetStats } from '../../src/tnet/stats.js';
import { verifyTnet } from '../../src/tnet/verify.js';
import { compileGraph } from '../../src/transform/pipeline.js';
import { Rng } from '../../src/util/random.js';
import { maxAbs, maxAbsDiff } from '../helpers.js';

const rng = new Rng(20);
const rand = (n: number, lo = -1, hi = 1) => Float64Array.from({ length: n }, () => rng.uniform(lo, hi));

function graph(shape: number[], nodes: Node[]): Graph {
  return { name: 't', origin: 'test', input: { name: 'x', shape }, output: nodes[nodes.length - 1].output, nodes };
}
const act = (name: string, input: string, output: string, fn: ActivationFn): Node => ({ kind: 'activation', name, inputs: [input], output, sourceOp: fn.type, fn });
const dense = (name: string, input: string, output: string, out: number, inn: number, weight = rand(out * inn)): Node => ({
  kind: 'dense', name, inputs: [input], output, sourceOp: 'Gemm', weight: { shape: [out, inn], data: weight }, bias: rand(out),
});

/** Compiles with every pass verified and checks the result against the reference on the calibration samples. */
function compileAndCheck(g: Graph) {
  const c = compileGraph(g, { verify: true, calibrationSamples: 20, inputRange: [-1, 1] });
  verifyTnet(c.logical);
  verifyTnet(c.tnet, { fanIn: c.options.fanIn, fanOut: c.options.fanOut });
  const xs = c.options.calibration;
  const ref = evaluate(g, xs).outputs;
  const got = evaluateTnet(c.tnet, xs).outputs;
  expect(maxAbsDiff(got, ref)).toBeLessThanOrEqual(1e-12 * Math.max(1, maxAbs(ref)));
  return { c, stats: tnetStats(c.tnet), ref };
}

const CONSTANT_FNS: [string, ActivationFn, number][] = [
  ['HardSigmoid alpha 0, beta inside (0, 1)', { type: 'hardSigmoid', alpha: 0, beta: 0.3 }, 0.3],
  ['HardSigmoid alpha 0, beta above 1', { type: 'hardSigmoid', alpha: 0, beta: 1.7 }, 1],
  ['HardSigmoid alpha 0, beta below 0', { type: 'hardSigmoid', alpha: 0, beta: -0.4 }, 0],
  ['Clip min = max = 1', { type: 'clip', min: 1, max: 1 }, 1],
  ['Clip min = max = 0', { type: 'clip', min: 0, max: 0 }, 0],
  ['Clip min = max = -2', { type: 'clip', min: -2, max: -2 }, -2],
];

describe.each(CONSTANT_FNS)('a constant activation (%s) folds into constants', (_, fn, value) => {
  it('on the network input: the outputs are bias-only neurons, no compute neuron', () => {
    const { stats, ref } = compileAndCheck(graph([3], [act('a', 'x', 'y', fn)]));
    expect(stats.neuronsByKind.compute).toBe(0);
    expect(stats.connections).toBe(0);
    for (const y of ref) expect(Array.from(y)).toEqual([value, value, value]);
  });

  it('after a dense layer it would be fused with: the dense neurons are dead and removed', () => {
    const { stats } = compileAndCheck(graph([3], [dense('d', 'x', 'h', 4, 3), act('a', 'h', 'y', fn)]));
    expect(stats.neuronsByKind.compute).toBe(0);
    expect(stats.connections).toBe(0);
  });

  it('feeding a further layer: the constant becomes that layer\'s bias', () => {
    const { stats } = compileAndCheck(graph([3], [dense('d1', 'x', 'h', 4, 3), act('a', 'h', 'c', fn), dense('d2', 'c', 'z', 2, 4), act('r', 'z', 'y', { type: 'relu' })]));
    // relu of a constant is a constant too: nothing in the network reads an input.
    expect(stats.connections).toBe(0);
  });

  it('added to a signal (a residual): only the signal path keeps neurons', () => {
    const { stats } = compileAndCheck(graph([3], [
      dense('d', 'x', 'h', 3, 3), act('a', 'h', 'c', fn), act('t', 'h', 'u', { type: 'tanh' }),
      { kind: 'binary', name: 'add', inputs: ['u', 'c'], output: 'y', sourceOp: 'Add', op: 'add' },
    ]));
    expect(stats.neuronsByActivation.tanh).toBe(3);
    expect(stats.neuronsByActivation.clippedRelu).toBe(0);
  });

  it('inside a small CNN with padding and a softmax tail', () => {
    const conv: Node = {
      kind: 'conv', name: 'conv', inputs: ['x'], output: 'h', sourceOp: 'Conv', weight: { shape: [2, 1, 3, 3], data: rand(18) },
      bias: rand(2), strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1], group: 1,
    };
    const { c } = compileAndCheck(graph([1, 4, 4], [
      conv, act('a', 'h', 'k', fn),
      { kind: 'pad', name: 'p', inputs: ['k'], output: 'kp', sourceOp: 'Pad', pads: [0, 1, 0, 0, 0, 1], value: 0.25 },
      { kind: 'reshape', name: 'f', inputs: ['kp'], output: 'v', sourceOp: 'Flatten', shape: [50] },
      dense('d', 'v', 'z', 3, 50),
      { kind: 'softmax', name: 'sm', inputs: ['z'], output: 'y', sourceOp: 'Softmax', axes: [0] },
    ]));
    expect(c.tnet.tail).toEqual({ kind: 'softmax', axes: [0] });
  });
});

describe('constant elements of non-constant activations', () => {
  it('a scaling that underflows to zero drops the term instead of making a zero-weight connection', () => {
    // alpha * w underflows (1e-300 * 1e-30 < 5e-324) for every weight of unit 0 and for one weight of unit 1.
    const w = Float64Array.from([1e-30, 1e-30, 1e-30, 1, 1e-30, 0.5]);
    const { c } = compileAndCheck(graph([3], [dense('d', 'x', 'h', 2, 3, w), act('a', 'h', 'y', { type: 'hardSigmoid', alpha: 1e-300, beta: 0.5 })]));
    const n = c.logical.neurons;
    for (let e = 0; e < n.rowPtr[n.count]; e++) expect(n.weight[e]).not.toBe(0);
  });

  it('a padded constant through a two-sided clip is exactly the reference value', () => {
    // clip(x, -1, 2) is lowered as -1 + clippedRelu(x + 1, 3); folding 0.3 that way would give 0.30000000000000004.
    const g = graph([2], [
      { kind: 'pad', name: 'p', inputs: ['x'], output: 'p', sourceOp: 'Pad', pads: [1, 1], value: 0.3 },
      act('c', 'p', 'y', { type: 'clip', min: -1, max: 2 }),
    ]);
    const xs = [rand(2, -3, 3), rand(2, -3, 3)];
    const { net } = lowerToTnet(g);
    verifyTnet(net);
    const got = evaluateTnet(net, xs).outputs;
    const ref = evaluate(g, xs).outputs;
    for (let s = 0; s < xs.length; s++) {
      expect(got[s][0]).toBe(0.3);
      expect(got[s][3]).toBe(0.3);
      expect(got[s][0]).toBe(ref[s][0]);
    }
    expect(maxAbsDiff(got, ref)).toBeLessThanOrEqual(1e-15);
  });

  it('a padded constant through every activation folds to the reference value', () => {
    const fns: ActivationFn[] = [
      { type: 'relu' }, { type: 'sigmoid' }, { type: 'tanh' }, { type: 'leakyRelu', alpha: 0.1 }, { type: 'hardSigmoid', alpha: 0.2, beta: 0.5 },
      { type: 'clip', min: 0, max: 6 }, { type: 'clip', min: -Infinity, max: -1 }, { type: 'clip', min: -0.7, max: Infinity },
    ];
    for (const fn of fns) {
      const g = graph([2], [{ kind: 'pad', name: 'p', inputs: ['x'], output: 'p', sourceOp: 'Pad', pads: [1, 0], value: -0.3 }, act('a', 'p', 'y', fn)]);
      const xs = [rand(2, -3, 3)];
      const { net } = lowerToTnet(g);
      verifyTnet(net);
      expect(evaluateTnet(net, xs).outputs[0][0]).toBe(evaluate(g, xs).outputs[0][0]);
    }
  });
});

describe('an average with nothing to average', () => {
  it('is refused before lowering, naming the node, instead of becoming the constant 0', () => {
    // The shape check (ir/shapes.ts) refuses it first; the lowering's own refusal is a second guard behind it.
    const g = graph([1, 3], [{ kind: 'avgpool', name: 'ap', inputs: ['x'], output: 'y', sourceOp: 'AveragePool', kernel: [1], strides: [1], pads: [1, 1], ceilMode: false, countIncludePad: false }]);
    let error: unknown = null;
    try {
      lowerToTnet(g);
    } catch (e) {
      error = e;
    }
    expect(isOhmnetError(error) && error.kind === 'input').toBe(true);
    expect((error as Error).message).toMatch(/^node 'ap' \(AveragePool\)(: output 0 a| has a window wholly in the padding)/);
  });
});
