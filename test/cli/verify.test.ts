// `ohmnet verify --spice` and `compile --verify` from the command line: exit codes 0 / 1 / 2 and one-line errors.

import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFixture, runCli } from '../helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'ohmnet-verify-'));
const fx = loadFixture('tiny_mlp');
const calib = fx.path.replace('.onnx', '.json');

describe('ohmnet verify --spice', () => {
  it('agrees (exit 0) and reports per output', async () => {
    const r = await runCli(['verify', fx.path, '--spice', '--engine', 'wasm', '--calibration', calib, '--json']);
    expect(r.code).toBe(0);
    const v = JSON.parse(r.stdout);
    expect(v.passed).toBe(true);
    expect(v.perOutput).toHaveLength(2);
    expect(v.samples).toBe(20);
  });

  it('exits 1 on a failed comparison (an op-amp of gain 10 cannot realize the weights)', async () => {
    const r = await runCli(['verify', fx.path, '--spice', '--engine', 'wasm', '--opamp', 'ideal:gain=10', '--calibration', calib]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/DISAGREE/);
  });

  it('exits 2 with one line when the engine is missing', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const r = await runCli(['verify', fx.path, '--spice', '--engine', 'ngspice', '--calibration', calib]);
      expect(r.code).toBe(2);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/needs the ngspice program.*apt-get install ngspice.*--engine wasm/);
    } finally {
      process.env.PATH = path;
    }
  });

  it('exits 2 with one line when the engine runs out of time (never a hang)', async () => {
    const r = await runCli(['verify', fx.path, '--spice', '--engine', 'wasm', '--samples', '20', '--spice-timeout', '0.001', '--calibration', calib]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/within the time limit of 0.001 s/);
  });

  it('needs --spice, and validates its options', async () => {
    expect((await runCli(['verify', fx.path])).stderr).toMatch(/nothing to verify: pass --spice/);
    const bad = await runCli(['verify', fx.path, '--spice', '--opamp', 'magic']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--opamp 'magic' is not a model/);
    expect((await runCli(['verify', fx.path, '--spice', '--opamp', 'macro:gbw=-1'])).stderr).toMatch(/gbw=-1 must be a positive number/);
  });
});

describe('compile --verify', () => {
  it('writes netlist.cir and a spice section', async () => {
    const dir = join(tmp, 'v');
    const r = await runCli(['compile', fx.path, '-o', dir, '--verify', '--engine', 'wasm', '--calibration', calib, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).spice.passed).toBe(true);
    expect(readFileSync(join(dir, 'netlist.cir'), 'utf8')).toMatch(/^\* ohmnet netlist/);
  });

  it('without --verify, spice is null and no engine runs', async () => {
    const dir = join(tmp, 'nv');
    const r = await runCli(['compile', fx.path, '-o', dir, '--json', '--calibration', calib]);
    expect(JSON.parse(r.stdout).spice).toBeNull();
    expect(existsSync(join(dir, 'netlist.cir'))).toBe(true);
  });
});
