// Every recurrent ONNX fixture (fixtures/recurrent, written by fixtures/make_recurrent.py and make_fixtures.py: RNN
// tanh/ReLU, IndRNN, LSTM and GRU in every layout, output and attribute the importer reads, stacked cells, conv front
// ends, the patent's networks) fine-tunes through time, and the ONNX written from the trained graph evaluates in
// onnxruntime as in ohmnet's reference: relative 1e-5 of the output scale (float32 weights and float32 arithmetic over
// the sequence in onnxruntime, float64 in the reference; observed <= 6e-7). The fixtures' own input samples, labels by
// position (what is learnt does not matter here; that the cells train and export does); the digits models are
// covered by test/cli/train-recurrent.test.ts, a dynamic-length model needs an input shape and is left out.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { importModel } from '../../src/import/index.js';
import { exportOnnx } from '../../src/io/onnx-export.js';
import type { RecurrentNode } from '../../src/ir/ops.js';
import { evaluate } from '../../src/reference/evaluate.js';
import { fineTune } from '../../src/train/index.js';
import { FIXTURES } from '../helpers.js';

const DIR = join(FIXTURES, 'recurrent');
// The fixtures whose description lists a recurrent op (index.json also lists the issue-19 feed-forward models).
const names = (JSON.parse(readFileSync(join(DIR, 'index.json'), 'utf8')) as { models: string[] }).models
  .filter((n) => (JSON.parse(readFileSync(join(DIR, `${n}.json`), 'utf8')) as { recurrent: unknown[] }).recurrent.length > 0)
  .filter((n) => !/digits|dyn_seq/.test(n));

describe('fine-tuning every recurrent fixture', () => {
  it('has the fixtures', () => expect(names.length).toBeGreaterThan(20));
  it.each(names)('%s trains, and onnxruntime evaluates the written model as the reference does', async (name) => {
    const graph = importModel(join(DIR, `${name}.onnx`));
    const cells = graph.nodes.filter((n): n is RecurrentNode => n.kind === 'recurrent');
    expect(cells.length).toBeGreaterThan(0);
    const fx = JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as { inputs: unknown[]; outputs: unknown[] };
    const samples = fx.inputs.map((x) => Float64Array.from((x as number[]).flat(5) as number[]));
    const outputs = (fx.outputs[0] as number[]).flat(5).length;
    const labels = samples.map((_, i) => i % Math.max(2, outputs));
    const r = await fineTune(graph, { samples, labels }, { epochs: 1, learningRate: 0.01, loss: 'mse', batchSize: 4, signalNoiseRel: 0.01, weightNoiseRel: 0.01 });
    const trained = r.graph.nodes.filter((n): n is RecurrentNode => n.kind === 'recurrent');
    expect(trained.some((n, k) => n.weight.data.some((v, j) => v !== cells[k].weight.data[j]))).toBe(true);
    const ref = evaluate(r.graph, samples).outputs;
    const session = await ort.InferenceSession.create(exportOnnx(r.graph));
    let worst = 0;
    let scale = 0;
    for (let i = 0; i < samples.length; i++) {
      const res = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', Float32Array.from(samples[i]), [1, ...r.graph.input.shape]) });
      const y = res[session.outputNames[0]].data as Float32Array;
      y.forEach((v, k) => {
        worst = Math.max(worst, Math.abs(v - ref[i][k]));
        scale = Math.max(scale, Math.abs(ref[i][k]));
      });
    }
    expect(worst / scale).toBeLessThanOrEqual(1e-5);
  });
});
