// The signals ohmnet handles and what it says when one ends a run (shared by the supervisor and the in-process CLI;
// a leaf module, so the supervisor installs its handlers before loading anything heavy).

/** Exit codes of the signals ohmnet handles: 128 + the signal number, as a shell reports them. */
export const SIGNAL_EXIT = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;

/** The line an interrupted run prints: true to what was left (a directory renamed into place before the signal). */
export function interruptedMessage(sig: string, written: string | null): string {
  return written ? `ohmnet: interrupted (${sig}) after writing '${written}'; that output is complete` : `ohmnet: interrupted (${sig}); no output was written`;
}
