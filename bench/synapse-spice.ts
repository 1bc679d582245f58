// The trained non-linear synapse network as a transistor-level ngspice netlist against the LUT model it was trained on
// (issue 16; figures in docs/benchmarks.md, "Non-linear synapses: training (issue 16)"). Input: a weights file
// `ohmnet train --synapse` wrote. The netlist is syn-cells' networkCircuit (src/synapse/transistor-netlist.ts: a
// WGEN and a synapse per weight, a soma per neuron, the shared ladder) plus the bias synapses it lacks: per layer a
// constant current source biasA into its own soma (as the inputs are fed), and from it one WGEN + synapse to every
// neuron of the next layer at the bias weight. One .op per test sample (alter of the input sources).
// Run once, after `npx tsc -p tsconfig.build.json`:  npx tsx bench/synapse-spice.ts WEIGHTS.json [samples.json]

import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { loadSynapseLut } from '../dist/synapse/characterize.js';
import { weightControls, WGEN_TAPS } from '../dist/synapse/cells.js';
import { argmax, SynapseModel } from '../dist/synapse/model.js';
import { runNgspiceDeck } from '../dist/synapse/run-ngspice.js';
import { networkCircuit } from '../dist/synapse/transistor-netlist.js';
import { readWeightsFile } from '../dist/synapse/weights-file.js';

const [weightsPath, samplesPath] = process.argv.slice(2);
if (!weightsPath) throw new Error('usage: npx tsx bench/synapse-spice.ts WEIGHTS.json [samples.json]');
const wf = readWeightsFile(weightsPath);
const net = wf.network;
const s = net.sizes;
const set = JSON.parse(readFileSync(samplesPath ?? new URL('../fixtures/synapse-iris/test.json', import.meta.url), 'utf8')) as { inputs: number[][]; labels: number[] };
const inputsA = set.inputs.map((x) => x.map((v) => Math.min(1, Math.max(0, v)) * wf.encoding.inputHighA));

// syn-cells' layout: weights[l][i][j] from neuron i of layer l to neuron j of layer l + 1; ours [l][j * (n + 1) + i].
const cellNet = { layerSizes: s, weights: net.weights.map((w, l) => Array.from({ length: s[l]! }, (_, i) => Array.from({ length: s[l + 1]! }, (_, j) => w[j * (s[l]! + 1) + i]!))) };
const lines = networkCircuit(cellNet, inputsA[0]!);
const rail = (b: boolean) => (b ? 'vcc' : '0');
const taps = Array.from({ length: WGEN_TAPS }, (_, i) => `t${i}`).join(' ');
for (let l = 0; l + 1 < s.length; l++) {
  lines.push(`ibias${l} vcc nb${l} ${wf.encoding.biasA}`, `xsomab${l} nb${l} apb${l} vcc soma`);
  for (let j = 0; j < s[l + 1]!; j++) {
    const w = net.weights[l]![j * (s[l]! + 1) + s[l]!]!;
    const c = weightControls(w);
    const id = `b${l}_${j}`;
    lines.push(
      `xwg${id} ${taps} ${c.select.map(rail).join(' ')} ${c.select.map((b: boolean) => rail(!b)).join(' ')} wa${id} vcc wgen`,
      `xs${id} nb${l} apb${l} wa${id} ${rail(c.enP)} ${rail(!c.enP)} ${rail(c.enN)} ${rail(!c.enN)} n${l + 1}_${j} vcc syn`,
    );
  }
}
const vecs: string[] = [];
for (let l = 1; l < s.length; l++) for (let j = 0; j < s[l]!; j++) vecs.push(`i(va${l}_${j})`);
lines.push('.options gmin=1e-12 abstol=1e-14 reltol=1e-4', '.control', 'set wr_singlescale');
const files: string[] = [];
inputsA.forEach((x, k) => {
  x.forEach((v, j) => lines.push(`alter iin${j} dc = ${v}`));
  lines.push('op', `wrdata op${k}.txt ${vecs.join(' ')}`);
  files.push(`op${k}.txt`);
});
lines.push('quit', '.endc', '.end');
const t0 = performance.now();
const out = await runNgspiceDeck(`network ${s.join('-')}`, lines.join('\n') + '\n', files, 1_800_000);
const spiceS = (performance.now() - t0) / 1000;

const lut = loadSynapseLut(new URL('../fixtures/synapse/ptm65.lut.json', import.meta.url).pathname);
const model = new SynapseModel(lut, s, wf.encoding, { toleranceV: 1e-9, maxIterations: 50 });
let agree = 0;
let spiceCorrect = 0;
let modelCorrect = 0;
let maxOutDiff = 0;
let maxHiddenDiff = 0;
let minMarginA = Infinity;
const L = s.length - 1;
out.forEach((rows, k) => {
  const r = rows[0]!;
  const zOut = model.forward(net, set.inputs[k]!);
  let at = 1;
  for (let l = 1; l <= L; l++) {
    const zm = model.trace.z[l - 1]!;
    for (let j = 0; j < s[l]!; j++) {
      const d = Math.abs(r[at++]! - zm[j]!);
      if (l === L) maxOutDiff = Math.max(maxOutDiff, d);
      else maxHiddenDiff = Math.max(maxHiddenDiff, d);
    }
  }
  const spiceOut = r.slice(1 + vecs.length - s[L]!, 1 + vecs.length);
  const cs = argmax(spiceOut);
  const cm = argmax(zOut);
  const sorted = [...zOut].sort((a, b) => b - a);
  minMarginA = Math.min(minMarginA, sorted[0]! - sorted[1]!);
  if (cs === cm) agree++;
  if (cs === set.labels[k]) spiceCorrect++;
  if (cm === set.labels[k]) modelCorrect++;
});
const n = out.length;
console.log(JSON.stringify({ date: new Date().toISOString(), machine: `${cpus().length} cores`, weights: weightsPath, samples: n, classAgreement: `${agree}/${n}`, spiceCorrect: `${spiceCorrect}/${n}`, modelCorrect: `${modelCorrect}/${n}`, maxOutputDiffA: maxOutDiff, maxHiddenDiffA: maxHiddenDiff, modelMinMarginA: minMarginA, spiceSeconds: spiceS, netlistLines: lines.length }, null, 2));
