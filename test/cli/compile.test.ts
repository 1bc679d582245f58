// `ohmnet compile` and `ohmnet run --stage tnet` from the command line.

import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTnetJson } from '../../src/io/tnet-json.js';
import { verifyTnet } from '../../src/tnet/verify.js';
import { FIXTURES, loadFixture, maxAbsDiff, runCli } from '../helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'ohmnet-compile-'));
const digits = loadFixture('digits_cnn');
const calib = join(tmp, 'calib.json');
writeFileSync(calib, JSON.stringify({ inputs: digits.inputs }));

describe('ohmnet compile', () => {
  const out = join(tmp, 'digits');
  it('writes summary.json and tnet.json with the documented fields', async () => {
    const r = await runCli(['compile', digits.path, '-o', out, '--fan-in', '16', '--fan-out', '16', '--calibration', calib]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/T-network: \d+ layers/);
    expect(readdirSync(out).sort()).toEqual(['.ohmnet-output', 'bom.csv', 'netlist.cir', 'ohmnet.project.json', 'report.html', 'resistors.csv', 'summary.json', 'testbench.cir', 'tnet.json']);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.source).toEqual({ layers: 9, parameters: 1898, macs: 23936 });
    expect(s.constraints).toEqual({ fanIn: 16, fanOut: 16, signalLimit: 5 });
    for (const k of ['layers', 'neurons', 'neuronsByKind', 'connections', 'maxFanIn', 'maxFanOut', 'maxAbsSignal']) expect(s.tnet).toHaveProperty(k);
    expect(s.tnet.maxFanIn).toBeLessThanOrEqual(16);
    expect(s.tnet.maxFanOut).toBeLessThanOrEqual(16);
    expect(s.tnet.maxAbsSignal).toBeLessThanOrEqual(5);
    expect(s.equivalence.calibration.on).toBe('calibration');
    expect(s.equivalence.calibration.samples).toBe(digits.inputs.length);
    expect(s.equivalence.calibration.maxAbsError).toBeLessThanOrEqual(1e-9);
    expect(s.equivalence.calibration.meanAbsError).toBeLessThanOrEqual(s.equivalence.calibration.maxAbsError);
    expect(s.equivalence.test).toBe(null);
    expect(s.layers.length).toBeGreaterThan(0);
    for (const l of s.layers) expect(['direct', 'pyramid', 'fan-out tree', 'trapezium', 'composed', 'digital tail'].includes(l.construction) || /^fused into /.test(l.construction)).toBe(true);
    const net = readTnetJson(join(out, 'tnet.json'));
    verifyTnet(net, { fanIn: 16, fanOut: 16 });
    expect(net.neurons.count).toBe(s.tnet.neurons);
  });

  it('refuses to overwrite without --force, and replaces with it', async () => {
    const r = await runCli(['compile', digits.path, '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/already exists; pass --force/);
    const f = await runCli(['compile', digits.path, '-o', out, '--force', '--json']);
    expect(f.code).toBe(0);
    expect(JSON.parse(f.stdout).constraints.fanIn).toBe(100);
  });

  it('is deterministic: two compiles give byte-identical files', async () => {
    const a = join(tmp, 'a');
    const b = join(tmp, 'b');
    // Default thresholds: fan-in 5 with E96 errs by 12 mV at the outputs (the default allows 1% of S, 50 mV).
    for (const d of [a, b]) expect((await runCli(['compile', join(FIXTURES, 'residual.onnx'), '-o', d, '--fan-in', '5', '--fan-out', '7', '--seed', '42'])).code).toBe(0);
    for (const f of ['summary.json', 'tnet.json', 'resistors.csv', 'netlist.cir', 'report.html']) {
      const sa = readFileSync(join(a, f), 'utf8').replace(/"file": ".*"/, '');
      const sb = readFileSync(join(b, f), 'utf8').replace(/"file": ".*"/, '');
      expect(sa === sb).toBe(true);
    }
  });

  it.each([
    [['--fan-in', '1'], /fan-in 1 is not possible.*use --fan-in 2 or more/],
    [['--fan-out', '0'], /fan-out 0 is not possible/],
    [['--signal-limit', '0'], /signal limit 0 V is not possible.*check --signal-limit/],
    [['--signal-limit', '-2'], /signal limit -2 V is not possible/],
    [['--signal-limit', 'x'], /--signal-limit 'x' is not a finite number/],
    [['--input-range', '1,0'], /input range 1,0 is empty or not finite; give --input-range as lo,hi/],
    [['--approx', '0'], /--approx 0: the number of shared levels/],
    [['--approx-method', 'svd'], /--approx-method needs --approx/],
    [['--calibration', '/nope.json'], /no such file/],
  ])('refuses %j with one line, exit 2, and no output directory', async (flags, re) => {
    const dir = join(tmp, `bad-${flags.join('')}`.replace(/[^\w-]/g, '_'));
    const r = await runCli(['compile', digits.path, '-o', dir, ...(flags as string[])]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(re as RegExp);
    expect(existsSync(dir)).toBe(false);
  });

  it('reports a final softmax as a digital tail (iris)', async () => {
    const r = await runCli(['compile', join(FIXTURES, 'iris_mlp.onnx'), '-o', join(tmp, 'iris'), '--json']);
    const s = JSON.parse(r.stdout);
    expect(s.digitalTail).toEqual({ kind: 'softmax', axes: [0] });
    expect(s.layers.find((l: { op: string }) => l.op === 'Softmax').construction).toBe('digital tail');
  });
});

describe('ohmnet run --stage tnet', () => {
  it('prints the T-network outputs, equal to the source within 1e-9', async () => {
    const fx = loadFixture('dwsep_cnn');
    const inputs = join(tmp, 'dw.json');
    writeFileSync(inputs, JSON.stringify({ inputs: fx.inputs }));
    const src = await runCli(['run', fx.path, '--inputs', inputs, '--json']);
    const t = await runCli(['run', fx.path, '--inputs', inputs, '--json', '--stage', 'tnet', '--fan-in', '3', '--fan-out', '5', '--calibration', inputs]);
    expect(t.code).toBe(0);
    const jt = JSON.parse(t.stdout);
    expect(jt.stage).toBe('tnet');
    expect(maxAbsDiff(jt.outputs, JSON.parse(src.stdout).outputs)).toBeLessThanOrEqual(1e-9);
  });

  it('applies the digital tail (softmax) so outputs compare with the source', async () => {
    const fx = loadFixture('iris_mlp');
    const inputs = join(tmp, 'iris.json');
    writeFileSync(inputs, JSON.stringify({ inputs: fx.inputs }));
    const t = await runCli(['run', fx.path, '--inputs', inputs, '--json', '--stage', 'tnet', '--calibration', inputs]);
    const jt = JSON.parse(t.stdout);
    for (const o of jt.outputs) expect(o.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 12);
    expect(maxAbsDiff(jt.outputs, fx.outputs)).toBeLessThanOrEqual(1e-9);
  });

  it('refuses an unknown stage', async () => {
    const r = await runCli(['run', digits.path, '--inputs', calib, '--stage', 'silicon']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/silicon/);
  });
});
