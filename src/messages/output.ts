// Messages about writing outputs: output directories (compile, demo) and output files (run -o). Options are named
// through the Namer (the CLI renders `output` as -o, `force` as --force).

import type { Namer } from '../errors.js';

/** Why a file-system call failed, in words a user can act on. */
export function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  const reasons: Record<string, string> = {
    EACCES: 'permission denied', EPERM: 'operation not permitted', EROFS: 'read-only file system',
    ENOSPC: 'no space left on the device', EDQUOT: 'disk quota exceeded', ENAMETOOLONG: 'a file name is too long',
    ENOTDIR: 'a part of the path is not a directory', EISDIR: 'it is a directory', EEXIST: 'it already exists',
    ENOENT: 'no such file or directory', EBUSY: 'it is busy', EXDEV: 'it is on another file system', EIO: 'an input/output error',
    EMFILE: 'too many open files', ENFILE: 'too many open files', EINVAL: 'the path is not valid here',
  };
  return code ? `${reasons[code] ?? 'the file system refused'} (${code})` : String((e as Error)?.message ?? e);
}

export const OUTPUT_MESSAGES = {
  outputExists: (path: string) => (n: Namer) => `'${path}' already exists; pass ${n('force')} to replace it (only a directory ohmnet wrote) or choose another path`,
  outputNotDirectory: (path: string) => (n: Namer) => `'${path}' exists and is not a directory; choose another ${n('output')}`,
  forceNotOurs: (path: string, why: string) => (n: Namer) => `${n('force')} replaces only a directory that ohmnet wrote, and '${path}' ${why}; choose another ${n('output')}`,
  outputHoldsInput: (path: string, input: string) => (n: Namer) => `'${path}' would replace or contain the input '${input}'; choose another ${n('output')}`,
  outputLocked: (path: string, pid: number) => `another ohmnet process (pid ${pid}) is writing '${path}'; wait for it to finish or choose another path`,
  cannotPrepare: (path: string, why: string) => (n: Namer) => `cannot write '${path}': ${why}; choose another ${n('output')}`,
  cannotWrite: (path: string, why: string) => `cannot write '${path}': ${why}; nothing was written`,
  notRegularFile: (path: string, what: string) => (n: Namer) => `'${path}' is ${what}; ohmnet writes only regular files or new paths: choose another ${n('outputFile')}`,
} as const;
