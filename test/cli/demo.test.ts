// The user's path: `ohmnet demo` produces the full output with the report; compiling twice gives byte-identical
// files (with Monte Carlo and SPICE verification); the report from compile has every section and plot.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, runCli } from '../helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'ohmnet-demo-'));
const FILES = ['.ohmnet-output', 'bom.csv', 'netlist.cir', 'ohmnet.project.json', 'report.html', 'resistors.csv', 'summary.json', 'testbench.cir', 'tnet.json'];

describe('ohmnet demo', () => {
  it('compiles the bundled digits CNN and writes the report (the installed binary, as a user runs it)', () => {
    const out = join(tmp, 'demo');
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'ohmnet.js'), 'demo', '-o', out, '--engine', 'wasm'], { encoding: 'utf8', cwd: tmp });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/equivalence on 1437 calibration samples: max \|error\| \d/);
    expect(r.stdout).toMatch(/equivalence on 360 test samples: max \|error\| \d\.\d+e-1\d, mean [^;]*\n/);
    expect(r.stdout).toMatch(/Monte Carlo \(50 trials, tolerance 0.01 gaussian\) on 360 test samples/);
    expect(r.stdout).toMatch(/accuracy on 360 test samples: source 97\.8%, T-network 97\.8%, realized \d+\.\d%, Monte Carlo mean \d+\.\d% \(p5 /);
    expect(r.stdout).toMatch(/SPICE \(wasm, ideal op-amps\) on 20 test samples/);
    expect(r.stdout).toMatch(/open .*demo\/report.html in a browser/);
    expect(readdirSync(out).sort()).toEqual(FILES);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.constraints).toEqual({ fanIn: 32, fanOut: 32, signalLimit: 5 });
    // Calibrated on the training digits, judged on the held-out ones: every figure names its set.
    expect(s.sets.calibration).toMatchObject({ samples: 1437, from: 'file', file: 'digits_calibration.json', labelled: true });
    expect(s.sets.test).toMatchObject({ samples: 360, from: 'file', file: 'digits_test.json', labelled: true });
    expect(s.equivalence.calibration.maxAbsError).toBeLessThan(1e-9);
    expect(s.equivalence.test).toMatchObject({ on: 'test', samples: 360, railHits: 0 });
    expect(s.equivalence.test.maxAbsError).toBeLessThan(1e-9);
    expect(s.realization.nominal.on).toBe('test');
    expect(s.spice).toMatchObject({ on: 'test', samples: 20, passed: true });
    expect(s.realization.monteCarlo).toMatchObject({ on: 'test', samples: 360, trials: 50 });
    // The trained CNN's 97.8% held-out accuracy (fixtures/README.md), kept by the T-network exactly.
    expect(s.accuracy.on).toBe('test');
    expect(s.accuracy.source).toBeCloseTo(0.978, 3);
    expect(s.accuracy.tnet).toBe(s.accuracy.source);
    expect(s.accuracy.monteCarlo.worst).toBeLessThanOrEqual(s.accuracy.monteCarlo.mean);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toMatch(/<h3[^>]*>Accuracy<\/h3>[^]*?source model[^]*?97\.8%[^]*?T-network[^]*?Monte Carlo mean/);
    expect(html).toContain('against the labels of 360 test samples');
  }, 180_000);

  it('refuses to overwrite its directory without --force', async () => {
    const out = join(tmp, 'demo2');
    expect((await runCli(['demo', '-o', out, '--engine', 'wasm', '--json'])).code).toBe(0);
    const again = await runCli(['demo', '-o', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists; pass --force/);
  }, 180_000);
});

describe('compile output', () => {
  it('is byte-identical when compiling the same model twice (Monte Carlo and SPICE included)', async () => {
    const dirs = [join(tmp, 'a'), join(tmp, 'b')];
    // Fan-in 8 with pairs chosen for 2% resistors: about 0.074 V of nominal output error, and 2% resistors flip one
    // sample in 24 in the worst trials, so the run states the thresholds it accepts (the defaults, 0.05 V and 98%,
    // would fail it).
    for (const d of dirs) {
      const r = await runCli(['compile', join(FIXTURES, 'dwsep_cnn.onnx'), '-o', d, '--fan-in', '8', '--fan-out', '8', '--tolerance', '0.02', '--trials', '10',
        '--max-output-error', '0.1', '--min-agreement', '0.9', '--verify', '--engine', 'wasm', '--samples', '4', '--calibration', join(FIXTURES, 'dwsep_cnn.json')]);
      expect(r.code).toBe(0);
    }
    for (const f of FILES) expect(readFileSync(join(dirs[0], f)).equals(readFileSync(join(dirs[1], f))), f).toBe(true);
  }, 180_000);

  it('report.html has every section and plot, and no external resource', async () => {
    const html = readFileSync(join(tmp, 'a', 'report.html'), 'utf8');
    for (const id of ['overview', 'source-layers', 'tnet-layers', 'weight-histograms', 'weight-grid', 'quantization', 'monte-carlo', 'equivalence', 'options']) {
      expect(html).toContain(`<section id="${id}"`);
    }
    for (const plot of ['weight-histograms', 'weight-grid', 'quantization-error', 'mc-mse', 'mc-agreement', 'spice-agreement']) {
      expect(html).toMatch(new RegExp(`data-plot="${plot}"[^]*?<svg[^]*?</svg>`));
    }
    expect(html).not.toMatch(/<script[^>]*src=/);
    expect(html).not.toMatch(/(href|src)="https?:/);
  });
});
