// Pruning and knowledge extraction (issue 13, C8). Structural tests build small T-networks by hand and check each pass
// against the expected network, including cases where the pass must not fire (it then returns its input itself).
// The differential tests compile every fixture (feed-forward and recurrent) with and without the exact steps (dead,
// extract, fold) under the fan limits (3,5), (16,16), (100,100) and require the outputs to agree within 1e-12 of the
// signal limit (in volts at the outputs) on the calibration samples (the set extraction is measured on): the folds
// only reorder float64 sums, so the observed differences are round-off (~1e-15 V), and 1e-12 S leaves no room for a
// lost term or a wrong bias.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importModel } from '../../src/import/index.js';
import { evaluate } from '../../src/reference/evaluate.js';
import { BLOCK } from '../../src/tnet/blocks.js';
import { NeuronBuilder } from '../../src/tnet/builder.js';
import { evaluateTnet } from '../../src/tnet/evaluate.js';
import { ACT, ROLE, type TNet } from '../../src/tnet/types.js';
import { verifyTnet } from '../../src/tnet/verify.js';
import { compileGraph } from '../../src/transform/pipeline.js';
import { dataRanges, extractConstant, extractLinear, foldIdentity, pruneBiases, pruneDead, pruneWeights, resolvePruneOptions } from '../../src/transform/prune.js';
import { FIXTURES, loadFixture, maxAbsDiff, MODEL_FIXTURES } from '../helpers.js';

interface Row { act?: number; bias?: number; src: number[]; w: number[]; block?: number; paramA?: number }

/** A network of `nIn` inputs and the rows given (sources are signal ids: inputs first, then neurons). */
function net(nIn: number, rows: Row[], outputs: number[]): TNet {
  const b = new NeuronBuilder(nIn);
  rows.forEach((r, i) => b.add({ block: r.block ?? BLOCK.neuron, activation: r.act ?? ACT.identity, paramA: r.paramA ?? 0, bias: r.bias ?? 0, role: ROLE.compute, origin: -1, unit: i }, r.src, r.w));
  return {
    inputShape: [nIn], inputCount: nIn, inputGain: 1, neurons: b.finish(), outputSignal: Int32Array.from(outputs), outputScale: new Float64Array(outputs.length).fill(1),
    outputShape: [outputs.length], tail: null, origins: [], railV: null, clock: null,
  };
}

function rows(t: TNet): { act: number; bias: number; src: number[]; w: number[] }[] {
  const n = t.neurons;
  return Array.from({ length: n.count }, (_, i) => ({
    act: n.activation[i], bias: n.bias[i], src: [...n.src.subarray(n.rowPtr[i], n.rowPtr[i + 1])], w: [...n.weight.subarray(n.rowPtr[i], n.rowPtr[i + 1])],
  }));
}

const grid = (k: number) => Array.from({ length: k * k }, (_, i) => [Math.floor(i / k) / (k - 1), (i % k) / (k - 1)]);

describe('prune-weights', () => {
  const t = net(2, [{ act: ACT.relu, src: [0, 1], w: [0.5, 0.004], bias: 0.1 }], [2]);
  it('removes connections below the threshold and reports the output error', () => {
    const r = pruneWeights(t, 0.01);
    expect(rows(r.value)).toEqual([{ act: ACT.relu, bias: 0.1, src: [0], w: [0.5] }]);
    expect(r.metrics).toMatchObject({ removedConnections: 1, removedResistors: 2, removedNeurons: 0, weightBelowAbs: 0.01 });
  });
  it('must not fire when every weight is at or above the threshold (a weight equal to it stays)', () => {
    const r = pruneWeights(t, 0.004);
    expect(r.changed).toBe(false);
    expect(r.value).toBe(t);
  });
  it('leaves a neuron that loses all its inputs to prune-dead', () => {
    const r = pruneWeights(net(1, [{ act: ACT.relu, src: [0], w: [0.001], bias: 0.5 }, { src: [1], w: [2] }], [2]), 0.01);
    expect(rows(r.value)).toEqual([{ act: ACT.relu, bias: 0.5, src: [], w: [] }, { act: ACT.identity, bias: 0, src: [1], w: [2] }]);
  });
});

