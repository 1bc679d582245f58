// The LUT chart (src/synapse/lut-plot.ts): every level's curve with its band, from the committed fixture, renders
// without a vega warning and deterministically.

import { describe, expect, it } from 'vitest';
import { renderChart } from '../../src/report/plots.js';
import { loadSynapseLut } from '../../src/synapse/characterize.js';
import { lutCurvesSpec } from '../../src/synapse/lut-plot.js';

describe('LUT chart', () => {
  it('plots 9 levels x 26 z points at the grid voltage nearest to the one asked, and H', async () => {
    const lut = loadSynapseLut('fixtures/synapse/ptm65.lut.json');
    const spec = lutCurvesSpec(lut.data, 0.56) as unknown as { hconcat: { title: string; data: { values: { w?: string; f?: number }[] } }[] };
    expect(spec.hconcat[0].title).toMatch(/v = 0\.55 V/);
    const rows = spec.hconcat[0].data.values;
    expect(rows).toHaveLength(26 * 9);
    expect(new Set(rows.map((r) => r.w)).size).toBe(9);
    expect(spec.hconcat[1].data.values.length).toBeGreaterThan(400);
    const a = await renderChart(lutCurvesSpec(lut.data, 0.55), 'lut');
    expect(a.warnings).toEqual([]);
    expect(a.svg).toContain('synapse F(z, w, v = 0.55 V)');
    expect((await renderChart(lutCurvesSpec(lut.data, 0.55), 'lut')).svg).toBe(a.svg);
  }, 60_000);
});
