// Checks the recurrent and tensor-multiplication fixtures (fixtures/recurrent/, written by
// fixtures/make_recurrent.py) independently of ohmnet's code: every model runs in onnxruntime-node (float32) on the
// JSON inputs and must match the JSON's float64 reference. This proves the committed references, sample layouts and
// batch axes are what the files compute before ohmnet's importer and evaluator are held to them.
//
// Tolerance: 1e-5 of the output scale (max |reference|). onnxruntime computes in float32 (~6e-8 relative per op);
// the longest chains here are 50-step recurrences and a 16-block EfficientNet, whose observed errors stay below 1e-6.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { FIXTURES, maxAbs, maxAbsDiff } from '../helpers.js';

const DIR = join(FIXTURES, 'recurrent');
const TOL = 1e-5;

interface RecurrentNode {
  op: 'LSTM' | 'GRU' | 'RNN';
  hiddenSize: number;
  direction: string;
  layout: number;
  outputsUsed: string[];
  linearBeforeReset?: number;
}

interface RecurrentFixture {
  name: string;
  model: string;
  inputShape: number[];
  inputBatchAxis: number;
  outputShape: number[];
  outputBatchAxis: number;
  onnxInputShape: (number | string)[];
  dynamicBatch: boolean;
  reference: 'torch-float64' | 'numpy-onnx-float64';
  weightsExact: boolean;
  opTypes: string[];
  recurrent: RecurrentNode[];
  inputs: number[][];
  outputs: number[][];
  fileOutputs?: number[][];
  accuracy: number | null;
  /** A model onnxruntime cannot load (LSTM layout=1): tests run this equivalent one in its place. */
  onnxruntimeTwin?: string;
}

interface LabelledSet {
  inputShape: number[];
  inputs: number[][];
  labels: number[];
}

interface BadCase {
  name: string;
  file: string;
  problem: string;
  node: string | null;
  validOnnx: boolean | null;
  model?: string;
}

const index = JSON.parse(readFileSync(join(DIR, 'index.json'), 'utf8')) as {
  models: string[];
  digitsTest: string;
  digitsCalibration: string;
  bad: string;
};
const load = <T>(file: string): T => JSON.parse(readFileSync(join(DIR, file), 'utf8')) as T;
const prod = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** Full tensor shape of a batch of `n` samples: the per-sample shape with the batch axis inserted. */
function batchShape(sample: number[], axis: number, n: number): number[] {
  return [...sample.slice(0, axis), n, ...sample.slice(axis)];
}

/** Stacks flattened samples along `axis`: element (outer, b, inner) of the batch is sample b's (outer, inner). */
function stack(samples: number[][], sample: number[], axis: number): Float32Array {
  const inner = prod(sample.slice(axis));
  const outer = prod(sample.slice(0, axis));
  const n = samples.length;
  const out = new Float32Array(outer * n * inner);
  samples.forEach((s, b) => {
    for (let o = 0; o < outer; o++) for (let k = 0; k < inner; k++) out[(o * n + b) * inner + k] = s[o * inner + k];
  });
  return out;
}

/** The inverse of `stack`: splits a batched output into flattened per-sample outputs. */
function unstack(data: ArrayLike<number>, sample: number[], axis: number, n: number): number[][] {
  const inner = prod(sample.slice(axis));
  const outer = prod(sample.slice(0, axis));
  return Array.from({ length: n }, (_, b) => {
    const row: number[] = [];
    for (let o = 0; o < outer; o++) for (let k = 0; k < inner; k++) row.push(data[(o * n + b) * inner + k]);
    return row;
  });
}

async function runBatch(session: ort.InferenceSession, fx: { inputShape: number[]; inputBatchAxis: number },
  samples: number[][], outShape: number[], outAxis: number): Promise<number[][]> {
  const t = new ort.Tensor('float32', stack(samples, fx.inputShape, fx.inputBatchAxis),
    batchShape(fx.inputShape, fx.inputBatchAxis, samples.length));
  const res = await session.run({ [session.inputNames[0]]: t });
  const y = res[session.outputNames[0]];
  expect(y.dims).toEqual(batchShape(outShape, outAxis, samples.length));
  return unstack(y.data as Float32Array, outShape, outAxis, samples.length);
}

