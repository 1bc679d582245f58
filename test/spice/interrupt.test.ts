// Issue 20, items 7 and 10, on the CLI process. An interrupt (SIGTERM, SIGINT, SIGHUP) of ohmnet while ngspice runs leaves neither ngspice
// running nor its temporary directory. The real CLI (`verify --spice --engine ngspice` on the digits CNN) and a
// direct transient run are started as child processes with a temporary directory of their own, signalled once
// their ngspice is seen in /proc, and then checked: exit code 128 + signal, no live ngspice, nothing left behind.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ngspiceAvailable } from '../../src/spice/engines/index.js';
import { FIXTURES, ROOT } from '../helpers.js';
import { alive, childProcesses } from './processes.js';

const HAS_NGSPICE = ngspiceAvailable() && process.platform === 'linux';
const HELPER = join(ROOT, 'test', 'spice', 'interrupted.ts');
const EXIT_CODE = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts the helper with its own TMPDIR; resolves when its ngspice is running, with that process's id. */
async function startUntilNgspice(args: string[], tmp: string): Promise<{ child: ChildProcess; ngspice: number; exit: Promise<number | null>; stderr: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', HELPER, ...args], {
    cwd: ROOT,
    env: { ...process.env, TMPDIR: tmp },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (b: Buffer) => (err += b.toString()));
  child.stdout?.resume();
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const until = Date.now() + 150_000;
  while (Date.now() < until && child.exitCode === null) {
    const [pid] = childProcesses('ngspice', child.pid);
    if (pid !== undefined) return { child, ngspice: pid, exit, stderr: () => err };
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`ngspice never started (exit ${child.exitCode}): ${err}`);
}

async function interruptAndCheck(args: string[], signal: keyof typeof EXIT_CODE): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'ohmnet-interrupt-test-'));
  try {
    const run = await startUntilNgspice(args, tmp);
    // ngspice works in a directory of its own under TMPDIR: there is something to clean up.
    expect(readdirSync(tmp).filter((f) => f.startsWith('ohmnet-ngspice-'))).toHaveLength(1);
    await sleep(300);
    expect(alive(run.ngspice)).toBe(true);
    run.child.kill(signal);
    expect(await run.exit).toBe(EXIT_CODE[signal]);
    expect(run.stderr()).toContain(`ohmnet: interrupted (${signal})`);
    // SIGKILL to ngspice's process group was sent before the exit; give the kernel a moment to deliver it.
    for (let i = 0; i < 50 && alive(run.ngspice); i++) await sleep(20);
    expect(alive(run.ngspice)).toBe(false);
    // (tsx, which runs the helper from source, keeps its compile cache there too.)
    expect(readdirSync(tmp).filter((f) => !f.startsWith('tsx-'))).toEqual([]);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

describe.skipIf(!HAS_NGSPICE)('an interrupt while ngspice runs', () => {
  it('SIGTERM to `ohmnet verify --spice --engine ngspice` kills ngspice and removes its directory', async () => {
    await interruptAndCheck(['cli', 'verify', join(FIXTURES, 'digits_cnn.onnx'), '--spice', '--engine', 'ngspice', '--samples', '200'], 'SIGTERM');
  }, 240_000);

  it.each(['SIGINT', 'SIGHUP', 'SIGTERM'] as const)('%s during a long transient run: the same', async (signal) => {
    await interruptAndCheck(['engine'], signal);
  }, 240_000);
});

describe('--spice-timeout at both ends (issue 20, item 10)', () => {
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', HELPER, 'cli', 'verify', join(FIXTURES, 'xor.onnx'), '--spice', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
    });

  it('2,147,484 s (the first value past Node\'s 2^31 ms timer) runs to the end without a warning', () => {
    const r = cli('--spice-timeout', '2147484');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/on 20 calibration samples.*\n.*: agree/);
  }, 120_000);

  it('a limit too short to run anything is a one-line time-out, exit code 2', () => {
    const r = cli('--spice-timeout', '1e-6');
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/did not finish 20 operating points within the time limit of 0.000001 s/);
  }, 120_000);
});
