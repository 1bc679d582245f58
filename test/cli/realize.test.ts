// Realization from the command line: the bad-input list of issue 4, resistors.csv and the summary's realization
// section, and `run --stage realized` with Monte Carlo.

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFixture, runCli } from '../helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'ohmnet-realize-'));
const fx = loadFixture('tiny_mlp');
const inputs = join(tmp, 'inputs.json');
writeFileSync(inputs, JSON.stringify({ inputs: fx.inputs }));
const unsorted = join(tmp, 'unsorted.txt');
writeFileSync(unsorted, '100k\n470k\n220k\n');
const empty = join(tmp, 'empty.txt');
writeFileSync(empty, '# nothing here\n');
const junk = join(tmp, 'junk.txt');
writeFileSync(junk, '100k\nbanana\n');
const custom = join(tmp, 'custom.txt');
writeFileSync(custom, '100k 150k 220k 330k 470k 680k 1M\n');

describe('realization options', () => {
  it.each([
    [['--resistors', 'E25'], /unknown resistor series 'E25'; give --resistors one of E6, E12, E24, E48, E96, E192, optimal:N or a file/],
    [['--resistors', 'optimal:x'], /should be optimal:N/],
    [['--resistors', empty], /resistor list .* is empty/],
    [['--resistors', unsorted], /is not sorted ascending without duplicates: 470k then 220k/],
    [['--resistors', junk], /'banana' is not a resistance/],
    [['--resistors', join(tmp, 'missing.txt')], /cannot read resistor list .*no such file/],
    [['--r-min', '1M', '--r-max', '100k'], /--r-min 1000000 must be below --r-max 100000/],
    [['--r-min', '1M', '--r-max', '1M'], /must be below --r-max/],
    [['--r-min', 'zero'], /--r-min 'zero' is not a resistance/],
    [['--tolerance', '-0.01'], /--tolerance -0.01 is not possible; give it as a fraction/],
    [['--v-ref', '0'], /--v-ref 0 must be a positive voltage/],
    [['--dac-bits', '0'], /--dac-bits '0' is not an integer >= 1/],
    [['--feedback-per', 'chip'], /argument 'chip' is invalid/],
  ])('%j: one line, exit 2, no output', async (flags, re) => {
    const dir = join(tmp, `bad${Math.random().toString(36).slice(2)}`);
    const r = await runCli(['compile', fx.path, '-o', dir, ...(flags as string[])]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(re as RegExp);
    expect(existsSync(dir)).toBe(false);
  });
});

describe('compile with realization', () => {
  it('writes resistors.csv and the realization section', async () => {
    const dir = join(tmp, 'ok');
    // A 7-value set errs by about 70 mV at the outputs: the test states the realization error it accepts.
    const r = await runCli(['compile', fx.path, '-o', dir, '--resistors', custom, '--calibration', inputs, '--tolerance', '0.01', '--trials', '16', '--max-output-error', '0.1', '--json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    const re = s.realization;
    expect(re.series).toMatch(/custom\.txt 100 kΩ\.\.1 MΩ/);
    expect(re.setValuesOhm).toEqual([1e5, 1.5e5, 2.2e5, 3.3e5, 4.7e5, 6.8e5, 1e6]);
    for (const k of ['resistors', 'distinctValues', 'weightError', 'nominal', 'monteCarlo']) expect(re).toHaveProperty(k);
    expect(re.monteCarlo.trials).toBe(16);
    for (const k of ['mean', 'p5', 'p95', 'worst']) expect(re.monteCarlo.mse).toHaveProperty(k);
    expect(re.nominal.classAgreement).toBeGreaterThanOrEqual(0);
    const csv = readFileSync(join(dir, 'resistors.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('neuron,layer,kind,source,target_weight,r_feedback_ohm,r_plus_ohm,r_minus_ohm,realized_weight,error,element_plus,element_minus');
    const kinds = new Set(csv.slice(1).map((l) => l.split(',')[2]));
    expect([...kinds].every((k) => ['feedback', 'weight', 'bias', 'normalize', 'gain'].includes(k))).toBe(true);
    const weights = csv.slice(1).map((l) => l.split(',')).filter((c) => c[2] === 'weight');
    // 7 neurons' worth of connections in the compiled tiny MLP (3->5->2: 15 + 10).
    expect(weights).toHaveLength(25);
    for (const c of weights) {
      if (c[6] !== '') expect([1e5, 1.5e5, 2.2e5, 3.3e5, 4.7e5, 6.8e5, 1e6]).toContain(Number(c[6]));
      expect(Math.abs(Number(c[8]) - Number(c[4]))).toBeCloseTo(Math.abs(Number(c[9])), 12);
    }
  });

  it('optimal:N searches a set for the network and uses its R_f', async () => {
    const r = await runCli(['compile', fx.path, '-o', join(tmp, 'opt'), '--resistors', 'optimal:8', '--r-min', '100k', '--r-max', '5M', '--calibration', inputs, '--json']);
    expect(r.code).toBe(0);
    const re = JSON.parse(r.stdout).realization;
    expect(re.setValuesOhm).toHaveLength(8);
    expect(re.feedback.mode).toMatch(/^fixed /);
  });
});

describe('ohmnet run --stage realized', () => {
  it('prints the realized outputs, and Monte Carlo figures with --tolerance', async () => {
    const r = await runCli(['run', fx.path, '--inputs', inputs, '--stage', 'realized', '--tolerance', '0.005', '--trials', '12', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.stage).toBe('realized');
    expect(j.outputs).toHaveLength(fx.inputs.length);
    expect(j.realization.monteCarlo.trials).toBe(12);
    const h = await runCli(['run', fx.path, '--inputs', inputs, '--stage', 'realized', '--tolerance', '0.005', '--trials', '12']);
    expect(h.stdout).toMatch(/Monte Carlo \(12 trials, tolerance 0.005 gaussian\) on \d+ test samples: MSE mean/);
  });
});
