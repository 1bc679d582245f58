// Benchmark (issue 4): pair selection for 10 million weights on E96 over 100k..1M with per-layer R_f.
// A synthetic T-network of 100,000 neurons x 100 inputs in 10 layers (1 M weights each), weights normal with a
// layer-dependent scale (0.05 .. 2), so R_f differs per layer. Prints the time of realize() (R_f choice + pairs +
// normalizing resistors) and of the pair lookups alone.  npx tsx bench/pairs.ts

import { performance } from 'node:perf_hooks';
import { bestOption, buildPairTable } from '../src/realize/pairs.js';
import { realize } from '../src/realize/realize.js';
import { seriesValues } from '../src/realize/series.js';
import { ACT, ROLE, type TNet } from '../src/tnet/types.js';
import { Rng } from '../src/util/random.js';

const layers = 10;
const perLayer = 10_000;
const fanIn = 100;
const N = layers * perLayer;
const E = N * fanIn;
const rng = new Rng(9);
const rowPtr = new Int32Array(N + 1);
const src = new Int32Array(E);
const weight = new Float64Array(E);
const origin = new Int32Array(N);
for (let i = 0; i < N; i++) {
  rowPtr[i + 1] = (i + 1) * fanIn;
  origin[i] = Math.floor(i / perLayer);
  const scale = 0.05 * 40 ** (origin[i] / (layers - 1));
  for (let k = 0; k < fanIn; k++) {
    src[i * fanIn + k] = k;
    weight[i * fanIn + k] = scale * rng.normal();
  }
}
const net: TNet = {
  inputShape: [fanIn], inputCount: fanIn, inputGain: 1, railV: 5, clock: null, outputShape: [N], tail: null,
  origins: Array.from({ length: layers }, (_, l) => ({ name: `layer${l}`, op: 'Gemm' })),
  outputSignal: Int32Array.from({ length: N }, (_, i) => fanIn + i), outputScale: new Float64Array(N).fill(1),
  neurons: {
    count: N, block: new Uint8Array(N), activation: new Uint8Array(N).fill(ACT.identity), paramA: new Float64Array(N), paramB: new Float64Array(N),
    bias: Float64Array.from({ length: N }, () => 0.1 * rng.normal()), rowPtr, src, weight,
    role: new Uint8Array(N).fill(ROLE.compute), origin, unit: Int32Array.from({ length: N }, (_, i) => i % perLayer),
  },
};
const set = seriesValues('E96', 1e5, 1e6);

let t0 = performance.now();
const table = buildPairTable(set, 1e6, 0.01);
let sink = 0;
for (let e = 0; e < E; e++) sink += bestOption(table, weight[e]);
const lookups = (performance.now() - t0) / 1000;

t0 = performance.now();
const r = realize(net, { setOhm: set, setName: 'E96', feedback: 'min-error', feedbackPer: 'layer', toleranceRel: 0.01, vRefV: 1 });
const full = (performance.now() - t0) / 1000;
const rfs = new Set<number>();
for (let l = 0; l < layers; l++) rfs.add(r.rFeedbackOhm[l * perLayer]);
console.log(`weights: ${E.toLocaleString('en-US')} in ${layers} layers; E96 100k..1M (${set.length} values, ${table.value.length} non-dominated options of ${set.length ** 2 + 1})`);
console.log(`| step | seconds |`);
console.log(`|---|---|`);
console.log(`| pair lookups alone (one R_f) | ${lookups.toFixed(2)} |`);
console.log(`| realize(): R_f per layer (97 candidates, sampled) + pairs + normalizing resistors | ${full.toFixed(2)} |`);
console.log(`R_f per layer: ${[...rfs].map((v) => `${v / 1e3}k`).join(', ')}${sink < 0 ? '' : ''}`);
