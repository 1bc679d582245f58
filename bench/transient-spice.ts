// Benchmark (issue 12): the behavioural transient against ngspice's `.tran` of the same realized network with the
// transient macro op-amp cell (spice/transient-check.ts: single pole, smooth slew clamp, supply clamp, output
// current mirrored into VDD/VSS), one inference by Binas's protocol (sample 2 after sample 1): wall times and their
// ratio, and the agreement of latency, energy per inference and the output waveforms after settling.
//   npx tsc -p tsconfig.build.json && npx tsx bench/transient-spice.ts [fixture=digits_cnn] [preset=fast] [engine=ngspice]

import { performance } from 'node:perf_hooks';
import { cpus } from 'node:os';
import { importModel } from '../dist/import/index.js';
import { realize } from '../dist/realize/realize.js';
import { seriesValues } from '../dist/realize/series.js';
import { simulateTransient } from '../dist/simulate/transient.js';
import { compareTransients, spiceTransient } from '../dist/spice/transient-check.js';
import { DYNAMIC_OPAMPS } from '../dist/presets/opamps.js';
import { createEngine, type EngineKind } from '../dist/spice/engines/index.js';
import { compileGraph } from '../dist/transform/pipeline.js';
import { loadFixture } from '../test/helpers.js';

const [fixture = 'digits_cnn', preset = 'fast', engineKind = 'ngspice'] = process.argv.slice(2);
const E96 = { setOhm: seriesValues('E96', 1e5, 1e6), setName: 'E96 100k..1M', feedback: 'min-error' as const, feedbackPer: 'layer' as const, toleranceRel: 0, vRefV: 1 };
const op = DYNAMIC_OPAMPS[preset];
const fx = loadFixture(fixture);
const S = Math.min(op.supplyPlusV, -op.supplyMinusV);
const r = realize(compileGraph(importModel(fx.path), { calibration: fx.inputs, signalLimitV: S }).tnet, E96);
const [prev, x] = [fx.inputs[1], fx.inputs[2]];
console.log(`machine: ${cpus()[0]?.model ?? 'unknown'} x ${cpus().length}, node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
console.log(`${fixture}: ${r.tnet.neurons.count} neurons, ${r.tnet.neurons.rowPtr[r.tnet.neurons.count]} connections, preset ${preset}, S = ${S} V`);
const run = () => {
  const times: number[] = [];
  const outputs: number[][] = [];
  const res = simulateTransient(r, [{ initial: prev, patterns: [x] }], { opamp: op, latencyToleranceV: 0.01, onStep: (t, v, lanes) => {
    times.push(t);
    outputs.push(Array.from(r.tnet.outputSignal, (s) => v[s * lanes]));
  } });
  return { res, times, outputs };
};
run(); // warm-up (JIT)
const t0 = performance.now();
const b = run();
const behaviouralS = (performance.now() - t0) / 1000;
const inf = b.res.inferences[0][0];
const engine = await createEngine(engineKind as EngineKind);
// To 1.2 x the behavioural run's end (every state within tol / 1000 of DC there): SPICE's last read is its DC value.
const stopS = 1.2 * b.times[b.times.length - 1];
const t1 = performance.now();
const s = await spiceTransient(engine, r, prev, x, { opamp: op, latencyToleranceV: 0.01, stopTimeS: stopS, timeoutMs: 4 * 3600_000 });
const spiceS = (performance.now() - t1) / 1000;
await engine.dispose?.();
const a = compareTransients({ times: b.times, outputs: b.outputs, latencyS: inf.latencyS, energyJ: inf.toOutput.totalJ }, s);
console.log('| engine | wall time, one inference (s) | latency (us) | energy/inference (nJ) | max abs output difference after settling (V) | over the run (V) |');
console.log('|---|---|---|---|---|---|');
console.log(`| behavioural (ohmnet), ${b.res.steps} steps | ${behaviouralS.toFixed(3)} | ${(inf.latencyS * 1e6).toFixed(3)} | ${(inf.toOutput.totalJ * 1e9).toFixed(2)} | (reference) | |`);
console.log(`| ${s.engine} .tran to ${(stopS * 1e6).toFixed(2)} us, 400 reads | ${spiceS.toFixed(1)} | ${(s.latencyS * 1e6).toFixed(3)} | ${(s.energyToOutputJ * 1e9).toFixed(2)} | ${a.settledMaxDiffV.toExponential(2)} | ${a.runMaxDiffV.toExponential(2)} |`);
console.log(`ratio ${s.engine} / behavioural: ${(spiceS / behaviouralS).toFixed(0)}x; latency ${(100 * a.latencyRel).toFixed(2)}%, energy ${(100 * a.energyRel).toFixed(2)}%`);
