// Property-based fuzzing of the ONNX importer: whatever the bytes, importing either yields a validated graph that the
// evaluator can run, or throws an OhmnetError (a one-line message, exit code 2). Any other exception is a crash.
// Three generators: random bytes, byte-level mutations of real models, and structure-aware random graphs that are
// valid protobuf but arbitrary ONNX (random ops, attributes, shapes and wiring). 1,500 cases in all.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import onnxProto from 'onnx-proto';
import { importOnnx } from '../../src/import/onnx.js';
import { evaluate } from '../../src/reference/evaluate.js';
import { isOhmnetError } from '../../src/errors.js';
import { sizeOf } from '../../src/ir/tensor.js';
import { inferShapes } from '../../src/ir/shapes.js';
import { FIXTURES, MODEL_FIXTURES } from '../helpers.js';

const { onnx } = onnxProto;

/** Imports and, when that succeeds, evaluates one sample; returns 'ok' or 'refused', throws on a crash. */
function importAndRun(bytes: Uint8Array): 'ok' | 'refused' {
  try {
    const g = importOnnx(bytes, 'fuzz.onnx', { maxTensorElements: 1 << 20 });
    const shapes = inferShapes(g, { maxTensorElements: 1 << 20 });
    const work = [...shapes.values()].reduce((s, sh) => s + sizeOf(sh), 0);
    if (work < 200_000) evaluate(g, [new Float64Array(sizeOf(g.input.shape)).fill(0.5)]);
    return 'ok';
  } catch (e) {
    if (isOhmnetError(e)) {
      expect(e.message).not.toContain('\n');
      return 'refused';
    }
    throw e;
  }
}

const models = MODEL_FIXTURES.map((n) => new Uint8Array(readFileSync(join(FIXTURES, `${n}.onnx`))));
const SEED = 20261122;

describe('ONNX importer fuzzing', () => {
  it('random bytes never crash the importer (300 cases)', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 0, maxLength: 3000 }), (b) => {
      importAndRun(b);
    }), { numRuns: 300, seed: SEED });
  });

  it('mutated real models never crash the importer (700 cases)', () => {
    const mutation = fc.record({
      model: fc.nat({ max: models.length - 1 }),
      // Positions as integers scaled to the file: fast-check biases numbers toward the extremes (the header), hence noBias.
      flips: fc.array(fc.tuple(fc.noBias(fc.nat({ max: 1 << 20 })), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
      // One case in five is also truncated.
      truncate: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.noBias(fc.nat({ max: 1 << 20 })) }),
    });
    let ok = 0;
    fc.assert(fc.property(mutation, (m) => {
      const b = models[m.model].slice();
      for (const [pos, val] of m.flips) b[pos % b.length] = val;
      const cut = m.truncate === undefined ? b : b.subarray(0, m.truncate % b.length);
      if (importAndRun(cut) === 'ok') ok++;
    }), { numRuns: 700, seed: SEED });
    // Most single-byte flips land in weight data and leave a valid model: the generator exercises the happy path too.
    expect(ok).toBeGreaterThan(250);
  });

  it('structure-aware random graphs never crash the importer (500 cases)', () => {
    const ops = ['Gemm', 'MatMul', 'Conv', 'BatchNormalization', 'Relu', 'Clip', 'LeakyRelu', 'Sigmoid', 'HardSigmoid', 'Tanh',
      'Softmax', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'ReduceMean', 'Flatten', 'Reshape', 'Transpose', 'Squeeze',
      'Unsqueeze', 'Concat', 'Add', 'Sub', 'Mul', 'Pad', 'Identity', 'Dropout', 'Constant', 'Gather'];
    const attrNames = ['axis', 'axes', 'perm', 'kernel_shape', 'strides', 'pads', 'dilations', 'group', 'alpha', 'beta', 'transA',
      'transB', 'epsilon', 'keepdims', 'ceil_mode', 'count_include_pad', 'auto_pad', 'min', 'max', 'value', 'mode', 'allowzero'];
    const attr = fc.record({
      name: fc.constantFrom(...attrNames),
      kind: fc.constantFrom('i', 'ints', 'f', 's'),
      i: fc.integer({ min: -3, max: 5 }),
      ints: fc.array(fc.integer({ min: -2, max: 4 }), { maxLength: 6 }),
      f: fc.constantFrom(0, 0.5, -1, 1e-5, NaN, Infinity),
      s: fc.constantFrom('NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID', 'constant', 'reflect', ''),
    });
    const init = fc.record({
      dims: fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 4 }),
      fill: fc.constantFrom(0.5, -1, 2, NaN),
      int64: fc.boolean(),
    });
    const graph = fc.record({
      opset: fc.integer({ min: 7, max: 19 }),
      inputDims: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 0, maxLength: 5 }),
      inits: fc.array(init, { maxLength: 4 }),
      nodes: fc.array(fc.record({
        op: fc.constantFrom(...ops),
        inputs: fc.array(fc.integer({ min: -1, max: 8 }), { minLength: 0, maxLength: 4 }),
        attrs: fc.array(attr, { maxLength: 4 }),
      }), { minLength: 0, maxLength: 6 }),
      outputPick: fc.integer({ min: 0, max: 10 }),
    });
    fc.assert(fc.property(graph, (gd) => {
      // Tensor names: 'x' is the input, 'c<k>' initializers, 't<k>' node outputs; inputs index into that pool.
      const initNames = gd.inits.map((_, k) => `c${k}`);
      const pool = ['x', ...initNames];
      const nodes = gd.nodes.map((n, k) => {
        const node = {
          opType: n.op,
          name: `n${k}`,
          input: n.inputs.map((i) => (i < 0 ? '' : pool[i % pool.length])),
          output: [`t${k}`],
          attribute: n.attrs.map((a) => {
            const base = { name: a.name };
            if (a.kind === 'i') return { ...base, type: onnx.AttributeProto.AttributeType.INT, i: a.i };
            if (a.kind === 'ints') return { ...base, type: onnx.AttributeProto.AttributeType.INTS, ints: a.ints };
            if (a.kind === 'f') return { ...base, type: onnx.AttributeProto.AttributeType.FLOAT, f: a.f };
            return { ...base, type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode(a.s) };
          }),
        };
        pool.push(`t${k}`);
        return node;
      });
      const initializer = gd.inits.map((t, k) => {
        const n = t.dims.reduce((s, d) => s * d, 1);
        return t.int64
          ? { name: `c${k}`, dims: t.dims, dataType: onnx.TensorProto.DataType.INT64, int64Data: new Array(n).fill(1) }
          : { name: `c${k}`, dims: t.dims, dataType: onnx.TensorProto.DataType.FLOAT, floatData: new Array(n).fill(t.fill) };
      });
      const valueInfo = (name: string, dims: number[]) => ({
        name, type: { tensorType: { elemType: 1, shape: { dim: dims.map((d) => (d === 0 ? { dimParam: 'N' } : { dimValue: d })) } } },
      });
      const model = onnx.ModelProto.create({
        irVersion: 7,
        opsetImport: [{ domain: '', version: gd.opset }],
        graph: {
          name: 'fuzz',
          node: nodes,
          initializer,
          input: [valueInfo('x', gd.inputDims)],
          output: [valueInfo(pool[gd.outputPick % pool.length], [])],
        },
      });
      importAndRun(onnx.ModelProto.encode(model).finish());
    }), { numRuns: 500, seed: SEED });
  });
});
