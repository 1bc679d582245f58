// The `ngspice` engine: Debian's ngspice program in batch mode, one process per chunk of samples (one chunk
// unless the sample set is very large) or per transient run, on a deck file in a temporary directory. Values
// come back on stdout (`print` with 17 digits); markers on stderr tie each message to its sample. On a failed
// sample, a time-out or a parse error the process is killed at once.
//
// Nothing outlives a request: ngspice runs in its own process group, killed as a group (SIGKILL) on a time-out,
// a failure or an interrupt, and the temporary directory is removed on every exit path. Both are registered
// with util/cleanup.ts while they exist, so an interrupt handler that calls runCleanups() (cli/main.ts) removes
// them too (issue 20, item 7).

import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { inputError } from '../../errors.js';
import { SM } from '../../messages/index.js';
import { onCleanupResource } from '../../util/cleanup.js';
import type { Method } from './dc.js';
import { armDeadline } from './deadline.js';
import { isFatalLine } from './deck.js';
import { runOperatingPoints, runTransient, TimedOut, type Backend, type EngineSession, type RunOutput } from './runner.js';
import type {
  EngineOptions,
  OperatingPointRequest,
  OperatingPointResult,
  SpiceEngine,
  TransientRequest,
  TransientResult,
} from './types.js';

/** Netlist size per ngspice process: bounds its memory on very large sample sets. */
const MAX_NETLIST_CHARS = 64_000_000;
/** How much of stderr to keep (the start holds parse errors; markers cut the rest). */
const MAX_STDERR_CHARS = 4_000_000;

