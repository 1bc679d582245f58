// Benchmark (issue 12): wall time of the behavioural transient (simulate/transient.ts) for one inference of the digits
// CNN (Binas's protocol: the previous test sample settled, then the sample), per op-amp preset, with its latency and
// energy; the energy table (digits CNN and Binas's MNIST network shape with each preset, without and with power gating,
// beside Binas, Yuzuguler and HERMES); MobileNet v1 one inference (OHMNET_BENCH_MOBILENET=0 skips it). The ngspice
// comparison is bench/transient-spice.ts.
//   npx tsc -p tsconfig.build.json && npx tsx bench/transient.ts

import { performance } from 'node:perf_hooks';
import { cpus } from 'node:os';
import { importModel } from '../dist/import/index.js';
import { realize } from '../dist/realize/realize.js';
import { seriesValues } from '../dist/realize/series.js';
import { inspectGraph } from '../dist/report/inspect.js';
import { estimateEnergy } from '../dist/simulate/energy.js';
import { simulateTransient } from '../dist/simulate/transient.js';
import { DYNAMIC_OPAMPS } from '../dist/presets/opamps.js';
import { createRequire } from 'node:module';
import { Rng } from '../dist/util/random.js';
import { binasMlp, mobilenetV1 } from './models.js';
import { compileGraph } from '../dist/transform/pipeline.js';
import { loadFixture } from '../test/helpers.js';

