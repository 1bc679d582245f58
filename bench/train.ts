// Training benches (issue 14; tables in docs/benchmarks.md). Run once each, after `npx tsc -p tsconfig.build.json`:
//   npx tsx bench/train.ts speed            one epoch of Binas's 196-100-50-10 on 8,000 digits; the digits CNN per
//                                           sample against @tensorflow/tfjs's CPU backend (when /tmp/tfjs-env has it:
//                                           npm install --prefix /tmp/tfjs-env @tensorflow/tfjs)
//   npx tsx bench/train.ts mnist [seeds] [epochs] [first seed]   Binas's MNIST set-up and Table 1 in kind (default 3
//                                           seeds from 1, 50 epochs)
//   npx tsx bench/train.ts qat              post-training rounding vs QAT, digits CNN and an MNIST MLP, E24 and E6
//   npx tsx bench/train.ts noise            Monte Carlo p5 accuracy at 1% and 5% tolerance, with and without
//                                           noise-aware fine-tuning
//   npx tsx bench/train.ts iris             the Iris chip on five simulated chips
// MNIST: the npm `mnist` package's 10,000 digits (1,000 per class, 1,001 zeros...), in package order, shuffled by
// Rng(2024) (util/random.ts) and split 8,000 train / 2,000 test; the 196 most active pixels (highest mean over the
// training split); each image scaled to a mean of 0.04 over those pixels (Binas).

import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { importModel } from '../dist/import/index.js';
import { fullSummary, runFlow } from '../dist/flow/index.js';
import type { Graph } from '../dist/ir/ops.js';
import { TrainModel } from '../dist/train/model.js';
import { evaluateSet, shuffled, trainModel, TRAIN_DEFAULTS, type LabelledSet } from '../dist/train/train.js';
import { fineTune } from '../dist/train/index.js';
import { BINAS_180NM, characterize, chipAccuracy, chipNetwork, SimulatedChip, trainChipNetwork, trainForChip } from '../dist/train/mismatch.js';
import { Rng } from '../dist/util/random.js';
import { terminalProgress } from '../dist/cli/progress.js';
import { silentProgress } from '../dist/util/progress.js';

const ROOT = join(import.meta.dirname, '..');
// A bar with ETA for every training run on a terminal (stderr), nothing in a pipe.
const progress = process.stderr.isTTY ? terminalProgress() : silentProgress;
const require = createRequire(import.meta.url);

function mnist(): { train: LabelledSet; test: LabelledSet; pixels: number[] } {
  const m = require('mnist') as Record<number, { raw: number[]; length: number }>;
  const all: { x: number[]; y: number }[] = [];
  for (let d = 0; d < 10; d++) for (let i = 0; i < m[d].length; i++) all.push({ x: m[d].raw.slice(i * 784, (i + 1) * 784), y: d });
  const order = shuffled(all.length, new Rng(2024));
  const tr = Array.from(order.subarray(0, 8000), (i) => all[i]);
  const te = Array.from(order.subarray(8000), (i) => all[i]);
  const mean = new Float64Array(784);
  for (const s of tr) s.x.forEach((v, k) => (mean[k] += v));
  const pixels = [...mean.keys()].sort((a, b) => mean[b] - mean[a] || a - b).slice(0, 196).sort((a, b) => a - b);
  const prep = (s: { x: number[] }) => {
    const v = Float64Array.from(pixels, (k) => s.x[k]);
    const mu = v.reduce((a, b) => a + b, 0) / v.length;
    return mu > 0 ? v.map((p) => (p * 0.04) / mu) : v;
  };
  return { train: { samples: tr.map(prep), labels: tr.map((s) => s.y) }, test: { samples: te.map(prep), labels: te.map((s) => s.y) }, pixels };
}

