// The Keras importer on the fixtures of fixtures/make_keras.py: each model as a Keras 3 .keras and a Keras 2 .h5
// (h5py, the real files' layouts), held to an independent float64 numpy computation of the Keras layer equations
// (channels-last, per Keras version: hard_sigmoid differs). Tolerances: the numpy reference and ohmnet's reference
// are both float64 on the same float32 weights, so they agree to round-off (~1e-15); the bar is the 1e-6 of
// the output scale. Compilation is exact: the T-network against ohmnet's float64 reference of the imported graph
// within 1e-9 of the output scale (observed ~1e-16). The ONNX twins of mlp and cnn (the same weights written by the
// script as ONNX, NHWC input with the transposes an exporter writes) import to the same IR: node kinds, parameters
// and evaluations.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importModel } from '../../src/import/index.js';
import { importKeras } from '../../src/import/keras.js';
import type { Node } from '../../src/ir/ops.js';
import { evaluate } from '../../src/reference/evaluate.js';
import { evaluateTnet } from '../../src/tnet/evaluate.js';
import { compileGraph } from '../../src/transform/pipeline.js';
import { FIXTURES, maxAbs, maxAbsDiff, runCli } from '../helpers.js';

const DIR = join(FIXTURES, 'keras');
type Version = 'keras3' | 'keras2';
interface KerasFixture {
  name: string;
  kind: string;
  inputShape: number[];
  outputShape: number[];
  layers: string[];
  files: Record<Version, string>;
  inputs: number[][];
  outputs: Record<Version, number[][]>;
  onnxTwin?: string;
}
const load = (name: string) => JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as KerasFixture;
const MODELS = (JSON.parse(readFileSync(join(DIR, 'index.json'), 'utf8')) as { models: string[] }).models;
const CASES: [string, Version][] = MODELS.flatMap((m) => (['keras3', 'keras2'] as Version[]).map((v): [string, Version] => [m, v]));

describe.each(CASES)('%s (%s)', (name, version) => {
  const fx = load(name);
  const graph = importModel(join(DIR, fx.files[version]));
  const scale = maxAbs(fx.outputs[version]);

  it('evaluates within 1e-6 of the float64 numpy reference', () => {
    const got = evaluate(graph, fx.inputs).outputs;
    expect(got[0].length).toBe(fx.outputShape.reduce((a, b) => a * b, 1));
    expect(maxAbsDiff(got, fx.outputs[version]) / scale).toBeLessThan(1e-6);
  });

  it('names the format, the Keras version and the layers as Keras does', () => {
    expect(graph.origin).toBe(version === 'keras3' ? `keras 3.14.1 (.keras), ${fx.kind}` : `keras 2.13.1 (.h5, backend tensorflow), ${fx.kind}`);
    expect(graph.name).toBe(name);
    const names = new Set(graph.nodes.map((n) => n.name));
    // Every layer with weights is an IR node of its own name (Dropout and linear activations vanish).
    const withWeights = { mlp: ['hidden', 'gate', 'probs'], cnn: ['conv', 'bn', 'dw', 'sep', 'logits'], lstm: ['conv', 'head'], gru: ['head'], rnn: ['head'], ops: ['c1', 'd1', 'bn', 'd2'], multiply: ['a', 'b', 'prod', 'out'] }[name] ?? [];
    for (const n of withWeights) expect(names).toContain(n);
  });

  it('compiles exactly (T-network within 1e-9 of the reference; a Multiply of two activations through multiplier blocks)', () => {
    const reference = evaluate(graph, fx.inputs).outputs;
    const compiled = compileGraph(graph, { calibration: fx.inputs });
    const got = evaluateTnet(compiled.tnet, fx.inputs).outputs;
    expect(maxAbsDiff(got, reference) / scale).toBeLessThan(1e-9);
  });
});

describe('Keras 2 and Keras 3 files of one model import to the same IR', () => {
  it.each(MODELS)('%s', (name) => {
    const fx = load(name);
    const a = importModel(join(DIR, fx.files.keras3));
    const b = importModel(join(DIR, fx.files.keras2));
    // The input layers are named differently (Keras 3 input_layer, Keras 2 input_1); hard_sigmoid is checked below.
    const strip = (input: string) => (n: Node) => {
      const m = { ...n, inputs: n.inputs.map((i) => (i === input ? '(input)' : i)) };
      if (m.kind === 'recurrent') return { ...m, hardSigmoid: null };
      return m.kind === 'activation' && m.fn.type === 'hardSigmoid' ? { ...m, fn: { type: 'hardSigmoid' } } : m;
    };
    expect(b.nodes.map(strip(b.input.name))).toEqual(a.nodes.map(strip(a.input.name)));
    expect(b.input.shape).toEqual(a.input.shape);
  });
  it('except hard_sigmoid, which is clip(x / 6 + 0.5) in Keras 3 and clip(0.2 x + 0.5) in Keras 2', () => {
    const hs = (file: string) => importModel(join(DIR, file)).nodes.find((n) => n.kind === 'activation' && n.fn.type === 'hardSigmoid');
    expect(hs('mlp.keras')).toMatchObject({ fn: { alpha: 1 / 6, beta: 0.5 } });
    expect(hs('mlp.h5')).toMatchObject({ fn: { alpha: 0.2, beta: 0.5 } });
    // The same in recurrent cells (recurrent_activation hard_sigmoid).
    const rec = (file: string) => importModel(join(DIR, file)).nodes.find((n) => n.kind === 'recurrent');
    expect(rec('hard_sigmoid.keras')).toMatchObject({ activations: ['hardSigmoid', 'tanh', 'tanh'], hardSigmoid: { alpha: 1 / 6, beta: 0.5 } });
    expect(rec('hard_sigmoid.h5')).toMatchObject({ activations: ['hardSigmoid', 'tanh', 'tanh'], hardSigmoid: { alpha: 0.2, beta: 0.5 } });
  });
});

