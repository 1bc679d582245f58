// prune-rank (issue 13, C8; patent FIGS. 30E-30H): neurons ranked by their use on a named data set, the lowest-ranked
// removed (each replaced by its mean output in its consumers' biases) while the largest output change on that set stays
// within the bound. Structural tests on hand-built T-networks (including "must not fire" cases), a test that the pass
// stops before the bound (the output change of the network it returns is measured independently here, and removing the
// neuron it stopped at would exceed the bound), and the pass in the compile flow on the iris MLP.

import { describe, expect, it } from 'vitest';
import { importModel } from '../../src/import/index.js';
import { BLOCK } from '../../src/tnet/blocks.js';
import { NeuronBuilder } from '../../src/tnet/builder.js';
import { evaluateTnet } from '../../src/tnet/evaluate.js';
import { ACT, ROLE, type TNet } from '../../src/tnet/types.js';
import { verifyTnet } from '../../src/tnet/verify.js';
import { compileGraph } from '../../src/transform/pipeline.js';
import { neuronUse, pruneRank, resolvePruneOptions } from '../../src/transform/prune.js';
import { loadFixture } from '../helpers.js';

interface Row { act?: number; bias?: number; src: number[]; w: number[]; block?: number }

function net(nIn: number, rows: Row[], outputs: number[]): TNet {
  const b = new NeuronBuilder(nIn);
  rows.forEach((r, i) => b.add({ block: r.block ?? BLOCK.neuron, activation: r.act ?? ACT.identity, paramA: 0, bias: r.bias ?? 0, role: ROLE.compute, origin: -1, unit: i }, r.src, r.w));
  return {
    inputShape: [nIn], inputCount: nIn, inputGain: 1, neurons: b.finish(), outputSignal: Int32Array.from(outputs), outputScale: new Float64Array(outputs.length).fill(1),
    outputShape: [outputs.length], tail: null, origins: [], railV: null, clock: null,
  };
}

function maxChange(a: TNet, b: TNet, samples: number[][]): number {
  const ya = evaluateTnet(a, samples).analog;
  const yb = evaluateTnet(b, samples).analog;
  let m = 0;
  ya.forEach((r, k) => r.forEach((v, j) => (m = Math.max(m, Math.abs(v - yb[k][j])))));
  return m;
}

// Inputs x0, x1 in [0,1]. h0 = relu(x0) is always used; h1 = relu(x1 - 0.9) is active on one sample in ten;
// h2 = relu(x0 - 0.5) is active on half; y = h0 + h1 + h2 (the output, signal 5).
const samples = Array.from({ length: 10 }, (_, k) => [k / 9, k === 9 ? 1 : k / 20]);
const t = net(2, [
  { act: ACT.relu, src: [0], w: [1] },
  { act: ACT.relu, src: [1], w: [1], bias: -0.9 },
  { act: ACT.relu, src: [0], w: [1], bias: -0.5 },
  { src: [2, 3, 4], w: [1, 1, 1] },
], [5]);

describe('neuronUse', () => {
  it('measures activity, mean |output|, driven current and mean on the set', () => {
    const u = neuronUse(t, samples);
    expect(u.samples).toBe(10);
    expect([...u.activity]).toEqual([0.9, 0.1, 0.5, 0.9]); // x0 = 0 (and y = 0) on the first sample; h2 active for x0 > 0.5
    expect(u.meanAbs[1]).toBeCloseTo(0.01, 12); // only the last sample: 1 - 0.9
    expect(u.current[1]).toBeCloseTo(0.01 * 1, 12); // one driven weight of 1
    expect(u.current[3]).toBe(0); // the output drives nothing
    expect(u.mean[0]).toBeCloseTo(0.5, 12);
  });
});

