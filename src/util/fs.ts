// File-system helpers with bounded behaviour. Node's `mkdirSync(p, { recursive: true })` loops forever where a
// parent refuses new entries with ENOENT (seen under /proc: issue 20, `-o /proc/x`); makeDirs creates one level at a
// time and throws the first refusal.

import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Creates `path` and its missing parents, one level at a time; throws the file system's error as it is. */
export function makeDirs(path: string): void {
  const missing: string[] = [];
  let p = path;
  for (;;) {
    try {
      if (statSync(p).isDirectory()) break;
      const e = new Error(`ENOTDIR: not a directory, mkdir '${path}'`) as NodeJS.ErrnoException;
      e.code = 'ENOTDIR';
      throw e;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    missing.push(p);
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}
