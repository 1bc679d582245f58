// The TF.js importer on the fixtures of fixtures/make_tfjs.mjs: models built, saved and run by tfjs-layers 4.22.0,
// held to tfjs' own float32 outputs within 1e-6 of the output scale (float32 round-off over these depths is ~1e-7;
// observed 4e-8..7e-8), and compiled exactly (the T-network within 1e-9 of ohmnet's float64 reference of the
// imported graph). The mlp and the lstm are also written as ONNX here (onnx-proto, from the same weights.bin, with
// the gate reordering done independently of the importer) and must import to the same IR. Shards: a manifest whose
// weights span several files reads the same; a missing, short or misplaced shard, a graph model, a quantized weight
// and a recurrent activation without an analog block are refused in one line through the CLI. The hard_sigmoid
// fixture is tfjs' default LSTM/GRU (recurrentActivation hardSigmoid, clip(0.2 x + 0.5)), with saturating gates.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importModel } from '../../src/import/index.js';
import type { Node } from '../../src/ir/ops.js';
import { evaluate } from '../../src/reference/evaluate.js';
import { evaluateTnet } from '../../src/tnet/evaluate.js';
import { compileGraph } from '../../src/transform/pipeline.js';
import { FIXTURES, maxAbs, maxAbsDiff, runCli } from '../helpers.js';
import { modelBytes } from './build.js';
import { modelTitle } from '../../src/report/summary.js';

const DIR = join(FIXTURES, 'tfjs');
interface TfjsFixture { name: string; model: string; inputShape: number[]; outputShape: number[]; layers: string[]; inputs: number[][]; outputs: number[][] }
const load = (name: string) => JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as TfjsFixture;
const tmp = mkdtempSync(join(tmpdir(), 'ohmnet-tfjs-'));

describe.each(['mlp', 'cnn', 'lstm', 'gru', 'hard_sigmoid', 'layers1d', 'layers2d', 'smooth'])('%s', (name) => {
  const fx = load(name);
  const graph = importModel(join(DIR, fx.model));
  const scale = maxAbs(fx.outputs);
  it("evaluates within 1e-6 of tfjs' own float32 outputs", () => {
    expect(maxAbsDiff(evaluate(graph, fx.inputs).outputs, fx.outputs) / scale).toBeLessThan(1e-6);
  });
  it('compiles exactly (T-network within 1e-9 of the reference)', () => {
    const reference = evaluate(graph, fx.inputs).outputs;
    const { tnet } = compileGraph(graph, { calibration: fx.inputs });
    expect(maxAbsDiff(evaluateTnet(tnet, fx.inputs).outputs, reference) / scale).toBeLessThan(1e-9);
  });
  it('names the TF.js version and keeps the layer names', () => {
    expect(graph.origin).toMatch(/^tfjs-layers 4\.22\.0 \(TF\.js layers model\), (Sequential|Model)$/);
    const names = graph.nodes.map((n) => n.name);
    const expected = { mlp: ['d1', 'd2', 'd3'], cnn: ['conv', 'bn', 'dw', 'residual', 'relu6', 'dw2', 'pool', 'leaky', 'flat', 'logits'], lstm: ['lstm', 'head'], gru: ['gru1', 'gru2', 'head'], hard_sigmoid: ['lstm', 'gru', 'head'], layers1d: ['causal', 'mp', 'ap', 'gmp', 'gap', 'hs', 'cat', 'perm', 'tanh', 'probs'], layers2d: ['zpad', 'sep/depthwise', 'sep', 'bn', 'c1', 'c2', 'chan', 'ap', 'gap', 'cat', 'out'], smooth: ['d1', 'd2', 'd3', 'd4', 'd5', 'elu', 'out'] }[name]!;
    for (const n of expected) expect(names).toContain(n);
  });
});

/** The manifest's weights by name, read straight from weights.bin (little-endian float32, manifest order). */
function tfjsWeights(name: string): Map<string, { shape: number[]; values: number[] }> {
  const json = JSON.parse(readFileSync(join(DIR, name, 'model.json'), 'utf8'));
  const bin = readFileSync(join(DIR, name, 'weights.bin'));
  const out = new Map<string, { shape: number[]; values: number[] }>();
  let off = 0;
  for (const w of json.weightsManifest[0].weights as { name: string; shape: number[] }[]) {
    const n = w.shape.reduce((a, b) => a * b, 1);
    out.set(w.name, { shape: w.shape, values: Array.from({ length: n }, (_, i) => bin.readFloatLE(off + 4 * i)) });
    off += 4 * n;
  }
  return out;
}

const paramsOf = (n: Node): unknown => {
  if (n.kind === 'dense') return [n.weight.shape, Array.from(n.weight.data), Array.from(n.bias ?? [])];
  if (n.kind === 'recurrent') return [n.cell, Array.from(n.weight.data), Array.from(n.recurrence.data), Array.from(n.inputBias), Array.from(n.recurrenceBias), n.activations];
  if (n.kind === 'activation') return n.fn;
  if (n.kind === 'reshape') return n.shape;
  return n.kind;
};

