// Reading an input file (a model, samples, a config file) with bounded work: regular files only, refused before any
// read if the path is a directory, a FIFO, a device or a socket (opened non-blocking, so a FIFO with no writer cannot
// block the open), and read in chunks up to a stated size limit, so /dev/zero or a file that keeps growing cannot
// exhaust memory. Every refusal is a one-line input error naming the file.

import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { inputError, OhmnetError } from '../errors.js';
import { FILE_MESSAGES as M } from '../messages/files.js';

export interface ReadLimit {
  /** Largest number of bytes read. */
  readonly maxBytes: number;
  /** What the file is, for the message: "an ONNX model", "a samples file". */
  readonly what: string;
  /** How to get under the limit, for the message. */
  readonly hint: string;
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a file';
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory, not a regular file',
  ENOTDIR: 'a component of the path is not a directory',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'too many levels of symbolic links',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  EIO: 'an input/output error',
};

/** A file-system error as an input error naming the file. */
export function readError(path: string, e: unknown): OhmnetError {
  if (e instanceof OhmnetError) return e;
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return inputError(M.fileNotFound(path));
  return inputError(M.fileUnreadable(path, (code && REASONS[code]) ?? String((e as Error | null)?.message ?? e)));
}

/** `limit.maxBytes` as text for messages: "2 GiB", "512 MiB", "1 MiB". */
export function formatBytes(n: number): string {
  for (const [unit, size] of [['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const) {
    if (n >= size && n % size === 0) return `${n / size} ${unit}`;
  }
  return `${n} bytes`;
}

/** The whole contents of a regular file of at most `limit.maxBytes` bytes. */
export function readRegularFile(path: string, limit: ReadLimit): Buffer {
  if (typeof path !== 'string' || path === '') throw inputError(`a file path must be a non-empty string, got ${path === '' ? 'an empty string' : typeof path}`);
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer (forever, with no way to interrupt).
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw readError(path, e);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw inputError(M.notRegularFile(path, kindOf(st)));
    const tooLarge = (bytes: number) => inputError(M.fileTooLarge(path, limit.what, bytes, formatBytes(limit.maxBytes), limit.hint));
    if (st.size > limit.maxBytes) throw tooLarge(st.size);
    // The size is a hint, not a promise (the file may grow or shrink while it is read): read until end of file.
    let buf = Buffer.allocUnsafe(Math.min(limit.maxBytes, st.size) + 1);
    let used = 0;
    for (;;) {
      if (used === buf.length) {
        if (used > limit.maxBytes) throw tooLarge(0);
        const next = Buffer.allocUnsafe(Math.min(limit.maxBytes + 1, Math.max(2 * buf.length, 1 << 16)));
        buf.copy(next, 0, 0, used);
        buf = next;
      }
      const n = readSync(fd, buf, used, buf.length - used, null);
      if (n === 0) break;
      used += n;
    }
    if (used > limit.maxBytes) throw tooLarge(0);
    return buf.subarray(0, used);
  } catch (e) {
    throw readError(path, e);
  } finally {
    closeSync(fd);
  }
}

/** A regular text file, decoded as UTF-8 without a leading byte-order mark. */
export function readTextFile(path: string, limit: ReadLimit): string {
  const text = readRegularFile(path, limit).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
