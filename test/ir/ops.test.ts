// parameterCount: what counts as a trainable parameter per node kind. (That every kind is listed is checked by the
// compiler: the switch has no default, so a new kind does not compile until it is counted.)

import { describe, expect, it } from 'vitest';
import { parameterCount, type Node } from '../../src/ir/ops.js';

const base = { name: 'n', inputs: ['x'], output: 'y', sourceOp: 'Op' };

describe('parameterCount', () => {
  it('counts weights and biases, the four batch-norm vectors and a constant operand as stored', () => {
    const dense: Node = { ...base, kind: 'dense', weight: { shape: [2, 3], data: new Float64Array(6) }, bias: new Float64Array(2) };
    const conv: Node = { ...base, kind: 'conv', weight: { shape: [4, 1, 3, 3], data: new Float64Array(36) }, bias: null, strides: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1], group: 1 };
    const bn: Node = { ...base, kind: 'batchnorm', scale: new Float64Array(3), bias: new Float64Array(3), mean: new Float64Array(3), variance: new Float64Array(3), epsilon: 1e-5 };
    const cb: Node = { ...base, kind: 'constBinary', op: 'mul', constant: new Float64Array(12), constantElements: 3, constantOnLeft: false };
    expect([dense, conv, bn, cb].map(parameterCount)).toEqual([8, 36, 12, 3]);
  });

  it('gives 0 for ops without parameters', () => {
    const nodes: Node[] = [
      { ...base, kind: 'activation', fn: { type: 'relu' } },
      { ...base, kind: 'softmax', axes: [0] },
      { ...base, kind: 'maxpool', kernel: [2], strides: [2], pads: [0, 0], ceilMode: false, dilations: [1] },
      { ...base, kind: 'avgpool', kernel: [2], strides: [2], pads: [0, 0], ceilMode: false, countIncludePad: false },
      { ...base, kind: 'reducemean', axes: [0], keepDims: false },
      { ...base, kind: 'reshape', shape: [4] },
      { ...base, kind: 'transpose', perm: [1, 0] },
      { ...base, kind: 'concat', axis: 0 },
      { ...base, kind: 'binary', op: 'add' },
      { ...base, kind: 'pad', pads: [1, 1], value: 0 },
    ];
    expect(nodes.map(parameterCount)).toEqual(new Array(nodes.length).fill(0));
  });
});
