// ONNX LSTM with HardSigmoid gates and explicit activation_alpha / activation_beta (0.3, 0.6): the parameters are
// read in activation order by the parametric activations only, as onnxruntime reads them, and the imported model
// evaluates like onnxruntime (float32; 1e-5 of the output scale).

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { importModel } from '../../src/import/index.js';
import { evaluate } from '../../src/reference/evaluate.js';
import { Rng } from '../../src/util/random.js';
import { sizeOf } from '../../src/ir/tensor.js';
import { FIXTURES, maxAbs, maxAbsDiff } from '../helpers.js';

describe('ONNX LSTM with HardSigmoid(alpha, beta) gates', () => {
  it('imports the parameters and evaluates as onnxruntime does', async () => {
    const path = join(FIXTURES, 'recurrent', 'extra', 'lstm_hardsigmoid_activations.onnx');
    const graph = importModel(path);
    const node = graph.nodes.find((n) => n.kind === 'recurrent');
    expect(node && node.kind === 'recurrent' ? node.hardSigmoid : null).toEqual({ alpha: Math.fround(0.3), beta: Math.fround(0.6) });
    const rng = new Rng(5);
    const xs = Array.from({ length: 4 }, () => Float64Array.from({ length: sizeOf(graph.input.shape) }, () => rng.next() * 4 - 2));
    const ours = evaluate(graph, xs).outputs;
    const session = await ort.InferenceSession.create(path);
    const [T, I] = graph.input.shape;
    const rt: number[][] = [];
    for (const x of xs) {
      // The fixture's input is time-major [T, N, I].
      const res = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', Float32Array.from(x), [T, 1, I]) });
      rt.push(Array.from(res[session.outputNames[0]].data as Float32Array));
    }
    expect(maxAbsDiff(ours, rt) / maxAbs(ours)).toBeLessThanOrEqual(1e-5);
  });
});
