// Element-wise ops between two activations with numpy broadcasting (issue 11), and HardSwish: the IR keeps both
// operand shapes (the BinaryNode's inputs), shape inference gives the broadcast shape, the reference evaluates it
// exactly; what cannot broadcast, or would pair elements of different samples, is one input error naming the node.

import { describe, expect, it } from 'vitest';
import { importOnnx } from '../../src/import/onnx.js';
import { evaluate } from '../../src/reference/evaluate.js';
import { inferShapes } from '../../src/ir/shapes.js';
import type { Graph } from '../../src/ir/ops.js';
import { isOhmnetError } from '../../src/errors.js';
import { lowerToTnet } from '../../src/lower/to-tnet.js';
import { evaluateTnet } from '../../src/tnet/evaluate.js';
import { verifyTnet } from '../../src/tnet/verify.js';
import { modelBytes, type ModelSpec } from './build.js';

/** A model whose two activations are relu(x) and a reduction or reshape of x, combined by `op`. */
function pair(op: string, xDims: number[], second: ModelSpec['nodes'], opset = 13): ModelSpec {
  return {
    input: { dims: xDims },
    output: 'y',
    opset,
    nodes: [
      { op: 'Relu', inputs: ['x'], outputs: ['a'] },
      ...second,
      { op, inputs: ['a', 'b'], outputs: ['y'], name: 'the_op' },
    ],
  };
}

function refusal(spec: ModelSpec): string {
  try {
    importOnnx(modelBytes(spec));
  } catch (e) {
    if (isOhmnetError(e)) return e.message;
    throw e;
  }
  return '';
}

const ramp = (n: number) => Array.from({ length: n }, (_, i) => (i % 7) / 3 - 1);

describe('broadcasting between activations', () => {
  it.each(['Mul', 'Add', 'Sub'])('%s of [C, H, W] and a global average [C, 1, 1] (a squeeze-and-excitation gate)', (op) => {
    const g = importOnnx(modelBytes(pair(op, [1, 2, 3, 3], [{ op: 'GlobalAveragePool', inputs: ['x'], outputs: ['b'] }])));
    const node = g.nodes.find((n) => n.name === 'the_op')!;
    expect(node.kind).toBe('binary');
    const shapes = inferShapes(g, { maxTensorElements: 1e6 });
    expect(shapes.get(node.inputs[0])).toEqual([2, 3, 3]);
    expect(shapes.get(node.inputs[1])).toEqual([2, 1, 1]);
    expect(shapes.get('y')).toEqual([2, 3, 3]);
    const x = ramp(18);
    const y = evaluate(g, [x]).outputs[0];
    const f = op === 'Mul' ? (u: number, v: number) => u * v : op === 'Add' ? (u: number, v: number) => u + v : (u: number, v: number) => u - v;
    for (let c = 0; c < 2; c++) {
      const mean = x.slice(c * 9, c * 9 + 9).reduce((s, v) => s + v, 0) / 9;
      for (let k = 0; k < 9; k++) expect(y[c * 9 + k]).toBeCloseTo(f(Math.max(0, x[c * 9 + k]), mean), 14);
    }
  });

  it('both operands broadcast: [3, 1] x [1, 4] is [3, 4]', () => {
    const spec: ModelSpec = {
      input: { dims: [1, 3, 4] },
      output: 'y',
      nodes: [
        { op: 'ReduceMean', inputs: ['x'], outputs: ['a'], attrs: { axes: [2], keepdims: 1 } },
        { op: 'ReduceMean', inputs: ['x'], outputs: ['b'], attrs: { axes: [1], keepdims: 1 } },
        { op: 'Mul', inputs: ['a', 'b'], outputs: ['y'] },
      ],
    };
    const g = importOnnx(modelBytes(spec));
    const x = ramp(12);
    const y = evaluate(g, [x]).outputs[0];
    expect(y.length).toBe(12);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 4; j++) {
        const row = (x[i * 4] + x[i * 4 + 1] + x[i * 4 + 2] + x[i * 4 + 3]) / 4;
        const col = (x[j] + x[4 + j] + x[8 + j]) / 3;
        expect(y[i * 4 + j]).toBeCloseTo(row * col, 14);
      }
    }
  });

  it('a square x * x of one tensor', () => {
    const g = importOnnx(modelBytes({ input: { dims: [1, 3] }, output: 'y', nodes: [{ op: 'Mul', inputs: ['x', 'x'], outputs: ['y'] }] }));
    expect(Array.from(evaluate(g, [[1, -2, 0.5]]).outputs[0])).toEqual([1, 4, 0.25]);
  });

  it('refuses shapes that do not broadcast with one line naming the node', () => {
    const bad = refusal({
      input: { dims: [1, 3, 4] },
      output: 'y',
      nodes: [
        { op: 'ReduceMean', inputs: ['x'], outputs: ['b'], attrs: { axes: [1], keepdims: 0 } },
        { op: 'Transpose', inputs: ['x'], outputs: ['t'], attrs: { perm: [0, 2, 1] } },
        { op: 'Mul', inputs: ['t', 'x'], outputs: ['y'], name: 'bad_mul' },
      ],
    });
    expect(bad).toMatch(/^node 'bad_mul' \(Mul\).*\[4, 3\] and \[3, 4\] do not broadcast/);
    expect(bad).not.toContain('\n');
  });

  it('refuses a broadcast that would pair the batch axis with a sample axis', () => {
    // [N, 3, 4] against [N, 4]: aligned from the right, the second operand's batch meets the first's axis of 3.
    const m = refusal({
      input: { dims: [1, 3, 4] },
      output: 'y',
      nodes: [
        { op: 'ReduceMean', inputs: ['x'], outputs: ['b'], attrs: { axes: [1], keepdims: 0 } },
        { op: 'Mul', inputs: ['x', 'b'], outputs: ['y'], name: 'mix' },
      ],
    });
    expect(m).toMatch(/^node 'mix' \(Mul\).*batch axes do not align/);
    expect(m).not.toContain('\n');
  });
});

