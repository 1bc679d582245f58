// Sharded Monte Carlo (issue 18): `run --stage realized --tolerance ... --shard i/N -o FILE` per shard, then
// `ohmnet merge` gives exactly (byte for byte) the unsharded run's Monte Carlo summary for the same seed; and the
// bad-input list: shard index out of range, shards of different runs or options, a missing or duplicate shard ->
// one line, exit 2, nothing merged. Sharded partitioned SPICE (`verify --spice --spice-partition n --shard i/N`):
// the merged figures equal the unsharded verify's, byte for byte (the shards cut at the fixed chunks of 10 samples).

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFixture, runCli } from '../helpers.js';
import { parseShard, shardRange } from '../../src/scale/shard.js';

const tmp = mkdtempSync(join(tmpdir(), 'ohmnet-shard-'));
const fx = loadFixture('iris_mlp');
const inputs = join(tmp, 'inputs.json');
writeFileSync(inputs, JSON.stringify({ inputs: fx.inputs }));
const base = ['run', fx.path, '--inputs', inputs, '--stage', 'realized', '--tolerance', '0.01', '--trials', '7', '--seed', '5'];
const shardFile = (name: string) => join(tmp, name);

async function shard(i: number, n: number, name: string, extra: string[] = []): Promise<string> {
  const out = shardFile(name);
  const r = await runCli([...base, ...extra, '--shard', `${i}/${n}`, '-o', out]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return out;
}

describe('shard ranges', () => {
  it('cover every trial once, in order, sizes within one', () => {
    for (const total of [0, 1, 7, 20]) {
      for (const count of [1, 2, 3, 8]) {
        const ranges = Array.from({ length: count }, (_, index) => shardRange(total, { index, count }));
        expect(ranges[0][0]).toBe(0);
        expect(ranges[count - 1][1]).toBe(total);
        ranges.slice(1).forEach((r, k) => expect(r[0]).toBe(ranges[k][1]));
        const sizes = ranges.map(([a, b]) => b - a);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }
    }
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['4/4', '-1/4', '1/0', 'a/b', '1']) expect(() => parseShard(bad)).toThrow(/must be INDEX\/COUNT/);
  });
});

