// A process-wide registry of cleanup actions: what must be undone if the process ends while work is in flight
// (a child process to kill, a temporary directory to remove). Code that starts such work registers an action and
// unregisters it when it has cleaned up normally; an interrupt handler (cli/main.ts) calls runCleanups() before
// exiting, so that neither ngspice nor its temporary files outlive an interrupted ohmnet (issue 20, item 7).
//
// Actions must be synchronous: a signal handler that exits cannot wait for promises. They run last-registered
// first (a process is killed before the directory it works in is removed), each at most once, and an action that
// throws does not stop the others. The first registration also hooks the process's 'exit' event, so a
// process.exit() from anywhere runs the pending actions too.

import { rmSync } from 'node:fs';

type Action = () => void;

/**
 * A cleanup another thread can carry out: the binary runs the CLI in a worker thread under a supervisor on the main
 * thread (cli/supervisor.ts), which stays responsive to signals while the worker computes; on an interrupt it stops
 * the worker and undoes these itself, since the worker's own actions can no longer run.
 */
export type CleanupResource =
  | { readonly kind: 'process-group'; readonly pid: number }
  | { readonly kind: 'path'; readonly path: string };

/** Where registrations are mirrored (set by the CLI worker; none otherwise). */
export interface CleanupMirror {
  added(id: number, resource: CleanupResource): void;
  removed(id: number): void;
}

const actions = new Map<number, Action>();
let nextId = 1;
let exitHooked = false;
let mirror: CleanupMirror | null = null;

export function setCleanupMirror(m: CleanupMirror | null): void {
  mirror = m;
}

/** Undoes a resource now (synchronously, best effort). */
export function releaseResource(r: CleanupResource): void {
  try {
    if (r.kind === 'process-group') process.kill(-r.pid, 'SIGKILL');
    else rmSync(r.path, { recursive: true, force: true });
  } catch {
    // already gone
  }
}

/** Registers the undoing of a resource (a process group to kill, a path to remove), mirrored to a supervisor. */
export function onCleanupResource(resource: CleanupResource, action: Action = () => releaseResource(resource)): () => void {
  const unregister = onCleanup(action);
  const id = nextId - 1;
  mirror?.added(id, resource);
  return () => {
    unregister();
    mirror?.removed(id);
  };
}

/** Registers a cleanup action; the returned function unregisters it (without running it). Safe to call twice. */
export function onCleanup(action: Action): () => void {
  if (!exitHooked) {
    exitHooked = true;
    process.once('exit', runCleanups);
  }
  const id = nextId++;
  actions.set(id, action);
  return () => {
    actions.delete(id);
  };
}

/** Runs every registered action once, newest first, and empties the registry. Idempotent and never throws. */
export function runCleanups(): void {
  const pending = [...actions.entries()].reverse();
  actions.clear();
  for (const [, action] of pending) {
    try {
      action();
    } catch {
      // Best effort: one failed cleanup (a process already gone, a directory already removed) must not keep the
      // others from running, and a signal handler must not throw.
    }
  }
}

/** How many actions are registered (for tests: every exit path must leave none behind). */
export function pendingCleanups(): number {
  return actions.size;
}
