// Issue 20 items 5 and 8: attribute ranges are checked against input shapes, and the sizes of what a node derives
// against --max-tensor-elements, before anything is allocated. Each case used to crash (exit 3), allocate absurdly or
// compile a non-finite network; each is now one line, exit 2, naming the node (and the option that raises a limit).

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../../src/import/onnx.js';
import { isOhmnetError } from '../../src/errors.js';
import { runCli } from '../helpers.js';
import { modelBytes, type AttrValue, type ModelSpec } from './build.js';

const tmp = mkdtempSync(join(tmpdir(), 'ohmnet-limits-'));
let counter = 0;

/** Runs inspect and run --stage source on the model; both must exit 2 with one line matching `re`. */
async function refusedByCli(spec: ModelSpec, re: RegExp, extra: string[] = []): Promise<void> {
  const model = join(tmp, `m${counter++}.onnx`);
  writeFileSync(model, modelBytes(spec));
  const dims = (spec.input?.dims ?? [1, 4]).slice(1).map(Number);
  const inputs = join(tmp, `s${counter++}.json`);
  writeFileSync(inputs, JSON.stringify({ inputs: [new Array(dims.reduce((a, b) => a * b, 1)).fill(0.5)] }));
  for (const args of [['inspect', model], ['run', model, '--inputs', inputs, '--stage', 'source']]) {
    const r = await runCli([...args, ...extra]);
    expect(r.code, r.stderr).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(re);
  }
}

function apiMessage(spec: ModelSpec, maxTensorElements?: number): string {
  try {
    importOnnx(modelBytes(spec), 'm.onnx', maxTensorElements ? { maxTensorElements } : {});
  } catch (e) {
    if (isOhmnetError(e)) return e.message;
    throw e;
  }
  return 'accepted';
}

const pool = (op: string, attrs: Record<string, AttrValue>, dims: number[] = [1, 1, 4, 4]): ModelSpec => ({
  input: { dims },
  output: 'y',
  nodes: [{ op, name: 'pool', inputs: ['x'], outputs: ['y'], attrs }],
});

describe('pooling windows and attribute ranges', () => {
  it('a MaxPool window wholly in the padding (no maximum) is refused at import', async () => {
    await refusedByCli(pool('MaxPool', { kernel_shape: [2, 2], pads: [3, 3, 0, 0] }), /node 'pool' \(MaxPool\): output 0 along spatial axis 0 is a window wholly in the padding/);
  });

  it('an AveragePool window wholly in the padding with count_include_pad = 0 (0/0) is refused', async () => {
    await refusedByCli(pool('AveragePool', { kernel_shape: [2, 2], pads: [0, 0, 0, 3] }), /node 'pool' \(AveragePool\): output 5 along spatial axis 1 is a window wholly in the padding/);
  });

  it('with count_include_pad = 1 the same window averages zeros and is legal', () => {
    expect(apiMessage(pool('AveragePool', { kernel_shape: [2, 2], pads: [0, 0, 0, 3], count_include_pad: 1 }))).toBe('accepted');
  });

  it('a dilated window that skips over the input entirely is found too', () => {
    // Input length 2, dilation 5, kernel 2, pads 5: window o has taps at o - 5 and o. Windows 0, 1, 5 and 6 (the first
    // and the last) hold an input element; windows 2 to 4 fall between, wholly in the padding.
    expect(apiMessage(pool('MaxPool', { kernel_shape: [2], dilations: [5], pads: [5, 5] }, [1, 1, 2]))).toMatch(/output 2 along spatial axis 0 is a window wholly in the padding/);
  });

  it('a kernel of 1e9 is larger than the padded input', async () => {
    await refusedByCli(pool('AveragePool', { kernel_shape: [1e9, 1e9] }), /node 'pool' \(AveragePool\): the window \(kernel 1000000000, dilation 1\) is larger than the padded input/);
  });

  it('a kernel of 1e9 inside pads of 1e9 needs more connections than the limit (no typed array of 1e20)', async () => {
    await refusedByCli(pool('AveragePool', { kernel_shape: [1e9, 1e9], pads: [1e9, 1e9, 1e9, 1e9], strides: [1e9, 1e9] }),
      /node 'pool' \(AveragePool\) needs 4000000000000000000 connections .*more than the limit of 268435456; if this is intended, raise it with --max-tensor-elements/);
  });

  it.each([
    ['strides 0', { kernel_shape: [2, 2], strides: [0, 0] }, /strides \[0, 0\] must be integers >= 1/],
    ['negative strides', { kernel_shape: [2, 2], strides: [-1, 1] }, /strides \[-1, 1\] must be integers >= 1/],
    ['dilations 0', { kernel_shape: [2, 2], dilations: [0, 1] }, /dilations \[0, 1\] must be integers >= 1/],
    ['kernel 0', { kernel_shape: [0, 2] }, /kernel_shape \[0, 2\] must be integers >= 1/],
    ['negative pads', { kernel_shape: [2, 2], pads: [-1, 0, 0, 0] }, /pads \[-1, 0, 0, 0\] must be integers >= 0/],
    ['kernel larger than the padded input', { kernel_shape: [9, 9], pads: [1, 1, 1, 1] }, /window \(kernel 9, dilation 1\) is larger than the padded input/],
  ])('MaxPool with %s', async (_, attrs, re) => {
    await refusedByCli(pool('MaxPool', attrs as Record<string, AttrValue>), re as RegExp);
  });
});