describe('the same network as ONNX and as TF.js imports to the same IR', () => {
  it('mlp: Gemm/Relu/Tanh/Softmax', () => {
    const w = tfjsWeights('mlp');
    const t = (k: string) => w.get(k)!;
    const file = join(tmp, 'mlp_twin.onnx');
    const gemm = (l: string, x: string) => ({ op: 'Gemm', inputs: [x, `${l}/kernel`, `${l}/bias`], outputs: [l], name: l });
    writeFileSync(file, modelBytes({
      input: { name: 'x', dims: [1, 6] },
      output: 'p',
      nodes: [gemm('d1', 'x'), { op: 'Relu', inputs: ['d1'], outputs: ['r'] }, gemm('d2', 'r'), { op: 'Tanh', inputs: ['d2'], outputs: ['h'] }, gemm('d3', 'h'), { op: 'Softmax', inputs: ['d3'], outputs: ['p'] }],
      inits: ['d1', 'd2', 'd3'].flatMap((l) => [{ name: `${l}/kernel`, dims: t(`${l}/kernel`).shape, values: t(`${l}/kernel`).values }, { name: `${l}/bias`, dims: t(`${l}/bias`).shape, values: t(`${l}/bias`).values }]),
    }));
    const a = importModel(join(DIR, 'mlp', 'model.json'));
    const b = importModel(file);
    expect(b.nodes.map((n) => n.kind)).toEqual(a.nodes.map((n) => n.kind));
    expect(b.nodes.map(paramsOf)).toEqual(a.nodes.map(paramsOf));
    const fx = load('mlp');
    expect(maxAbsDiff(evaluate(a, fx.inputs).outputs, evaluate(b, fx.inputs).outputs)).toBe(0);
  });

  it('lstm: ONNX LSTM (layout 1, gates i, o, f, c) from the Keras kernels (gates i, f, c, o)', () => {
    const w = tfjsWeights('lstm');
    const H = 5;
    const I = 3;
    // Keras [in, 4H] with gate blocks i, f, c, o -> ONNX [1, 4H, in] with blocks i, o, f, c.
    const onnxOrder = [0, 3, 1, 2];
    const reorder = (m: number[], inF: number) => {
      const out: number[] = [];
      for (const kg of onnxOrder) for (let u = 0; u < H; u++) for (let k = 0; k < inF; k++) out.push(m[k * 4 * H + kg * H + u]);
      return out;
    };
    const bias = w.get('lstm/bias')!.values;
    const B = [...onnxOrder.flatMap((kg) => bias.slice(kg * H, (kg + 1) * H)), ...new Array<number>(4 * H).fill(0)];
    const file = join(tmp, 'lstm_twin.onnx');
    writeFileSync(file, modelBytes({
      input: { name: 'x', dims: [1, 7, I] },
      output: 'y',
      nodes: [
        { op: 'LSTM', inputs: ['x', 'W', 'R', 'B'], outputs: ['', 'h'], name: 'lstm', attrs: { hidden_size: H, layout: 1 } },
        { op: 'Squeeze', inputs: ['h', 'axes'], outputs: ['hs'] },
        { op: 'Gemm', inputs: ['hs', 'K', 'b'], outputs: ['y'], name: 'head' },
      ],
      inits: [
        { name: 'W', dims: [1, 4 * H, I], values: reorder(w.get('lstm/kernel')!.values, I) },
        { name: 'R', dims: [1, 4 * H, H], values: reorder(w.get('lstm/recurrent_kernel')!.values, H) },
        { name: 'B', dims: [1, 8 * H], values: B },
        { name: 'axes', dims: [1], values: [1], type: 'int64' },
        { name: 'K', dims: [H, 2], values: w.get('head/kernel')!.values },
        { name: 'b', dims: [2], values: w.get('head/bias')!.values },
      ],
    }));
    const a = importModel(join(DIR, 'lstm', 'model.json'));
    const b = importModel(file);
    expect(b.nodes.map((n) => n.kind)).toEqual(a.nodes.map((n) => n.kind));
    expect(b.nodes.map(paramsOf)).toEqual(a.nodes.map(paramsOf));
    const fx = load('lstm');
    expect(maxAbsDiff(evaluate(a, fx.inputs).outputs, evaluate(b, fx.inputs).outputs)).toBe(0);
  });
});

