// Differential test of the float64 reference evaluator against torch (float64) and onnxruntime (float32)
// on every committed fixture model.
//
// Tolerances, relative to the output scale (max |reference output|):
//  - 1e-9 against torch float64 where the ONNX initializers are exactly the weights torch used: both sides compute in
//    float64 with the same numbers, so only summation order differs (~1e-15 per MAC; 1e-9 leaves ample margin);
//  - 1e-6 where the exporter folded constants (batch norm into conv) in float32: the file's weights differ from torch's
//    by float32 rounding (~6e-8 relative each), accumulated over a few layers;
//  - 1e-5 against onnxruntime, which computes in float32 (~1e-7 relative per op, a few hundred MACs per output).

import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { importModel } from '../../src/import/index.js';
import { evaluate } from '../../src/reference/evaluate.js';
import { loadFixture, maxAbs, maxAbsDiff, MODEL_FIXTURES } from '../helpers.js';

describe.each(MODEL_FIXTURES)('fixture %s', (name) => {
  const fx = loadFixture(name);
  const graph = importModel(fx.path);
  const ours = evaluate(graph, fx.inputs).outputs;
  const scale = maxAbs(fx.outputs);

  it('imports with the fixture input shape', () => {
    expect(graph.input.shape).toEqual(fx.inputShape);
  });

  it(`matches torch float64 within ${fx.weightsExact ? '1e-9' : '1e-6'} of the output scale`, () => {
    const rel = maxAbsDiff(ours, fx.outputs) / scale;
    expect(rel).toBeLessThanOrEqual(fx.weightsExact ? 1e-9 : 1e-6);
  });

  it('matches onnxruntime (float32) within 1e-5 of the output scale', async () => {
    const session = await ort.InferenceSession.create(fx.path);
    const inputName = session.inputNames[0];
    const rt: number[][] = [];
    // One sample per call: some fixtures declare a fixed batch of 1.
    for (const sample of fx.inputs) {
      const t = new ort.Tensor('float32', Float32Array.from(sample), [1, ...fx.inputShape]);
      const res = await session.run({ [inputName]: t });
      rt.push(Array.from(res[session.outputNames[0]].data as Float32Array));
    }
    const rel = maxAbsDiff(ours, rt) / scale;
    expect(rel).toBeLessThanOrEqual(1e-5);
  });
});
