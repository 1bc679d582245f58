// `compile --prune` (issue 13): a pruned circuit goes through compile, SPICE verification and the report like any
// other, summary.json gains its pruning section, and bad pruning options are one-line errors with exit 2.

import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFixture, runCli } from '../helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'ohmnet-prune-'));
const xor = loadFixture('xor');
const xorSamples = xor.path.replace('.onnx', '.json');

describe('compile --prune', () => {
  it('the XOR network pruned exactly on its calibration set passes compile --verify with SPICE (ngspice) and the report shows the steps', async () => {
    const out = join(tmp, 'xor');
    const r = await runCli(['compile', xor.path, '--prune', 'dead,extract,fold', '--calibration', xorSamples, '--verify', '--engine', 'ngspice', '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.verdicts.every((v: { pass: boolean }) => v.pass)).toBe(true);
    expect(s.spice.passed).toBe(true);
    const p = s.pruning;
    expect(p.options).toEqual({ steps: ['dead', 'extract', 'fold'], weightBelowAbs: null, biasBelowAbs: null, fanIn: 100, fanOut: 100 });
    expect(p.extractionOn).toEqual({ set: 'calibration', samples: 24 });
    // N4 goes (never active); N1, N2 are never negative on [0,1]^2 and become identity; one folds into N3's place.
    expect(p.before.neurons).toBe(5);
    expect(p.after.neurons).toBeLessThan(5);
    expect(p.after.resistors).toBeLessThan(p.before.resistors);
    expect(s.tnet.neurons).toBe(p.after.neurons);
    const constant = p.steps.find((x: { pass: string }) => x.pass === 'extract-constant');
    expect(constant).toMatchObject({ removedNeurons: 1, removedConnections: 3, exact: true });
    for (const step of p.steps) expect(step.error.maxAbsOutputError).toBeLessThanOrEqual(1e-12);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('Pruning and knowledge extraction');
    expect(html).toContain('extract-constant');
  });

  it('a lossy step (biases) reports its error; the equivalence verdict judges against the unpruned source', async () => {
    const out = join(tmp, 'xor-biases');
    const r = await runCli(['compile', xor.path, '--prune', 'biases', '--prune-bias-below', '0.005', '--calibration', xorSamples, '-o', out]);
    expect(r.code).toBe(1);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.pruning.steps[0]).toMatchObject({ pass: 'prune-biases', exact: false, removedBiasPairs: 4, removedResistors: 8 });
    expect(s.pruning.steps[0].error.maxAbsOutputError).toBeGreaterThan(0);
    expect(s.verdicts.find((v: { check: string }) => v.check === 'equivalence').pass).toBe(false);
    // The step counts the pairs it removed (8 resistors); the realized circuit also re-balances its normalizing
    // resistors (both op-amp inputs must see equal conductance), so its own count falls by less.
    expect(s.pruning.after.resistors).toBeLessThan(s.pruning.before.resistors);
  });

  it.each([
    [['--prune', 'weights'], /--prune step 'weights' needs its threshold: give --prune-weight-below/],
    [['--prune', 'weights', '--prune-weight-below', '-0.1'], /--prune-weight-below -0.1 must be a finite number >= 0/],
    [['--prune', 'dead', '--prune-bias-below', '0.1'], /--prune-bias-below is given but the --prune steps do not include 'biases'/],
    [['--prune', 'dead,everything'], /--prune step 'everything' is not one of weights, biases, dead, extract, fold/],
  ])('refuses %j with one line, exit 2, and no output directory', async (flags, re) => {
    const out = join(tmp, `bad-${flags.join('')}`);
    const r = await runCli(['compile', xor.path, ...flags, '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(re);
    expect(existsSync(out)).toBe(false);
  });
});
