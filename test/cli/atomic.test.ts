// Atomic output: a failed or interrupted compile leaves no output directory and no temporary files.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeOutputDir } from '../../src/io/output-dir.js';
import { FIXTURES, ROOT, runCli } from '../helpers.js';

describe('atomic output directories', () => {
  it('a writer that fails after the first file leaves neither the directory nor a temporary', () => {
    const parent = mkdtempSync(join(tmpdir(), 'ohmnet-atomic-'));
    const target = join(parent, 'out');
    expect(() => writeOutputDir(target, new Map([
      ['a.txt', (p: string) => writeFileSync(p, 'a')],
      ['b.txt', () => {
        throw new Error('disk full');
      }],
    ]), false)).toThrow(/disk full/);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('a compile that fails mid-way (SPICE runs out of time after compile and realization) writes nothing', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'ohmnet-atomic-'));
    const r = await runCli(['compile', join(FIXTURES, 'digits_cnn.onnx'), '-o', join(parent, 'out'), '--verify', '--engine', 'wasm', '--spice-timeout', '0.001']);
    expect(r.code).toBe(2);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('Ctrl-C during a compile exits 130 and leaves nothing behind', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'ohmnet-atomic-'));
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'ohmnet.js'), 'compile', join(FIXTURES, 'digits_cnn.onnx'), '-o', join(parent, 'out'),
      '--calibration', join(FIXTURES, 'digits_test.json'), '--tolerance', '0.01', '--trials', '100000', '--workers', '1'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // Monte Carlo of 100,000 trials runs for minutes; interrupt it after the compile has started.
    await new Promise((r) => setTimeout(r, 3000));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted \(SIGINT\); no output was written/);
    expect(existsSync(join(parent, 'out'))).toBe(false);
    expect(readdirSync(parent)).toEqual([]);
  });
});
