// Every supported ONNX op against an independently computed result: single-op models built with onnx.helper whose
// expected outputs were computed in float64 by torch.nn.functional or explicit numpy loops (fixtures/make_op_cases.py).
// Tolerance 1e-9 relative to the output scale: the weights are float32 values (exact in float64) and both sides
// compute in float64, so only summation order differs. Every case also compiles exactly: the analog network
// (compileGraph, default limits; a final Softmax is its digital tail) agrees with ohmnet's float64 reference of the
// imported graph within 1e-9 relative.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importModel } from '../../src/import/index.js';
import { evaluate } from '../../src/reference/evaluate.js';
import { isOhmnetError } from '../../src/errors.js';
import { compileGraph } from '../../src/transform/pipeline.js';
import { evaluateTnet } from '../../src/tnet/evaluate.js';
import { FIXTURES } from '../helpers.js';

interface OpCase {
  name: string;
  model: string;
  op: string;
  opset: number;
  note: string;
  inputShape: number[];
  batch: number;
  input: number[];
  output: number[];
  outputShape: number[];
}

const cases = (JSON.parse(readFileSync(join(FIXTURES, 'ops', 'cases.json'), 'utf8')) as { cases: OpCase[] }).cases;

/** Cases whose ONNX graph mixes samples of the batch: ohmnet refuses them by design (per-sample compilation). */
const REFUSED: Record<string, RegExp> = {
  flatten_axis2: /axis 2.*mixes samples/,
};

describe.each(cases)('$name ($op, opset $opset)', (c) => {
  const path = join(FIXTURES, 'ops', c.model);
  if (REFUSED[c.name]) {
    it('is refused with a message about mixing samples', () => {
      let err: unknown;
      try {
        importModel(path);
      } catch (e) {
        err = e;
      }
      expect(isOhmnetError(err)).toBe(true);
      expect((err as Error).message).toMatch(REFUSED[c.name]);
    });
    return;
  }
  it(`matches the independent result (${c.note})`, () => {
    const graph = importModel(path);
    expect(graph.input.shape).toEqual(c.inputShape);
    const n = c.input.length / c.batch;
    const samples = Array.from({ length: c.batch }, (_, b) => c.input.slice(b * n, (b + 1) * n));
    const ev = evaluate(graph, samples);
    expect(ev.outputShape).toEqual(c.outputShape);
    const got = ev.outputs.flatMap((o) => Array.from(o));
    expect(got.length).toBe(c.output.length);
    const scale = Math.max(...c.output.map(Math.abs), 1e-300);
    const err = Math.max(...got.map((v, i) => Math.abs(v - c.output[i])));
    expect(err / scale).toBeLessThanOrEqual(1e-9);
  });
  it('compiles exactly (1e-9 against the float64 reference)', () => {
    const graph = importModel(path);
    const n = c.input.length / c.batch;
    const samples = Array.from({ length: c.batch }, (_, b) => c.input.slice(b * n, (b + 1) * n));
    const compiled = compileGraph(graph, { calibration: samples });
    const want = evaluate(graph, samples).outputs.flatMap((o) => Array.from(o));
    const got = evaluateTnet(compiled.tnet, samples).outputs.flatMap((o) => Array.from(o));
    expect(got.length).toBe(want.length);
    const scale = Math.max(...want.map(Math.abs), 1);
    expect(Math.max(...got.map((v, i) => Math.abs(v - want[i]))) / scale).toBeLessThanOrEqual(1e-9);
  });
});
