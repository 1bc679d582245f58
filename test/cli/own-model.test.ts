// The README's "your own model" flow, as written, on a model with standardized inputs and a labelled test set
// (issue 10): fixtures/wine/ (sklearn wine, StandardScaler, a 13-16-3 MLP; fixtures/wine/make_wine.py). Held-out
// features reach 4.48 where the training split stops at 3.69, so the signal headroom decides whether the circuit
// clips: the verdicts must say so, and a run with enough headroom must pass every one.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli } from '../helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'ohmnet-own-'));
const dir = join(FIXTURES, 'wine');
const args = (out: string, headroom: string) => ['compile', join(dir, 'model.onnx'), '-o', out, '--calibration', join(dir, 'train.json'), '--test', join(dir, 'test.json'),
  '--fan-in', '32', '--fan-out', '32', '--signal-limit', '5', '--signal-headroom', headroom, '--resistors', 'E96', '--tolerance', '0.01', '--verify', '--engine', 'wasm'];
type V = { check: string; pass: boolean; on: string };

describe("the README's own-model flow on standardized inputs", () => {
  it('with headroom 0.2 the held-out samples beyond it clip: the test-set verdicts fail and it exits 1', async () => {
    const r = await runCli([...args(join(tmp, 'a'), '0.2'), '--json']);
    expect(r.code).toBe(1);
    const failed = (JSON.parse(r.stdout).verdicts as V[]).filter((v) => !v.pass).map((v) => `${v.check}/${v.on}`);
    expect(failed).toContain('signal-limit/test');
    expect(failed).toContain('input-range/test');
    expect(failed.every((f) => f.endsWith('/test'))).toBe(true);
  });

  it('with headroom 0.35 every verdict passes (accuracy on the labelled test set included), then verify and run use the project', async () => {
    const out = join(tmp, 'b');
    const r = await runCli([...args(out, '0.35'), '--json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect((s.verdicts as V[]).every((v) => v.pass)).toBe(true);
    expect((s.verdicts as V[]).map((v) => v.check)).toEqual(expect.arrayContaining(['accuracy', 'input-range', 'spice']));
    expect(s.accuracy.realized).toBe(1);
    const v = await runCli(['verify', out, '--spice', '--engine', 'wasm', '--json']);
    expect(v.code).toBe(0);
    const run = await runCli(['run', out, '--inputs', join(dir, 'test.json'), '--stage', 'realized', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).outputs).toHaveLength(JSON.parse(readFileSync(join(dir, 'test.json'), 'utf8')).inputs.length);
  });
});
