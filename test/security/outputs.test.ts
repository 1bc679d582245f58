// Issue 20, items 2, 3, 8 and 13: what ohmnet may write or replace. --force replaces only a directory ohmnet wrote
// (its marker and nothing else), never the current directory or one that holds the model or other files, whether
// --force comes from the command line or a config file; run -o writes only regular files or new paths; the output is
// locked against a second run; file-system refusals are one line, exit 2, and nothing is left behind.

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockPathOf } from '../../src/io/output-dir.js';
import { FIXTURES, runCli } from '../helpers.js';

const model = join(FIXTURES, 'tiny_mlp.onnx');
const samples = join(FIXTURES, 'tiny_mlp.json');

function oneLine(r: { code: number; stdout: string; stderr: string }, re: RegExp): void {
  expect(r.code).toBe(2);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(re);
}

/** A project directory with a model and a training script, as a user keeps them. */
function project(): { dir: string; model: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ohmnet-proj-'));
  copyFileSync(model, join(dir, 'model.onnx'));
  writeFileSync(join(dir, 'train.py'), 'print("my training script")\n');
  return { dir, model: join(dir, 'model.onnx') };
}

describe('--force replaces only what ohmnet wrote', () => {
  it('-o . --force in a directory holding the model is refused; nothing is deleted', async () => {
    const p = project();
    const cwd = process.cwd();
    process.chdir(p.dir);
    try {
      oneLine(await runCli(['compile', 'model.onnx', '-o', '.', '--force']), /--force replaces only a directory that ohmnet wrote|would replace or contain the input/);
    } finally {
      process.chdir(cwd);
    }
    expect(readdirSync(p.dir).sort()).toEqual(['model.onnx', 'train.py']);
  });

  it('-o proj --force where proj holds the model and a script is refused', async () => {
    const p = project();
    oneLine(await runCli(['compile', p.model, '-o', p.dir, '--force']), /would replace or contain the input/);
    expect(readdirSync(p.dir).sort()).toEqual(['model.onnx', 'train.py']);
  });

  it('a directory without the marker, or with a file ohmnet did not write, is refused; ohmnet\'s own is replaced', async () => {
    const base = mkdtempSync(join(tmpdir(), 'ohmnet-force-'));
    const foreign = join(base, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'notes.txt'), 'mine');
    oneLine(await runCli(['compile', model, '-o', foreign, '--force']), /has no ohmnet marker file/);
    expect(readFileSync(join(foreign, 'notes.txt'), 'utf8')).toBe('mine');

    const ours = join(base, 'ours');
    expect((await runCli(['compile', model, '-o', ours])).code).toBe(0);
    expect((await runCli(['compile', model, '-o', ours, '--force', '--fan-in', '3'])).code).toBe(0);
    expect(JSON.parse(readFileSync(join(ours, 'summary.json'), 'utf8')).constraints.fanIn).toBe(3);
    writeFileSync(join(ours, 'my-notes.md'), 'notes');
    oneLine(await runCli(['compile', model, '-o', ours, '--force']), /holds files ohmnet did not write \(my-notes\.md\)/);
    expect(existsSync(join(ours, 'my-notes.md'))).toBe(true);
    expect(readdirSync(base).sort()).toEqual(['foreign', 'ours']);
  });

  it('"force": true in a config file is bound by the same rule', async () => {
    const p = project();
    const cfg = join(mkdtempSync(join(tmpdir(), 'ohmnet-cfg-')), 'ohmnet.config.json');
    writeFileSync(cfg, JSON.stringify({ force: true, output: p.dir }));
    oneLine(await runCli(['compile', p.model, '--config', cfg]), /would replace or contain the input/);
    expect(readdirSync(p.dir).sort()).toEqual(['model.onnx', 'train.py']);
  });

  it('the output is checked before any work (a second compile fails at once, not after computing)', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ohmnet-early-')), 'out');
    expect((await runCli(['compile', model, '-o', out])).code).toBe(0);
    const t0 = Date.now();
    oneLine(await runCli(['compile', join(FIXTURES, 'residual.onnx'), '-o', out, '--tolerance', '0.01', '--trials', '1000']), /already exists; pass --force/);
    // residual with 1000 Monte Carlo trials takes minutes: the refusal must come before the work.
    expect(Date.now() - t0).toBeLessThan(20_000);
  });
});

