// Training on the SPICE look-up table of our non-linear synapse cells (issue 16; figures in docs/benchmarks.md,
// "Non-linear synapses: training (issue 16)"). Iris 4-10-10-3 on the seeded 90/30/30 split (fixtures/synapse-iris/),
// the seed's 1,000 iterations, batch 20, learning rate 5.0, momentum 0.9 (ours), exact gradient, mismatch noise at
// area scale 1 while training; then the test accuracy over 200 mismatch chips at area scales 0.8, 0.9, 1.0, 1.2, 1.5.
// Run once, after `npx tsc -p tsconfig.build.json`:
//   npx tsx bench/synapse-train.ts [currentScaleA] [inputHighA] [seed] [gradient] [monteCarloRuns]
// (defaults 10e-6 50e-6 1 exact 200: the CLI's defaults on this LUT). Prints a JSON summary and the Markdown rows.
//   npx tsx bench/synapse-train.ts sweep N [currentScaleA] [inputHighA] [gradient]
// trains seeds 1..N (no Monte Carlo) and prints one row per seed: kept iteration, train, validation, test.

import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { SynapseLut } from '../dist/synapse/lut.js';
import { monteCarloAccuracy, trainSynapseNetwork } from '../dist/synapse/train.js';

const set = (name: string) => {
  const j = JSON.parse(readFileSync(new URL(`../fixtures/synapse-iris/${name}.json`, import.meta.url), 'utf8')) as { inputs: number[][]; labels: number[] };
  return { samples: j.inputs.map((x) => Float64Array.from(x)), labels: j.labels };
};
const lut = SynapseLut.fromFile(new URL('../fixtures/synapse/ptm65.lut.json', import.meta.url).pathname);

if (process.argv[2] === 'sweep') {
  const n = Number(process.argv[3] ?? 10);
  const scale = Number(process.argv[4] ?? 10e-6);
  const input = Number(process.argv[5] ?? 50e-6);
  const gradient = (process.argv[6] ?? 'exact') as 'exact' | 'eq6';
  console.log(`${new Date().toISOString()} ${cpus().length} cores; logits z / ${scale}, inputs ${input} A, ${gradient} gradient`);
  for (let seed = 1; seed <= n; seed++) {
    const t = performance.now();
    const r = trainSynapseNetwork(lut, set('train'), { validation: set('validation'), test: set('test'), seed, gradient, currentScaleA: scale, inputHighA: input, biasA: input });
    console.log(`| ${seed} | ${r.keptIteration} | ${r.train.correct}/90 | ${r.validation!.correct}/30 | ${r.test!.correct}/30 | ${((performance.now() - t) / 1000).toFixed(0)} s |`);
  }
  process.exit(0);
}

const [scaleArg, inputArg, seedArg, gradientArg, runsArg] = process.argv.slice(2);
const currentScaleA = Number(scaleArg ?? 10e-6);
const inputHighA = Number(inputArg ?? 50e-6);
const seed = Number(seedArg ?? 1);
const gradient = (gradientArg ?? 'exact') as 'exact' | 'eq6';
const runs = Number(runsArg ?? 200);

const t0 = performance.now();
const r = trainSynapseNetwork(lut, set('train'), { validation: set('validation'), test: set('test'), seed, gradient, currentScaleA, inputHighA, biasA: inputHighA });
const trainS = (performance.now() - t0) / 1000;
const t1 = performance.now();
const mc = runs > 0 ? monteCarloAccuracy(lut, r.network, r.encoding, set('test'), { runs, seed }) : [];
const mcS = (performance.now() - t1) / 1000;
const summary = {
  date: new Date().toISOString(),
  machine: `${cpus().length} cores, ${cpus()[0]?.model ?? '?'}`,
  settings: { currentScaleA, inputHighA, seed, gradient, runs },
  keptIteration: r.keptIteration,
  accuracy: { train: r.train.correct, validation: r.validation!.correct, test: r.test!.correct },
  curve: r.history.map((h) => [h.iteration, Number(h.trainLossAsTrained.toFixed(4)), h.train.correct, h.validation!.correct]),
  newton: { train: { max: r.train.maxNewtonIterations, mean: r.train.meanNewtonIterations, maxResidualV: r.train.maxResidualV, unconverged: r.train.unconverged }, training: r.trainingNewton },
  cost: r.cost,
  seconds: { train: trainS, monteCarlo: mcS },
  monteCarlo: mc.map((m) => ({ areaScale: m.areaScale, mean: m.mean, twoSigma: 2 * m.std, min: m.min, max: m.max })),
};
console.log(JSON.stringify(summary, null, 2));
console.log(`| ${currentScaleA} | ${inputHighA} | ${seed} | ${gradient} | ${r.keptIteration} | ${r.train.correct}/90 | ${r.validation!.correct}/30 | ${r.test!.correct}/30 | ${trainS.toFixed(0)} s |`);
for (const m of mc) console.log(`| ${m.areaScale} | ${m.mean.toFixed(2)} | ${(2 * m.std).toFixed(2)} | ${m.min} | ${m.max} |`);