describe('prune-rank', () => {
  it('removes the least active neuron first, folding its mean into the consumer, and stops before the bound', () => {
    // Removing h1 (activity 0.1) changes y by at most |0.1 - 0.01| = 0.09 (its output vs its mean); h2 next costs more.
    const r = pruneRank(t, samples, 'activity', 0.095, 'calibration');
    expect(r.changed).toBe(true);
    expect(r.metrics).toMatchObject({ removedNeurons: 1, rankedRemoved: 1, rankCandidates: 3, rankStoppedAt: 2 });
    verifyTnet(r.value);
    const n = r.value.neurons;
    expect(n.count).toBe(3);
    // y now reads h0, h2 and has h1's mean (0.01) as its bias.
    expect(n.bias[2]).toBeCloseTo(0.01, 12);
    // The bound holds, measured here independently, and the recorded error is that change.
    const err = maxChange(t, r.value, samples);
    expect(err).toBeCloseTo(0.09, 12);
    expect(err).toBeLessThanOrEqual(0.095);
    expect(r.metrics!.rankError).toBe(err);
    expect(r.metrics!.rankStoppedError).toBeGreaterThan(0.095);
  });

  it('with a larger bound removes more, and never the output', () => {
    const r = pruneRank(t, samples, 'activity', 10, 'calibration');
    expect(r.metrics).toMatchObject({ rankedRemoved: 3, rankCandidates: 3 });
    expect(r.value.neurons.count).toBe(1);
    expect(maxChange(t, r.value, samples)).toBeLessThanOrEqual(10);
    expect(r.notes[1]).toBe('every candidate removed within the bound');
  });

  it('ranks by mean |output| and by current differently from activity', () => {
    // mean-abs: h1 0.01, h2 mean of relu(x0 - 0.5) ~0.11, h0 0.5: h1 goes first again; with bound 0 nothing goes.
    const r = pruneRank(t, samples, 'mean-abs', 0.095, 'calibration');
    expect(r.metrics!.rankedRemoved).toBe(1);
    // current weighs the output by the weight it drives: scaling y's weight from h1 by 100 makes h1 the most used.
    const heavy = net(2, [
      { act: ACT.relu, src: [0], w: [1] },
      { act: ACT.relu, src: [1], w: [1], bias: -0.9 },
      { act: ACT.relu, src: [0], w: [1], bias: -0.5 },
      { src: [2, 3, 4], w: [1, 100, 1] },
    ], [5]);
    const u = neuronUse(heavy, samples);
    expect(u.current[1]).toBeGreaterThan(u.current[2]);
    const rc = pruneRank(heavy, samples, 'current', 1e9, 'calibration');
    // Every candidate goes under a huge bound; the note lists them with their figures in index order.
    expect(rc.metrics!.rankedRemoved).toBe(3);
  });

  it('must not fire when every removal changes the outputs and the bound is 0', () => {
    const r = pruneRank(t, samples, 'activity', 0, 'calibration');
    expect(r.changed).toBe(false);
    expect(r.value).toBe(t);
    expect(r.metrics).toMatchObject({ rankedRemoved: 0, rankStoppedAt: 1 });
  });

  it('removes a neuron constant on the set even with bound 0 (its mean is exact)', () => {
    const c = net(1, [{ act: ACT.relu, src: [0], w: [1], bias: 2 }, { act: ACT.relu, src: [0], w: [-1], bias: 0.5 }, { src: [1, 2], w: [1, 1] }], [3]);
    // On x in [0, 1] h0 = x + 2 varies; h1 = relu(0.5 - x) varies; a constant: h = relu(0 x + 3).
    const k = net(1, [{ act: ACT.relu, src: [0], w: [0], bias: 3 }, { src: [0, 1], w: [1, 2] }], [2]);
    const xs = [[0], [0.25], [1]];
    const r = pruneRank(k, xs, 'activity', 0, 'calibration');
    expect(r.metrics!.rankedRemoved).toBe(1);
    expect(maxChange(k, r.value, xs)).toBe(0);
    expect(r.value.neurons.bias[0]).toBe(6);
    expect(pruneRank(c, xs, 'activity', 0, 'calibration').changed).toBe(false);
  });

  it('must not fire on a network whose only summing neurons are outputs', () => {
    const o = net(1, [{ act: ACT.relu, src: [0], w: [1] }], [1]);
    const r = pruneRank(o, [[0.5]], 'mean-abs', 100, 'calibration');
    expect(r.changed).toBe(false);
    expect(r.metrics!.rankCandidates).toBe(0);
  });
});

describe('options', () => {
  it('needs both the measure and the bound with the step, and neither without it', () => {
    expect(resolvePruneOptions({ steps: ['rank'], rankBy: 'activity', rankMaxErrorAbs: 0.1 })).toMatchObject({ steps: ['rank'], rankBy: 'activity', rankMaxErrorAbs: 0.1 });
    expect(() => resolvePruneOptions({ steps: ['rank'], rankMaxErrorAbs: 0.1 })).toThrow(/needs its threshold/);
    expect(() => resolvePruneOptions({ steps: ['rank'], rankBy: 'activity' })).toThrow(/needs its threshold/);
    expect(() => resolvePruneOptions({ steps: ['rank'], rankBy: 'power' as never, rankMaxErrorAbs: 0.1 })).toThrow(/is not one of activity, mean-abs, current/);
    expect(() => resolvePruneOptions({ steps: ['dead'], rankBy: 'activity' })).toThrow(/do not include 'rank'/);
    expect(() => resolvePruneOptions({ steps: ['rank'], rankBy: 'current', rankMaxErrorAbs: -1 })).toThrow(/must be a finite number >= 0/);
  });
});

describe('in the compile flow (fixtures/iris_mlp.onnx)', () => {
  const fx = loadFixture('iris_mlp');
  const graph = importModel(fx.path);
  it('removes hidden neurons within the bound on the calibration set and records what it removed', () => {
    const bound = 0.05;
    const plain = compileGraph(graph, { calibration: fx.inputs });
    const c = compileGraph(graph, { calibration: fx.inputs, prune: { steps: ['rank'], weightBelowAbs: null, biasBelowAbs: null, rankBy: 'mean-abs', rankMaxErrorAbs: bound } });
    const rec = c.passes.find((p) => p.pass === 'prune-rank')!;
    expect(rec.exact).toBe(false);
    expect(rec.metrics.removedNeurons).toBeGreaterThan(0);
    expect(rec.metrics.maxAbsOutputError).toBeLessThanOrEqual(bound);
    expect(rec.metrics.maxAbsOutputError).toBe(rec.metrics.rankError);
    expect(rec.notes[0]).toMatch(/ranked by mean-abs on the calibration set/);
    expect(c.tnet.neurons.count).toBeLessThan(plain.tnet.neurons.count);
  });
});
