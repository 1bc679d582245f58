// Progress: drawn on an interactive terminal, silent in pipes and with --json.

import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressFor, terminalProgress } from '../../src/cli/progress.js';
import { silentProgress } from '../../src/util/progress.js';

function fakeTty(): { stream: NodeJS.WriteStream; text: () => string } {
  let text = '';
  const w = new Writable({ write(chunk, _enc, cb) {
    text += chunk.toString();
    cb();
  } }) as unknown as NodeJS.WriteStream;
  Object.assign(w, { isTTY: true, columns: 100, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  return { stream: w, text: () => text };
}

describe('progress', () => {
  it('draws a bar with the count on a terminal', () => {
    const { stream, text } = fakeTty();
    const p = terminalProgress(stream).stage('Monte Carlo', 4);
    for (let i = 0; i < 4; i++) p.tick();
    p.done();
    expect(text()).toMatch(/Monte Carlo\s+\[.*\] 4\/4/);
  });

  it('reports a stage without a count as started and done', () => {
    const { stream, text } = fakeTty();
    terminalProgress(stream).stage('T-transformation').done();
    expect(text()).toMatch(/T-transformation \.\.\.\rT-transformation done \(\d+\.\d s\)\n/);
  });

  it('is silent when stderr is not a terminal, and with --json', () => {
    expect(progressFor({ out: () => undefined, err: () => undefined, interactive: false }, false)).toBe(silentProgress);
    expect(progressFor({ out: () => undefined, err: () => undefined, interactive: true }, true)).toBe(silentProgress);
  });
});
