// The process-wide cleanup registry (src/util/cleanup.ts): actions run newest first, once, and a failing action
// does not stop the others; unregistering removes an action without running it.

import { describe, expect, it } from 'vitest';
import { onCleanup, pendingCleanups, runCleanups } from '../../src/util/cleanup.js';

describe('cleanup registry', () => {
  it('runs every registered action once, newest first, and is idempotent', () => {
    const ran: string[] = [];
    onCleanup(() => ran.push('directory'));
    onCleanup(() => ran.push('process'));
    expect(pendingCleanups()).toBe(2);
    runCleanups();
    expect(ran).toEqual(['process', 'directory']);
    expect(pendingCleanups()).toBe(0);
    runCleanups();
    expect(ran).toEqual(['process', 'directory']);
  });

  it('an unregistered action does not run; unregistering twice is harmless', () => {
    const ran: string[] = [];
    const off = onCleanup(() => ran.push('a'));
    onCleanup(() => ran.push('b'));
    off();
    off();
    runCleanups();
    expect(ran).toEqual(['b']);
  });

  it('an action that throws does not keep the others from running, and runCleanups does not throw', () => {
    const ran: string[] = [];
    onCleanup(() => ran.push('first'));
    onCleanup(() => {
      throw new Error('already gone');
    });
    onCleanup(() => ran.push('last'));
    expect(() => runCleanups()).not.toThrow();
    expect(ran).toEqual(['last', 'first']);
  });

  it('an action registered while cleanups run waits for the next call', () => {
    const ran: string[] = [];
    onCleanup(() => {
      ran.push('outer');
      onCleanup(() => ran.push('inner'));
    });
    runCleanups();
    expect(ran).toEqual(['outer']);
    runCleanups();
    expect(ran).toEqual(['outer', 'inner']);
  });
});
