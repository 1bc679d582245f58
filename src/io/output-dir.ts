// Atomic, guarded output directories (compile, demo). Before any work, prepareOutputDir checks the target and locks
// it: an existing path must be a directory, is replaced only with force, and force replaces only a directory that
// ohmnet wrote (it holds the marker file and nothing but ohmnet's outputs) and never one that holds or is an input
// of the run (issue 20: `compile model.onnx -o . --force` used to delete the current directory). A lock file beside
// the target keeps two runs from writing one directory. Every file is written into a short-named temporary sibling
// directory that is renamed into place only when all are complete; a failure, an exception or an interrupt leaves no
// partial output (temporaries are registered with util/cleanup.ts, which a supervisor can run for a stopped worker).

import { closeSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { inputError, usageError } from '../errors.js';
import { fsReason, OUTPUT_MESSAGES as OM } from '../messages/index.js';
import { onCleanupResource } from '../util/cleanup.js';
import { makeDirs } from '../util/fs.js';

/** The marker file written with every output directory: what --force may replace. */
export const OUTPUT_MARKER = '.ohmnet-output';

export type FileWriter = (path: string) => void;

export interface PreparedOutput {
  /** The directory as the user named it (for messages). */
  readonly dir: string;
  readonly target: string;
  readonly parent: string;
  readonly replace: boolean;
  /** The lock file, removed by release(). */
  readonly lock: string;
  release(): void;
}

/** Called with the target when a directory has been renamed into place (the supervisor reports it on interrupts). */
let written: ((target: string) => void) | null = null;
export function onOutputWritten(listener: ((target: string) => void) | null): void {
  written = listener;
}

function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && rel !== '..');
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock beside the target: a file created exclusively, holding the pid; a stale lock is taken over. */
function lock(dir: string, path: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw usageError(OM.cannotPrepare(dir, fsReason(e)));
      const holder = Number(readFileSync(path, 'utf8').trim());
      if (Number.isSafeInteger(holder) && holder > 0 && holder !== process.pid && pidAlive(holder)) throw usageError(OM.outputLocked(dir, holder));
      rmSync(path, { force: true });
    }
  }
  throw usageError(OM.outputLocked(dir, 0));
}

/**
 * Checks and locks the output directory before any work. `inputs` are the files the run reads (the model, sample
 * files, the config file): the target may not be one of them nor contain one.
 */
export function prepareOutputDir(dir: string, force: boolean, inputs: readonly string[] = []): PreparedOutput {
  const target = resolve(dir);
  const parent = dirname(target);
  const name = basename(target);
  if (target === parent) throw usageError(OM.forceNotOurs(dir, 'is the root of the file system'));
  const realTarget = real(target);
  for (const input of inputs) {
    const r = real(input);
    if (isInside(r, realTarget) || isInside(resolve(input), target)) throw usageError(OM.outputHoldsInput(dir, input));
  }
  if (isInside(real(process.cwd()), realTarget)) throw usageError(OM.forceNotOurs(dir, 'is or contains the current directory'));
  let replace = false;
  let st: ReturnType<typeof lstatSync> | null = null;
  try {
    st = lstatSync(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw usageError(OM.cannotPrepare(dir, fsReason(e)));
  }
  if (st) {
    if (!st.isDirectory()) throw usageError(OM.outputNotDirectory(dir));
    if (!force) throw usageError(OM.outputExists(dir));
    let entries: string[];
    try {
      entries = readdirSync(target);
    } catch (e) {
      throw usageError(OM.cannotPrepare(dir, fsReason(e)));
    }
    if (!entries.includes(OUTPUT_MARKER)) throw usageError(OM.forceNotOurs(dir, 'has no ohmnet marker file (it was not written by ohmnet compile)'));
    const marker = readFileSync(join(target, OUTPUT_MARKER), 'utf8');
    const ours = new Set(marker.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#')));
    const foreign = entries.filter((e) => e !== OUTPUT_MARKER && !ours.has(e));
    if (foreign.length > 0) throw usageError(OM.forceNotOurs(dir, `holds files ohmnet did not write (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', ...' : ''})`));
    replace = true;
  }
  try {
    makeDirs(parent);
  } catch (e) {
    throw usageError(OM.cannotPrepare(dir, fsReason(e)));
  }
  // Short sibling names: a 250-character target name must not make the temporary names exceed the 255-byte limit.
  if (Buffer.byteLength(name) > 255) throw usageError(OM.cannotPrepare(dir, fsReason({ code: 'ENAMETOOLONG' })));
  const lockPath = lockPathOf(target);
  lock(dir, lockPath);
  const unregister = onCleanupResource({ kind: 'path', path: lockPath });
  return {
    dir, target, parent, replace, lock: lockPath,
    release: () => {
      rmSync(lockPath, { force: true });
      unregister();
    },
  };
}

/** The lock file of an output directory: a short sibling name (FNV-1a of the directory's name). */
export function lockPathOf(dir: string): string {
  const target = resolve(dir);
  return join(dirname(target), `.ohmnet-lock-${hashName(basename(target))}`);
}

/** A short, stable tag of a file name (FNV-1a), for sibling lock and temporary names. */
function hashName(name: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** Writes `files` (name -> writer given the full path) into the prepared directory atomically, then unlocks it. */
export function writePreparedDir(out: PreparedOutput, files: ReadonlyMap<string, FileWriter>): void {
  const tag = `${hashName(basename(out.target))}-${process.pid}`;
  const tmp = join(out.parent, `.ohmnet-tmp-${tag}`);
  const old = join(out.parent, `.ohmnet-old-${tag}`);
  const unregisterTmp = onCleanupResource({ kind: 'path', path: tmp });
  try {
    rmSync(tmp, { recursive: true, force: true });
    try {
      mkdirSync(tmp);
      for (const [name, write] of files) write(join(tmp, name));
      writeMarker(join(tmp, OUTPUT_MARKER), [...files.keys()]);
    } catch (e) {
      if ((e as NodeJS.ErrnoException)?.code) throw inputError(OM.cannotWrite(out.dir, fsReason(e)));
      throw e;
    }
    try {
      if (existsSync(out.target)) {
        const unregisterOld = onCleanupResource({ kind: 'path', path: old });
        renameSync(out.target, old);
        renameSync(tmp, out.target);
        rmSync(old, { recursive: true, force: true });
        unregisterOld();
      } else {
        renameSync(tmp, out.target);
      }
    } catch (e) {
      throw inputError(OM.cannotWrite(out.dir, fsReason(e)));
    }
    written?.(out.target);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    unregisterTmp();
    out.release();
  }
}

function writeMarker(path: string, names: readonly string[]): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, `# written by ohmnet; --force may replace this directory if it holds only these files\n${names.join('\n')}\n`);
  } finally {
    closeSync(fd);
  }
}

/** Checks, locks and writes in one call (library use; the CLI prepares before its work and writes after). */
export function writeOutputDir(dir: string, files: ReadonlyMap<string, FileWriter>, force: boolean, inputs: readonly string[] = []): void {
  writePreparedDir(prepareOutputDir(dir, force, inputs), files);
}
