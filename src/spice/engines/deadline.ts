// Time limits of any length. Node's setTimeout holds at most 2^31 - 1 ms (24.8 days): a longer delay prints a
// TimeoutOverflowWarning and fires after 1 ms (issue 20, item 10). A deadline here is re-armed in steps of at most
// that much until the wall clock reaches it, so a limit of a year is a limit of a year.

/** The longest delay Node's timers accept. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Calls `expire` once when Date.now() reaches `deadline` (an absolute time in ms, any finite value); returns a
 * function that cancels it. A deadline already past fires on the next turn of the event loop, never synchronously.
 */
export function armDeadline(deadline: number, expire: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  let cancelled = false;
  const arm = (): void => {
    const left = deadline - Date.now();
    timer = setTimeout(
      () => {
        if (cancelled) return;
        if (Date.now() >= deadline) expire();
        else arm();
      },
      Math.min(Math.max(0, left), MAX_TIMER_MS),
    );
  };
  arm();
  return () => {
    cancelled = true;
    clearTimeout(timer);
  };
}
