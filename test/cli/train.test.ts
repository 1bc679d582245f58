// `ohmnet train`: fine-tunes an imported ONNX model on labelled samples and writes ONNX that onnxruntime and ohmnet's
// reference evaluate alike (tolerance 1e-5 of the output scale: the file holds float32 weights, which both read;
// onnxruntime computes in float32, the reference in float64, a few float32 roundings apart), that ohmnet compiles as
// usual, and whose weights are the trained ones (rounded to float32). Bad input is one line on stderr, exit 2, no file.

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { importModel } from '../../src/import/index.js';
import { evaluate } from '../../src/reference/evaluate.js';
import { FIXTURES, maxAbs, maxAbsDiff, ROOT, runCli } from '../helpers.js';
import { spawnSync } from 'node:child_process';
import { bestOption, PairTableCache } from '../../src/realize/pairs.js';
import { seriesValues } from '../../src/realize/series.js';

const MODEL = join(FIXTURES, 'iris_mlp.onnx');
const TRAIN = join(FIXTURES, 'train', 'iris_train.json');
const TEST = join(FIXTURES, 'train', 'iris_test.json');
const testSet = JSON.parse(readFileSync(TEST, 'utf8')) as { inputs: number[][]; labels: number[] };

describe('ohmnet train', () => {
  it('fine-tunes, writes ONNX that onnxruntime and the reference evaluate alike, and compiles', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ohmnet-train-'));
    const out = join(dir, 'tuned.onnx');
    const r = await runCli(['train', MODEL, '--data', TRAIN, '--test', TEST, '-o', out, '--epochs', '3', '--lr', '0.01', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { history: { test: { accuracy: number } }[] };
    expect(summary.history).toHaveLength(3);
    const graph = importModel(out);
    const before = importModel(MODEL);
    // New weights, same graph.
    expect(graph.nodes.map((n) => n.kind)).toEqual(before.nodes.map((n) => n.kind));
    const w0 = (before.nodes[0] as { weight: { data: Float64Array } }).weight.data;
    const w1 = (graph.nodes[0] as { weight: { data: Float64Array } }).weight.data;
    expect(w1.some((v, i) => v !== w0[i])).toBe(true);
    const ref = evaluate(graph, testSet.inputs).outputs;
    const session = await ort.InferenceSession.create(readFileSync(out));
    const rt: number[][] = [];
    for (const x of testSet.inputs) {
      const res = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', Float32Array.from(x), [1, 4]) });
      rt.push(Array.from(res[session.outputNames[0]].data as Float32Array));
    }
    expect(maxAbsDiff(ref, rt) / maxAbs(ref)).toBeLessThanOrEqual(1e-5);
    // The reported test accuracy is the written model's (float32 weights change no class here).
    const acc = ref.filter((y, i) => y.indexOf(Math.max(...y)) === testSet.labels[i]).length / ref.length;
    expect(acc).toBeCloseTo(summary.history[2].test.accuracy, 10);
    const c = await runCli(['compile', out, '--calibration', TRAIN, '--test', TEST, '-o', join(dir, 'circuit')]);
    expect(c.stderr.split('\n').filter((l) => l.startsWith('ohmnet: error'))).toEqual([]);
    expect(c.code).toBe(0);
    expect(existsSync(join(dir, 'circuit', 'netlist.cir'))).toBe(true);
  }, 120_000);

  it('--grid resistors: the written (float32) weights stay on the realization grid of the printed R_f', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ohmnet-train-qat-'));
    const out = join(dir, 'q.onnx');
    const r = await runCli(['train', MODEL, '--data', TRAIN, '-o', out, '--epochs', '1', '--grid', 'resistors', '--resistors', 'E24', '--tolerance', '0.01', '--json']);
    expect(r.code).toBe(0);
    const rf = (JSON.parse(r.stdout) as { grid: { rFeedbackOhm: number } }).grid.rFeedbackOhm;
    const table = new PairTableCache(seriesValues('E24', 1e5, 1e6), 0.01).get(rf);
    let n = 0;
    for (const node of importModel(out).nodes) {
      if (node.kind !== 'dense') continue;
      for (const w of [...node.weight.data, ...node.bias!]) {
        // float32 moves a grid value by at most 6e-8 relative; the nearest option is still that value.
        expect(Math.abs(table.value[bestOption(table, w)] - w)).toBeLessThanOrEqual(1e-7 * Math.abs(w));
        n++;
      }
    }
    expect(n).toBe(4 * 16 + 16 + 16 * 16 + 16 + 16 * 3 + 3);
  }, 60_000);

  it('--grid ternary (a patent preset the E24 set realizes): every written weight and bias is -1, 0 or 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ohmnet-train-ternary-'));
    const out = join(dir, 't.onnx');
    const r = await runCli(['train', MODEL, '--data', TRAIN, '-o', out, '--epochs', '2', '--grid', 'ternary', '--resistors', 'E24']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/weights on the ternary grid/);
    const values = new Set(importModel(out).nodes.flatMap((n) => (n.kind === 'dense' ? [...n.weight.data, ...n.bias!] : [])));
    expect([...values].every((v) => v === -1 || v === 0 || v === 1)).toBe(true);
  });

  it('the installed binary (dist/) trains on worker threads: 1 and 2 workers write the same bytes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ohmnet-train-bin-'));
    const bin = join(ROOT, 'bin', 'ohmnet.js');
    const files = [1, 2].map((w) => {
      const out = join(dir, `w${w}.onnx`);
      const r = spawnSync(process.execPath, [bin, 'train', MODEL, '--data', TRAIN, '-o', out, '--epochs', '2', '--batch-size', '40', '--weight-noise', '0.02', '--workers', String(w)], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      return readFileSync(out);
    });
    expect(files[0].equals(files[1])).toBe(true);
  }, 60_000);

  describe('refuses bad input with one line and exit 2, writing nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ohmnet-train-bad-'));
    const noLabels = join(dir, 'nolabels.json');
    writeFileSync(noLabels, JSON.stringify({ inputs: testSet.inputs }));
    const fewLabels = join(dir, 'few.json');
    writeFileSync(fewLabels, JSON.stringify({ inputs: testSet.inputs.slice(0, 3), labels: [0, 1] }));
    const badClass = join(dir, 'badclass.json');
    writeFileSync(badClass, JSON.stringify({ inputs: testSet.inputs.slice(0, 2), labels: [0, 7] }));
    const cases: [string, string[], RegExp][] = [
      ['no labels', ['--data', noLabels], /has no labels/],
      ['label count mismatch', ['--data', fewLabels], /2 labels for 3 samples/],
      ['a label beyond the outputs', ['--data', badClass], /class 7, but the model has 3 outputs/],
      ['learning rate 0', ['--data', TRAIN, '--lr', '0'], /--lr 0 must be a positive/],
      ['negative learning rate', ['--data', TRAIN, '--lr', '-0.1'], /--lr -0.1 must be a positive/],
      ['a grid the resistor set cannot realize', ['--data', TRAIN, '--grid', 'two-nominal', '--resistors', 'E12'], /two-nominal grid's weight -3 cannot be realized by any pair of E12/],
      ['R_f outside the set', ['--data', TRAIN, '--grid', 'resistors', '--r-feedback', '123456'], /--r-feedback 1\.235e\+5 ohm is not a value of E96/],
      ['no output', ['--data', TRAIN], /give --output/],
    ];
    it.each(cases)('%s', async (name, args, message) => {
      const out = join(dir, `${name.replace(/\W+/g, '-')}.onnx`);
      const r = await runCli(['train', MODEL, ...args, ...(name !== 'no output' ? ['-o', out] : []), '--epochs', '1']);
      expect(r.code).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^ohmnet: error: /);
      expect(lines[0]).toMatch(message);
      expect(existsSync(out)).toBe(false);
    });
  });
});
