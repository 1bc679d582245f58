// report.html: sections and figures present, every plot has data marks, nothing external, deterministic, escaped.

import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportData } from '../../src/report/data.js';
import { escapeHtml, renderReport } from '../../src/report/html.js';
import { binGrid, binIndex, compactGeometry, niceStep, scopeSvgIds, thin } from '../../src/report/plots.js';
import { buildReportData as buildData } from './build.js';

const SECTIONS = ['verdicts', 'overview', 'source-layers', 'tnet-layers', 'signal-swing', 'weight-histograms', 'weight-grid', 'bom', 'quantization', 'layer-error', 'monte-carlo', 'layer-sensitivity', 'neuron-schematic', 'equivalence', 'options', 'reproduce'];
const ALWAYS = ['weight-histograms', 'weight-grid', 'quantization-error'];
const OPTIONAL = ['mc-mse', 'mc-agreement', 'spice-agreement'];

interface Built {
  readonly full: ReportData;
  readonly bare: ReportData;
}

/** The HTML of each <figure class="plot">, by its data-plot name. */
function figures(html: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of html.matchAll(/<figure class="plot" data-plot="([^"]+)">([\s\S]*?)<\/figure>/g)) out.set(m[1], m[2]);
  return out;
}

/** The HTML of a section by id. */
function sectionOf(html: string, id: string): string {
  const m = new RegExp(`<section id="${id}">([\\s\\S]*?)</section>`).exec(html);
  if (!m) throw new Error(`no section ${id}`);
  return m[1];
}

/** Data marks (children of vega's role-mark groups, not axes or legends) of an SVG, by mark type. */
function dataMarks(svg: string): Record<string, number> {
  const counts: Record<string, number> = {};
  // A mark group holds only its items (no nested groups); an empty one is written <g .../>.
  for (const m of svg.matchAll(/<g class="mark-(\w+) role-mark[^"]*"[^>]*?(?:\/>|>([\s\S]*?)<\/g>)/g)) {
    const n = ((m[2] ?? '').match(/<(path|line|rect|text)\b/g) ?? []).length;
    counts[m[1]] = (counts[m[1]] ?? 0) + n;
  }
  return counts;
}

function bodyRows(sectionHtml: string, tableClass: string): number {
  const m = new RegExp(`<table class="${tableClass}">[\\s\\S]*?<tbody>([\\s\\S]*?)</tbody>`).exec(sectionHtml);
  if (!m) throw new Error(`no table ${tableClass}`);
  return (m[1].match(/<tr>/g) ?? []).length;
}

let built: Built;
let html: string;
let bareHtml: string;
let renderMs: number;

beforeAll(async () => {
  const full = await buildData('digits_cnn.onnx', 'digits_test.json', { tolerance: 0.01, trials: 30, spiceSamples: 10, resistors: 'E96' });
  const bare = await buildData('digits_cnn.onnx', 'digits_test.json', { tolerance: 0, trials: 0, spiceSamples: 0, resistors: 'E24' });
  built = { full, bare };
  const t0 = performance.now();
  html = await renderReport(full);
  renderMs = performance.now() - t0;
  bareHtml = await renderReport(bare);
}, 120_000);