describe('HardSwish (opset 14)', () => {
  it('imports as x * HardSigmoid(x) (alpha 1/6, beta 0.5) and computes x relu6(x + 3) / 6', () => {
    const g = importOnnx(modelBytes({ input: { dims: [1, 5] }, output: 'y', opset: 14, nodes: [{ op: 'HardSwish', inputs: ['x'], outputs: ['y'], name: 'hs' }] }));
    expect(g.nodes.map((n) => n.kind)).toEqual(['activation', 'binary']);
    const gate = g.nodes[0];
    expect(gate.kind === 'activation' && gate.fn).toEqual({ type: 'hardSigmoid', alpha: 1 / 6, beta: 0.5 });
    expect(g.nodes[1].name).toBe('hs');
    expect(g.nodes[1].sourceOp).toBe('HardSwish');
    const x = [-4, -1.5, 0, 2, 3.5];
    const y = evaluate(g, [x]).outputs[0];
    x.forEach((v, i) => expect(y[i]).toBeCloseTo((v * Math.min(6, Math.max(0, v + 3))) / 6, 15));
  });

  it('names its gate tensor apart from every tensor of the graph', () => {
    const g = importOnnx(modelBytes({
      input: { dims: [1, 2] }, output: 'y', opset: 14,
      nodes: [
        { op: 'HardSwish', inputs: ['x'], outputs: ['h'] },
        { op: 'Relu', inputs: ['h'], outputs: ['h/hardsigmoid'] },
        { op: 'Add', inputs: ['h/hardsigmoid', 'h'], outputs: ['y'] },
      ],
    }));
    const outs = g.nodes.map((n) => n.output);
    expect(new Set(outs).size).toBe(outs.length);
    const y = evaluate(g, [[1, -1]]).outputs[0];
    const hs = (v: number) => (v * Math.min(6, Math.max(0, v + 3))) / 6;
    expect(y[0]).toBeCloseTo(2 * hs(1), 15);
    expect(y[1]).toBeCloseTo(Math.max(0, hs(-1)) + hs(-1), 15);
  });
});

