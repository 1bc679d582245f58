// Issue 19: every node the importer refuses from the graph alone is listed at once, in graph order and grouped by
// op, before anything the import proper would stop at; `ohmnet inspect` lists them all and exits 0, compile exits 2.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../../src/import/onnx.js';
import { isOhmnetError } from '../../src/errors.js';
import { runCli } from '../helpers.js';
import { modelBytes, type ModelSpec } from './build.js';

function refusal(spec: ModelSpec): string {
  try {
    importOnnx(modelBytes(spec), 'm.onnx');
  } catch (e) {
    expect(isOhmnetError(e)).toBe(true);
    return (e as Error).message;
  }
  return 'accepted';
}

const H = 2;
/** A torch-style LSTM export: a Transpose to [T, N, I] that torch inserts, a bidirectional LSTM, then ops refused. */
const spec: ModelSpec = {
  input: { dims: [1, 3, 4] },
  output: 'y',
  nodes: [
    { op: 'Transpose', inputs: ['x'], outputs: ['t'], attrs: { perm: [1, 0, 2] } },
    { op: 'LSTM', inputs: ['t', 'W', 'R'], outputs: ['h'], attrs: { hidden_size: H, direction: 'bidirectional' } },
    { op: 'Round', inputs: ['h'], outputs: ['e'] },
    { op: 'LayerNormalization', inputs: ['e', 'g'], outputs: ['l'] },
    { op: 'Round', inputs: ['l'], outputs: ['y'] },
  ],
  inits: [{ name: 'W', dims: [2, 4 * H, 4] }, { name: 'R', dims: [2, 4 * H, H] }, { name: 'g', dims: [H] }],
};

describe('refusals list every refused node', () => {
  it('in graph order, grouped by op, the true blocker first and no word about the Transpose', () => {
    const msg = refusal(spec);
    expect(msg).not.toContain('\n');
    expect(msg).toMatch(/^the model has 4 nodes ohmnet refuses \(by op, in graph order\): LSTM 'LSTM_1': direction 'bidirectional' is not supported; export a forward/);
    expect(msg).toMatch(/; Round 'Round_2', 'Round_4': an op ohmnet does not support; LayerNormalization 'LayerNormalization_3': cannot be compiled exactly: it divides each sample by the standard deviation/);
    expect(msg).toMatch(/; supported ops: Abs, Add, /);
    expect(msg).not.toMatch(/Transpose_0|mixes samples/);
  });

  it('one refused node keeps the one-node form', () => {
    const msg = refusal({ output: 'y', nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['r'] }, { op: 'InstanceNormalization', inputs: ['r', 's', 'b'], outputs: ['y'] }], inits: [{ name: 's', dims: [4] }, { name: 'b', dims: [4] }] });
    expect(msg).toMatch(/^node 'InstanceNormalization_1' \(InstanceNormalization\): cannot be compiled exactly: it divides each channel by the standard deviation of its own activations/);
    expect(msg).not.toContain('supported ops');
  });

  it('a MatMul of two activations (attention) is refused naming the node and why', () => {
    const msg = refusal({
      input: { dims: [1, 3, 4] }, output: 'y',
      nodes: [{ op: 'Transpose', inputs: ['x'], outputs: ['t'], attrs: { perm: [0, 2, 1] } }, { op: 'MatMul', inputs: ['x', 't'], outputs: ['y'], name: 'scores' }],
    });
    expect(msg).toMatch(/^node 'scores' \(MatMul\) multiplies two activations .*which ohmnet cannot compile exactly: .*softmax inside the network/);
  });

  it('Div by an activation is refused naming the node and why', () => {
    const msg = refusal({ output: 'y', nodes: [{ op: 'Sigmoid', inputs: ['x'], outputs: ['s'] }, { op: 'Div', inputs: ['x', 's'], outputs: ['y'], name: 'q' }] });
    expect(msg).toMatch(/^node 'q' \(Div\) divides by an activation, which ohmnet cannot compile exactly/);
  });

  it('inspect lists them all and exits 0; compile exits 2 with the one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ohmnet-refusals-'));
    const file = join(dir, 'm.onnx');
    writeFileSync(file, modelBytes(spec));
    const i = await runCli(['inspect', file]);
    expect(i.code).toBe(0);
    expect(i.stdout).toMatch(/not compilable: 4 of 5 nodes are refused/);
    expect(i.stdout).toMatch(/^Round \(2\): an op ohmnet does not support\n {2}Round_2, Round_4$/m);
    expect(i.stdout).toMatch(/^Transpose_0\s+Transpose\s*$/m);
    expect(i.stdout).toMatch(/^LayerNormalization_3\s+LayerNormalization\s+refused$/m);
    const j = JSON.parse((await runCli(['inspect', file, '--json'])).stdout);
    expect(j.compilable).toBe(false);
    expect(j.producer).toBe('test');
    expect(j.refused.map((g: { op: string }) => g.op)).toEqual(['LSTM', 'Round', 'LayerNormalization']);
    const c = await runCli(['compile', file, '-o', join(dir, 'out')]);
    expect(c.code).toBe(2);
    expect(c.stderr.trim().split('\n')).toHaveLength(1);
    expect(c.stderr).toMatch(/the model has 4 nodes ohmnet refuses/);
  });
});
