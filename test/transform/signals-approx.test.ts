// The signal-limit pass on sigmoid/tanh networks (gain into B and A), the input gain, and the approximate
// construction (Layer2TNNX_Approx): exact on rank-1 blocks, error reported otherwise, SVD never worse.

import { describe, expect, it } from 'vitest';
import type { Graph } from '../../src/ir/ops.js';
import { importModel } from '../../src/import/index.js';
import { evaluate } from '../../src/reference/evaluate.js';
import { evaluateTnet } from '../../src/tnet/evaluate.js';
import { ACT } from '../../src/tnet/types.js';
import { compileGraph } from '../../src/transform/pipeline.js';
import { Rng } from '../../src/util/random.js';
import { loadFixture, maxAbsDiff } from '../helpers.js';

describe('signal limit', () => {
  it('sigmoid neurons take the summator gain into B and keep A <= S', () => {
    const fx = loadFixture('conv1d');
    const g = importModel(fx.path);
    const c = compileGraph(g, { signalLimitV: 0.5, calibration: fx.inputs });
    const n = c.tnet.neurons;
    let sig = 0;
    let slopeChanged = 0;
    for (let i = 0; i < n.count; i++) {
      if (n.activation[i] !== ACT.sigmoid) continue;
      sig++;
      expect(n.paramA[i]).toBeLessThanOrEqual(0.5 * (1 + 1e-12));
      if (n.paramB[i] !== 1) slopeChanged++;
    }
    expect(sig).toBe(48);
    expect(slopeChanged).toBeGreaterThan(0);
    expect(maxAbsDiff(evaluateTnet(c.tnet, fx.inputs).outputs, evaluate(g, fx.inputs).outputs)).toBeLessThanOrEqual(1e-9);
  });

  it('inputs above S get one input gain, and the readout scales undo the output gains', () => {
    const fx = loadFixture('tiny_mlp');
    const g = importModel(fx.path);
    const big = fx.inputs.map((x) => x.map((v) => v * 10));
    const c = compileGraph(g, { signalLimitV: 1, calibration: big });
    expect(c.tnet.inputGain).toBeLessThan(1);
    expect(maxAbsDiff(evaluateTnet(c.tnet, big).outputs, evaluate(g, big).outputs)).toBeLessThanOrEqual(1e-9);
  });
});

function denseGraph(w: Float64Array, out: number, inn: number): Graph {
  return {
    name: 'd', origin: 'test', input: { name: 'x', shape: [inn] }, output: 'y',
    nodes: [{ kind: 'dense', name: 'd', inputs: ['x'], output: 'y', sourceOp: 'Gemm', weight: { shape: [out, inn], data: w }, bias: null }],
  };
}

describe('approximate construction (Layer2TNNX_Approx)', () => {
  const rng = new Rng(5);
  const K = 40;
  const L = 6;
  const xs = Array.from({ length: 30 }, () => Float64Array.from({ length: K }, () => rng.uniform(0, 1)));

  it('is exact when every block of the weight matrix has rank one', () => {
    // U[l, j] = a_l * v_j: proportional rows, the case the patent's rule is exact for.
    const a = Float64Array.from({ length: L }, () => rng.uniform(0.5, 2));
    const v = Float64Array.from({ length: K }, () => rng.uniform(-1, 1));
    const w = Float64Array.from({ length: L * K }, (_, i) => a[Math.floor(i / K)] * v[i % K]);
    const g = denseGraph(w, L, K);
    for (const method of ['patent', 'svd'] as const) {
      const c = compileGraph(g, { fanIn: 8, fanOut: 8, calibration: xs, approx: { levels: 1, method } });
      expect(c.approxMatrixError!).toBeLessThan(1e-12);
      expect(maxAbsDiff(evaluateTnet(c.tnet, xs).outputs, evaluate(g, xs).outputs)).toBeLessThan(1e-9);
      expect(c.tnet.neurons.count).toBeLessThan(compileGraph(g, { fanIn: 8, fanOut: 8, calibration: xs }).tnet.neurons.count);
    }
  });

  it('reports its error on a general matrix, and SVD blocks are never worse than the patent rule', () => {
    const w = Float64Array.from({ length: L * K }, () => rng.uniform(-1, 1));
    const g = denseGraph(w, L, K);
    const patent = compileGraph(g, { fanIn: 8, fanOut: 8, calibration: xs, approx: { levels: 1, method: 'patent' } });
    const svd = compileGraph(g, { fanIn: 8, fanOut: 8, calibration: xs, approx: { levels: 1, method: 'svd' } });
    expect(patent.approxMatrixError!).toBeGreaterThan(0.1);
    expect(svd.approxMatrixError!).toBeLessThanOrEqual(patent.approxMatrixError! + 1e-12);
    const ref = evaluate(g, xs).outputs;
    expect(maxAbsDiff(evaluateTnet(patent.tnet, xs).outputs, ref)).toBeGreaterThan(1e-3);
  });
});
