// `ohmnet inspect` and `ohmnet run` on every fixture, in human and JSON form, through the CLI entry point.

import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFixture, maxAbs, maxAbsDiff, MODEL_FIXTURES, runCli } from '../helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'ohmnet-cli-'));

describe.each(MODEL_FIXTURES)('%s', (name) => {
  const fx = loadFixture(name);
  const inputsFile = join(tmp, `${name}-inputs.json`);
  writeFileSync(inputsFile, JSON.stringify({ inputs: fx.inputs }));

  it('inspect prints a per-layer table with totals', async () => {
    const r = await runCli(['inspect', fx.path]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/layer\s+op\s+input\s+output\s+params\s+MACs/);
    expect(r.stdout).toMatch(/^total\s+\d+ layers/m);
    for (const op of fx.opTypes.filter((o) => !['Constant', 'Identity', 'Dropout'].includes(o))) expect(r.stdout).toContain(op);
  });

  it('inspect --json gives the documented fields, consistent totals', async () => {
    const r = await runCli(['inspect', fx.path, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j).sort()).toEqual(['format', 'input', 'layers', 'model', 'origin', 'output', 'totals']);
    expect(j.format).toBe('onnx');
    expect(j.input.shape).toEqual(fx.inputShape);
    expect(j.output.shape).toEqual([fx.outputs[0].length]);
    for (const l of j.layers) {
      expect(Object.keys(l).sort()).toEqual(['inputShapes', 'kind', 'macs', 'name', 'op', 'outputShape', 'parameters']);
    }
    expect(j.totals.layers).toBe(j.layers.length);
    expect(j.totals.parameters).toBe(j.layers.reduce((s: number, l: { parameters: number }) => s + l.parameters, 0));
    expect(j.totals.macs).toBeGreaterThan(0);
  });

  it('run --json prints outputs matching torch', async () => {
    const r = await runCli(['run', fx.path, '--inputs', inputsFile, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.stage).toBe('source');
    expect(j.outputs).toHaveLength(fx.inputs.length);
    expect(maxAbsDiff(j.outputs, fx.outputs) / maxAbs(fx.outputs)).toBeLessThanOrEqual(fx.weightsExact ? 1e-9 : 1e-6);
  });

  it('run reads CSV and writes -o atomically', async () => {
    const csv = join(tmp, `${name}.csv`);
    writeFileSync(csv, `${fx.inputs[0].map((_, i) => `x${i}`).join(',')}\n${fx.inputs.map((r) => r.join(',')).join('\n')}\n`);
    const out = join(tmp, `${name}-out`, 'outputs.json');
    const r = await runCli(['run', fx.path, '--inputs', csv, '-o', out]);
    expect(r.code).toBe(0);
    const j = JSON.parse(readFileSync(out, 'utf8'));
    expect(j.outputs).toHaveLength(fx.inputs.length);
    expect(readdirSync(join(tmp, `${name}-out`))).toEqual(['outputs.json']);
  });
});

describe('run: bad sample files', () => {
  const fx = loadFixture('iris_mlp');
  it.each([
    ['{"inputs": [[1,2,3]]}', /sample 0 has 3 values, the model input \[4\] needs 4/],
    ['{"inputs": [[1,2,3,"a"]]}', /sample 0 value 3 is not a finite number/],
    ['{"inputs": []}', /contains no samples/],
    ['{"inputs": [[1,2,3,4]', /invalid JSON/],
    ['{"samples": [[1,2,3,4]]}', /no "inputs" array/],
    ['1,2,3,4\n5,6,7\n', /sample 1 has 3 values/],
    ['1,2,3,x\n', /sample 0 value 3 is not a finite number/],
  ])('%j is refused', async (text, re) => {
    const f = join(tmp, `bad-${Math.abs(hash(text))}.txt`);
    writeFileSync(f, text);
    const r = await runCli(['run', fx.path, '--inputs', f]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(re);
  });

  it('a missing inputs file is refused', async () => {
    const r = await runCli(['run', fx.path, '--inputs', join(tmp, 'nope.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no such file/);
  });
});

function hash(s: string): number {
  let h = 0;
  for (const ch of s) h = (h * 31 + ch.charCodeAt(0)) | 0;
  return h;
}