describe('prune-biases', () => {
  it('realizes small biases as 0 (their pairs go) and keeps the others', () => {
    const t = net(1, [{ src: [0], w: [1], bias: 0.003 }, { src: [0], w: [1], bias: -0.02 }, { src: [1, 2], w: [1, 1], bias: -0.004 }], [3]);
    const r = pruneBiases(t, 0.005);
    expect(rows(r.value).map((x) => x.bias)).toEqual([0, -0.02, 0]);
    expect(r.metrics).toMatchObject({ removedBiasPairs: 2, removedResistors: 4 });
  });
  it('must not fire on a delay\'s initial value or when no bias is below the threshold', () => {
    const t = net(1, [{ src: [0], w: [1], bias: 0.5 }], [1]);
    expect(pruneBiases(t, 0.005).value).toBe(t);
    const n = net(1, [{ src: [0], w: [1], bias: 0.5 }, { block: BLOCK.delay, paramA: 1, src: [1], w: [1], bias: 0.001 }], [2]);
    expect(pruneBiases(n, 0.005).value).toBe(n);
  });
});

describe('prune-dead', () => {
  it('folds a neuron without inputs into its consumers (b += w act(b0)) and removes neurons nobody reads', () => {
    const t = net(1, [
      { act: ACT.relu, src: [], w: [], bias: 2 }, // constant relu(2) = 2
      { src: [0, 1], w: [1, 3], bias: 0.5 }, // reads the constant: bias 0.5 + 3 * 2
      { act: ACT.relu, src: [0], w: [1] }, // nobody reads it
    ], [2]);
    const r = pruneDead(t);
    expect(rows(r.value)).toEqual([{ act: ACT.identity, bias: 6.5, src: [0], w: [1] }]);
    expect(r.metrics).toMatchObject({ removedNeurons: 2, removedConnections: 2, removedResistors: 2 * (2 + 1 + 2) });
    const x = [[-1], [0], [0.5], [1]];
    expect(maxAbsDiff(evaluateTnet(r.value, x).outputs, evaluateTnet(t, x).outputs)).toBe(0);
  });
  it('a chain of constants folds in one pass (a consumer left without inputs is folded when it comes)', () => {
    const t = net(1, [{ src: [], w: [], bias: 1 }, { act: ACT.relu, src: [1], w: [-4], bias: 1 }, { src: [0, 2], w: [1, 5] }], [3]);
    expect(rows(pruneDead(t).value)).toEqual([{ act: ACT.identity, bias: 0, src: [0], w: [1] }]);
  });
  it('must not fire on an output without inputs, a constant a multiplier reads, or a network with nothing to prune', () => {
    const out = net(1, [{ src: [], w: [], bias: 1 }, { src: [0], w: [1] }], [1, 2]);
    expect(pruneDead(out).value).toBe(out);
    const mul = net(1, [{ src: [], w: [], bias: 1 }, { block: BLOCK.multiplier, paramA: 1, src: [0, 1], w: [1, 1] }], [2]);
    expect(pruneDead(mul).value).toBe(mul);
  });
});

describe('extract-constant and extract-linear (on a named sample set)', () => {
  // n0 = relu(x0 + x1) >= 0 on [0,1]^2 (never negative: identity); n1 = relu(-x0 - x1) = 0 (never active: removed);
  // n2 = relu(x0 - x1) (sometimes negative: stays); output n3 = n0 + 2 n1 + n2.
  const t = net(2, [
    { act: ACT.relu, src: [0, 1], w: [1, 1] },
    { act: ACT.relu, src: [0, 1], w: [-1, -1], bias: -0.1 },
    { act: ACT.relu, src: [0, 1], w: [1, -1] },
    { src: [2, 3, 4], w: [1, 2, 1], bias: 0.25 },
  ], [5]);
  const x = grid(5);
  it('a never-active ReLU is removed with its connections; a varying neuron stays', () => {
    const r = extractConstant(t, dataRanges(t, x), 'calibration');
    expect(rows(r.value).length).toBe(3);
    expect(r.metrics).toMatchObject({ removedNeurons: 1, removedConnections: 3, constantNeurons: 1, neverActiveRelus: 1, samples: 25 });
    expect(r.notes[0]).toContain('calibration set (25 samples)');
    expect(maxAbsDiff(evaluateTnet(r.value, x).outputs, evaluateTnet(t, x).outputs)).toBe(0);
  });
  it('a constant other than 0 folds w * c into the consumer bias', () => {
    const c = net(1, [{ act: ACT.clippedRelu, paramA: 1, src: [0], w: [1], bias: 3 }, { src: [0, 1], w: [1, -2], bias: 0.5 }], [2]);
    expect(rows(extractConstant(c, dataRanges(c, [[0], [0.5], [1]]), 'calibration').value)).toEqual([{ act: ACT.identity, bias: -1.5, src: [0], w: [1] }]);
  });
  it('a never-negative ReLU becomes identity; one that is sometimes negative must not', () => {
    const r = extractLinear(t, dataRanges(t, x), 'calibration');
    expect(rows(r.value).map((q) => q.act)).toEqual([ACT.identity, ACT.relu, ACT.relu, ACT.identity]);
    expect(r.metrics).toMatchObject({ linearizedNeurons: 1 });
  });
  it('must not fire when no neuron is constant or never negative on the set', () => {
    const v = net(2, [{ act: ACT.relu, src: [0, 1], w: [1, -1] }], [2]);
    expect(extractConstant(v, dataRanges(v, x), 'calibration').value).toBe(v);
    expect(extractLinear(v, dataRanges(v, x), 'calibration').value).toBe(v);
  });
});