const E96 = { setOhm: seriesValues('E96', 1e5, 1e6), setName: 'E96 100k..1M', feedback: 'min-error' as const, feedbackPer: 'layer' as const, toleranceRel: 0, vRefV: 1 };
const fx = loadFixture('digits_cnn');
const graph = importModel(fx.path);
const macs = inspectGraph(graph).totals.macs;
console.log(`machine: ${cpus()[0]?.model ?? 'unknown'} x ${cpus().length}, node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
console.log('| preset | neurons | connections | transient wall time, 1 inference (s) | steps (rejected) | latency (us) | energy/inference | energy/MAC |');
console.log('|---|---|---|---|---|---|---|---|');
const [prev, x] = [fx.inputs[1], fx.inputs[0]];
for (const name of process.env.OHMNET_BENCH_ONLY === 'mobilenet' ? [] : ['generic', 'micropower', 'fast']) {
  const op = DYNAMIC_OPAMPS[name];
  const compiled = compileGraph(graph, { calibration: fx.inputs, signalLimitV: Math.min(op.supplyPlusV, -op.supplyMinusV) });
  const r = realize(compiled.tnet, E96);
  estimateEnergy(r, [x], { opamp: op, latencyToleranceV: 0.01, macs }); // warm-up (JIT)
  const t0 = performance.now();
  const res = simulateTransient(r, [{ initial: prev, patterns: [x] }], { opamp: op, latencyToleranceV: 0.01 });
  const sec = (performance.now() - t0) / 1000;
  const inf = res.inferences[0][0];
  console.log(`| ${name} | ${r.tnet.neurons.count.toLocaleString('en-US')} | ${r.tnet.neurons.rowPtr[r.tnet.neurons.count].toLocaleString('en-US')} | ${sec.toFixed(3)} | ${res.steps} (${res.rejectedSteps}) | ${(inf.latencyS * 1e6).toFixed(2)} | ${(inf.toOutput.totalJ * 1e9).toFixed(1)} nJ | ${((inf.toOutput.totalJ / macs) * 1e12).toFixed(0)} pJ |`);
}

// The energy table: the digits CNN and Binas's MNIST network shape (bench/models.ts binasMlp: 196-100-50-10, random
// weights, 14x14 MNIST test digits from the mnist devDependency) with each preset, without and with power gating.
console.log('');
console.log('| model | preset | op-amps | MACs | latency p50 / max | energy/inference | gated | energy/MAC | gated | rate | power | gated | gating check |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
const RATES: Record<string, number> = { generic: 10e3, micropower: 250, fast: 50e3 };
// The mnist package (a devDependency) has no types: its set(train, test) gives { input: 784 values in [0, 1] }.
const mnist = createRequire(import.meta.url)('mnist') as { set: (train: number, test: number) => { test: { input: number[] }[] } };
const mnistSet = mnist.set(0, 20).test;
const mnist14 = mnistSet.map((d) => Float64Array.from({ length: 196 }, (_, k) => {
  const [r0, c0] = [2 * Math.floor(k / 14), 2 * (k % 14)];
  return (d.input[r0 * 28 + c0] + d.input[r0 * 28 + c0 + 1] + d.input[(r0 + 1) * 28 + c0] + d.input[(r0 + 1) * 28 + c0 + 1]) / 4;
}));
const tableModels = [
  { name: 'digits CNN', graph, samples: loadFixture('digits_cnn').inputs.slice(0, 10), calibration: fx.inputs },
  { name: 'MNIST MLP 196-100-50-10 (random weights)', graph: binasMlp(1), samples: mnist14.slice(0, 10), calibration: mnist14 },
];
const si = (v: number | null, unit: string) => {
  if (v === null) return '-';
  const p: [number, string][] = [[1, ''], [1e-3, 'm'], [1e-6, 'u'], [1e-9, 'n'], [1e-12, 'p'], [1e-15, 'f']];
  const [f, pre] = p.find(([f]) => Math.abs(v) >= f * 0.9995) ?? p[p.length - 1];
  return `${(v / f).toPrecision(3)} ${pre}${unit}`;
};
for (const m of process.env.OHMNET_BENCH_ONLY === 'mobilenet' ? [] : tableModels) {
  const tmacs = inspectGraph(m.graph).totals.macs;
  for (const name of ['generic', 'micropower', 'fast']) {
    const op = DYNAMIC_OPAMPS[name];
    const compiled = compileGraph(m.graph, { calibration: m.calibration, signalLimitV: Math.min(op.supplyPlusV, -op.supplyMinusV) });
    const r = realize(compiled.tnet, E96);
    const f = estimateEnergy(r, m.samples, { opamp: op, latencyToleranceV: 0.01, macs: tmacs, rateHz: RATES[name], gateMarginRel: 1.25 });
    const g = f.gating!;
    console.log(`| ${m.name} | ${name} | ${f.opamps.toLocaleString('en-US')} | ${tmacs.toLocaleString('en-US')} | ${si(f.latencyS.p50, 's')} / ${si(f.latencyS.max, 's')} | ${si(f.energyPerInferenceJ.mean, 'J')} | ${si(g.energyPerInferenceJ.mean, 'J')} | ${si(f.energyPerMacJ, 'J')} | ${si(g.energyPerMacJ, 'J')} | ${RATES[name]} Hz | ${si(f.powerW, 'W')} | ${si(g.powerW, 'W')} | ${g.check.passed ? 'PASS' : 'FAIL'} on ${g.check.samples} (max ${si(g.check.maxDeviationV, 'V')}) |`);
  }
}
console.log('| Binas et al. (196-100-50-10, 180 nm, 15 nA) | | | 25,100 | 8.5 us mean | | | 0.12 pJ/op | | 66 kHz | ~200 uW | | |');
console.log('| Yuzuguler et al. | | | | 21 ns | | | 0.26 pJ/MAC | | | | | |');
console.log('| IBM HERMES | | | | | | | 0.2-0.8 pJ/MAC | | | | | |');

// MobileNet v1 (bench/models.ts, random weights; fan-in/fan-out 100), one inference with the fast preset.
if (process.env.OHMNET_BENCH_MOBILENET !== '0') {
  const mg = mobilenetV1(1);
  const rng = new Rng(3);
  const xs = Array.from({ length: 4 }, () => Float64Array.from({ length: 3 * 32 * 32 }, () => rng.uniform(0, 1)));
  const op = DYNAMIC_OPAMPS.fast;
  const tc = performance.now();
  const compiled = compileGraph(mg, { fanIn: 100, fanOut: 100, signalLimitV: 2.5, calibration: xs });
  const r = realize(compiled.tnet, E96);
  const prepS = (performance.now() - tc) / 1000;
  const t0 = performance.now();
  // Tolerance 1 mV: with random weights the global average pooling leaves the outputs of two random images within
  // a few mV of each other, so a 10 mV band would count them settled at the switch.
  const res = simulateTransient(r, [{ initial: xs[1], patterns: [xs[0]] }], { opamp: op, latencyToleranceV: 1e-3 });
  const sec = (performance.now() - t0) / 1000;
  const inf = res.inferences[0][0];
  const cpuS = process.cpuUsage().user / 1e6;
  console.log('');
  console.log(`MobileNet v1 32x32 (random weights), fan-in/fan-out 100, S = 2.5 V, E96; compile + realize ${prepS.toFixed(1)} s`);
  console.log('| preset | neurons | connections | transient wall time, 1 inference (s) | process CPU so far (s) | steps (rejected) | latency (1 mV) | run until every state within 1 uV | energy to the latency | over the run | energy/MAC (run) |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  const mm = inspectGraph(mg).totals.macs;
  console.log(`| fast | ${r.tnet.neurons.count.toLocaleString('en-US')} | ${r.tnet.neurons.rowPtr[r.tnet.neurons.count].toLocaleString('en-US')} | ${sec.toFixed(1)} | ${cpuS.toFixed(0)} | ${res.steps} (${res.rejectedSteps}) | ${si(inf.latencyS, 's')} | ${si(inf.windowS, 's')} | ${si(inf.toOutput.totalJ, 'J')} | ${si(inf.window.totalJ, 'J')} | ${si(inf.window.totalJ / mm, 'J')} |`);
}
