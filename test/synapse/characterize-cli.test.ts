// `ohmnet characterize` (src/cli/characterize.ts, issue 16): bad input gets one line and exit 2 before any SPICE
// run; with ngspice, a run on the smallest grid writes a LUT file that loads against these cells and round-trips
// byte for byte.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ngspiceAvailable } from '../../src/spice/engines/index.js';
import { loadSynapseLut } from '../../src/synapse/characterize.js';
import { parseLut, serializeLut } from '../../src/synapse/lut.js';
import { runCli } from '../helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'ohmnet-characterize-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('ohmnet characterize', () => {
  it.each([
    [['characterize'], /give the LUT file to write with -o FILE/],
    [['characterize', '-o', join(tmp, 'a.json'), '--z-points', '4'], /--z-points 4 is too coarse: the tables need at least 8 points per axis/],
    [['characterize', '-o', join(tmp, 'a.json'), '--v-points', '7'], /--v-points 7 is too coarse/],
    [['characterize', '-o', join(tmp, 'a.json'), '--z-max-a', '-1'], /--z-max-a -1 must be a current in \(0, 1e-3\] A/],
    [['characterize', '-o', join(tmp, 'a.json'), '--mc-draws', '1'], /--mc-draws 1 must be a whole number of draws/],
  ])('%j: one line, exit 2', async (args, msg) => {
    const r = await runCli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(msg);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });

  it.runIf(ngspiceAvailable() || process.env.OHMNET_REQUIRE_NGSPICE === '1')('writes a LUT on the smallest grid that loads against these cells', async () => {
    const out = join(tmp, 'small.lut.json');
    const r = await runCli(['characterize', '-o', out, '--z-points', '8', '--v-points', '8', '--soma-points', '8', '--mc-draws', '2', '--workers', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/F\(z, w, v\) on 8 x 9 x 8 points/);
    const lut = loadSynapseLut(out);
    expect(lut.weightLevels).toHaveLength(9);
    const text = readFileSync(out, 'utf8');
    expect(JSON.parse(text).grid).toEqual({ zMaxA: 100e-6, nZ: 8, nV: 8, nZSoma: 8, mcDraws: 2, seed: 1 });
    const d = parseLut(text, out);
    expect(d.f).toHaveLength(8 * 9 * 8);
    expect(d.wgenLevelsV[0]).toBeCloseTo(1.1, 4);
    expect(d.wgenLevelsV[8]).toBeCloseTo(0, 4);
    expect(serializeLut(d)).toBe(text);
  }, 300_000);
});
