// Test helper: processes as /proc lists them (Linux), to check that no ngspice outlives a request or an interrupt.

import { readdirSync, readFileSync } from 'node:fs';

interface Proc {
  readonly pid: number;
  readonly comm: string;
  readonly state: string;
  readonly ppid: number;
}

function processes(): Proc[] {
  const out: Proc[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split at the last ')'.
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.push({ pid: Number(d), comm, state, ppid: Number(ppid) });
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

/** Live (not zombie) children of `parent` with the given command name. */
export function childProcesses(comm: string, parent = process.pid): number[] {
  return processes()
    .filter((p) => p.comm === comm && p.ppid === parent && p.state !== 'Z')
    .map((p) => p.pid);
}

/** True while the process exists and is not a zombie. */
export function alive(pid: number): boolean {
  return processes().some((p) => p.pid === pid && p.state !== 'Z');
}
