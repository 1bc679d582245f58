// Issue 9: one command computes each expensive analysis once per sample set. The float64 reference, the T-network
// evaluator and netlist emission report every call (util/instrument.ts); a `compile --verify` with a calibration and a
// test set must evaluate the reference once per set, evaluate the compiled T-network once per set (plus the one
// evaluation of the unscaled network the signal-limit pass scales from), and emit the netlist once.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { onCall, type CallEvent } from '../../src/util/instrument.js';
import { loadFixture, runCli } from '../helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'ohmnet-calls-'));
let stop: (() => void) | null = null;
afterEach(() => stop?.());

function record(): CallEvent[] {
  const calls: CallEvent[] = [];
  stop = onCall((e) => calls.push(e));
  return calls;
}

/** Calls grouped by (call, target, samples): how often each distinct evaluation happened. */
function repeats(calls: CallEvent[], call: CallEvent['call']): number[] {
  const seen = new Map<object, Map<object | undefined, number>>();
  for (const c of calls) {
    if (c.call !== call) continue;
    const m = seen.get(c.target) ?? new Map<object | undefined, number>();
    m.set(c.samples, (m.get(c.samples) ?? 0) + 1);
    seen.set(c.target, m);
  }
  return [...seen.values()].flatMap((m) => [...m.values()]);
}

describe('one compile --verify computes each analysis once per sample set', () => {
  const fx = loadFixture('iris_mlp');
  const cal = join(tmp, 'cal.json');
  const test = join(tmp, 'test.json');
  // The calibration set covers the test set's inputs (all fixture inputs), so every verdict passes and the run exits 0.
  writeFileSync(cal, JSON.stringify({ inputs: fx.inputs }));
  writeFileSync(test, JSON.stringify({ inputs: fx.inputs.slice(16), labels: fx.outputs.slice(16).map((y) => y.indexOf(Math.max(...y))) }));

  it('reference once per set, T-network once per set, netlist once', async () => {
    const calls = record();
    const r = await runCli(['compile', fx.path, '-o', join(tmp, 'out'), '--calibration', cal, '--test', test, '--tolerance', '0.01', '--trials', '3', '--workers', '1', '--verify', '--samples', '4']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const reference = calls.filter((c) => c.call === 'reference');
    expect(reference).toHaveLength(2);
    expect(new Set(reference.map((c) => c.samples)).size).toBe(2);
    expect(calls.filter((c) => c.call === 'netlist')).toHaveLength(1);
    // The ideal-weight T-network: the signal-limit pass's analysis of the unscaled network, its proof run on the
    // calibration set (reused by every later figure), and the test set: each (network, set) once.
    const ideal = calls.filter((c) => c.call === 'tnet' && !c.overridden);
    // Plus the per-layer output error (summary.json layerError): one ideal and one realized pass over the first
    // LAYER_ERROR_SAMPLES test samples that keeps every signal, which the cached evaluations do not.
    expect(ideal).toHaveLength(3 + 1);
    expect(repeats(ideal.slice(0, 3), 'tnet').every((n) => n === 1)).toBe(true);
    // The realized network (overridden weights) once per set it is measured on (the test set; SPICE reuses it).
    const realized = calls.filter((c) => c.call === 'tnet' && c.overridden);
    // + layer error + the per-layer sensitivity's nominal and replayed trials (layerSensitivity)
    expect(realized.length).toBe(1 + 3 + 1 + 1 + 3); // nominal on the test set + one per Monte Carlo trial (one worker: in-process)
    expect(repeats(realized.slice(0, 1), 'tnet')).toEqual([1]);
  }, 120_000);

  it('run --stage source evaluates the reference once (not a sample first to learn the output shape)', async () => {
    const calls = record();
    const r = await runCli(['run', fx.path, '--inputs', test, '--json']);
    expect(r.code).toBe(0);
    expect(calls.filter((c) => c.call === 'reference')).toHaveLength(1);
    expect(calls.filter((c) => c.call === 'tnet')).toHaveLength(0);
  });

  it('run --stage realized evaluates the reference once per set and the realized network once', async () => {
    const calls = record();
    const r = await runCli(['run', fx.path, '--inputs', test, '--stage', 'realized', '--calibration', cal, '--json']);
    expect(r.code).toBe(0);
    // The calibration set (equivalence, where the scaling is proven) and the --inputs (every other figure).
    expect(calls.filter((c) => c.call === 'reference')).toHaveLength(2);
    expect(repeats(calls, 'reference').every((n) => n === 1)).toBe(true);
    expect(calls.filter((c) => c.call === 'tnet' && c.overridden)).toHaveLength(1);
  });
});
