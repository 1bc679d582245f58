// Fuzzing the CLI's input files (issue 20): 3,900 seeded cases over ONNX bytes (random, byte-mutated, structure-aware
// random graphs and field-level mutations of the committed models), sample files (JSON and CSV), config files, and
// Keras and TF.js models (issue 19: truncated and byte-mutated .keras zips and .h5 files, mutated Keras 3 configs,
// mutated TF.js model.json files with cut or missing shards),
// each run through the CLI entry point in-process (inspect, then run --stage source) with a time limit. Every case
// must end with exit 0, or exit 2 and one line on stderr; never exit 3, an exception out of main, or past its limit.
// The case generator is shared with bench/fuzz.ts (10^5 cases); a failing case is reproduced by its id.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeCase, runCase, type CaseResult, type FuzzKind } from './fuzz-cases.js';

const SEED = 20261122;
/** Per case (inspect and run together). Cases take milliseconds; the limit leaves room for a loaded machine. */
const CASE_LIMIT_MS = 5000;

const PLAN: [FuzzKind, number][] = [
  ['onnx-bytes', 300],
  ['onnx-mutation', 800],
  ['onnx-graph', 800],
  ['onnx-field', 600],
  ['samples', 400],
  ['config', 300],
  ['keras-bytes', 200],
  ['keras-config', 250],
  ['tfjs-json', 250],
];

const dir = mkdtempSync(join(tmpdir(), 'ohmnet-fuzz-'));

describe('fuzzing the CLI with hostile input files', () => {
  it.each(PLAN)('%s: %i cases exit 0, or 2 with one line, within the time limit', async (kind, count) => {
    const results: CaseResult[] = [];
    for (let i = 0; i < count; i++) results.push(await runCase(makeCase(kind, SEED, i), dir, CASE_LIMIT_MS));
    const bad = results.filter((r) => r.problem !== null).map((r) => `${r.id}: ${r.problem}`);
    expect(bad).toEqual([]);
    const ok = results.filter((r) => r.outcome === 'ok').length;
    // The generators must exercise the happy path too, not only the refusals (and, for models, get past decoding).
    const minOk: Record<FuzzKind, number> = { 'onnx-bytes': 0, 'onnx-mutation': 0.2, 'onnx-graph': 0.01, 'onnx-field': 0.1, samples: 0.2, config: 0.1, 'keras-bytes': 0, 'keras-config': 0.1, 'tfjs-json': 0.1 };
    expect(ok / count).toBeGreaterThanOrEqual(minOk[kind]);
    if (kind !== 'onnx-bytes' && kind !== 'keras-bytes') expect(results.filter((r) => r.outcome === 'refused').length).toBeGreaterThan(0.05 * count);
  }, 240_000);
});
