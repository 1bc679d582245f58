// Atomic output directories: every file of a command's output is written into a temporary sibling directory, which
// is renamed into place only when all of them are complete. A failure, an exception or Ctrl-C leaves no partial
// output behind (the temporary directory is removed), and an existing directory is replaced only with --force.

import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { usageError } from '../errors.js';
import { M } from '../messages/index.js';

/** Temporary paths to remove if the process is interrupted (see cli/main.ts). */
export const pendingTemporaries = new Set<string>();

export function removePendingTemporaries(): void {
  for (const p of pendingTemporaries) rmSync(p, { recursive: true, force: true });
  pendingTemporaries.clear();
}

export type FileWriter = (path: string) => void;

/** Writes `files` (name -> writer given the full path) into `dir` atomically. */
export function writeOutputDir(dir: string, files: ReadonlyMap<string, FileWriter>, force: boolean): void {
  const target = resolve(dir);
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) throw usageError(`'${dir}' exists and is not a directory; choose another output path`);
    if (!force) throw usageError(M.outputExists(dir));
  }
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const tmp = join(parent, `.${basename(target)}.ohmnet-tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  pendingTemporaries.add(tmp);
  try {
    mkdirSync(tmp);
    for (const [name, write] of files) write(join(tmp, name));
    if (existsSync(target)) {
      const old = join(parent, `.${basename(target)}.ohmnet-old-${process.pid}`);
      pendingTemporaries.add(old);
      renameSync(target, old);
      renameSync(tmp, target);
      rmSync(old, { recursive: true, force: true });
      pendingTemporaries.delete(old);
    } else {
      renameSync(tmp, target);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    pendingTemporaries.delete(tmp);
  }
}
