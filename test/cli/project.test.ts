// The compiled project (issue 10, observations 1, 6 and 7): compile writes ohmnet.project.json; verify, run and report
// given the directory use exactly what was compiled; a config file is named and its paths resolve against it; the
// output directory is checked before any work; options per layer reach that layer only.

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onCall } from '../../src/index.js';
import { loadFixture, ROOT, runCli } from '../helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'ohmnet-project-'));
const fx = loadFixture('tiny_mlp');
const calib = fx.path.replace('.onnx', '.json');
const bin = join(ROOT, 'bin', 'ohmnet.js');
const binary = (args: string[], cwd: string) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd });

describe('ohmnet.project.json', () => {
  const dir = join(tmp, 'p');
  const compiled = ['--fan-in', '2', '--resistors', 'E24', '--calibration', calib];

  it('compile writes it with every option resolved, the model hash and the version', async () => {
    expect((await runCli(['compile', fx.path, '-o', dir, ...compiled])).code).toBe(0);
    const p = JSON.parse(readFileSync(join(dir, 'ohmnet.project.json'), 'utf8'));
    expect(p.format).toBe('ohmnet-project');
    expect(p.ohmnet).toMatch(/^\d+\.\d+\.\d+/);
    expect(p.model.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(p.options.compile.fanIn).toBe(2);
    expect(p.options.realization.resistors).toBe('E24');
    expect(p.sets.calibration.file).toMatch(/tiny_mlp\.json$/);
  });

  it("names the model after its file when the graph has the exporter's default name (torch_jit)", () => {
    const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(s.model.graphName).toBe('torch_jit');
    expect(s.model.name).toBe('tiny_mlp');
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toMatch(/<title>ohmnet report: tiny_mlp<\/title>/);
  });

  it('verify DIR --spice uses the compiled options, not the defaults (observation 1)', async () => {
    const fromDir = JSON.parse((await runCli(['verify', dir, '--spice', '--engine', 'wasm', '--json'])).stdout);
    const explicit = JSON.parse((await runCli(['verify', fx.path, '--spice', '--engine', 'wasm', '--json', ...compiled])).stdout);
    const defaults = JSON.parse((await runCli(['verify', fx.path, '--spice', '--engine', 'wasm', '--json'])).stdout);
    expect(fromDir.maxVsSource).toBe(explicit.maxVsSource);
    expect(fromDir.maxVsSource).not.toBe(defaults.maxVsSource);
    expect(fromDir.on).toBe('calibration');
  });

  it('run DIR evaluates the compiled realized network', async () => {
    const inputs = join(tmp, 'in.json');
    writeFileSync(inputs, JSON.stringify({ inputs: fx.inputs.slice(0, 3) }));
    const a = await runCli(['run', dir, '--inputs', inputs, '--stage', 'realized', '--json']);
    const b = await runCli(['run', fx.path, '--inputs', inputs, '--stage', 'realized', '--json', '--fan-in', '2', '--resistors', 'E24', '--calibration', calib]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it('refuses options that would change the compiled circuit, and a model that changed since', async () => {
    const r = await runCli(['verify', dir, '--spice', '--fan-in', '5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--fan-in would change the compiled circuit.*recompile/);
    const moved = join(tmp, 'moved');
    mkdirSync(moved);
    const model = join(moved, 'm.onnx');
    copyFileSync(fx.path, model);
    const d2 = join(tmp, 'p2');
    expect((await runCli(['compile', model, '-o', d2])).code).toBe(0);
    writeFileSync(model, Buffer.concat([readFileSync(model), Buffer.from([0])]));
    const changed = await runCli(['run', d2, '--inputs', calib]);
    expect(changed.code).toBe(2);
    expect(changed.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(changed.stderr).toMatch(/changed since/);
  });

  it('a directory without a project file is refused with one line naming it', async () => {
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    const r = await runCli(['verify', empty, '--spice']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ohmnet\.project\.json/);
  });

  it('report DIR re-renders the same report.html byte for byte', async () => {
    const out = join(tmp, 'again.html');
    const r = await runCli(['report', dir, '-o', out]);
    expect(r.code).toBe(0);
    expect(readFileSync(out)).toEqual(readFileSync(join(dir, 'report.html')));
  });
});

describe('config files (observation 1)', () => {
  it('a config file in the working directory is named on the terminal and in the summary; its paths resolve against it', () => {
    const cfgDir = join(tmp, 'cfg');
    const work = join(tmp, 'work');
    mkdirSync(cfgDir);
    mkdirSync(work);
    copyFileSync(calib, join(cfgDir, 'cal.json'));
    writeFileSync(join(cfgDir, 'ohmnet.config.json'), JSON.stringify({ calibration: 'cal.json', trials: 7, tolerance: 0.01 }));
    // Named explicitly from another directory: cal.json is found beside the config file, not in the working directory.
    const r = binary(['compile', fx.path, '-o', join(work, 'a'), '--config', join(cfgDir, 'ohmnet.config.json'), '--json'], work);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/using config .*cfg\/ohmnet\.config\.json/);
    const s = JSON.parse(r.stdout);
    expect(s.options.config).toBe('ohmnet.config.json');
    expect(s.sets.calibration.samples).toBe(fx.inputs.length);
    // Found in the working directory without --config: still named.
    const r2 = binary(['compile', fx.path, '-o', join(cfgDir, 'b'), '--json'], cfgDir);
    expect(r2.status).toBe(0);
    expect(r2.stderr).toMatch(/using config \.\/ohmnet\.config\.json/);
    expect(readFileSync(join(cfgDir, 'b', 'report.html'), 'utf8')).toMatch(/ohmnet\.config\.json/);
  });
});

describe('the output directory (observation 6)', () => {
  it('is checked before any work: an existing directory fails before the model is even compiled', async () => {
    const dir = join(tmp, 'exists');
    mkdirSync(dir);
    const calls: string[] = [];
    const off = onCall((e) => calls.push(e.call));
    try {
      const r = await runCli(['compile', fx.path, '-o', dir]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/already exists; pass --force/);
    } finally {
      off();
    }
    // No reference evaluation, no T-network evaluation, no netlist: the refusal came first.
    expect(calls).toEqual([]);
    // The same listener does see a compile's work (so the empty list above means something).
    const seen: string[] = [];
    const off2 = onCall((e) => seen.push(e.call));
    try {
      expect((await runCli(['compile', fx.path, '-o', join(tmp, 'fresh')])).code).toBe(0);
    } finally {
      off2();
    }
    expect(seen).toContain('reference');
    expect(seen).toContain('tnet');
  });
});

describe('options per layer (observation 7)', () => {
  it('a layer named in the config gets its own fan-in and resistor set; the others keep the global ones', () => {
    const d = join(tmp, 'layers');
    mkdirSync(d);
    const iris = loadFixture('iris_mlp');
    // E12 weights in the last layer err by about 0.22 V at the outputs: the config states the threshold it accepts.
    writeFileSync(join(d, 'ohmnet.config.json'), JSON.stringify({ maxOutputError: 0.5, layers: { '/net/net.2/Gemm': { fanIn: 4, resistors: 'E12' } } }));
    const r = binary(['compile', iris.path, '-o', join(d, 'out'), '--json'], d);
    expect(r.stderr).toMatch(/using config/);
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout);
    const layer = s.options.layers.find((l: { layer: string }) => l.layer === '/net/net.2/Gemm');
    expect(layer).toMatchObject({ fanIn: 4 });
    expect(layer.series).toMatch(/^E12 /);
    expect(s.options.layers).toHaveLength(1);
    // Every weight resistor of that layer is an E12 value; the other layers use E96 values E12 lacks.
    const e12 = [10, 12, 15, 18, 22, 27, 33, 39, 47, 56, 68, 82];
    const isE12 = (ohm: number) => e12.includes(Math.round(ohm / 10 ** (Math.floor(Math.log10(ohm)) - 1)));
    const rows = readFileSync(join(d, 'out', 'resistors.csv'), 'utf8').trimEnd().split('\n').slice(1).map((l) => l.split(','));
    const weights = (name: string) => rows.filter((c) => c[1] === name && c[2] === 'weight').flatMap((c) => [c[6], c[7]]).filter((v) => v !== '').map(Number);
    expect(weights('/net/net.2/Gemm').length).toBeGreaterThan(100);
    expect(weights('/net/net.2/Gemm').every(isE12)).toBe(true);
    expect(weights('/net/net.0/Gemm').filter((v) => !isE12(v)).length).toBeGreaterThan(50);
    // The layer's fan-in 4 splits each of its 16-input neurons into a tree: more neurons than its 16 outputs.
    expect(layer.neurons).toBeGreaterThan(16);
    const p = JSON.parse(readFileSync(join(d, 'out', 'ohmnet.project.json'), 'utf8'));
    expect(p.options.layers['/net/net.2/Gemm'].fanIn).toBe(4);
  });

  it('an unknown layer name is refused with one line listing the layers', () => {
    const d = join(tmp, 'badlayer');
    mkdirSync(d);
    writeFileSync(join(d, 'ohmnet.config.json'), JSON.stringify({ layers: { '/nope/Gemm': { fanIn: 4 } } }));
    const r = binary(['compile', loadFixture('iris_mlp').path, '-o', join(d, 'out')], d);
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd().split('\n').filter((l) => !/^using config/.test(l))).toHaveLength(1);
    expect(r.stderr).toMatch(/\/nope\/Gemm/);
  });
});
