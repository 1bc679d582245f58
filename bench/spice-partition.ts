// Benchmark (issue 18): partitioned SPICE verification against the whole netlist on the residual CNN at fan-in and
// fan-out 16 (the network of docs/benchmarks.md "SPICE": ~17 k neurons), 20 samples, the ngspice binary: wall time of
// the whole-netlist operating points and of the partitioned solve per partition size, and the largest difference of
// the composed outputs from the whole solution. Run with
//   npx tsc -p tsconfig.build.json && npx tsx bench/spice-partition.ts [sizes=500,2000,5000] [samples=20] [workers=1]
import { performance } from 'node:perf_hooks';
import { cpus } from 'node:os';
import { importModel } from '../dist/import/index.js';
import { openRun, runStages } from '../dist/flow/index.js';
import { createEngine } from '../dist/spice/engines/index.js';
import { emitNetlist } from '../dist/spice/emit.js';
import { partitionNetwork, solvePartitioned } from '../dist/spice/partition.js';
import { loadFixture } from '../test/helpers.js';

const sizes = (process.argv[2] ?? '500,2000,5000').split(',').map(Number);
const count = Number(process.argv[3] ?? 20);
const workers = Number(process.argv[4] ?? 1);
const fx = loadFixture('residual');
const run = openRun(importModel(fx.path), { fanIn: 16, fanOut: 16, calibration: fx.inputs }, {});
await runStages(run, ['realize']);
const r = run.requireRealization().realized;
const samples = fx.inputs.slice(0, count);
const physical = samples.map((x) => Array.from(x, (v) => r.tnet.inputGain * v));
const probes = Array.from(r.tnet.outputSignal, (_, k) => `out${k}`);
console.log(`machine: ${cpus()[0]?.model ?? 'unknown'} x ${cpus().length}, node ${process.version}, ${new Date().toISOString().slice(0, 16)} UTC`);
console.log(`residual CNN, fan 16: ${r.tnet.neurons.count} neurons, ${r.tnet.neurons.rowPtr[r.tnet.neurons.count]} connections, ${count} samples, ${workers} engine(s)`);
const engine = await createEngine('ngspice');
let t0 = performance.now();
const whole = await engine.operatingPoints({ netlist: emitNetlist(r, run.netlistOptions()), inputs: physical, probes, timeoutMs: 3_600_000 });
const wholeS = (performance.now() - t0) / 1000;
await engine.dispose?.();
console.log(`whole netlist: ${wholeS.toFixed(1)} s`);
for (const size of sizes) {
  const parts = partitionNetwork(r.tnet, size);
  t0 = performance.now();
  const sol = await solvePartitioned(r, samples, 'ngspice', { maxNeurons: size, netlist: run.netlistOptions(), workers }, 3_600_000);
  const s = (performance.now() - t0) / 1000;
  let d = 0;
  sol.voltages.forEach((v, i) => v.forEach((x, k) => (d = Math.max(d, Math.abs(x - whole.voltages[i][k])))));
  console.log(`partitions of <= ${size} neurons: ${parts.length} partitions (largest ${sol.largestNeurons} neurons, ${sol.largestInputs} inputs), ${s.toFixed(1)} s, ${(wholeS / s).toFixed(2)}x the whole netlist's speed, max |composed - whole| ${d.toExponential(2)} V`);
}
