// Stress of the whole compile output on MobileNet v1 (32x32x3, random weights; see bench/models.ts): T-transformation,
// realization (E96), Monte Carlo (10 trials at 1%), and every output file (summary.json, tnet.json, resistors.csv,
// resistors.bin, netlist.cir, report.html), with the time of each step and the file sizes.
//   npm run build && npx tsx bench/mobilenet-full.ts [outDir]

import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeResistorsBin } from '../dist/io/resistors-bin.js';
import { writeResistorsCsv } from '../dist/io/resistors-csv.js';
import { writeTnetJson } from '../dist/io/tnet-json.js';
import { realizeCompiled } from '../dist/flow/index.js';
import { renderReport } from '../dist/report/html.js';
import { inspectGraph } from '../dist/report/inspect.js';
import { addRealization, summarize } from '../dist/report/summary.js';
import { writeNetlist } from '../dist/spice/emit.js';
import { DEFAULT_IDEAL } from '../dist/spice/models.js';
import { compileGraph } from '../dist/transform/pipeline.js';
import { Rng } from '../dist/util/random.js';
import { mobilenetV1 } from './models.js';

const out = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'ohmnet-mobilenet-'));
mkdirSync(out, { recursive: true });
const graph = mobilenetV1(1);
const rng = new Rng(2);
const inputs = Array.from({ length: 10 }, () => Float64Array.from({ length: 3 * 32 * 32 }, () => rng.uniform(0, 1)));
const steps: [string, number][] = [];
let t = performance.now();
const step = (name: string) => {
  const now = performance.now();
  steps.push([name, (now - t) / 1000]);
  process.stderr.write(`  ${name}: ${((now - t) / 1000).toFixed(1)} s, heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB\n`);
  t = now;
};
const compiled = compileGraph(graph, { fanIn: 100, fanOut: 100, signalLimitV: 6, calibration: inputs });
step('T-transformation');
const r = await realizeCompiled(graph, compiled, { resistors: 'E96', toleranceRel: 0.01, trials: 10 });
step('realization + 10 Monte Carlo trials');
const summary = addRealization(summarize(graph, compiled, 'mobilenet_v1_32 (bench)'), r.summary, null);
step('summary (equivalence on 10 samples)');
writeFileSync(join(out, 'summary.json'), JSON.stringify(summary, null, 2));
writeTnetJson(join(out, 'tnet.json'), compiled.tnet);
step('tnet.json');
writeResistorsCsv(join(out, 'resistors.csv'), r.realized);
step('resistors.csv');
writeResistorsBin(join(out, 'resistors.bin'), r.realized);
step('resistors.bin');
writeNetlist(join(out, 'netlist.cir'), r.realized, { opamp: DEFAULT_IDEAL, title: 'mobilenet' });
step('netlist.cir');
writeFileSync(join(out, 'report.html'), await renderReport({ summary, inspect: inspectGraph(graph), tnet: compiled.tnet, realized: r.realized, monteCarloTrials: r.trials, options: {} }));
step('report.html');
console.log(`MobileNet v1 32x32: ${compiled.tnet.neurons.count.toLocaleString('en-US')} neurons, ${r.summary.resistors.toLocaleString('en-US')} resistors; nominal MSE ${r.summary.nominal.mse.toExponential(2)}, MC 1% MSE mean ${r.summary.monteCarlo!.mse.mean.toExponential(2)}`);
console.log('| step | seconds |');
console.log('|---|---|');
for (const [name, s] of steps) console.log(`| ${name} | ${s.toFixed(1)} |`);
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB; files in ${out}:`);
for (const f of readdirSync(out).sort()) console.log(`  ${f}: ${(statSync(join(out, f)).size / 1e6).toFixed(1)} MB`);
