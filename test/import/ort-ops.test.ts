// Issue 19's attribute forms that the torch-exported fixtures (fixtures/ops, make_op_cases.py) do not reach, against
// onnxruntime (an independent implementation): Resize's coordinate transformations and rounding modes at opsets 10
// and 11+ with non-integer scales, Pad wrap, ConvTranspose with output_shape and auto_pad, MatMul by a constant of
// rank 3 or 4, Upsample at opsets 7 and 8, Resize by sizes, Split-18 num_outputs. Each model is built here,
// run by onnxruntime in float32 and by ohmnet's float64 reference of the imported graph, and the analog network
// compiled from it must agree with that reference within 1e-9 (exact).
// Tolerance against onnxruntime: 1e-5 relative to the output scale (float32 arithmetic and float32 coordinates).

import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { importOnnx } from '../../src/import/onnx.js';
import { evaluate } from '../../src/reference/evaluate.js';
import { compileGraph } from '../../src/transform/pipeline.js';
import { evaluateTnet } from '../../src/tnet/evaluate.js';
import { Rng } from '../../src/util/random.js';
import { maxAbs, maxAbsDiff } from '../helpers.js';
import { modelBytes, type ModelSpec } from './build.js';

interface Case {
  name: string;
  spec: ModelSpec;
}

const rng = new Rng(19);
const vals = (n: number) => Array.from({ length: n }, () => Math.fround(rng.uniform(-1, 1)));
const resize = (opset: number, dims: number[], attrs: Record<string, string>, scales: number[]): ModelSpec => ({
  opset, input: { dims }, output: 'y',
  nodes: [{ op: 'Resize', inputs: opset >= 11 ? ['x', '', 's'] : ['x', 's'], outputs: ['y'], attrs }],
  inits: [{ name: 's', dims: [scales.length], values: scales }],
});

