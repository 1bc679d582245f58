// Time limits beyond Node's 2^31 - 1 ms timer (issue 20, item 10): armDeadline re-arms capped timers until the
// wall clock reaches the deadline, so a 30-day limit neither fires after 1 ms nor warns. Fake timers advance the
// clock; a real short deadline checks the other end.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { armDeadline, MAX_TIMER_MS } from '../../src/spice/engines/deadline.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('armDeadline', () => {
  it('fires a 30-day deadline at 30 days, not before, without a TimeoutOverflowWarning', () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const days30 = 30 * 86_400_000; // > 2^31 ms (24.8 days)
      expect(days30).toBeGreaterThan(MAX_TIMER_MS);
      let fired = 0;
      armDeadline(Date.now() + days30, () => fired++);
      vi.advanceTimersByTime(1);
      expect(fired).toBe(0);
      vi.advanceTimersByTime(MAX_TIMER_MS);
      expect(fired).toBe(0);
      vi.advanceTimersByTime(days30 - MAX_TIMER_MS - 2);
      expect(fired).toBe(0);
      vi.advanceTimersByTime(1);
      expect(fired).toBe(1);
      vi.advanceTimersByTime(10 * MAX_TIMER_MS);
      expect(fired).toBe(1);
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.name === 'TimeoutOverflowWarning')).toEqual([]);
  });

  it('fires a deadline of 1e15 ms only when the clock gets there; cancelling stops it', () => {
    vi.useFakeTimers({ now: 0 });
    let fired = 0;
    const cancel = armDeadline(1e15, () => fired++);
    vi.advanceTimersByTime(100 * MAX_TIMER_MS);
    expect(fired).toBe(0);
    cancel();
    vi.advanceTimersByTime(1e15);
    expect(fired).toBe(0);
  });

  it('fires a short or past deadline on a later turn of the event loop, never synchronously', async () => {
    let fired = 0;
    armDeadline(Date.now() - 1000, () => fired++);
    expect(fired).toBe(0);
    const t = Date.now();
    await new Promise<void>((resolve) => armDeadline(t + 30, resolve));
    expect(Date.now() - t).toBeGreaterThanOrEqual(29);
    expect(fired).toBe(1);
  });
});
