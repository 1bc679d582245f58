// Charts of the synapse look-up tables (issue 16; seed 002 Fig. 2): the synapse's current F(z, w, v) against the
// previous layer's current z, one line per weight level with its +-2 sigma Monte Carlo band, at one node voltage; and
// the soma's H(z). Vega-lite specs, rendered like the report's charts (report/plots.ts renderChart).

import type { TopLevelSpec } from 'vega-lite';
import type { LutData } from './lut.js';

const r4 = (x: number) => Number(x.toPrecision(4));

/** The chart of F per level (at the grid's node voltage nearest to `vV`) and of H. */
export function lutCurvesSpec(d: LutData, vV: number): TopLevelSpec {
  const g = d.grid;
  const nW = d.weightLevels.length;
  const iv = Math.max(0, Math.min(g.nV - 1, Math.round((vV / d.vccV) * (g.nV - 1))));
  const vAt = (iv * d.vccV) / (g.nV - 1);
  const rows: Record<string, unknown>[] = [];
  for (let iz = 0; iz < g.nZ; iz++) {
    const z = (iz * g.zMaxA) / (g.nZ - 1);
    d.weightLevels.forEach((w, iw) => {
      const at = (iz * nW + iw) * g.nV + iv;
      const f = d.f[at] * 1e6;
      const s = d.sigma[at] * 1e6;
      rows.push({ z: r4(z * 1e6), f: r4(f), lo: r4(f - 2 * s), hi: r4(f + 2 * s), w: String(w) });
    });
  }
  const step = Math.max(1, Math.floor(g.nZSoma / 500));
  const hRows: Record<string, unknown>[] = [];
  for (let i = 0; i < g.nZSoma; i += step) hRows.push({ z: r4(((i * g.zMaxA) / (g.nZSoma - 1)) * 1e6), h: r4(d.h[i]), ap: r4(d.hAp[i]) });
  const colour = { field: 'w', type: 'nominal', title: 'w', sort: d.weightLevels.map(String), scale: { scheme: 'redblue' } };
  const x = { field: 'z', type: 'quantitative', title: 'z, previous layer\'s current (µA)' };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    hconcat: [
      {
        title: `synapse F(z, w, v = ${vAt.toFixed(2)} V), ±2σ mismatch (${g.mcDraws} draws)`,
        width: 420,
        height: 300,
        data: { values: rows },
        layer: [
          { mark: { type: 'area', opacity: 0.2 }, encoding: { x, y: { field: 'lo', type: 'quantitative', title: 'µA' }, y2: { field: 'hi' }, color: colour } },
          { mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, y: { field: 'f', type: 'quantitative' }, color: colour } },
        ],
      },
      {
        title: 'soma: H(z) = A_n and A_p',
        width: 260,
        height: 300,
        data: { values: hRows },
        layer: [
          { mark: { type: 'line', color: '#4c78a8' }, encoding: { x, y: { field: 'h', type: 'quantitative', title: 'volts' } } },
          { mark: { type: 'line', color: '#f58518', strokeDash: [4, 3] }, encoding: { x, y: { field: 'ap', type: 'quantitative' } } },
        ],
      },
    ],
  } as unknown as TopLevelSpec;
}