describe('a second run cannot write the same directory', () => {
  it('a lock held by a live process refuses the compile; a stale lock is taken over', async () => {
    const base = mkdtempSync(join(tmpdir(), 'ohmnet-lock-'));
    const out = join(base, 'out');
    expect((await runCli(['compile', model, '-o', out])).code).toBe(0);
    const lockName = readdirSync(base).find((f) => f.startsWith('.ohmnet-lock'));
    expect(lockName).toBeUndefined(); // released after the write
    // A lock held by pid 1 (always alive): as a second ohmnet would find the first one's.
    const planted = lockPathOf(join(base, 'other'));
    writeFileSync(planted, '1');
    oneLine(await runCli(['compile', model, '-o', join(base, 'other')]), /another ohmnet process \(pid 1\) is writing/);
    // A lock whose process is gone is stale: taken over.
    writeFileSync(planted, '999999999');
    expect((await runCli(['compile', model, '-o', join(base, 'other')])).code).toBe(0);
  });
});

describe('run -o writes only regular files or new paths', () => {
  const base = mkdtempSync(join(tmpdir(), 'ohmnet-runo-'));
  it.each([
    ['a FIFO', () => {
      const p = join(base, 'fifo');
      spawnSync('mkfifo', [p]);
      return p;
    }, (p: string) => expect(lstatSync(p).isFIFO()).toBe(true)],
    ['a symbolic link', () => {
      const target = join(base, 'precious.txt');
      writeFileSync(target, 'precious');
      const p = join(base, 'link');
      symlinkSync(target, p);
      return p;
    }, (p: string) => {
      expect(lstatSync(p).isSymbolicLink()).toBe(true);
      expect(readFileSync(readlinkSync(p), 'utf8')).toBe('precious');
    }],
    ['a directory', () => {
      const p = join(base, 'dir');
      mkdirSync(p);
      return p;
    }, (p: string) => expect(lstatSync(p).isDirectory()).toBe(true)],
  ])('refuses %s and leaves it as it was', async (what, make, check) => {
    const p = make();
    oneLine(await runCli(['run', model, '--inputs', samples, '-o', p]), new RegExp(`is ${what}; ohmnet writes only regular files or new paths`));
    check(p);
  });

  it('writes a new path and replaces a regular file', async () => {
    const p = join(base, 'outputs.json');
    expect((await runCli(['run', model, '--inputs', samples, '-o', p])).code).toBe(0);
    expect((await runCli(['run', model, '--inputs', samples, '-o', p])).code).toBe(0);
    expect(JSON.parse(readFileSync(p, 'utf8')).outputs).toHaveLength(24);
    expect(readdirSync(base).filter((f) => f.startsWith('.ohmnet'))).toEqual([]);
  });
});

describe('file-system refusals are one line, exit 2, nothing left behind', () => {
  const base = mkdtempSync(join(tmpdir(), 'ohmnet-fs-'));
  it('a 250-character output name works (temporary names stay within 255 bytes); 256 is refused', async () => {
    const long = join(base, 'a'.repeat(250));
    expect((await runCli(['compile', model, '-o', long])).code).toBe(0);
    oneLine(await runCli(['compile', model, '-o', join(base, 'b'.repeat(256))]), /a file name is too long \(ENAMETOOLONG\)/);
  });
  it('a path through a regular file (ENOTDIR), the root, and /proc', async () => {
    writeFileSync(join(base, 'file'), 'x');
    oneLine(await runCli(['compile', model, '-o', join(base, 'file', 'sub')]), /cannot write .*not a directory \(ENOTDIR\)|cannot write .*\(EEXIST\)/);
    oneLine(await runCli(['compile', model, '-o', '/']), /root of the file system|is or contains the current directory|would replace or contain/);
    oneLine(await runCli(['compile', model, '-o', '/proc/ohmnet-nope/x']), /cannot write '\/proc\/ohmnet-nope\/x'/);
    oneLine(await runCli(['run', model, '--inputs', samples, '-o', join(base, 'file', 'out.json')]), /cannot write .*(ENOTDIR|EEXIST)/);
    expect(readdirSync(base).filter((f) => f.startsWith('.ohmnet')).map((f) => basename(f))).toEqual([]);
  });
});