/** A copy of a fixture's model.json (edited by `edit`) and shards in a fresh directory. */
function copyModel(name: string, edit: (json: any, bin: Buffer, dir: string) => void): string {
  const dir = mkdtempSync(join(tmp, `${name}-`));
  const json = JSON.parse(readFileSync(join(DIR, name, 'model.json'), 'utf8'));
  const bin = readFileSync(join(DIR, name, 'weights.bin'));
  writeFileSync(join(dir, 'weights.bin'), bin);
  edit(json, bin, dir);
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
  return join(dir, 'model.json');
}

describe('weight shards', () => {
  it('weights split over three shard files read the same as one', () => {
    const path = copyModel('cnn', (json, bin, dir) => {
      const cuts = [0, 700, 1301, bin.length];
      const paths = [0, 1, 2].map((k) => `group1-shard${k + 1}of3.bin`);
      paths.forEach((p, k) => writeFileSync(join(dir, p), bin.subarray(cuts[k], cuts[k + 1])));
      json.weightsManifest[0].paths = paths;
    });
    const fx = load('cnn');
    expect(evaluate(importModel(path), fx.inputs).outputs).toEqual(evaluate(importModel(join(DIR, 'cnn', 'model.json')), fx.inputs).outputs);
  });

  const refusals: [string, (json: any, bin: Buffer, dir: string) => void, RegExp][] = [
    ['a missing shard', (json) => { json.weightsManifest[0].paths.push('group1-shard2of2.bin'); }, /group1-shard2of2\.bin/],
    ['a short shard', (_json, bin, dir) => writeFileSync(join(dir, 'weights.bin'), bin.subarray(0, bin.length - 4)), /holds \d+ bytes where the manifest's weights need \d+/],
    ['a shard path outside the model directory', (json) => { json.weightsManifest[0].paths = ['../weights.bin']; }, /not a file name beside model.json/],
    ['a weight missing from the manifest', (json) => { json.weightsManifest[0].weights[0].name = 'other/kernel'; }, /'d1\/kernel' is not in the model.json weightsManifest/],
    ['a quantized weight', (json) => { json.weightsManifest[0].weights[0].quantization = { dtype: 'uint8', scale: 1, min: 0 }; }, /quantized/],
    ['a graph model', (json) => { json.format = 'graph-model'; }, /graph model|frozen TensorFlow graph/],
    ['a custom layer', (json) => { json.modelTopology.config.layers[1].class_name = 'Binas'; }, /layer 'd2' has class Binas/],
  ];
  it.each(refusals)('%s is refused in one line, exit 2', async (_, edit, match) => {
    const r = await runCli(['inspect', copyModel('mlp', edit)]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(match);
  });

  it("tfjs' default recurrent activation is its hard sigmoid, clip(0.2 x + 0.5)", () => {
    const node = importModel(join(DIR, 'hard_sigmoid', 'model.json')).nodes.find((n) => n.kind === 'recurrent' && n.cell === 'lstm');
    expect(node).toMatchObject({ activations: ['hardSigmoid', 'tanh', 'tanh'], hardSigmoid: { alpha: 0.2, beta: 0.5 } });
  });
  it('a recurrent activation without an analog block (elu) is refused naming the layer', async () => {
    const r = await runCli(['inspect', copyModel('lstm', (json) => { json.modelTopology.config.layers[0].config.recurrent_activation = 'elu'; })]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain("Keras layer 'lstm' (LSTM): recurrent_activation 'elu' is not supported in a recurrent cell");
  });

  it('random bytes named model.json are refused in one line', async () => {
    const f = join(tmp, 'model.json');
    writeFileSync(f, Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 7919 + 13) % 256)));
    const r = await runCli(['inspect', f]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('the CLI on TF.js models', () => {
  it('inspect shows the format, the tfjs version and the layer names', async () => {
    const r = await runCli(['inspect', join(DIR, 'gru', 'model.json')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('tfjs-layers 4.22.0 (TF.js layers model), Sequential');
    expect(r.stdout).toMatch(/^gru1\/gru\s+GRU/m);
    expect(r.stdout).toMatch(/^head\s+Dense/m);
  });
  it('a default model name (sequential_3, model) gives the title of the file, a model.json its directory', () => {
    expect(modelTitle('sequential_3', 'mlp/model.json')).toBe('mlp');
    expect(modelTitle('model', 'net.keras')).toBe('net');
    expect(modelTitle('functional', 'net.h5')).toBe('net');
    expect(modelTitle('tfjs_mlp', 'mlp/model.json')).toBe('tfjs_mlp');
  });
  it('compile records the model file as dir/model.json and the tfjs version', async () => {
    const out = join(tmp, 'compiled');
    const fx = load('mlp');
    const inputs = join(tmp, 'mlp-in.json');
    writeFileSync(inputs, JSON.stringify({ inputs: fx.inputs }));
    const r = await runCli(['compile', join(DIR, 'mlp', 'model.json'), '--calibration', inputs, '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.model.origin).toContain('tfjs-layers 4.22.0');
    expect(summary.model.file).toBe('mlp/model.json');
  });
});