const CASES: Case[] = [
  { name: 'Resize-10 nearest, scale 3 and 1.5', spec: resize(10, [1, 2, 3, 4], { mode: 'nearest' }, [1, 1, 3, 1.5]) },
  { name: 'Resize-10 linear, scale 2.5', spec: resize(10, [1, 2, 3, 4], { mode: 'linear' }, [1, 1, 2.5, 2]) },
  { name: 'Resize-13 nearest half_pixel round_prefer_floor, scale 1.5', spec: resize(13, [1, 2, 4, 5], { mode: 'nearest' }, [1, 1, 1.5, 1.6]) },
  { name: 'Resize-13 nearest half_pixel round_prefer_ceil, scale 2.5', spec: resize(13, [1, 2, 3, 3], { mode: 'nearest', nearest_mode: 'round_prefer_ceil' }, [1, 1, 2.5, 2]) },
  { name: 'Resize-13 nearest tf_half_pixel_for_nn ceil', spec: resize(13, [1, 1, 3, 4], { mode: 'nearest', coordinate_transformation_mode: 'tf_half_pixel_for_nn', nearest_mode: 'ceil' }, [1, 1, 1.7, 2]) },
  { name: 'Resize-13 linear half_pixel, scale 0.5 (downsampling)', spec: resize(13, [1, 2, 6, 8], { mode: 'linear' }, [1, 1, 0.5, 0.75]) },
  { name: 'Resize-13 linear asymmetric, scale 1.7', spec: resize(13, [1, 2, 3, 4], { mode: 'linear', coordinate_transformation_mode: 'asymmetric' }, [1, 1, 1.7, 1.5]) },
  {
    name: 'Pad-19 wrap',
    spec: { opset: 19, input: { dims: [1, 2, 3, 4] }, output: 'y', nodes: [{ op: 'Pad', inputs: ['x', 'p'], outputs: ['y'], attrs: { mode: 'wrap' } }], inits: [{ name: 'p', dims: [8], type: 'int64', values: [0, 0, 2, 1, 0, 0, 1, 3] }] },
  },
  {
    name: 'Pad-13 edge on a 1-D signal',
    spec: { opset: 13, input: { dims: [1, 2, 5] }, output: 'y', nodes: [{ op: 'Pad', inputs: ['x', 'p'], outputs: ['y'], attrs: { mode: 'edge' } }], inits: [{ name: 'p', dims: [6], type: 'int64', values: [0, 0, 3, 0, 0, 2] }] },
  },
  {
    name: 'ConvTranspose output_shape (NOTSET: the larger half of the padding first)',
    spec: {
      opset: 13, input: { dims: [1, 2, 3, 3] }, output: 'y',
      nodes: [{ op: 'ConvTranspose', inputs: ['x', 'w', 'b'], outputs: ['y'], attrs: { strides: [2, 2], output_shape: [6, 7], kernel_shape: [3, 3] } }],
      inits: [{ name: 'w', dims: [2, 3, 3, 3], values: vals(54) }, { name: 'b', dims: [3], values: vals(3) }],
    },
  },
  {
    name: 'ConvTranspose auto_pad SAME_UPPER, stride 2, output_padding 1',
    spec: {
      opset: 13, input: { dims: [1, 2, 3, 3] }, output: 'y',
      nodes: [{ op: 'ConvTranspose', inputs: ['x', 'w'], outputs: ['y'], attrs: { strides: [2, 2], auto_pad: 'SAME_UPPER', output_padding: [1, 0], kernel_shape: [3, 3] } }],
      inits: [{ name: 'w', dims: [2, 1, 3, 3], values: vals(18) }],
    },
  },
  {
    name: 'ConvTranspose auto_pad SAME_LOWER, stride 2',
    spec: {
      opset: 13, input: { dims: [1, 2, 3, 4] }, output: 'y',
      nodes: [{ op: 'ConvTranspose', inputs: ['x', 'w'], outputs: ['y'], attrs: { strides: [2, 2], auto_pad: 'SAME_LOWER', kernel_shape: [3, 2] } }],
      inits: [{ name: 'w', dims: [2, 2, 3, 2], values: vals(24) }],
    },
  },
  {
    name: 'Upsample-7 nearest (scales attribute)',
    spec: { opset: 7, input: { dims: [1, 2, 2, 3] }, output: 'y', nodes: [{ op: 'Upsample', inputs: ['x'], outputs: ['y'], attrs: { mode: 'nearest', scales: { floats: [1, 1, 2, 3] } } }] },
  },
  {
    name: 'Upsample-8 linear (scales attribute)',
    spec: { opset: 8, input: { dims: [1, 2, 2, 3] }, output: 'y', nodes: [{ op: 'Upsample', inputs: ['x'], outputs: ['y'], attrs: { mode: 'linear', scales: { floats: [1, 1, 2, 2] } } }] },
  },
  {
    name: 'Resize-13 linear align_corners by sizes',
    spec: {
      opset: 13, input: { dims: [1, 2, 3, 4] }, output: 'y', nodes: [{ op: 'Resize', inputs: ['x', '', '', 'sz'], outputs: ['y'], attrs: { mode: 'linear', coordinate_transformation_mode: 'align_corners' } }],
      inits: [{ name: 'sz', dims: [4], type: 'int64', values: [1, 2, 5, 7] }],
    },
  },
  {
    name: 'Split-18 num_outputs 3 over an axis of 7 (parts 3, 3, 1)',
    spec: {
      opset: 18, input: { dims: [1, 7, 2] }, output: 'y',
      nodes: [{ op: 'Split', inputs: ['x'], outputs: ['a', 'b', 'c'], attrs: { axis: 1, num_outputs: 3 } }, { op: 'Concat', inputs: ['c', 'a', 'b'], outputs: ['y'], attrs: { axis: 1 } }],
    },
  },
  {
    name: 'MatMul by constant matrices [1, 1, K, M] (leading 1s)',
    spec: { opset: 13, input: { dims: [1, 2, 3, 4] }, output: 'y', nodes: [{ op: 'MatMul', inputs: ['x', 'B'], outputs: ['y'] }], inits: [{ name: 'B', dims: [1, 1, 4, 5], values: vals(20) }] },
  },
  {
    name: 'MatMul by constant matrices [L, K, M], one per head',
    spec: { opset: 13, input: { dims: [1, 3, 2, 4] }, output: 'y', nodes: [{ op: 'MatMul', inputs: ['x', 'B'], outputs: ['y'] }], inits: [{ name: 'B', dims: [3, 4, 2], values: vals(24) }] },
  },
  {
    name: 'MatMul of [1, T, K] broadcast against [L, K, M]',
    spec: { opset: 13, input: { dims: [1, 1, 2, 4] }, output: 'y', nodes: [{ op: 'MatMul', inputs: ['x', 'B'], outputs: ['y'] }], inits: [{ name: 'B', dims: [3, 4, 2], values: vals(24) }] },
  },
];

describe.each(CASES)('$name', ({ spec }) => {
  it('imports, matches onnxruntime and compiles exactly', async () => {
    const bytes = modelBytes(spec);
    const graph = importOnnx(bytes, 'm.onnx');
    const n = graph.input.shape.reduce((a, b) => a * b, 1);
    const xs = [Float64Array.from(vals(n)), Float64Array.from(vals(n))];
    const ref = evaluate(graph, xs).outputs;
    const session = await ort.InferenceSession.create(bytes);
    const rt: number[][] = [];
    for (const x of xs) {
      const r = await session.run({ x: new ort.Tensor('float32', Float32Array.from(x), [1, ...graph.input.shape]) });
      rt.push(Array.from(r.y.data as Float32Array));
    }
    expect(rt[0].length).toBe(ref[0].length);
    const scale = Math.max(maxAbs(ref), 1e-12);
    expect(maxAbsDiff(ref, rt) / scale).toBeLessThanOrEqual(1e-5);
    const c = compileGraph(graph, { calibration: xs });
    expect(maxAbsDiff(evaluateTnet(c.tnet, xs).outputs, ref) / scale).toBeLessThanOrEqual(1e-9);
  });
});
