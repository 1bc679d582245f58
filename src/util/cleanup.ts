// A process-wide registry of cleanup actions: what must be undone if the process ends while work is in flight
// (a child process to kill, a temporary directory to remove). Code that starts such work registers an action and
// unregisters it when it has cleaned up normally; an interrupt handler (cli/main.ts) calls runCleanups() before
// exiting, so that neither ngspice nor its temporary files outlive an interrupted ohmnet (issue 20, item 7).
//
// Actions must be synchronous: a signal handler that exits cannot wait for promises. They run last-registered
// first (a process is killed before the directory it works in is removed), each at most once, and an action that
// throws does not stop the others. The first registration also hooks the process's 'exit' event, so a
// process.exit() from anywhere runs the pending actions too.

type Action = () => void;

const actions = new Map<number, Action>();
let nextId = 1;
let exitHooked = false;

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
