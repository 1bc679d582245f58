// The synapse look-up tables (src/synapse/lut.ts, issue 16) on the committed fixture fixtures/synapse/ptm65.lut.json
// (scripts/make-synapse-lut.ts): the file is this ohmnet's cells and grid; trilinear F and linear H equal an
// independent formula; the derivatives are those of the interpolant (central differences inside a cell agree to
// 1e-6 relative); the file round-trips byte for byte; a file from another netlist, with an edited grid, or with too
// coarse a grid is refused with one line.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isOhmnetError } from '../../src/errors.js';
import { decksSha256, resolveGrid } from '../../src/synapse/characterize.js';
import type { SomaPoint, SynapsePoint } from '../../src/synapse/curves.js';
import { F_COST, H_COST, MIN_GRID_POINTS, parseLut, serializeLut, SynapseLut, type LutData } from '../../src/synapse/lut.js';

const FILE = 'fixtures/synapse/ptm65.lut.json';
const text = readFileSync(FILE, 'utf8');
const data = parseLut(text, FILE, decksSha256);
const lut = new SynapseLut(data);
const g = data.grid;
const nW = data.weightLevels.length;

const F = (iz: number, iw: number, iv: number) => data.f[(iz * nW + iw) * g.nV + iv];
/** Independent trilinear formula: the weighted sum of the 8 corners. */
function naive(z: number, w: number, v: number): number {
  const uz = (z / g.zMaxA) * (g.nZ - 1);
  const uw = w + 4;
  const uv = (v / data.vccV) * (g.nV - 1);
  const [iz, iw, iv] = [Math.min(Math.floor(uz), g.nZ - 2), Math.min(Math.floor(uw), nW - 2), Math.min(Math.floor(uv), g.nV - 2)];
  const [tz, tw, tv] = [uz - iz, uw - iw, uv - iv];
  let s = 0;
  for (const a of [0, 1]) for (const b of [0, 1]) for (const c of [0, 1]) s += (a ? tz : 1 - tz) * (b ? tw : 1 - tw) * (c ? tv : 1 - tv) * F(iz + a, iw + b, iv + c);
  return s;
}

const pt = (): SynapsePoint => ({ sA: 0, dSdZ: 0, dSdW: 0, dSdV: 0 });
const refuse = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(isOhmnetError(e)).toBe(true);
    const m = (e as Error).message;
    expect(m).not.toContain('\n');
    return m;
  }
  throw new Error('not refused');
};

