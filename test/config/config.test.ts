// ohmnet.config.json: validated against the schema generated from the TypeScript type; flags override it; every CLI
// option is in the schema and in docs/cli.md, and every schema key is a CLI option (nothing unimplemented).

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { configSchema } from '../../src/config/load.js';
import { generateSchema, SCHEMA_PATH } from '../../scripts/schema.js';
import { loadFixture, ROOT, runCli } from '../helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'ohmnet-config-'));
const fx = loadFixture('tiny_mlp');
const calib = fx.path.replace('.onnx', '.json');
const write = (name: string, doc: unknown) => {
  const p = join(tmp, name);
  writeFileSync(p, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return p;
};

/** Every command with options, subcommands (ohmnet crossbar solve) included; a command that only groups subcommands is skipped. */
function allCommands(program: Command): Command[] {
  const out: Command[] = [];
  const walk = (c: Command) => {
    for (const sub of c.commands) {
      if (sub.commands.length === 0 || sub.options.length > 0) out.push(sub);
      walk(sub);
    }
  };
  walk(program);
  return out;
}
const commandPath = (c: Command): string => (c.parent && c.parent.parent ? `${commandPath(c.parent)} ${c.name()}` : c.name());

describe('config schema', () => {
  it('is generated from the OhmnetConfig type (the committed file is up to date)', () => {
    expect(readFileSync(SCHEMA_PATH, 'utf8')).toBe(generateSchema());
  });

  it('matches the CLI exactly: every option of every command is a config key, and every key is an option', () => {
    const program = buildProgram({ out: () => undefined, err: () => undefined, interactive: false }, () => undefined);
    const keys = new Set(Object.keys((configSchema().definitions as Record<string, { properties: object }>).OhmnetConfig.properties));
    const options = new Set<string>();
    for (const cmd of allCommands(program)) for (const o of cmd.options) if (o.attributeName() !== 'config') options.add(o.attributeName());
    expect([...options].filter((o) => !keys.has(o))).toEqual([]);
    // `layers` (options per layer) exists only in the file: no flag could name a layer's options.
    expect([...keys].filter((k) => !options.has(k))).toEqual(['layers']);
  });

  it('every option of every command is documented in docs/cli.md under its command', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'cli.md'), 'utf8');
    const program = buildProgram({ out: () => undefined, err: () => undefined, interactive: false }, () => undefined);
    for (const cmd of allCommands(program)) {
      const section = doc.split(/\n## /).find((s) => s.startsWith(`\`ohmnet ${commandPath(cmd)}`));
      expect(section, `docs/cli.md has a section for ${commandPath(cmd)}`).toBeDefined();
      for (const o of cmd.options) expect(section, `${commandPath(cmd)} ${o.long}`).toContain(o.long!);
    }
  });
});

describe('config file', () => {
  it('supplies options, and flags override it', async () => {
    const cfg = write('a.json', { fanIn: 3, fanOut: 4, signalLimit: 2, calibration: calib, resistors: 'E24' });
    const r = await runCli(['compile', fx.path, '-o', join(tmp, 'a'), '--config', cfg, '--fan-out', '5', '--json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.constraints).toEqual({ fanIn: 3, fanOut: 5, signalLimit: 2 });
    expect(s.realization.series).toMatch(/^E24/);
  });

  it('supplies required values (output directory, run inputs) and array forms', async () => {
    const out = join(tmp, 'b');
    const cfg = write('b.json', { output: out, inputRange: [-1, 1], calibrationSamples: 7, seed: 3, inputs: calib, stage: 'tnet' });
    expect((await runCli(['compile', fx.path, '--config', cfg])).code).toBe(0);
    expect(existsSync(join(out, 'summary.json'))).toBe(true);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.sets.calibration).toEqual({ samples: 7, from: 'uniform', file: null, inputRange: [-1, 1], seed: 3, labelled: false });
    const run = await runCli(['run', fx.path, '--config', cfg, '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).stage).toBe('tnet');
  });

  it.each([
    ['{"fanIn": 1}', /'fanIn' must be >= 2/],
    ['{"fanIn": 2.5}', /'fanIn' must be integer/],
    ['{"fanin": 4}', /unknown option 'fanin'; options are the flags in camelCase/],
    ['{"engine": "spectre"}', /'engine' must be equal to one of the allowed values \(one of ngspice, wasm, auto\)/],
    ['{"fanIn": 4,}', /is not valid JSON/],
    ['[1, 2]', /the file must be object/],
  ])('refuses %s with one line, exit 2', async (text, re) => {
    const cfg = write(`bad${Math.random().toString(36).slice(2)}.json`, text);
    const r = await runCli(['compile', fx.path, '-o', join(tmp, 'x'), '--config', cfg]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(re as RegExp);
  });

  it('a missing --config file is an error; compile without -o or config is a usage error', async () => {
    expect((await runCli(['compile', fx.path, '-o', join(tmp, 'y'), '--config', join(tmp, 'nope.json')])).stderr).toMatch(/cannot read config file .*no such file/);
    const r = await runCli(['compile', fx.path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/compile needs an output directory: pass -o DIR/);
    expect((await runCli(['run', fx.path])).stderr).toMatch(/run needs samples: pass --inputs FILE/);
  });
});
