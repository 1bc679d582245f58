// Benchmark (issue 3): MobileNet v1 (alpha 1, 32x32x3, random weights) through the T-transformation with fan-in and
// fan-out 100 and signal limit 6, against the patent's reported figures. Prints one table; run with
//   npx tsx bench/mobilenet.ts
// The patent ("Example Transformation of MobileNet v.1"): ~104,000 neurons, ~11 million connections, 30 layers
// including the input layer, mean output error 4.9e-8 over 100 random samples.

import { performance } from 'node:perf_hooks';
import { cpus } from 'node:os';
import { evaluate } from '../src/reference/evaluate.js';
import { evaluateTnet } from '../src/tnet/evaluate.js';
import { tnetStats } from '../src/tnet/stats.js';
import { compileGraph } from '../src/transform/pipeline.js';
import { inspectGraph } from '../src/report/inspect.js';
import { Rng } from '../src/util/random.js';
import { mobilenetV1 } from './models.js';

const samples = Number(process.argv[2] ?? 10);
const graph = mobilenetV1(1);
const src = inspectGraph(graph).totals;
const rng = new Rng(2);
const inputs = Array.from({ length: samples }, () => Float64Array.from({ length: 3 * 32 * 32 }, () => rng.uniform(0, 1)));

const t0 = performance.now();
const compiled = compileGraph(graph, { fanIn: 100, fanOut: 100, signalLimitV: 6, calibration: inputs, verify: true });
const compileSeconds = (performance.now() - t0) / 1000;
const peakMiB = process.resourceUsage().maxRSS / 1024;

const ref = evaluate(graph, inputs, { tensor: compiled.analogOutput }).outputs;
const got = evaluateTnet(compiled.tnet, inputs).analog;
let maxErr = 0;
let sumErr = 0;
let n = 0;
got.forEach((y, k) => y.forEach((v, j) => {
  const d = Math.abs(v - ref[k][j]);
  maxErr = Math.max(maxErr, d);
  sumErr += d;
  n++;
}));
const s = tnetStats(compiled.tnet);
const before = tnetStats(compiled.logical);
const fmt = (v: number) => v.toLocaleString('en-US');
console.log(`MobileNet v1 32x32x3 alpha 1: ${src.layers} source layers, ${fmt(src.parameters)} parameters, ${fmt(src.macs)} MACs`);
console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, node ${process.version}`);
console.log('');
console.log('| figure | patent | ohmnet, before fan-in/fan-out limits | ohmnet T-network (N_I = N_O = 100, S = 6) |');
console.log('|---|---|---|---|');
console.log(`| neurons | ~104,000 | ${fmt(before.neurons)} | ${fmt(s.neurons)} (compute ${fmt(s.neuronsByKind.compute)}, partial sums ${fmt(s.neuronsByKind.partialSum)}, buffers ${fmt(s.neuronsByKind.buffer)}, linear ${fmt(s.neuronsByKind.linear)}) |`);
console.log(`| connections | ~11,000,000 | ${fmt(before.connections)} | ${fmt(s.connections)} |`);
console.log(`| layers (incl. input) | 30 | ${before.layers + 1} | ${s.layers + 1} |`);
console.log(`| max fan-in / fan-out | 100 / 100 | ${before.maxFanIn} / ${before.maxFanOut} | ${s.maxFanIn} / ${s.maxFanOut} |`);
console.log(`| output error | mean 4.9e-8 (100 samples) | | max ${maxErr.toExponential(2)}, mean ${(sumErr / n).toExponential(2)} (${samples} samples, logits) |`);
console.log(`| compile time | | | ${compileSeconds.toFixed(1)} s (incl. verifyTnet after every pass) |`);
console.log(`| peak memory (RSS) | | | ${peakMiB.toFixed(0)} MiB |`);
console.log('');
for (const p of compiled.passes) console.log(`pass ${p.pass}: ${fmt(p.neurons ?? 0)} neurons, ${fmt(p.connections ?? 0)} connections; ${p.notes.join('; ')}`);
