// Atomic file output (run -o, report files): write to a short-named temporary file in the same directory, then
// rename over the target, so a failure or interruption never leaves a partial file behind. Only a regular file or a
// new path is written: a rename over a symlink, FIFO, device node or directory would replace it (issue 20: as root,
// `run -o /dev/null` destroyed the device node), so those are refused before anything is written.

import { closeSync, lstatSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { inputError, usageError } from '../errors.js';
import { fsReason, OUTPUT_MESSAGES as OM } from '../messages/index.js';
import { onCleanupResource } from '../util/cleanup.js';
import { makeDirs } from '../util/fs.js';

/** What a path is, when it is not a regular file (for the refusal), or null for a regular file or a new path. */
function notRegular(path: string): string | null {
  let st;
  try {
    st = lstatSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw usageError(OM.cannotPrepare(path, fsReason(e)));
  }
  if (st.isFile()) return null;
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Refuses a target that is not a regular file or a new path (call before the work that produces the file). */
export function checkOutputFile(path: string): void {
  const what = notRegular(path);
  if (what) throw usageError(OM.notRegularFile(path, what));
  if (Buffer.byteLength(basename(path)) > 255) throw usageError(OM.cannotPrepare(path, fsReason({ code: 'ENAMETOOLONG' })));
}

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  checkOutputFile(path);
  const dir = dirname(path);
  const tmp = join(dir, `.ohmnet-tmp-${process.pid}-${Date.now() % 1e6}`);
  const unregister = onCleanupResource({ kind: 'path', path: tmp });
  try {
    makeDirs(dir);
    const fd = openSync(tmp, 'wx');
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    if ((e as NodeJS.ErrnoException)?.code) throw inputError(OM.cannotWrite(path, fsReason(e)));
    throw e;
  } finally {
    unregister();
  }
}
