// Mapping a dense layer onto crossbar tiles (crossbar/mapping.ts): both signed schemes reproduce W x + b exactly with
// ideal lines whatever the tiling, IR drop lowers the outputs and grows with the tile, and bad ranges are refused.

import { describe, expect, it } from 'vitest';
import { crossbarLayerOutputs, mapDenseLayer } from '../../src/crossbar/mapping.js';
import { isOhmnetError } from '../../src/errors.js';
import { Rng } from '../../src/util/random.js';

const g = new Rng(5);
const OUT = 7;
const IN = 23;
const W = Array.from({ length: OUT }, () => Array.from({ length: IN }, () => g.uniform(-1, 1)));
const B = Array.from({ length: OUT }, () => g.uniform(-0.5, 0.5));
const X = Array.from({ length: 5 }, () => Array.from({ length: IN }, () => g.next()));
const exact = X.map((x) => W.map((row, q) => row.reduce((s, w, p) => s + w * x[p], B[q])));
const range = { gMinS: 1e-5, gMaxS: 1e-4 };

describe('crossbar mapping of a dense layer', () => {
  for (const scheme of ['differential', 'inverted-rows'] as const)
    for (const [tr, tc] of [
      [64, 64],
      [8, 4],
      [5, 3],
    ])
      it(`${scheme}, tiles ${tr} x ${tc}: ideal lines give W x + b to 1e-12`, () => {
        if (scheme === 'differential' && tc < 2) return;
        const layer = mapDenseLayer(W, B, { ...range, scheme, tileRows: tr, tileColumns: tc });
        for (const t of layer.tiles) {
          expect(t.array.rows).toBeLessThanOrEqual(tr);
          expect(t.array.columns).toBeLessThanOrEqual(tc);
          for (const c of t.array.conductancesS) {
            expect(c).toBeGreaterThanOrEqual(range.gMinS * (1 - 1e-12));
            expect(c).toBeLessThanOrEqual(range.gMaxS * (1 + 1e-12));
          }
        }
        const y = crossbarLayerOutputs(layer, X, { interconnectOhm: 0 });
        y.forEach((row, k) => row.forEach((v, q) => expect(Math.abs(v - exact[k][q])).toBeLessThan(1e-12)));
      });

  it('counts devices and tiles: 24 inputs (bias included) x 7 outputs', () => {
    const d = mapDenseLayer(W, B, { ...range, tileRows: 8, tileColumns: 4 });
    // rows: 24 inputs in tiles of 8 -> 3; columns: 7 pairs in tiles of 2 pairs -> 4
    expect(d.tiles.length).toBe(12);
    expect(d.devices).toBe(24 * 14);
    const inv = mapDenseLayer(W, B, { ...range, scheme: 'inverted-rows', tileRows: 8, tileColumns: 4 });
    expect(inv.tiles.length).toBe(6 * 2);
    expect(inv.devices).toBe(48 * 7);
  });

  it('IR drop: outputs shrink towards 0, and more on larger tiles', () => {
    const errOf = (tile: number) => {
      const layer = mapDenseLayer(W, B, { ...range, tileRows: tile, tileColumns: tile });
      const y = crossbarLayerOutputs(layer, X, { interconnectOhm: 5 });
      let worst = 0;
      y.forEach((row, k) => row.forEach((v, q) => (worst = Math.max(worst, Math.abs(v - exact[k][q])))));
      return worst;
    };
    const small = errOf(4);
    const large = errOf(64);
    expect(small).toBeGreaterThan(0);
    expect(large).toBeGreaterThan(small);
  });

  const bad: Array<[string, () => unknown, RegExp]> = [
    ['inverted range', () => mapDenseLayer(W, B, { gMinS: 1e-4, gMaxS: 1e-5, tileRows: 8, tileColumns: 8 }), /must satisfy 0 < gMin < gMax.*swap them if inverted/],
    ['zero gMin', () => mapDenseLayer(W, B, { gMinS: 0, gMaxS: 1e-5, tileRows: 8, tileColumns: 8 }), /0 < gMin < gMax/],
    ['tile size 0', () => mapDenseLayer(W, B, { ...range, tileRows: 0, tileColumns: 8 }), /tile size tileRows 0 x tileColumns 8/],
    ['differential tile of one column', () => mapDenseLayer(W, B, { ...range, tileRows: 8, tileColumns: 1 }), /tile size/],
    ['short sample', () => crossbarLayerOutputs(mapDenseLayer(W, B, { ...range, tileRows: 8, tileColumns: 8 }), [[1, 2]], { interconnectOhm: 1 }), /sample 0 has 2 values but the layer has 23 inputs/],
    ['NaN weight', () => mapDenseLayer([[NaN]], null, { ...range, tileRows: 8, tileColumns: 8 }), /finite numbers/],
  ];
  for (const [name, f, re] of bad)
    it(`bad input: ${name}`, () => {
      let e: unknown;
      try {
        f();
      } catch (x) {
        e = x;
      }
      expect(isOhmnetError(e)).toBe(true);
      expect((e as Error).message).toMatch(re);
    });
});
