// The installed binary (bin/ohmnet.js -> dist/): real process, real exit codes, nothing on stdout for errors.
// `npm test` builds dist/ first (pretest), so this exercises what a user runs.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT } from '../helpers.js';

const bin = join(ROOT, 'bin', 'ohmnet.js');
const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

describe('ohmnet binary', () => {
  it('--help lists the commands and exits 0', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/inspect/);
    expect(r.stdout).toMatch(/run/);
  });

  it('inspect exits 0 with a table', () => {
    const r = run(['inspect', join(FIXTURES, 'digits_cnn.onnx')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Conv/);
  });

  it('a bad model exits 2 with one line on stderr and no stack trace', () => {
    const r = run(['inspect', join(FIXTURES, 'bad', 'nan_initializer.onnx')]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('an unknown option exits 2', () => {
    expect(run(['inspect', '--nope']).status).toBe(2);
  });
});
