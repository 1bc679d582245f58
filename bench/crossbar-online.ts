// On-line training on memristor crossbars (issue 17; table in docs/benchmarks.md, "Memristor on-line training"). Run
// once, after `npx tsc -p tsconfig.build.json`:
//   npx tsx bench/crossbar-online.ts [iterations] [seeds] [hidden]   (default 20 iterations = 2 s of circuit time,
//                                          10 seeds, no hidden layer; with hidden > 0: the seed's two synaptic grids,
//                                          nominal devices, plain and momentum + adaptive LR only, no ideal rows)
// The seed's Iris set-up (Yang et al. [0061]): 150 samples (fixtures/train/, Fisher's Iris min-max scaled to [0, 1])
// split 75/75 by seed (stratified), targets (1,-1,-1), (-1,1,-1), (-1,-1,1), 0.1 s iterations of 1,000 pulse slots.
// For each device model: plain, momentum (alpha 0.5), adaptive learning rate (bold driver 1.1 / 0.5), both; nominal
// devices, and with 10% device-to-device and 10% cycle-to-cycle variation. Beside them, the same rule on ideal
// float64 weights (no devices: each slot's update applied exactly, the weights clipped to +-w_max): what the device
// models cost.

import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { ONLINE_DEFAULTS, splitHalves, trainOnline, type OnlineData } from '../dist/crossbar/online.js';
import { MEMRISTOR_PRESETS, NO_VARIATION } from '../dist/presets/memristors.js';
import { Rng } from '../dist/util/random.js';

const ROOT = join(import.meta.dirname, '..');
const load = (f: string) => JSON.parse(readFileSync(join(ROOT, 'fixtures/train', f), 'utf8')) as OnlineData;
const a = load('iris_train.json');
const b = load('iris_test.json');
const iris: OnlineData = { inputs: [...a.inputs, ...b.inputs], labels: [...a.labels, ...b.labels] };
const iterations = Number(process.argv[2] ?? 20);
const seeds = Number(process.argv[3] ?? 10);
const hidden = Number(process.argv[4] ?? 0);

const configs = [
  { label: 'plain', momentum: 0, adaptiveLearningRate: false },
  { label: 'momentum', momentum: 0.5, adaptiveLearningRate: false },
  { label: 'adaptive LR', momentum: 0, adaptiveLearningRate: true },
  { label: 'momentum + adaptive LR', momentum: 0.5, adaptiveLearningRate: true },
] as const;

/** The same single layer and rule on float64 weights: the reference without devices. */
function idealRun(train: OnlineData, test: OnlineData, seed: number, momentum: number, adaptive: boolean): number {
  const rows = 5;
  const w = new Float64Array(rows * 3);
  const held = new Float64Array(rows * 3);
  const rng = new Rng(seed);
  const order = train.inputs.map((_, k) => k);
  let cursor = order.length;
  let eta: number = ONLINE_DEFAULTS.learningRate;
  let heldError = Number.POSITIVE_INFINITY;
  const u = new Float64Array(rows);
  const forward = (x: readonly number[]) => {
    for (let i = 0; i < 4; i++) u[i] = 2 * x[i]! - 1;
    u[4] = 1;
    return [0, 1, 2].map((j) => Math.tanh(Array.from(u).reduce((s, ui, i) => s + ui * w[i * 3 + j]!, 0)));
  };
  for (let it = 0; it < iterations; it++) {
    let sq = 0;
    for (let slot = 0; slot < ONLINE_DEFAULTS.slotsPerIteration; slot++) {
      if (cursor === order.length) {
        for (let k = order.length - 1; k > 0; k--) {
          const r = Math.floor(rng.next() * (k + 1));
          [order[k], order[r]] = [order[r]!, order[k]!];
        }
        cursor = 0;
      }
      const s = order[cursor++]!;
      const y = forward(train.inputs[s]!);
      for (let j = 0; j < 3; j++) {
        const e = (j === train.labels[s] ? 1 : -1) - y[j]!;
        sq += e * e;
        const delta = e * (1 - y[j]! * y[j]!);
        for (let i = 0; i < rows; i++) {
          const k = i * 3 + j;
          const dw = eta * delta * u[i]! + momentum * held[k]!;
          held[k] = dw;
          w[k] = Math.max(-ONLINE_DEFAULTS.weightMax, Math.min(ONLINE_DEFAULTS.weightMax, w[k]! + dw));
        }
      }
    }
    const err = sq / (ONLINE_DEFAULTS.slotsPerIteration * 3);
    if (adaptive) {
      eta = err < heldError ? eta * 1.1 : eta * 0.5;
      heldError = err;
    }
  }
  let right = 0;
  test.inputs.forEach((x, k) => {
    const y = forward(x);
    if (y.indexOf(Math.max(...y)) === test.labels[k]) right++;
  });
  return right / test.inputs.length;
}

const stats = (v: number[]) => {
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  const sd = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, v.length - 1));
  return `${mean.toFixed(3)} ± ${sd.toFixed(3)} | ${Math.min(...v).toFixed(3)} | ${Math.max(...v).toFixed(3)}`;
};

console.log(`# ${iterations} iterations (${(iterations * 0.1).toFixed(1)} s of circuit time), seeds 1..${seeds}, hidden ${hidden}, ${cpus().length} cores, ${new Date().toISOString()}`);
console.log('| devices | variation | modules | test accuracy mean ± sd | min | max | train accuracy mean | saturated pulses | wall time per run |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const config of hidden > 0 ? [] : configs) {
  const acc: number[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const { train, test } = splitHalves(iris, 3, seed);
    acc.push(idealRun(train, test, seed, config.momentum, config.adaptiveLearningRate));
  }
  console.log(`| ideal float64 weights | - | ${config.label} | ${stats(acc)} | - | - | - |`);
}
const variations = [
  { label: 'none', v: NO_VARIATION },
  { label: 'd2d 10%, c2c 10%', v: { d2dRel: 0.1, c2cRel: 0.1, readDisturbPerRead: 0 } },
];
for (const model of Object.values(MEMRISTOR_PRESETS)) {
  for (const variation of hidden > 0 ? variations.slice(0, 1) : variations) {
    for (const config of hidden > 0 ? [configs[0], configs[3]] : configs) {
      const acc: number[] = [];
      const trainAcc: number[] = [];
      let saturated = 0;
      let pulses = 0;
      const t0 = performance.now();
      for (let seed = 1; seed <= seeds; seed++) {
        const { train, test } = splitHalves(iris, 3, seed);
        const r = trainOnline(train, test, 3, { deviceModel: model, variation: variation.v, iterations, hidden, momentum: config.momentum, adaptiveLearningRate: config.adaptiveLearningRate, seed });
        acc.push(r.testAccuracy);
        trainAcc.push(r.trainAccuracy);
        saturated += r.saturatedPulses;
        pulses += r.pulses;
      }
      const wall = (performance.now() - t0) / seeds / 1000;
      const meanTrain = trainAcc.reduce((s, x) => s + x, 0) / seeds;
      console.log(`| ${model.name}${hidden > 0 ? `, 4-${hidden}-3` : ''} | ${variation.label} | ${config.label} | ${stats(acc)} | ${meanTrain.toFixed(3)} | ${((100 * saturated) / pulses).toFixed(1)}% | ${wall.toFixed(2)} s |`);
    }
  }
}
