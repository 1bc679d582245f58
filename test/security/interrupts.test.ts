// Issue 20, item 6: Ctrl-C, SIGTERM and SIGHUP act within a second in every long stage, synchronous ones included
// (the binary runs the CLI in a worker under a supervisor that stays free to handle signals). For each stage of a
// compile of a large model, the test waits until the stage has started (OHMNET_PROGRESS_LOG=1 prints each stage),
// sends the signal, and checks: the process is gone within a second, with 128 + the signal number, one true line, no
// output directory, no temporary file, no lock and no child process left.

import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ngspiceAvailable } from '../../src/spice/engines/index.js';
import { FIXTURES, ROOT } from '../helpers.js';
import { chainBytes } from '../import/build.js';

const base = mkdtempSync(join(tmpdir(), 'ohmnet-interrupts-'));
const chain = join(base, 'chain.onnx');
// 20,000 layers: each stage of its compile (T-transformation, realization, report, writing) runs for a second or more.
writeFileSync(chain, chainBytes(20_000, 'relu'));

interface Outcome { code: number | null; afterSignalMs: number; stderr: string; children: string[] }

/** Processes whose parent is `pid` (from /proc). */
function childrenOf(pid: number): string[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try {
      return Number(readFileSync(`/proc/${p}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[1]) === pid;
    } catch {
      return false;
    }
  });
}

function interrupt(args: string[], stage: string, signal: NodeJS.Signals): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'ohmnet.js'), ...args], { env: { ...process.env, OHMNET_PROGRESS_LOG: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let sentAt = 0;
    let children: string[] = [];
    let armed = false;
    const waitForChild = stage.startsWith('SPICE');
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`stage '${stage}' never started: ${stderr}`));
    }, 150_000);
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!armed && stderr.includes(`ohmnet: stage ${stage}\n`)) {
        armed = true;
        // Well inside the stage, not at its first instruction; in the SPICE stage, once ngspice runs.
        const started = Date.now();
        const fire = () => {
          children = childrenOf(child.pid!);
          if (waitForChild && children.length === 0 && Date.now() - started < 60_000) return void setTimeout(fire, 100);
          sentAt = Date.now();
          child.kill(signal);
        };
        setTimeout(fire, 300);
      }
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, afterSignalMs: sentAt ? Date.now() - sentAt : -1, stderr, children });
    });
  });
}

const EXIT = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

/** The processes of `pids` still running after up to a second (a killed process may take a moment to be reaped;
 * a zombie is dead). */
async function survivors(pids: string[]): Promise<string[]> {
  const alive = () => pids.filter((p) => {
    try {
      return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${p}/stat`, 'utf8'));
    } catch {
      return false;
    }
  });
  for (let t = 0; t < 10 && alive().length > 0; t++) await new Promise((r) => setTimeout(r, 100));
  return alive();
}

describe('an interrupt acts within a second in every long stage', () => {
  const cases: [string, string[], NodeJS.Signals][] = [
    ['T-transformation', ['compile', chain], 'SIGTERM'],
    ['realization', ['compile', chain], 'SIGINT'],
    ['report', ['compile', chain], 'SIGHUP'],
    ['writing', ['compile', chain], 'SIGTERM'],
    ['Monte Carlo', ['compile', join(FIXTURES, 'digits_cnn.onnx'), '--tolerance', '0.01', '--trials', '100000'], 'SIGINT'],
    ['SPICE (24 samples)', ['compile', join(FIXTURES, 'residual.onnx'), '--verify', '--engine', 'ngspice', '--samples', '24', '--spice-timeout', '600', '--calibration', join(FIXTURES, 'residual.json')], 'SIGTERM'],
  ];
  it.each(cases.filter((c) => ngspiceAvailable() || !c[0].startsWith('SPICE')))('%s', async (stage, args, signal) => {
    const parent = mkdtempSync(join(base, 'run-'));
    const r = await interrupt([...args, '-o', join(parent, 'out')], stage, signal);
    expect(r.code, r.stderr).toBe(EXIT[signal as keyof typeof EXIT]);
    expect(r.afterSignalMs).toBeGreaterThanOrEqual(0);
    expect(r.afterSignalMs).toBeLessThan(1000);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe(`ohmnet: interrupted (${signal}); no output was written`);
    expect(readdirSync(parent)).toEqual([]);
    // No child of the interrupted process (ngspice in the SPICE stage) outlives it.
    expect(await survivors(r.children)).toEqual([]);
    if (stage.startsWith('SPICE')) expect(r.children.length).toBeGreaterThan(0);
  }, 180_000);
});

describe('standard output errors are one line, exit 2', () => {
  it('a reader that closes the pipe (ohmnet run ... | head -1)', async () => {
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [join(ROOT, 'bin', 'ohmnet.js'), 'run', join(FIXTURES, 'digits_cnn.onnx'), '--inputs', join(FIXTURES, 'digits_test.json')], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.once('data', () => child.stdout.destroy());
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toEqual(['ohmnet: error: cannot write to standard output: the reader closed the pipe (EPIPE)']);
  }, 60_000);
});