describe('fixtures/recurrent index', () => {
  it('lists every model file in the directory, each with its JSON', () => {
    const onnx = readdirSync(DIR).filter((f) => f.endsWith('.onnx')).map((f) => f.slice(0, -5)).sort();
    expect([...index.models].sort()).toEqual(onnx);
    for (const name of index.models) expect(existsSync(join(DIR, `${name}.json`))).toBe(true);
  });
});

describe.each(index.models)('recurrent fixture %s', (name) => {
  const fx = load<RecurrentFixture>(`${name}.json`);
  const twin = fx.onnxruntimeTwin ? load<RecurrentFixture>(`${fx.onnxruntimeTwin}.json`) : undefined;
  const path = join(DIR, twin ? twin.model : fx.model);
  const scale = maxAbs(fx.outputs);

  if (twin) {
    it('has a twin with the same samples and per-sample shapes for onnxruntime', () => {
      expect(twin.inputs).toEqual(fx.inputs);
      expect(twin.inputShape).toEqual(fx.inputShape);
      expect(twin.inputBatchAxis).toBe(fx.inputBatchAxis);
      expect(twin.outputShape).toEqual(fx.outputShape);
      expect(twin.outputBatchAxis).toBe(fx.outputBatchAxis);
    });
  }

  it('has samples of the declared per-sample shapes', () => {
    expect(fx.inputs.length).toBeGreaterThanOrEqual(3);
    expect(fx.outputs.length).toBe(fx.inputs.length);
    for (const s of fx.inputs) expect(s.length).toBe(prod(fx.inputShape));
    for (const s of fx.outputs) expect(s.length).toBe(prod(fx.outputShape));
    // Inputs are float32-exact, so the float32 runtime and the float64 reference see the same numbers.
    for (const s of fx.inputs) expect(Array.from(Float32Array.from(s))).toEqual(s);
    expect(scale).toBeGreaterThan(1e-3);
  });

  it(`matches the float64 reference within ${TOL} of the output scale in onnxruntime${twin ? ' (twin)' : ''}, one sample per run`, async () => {
    const session = await ort.InferenceSession.create(path);
    expect(session.inputNames.length).toBe(1);
    const rt: number[][] = [];
    for (const s of fx.inputs) rt.push(...(await runBatch(session, fx, [s], fx.outputShape, fx.outputBatchAxis)));
    expect(maxAbsDiff(rt, fx.outputs) / scale).toBeLessThanOrEqual(TOL);
    // Folded exports: the file's own float64 truth is within float32 rounding of the torch reference too.
    if (fx.fileOutputs) {
      expect(fx.weightsExact).toBe(false);
      expect(maxAbsDiff(rt, fx.fileOutputs) / scale).toBeLessThanOrEqual(TOL);
      expect(maxAbsDiff(fx.fileOutputs, fx.outputs) / scale).toBeLessThanOrEqual(1e-6);
    }
  });

  if (fx.dynamicBatch) {
    it('gives the same outputs for all samples in one batch along the declared batch axis', async () => {
      const session = await ort.InferenceSession.create(path);
      const rt = await runBatch(session, fx, fx.inputs, fx.outputShape, fx.outputBatchAxis);
      expect(maxAbsDiff(rt, fx.outputs) / scale).toBeLessThanOrEqual(TOL);
    });
  }

  it('declares the recurrent nodes the ops list implies', () => {
    const ops = new Set(fx.recurrent.map((r) => r.op));
    for (const op of ['LSTM', 'GRU', 'RNN'] as const) expect(ops.has(op)).toBe(fx.opTypes.includes(op));
    for (const r of fx.recurrent) {
      expect(r.direction).toBe('forward');
      expect(r.outputsUsed.length).toBeGreaterThan(0);
      if (r.op === 'GRU') expect([0, 1]).toContain(r.linearBeforeReset);
    }
  });
});

