// `ohmnet sdk`: the patent's FIG. 1C loop on the Iris MLP (E96 at 0.5% tolerance, whose circuit also passes compile's
// verdicts, and E6 at 5%). Each iteration's row is
// measured by the flow (realized accuracy and Monte Carlo p5 on the 30 test samples); a goal met at once gives one
// row and exit 0; a goal out of reach runs the budget (one row per fine-tuning round), writes the last model and exits
// 1; no goal is a usage error (exit 2).

import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importModel } from '../../src/import/index.js';
import { FIXTURES, runCli } from '../helpers.js';

const MODEL = join(FIXTURES, 'iris_mlp.onnx');
const TRAIN = join(FIXTURES, 'train', 'iris_train.json');
const TEST = join(FIXTURES, 'train', 'iris_test.json');
const COMMON = ['--data', TRAIN, '--test', TEST, '--calibration', TRAIN, '--trials', '10', '--json'];
const E6 = ['--resistors', 'E6', '--tolerance', '0.05'];

describe('ohmnet sdk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ohmnet-sdk-'));
  it('stops at once when the circuit meets the goal', async () => {
    const out = join(dir, 'met.onnx');
    const r = await runCli(['sdk', MODEL, ...COMMON, '--resistors', 'E96', '--tolerance', '0.005', '--min-accuracy', '0.9', '-o', out, '--circuit', join(dir, 'circuit')]);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('ohmnet:'))).toEqual([]);
    expect(r.code).toBe(0);
    // The final circuit, as compile writes it.
    expect(existsSync(join(dir, 'circuit', 'netlist.cir'))).toBe(true);
    expect(existsSync(join(dir, 'circuit', 'summary.json'))).toBe(true);
    const j = JSON.parse(r.stdout) as { met: boolean; rows: { iteration: number; meets: boolean; monteCarloP5: number; realized: number }[] };
    expect(j.met).toBe(true);
    expect(j.rows).toHaveLength(1);
    expect(j.rows[0].monteCarloP5).toBeGreaterThanOrEqual(0.9);
    expect(existsSync(out)).toBe(true);
  }, 120_000);

  it('fine-tunes round after round up to the budget, a row each, and exits 1 when the goal stays out of reach', async () => {
    const out = join(dir, 'missed.onnx');
    const r = await runCli(['sdk', MODEL, ...COMMON, ...E6, '--min-accuracy', '1.0', '--max-error', '1e-6', '--budget', '1', '--epochs', '1', '-o', out]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { met: boolean; rFeedbackOhm: number; rows: { iteration: number; step: string; meets: boolean }[] };
    expect(j.met).toBe(false);
    expect(j.rows.map((x) => x.iteration)).toEqual([0, 1]);
    expect(j.rows[1].step).toMatch(/^QAT on the E6 .* grid \(R_f \d+ ohm\), weight noise 0.05, 1 epochs$/);
    expect(j.rows.every((x) => !x.meets)).toBe(true);
    // The written model is the last iteration's, on the E6 grid of its R_f.
    expect(importModel(out).nodes.length).toBe(importModel(MODEL).nodes.length);
  }, 120_000);

  it('judges the --max-error goal alone by the nominal circuit\'s largest output error', async () => {
    // E96: the nominal circuit errs by millivolts; a goal above that is met at once, one below it is missed.
    const args = [...COMMON, '--resistors', 'E96', '--trials', '0', '--budget', '0', '-o', join(dir, 'err.onnx')];
    const first = await runCli(['sdk', MODEL, ...args, '--max-error', '1']);
    const j = JSON.parse(first.stdout) as { met: boolean; rows: { maxErrorV: number; meets: boolean }[] };
    const err = j.rows[0].maxErrorV;
    expect(err).toBeGreaterThan(0);
    expect(first.code).toBe(0);
    expect(j.met).toBe(true);
    const above = await runCli(['sdk', MODEL, ...args, '--force', '--max-error', String(err * 1.01)]);
    expect(above.code).toBe(0);
    const below = await runCli(['sdk', MODEL, ...args, '--force', '--max-error', String(err * 0.99)]);
    expect(below.code).toBe(1);
    expect((JSON.parse(below.stdout) as { met: boolean }).met).toBe(false);
  }, 120_000);

  it('refuses a loop without a goal (exit 2, one line)', async () => {
    const r = await runCli(['sdk', MODEL, '--data', TRAIN, '--test', TEST, '-o', join(dir, 'x.onnx')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/needs a goal: give --min-accuracy .* or --max-error/);
    expect(existsSync(join(dir, 'x.onnx'))).toBe(false);
  });
});
