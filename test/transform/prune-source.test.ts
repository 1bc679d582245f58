// Source-network pruning (issue 13): the zeroing rules and the exact removal of zero dense units.

import { describe, expect, it } from 'vitest';
import type { Graph } from '../../src/ir/ops.js';
import { evaluate } from '../../src/reference/evaluate.js';
import { magnitudePrune, removeZeroDenseUnits, structuredPrune } from '../../src/transform/prune-source.js';
import { maxAbsDiff } from '../helpers.js';

// dense 3 -> 4 (unit 1 zero), sigmoid, dense 4 -> 2.
function mlp(act: 'sigmoid' | 'relu'): Graph {
  return {
    name: 't', origin: 'test', input: { name: 'x', shape: [3] }, output: 'y',
    nodes: [
      { kind: 'dense', name: 'd1', inputs: ['x'], output: 'h', sourceOp: 'Gemm', weight: { shape: [4, 3], data: Float64Array.from([1, 2, 3, 0, 0, 0, -1, 0.5, 2, 0.1, -0.2, 0.3]) }, bias: Float64Array.from([0.1, 0, -0.2, 0.3]) },
      { kind: 'activation', name: 'a', inputs: ['h'], output: 'ha', sourceOp: act, fn: { type: act } as never },
      { kind: 'dense', name: 'd2', inputs: ['ha'], output: 'y', sourceOp: 'Gemm', weight: { shape: [2, 4], data: Float64Array.from([1, 2, 3, 4, -1, -2, -3, -4]) }, bias: Float64Array.from([0.5, -0.5]) },
    ],
  };
}
const xs = [[0, 0, 0], [1, -1, 0.5], [0.3, 0.2, -0.7]];

describe('removeZeroDenseUnits', () => {
  it.each(['sigmoid', 'relu'] as const)('removes a zero unit and its consumer column exactly (%s: the constant f(0) folds into the bias)', (act) => {
    const g = mlp(act);
    const r = removeZeroDenseUnits(g);
    const d1 = r.nodes[0];
    const d2 = r.nodes[2];
    expect(d1.kind === 'dense' && d1.weight.shape).toEqual([3, 3]);
    expect(d2.kind === 'dense' && d2.weight.shape).toEqual([2, 3]);
    if (d2.kind === 'dense') expect([...d2.bias!]).toEqual(act === 'relu' ? [0.5, -0.5] : [0.5 + 2 * 0.5, -0.5 - 2 * 0.5]);
    expect(maxAbsDiff(evaluate(r, xs).outputs, evaluate(g, xs).outputs)).toBeLessThanOrEqual(1e-15);
  });
  it('must not fire without a zero unit or when the unit is the graph output', () => {
    const g = mlp('relu');
    const none = { ...g, nodes: g.nodes.map((n) => (n.name === 'd1' && n.kind === 'dense' ? { ...n, bias: Float64Array.from([0.1, 1, -0.2, 0.3]) } : n)) };
    expect(removeZeroDenseUnits(none)).toBe(none);
    const single: Graph = { ...g, output: 'h', nodes: [g.nodes[0]] };
    expect(removeZeroDenseUnits(single)).toBe(single);
  });
});

describe('magnitude and structured pruning', () => {
  it('magnitude zeroes exactly the given fraction of all weights, smallest |w| first', () => {
    const g = mlp('relu');
    const p = magnitudePrune(g, 0.25); // 20 weights: the 5 smallest (four zeros already, then |0.1|)
    const all = p.nodes.flatMap((n) => (n.kind === 'dense' ? [...n.weight.data] : []));
    expect(all.filter((v) => v === 0).length).toBe(5);
    expect(all).not.toContain(0.1);
  });
  it('structured zeroes the smallest-norm units of every layer but the last, keeping at least one', () => {
    const p = structuredPrune(mlp('relu'), 0.5); // d1: units 1 (norm 0) and 3 (norm 0.14) go; removed from the file
    const d1 = p.nodes[0];
    expect(d1.kind === 'dense' && d1.weight.shape).toEqual([2, 3]);
    const last = p.nodes[2];
    expect(last.kind === 'dense' && last.weight.shape).toEqual([2, 2]);
    const keepOne = structuredPrune(mlp('relu'), 0.99);
    expect(keepOne.nodes[0].kind === 'dense' && keepOne.nodes[0].weight.shape[0]).toBe(1);
  });
});