describe('fold-identity', () => {
  // n0 = x0 + 2 x1 + 1 (identity), n1 = relu(3 n0 - x0), output n1.
  const t = net(2, [{ src: [0, 1], w: [1, 2], bias: 1 }, { act: ACT.relu, src: [2, 0], w: [3, -1] }], [3]);
  it('folds an identity neuron into its consumer: w_mj += w_mn w_nj, b_m += w_mn b_n (sources merged)', () => {
    const r = foldIdentity(t, 16, 16);
    expect(rows(r.value)).toEqual([{ act: ACT.relu, bias: 3, src: [0, 1], w: [2, 6] }]);
    expect(r.metrics).toMatchObject({ removedNeurons: 1, removedConnections: 2, removedBiasPairs: 0 });
    const x = grid(4);
    expect(maxAbsDiff(evaluateTnet(r.value, x).outputs, evaluateTnet(t, x).outputs)).toBeLessThanOrEqual(1e-14);
  });
  it('a weight that cancels is dropped (no zero-weight connection)', () => {
    const c = net(2, [{ src: [0, 1], w: [1, 1] }, { src: [2, 0], w: [1, -1] }, { act: ACT.relu, src: [3], w: [1] }], [4]);
    expect(rows(foldIdentity(c, 16, 16).value)).toEqual([{ act: ACT.relu, bias: 0, src: [1], w: [1] }]);
  });
  it('must not fire where a consumer would exceed the fan-in limit, on an output, or on a neuron a delay reads', () => {
    const wide = net(3, [{ src: [0, 1, 2], w: [1, 1, 1] }, { act: ACT.relu, src: [3, 0], w: [1, 1] }], [4]);
    const r = foldIdentity(wide, 2, 16);
    expect(r.value).toBe(wide);
    expect(r.metrics).toMatchObject({ refusedByFanIn: 1 });
    const out = net(1, [{ src: [0], w: [2] }, { act: ACT.relu, src: [1], w: [1] }], [1, 2]);
    expect(foldIdentity(out, 16, 16).value).toBe(out);
    const delay = net(1, [{ src: [0], w: [2] }, { block: BLOCK.delay, paramA: 1, src: [1], w: [1] }], [2]);
    expect(foldIdentity(delay, 16, 16).value).toBe(delay);
  });
});

describe('options', () => {
  it('refuses unknown steps, negative thresholds and a threshold without its step or a step without its threshold', () => {
    expect(() => resolvePruneOptions({ steps: ['nope' as never] })).toThrow(/step 'nope' is not one of weights, biases, dead, extract, rank, fold/);
    expect(() => resolvePruneOptions({ steps: ['weights'], weightBelowAbs: -0.1 })).toThrow(/pruneWeightBelowAbs -0.1 must be a finite number >= 0/);
    expect(() => resolvePruneOptions({ steps: ['dead'], biasBelowAbs: 0.1 })).toThrow(/do not include 'biases'/);
    expect(() => resolvePruneOptions({ steps: ['weights'] })).toThrow(/needs its threshold: give pruneWeightBelowAbs/);
    expect(resolvePruneOptions({ steps: ['fold', 'dead'] })).toEqual({ steps: ['dead', 'fold'], weightBelowAbs: null, biasBelowAbs: null, rankBy: null, rankMaxErrorAbs: null });
  });
});

