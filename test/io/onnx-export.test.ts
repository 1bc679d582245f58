// exportOnnx (src/io/onnx-export.ts) against two independent readers: onnxruntime evaluates the written file like
// ohmnet's float64 reference of the graph it was written from, and ohmnet's own importer reads it back to a graph
// that evaluates the same. Every committed model fixture that imports is written (ONNX, Keras, TF.js sources).
//
// Tolerances, relative to the output scale (max |reference output|): 1e-4 against onnxruntime, which computes in
// float32 on float32-rounded weights (~1e-7 relative per op over up to a few thousand MACs and recurrent steps); 1e-5
// for the re-imported graph, which computes in float64 on the float32-rounded weights (6e-8 relative per weight).

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';
import { importModel } from '../../src/import/index.js';
import { importOnnx } from '../../src/import/onnx.js';
import { exportOnnx } from '../../src/io/onnx-export.js';
import { evaluate } from '../../src/reference/evaluate.js';
import { sizeOf } from '../../src/ir/tensor.js';
import type { Graph } from '../../src/ir/ops.js';
import { Rng } from '../../src/util/random.js';
import { FIXTURES, maxAbs, maxAbsDiff } from '../helpers.js';

function modelFiles(): string[] {
  const out: string[] = [];
  for (const dir of ['', 'ops', 'recurrent', 'keras', 'tfjs', 'wine']) {
    let names: string[];
    try {
      names = readdirSync(join(FIXTURES, dir));
    } catch {
      continue;
    }
    for (const n of names.sort()) {
      if (/\.(onnx|keras|h5)$/.test(n)) out.push(join(dir, n));
      // TF.js models are directories holding model.json.
      else if (dir === 'tfjs' && !n.includes('.')) out.push(join(dir, n, 'model.json'));
    }
  }
  return [...new Set(out)];
}

function importable(): { file: string; graph: Graph }[] {
  const got: { file: string; graph: Graph }[] = [];
  for (const file of modelFiles()) {
    try {
      got.push({ file, graph: importModel(join(FIXTURES, file)) });
    } catch {
      // refusal fixtures (unsupported ops, bad files) and paths that are not models
    }
  }
  return got;
}

const MODELS = importable();

function samples(graph: Graph, count: number, seed: number): Float64Array[] {
  const rng = new Rng(seed);
  const n = sizeOf(graph.input.shape);
  return Array.from({ length: count }, () => Float64Array.from({ length: n }, () => rng.next() * 2 - 1));
}

describe('exportOnnx', () => {
  it('finds the fixtures', () => {
    expect(MODELS.length).toBeGreaterThan(60);
    expect(MODELS.some((m) => m.graph.nodes.some((n) => n.kind === 'recurrent'))).toBe(true);
  });

  it.each(MODELS.map((m) => [m.file, m.graph] as const))('%s: onnxruntime and the re-import agree with the reference', async (_file, graph) => {
    const bytes = exportOnnx(graph);
    const xs = samples(graph, 3, 7);
    const ref = evaluate(graph, xs).outputs;
    const scale = Math.max(maxAbs(ref), 1e-12);

    const session = await ort.InferenceSession.create(bytes);
    // One sample per call: a recurrent layer with a nonzero initial state is written with that state as a constant
    // of batch 1, as the source declared it (the batch-size test below runs a model without one).
    const rt: number[][] = [];
    for (const x of xs) {
      const res = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', Float32Array.from(x), [1, ...graph.input.shape]) });
      rt.push(Array.from(res[session.outputNames[0]].data as Float32Array));
    }
    expect(rt[0].length).toBe(ref[0].length);
    expect(maxAbsDiff(ref, rt) / scale).toBeLessThanOrEqual(1e-4);

    const back = importOnnx(bytes, 'exported');
    expect(back.input.shape).toEqual(graph.input.shape);
    // The written nodes carry the IR's names (inspect of the written file shows the names the user knows).
    if (graph.nodes.length > 0) expect(back.nodes.some((n) => graph.nodes.some((g) => g.name === n.name))).toBe(true);
    expect(maxAbsDiff(ref, evaluate(back, xs).outputs) / scale).toBeLessThanOrEqual(1e-5);
  });

  it('evaluates a batch of several samples at once (batch-first, N symbolic)', async () => {
    for (const file of ['digits_cnn.onnx', 'recurrent/conv1d_lstm.onnx']) {
      const m = MODELS.find((x) => x.file === file);
      if (!m) throw new Error(`fixture ${file} missing`);
      const xs = samples(m.graph, 4, 3);
      const ref = evaluate(m.graph, xs).outputs;
      const session = await ort.InferenceSession.create(exportOnnx(m.graph));
      const batch = new Float32Array(xs.length * xs[0].length);
      xs.forEach((x, i) => batch.set(x, i * x.length));
      const res = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', batch, [xs.length, ...m.graph.input.shape]) });
      const flat = res[session.outputNames[0]].data as Float32Array;
      const per = flat.length / xs.length;
      const rt = xs.map((_, i) => Array.from(flat.subarray(i * per, (i + 1) * per)));
      expect(maxAbsDiff(ref, rt) / maxAbs(ref)).toBeLessThanOrEqual(1e-4);
    }
  });

  it('is deterministic and writes opset 13, batch-first, float32 weights', () => {
    const { graph } = MODELS.find((m) => m.file === 'iris_mlp.onnx')!;
    const a = exportOnnx(graph);
    expect(Buffer.from(exportOnnx(graph)).equals(Buffer.from(a))).toBe(true);
    const model = onnxProto.onnx.ModelProto.decode(a);
    expect(Number(model.opsetImport?.[0].version)).toBe(13);
    expect(model.graph?.input?.[0].type?.tensorType?.shape?.dim?.[0].dimParam).toBe('N');
    expect(model.graph?.initializer?.every((t) => t.dataType === 1 || t.dataType === 7)).toBe(true);
  });
});
