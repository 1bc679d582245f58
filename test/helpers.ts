// Shared test helpers: fixture loading, in-process CLI runs, numeric comparisons.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli/main.js';
import type { CliIO } from '../src/cli/context.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURES = join(ROOT, 'fixtures');

export interface ModelFixture {
  name: string;
  model: string;
  description: string;
  inputShape: number[];
  weightsExact: boolean;
  inputs: number[][];
  outputs: number[][];
  opTypes: string[];
  opset: number;
}

export const MODEL_FIXTURES = ['iris_mlp', 'digits_cnn', 'digits_cnn_bn', 'dwsep_cnn', 'residual', 'conv1d', 'tiny_mlp', 'xor'];

export function loadFixture(name: string): ModelFixture & { path: string } {
  const f = JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as ModelFixture;
  return { ...f, path: join(FIXTURES, f.model) };
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process (fast; same code path as the binary apart from process wiring). */
export async function runCli(args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    out: (t) => (stdout += t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => (stderr += t.endsWith('\n') ? t : `${t}\n`),
    interactive: false,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

/** Largest |a - b| over two lists of samples. */
export function maxAbsDiff(a: ArrayLike<number>[], b: ArrayLike<number>[]): number {
  let m = 0;
  a.forEach((row, i) => {
    for (let j = 0; j < row.length; j++) m = Math.max(m, Math.abs(row[j] - b[i][j]));
  });
  return m;
}

/** Largest |value| over samples: the output scale errors are measured against. */
export function maxAbs(a: ArrayLike<number>[]): number {
  let m = 0;
  for (const row of a) for (let j = 0; j < row.length; j++) m = Math.max(m, Math.abs(row[j]));
  return m;
}