describe("the patent's XOR network (fixtures/xor.onnx)", () => {
  const fx = loadFixture('xor');
  const graph = importModel(fx.path);
  // The calibration set: the four XOR cases and 20 uniform samples in [0,1]^2 (fixtures/xor.json).
  const reference = evaluate(graph, fx.inputs).outputs;
  it('N4 (zero on every input in [0,1]^2) is removed with its two input pairs and N5\'s pair for it; outputs unchanged', () => {
    const c = compileGraph(graph, { calibration: fx.inputs, prune: { steps: ['extract'], weightBelowAbs: null, biasBelowAbs: null, rankBy: null, rankMaxErrorAbs: null } });
    const logical = c.logical.neurons;
    const n4 = 3; // N1, N2, N3, N4, N5 in the lowering's order
    expect([...logical.weight.subarray(logical.rowPtr[n4], logical.rowPtr[n4 + 1])].map(Math.fround)).toEqual([Math.fround(-0.07376373), Math.fround(-0.7682612)]);
    const rec = c.passes.find((p) => p.pass === 'extract-constant')!;
    expect(rec.metrics).toMatchObject({ removedNeurons: 1, removedConnections: 3, neverActiveRelus: 1 });
    expect(c.tnet.neurons.count).toBe(4);
    expect(c.tnet.neurons.rowPtr[4]).toBe(7);
    // N5 now reads N3 alone.
    expect(c.tnet.neurons.rowPtr[4] - c.tnet.neurons.rowPtr[3]).toBe(1);
    expect(maxAbsDiff(evaluateTnet(c.tnet, fx.inputs).outputs, reference)).toBeLessThanOrEqual(1e-12);
    // And on every point of a 101 x 101 grid of [0,1]^2, not only the calibration set.
    const g = grid(101);
    expect(maxAbsDiff(evaluateTnet(c.tnet, g).outputs, evaluate(graph, g).outputs)).toBeLessThanOrEqual(1e-12);
  });
  it('the five near-zero biases (|b| <= 0.00484) are realized as 0: the four non-zero ones lose their pairs', () => {
    const c = compileGraph(graph, { calibration: fx.inputs, prune: { steps: ['biases'], weightBelowAbs: null, biasBelowAbs: 0.005, rankBy: null, rankMaxErrorAbs: null } });
    expect([...c.logical.neurons.bias].filter((b) => b !== 0).length).toBe(4); // N4's bias is already 0
    expect([...c.tnet.neurons.bias]).toEqual([0, 0, 0, 0, 0]);
    const rec = c.passes.find((p) => p.pass === 'prune-biases')!;
    expect(rec.metrics).toMatchObject({ removedBiasPairs: 4, removedResistors: 8, biasBelowAbs: 0.005, errorSamples: 24 });
    // A lossy step: the change it causes is measured; here at most the largest bias moved through the network.
    expect(rec.metrics.maxAbsOutputError).toBeGreaterThan(0);
    expect(rec.metrics.maxAbsOutputError).toBeLessThanOrEqual(0.01);
  });
});

// Every fixture, feed-forward and recurrent, under the fan limits.
const RECURRENT = join(FIXTURES, 'recurrent');
const recurrent = (JSON.parse(readFileSync(join(RECURRENT, 'index.json'), 'utf8')) as { models: string[] }).models;
const cases: { name: string; path: string; inputs: number[][]; inputShape?: number[] }[] = [
  ...MODEL_FIXTURES.map((name) => ({ ...loadFixture(name), name })),
  ...recurrent.map((name) => {
    const f = JSON.parse(readFileSync(join(RECURRENT, `${name}.json`), 'utf8')) as { model: string; inputs: number[][]; inputShape: number[] };
    // lstm_dyn_seq has a dynamic sequence length: its per-sample shape is given, as --input-shape does.
    return { name: `recurrent/${name}`, path: join(RECURRENT, f.model), inputs: f.inputs, ...(name === 'lstm_dyn_seq' ? { inputShape: f.inputShape } : {}) };
  }),
];
const S = 5;

describe.each(cases)('$name: the exact steps (dead, extract, fold) keep the outputs within 1e-12 S', ({ path, inputs, inputShape }) => {
  const graph = importModel(path, inputShape ? { inputShape } : {});
  it.each([[3, 5], [16, 16], [100, 100]])('fan-in %i, fan-out %i', (fanIn, fanOut) => {
    const pruned = compileGraph(graph, { fanIn, fanOut, signalLimitV: S, calibration: inputs, prune: { steps: ['dead', 'extract', 'fold'], weightBelowAbs: null, biasBelowAbs: null, rankBy: null, rankMaxErrorAbs: null } });
    verifyTnet(pruned.tnet, { fanIn, fanOut });
    const steps = pruned.pruneSteps;
    expect(steps.map((p) => p.pass)).toEqual(['lower', 'prune-dead', 'extract-constant', 'extract-linear', 'fold-identity']);
    expect(steps[steps.length - 1].net.neurons.count).toBeLessThanOrEqual(steps[0].net.neurons.count);
    // The float64 source at the tensor the analog network realizes.
    const a = evaluate(graph, inputs, { tensor: pruned.analogOutput }).outputs;
    const b = evaluateTnet(pruned.tnet, inputs).analog;
    const nOut = pruned.tnet.outputSignal.length;
    let worstV = 0;
    b.forEach((row, k) => row.forEach((v, j) => (worstV = Math.max(worstV, Math.abs(v - a[k][j]) / pruned.tnet.outputScale[j % nOut]))));
    expect(worstV).toBeLessThanOrEqual(1e-12 * S);
  });
});