describe('sharded Monte Carlo', () => {
  it('merges 3 shards (any order) into the unsharded summary, byte for byte', async () => {
    const whole = await runCli([...base, '--json']);
    expect(whole.code).toBe(0);
    const expected = `${JSON.stringify(JSON.parse(whole.stdout).realization.monteCarlo)}\n`;
    const files = [await shard(0, 3, 's0.json'), await shard(1, 3, 's1.json'), await shard(2, 3, 's2.json', ['--workers', '1'])];
    const doc = JSON.parse(readFileSync(files[1], 'utf8'));
    expect(doc).toMatchObject({ format: 'ohmnet-shard', version: 1, job: 'montecarlo', shard: { index: 1, count: 3 }, trials: 7, from: 2, to: 4 });
    expect(doc.results).toHaveLength(2);
    const out = shardFile('merged.json');
    const m = await runCli(['merge', files[2], files[0], files[1], '-o', out]);
    expect(m.stderr).toBe('');
    expect(m.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(expected);
    expect(JSON.parse(expected).trials).toBe(7);

    // Bad input: one line, exit 2, nothing written.
    const other = await shard(1, 3, 'other-seed.json', ['--seed', '6']);
    const otherTol = await shard(1, 3, 'other-tol.json', ['--tolerance', '0.02']);
    const cases: [string[], RegExp][] = [
      [[files[0], files[1]], /shard 2 of 3 is missing; pass every shard's file/],
      [[files[0], files[1], files[1], files[2]], /shard 1 is given twice/],
      [[files[0], other, files[2]], /are shards of different runs \(their options differ\)/],
      [[files[0], otherTol, files[2]], /are shards of different runs \(their options differ\)/],
      [[files[0], inputs], /is not an ohmnet shard file/],
      [[files[0], join(tmp, 'nope.json')], /is not an ohmnet shard file \(it does not exist\)/],
    ];
    for (const [args, re] of cases) {
      const dest = shardFile(`bad-${Math.random().toString(36).slice(2)}.json`);
      const r = await runCli(['merge', ...args, '-o', dest]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(re);
      expect(existsSync(dest)).toBe(false);
    }
  }, 60_000);

  it('refuses a shard index out of range and a shard without a Monte Carlo job: one line, exit 2, no file', async () => {
    for (const [args, re] of [
      [['--shard', '3/3'], /--shard '3\/3' must be INDEX\/COUNT with 0 <= INDEX < COUNT/],
      [['--shard', '0/0'], /--shard '0\/0' must be INDEX\/COUNT/],
    ] as [string[], RegExp][]) {
      const dest = shardFile(`bad-${Math.random().toString(36).slice(2)}.json`);
      const r = await runCli([...base, ...args, '-o', dest]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(re);
      expect(existsSync(dest)).toBe(false);
    }
    const dest = shardFile('no-job.json');
    const r = await runCli(['run', fx.path, '--inputs', inputs, '--stage', 'realized', '--shard', '0/2', '-o', dest]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--shard shards Monte Carlo trials/);
    expect(existsSync(dest)).toBe(false);
  }, 60_000);
});

describe('sharded partitioned SPICE', () => {
  it('merges 4 shards of 24 samples (3 chunks, one shard empty) into the unsharded figures, byte for byte', async () => {
    const spice = ['verify', fx.path, '--spice', '--calibration', inputs, '--test', inputs, '--samples', '24', '--spice-partition', '16'];
    const whole = await runCli([...spice, '--json']);
    expect(whole.stderr).toBe('');
    expect(whole.code).toBe(0);
    const { verdicts: _v, ...figures } = JSON.parse(whole.stdout) as Record<string, unknown>;
    expect(figures.samples).toBe(24);
    const files: string[] = [];
    for (let i = 0; i < 4; i++) {
      const out = shardFile(`spice${i}.json`);
      const r = await runCli([...spice, '--shard', `${i}/4`, '-o', out]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      files.push(out);
    }
    expect(JSON.parse(readFileSync(files[0], 'utf8'))).toMatchObject({ job: 'spice', samples: 24, chunkSamples: 10, from: 0, to: 0 });
    expect(JSON.parse(readFileSync(files[3], 'utf8'))).toMatchObject({ from: 20, to: 24 });
    const out = shardFile('spice-merged.json');
    const m = await runCli(['merge', files[3], files[1], files[0], files[2], '-o', out]);
    expect(m.stderr).toBe('');
    expect(m.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(`${JSON.stringify(figures)}\n`);

    // A Monte Carlo shard among SPICE shards, and a SPICE shard without partitions: one line, exit 2, nothing written.
    const mc = await shard(1, 4, 'mc-among-spice.json');
    const dest = shardFile('mixed.json');
    const bad = await runCli(['merge', files[0], mc, files[2], files[3], '-o', dest]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/are shards of different runs \(their jobs differ\)/);
    expect(existsSync(dest)).toBe(false);
    const noPart = await runCli(['verify', fx.path, '--spice', '--test', inputs, '--shard', '0/2', '-o', dest]);
    expect(noPart.code).toBe(2);
    expect(noPart.stderr.trim().split('\n')).toHaveLength(1);
    expect(noPart.stderr).toMatch(/give --spice-partition/);
    expect(existsSync(dest)).toBe(false);
  }, 120_000);
});

describe('sharding a compiled project', () => {
  it('run <project> --shard merges to the project\'s unsharded Monte Carlo summary', async () => {
    const dir = join(tmp, 'project');
    const c = await runCli(['compile', fx.path, '-o', dir, '--calibration', inputs, '--tolerance', '0.01', '--outputs', 'project']);
    expect(c.code).toBe(0);
    const job = ['run', dir, '--inputs', inputs, '--stage', 'realized', '--trials', '4'];
    const whole = await runCli([...job, '--json']);
    expect(whole.stderr).toBe('');
    const files = [shardFile('p0.json'), shardFile('p1.json')];
    for (let i = 0; i < 2; i++) {
      const r = await runCli([...job, '--shard', `${i}/2`, '-o', files[i]]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    const out = shardFile('p-merged.json');
    expect((await runCli(['merge', ...files, '-o', out])).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(`${JSON.stringify(JSON.parse(whole.stdout).realization.monteCarlo)}\n`);
  }, 60_000);
});
