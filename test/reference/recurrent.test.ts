// Import and float64 reference of the recurrent fixtures (fixtures/recurrent/, written by fixtures/make_recurrent.py):
// for every model the importer finds the batch axis the JSON states (inputBatchAxis), the per-sample input and output
// shapes, and ohmnet's reference matches the torch (or numpy-onnx) float64 outputs within 1e-9 of the output scale and
// onnxruntime-node (float32) within 1e-5. The bad models are refused with one line naming the node; the bad sample
// files with one line naming the file line. recurrent-fixtures.test.ts checks the fixtures themselves, without ohmnet.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { importOnnxFile } from '../../src/import/onnx.js';
import { evaluate } from '../../src/reference/evaluate.js';
import { readSamples } from '../../src/io/samples.js';
import { OhmnetError } from '../../src/errors.js';
import { isDiagonalRecurrence, parameterCount, type Graph, type RecurrentNode } from '../../src/ir/ops.js';
import { FIXTURES, maxAbs, maxAbsDiff, runCli } from '../helpers.js';

const DIR = join(FIXTURES, 'recurrent');
const TORCH_TOL = 1e-9;
const ORT_TOL = 1e-5;

interface Fixture {
  name: string;
  model: string;
  inputShape: number[];
  inputBatchAxis: number;
  outputShape: number[];
  outputBatchAxis: number;
  onnxInputShape: (number | string)[];
  opTypes: string[];
  recurrent: { op: string; name: string; hiddenSize: number; layout: number; outputsUsed: string[]; linearBeforeReset?: number }[];
  inputs: number[][];
  outputs: number[][];
  fileOutputs?: number[][];
  onnxruntimeTwin?: string;
}

const index = JSON.parse(readFileSync(join(DIR, 'index.json'), 'utf8')) as { models: string[]; bad: string };
const load = <T>(file: string): T => JSON.parse(readFileSync(join(DIR, file), 'utf8')) as T;
const prod = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** The per-sample shape option a model needs: only when a non-batch dimension of its input is symbolic. */
function importOptions(fx: Fixture): { inputShape?: number[] } {
  const dynamic = fx.onnxInputShape.some((d, i) => typeof d === 'string' && i !== fx.inputBatchAxis);
  return dynamic ? { inputShape: fx.inputShape } : {};
}

/** Stacks one sample into a batch of 1 along `axis` (the data is the same; only the shape gets the axis). */
function batchOfOne(sample: number[], shape: number[], axis: number): ort.Tensor {
  return new ort.Tensor('float32', Float32Array.from(sample), [...shape.slice(0, axis), 1, ...shape.slice(axis)]);
}

function tryImport(fx: Fixture): Graph | OhmnetError {
  try {
    return importOnnxFile(join(DIR, fx.model), importOptions(fx));
  } catch (e) {
    if (e instanceof OhmnetError) return e;
    throw e;
  }
}

describe.each(index.models)('recurrent fixture %s', (name) => {
  const fx = load<Fixture>(`${name}.json`);
  const imported = tryImport(fx);
  const isRecurrent = fx.recurrent.length > 0;

  if (imported instanceof OhmnetError) {
    // Every fixture imports, the feed-forward tensor products (HardSwish, broadcast Mul) included.
    it('imports', () => {
      expect(imported.message).toBe('');
    });
    return;
  }
  const graph = imported;
  const scale = maxAbs(fx.outputs);

  it('finds the batch axis and the per-sample shapes the fixture states', () => {
    expect(graph.input.batchAxis).toBe(fx.inputBatchAxis);
    expect(graph.input.shape).toEqual(fx.inputShape);
    const ev = evaluate(graph, fx.inputs.slice(0, 1));
    expect(prod(ev.outputShape)).toBe(prod(fx.outputShape));
  });

  it(`matches the float64 reference within ${TORCH_TOL} of the output scale`, () => {
    const ev = evaluate(graph, fx.inputs);
    // Folded exports: the file's own float64 truth (its weights are not torch's bit for bit).
    const truth = fx.fileOutputs ?? fx.outputs;
    expect(maxAbsDiff(ev.outputs, truth) / scale).toBeLessThanOrEqual(TORCH_TOL);
  });

  it(`matches onnxruntime-node within ${ORT_TOL} of the output scale${fx.onnxruntimeTwin ? ' (its twin)' : ''}`, async () => {
    const file = fx.onnxruntimeTwin ? load<Fixture>(`${fx.onnxruntimeTwin}.json`).model : fx.model;
    const session = await ort.InferenceSession.create(join(DIR, file));
    const ours = evaluate(graph, fx.inputs).outputs;
    const rt: number[][] = [];
    for (const s of fx.inputs) {
      const res = await session.run({ [session.inputNames[0]]: batchOfOne(s, fx.inputShape, fx.inputBatchAxis) });
      rt.push(Array.from(res[session.outputNames[0]].data as Float32Array));
    }
    expect(maxAbsDiff(ours, rt) / scale).toBeLessThanOrEqual(ORT_TOL);
  });

  if (isRecurrent) {
    it('has one recurrent node per recurrent output the graph reads, with the attributes of the source', () => {
      const nodes = graph.nodes.filter((n): n is RecurrentNode => n.kind === 'recurrent');
      const used = fx.recurrent.flatMap((r) => r.outputsUsed.map((o) => ({ r, o })));
      expect(nodes.length).toBe(used.length);
      for (const { r, o } of used) {
        const produces = { Y: 'sequence', Y_h: 'hidden', Y_c: 'cell' }[o];
        const node = nodes.find((n) => (n.name === r.name || n.sharedWith === r.name) && n.produces === produces);
        expect(node, `${r.name} ${o}`).toBeDefined();
        expect(node!.cell).toBe(r.op.toLowerCase());
        expect(node!.hiddenSize).toBe(r.hiddenSize);
        expect(node!.layout).toBe(r.layout);
        if (r.op === 'GRU') expect(node!.linearBeforeReset).toBe(r.linearBeforeReset === 1);
        // Parameters are counted once per source node.
        if (node!.sharedWith !== null) expect(parameterCount(node!)).toBe(0);
      }
      // IndRNN: the fixtures say so in their names; no other fixture has a diagonal R.
      const indrnn = name.includes('indrnn');
      for (const n of nodes) {
        expect(n.diagonalRecurrence).toBe(indrnn);
        expect(isDiagonalRecurrence(n)).toBe(indrnn);
      }
    });
  }
});

