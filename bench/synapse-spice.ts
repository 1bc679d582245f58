// The trained non-linear synapse network as a transistor-level ngspice netlist against the LUT model it was trained on
// (issue 16; src/synapse/spice-agreement.ts; figures in docs/benchmarks.md, "Non-linear synapses: training (issue
// 16)"). Input: a weights file `ohmnet train --synapse` wrote. Run once, after `npx tsc -p tsconfig.build.json`:
//   npx tsx bench/synapse-spice.ts WEIGHTS.json [samples.json]   (default: fixtures/synapse-iris/test.json)

import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { loadSynapseLut } from '../dist/synapse/characterize.js';
import { spiceAgreement } from '../dist/synapse/spice-agreement.js';
import { readWeightsFile } from '../dist/synapse/weights-file.js';

const [weightsPath, samplesPath] = process.argv.slice(2);
if (!weightsPath) throw new Error('usage: npx tsx bench/synapse-spice.ts WEIGHTS.json [samples.json]');
const wf = readWeightsFile(weightsPath);
const set = JSON.parse(readFileSync(samplesPath ?? new URL('../fixtures/synapse-iris/test.json', import.meta.url), 'utf8')) as { inputs: number[][]; labels: number[] };
const lut = loadSynapseLut(new URL('../fixtures/synapse/ptm65.lut.json', import.meta.url).pathname);
const t0 = performance.now();
const a = await spiceAgreement(lut, wf.network, wf.encoding, set.inputs, set.labels);
console.log(JSON.stringify({ date: new Date().toISOString(), machine: `${cpus().length} cores`, weights: weightsPath, ...a, seconds: (performance.now() - t0) / 1000 }, null, 2));
