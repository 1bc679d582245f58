// Benchmark (issue 4): Monte Carlo trials per second on the digits CNN T-network with 1 and 2 workers.
// E96 100k..1M, tolerance 1% gaussian, the fixture's 24 samples, fan-in/fan-out 16. Measures the built package
// (dist/, as users run it: workers start from compiled JS).  npm run build && npx tsx bench/montecarlo.ts [trials]

import { performance } from 'node:perf_hooks';
import { importModel } from '../dist/import/index.js';
import { evaluate } from '../dist/reference/evaluate.js';
import { realize } from '../dist/realize/realize.js';
import { seriesValues } from '../dist/realize/series.js';
import { monteCarlo } from '../dist/simulate/montecarlo.js';
import { tnetStats } from '../dist/tnet/stats.js';
import { compileGraph } from '../dist/transform/pipeline.js';
import { loadFixture } from '../test/helpers.js';

const fx = loadFixture('digits_cnn');
const graph = importModel(fx.path);
const compiled = compileGraph(graph, { fanIn: 16, fanOut: 16, calibration: fx.inputs });
const reference = evaluate(graph, fx.inputs).outputs;
const r = realize(compiled.tnet, { setOhm: seriesValues('E96', 1e5, 1e6), setName: 'E96', feedback: 'min-error', feedbackPer: 'layer', toleranceRel: 0.01, vRefV: 1 });
const s = tnetStats(compiled.tnet);
const trials = Number(process.argv[2] ?? 200);
console.log(`digits CNN T-network: ${s.neurons} neurons, ${s.connections} connections; ${fx.inputs.length} samples per trial; ${trials} trials`);
console.log('| workers | seconds | trials/s | mean MSE |');
console.log('|---|---|---|---|');
for (const workers of [1, 2]) {
  const t0 = performance.now();
  const mc = await monteCarlo(r, fx.inputs, reference, { trials, workers, seed: 1, toleranceRel: 0.01, distribution: 'gaussian', classThreshold: 0.5, converters: {} });
  const sec = (performance.now() - t0) / 1000;
  console.log(`| ${workers} | ${sec.toFixed(2)} | ${(trials / sec).toFixed(0)} | ${mc.mse.mean.toExponential(4)} |`);
}