describe('the bad recurrent models', () => {
  const cases = load<{ cases: { name: string; file: string; problem: string; node: string | null; validOnnx: boolean | null; model?: string }[] }>(index.bad).cases;

  it.each(cases.filter((c) => c.validOnnx))('$name is refused naming node $node ($problem)', (c) => {
    let err: unknown;
    try {
      importOnnxFile(join(DIR, 'bad', c.file));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OhmnetError);
    const e = err as OhmnetError;
    expect(e.exitCode).toBe(2);
    expect(e.message).not.toContain('\n');
    expect(e.message).toContain(`node '${c.node}'`);
  });

  it('the CLI refuses a bidirectional LSTM with exit 2 and one line; inspect lists it without failing', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ohmnet-recurrent-'));
    const r = await runCli(['compile', join(DIR, 'bad', 'lstm_bidirectional.onnx'), '-o', join(out, 'c')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/node '\/rnn\/LSTM' \(LSTM\): direction 'bidirectional' is not supported/);
    const i = await runCli(['inspect', join(DIR, 'bad', 'lstm_bidirectional.onnx')]);
    expect(i.code).toBe(0);
    expect(i.stdout).toMatch(/not compilable: 1 of 17 nodes are refused/);
    expect(i.stdout).toMatch(/^\/rnn\/LSTM\s+LSTM\s+refused$/m);
  });

  it('a sample file whose sample length is not a multiple of the feature count is refused naming the line', () => {
    const shape = load<Fixture>('lstm_dyn_seq.json').inputShape;
    const path = join(DIR, 'bad', 'not_divisible_samples.json');
    expect(() => readSamples(path, shape)).toThrow(/not_divisible_samples\.json' line 6: sample 1 has 29 values, the model input \[10, 3\] needs 30; 29 is not a multiple of the 3 features per step/);
    // The CSV form of the same samples: the line is the row's.
    const dir = mkdtempSync(join(tmpdir(), 'ohmnet-recurrent-'));
    const csv = join(dir, 'samples.csv');
    writeFileSync(csv, load<{ inputs: number[][] }>('bad/not_divisible_samples.json').inputs.map((s) => s.join(',')).join('\n'));
    expect(() => readSamples(csv, shape)).toThrow(/samples\.csv' line 2: sample 1 has 29 values.*not a multiple of the 3 features per step/);
  });

  it('ragged sequences are refused naming the line and the step counts', () => {
    const shape = load<Fixture>('lstm_dyn_seq.json').inputShape;
    expect(() => readSamples(join(DIR, 'bad', 'ragged_samples.json'), shape)).toThrow(/line 6: sample 1 has 21 values.*this sample has 7 steps; every sample must have 10 \(ragged sequences are not supported\)/);
  });
});

describe('the CLI on a recurrent model', () => {
  const fx = load<Fixture>('lstm_last_bf.json');
  const model = join(DIR, fx.model);

  it('inspect lists the LSTM with its per-sample shapes', async () => {
    const r = await runCli(['inspect', model]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\/rnn\/LSTM\s+LSTM\s+\[12,6\]\s+\[12,1,16\]\s+1,536/);
  });

  it('run --stage source gives the torch float64 outputs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ohmnet-recurrent-'));
    const inputs = join(dir, 'inputs.json');
    writeFileSync(inputs, JSON.stringify({ inputs: fx.inputs }));
    const r = await runCli(['run', model, '--stage', 'source', '--inputs', inputs, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { outputShape: number[]; outputs: number[][] };
    expect(out.outputShape).toEqual(fx.outputShape);
    expect(maxAbsDiff(out.outputs, fx.outputs) / maxAbs(fx.outputs)).toBeLessThanOrEqual(TORCH_TOL);
  });

  it('compile lowers it and writes the clocked netlist and its transient testbench', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ohmnet-recurrent-'));
    const inputs = join(dir, 'inputs.json');
    writeFileSync(inputs, JSON.stringify({ inputs: fx.inputs }));
    const r = await runCli(['compile', model, '--calibration', inputs, '-o', join(dir, 'out'), '--trials', '0']);
    // 0, or 1 when a verdict of the compile fails; the files are written either way (2 would be a refusal).
    expect([0, 1], r.stderr).toContain(r.code);
    expect(readFileSync(join(dir, 'out', 'netlist.cir'), 'utf8')).toMatch(/^VCLK clk 0 PULSE\(/m);
    expect(readFileSync(join(dir, 'out', 'testbench.cir'), 'utf8')).toMatch(/^tran /m);
  });

  it('run --stage tnet (the compiled, clocked analog network) gives the torch float64 outputs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ohmnet-recurrent-'));
    const inputs = join(dir, 'inputs.json');
    writeFileSync(inputs, JSON.stringify({ inputs: fx.inputs }));
    const r = await runCli(['run', model, '--stage', 'tnet', '--calibration', inputs, '--inputs', inputs, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { outputs: number[][] };
    expect(maxAbsDiff(out.outputs, fx.outputs) / maxAbs(fx.outputs)).toBeLessThanOrEqual(TORCH_TOL);
  });
});
