// Benchmark (issue 5): time per input sample of the behavioural DC simulation versus ngspice (the binary) and the
// wasm engine, on the same realized netlist, in one run, with the agreement between them. Networks: the digits CNN
// and the residual CNN at fan-in/fan-out 16 (E96, ideal op-amps), 20 samples each.
//   npm run build && npx tsx bench/spice.ts

import { performance } from 'node:perf_hooks';
import { importModel } from '../dist/import/index.js';
import { realizeCompiled } from '../dist/flow/index.js';
import { evaluateTnet } from '../dist/tnet/evaluate.js';
import { createEngine, ngspiceAvailable } from '../dist/spice/engines/index.js';
import { emitNetlist } from '../dist/spice/emit.js';
import { DEFAULT_IDEAL } from '../dist/spice/models.js';
import { tnetStats } from '../dist/tnet/stats.js';
import { compileGraph } from '../dist/transform/pipeline.js';
import { loadFixture } from '../test/helpers.js';

console.log('| network | neurons | resistors | engine | ms per sample (20 samples) | total s | max |difference| vs behavioural (V) |');
console.log('|---|---|---|---|---|---|---|');
for (const name of ['digits_cnn', 'residual']) {
  const fx = loadFixture(name);
  const graph = importModel(fx.path);
  const compiled = compileGraph(graph, { fanIn: 16, fanOut: 16, calibration: fx.inputs });
  const { realized, summary } = await realizeCompiled(graph, compiled, { resistors: 'E96' });
  const samples = fx.inputs.slice(0, 20);
  const physical = samples.map((x) => Array.from(x, (v) => compiled.tnet.inputGain * v));
  const netlist = emitNetlist(realized, { opamp: DEFAULT_IDEAL });
  const probes = Array.from(compiled.tnet.outputSignal, (_, k) => `out${k}`);
  const s = tnetStats(compiled.tnet);
  const row = (engine: string, sec: number, diff: number) =>
    console.log(`| ${name} (fan 16) | ${s.neurons.toLocaleString('en-US')} | ${summary.resistors.toLocaleString('en-US')} | ${engine} | ${((1000 * sec) / samples.length).toFixed(2)} | ${sec.toFixed(2)} | ${diff === 0 ? '0 (reference)' : diff.toExponential(2)} |`);
  let t0 = performance.now();
  const behavioural = evaluateTnet(compiled.tnet, samples, { weight: realized.weight, bias: realized.bias }).analog.map((y) => Array.from(y, (v, k) => v / compiled.tnet.outputScale[k]));
  row('behavioural (ohmnet)', (performance.now() - t0) / 1000, 0);
  for (const kind of ['ngspice', 'wasm'] as const) {
    if (kind === 'ngspice' && !ngspiceAvailable()) continue;
    const engine = await createEngine(kind);
    try {
      if (kind === 'wasm') await engine.operatingPoints({ netlist, inputs: physical.slice(0, 1), probes }); // warm start
      t0 = performance.now();
      const res = await engine.operatingPoints({ netlist, inputs: physical, probes });
      const sec = (performance.now() - t0) / 1000;
      let diff = 0;
      res.voltages.forEach((v, i) => v.forEach((x, k) => (diff = Math.max(diff, Math.abs(x - behavioural[i][k])))));
      row(kind === 'ngspice' ? 'ngspice 39 (binary)' : 'ngspice 45 (wasm)', sec, diff);
    } finally {
      await engine.dispose?.();
    }
  }
}