function sampleFile(name: string): LabelledSet {
  const j = JSON.parse(readFileSync(join(ROOT, 'fixtures', name), 'utf8')) as { inputs: number[][]; labels: number[] };
  return { samples: j.inputs.map((x) => Float64Array.from(x.flat(3) as number[])), labels: j.labels };
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
const machine = () => `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;

async function speed(): Promise<void> {
  const { train } = mnist();
  console.log(`machine: ${machine()}`);
  for (const workers of [1, 2]) {
    const model = new TrainModel(chipNetwork([196, 100, 50, 10], 1));
    const t0 = performance.now();
    await trainModel(model, train, { ...TRAIN_DEFAULTS, loss: 'mse', learningRate: 0.0065, batchSize: 200, epochs: 1, seed: 1, workers, grid: null });
    console.log(`| 196-100-50-10, one epoch of 8,000 digits (Adam, MSE, batch 200, float), ${workers} worker${workers > 1 ? 's' : ''} | ${((performance.now() - t0) / 1000).toFixed(2)} s |`);
  }
  // The digits CNN: ohmnet vs tfjs, the same architecture and batch, per sample.
  const cnn = importModel(join(ROOT, 'fixtures', 'digits_cnn.onnx'));
  const digits = sampleFile('digits_calibration.json');
  const epochs = 2;
  const model = new TrainModel(cnn, true);
  const t0 = performance.now();
  await trainModel(model, digits, { ...TRAIN_DEFAULTS, loss: 'cross-entropy', learningRate: 0.001, batchSize: 32, epochs, seed: 1, workers: 1, grid: null });
  const ours = (performance.now() - t0) / (epochs * digits.samples.length);
  console.log(`| digits CNN (fixtures/digits_cnn.onnx), training per sample, ohmnet float64, 1 worker | ${(ours * 1e3).toFixed(0)} us |`);
  const tfPath = '/tmp/tfjs-env/node_modules/@tensorflow/tfjs';
  if (!existsSync(tfPath)) {
    console.log('| @tensorflow/tfjs CPU backend | not installed (npm install --prefix /tmp/tfjs-env @tensorflow/tfjs) |');
    return;
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tfjs is not a dependency: no types at build time
  const tf = require(tfPath) as any;
  await tf.setBackend('cpu');
  const m = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 8, kernelSize: 3, padding: 'same', dataFormat: 'channelsLast' }),
      tf.layers.reLU(),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same' }),
      tf.layers.reLU(),
      tf.layers.averagePooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  m.compile({ optimizer: tf.train.adam(0.001), loss: 'sparseCategoricalCrossentropy' });
  const n = digits.samples.length;
  const xs = tf.tensor4d(Float32Array.from(digits.samples.flatMap((s) => [...s])), [n, 8, 8, 1]);
  const ys = tf.tensor1d(digits.labels, 'float32');
  const t1 = performance.now();
  await m.fit(xs, ys, { epochs, batchSize: 32, shuffle: true, verbose: 0 });
  const theirs = (performance.now() - t1) / (epochs * n);
  console.log(`| digits CNN, the same network in @tensorflow/tfjs ${tf.version.tfjs} CPU backend (float32) | ${(theirs * 1e3).toFixed(0)} us |`);
  console.log(`| ratio tfjs / ohmnet | ${(theirs / ours).toFixed(1)}x |`);
}

async function mnistTable(seeds: number, epochs: number, first = 1): Promise<void> {
  const { train, test } = mnist();
  const sizes = [196, 100, 50, 10];
  const rows: number[][] = [];
  const workers = Math.min(2, cpus().length);
  for (let s = first; s < first + seeds; s++) {
    const chip = new SimulatedChip(sizes, BINAS_180NM, s);
    const measured = characterize(chip, { seed: s });
    const common = { epochs, learningRate: 0.0065, batchSize: 200, seed: s, threeBit: true, workers, progress };
    const homog = await trainForChip(chipNetwork(sizes, s), train, { ...common, measured: null });
    const inhom = await trainForChip(chipNetwork(sizes, s), train, { ...common, measured });
    const row = [
      evaluateSet(homog.model, test, 'mse').accuracy,
      evaluateSet(inhom.model, test, 'mse').accuracy,
      chipAccuracy(chip, homog.model, homog.units, [null, null, null], test),
      chipAccuracy(chip, inhom.model, inhom.units, measured.negativeUnit, test),
    ];
    rows.push(row);
    console.log(`seed ${s}: ${row.map(pct).join(' ')}`);
  }
  const stat = (k: number) => {
    const v = rows.map((r) => r[k]);
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, v.length - 1));
    return `${(100 * mean).toFixed(1)} +- ${(100 * sd).toFixed(1)} / ${(100 * Math.max(...v)).toFixed(1)}`;
  };
  console.log(`machine: ${machine()}; ${seeds} seeds, ${epochs} epochs`);
  console.log('| model (test: 2,000 digits) | mean +- sd / best (%) | Binas Table 1 (full MNIST) |');
  console.log('|---|---|---|');
  console.log(`| homogeneous (ideal), 3-bit, in software | ${stat(0)} | 97.6 +- 0.1 / 98.0 |`);
  console.log(`| inhomogeneous (measured slopes), 3-bit, in software | ${stat(1)} | 97.6 +- 0.2 / 98.0 |`);
  console.log(`| ideal-trained, on its simulated mismatched chip | ${stat(2)} | not given |`);
  console.log(`| mismatch-aware trained, on the same chip | ${stat(3)} | 98.0 (SPICE, first 500 test samples) |`);
}

/** Realized accuracy (and Monte Carlo accuracy p5 at a tolerance) of a graph through ohmnet's flow. */
async function realized(graph: Graph, test: LabelledSet, calibration: LabelledSet, o: Record<string, unknown>, stages: ('measure' | 'montecarlo')[] = ['measure']): Promise<{ source: number; realized: number; p5: number | null }> {
  const run = await runFlow(graph, { calibration: calibration.samples.slice(0, 200), test: { samples: test.samples, labels: test.labels }, ...o }, stages);
  const a = fullSummary(run).accuracy!;
  return { source: a.source, realized: a.realized, p5: a.monteCarlo?.p5 ?? null };
}

async function qat(): Promise<void> {
  console.log(`machine: ${machine()}`);
  const cases: { name: string; graph: Graph; train: LabelledSet; test: LabelledSet; qatEpochs: number; lr: number }[] = [];
  const cnn = importModel(join(ROOT, 'fixtures', 'digits_cnn.onnx'));
  cases.push({ name: 'digits CNN (sklearn digits, 360 test)', graph: cnn, train: sampleFile('digits_calibration.json'), test: sampleFile('digits_test.json'), qatEpochs: 5, lr: 0.0005 });
  const { train, test } = mnist();
  // An MNIST MLP with biases, trained float here (cross-entropy, 10 epochs).
  const g = new TrainModel(mlpGraph([196, 100, 50, 10], 3), true);
  await trainModel(g, train, { ...TRAIN_DEFAULTS, loss: 'cross-entropy', learningRate: 0.002, batchSize: 100, epochs: 10, seed: 3, workers: 2, grid: null, progress });
  cases.push({ name: 'MNIST MLP 196-100-50-10 (2,000 test)', graph: g.toGraph(), train, test, qatEpochs: 3, lr: 0.0005 });
  console.log('| model | set | source | post-training rounding (realized) | QAT (realized) | loss recovered |');
  console.log('|---|---|---|---|---|---|');
  for (const c of cases) {
    for (const set of ['E24', 'E6']) {
      // No rescaling (signal limit lifted), so the realized weights are the trained ones (docs/training.md).
      const base = { resistors: set, signalLimitV: 1000 };
      const ptq = await realized(c.graph, c.test, c.train, base);
      const q = await fineTune(c.graph, c.train, { grid: 'resistors', resistors: set, epochs: c.qatEpochs, learningRate: c.lr, batchSize: 32, workers: 2, progress });
      const after = await realized(q.graph, c.test, c.train, { ...base, rFeedbackOhm: q.grid!.rFeedbackOhm });
      const lost = ptq.source - ptq.realized;
      const recovered = lost > 0 ? (after.realized - ptq.realized) / lost : NaN;
      console.log(`| ${c.name} | ${set} 100k..1M | ${pct(ptq.source)} | ${pct(ptq.realized)} | ${pct(after.realized)} (R_f ${q.grid!.rFeedbackOhm}) | ${Number.isFinite(recovered) ? pct(recovered) : 'no loss'} |`);
    }
  }
}

function mlpGraph(sizes: number[], seed: number): Graph {
  const rng = new Rng(seed);
  const nodes: Graph['nodes'][number][] = [];
  let prev = 'x';
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [K, O] = [sizes[l], sizes[l + 1]];
    const s = Math.sqrt(2 / K);
    nodes.push({ kind: 'dense', name: `fc${l}`, sourceOp: 'Gemm', inputs: [prev], output: `z${l}`, weight: { shape: [O, K], data: Float64Array.from({ length: O * K }, () => s * rng.normal()) }, bias: new Float64Array(O) });
    prev = `z${l}`;
    if (l + 2 < sizes.length) {
      nodes.push({ kind: 'activation', name: `relu${l}`, sourceOp: 'Relu', inputs: [prev], output: `a${l}`, fn: { type: 'relu' } });
      prev = `a${l}`;
    }
  }
  return { name: 'mlp', input: { name: 'x', shape: [sizes[0]] }, output: prev, nodes, origin: 'bench/train.ts' };
}

async function noise(): Promise<void> {
  console.log(`machine: ${machine()}`);
  const cnn = importModel(join(ROOT, 'fixtures', 'digits_cnn.onnx'));
  const train = sampleFile('digits_calibration.json');
  const test = sampleFile('digits_test.json');
  console.log('| model | tolerance | Monte Carlo p5 accuracy, as given | after noise-aware fine-tuning (weight noise = tolerance) | the same fine-tuning without noise |');
  console.log('|---|---|---|---|---|');
  for (const tol of [0.01, 0.05]) {
    const o = { toleranceRel: tol, trials: 50, signalLimitV: 1000 };
    const before = await realized(cnn, test, train, o, ['measure', 'montecarlo']);
    const aware = await fineTune(cnn, train, { weightNoiseRel: tol, signalNoiseRel: tol / 2, epochs: 5, learningRate: 0.0005, workers: 2, progress });
    const plain = await fineTune(cnn, train, { epochs: 5, learningRate: 0.0005, workers: 2, progress });
    const a = await realized(aware.graph, test, train, o, ['measure', 'montecarlo']);
    const p = await realized(plain.graph, test, train, o, ['measure', 'montecarlo']);
    console.log(`| digits CNN, E96 100k..1M, 50 trials, 360 test digits | ${tol * 100}% | ${pct(before.p5!)} | ${pct(a.p5!)} | ${pct(p.p5!)} |`);
  }
}

async function iris(): Promise<void> {
  console.log(`machine: ${machine()}`);
  const load = (f: string) => {
    const j = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'train', f), 'utf8')) as { inputs: number[][]; labels: number[] };
    return { samples: j.inputs.map((x) => Float64Array.from([...x, 1])), labels: j.labels };
  };
  const train = load('iris_train.json');
  const test = load('iris_test.json');
  console.log('| chip seed | sigma formula | ideal-trained on the chip | mismatch-aware on the chip | ideal model (software) | mismatch-aware model (software) |');
  console.log('|---|---|---|---|---|---|');
  for (const formula of ['wl', 'w/l'] as const) {
    for (let s = 1; s <= 5; s++) {
      const chip = new SimulatedChip([7, 7, 7], { ...BINAS_180NM, sigmaFormula: formula }, s);
      const measured = characterize(chip, { seed: s });
      const aware = await trainChipNetwork([5, 7, 3], train, measured);
      const ideal = await trainChipNetwork([5, 7, 3], train, null);
      const n = (v: number) => `${Math.round(v * 30)}/30`;
      console.log(`| ${s} | ${formula === 'wl' ? 'A_VT/sqrt(W L)' : 'A_VT/sqrt(W/L)'} | ${n(chipAccuracy(chip, ideal.model, ideal.units, [null, null], test))} | ${n(chipAccuracy(chip, aware.model, aware.units, measured.negativeUnit, test))} | ${n(evaluateSet(ideal.model, test, 'mse').accuracy)} | ${n(evaluateSet(aware.model, test, 'mse').accuracy)} |`);
    }
  }
}

const what = process.argv[2] ?? 'speed';
if (what === 'speed') await speed();
else if (what === 'mnist') await mnistTable(Number(process.argv[3] ?? 3), Number(process.argv[4] ?? 50), Number(process.argv[5] ?? 1));
else if (what === 'qat') await qat();
else if (what === 'noise') await noise();
else if (what === 'iris') await iris();
else throw new Error(`unknown bench '${what}': speed, mnist, qat, noise or iris`);