describe('broadcasting fuzz: random operand shapes through import, the reference and the lowering', () => {
  // x [1, d1, d2, d3]; a = x with its sample axes permuted; b = a mean of x over random axes, kept or dropped. The op
  // imports exactly when numpy broadcasts the two full shapes and their batch axes meet (equal ranks here); else one
  // input error of one line naming the node. What imports is checked against an independent broadcast of a and b, and
  // its lowering (multipliers for Mul) against the reference.
  const rng = (seed: number) => {
    let s = seed >>> 0;
    return (k: number) => {
      s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
      return s % k;
    };
  };
  const stridesOf = (shape: number[]) => shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1));
  it.each(Array.from({ length: 60 }, (_, k) => k))('case %i', (seed) => {
    const r = rng(seed + 1);
    const dims = [1, 1 + r(3), 1 + r(3), 1 + r(3)];
    const perms = [[0, 1, 2, 3], [0, 1, 3, 2], [0, 2, 1, 3], [0, 3, 2, 1]];
    const perm = perms[r(4)];
    const axes = [1, 2, 3].filter(() => r(2) === 1);
    const keep = axes.length === 0 || r(3) > 0 ? 1 : 0;
    const op = ['Add', 'Sub', 'Mul'][r(3)];
    const swap = r(2) === 1;
    const nodes: ModelSpec['nodes'] = [
      { op: 'Transpose', inputs: ['x'], outputs: ['a'], attrs: { perm } },
      axes.length > 0 ? { op: 'ReduceMean', inputs: ['x'], outputs: ['b'], attrs: { axes, keepdims: keep } } : { op: 'Sigmoid', inputs: ['x'], outputs: ['b'] },
      { op, inputs: swap ? ['b', 'a'] : ['a', 'b'], outputs: ['y'], name: 'fz' },
    ];
    const bytes = modelBytes({ input: { dims }, output: 'y', nodes });
    const aShape = perm.map((p) => dims[p]);
    const bShape = keep ? dims.map((d, i) => (axes.includes(i) ? 1 : d)) : dims.filter((_, i) => !axes.includes(i));
    const [lShape, rShape] = swap ? [bShape, aShape] : [aShape, bShape];
    const rank = Math.max(lShape.length, rShape.length);
    const al = [...new Array(rank - lShape.length).fill(1), ...lShape];
    const ar = [...new Array(rank - rShape.length).fill(1), ...rShape];
    const numpyOk = al.every((d, i) => d === ar[i] || d === 1 || ar[i] === 1);
    const ok = numpyOk && lShape.length === rShape.length;
    let g: Graph;
    try {
      g = importOnnx(bytes);
    } catch (e) {
      if (!isOhmnetError(e)) throw e;
      expect(ok, e.message).toBe(false);
      expect(e.kind).toBe('input');
      expect(e.message).toMatch(/^node 'fz' \((Add|Sub|Mul)\)/);
      expect(e.message).not.toContain('\n');
      return;
    }
    expect(ok).toBe(true);
    const x = Array.from({ length: dims[1] * dims[2] * dims[3] }, (_, i) => ((i * 37) % 11) / 5 - 1);
    const ev = evaluate(g, [x], { keepIntermediates: true });
    const values = ev.intermediates![0];
    const node = g.nodes.find((n) => n.name === 'fz')!;
    const [va, vb] = node.inputs.map((t) => values.get(t)!);
    const out = al.map((d, i) => Math.max(d, ar[i]));
    const so = stridesOf(out);
    const sl = stridesOf(al);
    const sr = stridesOf(ar);
    const f = op === 'Mul' ? (u: number, v: number) => u * v : op === 'Add' ? (u: number, v: number) => u + v : (u: number, v: number) => u - v;
    const y = ev.outputs[0];
    expect(y.length).toBe(out.reduce((p, d) => p * d, 1));
    for (let j = 0; j < y.length; j++) {
      let il = 0;
      let ir = 0;
      for (let a = 0; a < rank; a++) {
        const c = Math.floor(j / so[a]) % out[a];
        if (al[a] !== 1) il += c * sl[a];
        if (ar[a] !== 1) ir += c * sr[a];
      }
      expect(y[j]).toBe(f(va[il], vb[ir]));
    }
    const lowered = lowerToTnet(g);
    verifyTnet(lowered.net);
    const t = evaluateTnet(lowered.net, [x]).outputs[0];
    for (let j = 0; j < y.length; j++) expect(Math.abs(t[j] - y[j])).toBeLessThanOrEqual(1e-12);
  });
});