/** The ngspice program found on the search path (PATH by default), or undefined. */
export function findNgspice(searchPath: string | undefined = process.env.PATH): string | undefined {
  for (const dir of (searchPath ?? '').split(delimiter)) {
    if (dir === '') continue;
    const file = join(dir, 'ngspice');
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Kills the process and everything it started (it leads its own process group: spawned detached). */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/**
 * Runs ngspice on one deck file; resolves with its output, or rejects with TimedOut at the deadline.
 *
 * Its error stream goes to a file opened for appending rather than to a pipe: the script's per-sample markers
 * (`echo ... >> /dev/stderr`) reopen that stream, which works for a file but not for the socket Node gives a
 * child, and appending keeps markers and ngspice's own messages in order. The file is read as it grows, to
 * stop ngspice at the first failed sample.
 */
async function runNgspice(binary: string, file: string, dir: string, deadline: number): Promise<RunOutput> {
  const errFile = join(dir, 'stderr.txt');
  const errWriter = await open(errFile, 'a');
  const errReader = await open(errFile, 'r');
  try {
    return await new Promise<RunOutput>((resolve, reject) => {
      // -n: no spinit or .spiceinit (command files); detached: its own process group, so that killing the group
      // also ends anything it started.
      const child = spawn(binary, ['-n', '-b', file], { cwd: dir, stdio: ['ignore', 'pipe', errWriter.fd], detached: true });
      const unregister = child.pid !== undefined ? onCleanupResource({ kind: 'process-group', pid: child.pid }, () => killGroup(child)) : () => undefined;
      const out: Buffer[] = [];
      const errChunks: Buffer[] = [];
      let errChars = 0;
      let errTail = '';
      let errPos = 0;
      let reading = false;
      let fatal = false;
      let done = false;
      const readErr = async (): Promise<void> => {
        if (reading) return;
        reading = true;
        try {
          const buf = Buffer.alloc(1 << 16);
          for (;;) {
            const { bytesRead } = await errReader.read(buf, 0, buf.length, errPos);
            if (bytesRead === 0) break;
            errPos += bytesRead;
            const piece = Buffer.from(buf.subarray(0, bytesRead));
            if (errChars < MAX_STDERR_CHARS) {
              errChunks.push(piece);
              errChars += bytesRead;
            }
            // Stop at the first failed sample: nothing after it is needed and a failing circuit is slow.
            const text = errTail + piece.toString('latin1');
            const cut = text.lastIndexOf('\n');
            errTail = cut < 0 ? text : text.slice(cut + 1);
            if (!fatal && cut >= 0 && text.slice(0, cut).split('\n').some(isFatalLine)) {
              fatal = true;
              // Give ngspice a moment to finish the message, then stop it.
              setTimeout(() => killGroup(child), 20);
            }
          }
        } finally {
          reading = false;
        }
      };
      const poll = setInterval(() => void readErr().catch(() => undefined), 25);
      const finish = (f: () => void) => {
        if (done) return;
        done = true;
        cancelTimer();
        clearInterval(poll);
        f();
      };
      // At the deadline: kill, and reject once the process is gone (so that nothing of it outlives the call),
      // or after a second if it does not go.
      let timedOut = false;
      const cancelTimer = armDeadline(deadline, () => {
        timedOut = true;
        killGroup(child);
        setTimeout(() => finish(() => reject(new TimedOut())), 1000).unref();
      });
      child.stdout?.on('data', (b: Buffer) => out.push(b));
      child.on('error', (e: NodeJS.ErrnoException) => {
        unregister();
        finish(() => reject(inputError(SM.ngspiceNotRunnable(e.code ?? e.message))));
      });
      child.on('close', (code, signal) => {
        unregister();
        if (timedOut) finish(() => reject(new TimedOut()));
        if (done) return;
        const stdout = Buffer.concat(out).toString('utf8');
        const ending = fatal ? undefined : signal ? `killed by ${signal}` : code !== 0 ? `exit code ${code}` : undefined;
        // Wait for a poll still reading, then read what is left.
        const settle = async () => {
          while (reading) await new Promise((r) => setTimeout(r, 5));
          await readErr();
        };
        settle().then(
          () => finish(() => resolve({ stdout, messages: Buffer.concat(errChunks).toString('utf8'), ending, truncated: false })),
          (e: Error) => finish(() => reject(e)),
        );
      });
    });
  } finally {
    await errWriter.close();
    await errReader.close();
    await rm(errFile, { force: true });
  }
}

/** A temporary directory for one request, removed on close or by runCleanups(), whichever comes first. */
async function openSession(binary: string): Promise<EngineSession> {
  const fsError = (e: unknown) => inputError(SM.tempDir(tmpdir(), (e as NodeJS.ErrnoException).code ?? String(e)));
  const dir = await mkdtemp(join(tmpdir(), 'ohmnet-ngspice-')).catch((e: unknown) => {
    throw fsError(e);
  });
  const unregister = onCleanupResource({ kind: 'path', path: dir });
  return {
    async run(netlist: string, deadline: number): Promise<RunOutput> {
      const file = join(dir, 'deck.cir');
      await writeFile(file, netlist).catch((e: unknown) => {
        throw fsError(e);
      });
      return runNgspice(binary, file, dir, deadline);
    },
    async close(): Promise<void> {
      await rm(dir, { recursive: true, force: true });
      unregister();
    },
  };
}

export class NgspiceEngine implements SpiceEngine {
  readonly name = 'ngspice' as const;
  private readonly backend: Backend;
  constructor(
    binary: string,
    private readonly method: Method = 'sweep',
  ) {
    this.backend = {
      name: this.name,
      label: 'ngspice',
      style: { stderrMarkers: true, quit: true, free: false },
      maxNetlistChars: MAX_NETLIST_CHARS,
      outputBudget: Infinity,
      open: () => openSession(binary),
    };
  }

  operatingPoints(req: OperatingPointRequest): Promise<OperatingPointResult> {
    return runOperatingPoints(this.backend, this.method, req);
  }

  transient(req: TransientRequest): Promise<TransientResult> {
    return runTransient(this.backend, req);
  }
}

/** The binary engine, or the "install ngspice" error when the program is not on the search path. */
export function createNgspiceEngine(options: EngineOptions = {}): NgspiceEngine {
  const binary = findNgspice(options.searchPath ?? process.env.PATH);
  if (binary === undefined) throw inputError(SM.ngspiceMissing());
  return new NgspiceEngine(binary, options.method);
}
