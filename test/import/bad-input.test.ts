// Every kind of bad model input gets a one-line error, exit code 2, and no stack trace.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli } from '../helpers.js';

const bad = (JSON.parse(readFileSync(join(FIXTURES, 'bad', 'cases.json'), 'utf8')) as { cases: { name: string; file: string }[] }).cases;

/**
 * Fixtures written when their op was refused, read since issue 11: Gather with evenly spaced indices becomes a slice,
 * a forward LSTM a recurrent node (the input [5, 2, 4] has its batch at axis 1, the LSTM's layout 0). Each lists the
 * line inspect prints for the op.
 */
const NOW_IMPORTED: Record<string, RegExp> = {
  unsupported_gather: /Gather_0\s+Gather\s+\[4\]\s+\[2\]/,
  unsupported_lstm: /LSTM_0\s+LSTM\s+\[5,4\]\s+\[5,1,3\]\s+108/,
};

/** What each bad fixture's message must say: the problem and, where there is one, the fix. */
const EXPECT: Record<string, RegExp> = {
  two_outputs: /has 2 outputs .*needs exactly one/,
  two_inputs: /has 2 inputs .*needs exactly one/,
  symbolic_feature_dim: /dynamic dimensions.*--input-shape/,
  nan_initializer: /contains NaN at index \d+; NaN or infinite weights/,
  inf_initializer: /contains -?Infinity at index \d+/,
  external_data: /stores its data in an external file.*re-export with the weights embedded/,
  absurd_dims: /shape \[100000, 100000, 1000\], more than the limit.*--max-tensor-elements/,
  empty: /is empty \(0 bytes\)/,
  truncated: /is not a valid ONNX model/,
  notonnx: /(not a valid ONNX model|contains no graph)/,
};

describe('bad model files', () => {
  it('covers every committed bad fixture', () => {
    expect(bad.map((c) => c.name).sort()).toEqual([...Object.keys(EXPECT), ...Object.keys(NOW_IMPORTED)].sort());
  });

  it.each(Object.entries(NOW_IMPORTED))('%s (once refused) is imported', async (name, line) => {
    const r = await runCli(['inspect', join(FIXTURES, 'bad', `${name}.onnx`)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(line);
  });

  it.each(bad.filter((c) => !NOW_IMPORTED[c.name]))('$name: one-line error, exit 2', async (c) => {
    for (const cmd of ['inspect', 'run']) {
      const args = cmd === 'run' ? ['run', join(FIXTURES, 'bad', c.file), '--inputs', join(FIXTURES, 'tiny_mlp.json')] : ['inspect', join(FIXTURES, 'bad', c.file)];
      const r = await runCli(args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^ohmnet: error: /);
      expect(lines[0]).toMatch(EXPECT[c.name]);
      expect(lines[0]).not.toMatch(/\bat .*\.(ts|js):\d+/);
    }
  });

  it('a symbolic feature dimension is accepted once --input-shape gives it', async () => {
    const r = await runCli(['inspect', join(FIXTURES, 'bad', 'symbolic_feature_dim.onnx'), '--input-shape', '5', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).input.shape).toEqual([5]);
  });

  it('the tensor size limit is configurable', async () => {
    const r = await runCli(['inspect', join(FIXTURES, 'iris_mlp.onnx'), '--max-tensor-elements', '10']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/more than the limit of 10 elements/);
  });

  it.each([
    [['inspect', '/no/such/model.onnx'], /cannot read '\/no\/such\/model.onnx': no such file/],
    [['inspect', FIXTURES], /it is a directory, not a regular file/],
    [['inspect', join(FIXTURES, 'iris_mlp.onnx'), '--input-shape', '4,x'], /--input-shape '4,x' is not a list of positive integers/],
    [['inspect', join(FIXTURES, 'iris_mlp.onnx'), '--input-shape', '5'], /--input-shape \[5\] does not fit input/],
    [['inspect', join(FIXTURES, 'iris_mlp.onnx'), '--max-tensor-elements', '-3'], /--max-tensor-elements '-3' is not an integer >= 1/],
    [['run', join(FIXTURES, 'iris_mlp.onnx')], /run needs samples: pass --inputs FILE/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['inspect', join(FIXTURES, 'iris_mlp.onnx'), '--bogus'], /unknown option '--bogus'/],
  ])('usage error %j', async (args, re) => {
    const r = await runCli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(re);
  });
});
