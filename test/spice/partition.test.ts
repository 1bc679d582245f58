// Partitioned SPICE verification (issue 18, spice/partition.ts): the network cut into partitions, each solved by
// SPICE with the voltages of the partitions before it as inputs, composes to the whole netlist's solution. Proven on
// every fixture small enough for a whole run: composed == whole within the SPICE tolerance (1e-4 of S, 5e-4 V);
// observed differences are the engine's convergence tolerance, ~1e-6 V (ngspice's VNTOL), on both sides.

import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importModel } from '../../src/import/index.js';
import { openRun, runStages } from '../../src/flow/index.js';
import { createEngine, ngspiceAvailable } from '../../src/spice/engines/index.js';
import { emitNetlist } from '../../src/spice/emit.js';
import { parseOpamp } from '../../src/spice/models.js';
import { partitionNetwork, partitionRealized, PROBES_PER_CALL, solvePartitioned } from '../../src/spice/partition.js';
import type { Realized } from '../../src/realize/realize.js';
import { FIXTURES, runCli } from '../helpers.js';
import type { NetlistOptions } from '../../src/spice/emit.js';

const TOLERANCE_V = 5e-4;

async function prepared(file: string, options: Record<string, unknown> = {}, count = 4): Promise<{ r: Realized; samples: Float64Array[]; netlist: NetlistOptions }> {
  const run = openRun(importModel(join(FIXTURES, file)), options, {});
  await runStages(run, ['realize']);
  return { r: run.requireRealization().realized, samples: run.sets.calibration.samples.slice(0, count) as Float64Array[], netlist: run.netlistOptions() };
}

async function whole(r: Realized, samples: readonly ArrayLike<number>[], netlist: NetlistOptions, engineKind: 'ngspice' | 'wasm'): Promise<Float64Array[]> {
  const engine = await createEngine(engineKind);
  try {
    const res = await engine.operatingPoints({
      netlist: emitNetlist(r, netlist), inputs: samples.map((x) => Array.from(x, (v) => r.tnet.inputGain * v)),
      probes: Array.from(r.tnet.outputSignal, (_, k) => `out${k}`), timeoutMs: 170_000,
    });
    return res.voltages;
  } finally {
    await engine.dispose?.();
  }
}

function maxDiff(a: Float64Array[], b: Float64Array[]): number {
  let d = 0;
  a.forEach((v, s) => v.forEach((x, k) => (d = Math.max(d, Math.abs(x - b[s][k])))));
  return d;
}

describe('partitionNetwork', () => {
  it('covers every neuron once in order, within the size, cut at layer ends, with exactly the crossing signals', async () => {
    const { r } = await prepared('digits_cnn.onnx');
    const net = r.tnet;
    const n = net.neurons;
    const parts = partitionNetwork(net, 150);
    expect(parts[0].from).toBe(0);
    expect(parts[parts.length - 1].to).toBe(n.count);
    parts.forEach((p, k) => {
      if (k > 0) expect(p.from).toBe(parts[k - 1].to);
      expect(p.to - p.from).toBeLessThanOrEqual(150);
      // Inputs: exactly the signals from outside that its neurons read.
      const ext = new Set<number>();
      for (let e = n.rowPtr[p.from]; e < n.rowPtr[p.to]; e++) if (n.src[e] < net.inputCount + p.from) ext.add(n.src[e]);
      expect([...p.inputs]).toEqual([...ext].sort((a, b) => a - b));
      // Exports: exactly its neurons read after it or by an output.
      for (let j = p.from; j < p.to; j++) {
        let read = [...net.outputSignal].includes(net.inputCount + j);
        for (let e = n.rowPtr[p.to]; e < n.rowPtr[n.count] && !read; e++) read = n.src[e] === net.inputCount + j;
        expect(p.exports.includes(j), `neuron ${j}`).toBe(read);
      }
    });
    // Cuts fall where a layer ends whenever a layer ends inside the size limit.
    const cutsAtLayerEnds = parts.slice(1).filter((p) => n.origin[p.from] !== n.origin[p.from - 1]).length;
    expect(cutsAtLayerEnds).toBeGreaterThan(0);
  });

  it('refuses a clocked network and a bad size', async () => {
    const { r } = await prepared('recurrent/lstm_digits.onnx', { calibrationSamples: 3 });
    expect(() => partitionNetwork(r.tnet, 100)).toThrow(/feed-forward networks/);
    const iris = await prepared('iris_mlp.onnx');
    expect(() => partitionNetwork(iris.r.tnet, 0)).toThrow(/must be a positive integer/);
  });

  it('gives each partition the resistors of the whole network', async () => {
    const { r } = await prepared('iris_mlp.onnx');
    const [p] = partitionNetwork(r.tnet, 12).slice(1);
    const sub = partitionRealized(r, p);
    expect(sub.tnet.neurons.count).toBe(p.to - p.from);
    expect(Array.from(sub.rPlusOhm)).toEqual(Array.from(r.rPlusOhm.subarray(r.tnet.neurons.rowPtr[p.from], r.tnet.neurons.rowPtr[p.to])));
    expect(Array.from(sub.rFeedbackOhm)).toEqual(Array.from(r.rFeedbackOhm.subarray(p.from, p.to)));
  });
});

