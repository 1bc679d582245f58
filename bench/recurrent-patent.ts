// Benchmark (issue 11, "Targets from the patent"): the patent's four recurrent example networks (random weights,
// fixtures/recurrent/patent_*.onnx) through the T-transformation with N_I = N_O = 100 and S = 5, calibrated on each
// fixture's own inputs, against the patent's figures. Prints the tables docs/benchmarks.md quotes; run with
//   npx tsx bench/recurrent-patent.ts
// The counting rules (layers, neurons, connections) are in bench/patent-networks.ts.

import { cpus } from 'node:os';
import { buildPatentNetwork, PATENT_NETWORKS, PATENT_CONNECTION_RULES, PATENT_NEURON_RULES, patentLayerRule, type BlockCounts, type PatentRow } from './patent-networks.js';

const fmt = (v: number) => v.toLocaleString('en-US');
const approx = (r: PatentRow, v: number) => `${r.network.patent.approx ? '~' : ''}${fmt(v)}`;
const delays = (c: BlockCounts) => Object.entries(c.delaysByTicks).map(([k, n]) => `${fmt(n)} x ${k} tick${k === '1' ? '' : 's'}`).join(', ') || '0';

const rows = PATENT_NETWORKS.map(buildPatentNetwork);

console.log(`Recurrent networks of the patent, N_I = N_O = 100, S = 5 V; calibration and exactness check on each fixture's inputs`);
console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, node ${process.version}`);
console.log('');
for (const r of rows) console.log(`${r.network.title}: ${r.network.architecture} (fixture ${r.network.fixture}, ${r.samples} samples)`);
console.log('');
console.log('| network | layers: patent / ours (tick depth) | neurons: patent / our summators (compute, linear, partial sums, buffers) | multipliers | delays | connections: patent / ours (summator inputs) | multiplier + delay inputs | max fan-in / fan-out | max abs. signal (rescaled) | max rel. error | compile |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const p = r.network.patent;
  const f = r.final;
  const b = f.summatorsByRole;
  console.log(`| ${r.network.title} | ${p.layers} / ${f.layers} | ${approx(r, p.neurons)} / ${fmt(f.summators)} (${fmt(b.compute)}, ${fmt(b.linear)}, ${fmt(b.partialSum)}, ${fmt(b.buffer)}) | ${fmt(f.multipliers)} | ${delays(f)} | ${approx(r, p.connections)} / ${fmt(f.connections)} | ${fmt(f.multiplierInputs)} + ${fmt(f.delayInputs)} | ${f.maxFanIn} / ${f.maxFanOut} | ${r.compiled.signals.maxAbsSignalV.toFixed(2)} V (${r.compiled.signals.neuronsRescaled}) | ${r.relError.toExponential(1)} | ${r.compileSeconds.toFixed(1)} s |`);
}
console.log('');
console.log('Before the fan-in / fan-out limits (the lowering\'s logical network, no pyramids, no buffer trees):');
console.log('');
console.log('| network | layers (tick depth) | summators (compute, linear) | multipliers | delays | connections (summator inputs) | biases | max fan-in / fan-out |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const l = r.logical;
  console.log(`| ${r.network.title} | ${l.layers} | ${fmt(l.summators)} (${fmt(l.summatorsByRole.compute)}, ${fmt(l.summatorsByRole.linear)}) | ${fmt(l.multipliers)} | ${delays(l)} | ${fmt(l.connections)} | ${fmt(l.biases)} | ${l.maxFanIn} / ${l.maxFanOut} |`);
}
console.log('');
console.log('The patent\'s neuron figure under each reconstructed counting rule (exact matches marked *):');
console.log('');
console.log(`| rule | fits | ${rows.map((r) => r.network.title).join(' | ')} |`);
console.log(`|---|---|${rows.map(() => '---').join('|')}|`);
for (const rule of PATENT_NEURON_RULES) {
  console.log(`| ${rule.name} | ${rule.fits} | ${rows.map((r) => { const v = rule.value(r); return `${fmt(v)}${v === r.network.patent.neurons ? ' *' : ''}`; }).join(' | ')} |`);
}
console.log(`| patent | | ${rows.map((r) => approx(r, r.network.patent.neurons)).join(' | ')} |`);
console.log('');
console.log('The patent\'s layer figure under the reconstructed rule (LSTM 4, Dense 1, RNN 1, Conv1D 1 + its delay line in 1/5/10-tick stages; no input layer, no tree levels):');
console.log('');
console.log('| network | rule terms | rule | patent | ours (tick depth, before / after the fan limits) |');
console.log('|---|---|---|---|---|');
for (const r of rows) {
  const rule = patentLayerRule(r.graph);
  console.log(`| ${r.network.title} | ${rule.terms.join(', ')} | ${rule.value}${rule.value === r.network.patent.layers ? ' *' : ''} | ${r.network.patent.layers} | ${r.logical.layers} / ${r.final.layers} |`);
}
console.log('');
console.log('Connections under candidate counting rules (the patent states none; differences from the patent in parentheses):');
console.log('');
console.log(`| rule | ${rows.map((r) => r.network.title).join(' | ')} |`);
console.log(`|---|${rows.map(() => '---').join('|')}|`);
for (const rule of PATENT_CONNECTION_RULES) {
  console.log(`| ${rule.name} | ${rows.map((r) => { const v = rule.value(r); const d = v - r.network.patent.connections; return `${fmt(v)} (${d >= 0 ? '+' : ''}${fmt(d)})`; }).join(' | ')} |`);
}
console.log(`| patent | ${rows.map((r) => approx(r, r.network.patent.connections)).join(' | ')} |`);
const worst = Math.max(...rows.map((r) => r.relError));
console.log('');
console.log(`exact: max |T-network - reference| / max |reference| = ${worst.toExponential(2)} over all four (${worst < 1e-9 ? 'below' : 'NOT below'} 1e-9)`);
if (!(worst < 1e-9)) process.exitCode = 1;
