// One ngspice batch run for the synapse decks (characterize.ts, transistor-netlist.ts): the deck in a temporary
// directory, `ngspice -n -b`, the files its `wrdata` lines wrote read back, everything removed afterwards. ngspice
// runs in its own process group, killed as a group at the deadline or on an interrupt (util/cleanup.ts), like the
// engines in src/spice/engines/.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inputError } from '../errors.js';
import { SYNAPSE_MESSAGES as YM } from '../messages/synapse.js';
import { findNgspice } from '../spice/engines/ngspice.js';
import { onCleanupResource } from '../util/cleanup.js';

/** Runs `deck` (its control block writes `files` with wrdata) and returns each file's rows of numbers. */
export async function runNgspiceDeck(what: string, deck: string, files: readonly string[], timeoutMs: number): Promise<number[][][]> {
  const binary = findNgspice();
  if (binary === undefined) throw inputError(YM.noNgspice());
  const dir = mkdtempSync(join(tmpdir(), 'ohmnet-synapse-'));
  const unregisterDir = onCleanupResource({ kind: 'path', path: dir });
  try {
    writeFileSync(join(dir, 'deck.cir'), deck);
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(binary, ['-n', '-b', 'deck.cir'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
      const unregister = child.pid !== undefined ? onCleanupResource({ kind: 'process-group', pid: child.pid }) : () => undefined;
      const err: Buffer[] = [];
      child.stderr?.on('data', (b: Buffer) => err.push(b));
      const timer = setTimeout(() => {
        if (child.pid !== undefined) {
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            // gone
          }
        }
      }, timeoutMs);
      child.on('error', (e) => {
        clearTimeout(timer);
        unregister();
        reject(inputError(YM.ngspiceFailed(what, e.message)));
      });
      child.on('close', (c) => {
        clearTimeout(timer);
        unregister();
        resolve({ code: c, stderr: Buffer.concat(err).toString('utf8') });
      });
    });
    const fatal = stderr.split('\n').find((l) => /error|fatal|singular|no convergence|timestep too small/i.test(l));
    if (code !== 0 || fatal !== undefined) throw inputError(YM.ngspiceFailed(what, fatal?.trim() ?? `exit code ${code}`));
    return files.map((f) => {
      let text: string;
      try {
        text = readFileSync(join(dir, f), 'utf8');
      } catch {
        throw inputError(YM.ngspiceOutput(what, `no file ${f}`));
      }
      return text
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => l.trim().split(/\s+/).map(Number));
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    unregisterDir();
  }
}
