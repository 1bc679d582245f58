// `ohmnet train` on the recurrent digits sequence task (fixtures/recurrent: sklearn digits read row by row, 8 steps of
// 8 pixels; LSTM, GRU and IndRNN trained by fixtures/make_recurrent.py): fine-tunes through time and writes ONNX
// (RNN/LSTM/GRU nodes, io/onnx-export.ts) that onnxruntime and ohmnet's reference evaluate alike (1e-5 of the output
// scale: float32 weights in the file; onnxruntime computes in float32 over 8 steps, the reference in float64), with
// new weights in the same graph; the IndRNN stays diagonal. The reported test accuracy is the written model's.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { importModel } from '../../src/import/index.js';
import { isDiagonalRecurrence, type RecurrentNode } from '../../src/ir/ops.js';
import { evaluate } from '../../src/reference/evaluate.js';
import { FIXTURES, maxAbs, maxAbsDiff, runCli } from '../helpers.js';

const DIR = join(FIXTURES, 'recurrent');
const TRAIN = join(DIR, 'digits_seq_calib.json');
const TEST = join(DIR, 'digits_seq_test.json');
const testSet = JSON.parse(readFileSync(TEST, 'utf8')) as { inputs: number[][][]; labels: number[] };

describe.each(['lstm_digits', 'gru_digits', 'indrnn_digits'])('ohmnet train %s', (name) => {
  it('trains through time and writes ONNX that onnxruntime and the reference evaluate alike', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ohmnet-train-rec-')), 'tuned.onnx');
    const model = join(DIR, `${name}.onnx`);
    const r = await runCli(['train', model, '--data', TRAIN, '--test', TEST, '-o', out, '--epochs', '1', '--lr', '0.002', '--batch-size', '50', '--signal-noise', '0.01', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { history: { test: { accuracy: number }; testNoisy: { accuracy: number } }[] };
    const before = importModel(model);
    const graph = importModel(out);
    // The same layers (the writer spells some wiring ops its own way, e.g. a gather as Slice + Reshape).
    const layers = (g: typeof graph) => g.nodes.filter((n) => n.kind === 'recurrent' || n.kind === 'dense').map((n) => `${n.kind} ${n.name}`);
    expect(layers(graph)).toEqual(layers(before));
    const cell = (g: typeof graph) => g.nodes.find((n): n is RecurrentNode => n.kind === 'recurrent')!;
    // W and R moved.
    expect(cell(graph).weight.data.some((v, i) => v !== cell(before).weight.data[i])).toBe(true);
    expect(cell(graph).recurrence.data.some((v, i) => v !== cell(before).recurrence.data[i])).toBe(true);
    expect(isDiagonalRecurrence(cell(graph))).toBe(isDiagonalRecurrence(cell(before)));
    const samples = testSet.inputs.slice(0, 60).map((x) => x.flat());
    const ref = evaluate(graph, samples).outputs;
    const session = await ort.InferenceSession.create(readFileSync(out));
    const rt: number[][] = [];
    for (const x of samples) {
      const res = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', Float32Array.from(x), [1, 8, 8]) });
      rt.push(Array.from(res[session.outputNames[0]].data as Float32Array));
    }
    expect(maxAbsDiff(ref, rt) / maxAbs(ref)).toBeLessThanOrEqual(1e-5);
    const all = evaluate(graph, testSet.inputs.map((x) => x.flat())).outputs;
    const acc = all.filter((y, i) => y.indexOf(Math.max(...y)) === testSet.labels[i]).length / all.length;
    expect(acc).toBeCloseTo(summary.history[0].test.accuracy, 10);
    expect(summary.history[0].testNoisy.accuracy).toBeGreaterThan(0.5);
  }, 120_000);
});