describe('the same network as ONNX and as Keras imports to the same IR', () => {
  const params = (n: Node): unknown[] => {
    switch (n.kind) {
      case 'dense':
      case 'conv':
        return [Array.from(n.weight.data), n.weight.shape, n.bias ? Array.from(n.bias) : null];
      case 'batchnorm':
        return [Array.from(n.scale), Array.from(n.bias), Array.from(n.mean), Array.from(n.variance)];
      case 'transpose':
        return [n.perm];
      case 'pad':
        return [n.pads];
      case 'maxpool':
      case 'avgpool':
        return [n.kernel, n.strides, n.pads];
      default:
        return [];
    }
  };
  it.each(['mlp', 'cnn'])('%s: node kinds, weights and outputs', (name) => {
    const fx = load(name);
    // The twin's hard_sigmoid is ONNX HardSigmoid(alpha 0.2), the Keras 2 definition: compare with the .h5.
    const keras = importModel(join(DIR, fx.files.keras2));
    const onnx = importModel(join(DIR, fx.onnxTwin!));
    expect(onnx.nodes.map((n) => n.kind)).toEqual(keras.nodes.map((n) => n.kind));
    onnx.nodes.forEach((n, i) => expect(params(n)).toEqual(params(keras.nodes[i])));
    const a = evaluate(keras, fx.inputs).outputs;
    const b = evaluate(onnx, fx.inputs).outputs;
    // ONNX float attributes are float32 (HardSigmoid alpha, BN epsilon): agreement to ~1e-8, not round-off.
    expect(maxAbsDiff(a, b) / maxAbs(a)).toBeLessThan(1e-6);
  });
});

describe('refusals: one line naming the problem, exit 2', () => {
  const cases = JSON.parse(readFileSync(join(DIR, 'bad', 'cases.json'), 'utf8')) as { file: string; problem: string; match: string }[];
  it.each(cases.map((c) => [c.file, c] as const))('%s', async (_, c) => {
    const r = await runCli(['inspect', join(DIR, 'bad', c.file)]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(c.match);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
  it('a truncated .h5 (cut at every eighth of its length) is refused in one line, never a crash', () => {
    const whole = readFileSync(join(DIR, 'ops.h5'));
    for (let k = 0; k < 8; k++) {
      const cut = whole.subarray(0, Math.floor((k * whole.length) / 8));
      expect(() => importKeras(cut, 'cut.h5')).toThrow(/^[^\n]+$/);
    }
  });
  it('a .keras zip whose weights entry is random bytes is refused as HDF5, naming the file', () => {
    expect(() => importKeras(readFileSync(join(DIR, 'bad', 'sharded.keras')).subarray(0, 30), 'x.keras')).toThrow(/'x.keras'/);
  });
});

describe('import options on Keras files', () => {
  it('are checked as for ONNX: a bad option is a one-line error, an input shape must fit the declared one', () => {
    const f = join(DIR, 'cnn.keras');
    expect(() => importModel(f, { inputShape: 'x' as never })).toThrow(/inputShape is string/);
    expect(() => importModel(f, { maxTensorElements: -1 })).toThrow(/maxTensorElements must be a positive integer/);
    expect(() => importModel(f, { inputShape: [8, 8, 3] })).toThrow("inputShape [8, 8, 3] does not fit Keras input 'input_layer' declared as [8, 8, 2]");
    expect(importModel(f, { inputShape: [8, 8, 2] }).input.shape).toEqual([8, 8, 2]);
  });
});

describe('the CLI on Keras files', () => {
  it('inspect shows the format, the Keras version and the Keras layer names', async () => {
    const r = await runCli(['inspect', join(DIR, 'cnn.keras')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('keras 3.14.1 (.keras), Sequential');
    expect(r.stdout).toMatch(/^sep\/depthwise\s+SeparableConv2D \(depthwise\)/m);
    expect(r.stdout).toMatch(/^logits\s+Dense/m);
    expect(r.stdout).toContain("input 'input_layer' [8,8,2] per sample");
  });
  it('run gives the reference outputs in Keras order (channels-last input, as the file takes it)', async () => {
    const fx = load('cnn');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const f = join(mkdtempSync(join(tmpdir(), 'ohmnet-keras-')), 'in.json');
    writeFileSync(f, JSON.stringify({ inputs: fx.inputs }));
    const r = await runCli(['run', join(DIR, 'cnn.h5'), '--inputs', f, '--json']);
    expect(r.code).toBe(0);
    expect(maxAbsDiff(JSON.parse(r.stdout).outputs, fx.outputs.keras2) / maxAbs(fx.outputs.keras2)).toBeLessThan(1e-6);
  });
});
