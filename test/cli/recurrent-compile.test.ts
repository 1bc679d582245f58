// A digits-style sequence task trained on real data (fixtures/recurrent: sklearn digits read row by row, 8 steps of
// 8 pixels; LSTM, GRU and IndRNN trained by fixtures/make_recurrent.py) compiles from the CLI and reports the class
// accuracy of the source model, the T-network, the realized circuit and Monte Carlo on the held-out digits.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli } from '../helpers.js';

const DIR = join(FIXTURES, 'recurrent');

// With 35% of the signal range kept free (--signal-headroom 0.35) the held-out digits stay within the
// rails. The LSTM and GRU pass every verdict. The ReLU IndRNN (recurrent weights up to 1.0, unbounded state) is the
// sensitive one: its realized circuit errs by ~0.2 V at the outputs and its class agreement under 1% tolerance falls
// to ~96%, so compile says so (exit 1) while the accuracy figures are still reported.
describe.each([['lstm_digits', 0], ['gru_digits', 0], ['indrnn_digits', 1]] as const)('compile %s on the digits sequence task', (name, exit) => {
  it('reports source, T-network, realized and Monte Carlo accuracy on the 360 held-out digits', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ohmnet-seq-')), 'out');
    const fx = JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as { accuracy: number };
    const r = await runCli(['compile', join(DIR, `${name}.onnx`), '--calibration', join(DIR, 'digits_seq_calib.json'), '--test', join(DIR, 'digits_seq_test.json'),
      '--signal-headroom', '0.35', '--tolerance', '0.01', '--trials', '10', '-o', out]);
    expect(r.stderr).not.toMatch(/error:/);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { accuracy: { on: string; samples: number; source: number; tnet: number; realized: number; monteCarlo: { mean: number; p5: number } }; clock: { ticks: number } };
    expect(s.clock.ticks).toBe(8);
    expect(s.accuracy.on).toBe('test');
    expect(s.accuracy.samples).toBe(360);
    // The source accuracy is the one torch measured when the fixture was trained; the T-network is exact.
    expect(s.accuracy.source).toBeCloseTo(fx.accuracy, 12);
    expect(s.accuracy.tnet).toBe(s.accuracy.source);
    expect(s.accuracy.realized).toBeGreaterThan(s.accuracy.source - 0.02);
    expect(s.accuracy.monteCarlo.p5).toBeGreaterThan(0.85);
    const failed = (JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { verdicts: { check: string; pass: boolean }[] }).verdicts.filter((v) => !v.pass).map((v) => v.check);
    expect(failed).toEqual(exit === 0 ? [] : ['realization-error', 'monte-carlo-agreement']);
    expect(r.code).toBe(exit);
  });
});
