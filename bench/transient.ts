// Benchmark (issue 12): wall time of the behavioural transient (simulate/transient.ts) for one inference of the digits
// CNN (Binas's protocol: the previous test sample settled, then the sample), per op-amp preset, with its latency and
// energy; and ngspice's `.tran` of a realized netlist with the macro op-amp (the netlist's model: single pole, no slew
// limit) beside the behavioural transient of the same model (the generic preset with the slew limit off), for the ratio
// of times and the agreement of the output waveforms and the latency read on ngspice's time grid. The ngspice part runs
// on the Iris MLP by default: on the digits CNN, `.tran` to 80 us at TMAX 1/(20 GBW) did not finish within 900 s on the
// 2-core bench machine (OHMNET_BENCH_SPICE=digits_cnn to try it).
//   npx tsc -p tsconfig.build.json && npx tsx bench/transient.ts

import { performance } from 'node:perf_hooks';
import { cpus } from 'node:os';
import { importModel } from '../dist/import/index.js';
import { realize } from '../dist/realize/realize.js';
import { seriesValues } from '../dist/realize/series.js';
import { inspectGraph } from '../dist/report/inspect.js';
import { estimateEnergy, parseOpampPreset } from '../dist/simulate/energy.js';
import { simulateTransient } from '../dist/simulate/transient.js';
import { DYNAMIC_OPAMPS } from '../dist/presets/opamps.js';
import { createEngine, ngspiceAvailable } from '../dist/spice/engines/index.js';
import { emitNetlist } from '../dist/spice/emit.js';
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
for (const name of ['generic', 'micropower', 'fast']) {
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

if (ngspiceAvailable()) {
  // The netlist's macro op-amp has no slew limit: compare with the generic preset without one.
  const op = parseOpampPreset('generic:slew=1e15');
  const sfx = loadFixture(process.env.OHMNET_BENCH_SPICE ?? 'iris_mlp');
  const sgraph = importModel(sfx.path);
  const [prev, x] = [sfx.inputs[1], sfx.inputs[0]];
  const compiled = compileGraph(sgraph, { calibration: sfx.inputs, signalLimitV: 5 });
  const r = realize(compiled.tnet, E96);
  const net = r.tnet;
  const stopS = 40e-6;
  const reads = Array.from({ length: 401 }, (_, k) => (k * stopS) / 400);
  // Behavioural: outputs at the read times (linear interpolation between accepted steps).
  const times: number[] = [];
  const outs: number[][] = [];
  const t0 = performance.now();
  const res = simulateTransient(r, [{ initial: prev, patterns: [x] }], { opamp: op, latencyToleranceV: 0.01, periodS: stopS, onStep: (t, v, lanes) => {
    const o = Array.from(net.outputSignal, (s) => v[s * lanes]);
    times.push(t);
    outs.push(o);
  } });
  const behaviouralS = (performance.now() - t0) / 1000;
  const engine = await createEngine('ngspice');
  const netlist = emitNetlist(r, { opamp: op });
  const probes = Array.from(net.outputSignal, (_, k) => `out${k}`);
  const edge = 1e-9;
  const inputs = Array.from({ length: net.inputCount }, (_, j) => ({ kind: 'pwl' as const, points: [[0, net.inputGain * prev[j]], [edge, net.inputGain * x[j]]] as [number, number][] }));
  const t1 = performance.now();
  const tran = await engine.transient({ netlist, inputs, probes, stopTimeS: stopS, maxStepS: 1 / (20 * op.gbwHz), readTimesS: reads, timeoutMs: 900_000 });
  const spiceS = (performance.now() - t1) / 1000;
  await engine.dispose?.();
  // Behavioural outputs at the read times.
  const at = (t: number): number[] => {
    let k = times.findIndex((u) => u >= t);
    if (k < 0) k = times.length - 1;
    if (k === 0) return outs[0];
    const f = (t - times[k - 1]) / (times[k] - times[k - 1]);
    return outs[k - 1].map((v, j) => v + f * (outs[k][j] - v));
  };
  let worst = 0;
  let worstSettled = 0;
  const final = tran.voltages[tran.voltages.length - 1];
  let spiceLatency = 0;
  reads.forEach((t, k) => {
    if (t < times[0]) return;
    const b = at(t);
    const s = tran.voltages[k];
    const d = Math.max(...b.map((v, j) => Math.abs(v - s[j])));
    worst = Math.max(worst, d);
    if (t > 20e-6) worstSettled = Math.max(worstSettled, d);
    if (Math.max(...s.map((v, j) => Math.abs(v - final[j]))) > 0.01) spiceLatency = reads[Math.min(k + 1, reads.length - 1)];
  });
  const lat = res.inferences[0][0].toleranceLatencyS;
  console.log('');
  console.log(`${sfx.name}: ${net.neurons.count} neurons, ${net.neurons.rowPtr[net.neurons.count]} connections`);
  console.log(`| engine | model | wall time, one ${stopS * 1e6} us inference (s) | latency (us, 0.01 V) | max |behavioural - ngspice| over the run (V) | after 20 us (V) |`);
  console.log('|---|---|---|---|---|---|');
  console.log(`| behavioural (ohmnet) | generic, no slew limit | ${behaviouralS.toFixed(3)} | ${(lat * 1e6).toFixed(2)} | (reference) | |`);
  console.log(`| ngspice (binary) .tran, TMAX 1/(20 GBW) | macro op-amp (A0 2e5, GBW 2 MHz) | ${spiceS.toFixed(2)} | ${(spiceLatency * 1e6).toFixed(2)} (on a 0.1 us read grid) | ${worst.toExponential(2)} | ${worstSettled.toExponential(2)} |`);
  console.log(`ratio ngspice / behavioural: ${(spiceS / behaviouralS).toFixed(1)}x`);
}
