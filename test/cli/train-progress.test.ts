// Progress bars with ETA for every training run: `ohmnet train` and every fine-tuning round of `ohmnet sdk` draw a
// `training` bar of epochs x batches units (cli/progress.ts, cli-progress's ETA field) on an interactive terminal.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { terminalProgress } from '../../src/cli/progress.js';
import { FIXTURES } from '../helpers.js';

function fakeTty(): { stream: NodeJS.WriteStream; text: () => string } {
  let text = '';
  const w = new Writable({ write(chunk, _enc, cb) {
    text += chunk.toString();
    cb();
  } }) as unknown as NodeJS.WriteStream;
  Object.assign(w, { isTTY: true, columns: 100, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  return { stream: w, text: () => text };
}

const MODEL = join(FIXTURES, 'iris_mlp.onnx');
const TRAIN = join(FIXTURES, 'train', 'iris_train.json');
const TEST = join(FIXTURES, 'train', 'iris_test.json');
// The bar's last state: name, bar, done/total and the ETA (cli-progress writes e.g. "0s", "12s", "1m5s").
const BAR = /training\s+\[[^\]]*\] (\d+)\/(\d+) (\d+[smh]|\d+m\d+s|\d+h\d+m)/g;

async function run(args: string[]): Promise<{ code: number; bars: string[][] }> {
  const { stream, text } = fakeTty();
  const code = await main(args, { out: () => undefined, err: () => undefined, interactive: true, progress: terminalProgress(stream) });
  return { code, bars: [...text().matchAll(BAR)].map((m) => [m[1], m[2], m[3]]) };
}

describe('training progress', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ohmnet-train-progress-'));
  it('ohmnet train draws a bar of epochs x batches with an ETA', async () => {
    const r = await run(['train', MODEL, '--data', TRAIN, '-o', join(dir, 't.onnx'), '--epochs', '3']);
    expect(r.code).toBe(0);
    // 120 samples in batches of 32: 4 steps per epoch, 12 in all; the bar ends full.
    expect(r.bars.length).toBeGreaterThan(0);
    expect(r.bars.every((b) => b[1] === '12')).toBe(true);
    expect(r.bars[r.bars.length - 1].slice(0, 2)).toEqual(['12', '12']);
  }, 60_000);

  it('ohmnet sdk draws one for every fine-tuning round', async () => {
    const r = await run(['sdk', MODEL, '--data', TRAIN, '--test', TEST, '--calibration', TRAIN, '--resistors', 'E6', '--max-error', '1e-6', '--budget', '2', '--epochs', '1', '-o', join(dir, 's.onnx')]);
    expect(r.code).toBe(1);
    const full = r.bars.filter((b) => b[0] === '4' && b[1] === '4');
    // Two rounds of one epoch (4 steps) each: the bar is drawn full twice.
    expect(full.length).toBeGreaterThanOrEqual(2);
  }, 120_000);
});