describe('synapse LUT (fixture)', () => {
  it('is made from these cells on the default grid, 9 levels, Vcc 1.1 V', () => {
    expect(data.grid).toEqual(resolveGrid({}));
    expect(lut.weightLevels).toEqual([-4, -3, -2, -1, 0, 1, 2, 3, 4]);
    expect(lut.vccV).toBe(1.1);
    expect(lut.zRangeA).toEqual([0, g.zMaxA]);
  });

  it('F at grid points is the table; between them the trilinear formula (1e-12 relative)', () => {
    const o = pt();
    lut.synapse(3 * (g.zMaxA / (g.nZ - 1)), 2, 10 * (data.vccV / (g.nV - 1)), o);
    expect(o.sA).toBeCloseTo(F(3, 6, 10), 15);
    const pts = [
      [7.3e-6, -2.4, 0.61],
      [41.1e-6, 3.7, 0.33],
      [0.5e-6, 0.2, 1.02],
      [58.9e-6, -3.9, 0.07],
    ];
    for (const [z, w, v] of pts) {
      lut.synapse(z, w, v, o);
      const want = naive(z, w, v);
      expect(Math.abs(o.sA - want)).toBeLessThanOrEqual(1e-12 * Math.max(1e-6, Math.abs(want)));
    }
  });

  it('derivatives are those of the interpolant: central differences inside a cell agree to 1e-6 relative', () => {
    const o = pt();
    const p = pt();
    const m = pt();
    const pts = [
      [7.3e-6, -2.4, 0.61],
      [41.1e-6, 3.7, 0.33],
      [22.2e-6, 1.6, 0.92],
    ];
    for (const [z, w, v] of pts) {
      lut.synapse(z, w, v, o);
      const hz = 1e-9;
      lut.synapse(z + hz, w, v, p);
      lut.synapse(z - hz, w, v, m);
      expect(Math.abs(o.dSdZ - (p.sA - m.sA) / (2 * hz))).toBeLessThanOrEqual(1e-6 * Math.abs(o.dSdZ) + 1e-9);
      lut.synapse(z, w + 1e-4, v, p);
      lut.synapse(z, w - 1e-4, v, m);
      expect(Math.abs(o.dSdW - (p.sA - m.sA) / 2e-4)).toBeLessThanOrEqual(1e-6 * Math.abs(o.dSdW) + 1e-15);
      lut.synapse(z, w, v + 1e-5, p);
      lut.synapse(z, w, v - 1e-5, m);
      expect(Math.abs(o.dSdV - (p.sA - m.sA) / 2e-5)).toBeLessThanOrEqual(1e-6 * Math.abs(o.dSdV) + 1e-12);
    }
  });

  it('clamps outside the grid, with zero derivative along the clamped axis, and counts it', () => {
    const o = pt();
    const before = lut.counters.clamped;
    lut.synapse(-1e-6, 2, 0.5, o);
    const at0 = pt();
    lut.synapse(0, 2, 0.5, at0);
    expect(o.sA).toBe(at0.sA);
    expect(o.dSdZ).toBe(0);
    lut.synapse(10e-6, 9, 0.5, o);
    expect(o.dSdW).toBe(0);
    expect(lut.counters.clamped).toBe(before + 2);
  });

  it('H is linear between the soma points with its slope as dH/dz; sigma scales as 1/sqrt(area)', () => {
    const s: SomaPoint = { vV: 0, dVdZ: 0 };
    const dz = g.zMaxA / (g.nZSoma - 1);
    lut.soma(100.25 * dz, s);
    expect(s.vV).toBeCloseTo(data.h[100] + 0.25 * (data.h[101] - data.h[100]), 14);
    expect(s.dVdZ).toBeCloseTo((data.h[101] - data.h[100]) / dz, 6);
    // H rises with z (the soma's diode) from 0 V.
    expect(data.h[0]).toBeLessThan(1e-3);
    for (let i = 1; i < data.h.length; i++) expect(data.h[i]).toBeGreaterThan(data.h[i - 1]);
    const s1 = lut.synapseSigmaA(30e-6, 3, 0.6, 1);
    expect(s1).toBeGreaterThan(0);
    expect(lut.synapseSigmaA(30e-6, 3, 0.6, 4)).toBeCloseTo(s1 / 2, 15);
  });

  it('counts evaluations; the cost per F is 10 mul/div and 20 add/sub (seed 002), per H 2 mul/div', () => {
    const l = new SynapseLut(data);
    const o = pt();
    for (let i = 0; i < 5; i++) l.synapse(1e-6 * i, 0, 0.5, o);
    l.soma(1e-6, { vV: 0, dVdZ: 0 });
    expect(l.counters.fEvaluations).toBe(5);
    expect(l.counters.hEvaluations).toBe(1);
    expect(F_COST).toEqual({ reads: 14, mulDiv: 10, addSub: 20 });
    expect(H_COST).toEqual({ reads: 3, mulDiv: 2, addSub: 3 });
  });

  it('round-trips the file byte for byte', () => {
    expect(serializeLut(parseLut(text, FILE))).toBe(text);
  });

  it('refuses a LUT from another netlist, an edited grid, too coarse a grid, and not-a-LUT, with one line each', () => {
    const edit = (f: (d: LutData) => void) => {
      const d = JSON.parse(text) as LutData;
      f(d);
      return JSON.stringify(d);
    };
    expect(refuse(() => parseLut(edit((d) => (d.netlistSha256 = 'ab'.repeat(32))), 'x.lut.json', decksSha256))).toMatch(/^LUT file was made from a different netlist/);
    expect(refuse(() => parseLut(edit((d) => (d.grid.seed = 7)), 'x.lut.json', decksSha256))).toMatch(/do not match its grid/);
    expect(refuse(() => parseLut(edit((d) => (d.grid.nV = MIN_GRID_POINTS - 1)), 'x.lut.json', decksSha256))).toMatch(/too coarse/);
    expect(refuse(() => parseLut(edit((d) => d.f.pop()), 'x.lut.json'))).toMatch(/F and sigma must hold/);
    expect(refuse(() => parseLut('{', 'x.lut.json'))).toMatch(/not an ohmnet synapse LUT file/);
    expect(refuse(() => resolveGrid({ nZ: 3 }))).toMatch(/nZ 3 is too coarse: the tables need at least 8 points/);
  });
});