describe('digits sequence task', () => {
  const test = load<LabelledSet>(index.digitsTest);
  const calib = load<LabelledSet>(index.digitsCalibration);

  it('has the 360 held-out digits and 300 calibration digits as 8 steps of 8 pixels', () => {
    expect(test.inputs.length).toBe(360);
    expect(test.labels.length).toBe(360);
    expect(calib.inputs.length).toBe(300);
    expect(calib.labels.length).toBe(300);
    for (const set of [test, calib]) {
      expect(set.inputShape).toEqual([8, 8]);
      for (const s of set.inputs) expect(s.length).toBe(64);
      expect(new Set(set.labels).size).toBe(10);
    }
    // The calibration digits come from the training split: none is a held-out digit.
    const held = new Set(test.inputs.map((s) => s.join(',')));
    expect(calib.inputs.filter((s) => held.has(s.join(','))).length).toBe(0);
  });

  it.each(['gru_digits', 'lstm_digits', 'indrnn_digits'])('%s reaches its stated accuracy in onnxruntime', async (name) => {
    const fx = load<RecurrentFixture>(`${name}.json`);
    const session = await ort.InferenceSession.create(join(DIR, fx.model));
    const out = await runBatch(session, fx, test.inputs, [10], 0);
    const correct = out.filter((row, i) => row.indexOf(Math.max(...row)) === test.labels[i]).length;
    // float32 torch and float32 onnxruntime may differ on a near-tie: allow one digit.
    expect(Math.abs(correct / 360 - (fx.accuracy ?? -1))).toBeLessThanOrEqual(1 / 360 + 1e-12);
    expect(fx.accuracy).toBeGreaterThan(name === 'indrnn_digits' ? 0.9 : 0.95);
  });
});

describe('the two GRU reset placements', () => {
  it('gru_lbr0 and gru_lbr1 share inputs but differ in output', () => {
    const a = load<RecurrentFixture>('gru_lbr0.json');
    const b = load<RecurrentFixture>('gru_lbr1.json');
    expect(a.recurrent[0].linearBeforeReset).toBe(0);
    expect(b.recurrent[0].linearBeforeReset).toBe(1);
    expect(a.inputs).toEqual(b.inputs);
    expect(maxAbsDiff(a.outputs, b.outputs) / maxAbs(a.outputs)).toBeGreaterThan(1e-2);
  });
});

describe('fixtures/recurrent/bad', () => {
  const cases = load<{ cases: BadCase[] }>(index.bad).cases;

  it.each(cases.filter((c) => c.validOnnx))('$name is valid ONNX that onnxruntime runs ($problem)', async (c) => {
    const session = await ort.InferenceSession.create(join(DIR, 'bad', c.file));
    // Feed every graph input (the state-input case has three) with batch 1.
    const feeds: Record<string, ort.Tensor> = {};
    const shapes: Record<string, number[]> = c.name === 'lstm_bidirectional'
      ? { input: [1, 5, 4] }
      : { x: [5, 1, 3], h0: [1, 1, 4], c0: [1, 1, 4] };
    expect(session.inputNames.length).toBe(c.name === 'lstm_state_input' ? 3 : 1);
    for (const n of session.inputNames) feeds[n] = new ort.Tensor('float32', new Float32Array(prod(shapes[n])).fill(0.5), shapes[n]);
    const res = await session.run(feeds);
    const y = res[session.outputNames[0]].data as Float32Array;
    expect(y.every((v) => Number.isFinite(v))).toBe(true);
  });

  it('has sample files that break the recurrent sample rules of lstm_dyn_seq', () => {
    const fx = load<RecurrentFixture>('lstm_dyn_seq.json');
    const features = fx.inputShape[1];
    expect(fx.onnxInputShape).toEqual(['N', 'T', features]);
    const notDiv = load<{ inputs: number[][] }>('bad/not_divisible_samples.json').inputs;
    expect(notDiv.some((s) => s.length % features !== 0)).toBe(true);
    const ragged = load<{ inputs: number[][] }>('bad/ragged_samples.json').inputs;
    expect(ragged.every((s) => s.length % features === 0)).toBe(true);
    expect(new Set(ragged.map((s) => s.length)).size).toBeGreaterThan(1);
    for (const c of cases.filter((k) => k.validOnnx === null)) expect(c.model).toBe('lstm_dyn_seq');
  });
});