describe.skipIf(!ngspiceAvailable())('composition: partitioned == whole netlist (ngspice)', () => {
  // Every model fixture (MODEL_FIXTURES) and a multiplier network; the residual CNN (5.5 k neurons, 31 partitions of
  // ~0.3 s each on an idle machine, ~3 s per whole operating point) on 1 sample, the others on 4.
  it.each([
    ['xor.onnx', 2, 4], ['tiny_mlp.onnx', 5, 4], ['iris_mlp.onnx', 10, 4], ['digits_cnn.onnx', 200, 4], ['digits_cnn_bn.onnx', 200, 4], ['dwsep_cnn.onnx', 150, 4],
    ['conv1d.onnx', 40, 4], ['residual.onnx', 200, 1], ['recurrent/silu_mlp.onnx', 20, 4],
  ] as const)('%s in partitions of %i neurons', async (file, size, count) => {
    const { r, samples, netlist } = await prepared(file, {}, count);
    const parts = partitionNetwork(r.tnet, size);
    if (r.tnet.neurons.count > size) expect(parts.length).toBeGreaterThan(1);
    const sol = await solvePartitioned(r, samples, 'ngspice', { maxNeurons: size, netlist, chunkSamples: 2 }, 170_000);
    expect(maxDiff(sol.voltages, await whole(r, samples, netlist, 'ngspice'))).toBeLessThanOrEqual(TOLERANCE_V);
  }, 180_000);

  it('reads a wide partition\'s probes in groups (ngspice drops a print line over ~10,000 characters)', async () => {
    // The residual CNN in partitions of 1,300 neurons: one exports 1,264 neurons, a print line of ~14,000 characters.
    const { r, samples, netlist } = await prepared('residual.onnx', {}, 1);
    const parts = partitionNetwork(r.tnet, 1300);
    expect(Math.max(...parts.map((p) => p.exports.length))).toBeGreaterThan(1000);
    expect(PROBES_PER_CALL * 11).toBeLessThan(10_000);
    const sol = await solvePartitioned(r, samples, 'ngspice', { maxNeurons: 1300, netlist }, 170_000);
    expect(maxDiff(sol.voltages, await whole(r, samples, netlist, 'ngspice'))).toBeLessThanOrEqual(TOLERANCE_V);
  }, 180_000);

  it('macro op-amps: the cut-away load changes nothing measurable', async () => {
    const { r, samples } = await prepared('iris_mlp.onnx');
    const netlist = { opamp: parseOpamp('macro'), title: 'iris macro' };
    const sol = await solvePartitioned(r, samples, 'ngspice', { maxNeurons: 10, netlist }, 170_000);
    expect(sol.partitions).toBeGreaterThan(1);
    expect(maxDiff(sol.voltages, await whole(r, samples, netlist, 'ngspice'))).toBeLessThanOrEqual(TOLERANCE_V);
  }, 180_000);

  it('gives the same voltages whatever the number of engines', async () => {
    const { r, samples, netlist } = await prepared('dwsep_cnn.onnx', {}, 3);
    const a = await solvePartitioned(r, samples, 'ngspice', { maxNeurons: 150, netlist, chunkSamples: 1, workers: 1 });
    const b = await solvePartitioned(r, samples, 'ngspice', { maxNeurons: 150, netlist, chunkSamples: 1, workers: 3 });
    expect(a.voltages.map((v) => Array.from(v))).toEqual(b.voltages.map((v) => Array.from(v)));
  }, 180_000);
});

describe('composition on the wasm engine', () => {
  it('iris_mlp in partitions of 10 neurons', async () => {
    const { r, samples, netlist } = await prepared('iris_mlp.onnx');
    const sol = await solvePartitioned(r, samples, 'wasm', { maxNeurons: 10, netlist }, 170_000);
    expect(maxDiff(sol.voltages, await whole(r, samples, netlist, 'wasm'))).toBeLessThanOrEqual(TOLERANCE_V);
  }, 180_000);
});

describe('compile --verify --spice-partition', () => {
  it('verifies in partitions, records them in summary.json, and refuses a bad size', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ohmnet-partition-')), 'out');
    const r = await runCli(['compile', join(FIXTURES, 'digits_cnn.onnx'), '-o', out, '--force', '--verify', '--samples', '4', '--spice-partition', '300', '--outputs', 'summary', '--json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.spice.passed).toBe(true);
    expect(s.spice.partitions.count).toBeGreaterThan(1);
    expect(s.spice.partitions.maxNeurons).toBe(300);
    expect(s.spice.partitions.largestNeurons).toBeLessThanOrEqual(300);
    expect(s.spice.maxVsBehaviouralV).toBeLessThanOrEqual(TOLERANCE_V);
    const bad = await runCli(['compile', join(FIXTURES, 'iris_mlp.onnx'), '-o', `${out}-bad`, '--verify', '--spice-partition', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--spice-partition/);
  }, 180_000);
});
