// The realization table of issue 4: output MSE and class agreement of a fixture network realized with E24, E48, E96
// over 100k..1M and E24 over 100k..5M (the patent's MobileNet table: MSE 0.01, 0.004 (E24 to 5M), 0.007, 0.003).
// Nominal resistor values (quantization only, as in the patent's table), plus a Monte Carlo column at 1% tolerance.
// Validation: the 360 held-out sklearn digits (fixtures/digits_test.json).   npx tsx bench/realization-table.ts

import { readFileSync } from 'node:fs';
import { importModel } from '../src/import/index.js';
import { evaluate, softmax } from '../src/reference/evaluate.js';
import { realizeCompiled } from '../src/flow/index.js';
import { evaluateRealized } from '../src/simulate/realized.js';
import { compileGraph } from '../src/transform/pipeline.js';

const data = JSON.parse(readFileSync('fixtures/digits_test.json', 'utf8')) as { inputs: number[][]; labels: number[] };
const models = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['digits_cnn', 'dwsep_cnn'];
const sets: [string, number, number][] = [['E24', 1e5, 1e6], ['E24', 1e5, 5e6], ['E48', 1e5, 1e6], ['E96', 1e5, 1e6]];
const argmax = (y: ArrayLike<number>) => Array.from(y).reduce((b, v, i, a) => (v > a[b] ? i : b), 0);
const mse = (a: ArrayLike<number>[], b: ArrayLike<number>[]) => {
  let s = 0;
  let n = 0;
  a.forEach((y, k) => Array.from(y).forEach((v, j) => {
    s += (v - b[k][j]) ** 2;
    n++;
  }));
  return s / n;
};
for (const model of models) {
  const graph = importModel(`fixtures/${model}.onnx`);
  const compiled = compileGraph(graph, { fanIn: 100, fanOut: 100, signalLimitV: 5, calibration: data.inputs });
  const ref = evaluate(graph, data.inputs).outputs;
  const refP = ref.map((y) => softmax(y, [y.length], [0]));
  const acc = (ys: ArrayLike<number>[]) => ys.filter((y, k) => argmax(y) === data.labels[k]).length / ys.length;
  console.log(`\n${model}: source accuracy ${(100 * acc(ref)).toFixed(1)}% on ${data.inputs.length} held-out digits`);
  console.log('| resistor set | R_f per layer | MSE (logits) | MSE (softmax) | max abs error | class agreement | accuracy | MC 1%: MSE mean [p95] | MC 1%: agreement mean (worst) |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const [series, lo, hi] of sets) {
    const nominal = await realizeCompiled(graph, compiled, { resistors: series, rMinOhm: lo, rMaxOhm: hi, toleranceRel: 0 });
    const out = evaluateRealized(nominal.realized, data.inputs, { weight: nominal.realized.weight, bias: nominal.realized.bias });
    const outP = out.map((y) => softmax(y, [y.length], [0]));
    const mc = await realizeCompiled(graph, compiled, { resistors: series, rMinOhm: lo, rMaxOhm: hi, toleranceRel: 0.01, trials: 50, seed: 1 });
    const m = mc.summary.monteCarlo!;
    const rfs = [...new Set(nominal.summary.feedback.byLayer.map((l) => l.rFeedbackOhm / 1e3))].map((v) => `${v}k`).join(', ');
    console.log(`| ${series} ${lo / 1e3}k..${hi / 1e6}M | ${rfs} | ${mse(out, ref).toExponential(2)} | ${mse(outP, refP).toExponential(2)} | ${nominal.summary.nominal.maxAbsError.toExponential(2)} | ${(100 * nominal.summary.nominal.classAgreement).toFixed(1)}% | ${(100 * acc(out)).toFixed(1)}% | ${m.mse.mean.toExponential(2)} [${m.mse.p95.toExponential(2)}] | ${(100 * m.classAgreement.mean).toFixed(1)}% (${(100 * m.classAgreement.worst).toFixed(1)}%) |`);
  }
}
