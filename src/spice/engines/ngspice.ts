// The `ngspice` engine: Debian's ngspice program in batch mode, one process per chunk of samples (one chunk
// unless the sample set is very large), with the generated .control script altering the VIN sources and
// running `op` per sample. Values come back on stdout (`print` with 17 digits); markers on stderr tie each
// message to its sample. On a failed sample, a time-out or a parse error the process is killed at once.

import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { inputError } from '../../errors.js';
import { beginRequest, charsPerSample, chunkNetlist, isFatalLine, readChunk, type Method } from './deck.js';
import { SM } from '../../messages/index.js';
import {
  type EngineOptions,
  type OperatingPointRequest,
  type OperatingPointResult,
  type SpiceEngine,
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

interface RunOutput {
  stdout: string;
  stderr: string;
  ending?: string;
}

class TimedOut extends Error {}

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
      const child = spawn(binary, ['-n', '-b', file], { cwd: dir, stdio: ['ignore', 'pipe', errWriter.fd] });
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
              setTimeout(() => child.kill('SIGKILL'), 20);
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
        clearTimeout(timer);
        clearInterval(poll);
        f();
      };
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        finish(() => reject(new TimedOut()));
      }, Math.max(0, deadline - Date.now()));
      child.stdout?.on('data', (b: Buffer) => out.push(b));
      child.on('error', (e: NodeJS.ErrnoException) => {
        finish(() => reject(inputError(SM.ngspiceNotRunnable(e.code ?? e.message))));
      });
      child.on('close', (code, signal) => {
        if (done) return;
        const stdout = Buffer.concat(out).toString('utf8');
        const ending = fatal ? undefined : signal ? `killed by ${signal}` : code !== 0 ? `exit code ${code}` : undefined;
        // Wait for a poll still reading, then read what is left.
        const settle = async () => {
          while (reading) await new Promise((r) => setTimeout(r, 5));
          await readErr();
        };
        settle().then(
          () => finish(() => resolve({ stdout, stderr: Buffer.concat(errChunks).toString('utf8'), ending })),
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

export class NgspiceEngine implements SpiceEngine {
  readonly name = 'ngspice' as const;
  constructor(
    private readonly binary: string,
    private readonly method: Method = 'sweep',
  ) {}

  async operatingPoints(req: OperatingPointRequest): Promise<OperatingPointResult> {
    const { timeoutMs, deck, probes, t0, deadline } = beginRequest(req);
    const voltages: Float64Array[] = [];
    if (req.inputs.length === 0) return { voltages, engine: this.name, seconds: 0 };
    const perChunk = Math.max(1, Math.floor(MAX_NETLIST_CHARS / charsPerSample(this.method, deck.inputCount)));
    const dir = await mkdtemp(join(tmpdir(), 'ohmnet-ngspice-'));
    try {
      for (let offset = 0; offset < req.inputs.length; offset += perChunk) {
        const samples = req.inputs.slice(offset, offset + perChunk);
        const file = join(dir, 'deck.cir');
        const opts = {
          method: this.method,
          inputCount: deck.inputCount,
          probes,
          samples,
          offset,
          stderrMarkers: true,
          quit: true,
          free: false,
        };
        await writeFile(file, chunkNetlist(deck, opts));
        let run: RunOutput;
        try {
          run = await runNgspice(this.binary, file, dir, deadline);
        } catch (e) {
          if (e instanceof TimedOut) throw inputError(SM.timeout('ngspice', req.inputs.length, timeoutMs));
          throw e;
        }
        const values = readChunk({
          method: this.method,
          engine: 'ngspice',
          probes,
          offset,
          count: samples.length,
          stdout: run.stdout,
          messages: run.stderr,
          ending: run.ending,
        });
        for (const v of values) voltages.push(v);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    return { voltages, engine: this.name, seconds: (performance.now() - t0) / 1000 };
  }
}

/** The binary engine, or the "install ngspice" error when the program is not on the search path. */
export function createNgspiceEngine(options: EngineOptions = {}): NgspiceEngine {
  const binary = findNgspice(options.searchPath ?? process.env.PATH);
  if (binary === undefined) throw inputError(SM.ngspiceMissing());
  return new NgspiceEngine(binary, options.method);
}
