// Issue 20, "wrong messages": each refusal says what is actually wrong. These cases used to say "a -1-D
// convolution", "holds -1 values", "dynamic" for a static 0 or a negative dim, blame the bias for a transposed
// Gemm weight, and refuse FLOAT16 as an unknown type (FLOAT16 is read since issue 19).

import { describe, expect, it } from 'vitest';
import onnxProto from 'onnx-proto';
import { importOnnx } from '../../src/import/onnx.js';
import { isOhmnetError } from '../../src/errors.js';
import { modelBytes, type ModelSpec } from './build.js';

const { onnx } = onnxProto;

function refusal(spec: ModelSpec, options: { inputShape?: number[] } = {}): string {
  try {
    importOnnx(modelBytes(spec), 'm.onnx', options);
  } catch (e) {
    if (isOhmnetError(e)) return e.message;
    throw e;
  }
  return 'accepted';
}

const relu = (dims: (number | string)[]): ModelSpec => ({ input: { dims }, output: 'y', nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'] }] });

describe('messages say what is wrong', () => {
  it('a Conv weight of rank 1 is a bad weight, not "a -1-D convolution"', () => {
    const msg = refusal({ output: 'y', nodes: [{ op: 'Conv', name: 'c', inputs: ['x', 'w'], outputs: ['y'] }], inits: [{ name: 'w', dims: [3] }] });
    expect(msg).toMatch(/node 'c' \(Conv\): the weight \[3\] has rank 1; a Conv weight is \[M, C\/group, \.\.\.kernel\]/);
    expect(msg).not.toMatch(/-1-D/);
  });

  it('negative tensor dims are not sizes, not "holds -1 values"', () => {
    const msg = refusal({ output: 'y', nodes: [{ op: 'Mul', inputs: ['x', 'w'], outputs: ['y'] }], inits: [{ name: 'w', dims: [-1], values: [] }] });
    expect(msg).toMatch(/tensor 'w' declares dimensions \[-1\], which are not all sizes/);
    expect(msg).not.toMatch(/holds -1/);
  });

  it('a static 0 and a negative input dim are not called dynamic', () => {
    expect(refusal(relu([1, 0]))).toMatch(/input 'x' \[1, 0\] declares dimension 1 as 0, which is not a size \(an empty tensor\)/);
    expect(refusal(relu([1, -3]))).toMatch(/declares dimension 1 as -3, which is not a size \(a negative number\).*give the per-sample shape with inputShape/);
    expect(refusal(relu([1, 0]))).not.toMatch(/dynamic/);
    // -1 is what some exporters write for "unknown": a given shape overrides it, but not a static 0.
    expect(refusal(relu([1, -1]), { inputShape: [4] })).toBe('accepted');
    expect(refusal(relu([1, 0]), { inputShape: [4] })).toMatch(/declares dimension 1 as 0/);
    // A symbolic dim is dynamic; a batch of 0 or -1 is removed anyway.
    expect(refusal(relu([1, 'C']))).toMatch(/dynamic dimensions \(\[1, C\]: dim 1\)/);
    expect(refusal(relu([0, 4]))).toBe('accepted');
    expect(refusal(relu([-1, 4]))).toBe('accepted');
  });

  it('FLOAT16 weights are read (0x3c00 is 1.0)', () => {
    const g = importOnnx(modelBytes({ output: 'y', nodes: [{ op: 'Mul', inputs: ['x', 'w'], outputs: ['y'] }], inits: [{ name: 'w', dims: [4], type: 'float16' }] }), 'm.onnx');
    const node = g.nodes[0];
    expect(node.kind === 'constBinary' && Array.from(node.constant)).toEqual([1, 1, 1, 1]);
  });

  it('an unsupported element type lists what is read', () => {
    const spec: ModelSpec = { output: 'y', nodes: [{ op: 'Mul', inputs: ['x', 'w'], outputs: ['y'] }] };
    const model = onnx.ModelProto.decode(modelBytes(spec));
    model.graph!.initializer = [{ name: 'w', dims: [4], dataType: onnx.TensorProto.DataType.COMPLEX64, floatData: [1, 2, 3, 4, 5, 6, 7, 8] }];
    let msg = '';
    try {
      importOnnx(onnx.ModelProto.encode(model).finish(), 'm.onnx');
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/tensor 'w' has data type COMPLEX64; ohmnet reads FLOAT, DOUBLE, FLOAT16, BFLOAT16, INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32 and BOOL tensors/);
  });

  it('an integer input names its type', () => {
    expect(refusal({ input: { dims: [1, 4], elemType: onnx.TensorProto.DataType.INT64 }, output: 'y', nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'] }] }))
      .toMatch(/input 'x' has element type INT64; ohmnet needs a floating-point input/);
  });

  it('a transposed Gemm weight is blamed on the weight, not the bias', () => {
    const gemm = (transB: number, dims: number[]): ModelSpec => ({
      output: 'y',
      nodes: [{ op: 'Gemm', name: 'fc', inputs: ['x', 'w', 'b'], outputs: ['y'], attrs: { transB } }],
      inits: [{ name: 'w', dims }, { name: 'b', dims: [3] }],
    });
    // x is [N, 4]: B [3, 4] with transB = 0 would need 3 inputs and give 4 outputs; the bias has 3.
    expect(refusal(gemm(0, [3, 4]))).toMatch(/node 'fc' \(Gemm\): the weight B \[3, 4\] with transB = 0 gives 4 outputs, but bias C \[3\] has 3: is B transposed \(transB = 1\)\?/);
    expect(refusal(gemm(1, [3, 4]))).toBe('accepted');
  });

  it('a batch-varying Gemm bias is still named as such', () => {
    const msg = refusal({
      output: 'y',
      nodes: [{ op: 'Gemm', name: 'fc', inputs: ['x', 'w', 'b'], outputs: ['y'], attrs: { transB: 1 } }],
      inits: [{ name: 'w', dims: [3, 4] }, { name: 'b', dims: [2, 3] }],
    });
    expect(msg).toMatch(/bias C \[2, 3\] varies across the batch/);
  });

  it('a hostile attribute of 100,000 values gives a short message', () => {
    const msg = refusal({ input: { dims: [1, 1, 4, 4] }, output: 'y', nodes: [{ op: 'MaxPool', inputs: ['x'], outputs: ['y'], attrs: { kernel_shape: [2, 2], strides: new Array(1e5).fill(1) } }] });
    expect(msg).toMatch(/strides \[1, 1, 1, 1, 1, 1, 1, 1, \.\.\. \(100000 values\)\] does not have 2 values/);
    expect(msg.length).toBeLessThan(200);
  });
});