describe('renderReport: the digits CNN with Monte Carlo and SPICE', () => {
  it('has every section, in order, each with its <h2>', () => {
    let last = -1;
    for (const id of SECTIONS) {
      const at = html.indexOf(`<section id="${id}">\n<h2>`);
      expect(at, id).toBeGreaterThan(last);
      last = at;
    }
    expect(html.match(/<section id=/g)).toHaveLength(SECTIONS.length);
  });

  it('has every figure, each with a caption and an SVG holding data marks', () => {
    const figs = figures(html);
    expect([...figs.keys()]).toEqual([...ALWAYS, ...OPTIONAL]);
    for (const [name, fig] of figs) {
      expect(fig, name).toMatch(/<figcaption>[^<]{20,}/);
      expect(fig.match(/<svg\b/g), name).toHaveLength(1);
      expect(fig, name).toMatch(/<svg [^>]*viewBox="0 0 \d+ \d+"/);
    }
    const layersWithWeights = built.full.summary.layers.filter((l) => l.connections > 0).length;
    expect(layersWithWeights).toBe(5);
    const hist = dataMarks(figs.get('weight-histograms')!);
    expect(hist.rect).toBeGreaterThanOrEqual(10 * layersWithWeights); // bars, at least ~10 per layer
    expect(hist.rule).toBe(2 * layersWithWeights); // +- mean |w| per layer
    const grid = dataMarks(figs.get('weight-grid')!);
    expect(grid.rect).toBeGreaterThanOrEqual(10 * layersWithWeights);
    expect(grid.rule).toBeGreaterThanOrEqual(100 * layersWithWeights); // achievable weights (E96 is dense)
    expect(grid.line).toBe(layersWithWeights); // one gap curve per layer
    expect(dataMarks(figs.get('quantization-error')!).rect).toBe(2 * layersWithWeights); // mean and max per layer
    const mse = dataMarks(figs.get('mc-mse')!);
    expect(mse.rect).toBeGreaterThanOrEqual(3);
    expect(mse.rule).toBe(5); // nominal, mean, p5, p95, worst
    const agree = dataMarks(figs.get('mc-agreement')!);
    expect(agree.rect).toBeGreaterThanOrEqual(1);
    expect(agree.rule).toBe(5);
    const spice = dataMarks(figs.get('spice-agreement')!);
    expect(spice.rect).toBe(2 * 10); // two panels of 10 outputs
    expect(spice.rule).toBe(1); // the tolerance
  });

  it('references nothing outside the page', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<(link|img|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/@import|\bsrc=/i);
    for (const m of html.matchAll(/url\(([^)]*)\)/g)) expect(m[1]).toMatch(/^#/);
    for (const m of html.matchAll(/href="([^"]*)"/g)) expect(m[1]).toMatch(/^#/);
    const urls = new Set([...html.matchAll(/[a-z]+:\/\/[^\s"'<>)]*/gi)].map((m) => m[0]));
    expect([...urls].sort()).toEqual(['http://www.w3.org/1999/xlink', 'http://www.w3.org/2000/svg']);
    // Those two only as SVG namespace declarations.
    const uses = [...html.matchAll(/(\S+)="http:\/\/www\.w3\.org\/[^"]*"/g)].map((m) => m[1]);
    expect(new Set(uses)).toEqual(new Set(['xmlns', 'xmlns:xlink']));
  });

  it('has unique ids, and every url(#id) points to one of them', () => {
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of html.matchAll(/url\(#([^)]+)\)/g)) expect(ids).toContain(m[1]);
  });

  it('has one table row per layer', () => {
    expect(bodyRows(sectionOf(html, 'source-layers'), 'layers')).toBe(built.full.inspect.layers.length);
    expect(bodyRows(sectionOf(html, 'tnet-layers'), 'layers')).toBe(built.full.summary.layers.length);
    expect(bodyRows(sectionOf(html, 'weight-histograms'), 'layers-weights')).toBe(5);
    expect(bodyRows(sectionOf(html, 'options'), 'options')).toBe(Object.keys(built.full.options).length);
    expect(bodyRows(sectionOf(html, 'options'), 'passes')).toBe(built.full.summary.passes.length);
  });

  it('states the figures: cards, SPICE agreement, Monte Carlo aggregates', () => {
    const overview = sectionOf(html, 'overview');
    for (const card of ['Source model', 'T-network', 'Equivalence', 'Realization', 'SPICE']) expect(overview).toContain(`<h3>${card}</h3>`);
    expect(overview).toContain('agrees');
    expect(overview).toContain('1,898'); // parameters
    expect(sectionOf(html, 'weight-grid')).toContain(escapeHtml(built.full.summary.realization.series));
    expect(sectionOf(html, 'monte-carlo')).toContain('30 trials');
    expect(sectionOf(html, 'equivalence')).toContain('agrees within tolerance');
  });

  it('is deterministic, a reasonable size, and fast', async () => {
    expect(await renderReport(built.full)).toBe(html);
    expect(html.length).toBeLessThan(1_000_000);
    expect(renderMs).toBeLessThan(10_000);
  });
});

describe('renderReport without Monte Carlo and SPICE', () => {
  it('leaves out their figures and says how to get them', () => {
    const figs = figures(bareHtml);
    expect([...figs.keys()]).toEqual(ALWAYS);
    for (const id of SECTIONS) expect(bareHtml).toContain(`<section id="${id}">\n<h2>`);
    expect(sectionOf(bareHtml, 'monte-carlo')).toMatch(/class="note">Not simulated: give <code>--tolerance<\/code>/);
    expect(sectionOf(bareHtml, 'equivalence')).toMatch(/class="note">SPICE not run: give <code>compile --verify<\/code>/);
    expect(sectionOf(bareHtml, 'overview')).toContain('not run (<code>compile --verify</code>)');
    expect(sectionOf(bareHtml, 'options')).toContain('(not set)');
  });
});

describe('renderReport: a model with a softmax tail (Iris MLP)', () => {
  it('renders every section and names the digital tail', async () => {
    const data = await buildData('iris_mlp.onnx', 'iris_mlp.json', { tolerance: 0.01, trials: 20, spiceSamples: 0, resistors: 'E48' });
    expect(data.summary.digitalTail?.kind).toBe('softmax');
    const page = await renderReport(data);
    for (const id of SECTIONS) expect(page).toContain(`<section id="${id}">\n<h2>`);
    expect([...figures(page).keys()]).toEqual([...ALWAYS, 'mc-mse', 'mc-agreement']);
    expect(sectionOf(page, 'overview')).toContain('a final softmax is computed digitally');
    expect(sectionOf(page, 'equivalence')).toContain('after the digital softmax');
    for (const [name, fig] of figures(page)) expect(Object.values(dataMarks(fig)).reduce((a, b) => a + b, 0), name).toBeGreaterThan(2);
  });
});

describe('renderReport: escaping', () => {
  it('escapes model, layer and option text everywhere (tables, captions, SVG)', async () => {
    const evil = `<script>alert("x")</script>&'"`;
    const d = built.bare;
    const tnet = { ...d.tnet, origins: d.tnet.origins.map((o, i) => (i === 0 ? { ...o, name: evil } : o)) };
    const data: ReportData = {
      ...d,
      tnet,
      realized: { ...d.realized, tnet },
      summary: { ...d.summary, model: { ...d.summary.model, name: evil, file: evil }, layers: d.summary.layers.map((l, i) => (i === 0 ? { ...l, name: evil } : l)) },
      inspect: { ...d.inspect, layers: d.inspect.layers.map((l, i) => (i === 0 ? { ...l, name: evil, op: evil } : l)) },
      options: { ...d.options, [evil]: evil },
    };
    const page = await renderReport(data);
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toContain('alert("x")</');
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;&quot;');
    // In the SVG (facet headers, axis labels) too: vega escapes text content.
    expect(figures(page).get('weight-histograms')).toContain('&lt;script&gt;');
    expect(figures(page).get('quantization-error')).toContain('&lt;script&gt;');
  });
});

describe('plot helpers', () => {
  it('bins with nice steps, never more than asked, covering the range', () => {
    expect(niceStep(0.13)).toBe(0.2);
    expect(niceStep(2.2)).toBe(2.5);
    expect(niceStep(7)).toBe(10);
    for (const [lo, hi, k] of [[-2.48, 2.46, 40], [0.236, 0.438, 40], [1, 1, 10], [0, 0, 5], [-1e-9, 3e-9, 20], [99.2, 100, 20]] as const) {
      const g = binGrid(lo, hi, k);
      expect(g.count).toBeLessThanOrEqual(k);
      expect(g.start).toBeLessThanOrEqual(lo);
      expect(g.start + g.count * g.step).toBeGreaterThanOrEqual(hi);
      if (hi > lo) expect(binIndex(g, lo)).toBe(0);
      expect(binIndex(g, hi)).toBeLessThan(g.count);
    }
  });

  it('thins a sorted grid to one value per bucket', () => {
    expect(thin([0, 0.001, 0.002, 0.5, 0.9, 2], 0, 1, 10)).toEqual([0, 0.5, 0.9]);
  });

  it('scopes SVG ids and their references; rounds geometry only', () => {
    const svg = '<svg><defs><clipPath id="clip3"><rect/></clipPath></defs><g clip-path="url(#clip3)"><path d="M1.23456,2.5h3.000001"/><text x="1.23456">0.00111</text></g></svg>';
    const out = compactGeometry(scopeSvgIds(svg, 'fig'));
    expect(out).toContain('id="fig-1"');
    expect(out).toContain('url(#fig-1)');
    expect(out).toContain('d="M1.23,2.5h3"');
    expect(out).toContain('x="1.23"');
    expect(out).toContain('>0.00111</text>');
  });
});
