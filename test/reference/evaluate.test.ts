// The reference evaluator on small graphs built here: pooling against PyTorch's values, and its refusals of
// non-finite inputs and non-finite intermediate results (issue 20: NaN inputs used to give finite outputs, and an
// AveragePool window wholly in the padding averaged 0/0 into every later figure).

import { describe, expect, it } from 'vitest';
import { isOhmnetError } from '../../src/errors.js';
import * as kernels from '../../src/ir/kernels.js';
import type { Graph, Node } from '../../src/ir/ops.js';
import { applyActivation, evaluate, softmax } from '../../src/reference/evaluate.js';

function graph(shape: number[], nodes: Node[]): Graph {
  return { name: 't', origin: 'test', input: { name: 'x', shape }, output: nodes[nodes.length - 1].output, nodes };
}

const avgPool = (kernel: number[], strides: number[], pads: number[], countIncludePad: boolean, ceilMode: boolean): Node => ({
  kind: 'avgpool', name: 'ap', inputs: ['x'], output: 'y', sourceOp: 'AveragePool', kernel, strides, pads, ceilMode, countIncludePad,
});

/** Runs `f` and returns the OhmnetError it throws (failing the test if it throws anything else or nothing). */
function refusal(f: () => unknown): { kind: string; message: string } {
  try {
    f();
  } catch (e) {
    if (isOhmnetError(e)) return { kind: e.kind, message: e.message };
    throw e;
  }
  throw new Error('expected an OhmnetError, nothing was thrown');
}

describe('reference pooling', () => {
  // PyTorch 1.13 values of F.avg_pool1d / F.avg_pool2d on the same inputs.
  it('averages with and without count_include_pad as PyTorch does, in ceil mode', () => {
    const x = [[1, 2, 3, 4]];
    expect(evaluate(graph([1, 4], [avgPool([3], [2], [1, 1], true, true)]), x).outputs[0]).toEqual(Float64Array.from([1, 3, 2]));
    expect(evaluate(graph([1, 4], [avgPool([3], [2], [1, 1], false, true)]), x).outputs[0]).toEqual(Float64Array.from([1.5, 3, 4]));
    const x2 = [[1, 2, 3, 4, 5, 6, 7, 8, 9]];
    expect(evaluate(graph([1, 3, 3], [avgPool([2, 2], [2, 2], [1, 1, 1, 1], true, true)]), x2).outputs[0]).toEqual(Float64Array.from([0.25, 1.25, 2.75, 7]));
    expect(evaluate(graph([1, 3, 3], [avgPool([2, 2], [2, 2], [1, 1, 1, 1], false, true)]), x2).outputs[0]).toEqual(Float64Array.from([1, 2.5, 5.5, 7]));
  });

  it('takes the maximum over dilated taps, skipping padding', () => {
    // Length 5, kernel 2, dilation 2, pad 1 each side: windows read positions (-1, 1), (0, 2), (1, 3), (2, 4), (3, 5).
    const mp: Node = { kind: 'maxpool', name: 'mp', inputs: ['x'], output: 'y', sourceOp: 'MaxPool', kernel: [2], strides: [1], pads: [1, 1], dilations: [2], ceilMode: false };
    expect(evaluate(graph([1, 5], [mp]), [[5, -1, 2, -3, 4]]).outputs[0]).toEqual(Float64Array.from([-1, 5, -1, 4, -3]));
  });
});

describe('reference refusals of non-finite values', () => {
  const relu = graph([3], [{ kind: 'activation', name: 'r', inputs: ['x'], output: 'y', sourceOp: 'Relu', fn: { type: 'relu' } }]);

  it('refuses a non-finite input value, naming the sample and the index', () => {
    const nan = refusal(() => evaluate(relu, [[1, 2, 3], [1, NaN, 3]]));
    expect(nan.kind).toBe('input');
    expect(nan.message).toMatch(/^sample 1 value 1 is NaN, not a finite number/);
    expect(refusal(() => evaluate(relu, [[1, 2, -Infinity]])).message).toMatch(/^sample 0 value 2 is -Infinity/);
    expect(refusal(() => evaluate(relu, [[Infinity, 2, 3]])).message).toMatch(/^sample 0 value 0 is Infinity/);
  });

  it('names the node whose result is not finite: an average over a window wholly in the padding (0/0)', () => {
    // Length 3, kernel 1, pads 1/1: windows 0 and 4 lie wholly in the padding.
    const g = graph([1, 3], [avgPool([1], [1], [1, 1], false, false)]);
    const r = refusal(() => evaluate(g, [[1, 2, 3]]));
    expect(r.kind).toBe('input');
    // Refused by the graph check before any sample is evaluated (the evaluator's own NaN check stands behind it).
    expect(r.message).toMatch(/^node 'ap' \(AveragePool\)(: output 0 a| computes NaN at element 0 for sample 0)/);
    // With count_include_pad the divisor is 1 and the padded window averages to 0.
    expect(evaluate(graph([1, 3], [avgPool([1], [1], [1, 1], true, false)]), [[1, 2, 3]]).outputs[0]).toEqual(Float64Array.from([0, 1, 2, 3, 0]));
  });

  it('names the node that overflows, not a later one', () => {
    const g = graph([2], [
      { kind: 'dense', name: 'big', inputs: ['x'], output: 'h', sourceOp: 'Gemm', weight: { shape: [1, 2], data: Float64Array.from([1e308, 1e308]) }, bias: null },
      { kind: 'activation', name: 't', inputs: ['h'], output: 'y', sourceOp: 'Tanh', fn: { type: 'tanh' } },
    ]);
    expect(evaluate(g, [[1, -1]]).outputs[0][0]).toBe(0);
    expect(refusal(() => evaluate(g, [[0.5, 1], [1, 1]])).message).toMatch(/^node 'big' \(Gemm\) computes Infinity at element 0 for sample 1/);
  });
});

describe('reference/evaluate.ts re-exports', () => {
  it('softmax and applyActivation are the ones in ir/kernels.ts', () => {
    expect(softmax).toBe(kernels.softmax);
    expect(applyActivation).toBe(kernels.applyActivation);
  });
});
