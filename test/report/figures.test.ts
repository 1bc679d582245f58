// The report's figures (src/report/figures.ts) agree with the realization's own statistics, count every weight and
// trial once, and take the pair tables from the cache they are given.

import { beforeAll, describe, expect, it } from 'vitest';
import { PairTableCache } from '../../src/realize/pairs.js';
import type { ReportData } from '../../src/report/data.js';
import { computeFigures, type ReportFigures } from '../../src/report/figures.js';
import { renderReport } from '../../src/report/html.js';
import { buildReportData } from './build.js';

/** A cache that counts the tables asked for. */
class CountingCache extends PairTableCache {
  readonly asked: number[] = [];
  override get(rFeedbackOhm: number) {
    this.asked.push(rFeedbackOhm);
    return super.get(rFeedbackOhm);
  }
}

let data: ReportData;
let figures: ReportFigures;

beforeAll(async () => {
  data = await buildReportData('digits_cnn.onnx', 'digits_test.json', { resistors: 'E24', tolerance: 0.01, trials: 12, spiceSamples: 0, feedbackPer: 'neuron' });
  figures = computeFigures(data);
}, 120_000);

describe('computeFigures', () => {
  it('per-layer figures add up to the realization totals', () => {
    const re = data.summary.realization;
    const nn = data.tnet.neurons;
    const layers = figures.layers;
    expect(layers.reduce((a, f) => a + f.neurons, 0)).toBe(nn.count);
    expect(layers.reduce((a, f) => a + f.weights, 0)).toBe(nn.rowPtr[nn.count]);
    expect(layers.reduce((a, f) => a + f.open, 0)).toBe(re.openConnections);
    expect(layers.reduce((a, f) => a + f.gains, 0)).toBe(re.neuronsWithGain);
    expect(Math.max(...layers.map((f) => f.errMax))).toBe(re.weightError.max);
    // The mean over weights and biases, from the per-layer means weighted by their counts.
    const count = layers.reduce((a, f) => a + f.weights + f.neurons, 0);
    const mean = layers.reduce((a, f) => a + f.errMean * (f.weights + f.neurons), 0) / count;
    expect(mean).toBeCloseTo(re.weightError.mean, 12);
    expect(figures.quantization.weights).toBe(nn.rowPtr[nn.count]);
  });

  it('gives each layer a unique label and each layer with weights a panel key', () => {
    expect(new Set(figures.layers.map((f) => f.label)).size).toBe(figures.layers.length);
    const keys = figures.layers.filter((f) => f.weights > 0).map((f) => f.key);
    expect(keys).toEqual(['A', 'B', 'C', 'D', 'E'].slice(0, keys.length));
    expect(figures.layers.filter((f) => f.weights === 0).every((f) => f.key === null)).toBe(true);
  });

  it('bins every weight of a charted layer once, and every Monte Carlo trial once', () => {
    for (const p of figures.histograms.panels) expect(p.bins.reduce((a, b) => a + b.counts.reduce((x, y) => x + y, 0), 0), p.layer.name).toBe(p.layer.weights);
    for (const p of figures.grid.panels) expect(p.bins.reduce((a, b) => a + b.count, 0), p.layer.name).toBe(p.layer.weights);
    const mc = figures.monteCarlo!;
    expect(mc.mseBins.reduce((a, b) => a + b.count, 0)).toBe(12);
    expect(mc.agreementBins.reduce((a, b) => a + b.count, 0)).toBe(12);
    const [lo, hi] = mc.agreementDomain;
    for (const t of data.monteCarloTrials!) expect(t.classAgreement * 100).toBeGreaterThan(lo);
    for (const x of Object.values(mc.agreementPct)) expect(x).toBeLessThan(hi);
  });

  it('takes the pair tables from ReportData.pairTables, one get per charted layer, with the same page', async () => {
    const o = data.realized.options;
    const cache = new CountingCache(o.setOhm, o.toleranceRel);
    const withCache = { ...data, pairTables: cache };
    const f = computeFigures(withCache);
    expect(cache.asked).toEqual(f.grid.panels.map((p) => p.rfOhm));
    expect(await renderReport(withCache)).toBe(await renderReport(data));
  });

  it('refuses pair tables of another resistor set or tolerance', () => {
    const o = data.realized.options;
    expect(() => computeFigures({ ...data, pairTables: new PairTableCache(o.setOhm.slice(1), o.toleranceRel) })).toThrow(/another resistor set/);
    expect(() => computeFigures({ ...data, pairTables: new PairTableCache(o.setOhm, o.toleranceRel + 0.01) })).toThrow(/another resistor set or tolerance/);
  });
});
