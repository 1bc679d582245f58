// Charts of the HTML report: vega-lite specs rendered to static SVG in Node (no browser, no JavaScript in the page).
//
// Every chart gets its data pre-aggregated here (histogram bins are computed in JS, grids thinned to what a pixel can
// show), so vega never sees more than a few thousand rows whatever the network's size. The SVG output is made
// deterministic and safe to inline: vega numbers clip paths and gradients with process-wide counters, and inline SVGs
// share the page's id space, so ids are renumbered per chart with the chart's own prefix.

import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

// ---------------------------------------------------------------------------------------------------------------
// Rendering

/** A logger that keeps vega's and vega-lite's messages instead of printing them. */
function collectingLogger(sink: string[]): vega.LoggerInterface {
  let level = vega.Warn;
  const logger = {
    level(l?: number) {
      if (l === undefined) return level;
      level = l;
      return logger;
    },
    error(...args: readonly unknown[]) {
      sink.push(`error: ${args.map(String).join(' ')}`);
      return logger;
    },
    warn(...args: readonly unknown[]) {
      if (level >= vega.Warn) sink.push(`warn: ${args.map(String).join(' ')}`);
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  };
  return logger as unknown as vega.LoggerInterface;
}

/** Renumbers every id of an SVG document (and its url(#..)/href="#.." references) as `<prefix>-<k>`, in order. */
export function scopeSvgIds(svg: string, prefix: string): string {
  const map = new Map<string, string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) if (!map.has(m[1])) map.set(m[1], `${prefix}-${map.size + 1}`);
  if (map.size === 0) return svg;
  return svg
    .replace(/(\sid=")([^"]+)(")/g, (all, a: string, id: string, b: string) => (map.has(id) ? `${a}${map.get(id)}${b}` : all))
    .replace(/url\(#([^)]+)\)/g, (all, id: string) => (map.has(id) ? `url(#${map.get(id)})` : all))
    .replace(/(href=")#([^"]+)(")/g, (all, a: string, id: string, b: string) => (map.has(id) ? `${a}#${map.get(id)}${b}` : all));
}

/** Rounds coordinates in geometry attributes to 0.01 px (vega writes 15 digits): about half the size, same picture. */
export function compactGeometry(svg: string): string {
  return svg.replace(/\s(d|transform|x|y|x1|x2|y1|y2|dx|dy|width|height)="([^"]*)"/g, (_all, a: string, v: string) =>
    ` ${a}="${v.replace(/-?\d+\.\d{3,}(?:e-?\d+)?/g, (x) => String(Number(Number(x).toFixed(2)) + 0))}"`);
}

export interface RenderedChart {
  readonly svg: string;
  /** Warnings vega-lite or vega raised while compiling or rendering (empty for a clean chart). */
  readonly warnings: string[];
}

/** Renders a vega-lite spec to an SVG string (no DOM, no canvas), with ids scoped by `idPrefix`. */
export async function renderChart(spec: TopLevelSpec, idPrefix: string): Promise<RenderedChart> {
  const warnings: string[] = [];
  const logger = collectingLogger(warnings);
  const compiled = vl.compile(spec, { logger }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger, logLevel: vega.Warn });
  let svg: string;
  try {
    svg = await view.toSVG();
  } finally {
    view.finalize();
  }
  // The root <svg> keeps its width/height (its natural size) and viewBox; CSS scales it down to the column width.
  return { svg: scopeSvgIds(compactGeometry(svg), idPrefix), warnings };
}

// ---------------------------------------------------------------------------------------------------------------
// Binning

/** The smallest of 1, 2, 2.5, 5, 10 times a power of ten that is >= raw. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  const f = m <= 1 + 1e-9 ? 1 : m <= 2 + 1e-9 ? 2 : m <= 2.5 + 1e-9 ? 2.5 : m <= 5 + 1e-9 ? 5 : 10;
  return f * p;
}

/** Equal-width bins over [lo, hi]: bin k covers [start + k step, start + (k+1) step). */
export interface BinGrid {
  readonly start: number;
  readonly step: number;
  readonly count: number;
}

/** At most maxBins bins of a nice width covering [lo, hi] (a degenerate range gets a small window around it). */
export function binGrid(lo: number, hi: number, maxBins: number): BinGrid {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { start: 0, step: 1, count: 1 };
  if (!(hi > lo)) {
    const half = lo !== 0 ? Math.abs(lo) * 0.05 : 0.5;
    lo -= half;
    hi += half;
  }
  let step = niceStep((hi - lo) / Math.max(1, maxBins));
  let start = Math.floor(lo / step) * step;
  let count = Math.max(1, Math.ceil((hi - start) / step - 1e-9));
  while (count > maxBins) {
    // Aligning the start to the step can add a bin: widen to the next nice step.
    step = niceStep(step * 1.0001);
    start = Math.floor(lo / step) * step;
    count = Math.max(1, Math.ceil((hi - start) / step - 1e-9));
  }
  return { start, step, count };
}

/** Index of the bin holding v (values at the upper edge go into the last bin). */
export function binIndex(g: BinGrid, v: number): number {
  const k = Math.floor((v - g.start) / g.step);
  return k < 0 ? 0 : k >= g.count ? g.count - 1 : k;
}

export function binEdge(g: BinGrid, k: number): number {
  return round(g.start + k * g.step);
}

/** Counts of values per bin. */
export function histogram(values: ArrayLike<number>, g: BinGrid): Float64Array {
  const counts = new Float64Array(g.count);
  for (let i = 0; i < values.length; i++) counts[binIndex(g, values[i])]++;
  return counts;
}

/** Math.min over an array of any length (spreading a long array into arguments overflows the stack); NaN wins. */
export function minOf(values: readonly number[]): number {
  let m = Infinity;
  for (const v of values) m = Math.min(m, v);
  return m;
}

export function maxOf(values: readonly number[]): number {
  let m = -Infinity;
  for (const v of values) m = Math.max(m, v);
  return m;
}

/** A number rounded to 12 significant digits: no float noise in the data handed to vega. */
function round(x: number): number {
  return x === 0 ? 0 : Number(x.toPrecision(12));
}

/** Keeps one value per 1/buckets of [lo, hi] (ascending input): a grid thinned to what the chart can resolve. */
export function thin(sortedValues: ArrayLike<number>, lo: number, hi: number, buckets: number): number[] {
  const out: number[] = [];
  let last = -1;
  const w = (hi - lo) / buckets;
  for (let i = 0; i < sortedValues.length; i++) {
    const v = sortedValues[i];
    if (v < lo || v > hi) continue;
    const b = w > 0 ? Math.floor((v - lo) / w) : 0;
    if (b === last) continue;
    last = b;
    out.push(round(v));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Shared style

const FONT = 'DejaVu Sans, Verdana, Helvetica, Arial, sans-serif';

const BASE_CONFIG = {
  font: FONT,
  background: 'white',
  padding: 4,
  view: { stroke: '#ccc' },
  axis: { labelFontSize: 10, titleFontSize: 11, titleFontWeight: 'normal', gridColor: '#eee', domainColor: '#888', tickColor: '#888', labelColor: '#333', titleColor: '#333' },
  header: { labelFontSize: 11, labelLimit: 260, labelColor: '#222', titleFontSize: 1, labelFontWeight: 'bold' },
  legend: { labelFontSize: 10, titleFontSize: 11, titleFontWeight: 'normal', orient: 'top', labelLimit: 320 },
  title: { fontSize: 12, fontWeight: 'bold', anchor: 'start' },
  // Per-mark ARIA labels would double the size of the SVG; axes and legends keep theirs.
  mark: { aria: false },
  rect: { aria: false },
  rule: { aria: false },
  bar: { aria: false },
} as const;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** Count axis labels: 0, 500, 1k, 1.5k, 20k (vega's own SI format gives "0k" for 0). */
const COUNT_LABEL = "datum.value >= 1000 ? format(datum.value, '~s') : format(datum.value, '~g')";

/** Layer labels carry a second line after a newline: facet headers split them. */
function twoLineHeader(labelLimit: number) {
  return { title: null, labelAnchor: 'start', labelPadding: 4, labelExpr: "split(datum.value, '\\n')", labelLineHeight: 13, labelLimit } as const;
}

/** Colours of neuron roles (ROLES order), shared by every chart that shows roles. */
export const ROLE_COLOURS: Readonly<Record<string, string>> = {
  compute: '#4c78a8',
  linear: '#72b7b2',
  'partial sum': '#f58518',
  buffer: '#b279a2',
  pool: '#54a24b',
  shared: '#e45756',
};

function styled(spec: Record<string, unknown>): TopLevelSpec {
  return { ...spec, config: BASE_CONFIG } as unknown as TopLevelSpec;
}

// ---------------------------------------------------------------------------------------------------------------
// Chart specs

export interface StackedBin {
  readonly x0: number;
  readonly x1: number;
  /** Counts per series, in the order of the chart's `series`. */
  readonly counts: readonly number[];
}

export interface LayerHistogram {
  /** Facet header: unique per chart. */
  readonly label: string;
  readonly bins: readonly StackedBin[];
  /** Dashed rules at +-meanAbs (the patent's FIGS. 26A-26K mark the mean |w| of each layer); null: none. */
  readonly meanAbs: number | null;
}

/** Small multiples: one stacked histogram per layer, independent axes, `columns` per row. */
export function weightHistogramsSpec(layers: readonly LayerHistogram[], series: readonly string[], colours: readonly string[], columns: number): TopLevelSpec {
  const rows: Record<string, unknown>[] = [];
  layers.forEach((l, order) => {
    for (const b of l.bins) {
      let y = 0;
      b.counts.forEach((c, s) => {
        if (c <= 0) return;
        rows.push({ layer: l.label, order, kind: 'bin', series: series[s], x0: b.x0, x1: b.x1, y0: y, y1: y + c });
        y += c;
      });
    }
    if (l.meanAbs !== null && l.meanAbs > 0) {
      rows.push({ layer: l.label, order, kind: 'mean', x: round(-l.meanAbs) }, { layer: l.label, order, kind: 'mean', x: round(l.meanAbs) });
    }
  });
  return styled({
    $schema: SCHEMA,
    data: { values: rows },
    columns,
    facet: { field: 'layer', type: 'nominal', sort: { field: 'order', op: 'min' }, header: twoLineHeader(250) },
    spec: {
      width: 190,
      height: 100,
      layer: [
        {
          transform: [{ filter: "datum.kind === 'bin'" }],
          mark: { type: 'rect', strokeWidth: 0 },
          encoding: {
            x: { field: 'x0', type: 'quantitative', title: 'weight', scale: { zero: false, nice: false }, axis: { tickCount: 5, format: '~g', labelFlush: true } },
            x2: { field: 'x1' },
            y: { field: 'y1', type: 'quantitative', title: 'count', axis: { tickCount: 4, labelExpr: COUNT_LABEL } },
            y2: { field: 'y0' },
            color: { field: 'series', type: 'nominal', title: 'neuron role', scale: { domain: [...series], range: [...colours] }, sort: null },
          },
        },
        {
          transform: [{ filter: "datum.kind === 'mean'" }],
          mark: { type: 'rule', strokeDash: [4, 3], color: '#222', strokeWidth: 1 },
          encoding: { x: { field: 'x', type: 'quantitative' } },
        },
      ],
    },
    resolve: { scale: { x: 'independent', y: 'independent' } },
  });
}

export interface GridLayer {
  readonly label: string;
  readonly bins: readonly { readonly x0: number; readonly x1: number; readonly count: number }[];
  /** Achievable weights (thinned) within the chart's x range: a rug of ticks along the top of the panel. */
  readonly grid: readonly number[];
  /** The largest gap between neighbouring achievable weights per slice of the x range (null: no achievable weight
   * there, i.e. beyond what the set reaches without a gain stage). */
  readonly gaps: readonly { readonly x: number; readonly gap: number | null }[];
  /** +-(the largest weight the set realizes without a gain stage), when within the x range. */
  readonly limits: readonly number[];
}

export const GRID_COLOURS = { bars: '#4c78a8', rug: '#e45756', gap: '#b35806', limit: '#222' } as const;


/**
 * Per layer: a histogram of the layer's target weights (left axis), the achievable weights of the resistor set as a
 * rug of ticks along the top, and the largest gap between neighbouring achievable weights (right axis, log scale).
 */
export function weightGridSpec(layers: readonly GridLayer[], columns: number): TopLevelSpec {
  const rows: Record<string, unknown>[] = [];
  layers.forEach((l, order) => {
    let top = 0;
    for (const b of l.bins) {
      if (b.count > 0) rows.push({ layer: l.label, order, kind: 'bin', x0: b.x0, x1: b.x1, count: b.count });
      top = Math.max(top, b.count);
    }
    // Headroom above the tallest bar for the rug.
    rows.push({ layer: l.label, order, kind: 'pad', x: l.bins.length > 0 ? l.bins[0].x0 : 0, count: Math.max(1, Math.ceil(top * 1.3)) });
    for (const x of l.grid) rows.push({ layer: l.label, order, kind: 'grid', x });
    const x0 = l.bins.length > 0 ? l.bins[0].x0 : 0;
    const gaps = l.gaps.filter((g) => g.gap !== null && g.gap > 0);
    for (const g of gaps) rows.push({ layer: l.label, order, kind: 'gap', x: round(g.x), gap: round(g.gap!) });
    for (const x of l.limits) rows.push({ layer: l.label, order, kind: 'limit', x: round(x) });
    // A layer with nothing for a layer of the chart gets one invisible placeholder (vega warns about empty extents).
    if (gaps.length === 0) rows.push({ layer: l.label, order, kind: 'gap', x: x0, gap: 1, hidden: true });
    if (l.limits.length === 0) rows.push({ layer: l.label, order, kind: 'limit', x: x0, hidden: true });
  });
  const x = { field: 'x', type: 'quantitative' };
  return styled({
    $schema: SCHEMA,
    data: { values: rows },
    columns,
    facet: { field: 'layer', type: 'nominal', sort: { field: 'order', op: 'min' }, header: twoLineHeader(460) },
    spec: {
      width: 380,
      height: 130,
      layer: [
        {
          layer: [
            {
              transform: [{ filter: "datum.kind === 'bin'" }],
              mark: { type: 'rect', color: GRID_COLOURS.bars, opacity: 0.85, strokeWidth: 0 },
              encoding: {
                x: { field: 'x0', type: 'quantitative', title: 'weight', scale: { zero: false, nice: false }, axis: { tickCount: 8, format: '~g', labelFlush: true, labelOverlap: true } },
                x2: { field: 'x1' },
                y: { field: 'count', type: 'quantitative', title: 'count', axis: { tickCount: 4, labelExpr: COUNT_LABEL, titleColor: GRID_COLOURS.bars } },
                y2: { datum: 0 },
              },
            },
            {
              transform: [{ filter: "datum.kind === 'pad'" }],
              mark: { type: 'point', opacity: 0, size: 1 },
              encoding: { x, y: { field: 'count', type: 'quantitative' } },
            },
            {
              transform: [{ filter: "datum.kind === 'grid'" }],
              mark: { type: 'rule', color: GRID_COLOURS.rug, strokeWidth: 0.7 },
              encoding: { x, y: { value: 0 }, y2: { value: 16 } },
            },
            {
              transform: [{ filter: "datum.kind === 'limit'" }],
              mark: { type: 'rule', color: GRID_COLOURS.limit, strokeDash: [5, 3], strokeWidth: 1.2 },
              encoding: { x, opacity: { condition: { test: 'datum.hidden', value: 0 }, value: 1 } },
            },
          ],
        },
        {
          transform: [{ filter: "datum.kind === 'gap'" }],
          mark: { type: 'line', color: GRID_COLOURS.gap, strokeWidth: 1.5, interpolate: 'step' },
          encoding: {
            x,
            opacity: { condition: { test: 'datum.hidden', value: 0 }, value: 1 },
            y: { field: 'gap', type: 'quantitative', title: 'largest gap', scale: { type: 'log' }, axis: { orient: 'right', format: '.0e', tickCount: 4, grid: false, titleColor: GRID_COLOURS.gap } },
          },
        },
      ],
      resolve: { scale: { y: 'independent' } },
    },
    resolve: { scale: { x: 'independent', y: 'independent' } },
  });
}

export interface ErrorBar {
  readonly layer: string;
  readonly stat: string;
  readonly value: number;
}

/** Horizontal bars per layer, one panel per statistic (independent x scales, shared layer axis). */
export function quantizationSpec(rows: readonly ErrorBar[], layerOrder: readonly string[], stats: readonly string[]): TopLevelSpec {
  return styled({
    $schema: SCHEMA,
    data: { values: rows.map((r) => ({ ...r, value: round(r.value) })) },
    facet: { column: { field: 'stat', type: 'nominal', sort: [...stats], header: { title: null, labelAnchor: 'middle', labelFontWeight: 'normal' } } },
    spec: {
      width: 330,
      height: { step: 18 },
      mark: { type: 'bar', color: '#4c78a8' },
      encoding: {
        y: { field: 'layer', type: 'nominal', sort: [...layerOrder], title: null, axis: { labelLimit: 240 } },
        x: { field: 'value', type: 'quantitative', title: '|realized − target|', axis: { format: '~g', tickCount: 4, labelFlush: true, labelOverlap: true } },
        color: { field: 'stat', type: 'nominal', legend: null, scale: { domain: [...stats], range: ['#4c78a8', '#e45756'] } },
      },
    },
    resolve: { scale: { x: 'independent' } },
  });
}

export interface Marker {
  /** Legend entry, e.g. "mean 2.7e-2". */
  readonly label: string;
  readonly x: number;
  readonly colour: string;
  readonly dash: readonly number[];
}

/** A histogram (pre-binned) with labelled vertical markers (mean, percentiles, worst, nominal). */
export interface AxisOptions {
  readonly title: string;
  /** A vega expression for the tick labels (datum.value, datum.label). */
  readonly labelExpr: string;
  /** Explicit x domain, or null for the data's extent. */
  readonly domain: readonly [number, number] | null;
}

export function markedHistogramSpec(bins: readonly { readonly x0: number; readonly x1: number; readonly count: number }[], markers: readonly Marker[], axis: AxisOptions): TopLevelSpec {
  const rows: Record<string, unknown>[] = [];
  for (const b of bins) if (b.count > 0) rows.push({ kind: 'bin', x0: b.x0, x1: b.x1, count: b.count });
  for (const m of markers) rows.push({ kind: 'marker', label: m.label, x: round(m.x) });
  return styled({
    $schema: SCHEMA,
    data: { values: rows },
    width: 400,
    height: 150,
    layer: [
      {
        transform: [{ filter: "datum.kind === 'bin'" }],
        mark: { type: 'rect', color: '#9ecae9', stroke: '#4c78a8', strokeWidth: 0.5 },
        encoding: {
          x: {
            field: 'x0', type: 'quantitative', title: axis.title,
            scale: { zero: false, nice: false, ...(axis.domain ? { domain: [round(axis.domain[0]), round(axis.domain[1])] } : {}) },
            axis: { labelExpr: axis.labelExpr, tickCount: 6, labelFlush: true, labelOverlap: true },
          },
          x2: { field: 'x1' },
          y: { field: 'count', type: 'quantitative', title: 'trials', axis: { tickMinStep: 1, format: 'd' } },
          y2: { datum: 0 },
        },
      },
      {
        transform: [{ filter: "datum.kind === 'marker'" }],
        mark: { type: 'rule', strokeWidth: 1.5 },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          color: { field: 'label', type: 'nominal', title: null, scale: { domain: markers.map((m) => m.label), range: markers.map((m) => m.colour) }, legend: { orient: 'top', columns: 3, symbolType: 'stroke' } },
          strokeDash: { field: 'label', type: 'nominal', title: null, scale: { domain: markers.map((m) => m.label), range: markers.map((m) => [...m.dash]) } },
        },
      },
    ],
  });
}

export interface OutputPanel {
  readonly title: string;
  readonly yTitle: string;
  /** One value per output; values <= 0 are drawn at the axis floor. */
  readonly values: readonly number[];
  /** A horizontal limit line (e.g. the tolerance), or null. */
  readonly limit: { readonly label: string; readonly value: number } | null;
}

/** Powers of ten from lo to hi (both powers of ten), thinned to at most `max` ticks. */
function decades(lo: number, hi: number, max: number): number[] {
  const a = Math.round(Math.log10(lo));
  const b = Math.round(Math.log10(hi));
  const every = Math.max(1, Math.ceil((b - a + 1) / max));
  const out: number[] = [];
  for (let e = a; e <= b; e += every) out.push(Number(`1e${e}`));
  return out;
}

/** Outputs drawn as bars up to this many; beyond, as a stepped area. */
const BAR_OUTPUTS = 100;

/** Log-scale bars per output, one panel per figure (side by side). */
export function outputBarsSpec(panels: readonly OutputPanel[]): TopLevelSpec {
  const outputs = panels[0]?.values.length ?? 0;
  const everyNth = outputs <= 20 ? 1 : Math.ceil(outputs / 20);
  const labelExpr = everyNth === 1 ? 'datum.label' : `datum.value % ${everyNth} === 0 ? datum.label : ''`;
  return styled({
    $schema: SCHEMA,
    hconcat: panels.map((p) => {
      const positive = p.values.filter((v) => v > 0);
      const all = p.limit ? [...positive, p.limit.value] : positive;
      const lo = all.length > 0 ? 10 ** Math.floor(Math.log10(minOf(all)) - 0.3) : 1e-12;
      const hi = all.length > 0 ? 10 ** Math.ceil(Math.log10(maxOf(all)) + 0.3) : 1;
      const rows: Record<string, unknown>[] = p.values.map((v, k) => ({ kind: 'bar', output: k, value: round(Math.max(v, lo)) }));
      if (p.limit) rows.push({ kind: 'limit', label: p.limit.label, value: round(p.limit.value) });
      const layer: Record<string, unknown>[] = [
        {
          transform: [{ filter: "datum.kind === 'bar'" }],
          // Up to BAR_OUTPUTS outputs one bar each; beyond, one stepped area (a path, not thousands of rects).
          mark: outputs <= BAR_OUTPUTS ? { type: 'bar', color: '#4c78a8' } : { type: 'area', color: '#4c78a8', interpolate: 'step', line: { color: '#2f5d8a', strokeWidth: 0.5 } },
          encoding: {
            x: outputs <= BAR_OUTPUTS
              ? { field: 'output', type: 'ordinal', title: 'output', axis: { labelAngle: 0, labelExpr } }
              : { field: 'output', type: 'quantitative', title: 'output', scale: { domain: [0, outputs - 1], nice: false }, axis: { format: 'd', tickCount: 8 } },
            y: { field: 'value', type: 'quantitative', title: p.yTitle, scale: { type: 'log', domain: [lo, hi] }, axis: { format: '.0e', values: decades(lo, hi, 8), grid: true } },
            y2: { datum: lo },
          },
        },
      ];
      if (p.limit) {
        layer.push(
          {
            transform: [{ filter: "datum.kind === 'limit'" }],
            mark: { type: 'rule', strokeDash: [5, 3], strokeWidth: 1.5, color: '#e45756' },
            encoding: { y: { field: 'value', type: 'quantitative' } },
          },
          {
            transform: [{ filter: "datum.kind === 'limit'" }],
            mark: { type: 'text', align: 'right', baseline: 'bottom', dx: -2, dy: -2, color: '#b3261e', fontSize: 10 },
            encoding: { y: { field: 'value', type: 'quantitative' }, x: { value: 'width' }, text: { field: 'label' } },
          },
        );
      }
      return { title: p.title, data: { values: rows }, width: Math.max(240, Math.min(400, outputs * 26)), height: 170, layer };
    }),
  });
}

/**
 * Per clock tick: the realized circuit's error against the ideal network (log scale), outputs and every block; and
 * beside it the range of every block output per tick with the rails.
 */
export function tickErrorSpec(outputErrorV: readonly number[], signalErrorV: readonly number[], readTicks: readonly number[], range: { readonly minV: readonly number[]; readonly maxV: readonly number[]; readonly railV: number }): TopLevelSpec {
  const all = [...outputErrorV, ...signalErrorV].filter((v) => v > 0);
  const lo = all.length > 0 ? 10 ** Math.floor(Math.log10(minOf(all)) - 0.3) : 1e-12;
  const hi = all.length > 0 ? 10 ** Math.ceil(Math.log10(maxOf(all)) + 0.3) : 1;
  const rows: Record<string, unknown>[] = [];
  const series = ['analog outputs', 'every block'];
  outputErrorV.forEach((v, t) => rows.push({ kind: 'line', series: series[0], tick: t, value: round(Math.max(v, lo)) }));
  signalErrorV.forEach((v, t) => rows.push({ kind: 'line', series: series[1], tick: t, value: round(Math.max(v, lo)) }));
  for (const t of readTicks) rows.push({ kind: 'read', tick: t });
  const ticks = outputErrorV.length;
  const x = { field: 'tick', type: 'quantitative', title: 'clock tick', scale: { domain: [0, Math.max(1, ticks - 1)], nice: false }, axis: { format: 'd', tickMinStep: 1 } };
  const band = range.minV.map((lo, t) => ({ tick: t, lo: round(lo), hi: round(range.maxV[t]) }));
  const rangePanel = {
    title: 'block outputs per tick',
    data: { values: band },
    width: 300,
    height: 170,
    layer: [
      { mark: { type: 'area', color: '#9ecae9', opacity: 0.7 }, encoding: { x, y: { field: 'lo', type: 'quantitative', title: 'volts', scale: { domain: [-range.railV, range.railV] } }, y2: { field: 'hi' } } },
      { data: { values: [{ v: range.railV }, { v: -range.railV }] }, mark: { type: 'rule', strokeDash: [5, 3], color: '#e45756' }, encoding: { y: { field: 'v', type: 'quantitative' } } },
    ],
  };
  return styled({
    $schema: SCHEMA,
    hconcat: [{
    title: 'max |realized − ideal| per tick',
    data: { values: rows },
    width: 420,
    height: 170,
    layer: [
      {
        transform: [{ filter: "datum.kind === 'read'" }],
        mark: { type: 'rule', color: '#dddddd', strokeWidth: 1 },
        encoding: { x: { field: 'tick', type: 'quantitative' } },
      },
      {
        transform: [{ filter: "datum.kind === 'line'" }],
        mark: { type: 'line', strokeWidth: 1.5, point: ticks <= 60 },
        encoding: {
          x,
          y: { field: 'value', type: 'quantitative', title: 'max |realized − ideal| (V)', scale: { type: 'log', domain: [lo, hi] }, axis: { format: '.0e', values: decades(lo, hi, 8), grid: true } },
          color: { field: 'series', type: 'nominal', title: null, scale: { domain: series, range: ['#4c78a8', '#f58518'] }, legend: { orient: 'top' } },
        },
      },
    ],
    }, rangePanel],
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Time and energy (issue 12): one inference's waveforms without and with power gating (summary.json energy.waveform).

/** The waveform data a chart needs (simulate/energy.ts EnergyWaveform). */
export interface WaveformData {
  readonly timesS: readonly number[];
  readonly outputsV: readonly (readonly number[])[];
  readonly outputsGatedV: readonly (readonly number[])[];
  readonly layerActivityV: readonly (readonly number[])[];
  readonly layerOffS: readonly number[];
  readonly powerW: readonly number[];
  readonly powerGatedW: readonly number[];
}

/** Most analog outputs drawn (the first ones); the rest are in summary.json. */
export const WAVEFORM_OUTPUTS = 10;

/** Outputs over time (ungated solid, gated dashed) and the total power over time without and with gating. */
export function waveformSpec(w: WaveformData, layerNames: readonly string[]): TopLevelSpec {
  const us = (t: number) => round(t * 1e6);
  const end = us(w.timesS[w.timesS.length - 1]);
  const x = { field: 't', type: 'quantitative', title: 'time after the switch (µs)', scale: { domain: [0, end], nice: false } };
  const outRows: Record<string, unknown>[] = [];
  w.outputsV.slice(0, WAVEFORM_OUTPUTS).forEach((ys, j) => ys.forEach((v, k) => {
    outRows.push({ t: us(w.timesS[k]), v: round(v), output: `out${j}`, run: 'ungated' });
    outRows.push({ t: us(w.timesS[k]), v: round(w.outputsGatedV[j][k]), output: `out${j}`, run: 'gated' });
  }));
  const powerRows: Record<string, unknown>[] = [];
  w.powerW.forEach((p, k) => {
    powerRows.push({ t: us(w.timesS[k]), p: round(p * 1e3), run: 'without gating' });
    powerRows.push({ t: us(w.timesS[k]), p: round(w.powerGatedW[k] * 1e3), run: 'with gating' });
  });
  // Per-layer activity: max |output - final| of the layer (log scale), and when the schedule switches it off.
  const floor = 1e-6;
  const actRows: Record<string, unknown>[] = [];
  w.layerActivityV.forEach((ys, l) => ys.forEach((v, k) => actRows.push({ t: us(w.timesS[k]), v: round(Math.max(v, floor)), layer: `${l}: ${layerNames[l] ?? ''}` })));
  const offRows = w.layerOffS.map((t, l) => ({ t: us(t), layer: `${l}: ${layerNames[l] ?? ''}` })).filter((r) => Number.isFinite(r.t as number));
  return styled({
    $schema: SCHEMA,
    vconcat: [
      {
        title: 'analog outputs (solid: ungated, dashed: gated)',
        data: { values: outRows }, width: 560, height: 170,
        mark: { type: 'line', strokeWidth: 1.3 },
        encoding: {
          x, y: { field: 'v', type: 'quantitative', title: 'volts' },
          color: { field: 'output', type: 'nominal', title: null, legend: { orient: 'right' } },
          strokeDash: { field: 'run', type: 'nominal', title: null, scale: { domain: ['ungated', 'gated'], range: [[1, 0], [4, 3]] }, legend: null },
          detail: { field: 'run' },
        },
      },
      {
        title: 'per-layer activity: max |output − final value| (ungated; ticks: the layer is switched off)',
        width: 560, height: 170,
        layer: [
          {
            data: { values: actRows }, mark: { type: 'line', strokeWidth: 1.3 },
            encoding: { x, y: { field: 'v', type: 'quantitative', title: 'volts', scale: { type: 'log', domain: [floor, 10] }, axis: { format: '.0e' } }, color: { field: 'layer', type: 'nominal', title: null, legend: { orient: 'right', labelLimit: 220 } } },
          },
          { data: { values: offRows }, mark: { type: 'rule', strokeDash: [3, 2] }, encoding: { x: { field: 't', type: 'quantitative' }, color: { field: 'layer', type: 'nominal' } } },
        ],
      },
      {
        title: 'total power (op-amp supplies, inputs, V_ref)',
        data: { values: powerRows }, width: 560, height: 150,
        mark: { type: 'line', strokeWidth: 1.5, interpolate: 'step-after' },
        encoding: { x, y: { field: 'p', type: 'quantitative', title: 'mW' }, color: { field: 'run', type: 'nominal', title: null, scale: { domain: ['without gating', 'with gating'], range: ['#4c78a8', '#f58518'] }, legend: { orient: 'right' } } },
      },
    ],
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Training (issue 14): learning curves of `ohmnet train` and of the SDK loop's fine-tuning rounds.

/** One value of a learning curve: epoch (counted across rounds), series, and the figure. */
export interface CurvePoint {
  readonly epoch: number;
  readonly series: string;
  readonly value: number;
}

/** The curves' series in legend order and their colours (the noisy test set dashed). */
export const CURVE_SERIES = ['train, as trained', 'train', 'test', 'test, one noise draw'] as const;
const CURVE_COLOURS = ['#bab0ac', '#4c78a8', '#f58518', '#e45756'];

/**
 * Loss and accuracy per epoch side by side; `rounds` marks where each fine-tuning round starts (the SDK loop), drawn
 * as grey rules after the first.
 */
export function learningCurveSpec(loss: readonly CurvePoint[], accuracyPct: readonly CurvePoint[], rounds: readonly number[]): TopLevelSpec {
  const epochs = Math.max(1, ...loss.map((p) => p.epoch));
  const x = { field: 'epoch', type: 'quantitative', title: 'epoch', scale: { domain: [rounds.length > 1 ? 0 : 1, epochs], nice: false }, axis: { format: 'd', tickMinStep: 1 } };
  const present = (pts: readonly CurvePoint[]) => CURVE_SERIES.filter((s) => pts.some((p) => p.series === s));
  const panel = (title: string, yTitle: string, pts: readonly CurvePoint[], y: Record<string, unknown>) => {
    const series = present(pts);
    const colours = series.map((s) => CURVE_COLOURS[CURVE_SERIES.indexOf(s)]);
    return {
      title,
      width: 360,
      height: 190,
      layer: [
        ...(rounds.length > 1 ? [{ data: { values: rounds.slice(1).map((e) => ({ e })) }, mark: { type: 'rule', color: '#cccccc', strokeDash: [3, 3] }, encoding: { x: { field: 'e', type: 'quantitative' } } }] : []),
        {
          data: { values: pts.map((p) => ({ epoch: p.epoch, series: p.series, value: round(p.value) })) },
          mark: { type: 'line', strokeWidth: 1.5, point: epochs <= 60 },
          encoding: {
            x,
            y: { field: 'value', type: 'quantitative', title: yTitle, ...y },
            color: { field: 'series', type: 'nominal', title: null, scale: { domain: series, range: colours }, legend: { orient: 'top' } },
            strokeDash: { field: 'series', type: 'nominal', title: null, scale: { domain: series, range: series.map((s) => (s === 'test, one noise draw' ? [4, 3] : [])) } },
          },
        },
      ],
    };
  };
  return styled({
    $schema: SCHEMA,
    hconcat: [
      panel('loss per epoch', 'loss', loss, { scale: { zero: false } }),
      panel('accuracy per epoch', 'accuracy (%)', accuracyPct, { scale: { zero: false, domainMax: 100 } }),
    ],
    resolve: { scale: { color: 'independent', strokeDash: 'independent' } },
  });
}