describe('Pad, Reshape and Unsqueeze sizes', () => {
  const pad = (pads: number[], axes?: number[]): ModelSpec => ({
    opset: 18,
    output: 'y',
    nodes: [{ op: 'Pad', name: 'pad', inputs: axes ? ['x', 'p', '', 'a'] : ['x', 'p'], outputs: ['y'] }],
    inits: [{ name: 'p', dims: [pads.length], values: pads, type: 'int64' }, ...(axes ? [{ name: 'a', dims: [axes.length], values: axes, type: 'int64' as const }] : [])],
  });

  it('Pad axes [-100] are refused, not ignored', async () => {
    await refusedByCli(pad([1, 1], [-100]), /node 'pad' \(Pad\): axis -100 is outside a rank-2 tensor/);
  });

  it('Pad axes that repeat an axis are refused', () => {
    expect(apiMessage(pad([1, 1, 1, 1], [1, -1]))).toMatch(/axes \[1, -1\] repeat an axis/);
  });

  it('Pad axes [-1] pad the last axis', () => {
    const g = importOnnx(modelBytes(pad([1, 2], [-1])), 'm.onnx');
    expect(g.nodes[0]).toMatchObject({ kind: 'pad', pads: [1, 2] });
  });

  it('Pad to 10^15 elements is refused by the tensor limit', async () => {
    await refusedByCli(pad([0, 1e15, 0, 1e15]), /output of node 'pad' has shape \[2000000000000004\], more than the limit of 268435456 elements; .*--max-tensor-elements/);
  });

  it('an absurd Reshape target and a rank of 40 are refused', () => {
    const reshape = (target: number[]): ModelSpec => ({
      output: 'y', nodes: [{ op: 'Reshape', name: 'rs', inputs: ['x', 's'], outputs: ['y'] }], inits: [{ name: 's', dims: [target.length], values: target, type: 'int64' }],
    });
    expect(apiMessage(reshape([1, 1e15, -1]))).toMatch(/node 'rs' \(Reshape\): cannot reshape per-sample \[4\] to \[1, 1000000000000000, -1\]/);
    expect(apiMessage(reshape([1, ...new Array(39).fill(1), 4]))).toMatch(/the target shape has 41 dimensions, more than the 33/);
  });

  it('an Unsqueeze of a thousand axes is refused before building the shape', () => {
    const axes = Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(apiMessage({ output: 'y', nodes: [{ op: 'Unsqueeze', name: 'u', inputs: ['x', 'a'], outputs: ['y'] }], inits: [{ name: 'a', dims: [1000], values: axes, type: 'int64' }] }))
      .toMatch(/node 'u' \(Unsqueeze\): the output has 1002 dimensions/);
  });
});

describe('derived sizes against maxTensorElements', () => {
  const conv: ModelSpec = {
    input: { dims: [1, 1, 100, 100] },
    output: 'y',
    nodes: [{ op: 'Conv', name: 'conv', inputs: ['x', 'w'], outputs: ['y'] }],
    inits: [{ name: 'w', dims: [1, 1, 3, 3] }],
  };

  it('a convolution whose connections exceed the limit names the option (flag on the CLI, option name in the API)', async () => {
    // 98 x 98 outputs of 9 taps each: 86,436 connections, 9,604 output elements.
    await refusedByCli(conv, /node 'conv' \(Conv\) needs 86436 connections .*limit of 50000; if this is intended, raise it with --max-tensor-elements/, ['--max-tensor-elements', '50000']);
    expect(apiMessage(conv, 50_000)).toMatch(/raise it with maxTensorElements/);
    expect(apiMessage(conv, 100_000)).toBe('accepted');
  });
});
