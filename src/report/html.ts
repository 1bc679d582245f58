// report.html: one self-contained page (no scripts, no external resources) of everything `compile` computed: the
// source model, the T-network per layer, the weight distributions (patent FIGS. 26A-26K), the resistor set's
// achievable weights against the weights it must realize, quantization error, Monte Carlo over tolerance, equivalence
// and SPICE agreement, and the options. Plots are static SVG rendered in Node by vega-lite/vega (src/report/plots.ts).
// The same ReportData always gives the same bytes: no timestamps, ids scoped and numbered per chart.

import { writeFileAtomic } from '../io/atomic.js';
import { buildPairTable } from '../realize/pairs.js';
import { ROLES } from '../tnet/types.js';
import type { ReportData } from './data.js';
import {
  binEdge, binGrid, binIndex, histogram, GRID_COLOURS, markedHistogramSpec, outputBarsSpec, quantizationSpec, renderChart, ROLE_COLOURS, thin,
  weightGridSpec, weightHistogramsSpec, type BinGrid, type ErrorBar, type GridLayer, type LayerHistogram, type Marker,
} from './plots.js';
import { groupDigits } from './table.js';

// ---------------------------------------------------------------------------------------------------------------
// Text helpers

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const esc = escapeHtml;

/** A number in 3 significant digits: plain between 1e-3 and 1e5, else scientific. */
function num(x: number, digits = 3): string {
  if (Number.isNaN(x)) return 'n/a';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '-∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e5) return String(Number(x.toPrecision(digits)));
  if (a >= 1e5 && Number.isInteger(x)) return groupDigits(x);
  return x.toExponential(digits - 1);
}

function int(x: number): string {
  return x < 0 ? `-${groupDigits(-x)}` : groupDigits(x);
}

/** A fraction as a percentage; never rounds a value below 1 up to 100%. */
function pct(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  let d = 1;
  while (d < 4 && x < 1 && (x * 100).toFixed(d) === `100.${'0'.repeat(d)}`) d++;
  return `${(x * 100).toFixed(d)}%`;
}

/** Resistance with its SI prefix: 402000 -> "402 kΩ". */
export function ohms(r: number): string {
  if (!Number.isFinite(r)) return 'open';
  const [v, u] = r >= 1e6 ? [r / 1e6, 'MΩ'] : r >= 1e3 ? [r / 1e3, 'kΩ'] : [r, 'Ω'];
  return `${Number(v.toPrecision(4))} ${u}`;
}

function volts(x: number): string {
  return `${num(x)} V`;
}

function shape(s: readonly number[]): string {
  return s.length === 0 ? 'scalar' : s.join('×');
}

const ROLE_LABEL: Record<string, string> = { compute: 'compute', linear: 'linear', partialSum: 'partial sum', buffer: 'buffer', pool: 'pool', shared: 'shared' };

// ---------------------------------------------------------------------------------------------------------------
// HTML building blocks

type Cell = { readonly text: string; readonly num?: boolean; readonly html?: boolean };

function cell(v: string | number | Cell): Cell {
  if (typeof v === 'number') return { text: int(v), num: true };
  if (typeof v === 'string') return { text: v };
  return v;
}

function n(text: string): Cell {
  return { text, num: true };
}

function td(c: Cell, tag = 'td'): string {
  const body = c.html ? c.text : esc(c.text);
  return `<${tag}${c.num ? ' class="num"' : ''}>${body}</${tag}>`;
}

function table(head: (string | Cell)[], rows: (string | number | Cell)[][], foot: (string | number | Cell)[][] = [], cls = ''): string {
  const h = head.map((x) => td(typeof x === 'string' ? { text: x } : x, 'th')).join('');
  const b = rows.map((r) => `<tr>${r.map((x) => td(cell(x))).join('')}</tr>`).join('\n');
  const f = foot.length > 0 ? `<tfoot>${foot.map((r) => `<tr>${r.map((x) => td(cell(x))).join('')}</tr>`).join('')}</tfoot>` : '';
  return `<div class="table-wrap"><table${cls ? ` class="${cls}"` : ''}><thead><tr>${h}</tr></thead><tbody>\n${b}\n</tbody>${f}</table></div>`;
}

/** A two-column table of figures (label, value). */
function facts(rows: [string, string | Cell][]): string {
  return `<div class="table-wrap"><table class="facts"><tbody>${rows.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th>${td(typeof v === 'string' ? n(v) : v)}</tr>`).join('')}</tbody></table></div>`;
}

function badge(ok: boolean, yes: string, no: string): string {
  return `<span class="badge ${ok ? 'ok' : 'bad'}">${esc(ok ? yes : no)}</span>`;
}

function card(title: string, rows: [string, string][], extra = ''): string {
  const dl = rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('');
  return `<div class="card"><h3>${esc(title)}</h3><dl>${dl}</dl>${extra}</div>`;
}

function note(html: string): string {
  return `<p class="note">${html}</p>`;
}

function section(id: string, title: string, body: string): string {
  return `<section id="${id}">\n<h2>${esc(title)}</h2>\n${body}\n</section>`;
}

function figure(name: string, svg: string, caption: string): string {
  return `<figure class="plot" data-plot="${name}">\n${svg}\n<figcaption>${caption}</figcaption>\n</figure>`;
}

// ---------------------------------------------------------------------------------------------------------------
// Per-layer figures of the T-network and its realization

const HIST_BINS = 40;
const GRID_BINS = 80;
const GRID_LAYERS = 8;
/** Most achievable values drawn per layer: about one per 0.8 px of a 380 px wide panel. */
const GRID_VALUES = 500;
/** Slices of the x range over which the largest grid gap is reported. */
const GAP_SLICES = 120;

interface LayerFigures {
  /** Origin index (-1: neurons not attributed to a source layer). */
  readonly origin: number;
  readonly name: string;
  readonly op: string;
  neurons: number;
  weights: number;
  lo: number;
  hi: number;
  sumAbs: number;
  /** |realized - target| over weights and biases / V_ref. */
  errSum: number;
  errMax: number;
  errCount: number;
  open: number;
  gains: number;
  readonly rf: Map<number, number>;
  coarse: BinGrid | null;
  fine: BinGrid | null;
  /** coarse bins: counts per role, role-major (ROLES.length x coarse.count). */
  roleCounts: Float64Array | null;
  fineCounts: Float64Array | null;
}

function layerFigures(data: ReportData): LayerFigures[] {
  const net = data.tnet;
  const r = data.realized;
  const nn = net.neurons;
  const E = nn.rowPtr[nn.count];
  if (r.weight.length !== E || r.bias.length !== nn.count) throw new Error('report: the realized network does not match the T-network (different connection or neuron counts)');
  const vRef = r.options.vRefV;
  const byOrigin = new Map<number, LayerFigures>();
  const get = (o: number): LayerFigures => {
    let f = byOrigin.get(o);
    if (!f) {
      const origin = o >= 0 ? net.origins[o] : null;
      f = {
        origin: o, name: origin ? origin.name : '(no source layer)', op: origin ? origin.op : '', neurons: 0, weights: 0, lo: Infinity, hi: -Infinity, sumAbs: 0,
        errSum: 0, errMax: 0, errCount: 0, open: 0, gains: 0, rf: new Map(), coarse: null, fine: null, roleCounts: null, fineCounts: null,
      };
      byOrigin.set(o, f);
    }
    return f;
  };
  // Pass 1: extents, quantization error, open circuits, gain stages, R_f.
  for (let i = 0; i < nn.count; i++) {
    const f = get(nn.origin[i]);
    f.neurons++;
    for (let e = nn.rowPtr[i]; e < nn.rowPtr[i + 1]; e++) {
      const w = nn.weight[e];
      if (w < f.lo) f.lo = w;
      if (w > f.hi) f.hi = w;
      f.sumAbs += Math.abs(w);
      const d = Math.abs(r.weight[e] - w);
      f.errSum += d;
      if (d > f.errMax) f.errMax = d;
      if (r.rPlus[e] === Infinity && r.rMinus[e] === Infinity) f.open++;
    }
    f.weights += nn.rowPtr[i + 1] - nn.rowPtr[i];
    const db = Math.abs(r.bias[i] - nn.bias[i]) / vRef;
    f.errSum += db;
    if (db > f.errMax) f.errMax = db;
    f.errCount += nn.rowPtr[i + 1] - nn.rowPtr[i] + 1;
    if (r.gain[i] !== 1) f.gains++;
    f.rf.set(r.rFeedback[i], (f.rf.get(r.rFeedback[i]) ?? 0) + 1);
  }
  const layers = [...byOrigin.values()].sort((a, b) => (a.origin < 0 ? 1 : b.origin < 0 ? -1 : a.origin - b.origin));
  for (const f of layers) {
    if (f.weights === 0) continue;
    f.coarse = binGrid(f.lo, f.hi, HIST_BINS);
    f.fine = binGrid(f.lo, f.hi, GRID_BINS);
    f.roleCounts = new Float64Array(ROLES.length * f.coarse.count);
    f.fineCounts = new Float64Array(f.fine.count);
  }
  // Pass 2: histograms (bins computed here, never millions of points handed to vega).
  for (let i = 0; i < nn.count; i++) {
    const f = byOrigin.get(nn.origin[i])!;
    if (!f.coarse) continue;
    const base = nn.role[i] * f.coarse.count;
    for (let e = nn.rowPtr[i]; e < nn.rowPtr[i + 1]; e++) {
      const w = nn.weight[e];
      f.roleCounts![base + binIndex(f.coarse, w)]++;
      f.fineCounts![binIndex(f.fine!, w)]++;
    }
  }
  return layers;
}

/** The most common R_f of a layer (ties: the smaller). */
function modeRf(f: LayerFigures): number {
  let best = NaN;
  let count = -1;
  for (const [rf, c] of [...f.rf.entries()].sort((a, b) => a[0] - b[0])) {
    if (c > count) {
      best = rf;
      count = c;
    }
  }
  return best;
}

/** Panel keys A, B, ..., Z, AA, AB, ... (as the patent labels its per-layer figures 26A-26K). */
function panelKey(k: number): string {
  let out = '';
  for (let v = k + 1; v > 0; v = Math.floor((v - 1) / 26)) out = String.fromCharCode(65 + ((v - 1) % 26)) + out;
  return out;
}

/** Distinct labels for chart axes and facets (a repeated name gets its origin index). */
function keysOf(layers: readonly LayerFigures[]): Map<LayerFigures, string> {
  return new Map(layers.filter((f) => f.weights > 0).map((f, k) => [f, panelKey(k)]));
}

function labelsOf(layers: readonly LayerFigures[]): Map<LayerFigures, string> {
  const seen = new Map<string, number>();
  for (const f of layers) seen.set(f.name, (seen.get(f.name) ?? 0) + 1);
  return new Map(layers.map((f) => [f, seen.get(f.name)! > 1 ? `${f.name} [${f.origin}]` : f.name]));
}

// ---------------------------------------------------------------------------------------------------------------
// Sections

function overview(data: ReportData): string {
  const s = data.summary;
  const t = s.tnet;
  const c = s.constraints;
  const re = s.realization;
  const within = t.maxFanIn <= c.fanIn && t.maxFanOut <= c.fanOut && t.maxAbsSignal <= c.signalLimit + 1e-9;
  const cards = [
    card('Source model', [
      ['layers', int(s.source.layers)],
      ['parameters', int(s.source.parameters)],
      ['MACs / sample', int(s.source.macs)],
      ['input', esc(shape(data.inspect.input.shape))],
      ['output', esc(shape(data.inspect.output.shape))],
    ]),
    card('T-network', [
      ['layers (depth)', int(t.layers)],
      ['neurons', int(t.neurons)],
      ['connections', int(t.connections)],
      ['max fan-in', `${int(t.maxFanIn)} / ${int(c.fanIn)}`],
      ['max fan-out', `${int(t.maxFanOut)} / ${int(c.fanOut)}`],
      ['max |signal|', `${num(t.maxAbsSignal)} / ${num(c.signalLimit)} V`],
    ], `<p class="status">${badge(within, 'within limits', 'limits exceeded')}</p>`),
    card('Equivalence', [
      ['max |error|', num((s.equivalence.test ?? s.equivalence.calibration).maxAbsError)],
      ['mean |error|', num((s.equivalence.test ?? s.equivalence.calibration).meanAbsError)],
      ['samples', int((s.equivalence.test ?? s.equivalence.calibration).samples)],
      ['rail hits', int((s.equivalence.test ?? s.equivalence.calibration).railHits)],
    ], `<p class="status">T-network vs source, ${esc(`${(s.equivalence.test ?? s.equivalence.calibration).on} set`)}</p>`),
    card('Realization', [
      ['resistors', int(re.resistors)],
      ['distinct values', int(re.distinctValues)],
      ['nominal MSE', num(re.nominal.mse)],
      ['class agreement', pct(re.nominal.classAgreement)],
      ...(re.monteCarlo ? [[`MC ${pct(re.toleranceRel)}: agreement`, pct(re.monteCarlo.classAgreement.mean)], ['MC worst', pct(re.monteCarlo.classAgreement.worst)]] as [string, string][] : []),
    ], `<p class="status">${esc(re.series)}</p>`),
    s.spice
      ? card('SPICE', [
        ['max |Δ| vs behav.', volts(s.spice.maxVsBehaviouralV)],
        ['tolerance', volts(s.spice.toleranceV)],
        ['class agreement', pct(s.spice.classAgreementVsSource)],
        ['engine', esc(s.spice.engine)],
        ['samples', int(s.spice.samples)],
      ], `<p class="status">${badge(s.spice.passed, 'agrees', 'disagrees')}</p>`)
      : card('SPICE', [], '<p class="status">not run (<code>compile --verify</code>)</p>'),
  ];
  const file = s.model.file !== null ? `<code>${esc(s.model.file)}</code> · ` : '';
  return section('overview', 'Overview', [
    `<p class="lead">Model <strong>${esc(s.model.name)}</strong> (${file}${esc(s.model.origin)}), compiled with fan-in ≤ ${int(c.fanIn)}, fan-out ≤ ${int(c.fanOut)} and signals within ±${num(c.signalLimit)} V, calibrated on ${int(s.sets.calibration.samples)} samples${s.digitalTail ? `; a final ${esc(s.digitalTail.kind)} is computed digitally on the analog outputs` : ''}.</p>`,
    `<div class="cards">${cards.join('\n')}</div>`,
  ].join('\n'));
}

function sourceLayers(data: ReportData): string {
  const ins = data.inspect;
  const rows = ins.layers.map((l) => [l.name, l.op, l.inputShapes.map(shape).join(', '), shape(l.outputShape), l.parameters, l.macs]);
  const foot = [[{ text: `total: ${int(ins.totals.layers)} layers` }, '', '', '', ins.totals.parameters, ins.totals.macs]];
  return section('source-layers', 'Source model layers', [
    `<p>Input <code>${esc(ins.input.name)}</code> ${esc(shape(ins.input.shape))}, output <code>${esc(ins.output.name)}</code> ${esc(shape(ins.output.shape))}; shapes per sample (batch dimension removed), MACs per sample.</p>`,
    table(['layer', 'op', 'input shapes', 'output shape', n('parameters'), n('MACs')], rows, foot, 'layers'),
  ].join('\n'));
}

function tnetLayers(data: ReportData): string {
  const s = data.summary;
  const t = s.tnet;
  const roles = ROLES.filter((r) => t.neuronsByKind[r] > 0);
  const rows = s.layers.map((l) => [
    l.name, l.op, l.construction,
    ...roles.map((r) => (l.neurons[r] > 0 ? int(l.neurons[r]) : '')).map(n),
    l.neurons.total, l.connections, l.maxFanIn, l.maxFanOut,
    n(l.signalRangeV ? `${num(l.signalRangeV[0])} … ${num(l.signalRangeV[1])}` : ''),
    n(l.depth ? (l.depth[0] === l.depth[1] ? String(l.depth[0]) : `${l.depth[0]}–${l.depth[1]}`) : ''),
  ]);
  const attributed = s.layers.reduce((a, l) => a + l.neurons.total, 0);
  const foot = [[
    { text: `T-network: ${int(t.layers)} layers` }, '', '',
    ...roles.map((r) => t.neuronsByKind[r]),
    t.neurons, t.connections, t.maxFanIn, t.maxFanOut, n(`±${num(t.maxAbsSignal)}`), n(`1–${t.layers}`),
  ]];
  const head = ['layer', 'op', 'construction', ...roles.map((r) => n(ROLE_LABEL[r])), n('neurons'), n('connections'), n('fan-in'), n('fan-out'), n('signal range (V)'), n('depth')];
  const b = s.beforeLimits;
  return section('tnet-layers', 'T-network layers', [
    `<p>Constraints: every neuron has at most <strong>${int(s.constraints.fanIn)}</strong> inputs (fan-in), every signal drives at most <strong>${int(s.constraints.fanOut)}</strong> neurons (fan-out), every signal stays within <strong>±${num(s.constraints.signalLimit)} V</strong> on the calibration data. Measured: max fan-in ${int(t.maxFanIn)}, max fan-out ${int(t.maxFanOut)}, max |signal| ${volts(t.maxAbsSignal)}. Before the fan-in/fan-out limits the lowering had ${int(b.layers)} layers, ${int(b.neurons)} neurons and ${int(b.connections)} connections.</p>`,
    `<p>Per source layer: how it was built (direct; pyramid = fan-in trees; fan-out tree; trapezium = both; composed = a linear op folded into its consumers; fused = an activation realized by the neurons feeding it; digital tail), its neurons by role, the connections into them, and the signal range of their outputs on the calibration data. Depth is the neuron layer (1 = first). Roles without neurons are omitted.</p>`,
    table(head, rows, foot, 'layers'),
    attributed !== t.neurons ? note(`${int(t.neurons - attributed)} neurons are not attributed to a source layer (they are counted in the total only).`) : '',
  ].join('\n'));
}

async function weightHistograms(layers: readonly LayerFigures[]): Promise<string> {
  const shown = layers.filter((f) => f.coarse);
  if (shown.length === 0) return section('weight-histograms', 'Weight distributions per layer', note('The T-network has no weighted connections.'));
  const labels = labelsOf(layers);
  const keys = keysOf(layers);
  const used = ROLES.map((_, k) => shown.some((f) => f.roleCounts!.subarray(k * f.coarse!.count, (k + 1) * f.coarse!.count).some((c) => c > 0)));
  const series = ROLES.filter((_, k) => used[k]).map((r) => ROLE_LABEL[r]);
  const roleIdx = ROLES.map((_, k) => k).filter((k) => used[k]);
  const hist: LayerHistogram[] = shown.map((f) => {
    const g = f.coarse!;
    const bins = Array.from({ length: g.count }, (_, b) => ({ x0: binEdge(g, b), x1: binEdge(g, b + 1), counts: roleIdx.map((k) => f.roleCounts![k * g.count + b]) }));
    return { label: `${keys.get(f)}  ${labels.get(f)}\n${f.op || 'no op'} · ${int(f.weights)} weights`, bins, meanAbs: f.sumAbs / f.weights };
  });
  const chart = await renderChart(weightHistogramsSpec(hist, series, series.map((s) => ROLE_COLOURS[s]), shown.length <= 2 ? shown.length : shown.length <= 6 ? 3 : 4), 'weight-histograms');
  const rows = shown.map((f) => [keys.get(f)!, labels.get(f)!, f.op, f.neurons, f.weights, n(num(f.lo)), n(num(f.hi)), n(num(f.sumAbs / f.weights))]);
  return section('weight-histograms', 'Weight distributions per layer', [
    figure('weight-histograms', chart.svg,
      `Histograms of the T-network's weights (the target weights the resistors must realize, after the fan-in/fan-out trees and signal-limit rescaling), one per source layer that has neurons, ${HIST_BINS} bins or fewer, bars stacked by the role of the neuron the connection feeds (compute = the layer's own units; partial sum and buffer = its fan-in and fan-out trees). Dashed lines: ± the mean |weight| of the layer, as in the patent's per-layer histograms (FIGS. 26A-26K). Biases are not included.`),
    table(['panel', 'layer', 'op', n('neurons'), n('weights'), n('min'), n('max'), n('mean |w|')], rows, [], 'layers-weights'),
  ].join('\n'));
}

/** Largest gap between neighbouring achievable weights over each of `slices` slices of [lo, hi] (null: none there). */
function gapsOf(values: Float64Array, lo: number, hi: number, slices: number): { x: number; gap: number | null }[] {
  const w = (hi - lo) / slices;
  const gap: (number | null)[] = new Array<number | null>(slices).fill(null);
  for (let k = 0; k + 1 < values.length; k++) {
    const a = values[k];
    const b = values[k + 1];
    if (b < lo || a > hi) continue;
    const from = Math.max(0, Math.floor((a - lo) / w));
    const to = Math.min(slices - 1, Math.floor((b - lo) / w));
    for (let j = from; j <= to; j++) gap[j] = Math.max(gap[j] ?? 0, b - a);
  }
  return gap.map((g, j) => ({ x: lo + (j + 0.5) * w, gap: g }));
}

function swatch(colour: string, kind: 'box' | 'line' | 'dash' = 'box'): string {
  return `<span class="swatch ${kind}" style="--c: ${colour}"></span>`;
}

async function weightGrid(data: ReportData, layers: readonly LayerFigures[]): Promise<string> {
  const r = data.realized;
  const re = data.summary.realization;
  const candidates = layers.filter((f) => f.fine);
  if (candidates.length === 0) return section('weight-grid', 'Achievable weights of the resistor set', note('The T-network has no weighted connections.'));
  const chosen = new Set([...candidates].sort((a, b) => b.weights - a.weights || a.origin - b.origin).slice(0, GRID_LAYERS));
  const shown = candidates.filter((f) => chosen.has(f));
  const labels = labelsOf(layers);
  const keys = keysOf(layers);
  const perNeuron = r.options.feedbackPer === 'neuron';
  const grid: GridLayer[] = [];
  const rows: (string | number | ReturnType<typeof n>)[][] = [];
  const tables = new Map<number, ReturnType<typeof buildPairTable>>();
  for (const f of shown) {
    const rf = modeRf(f);
    let t = tables.get(rf);
    if (!t) {
      t = buildPairTable(r.options.set, rf, r.options.toleranceRel);
      tables.set(rf, t);
    }
    const g = f.fine!;
    const lo = binEdge(g, 0);
    const hi = binEdge(g, g.count);
    let inRange = 0;
    for (const v of t.value) if (v >= lo && v <= hi) inRange++;
    const values = thin(t.value, lo, hi, GRID_VALUES);
    const limits = [-t.maxAbs, t.maxAbs].filter((x) => x >= lo && x <= hi);
    const bins = Array.from({ length: g.count }, (_, b) => ({ x0: binEdge(g, b), x1: binEdge(g, b + 1), count: f.fineCounts![b] }));
    grid.push({ label: `${keys.get(f)}  ${labels.get(f)}\nR_f ${ohms(rf)} · ${int(inRange)} values in range`, bins, grid: values, gaps: gapsOf(t.value, lo, hi, GAP_SLICES), limits });
    rows.push([keys.get(f)!, labels.get(f)!, n(ohms(rf)), f.weights, inRange, n(num(t.maxAbs)), f.gains]);
  }
  const chart = await renderChart(weightGridSpec(grid, shown.length === 1 ? 1 : 2), 'weight-grid');
  const which = candidates.length > GRID_LAYERS ? `the ${GRID_LAYERS} layers with the most connections (of ${candidates.length} with weights)` : candidates.length === 1 ? 'the one layer with weights' : `all ${candidates.length} layers with weights`;
  const caption = [
    `The weights the resistor set <strong>${esc(re.series)}</strong> can realize with each layer's R_f (R_f/R+ − R_f/R− over the set's pairs, the pairs kept for r_err = ${esc(num(r.options.toleranceRel))}, and 0 = open circuit), against the weights the layer must realize.`,
    `${swatch(GRID_COLOURS.bars)} histogram of the layer's target weights (left axis);`,
    `${swatch(GRID_COLOURS.rug, 'line')} achievable weights, one tick each along the top (where they are denser than the pixels, one tick per ${GRID_VALUES}th of the axis: a solid band);`,
    `${swatch(GRID_COLOURS.gap, 'line')} the largest gap between neighbouring achievable weights in each 1/${GAP_SLICES} of the axis (right axis, log scale; a weight is quantized by at most half of it);`,
    `${swatch(GRID_COLOURS.limit, 'dash')} the largest |weight| the set reaches with that R_f (R_f/R_min − R_f/R_max): a neuron with larger weights gets a gain stage k, and its weights are realized on k times this grid.`,
    `R_f is chosen ${perNeuron ? 'per neuron (the most common value of each layer is shown)' : 'per layer'} by ${esc(re.feedback.mode)}. Shown: ${which}; panel letters as in the weight histograms.`,
  ].join(' ');
  return section('weight-grid', 'Achievable weights of the resistor set', [
    figure('weight-grid', chart.svg, caption),
    table(['panel', 'layer', n('R_f'), n('weights'), n('achievable weights in range'), n('max |w| without gain'), n('neurons with gain stage')], rows, [], 'grid-layers'),
  ].join('\n'));
}

async function quantization(data: ReportData, layers: readonly LayerFigures[]): Promise<string> {
  const re = data.summary.realization;
  const shown = layers.filter((f) => f.neurons > 0);
  const labels = labelsOf(layers);
  const stats = ['mean |realized − target|', 'max |realized − target|'];
  const bars: ErrorBar[] = [];
  for (const f of shown) {
    bars.push({ layer: labels.get(f)!, stat: stats[0], value: f.errCount > 0 ? f.errSum / f.errCount : 0 });
    bars.push({ layer: labels.get(f)!, stat: stats[1], value: f.errMax });
  }
  const chart = await renderChart(quantizationSpec(bars, shown.map((f) => labels.get(f)!), stats), 'quantization-error');
  const rows = shown.map((f) => [labels.get(f)!, f.weights, n(num(f.errCount > 0 ? f.errSum / f.errCount : 0)), n(num(f.errMax)), f.open, f.gains, n(ohms(modeRf(f)))]);
  const foot = [[{ text: 'all layers' }, shown.reduce((a, f) => a + f.weights, 0), n(num(re.weightError.mean)), n(num(re.weightError.max)), re.openConnections, re.neuronsWithGain, '']];
  return section('quantization', 'Quantization error per layer', [
    figure('quantization-error', chart.svg,
      `Per source layer, mean and max of |realized − target| over its weights and biases (biases divided by V_ref = ${esc(volts(data.realized.options.vRefV))}), with nominal resistor values through the exact op-amp formula (normalizing resistors and gain stages included). Series ${esc(re.series)}, R_f ${esc(re.feedback.mode)} per ${esc(re.feedback.per)}.`),
    table(['layer', n('weights'), n('mean |Δw|'), n('max |Δw|'), n('open connections'), n('neurons with gain'), n('R_f')], rows, foot, 'quant-layers'),
  ].join('\n'));
}

/** Bins for values on a lattice of step q (e.g. class agreement k/N): each bin a whole number of lattice steps. */
function latticeGrid(lo: number, hi: number, q: number, maxBins: number): BinGrid {
  if (!(q > 0)) return binGrid(lo, hi, maxBins);
  const steps = Math.max(1, Math.ceil((hi - lo) / q / maxBins + 1e-9));
  const step = steps * q;
  const start = Math.round(lo / q) * q - q / 2;
  const count = Math.max(1, Math.floor((hi - start) / step) + 1);
  return { start, step, count };
}

function binned(values: readonly number[], g: BinGrid): { x0: number; x1: number; count: number }[] {
  return Array.from(histogram(values, g), (count, b) => ({ x0: binEdge(g, b), x1: binEdge(g, b + 1), count }));
}

async function monteCarloSection(data: ReportData): Promise<string> {
  const re = data.summary.realization;
  const mc = re.monteCarlo;
  const trials = data.monteCarloTrials;
  if (!mc || !trials || trials.length === 0) {
    return section('monte-carlo', 'Monte Carlo over resistor tolerance', note('Not simulated: give <code>--tolerance</code> (e.g. <code>--tolerance 0.01</code> for 1%) to draw every resistor with that tolerance and see the spread of the output error and of the class agreement.'));
  }
  const mses = trials.map((t) => t.mse);
  const agree = trials.map((t) => t.classAgreement * 100);
  const mseMarkers: Marker[] = [
    { label: `nominal ${num(re.nominal.mse)}`, x: re.nominal.mse, colour: '#222', dash: [] },
    { label: `mean ${num(mc.mse.mean)}`, x: mc.mse.mean, colour: '#f58518', dash: [] },
    { label: `p5 ${num(mc.mse.p5)}`, x: mc.mse.p5, colour: '#54a24b', dash: [4, 3] },
    { label: `p95 ${num(mc.mse.p95)}`, x: mc.mse.p95, colour: '#b279a2', dash: [4, 3] },
    { label: `worst ${num(mc.mse.worst)}`, x: mc.mse.worst, colour: '#e45756', dash: [2, 2] },
  ];
  const mseChart = await renderChart(markedHistogramSpec(binned(mses, binGrid(Math.min(...mses), Math.max(...mses), 20)), mseMarkers, {
    title: 'output MSE (per trial)', labelExpr: "datum.value === 0 ? '0' : format(datum.value, '.2~e')", domain: null,
  }), 'mc-mse');
  const ca = mc.classAgreement;
  const q = re.nominal.samples > 0 ? 100 / re.nominal.samples : 0;
  const agreeMarkers: Marker[] = [
    { label: `nominal ${pct(re.nominal.classAgreement)}`, x: re.nominal.classAgreement * 100, colour: '#222', dash: [] },
    { label: `mean ${pct(ca.mean)}`, x: ca.mean * 100, colour: '#f58518', dash: [] },
    { label: `p5 ${pct(ca.p5)}`, x: ca.p5 * 100, colour: '#54a24b', dash: [4, 3] },
    { label: `p95 ${pct(ca.p95)}`, x: ca.p95 * 100, colour: '#b279a2', dash: [4, 3] },
    { label: `worst ${pct(ca.worst)}`, x: ca.worst * 100, colour: '#e45756', dash: [2, 2] },
  ];
  // Agreement takes the values k/N: one bar per distinct value when there are few, else bins of whole lattice steps.
  const distinct = [...new Set(agree)].sort((a, b) => a - b);
  const step = q > 0 ? q : 0.1;
  const agreeBins = distinct.length <= 40
    ? distinct.map((v) => ({ x0: v - 0.4 * step, x1: v + 0.4 * step, count: agree.filter((a) => a === v).length }))
    : binned(agree, latticeGrid(distinct[0], distinct[distinct.length - 1], q, 20));
  const span = [...agree, ...agreeMarkers.map((m) => m.x)];
  const agreeChart = await renderChart(markedHistogramSpec(agreeBins, agreeMarkers, {
    title: 'class agreement with the source model (%, per trial)',
    labelExpr: "datum.value > 100.0000001 ? '' : format(datum.value, '~g')",
    domain: [Math.min(...span, agreeBins[0].x0) - 0.3 * step, Math.max(...span, agreeBins[agreeBins.length - 1].x1) + 0.3 * step],
  }), 'mc-agreement');
  const rows = [
    ['output MSE', n(num(re.nominal.mse)), n(num(mc.mse.mean)), n(num(mc.mse.p5)), n(num(mc.mse.p95)), n(num(mc.mse.worst))],
    ['max |error|', n(num(re.nominal.maxAbsError)), n(num(mc.maxAbsError.mean)), n(num(mc.maxAbsError.p5)), n(num(mc.maxAbsError.p95)), n(num(mc.maxAbsError.worst))],
    ['class agreement', n(pct(re.nominal.classAgreement)), n(pct(ca.mean)), n(pct(ca.p5)), n(pct(ca.p95)), n(pct(ca.worst))],
  ];
  const how = `${int(mc.trials)} trials, every resistor drawn with ${esc(re.toleranceDistribution)} tolerance ${esc(pct(re.toleranceRel))} (seed ${mc.seed}), ${int(re.nominal.samples)} samples each, against the source model`;
  return section('monte-carlo', 'Monte Carlo over resistor tolerance', [
    `<div class="figrow">`,
    figure('mc-mse', mseChart.svg, `Output MSE per trial: ${how}. Lines: nominal resistor values, mean, 5th and 95th percentile, worst trial.`),
    figure('mc-agreement', agreeChart.svg, `Class agreement with the source model per trial (${how}). Lines as left; worst = the lowest agreement.`),
    `</div>`,
    table(['figure', n('nominal'), n('mean'), n('p5'), n('p95'), n('worst')], rows, [], 'mc'),
  ].join('\n'));
}

async function equivalence(data: ReportData): Promise<string> {
  const s = data.summary;
  const e = s.equivalence.test ?? s.equivalence.calibration;
  const re = s.realization;
  const parts: string[] = [];
  parts.push('<h3>T-network vs source model</h3>');
  parts.push(`<p>The T-network (before realization) computes the source model exactly up to float64 round-off${s.construction.approx ? ', except for the approximate construction' : ''}; measured on the ${int(e.samples)} ${e.on} samples over every analog output.</p>`);
  parts.push(facts([
    ['samples', int(e.samples)],
    ['max |T-network − source|', num(e.maxAbsError)],
    ['mean |T-network − source|', num(e.meanAbsError)],
    ...(s.digitalTail ? [[`max |error| after the digital ${s.digitalTail.kind}`, num(e.maxAbsErrorFinal)] as [string, string]] : []),
    ['rail hits', int(e.railHits)],
    ...(s.construction.approx ? [['approximation: relative matrix error', num(s.construction.approx.relativeMatrixError)] as [string, string]] : []),
  ]));
  parts.push('<h3>Realized network (nominal resistor values) vs source model</h3>');
  const conv = [re.converters.dacBits !== null ? `${re.converters.dacBits}-bit DAC` : '', re.converters.adcBits !== null ? `${re.converters.adcBits}-bit ADC` : ''].filter(Boolean).join(', ');
  parts.push(facts([
    ['samples', int(re.nominal.samples)],
    ['output MSE', num(re.nominal.mse)],
    ['max |error|', num(re.nominal.maxAbsError)],
    ['class agreement', pct(re.nominal.classAgreement)],
    ['weight error mean / max', `${num(re.weightError.mean)} / ${num(re.weightError.max)}`],
    ['converters', conv || 'none'],
  ]));
  parts.push('<h3>SPICE netlist vs behavioural simulation</h3>');
  const sp = s.spice;
  if (!sp) {
    parts.push(note('SPICE not run: give <code>compile --verify</code> (or run <code>ohmnet verify --spice</code>) to solve the netlist with a SPICE engine and compare it with the behavioural simulation and the source model.'));
  } else {
    const opamp = sp.opamp.kind === 'ideal' ? `ideal (gain ${num(sp.opamp.gain)})` : `macro (A0 ${num(sp.opamp.gain)})`;
    parts.push(facts([
      ['result', { text: badge(sp.passed, 'agrees within tolerance', 'disagrees: beyond tolerance'), html: true }],
      ['engine', esc(sp.engine)],
      ['op-amp model', opamp],
      ['samples', int(sp.samples)],
      ['max |SPICE − behavioural|', volts(sp.maxVsBehaviouralV)],
      ['tolerance', volts(sp.toleranceV)],
      ['max |SPICE − source|', num(sp.maxVsSource)],
      ['class agreement vs behavioural', pct(sp.classAgreementVsBehavioural)],
      ['class agreement vs source', pct(sp.classAgreementVsSource)],
      ...(sp.finiteGain ? [['max noise gain', num(sp.finiteGain.maxNoiseGain)] as [string, string], ['relative error per neuron (finite gain)', num(sp.finiteGain.relativeErrorPerNeuron)] as [string, string]] : []),
    ]));
    const chart = await renderChart(outputBarsSpec([
      { title: '|SPICE − behavioural| per output', yTitle: 'max |Δ| (V)', values: sp.perOutput.map((p) => p.maxVsBehaviouralV), limit: { label: `tolerance ${volts(sp.toleranceV)}`, value: sp.toleranceV } },
      { title: '|SPICE − source model| per output', yTitle: 'max |Δ| (model units)', values: sp.perOutput.map((p) => p.maxVsSource), limit: null },
    ]), 'spice-agreement');
    parts.push(figure('spice-agreement', chart.svg,
      `Per analog output, the largest difference over ${int(sp.samples)} samples (log scale; an exact 0 is drawn at the axis floor). Left: the netlist solved by ${esc(sp.engine)} against the behavioural simulation of the same resistors, in volts at <code>out&lt;k&gt;</code>, with the pass tolerance (dashed). Right: the model outputs from SPICE (after readout scales${s.digitalTail ? ` and the digital ${esc(s.digitalTail.kind)}` : ''}) against the source model, which includes the resistor quantization error.`));
  }
  return section('equivalence', 'Equivalence', parts.join('\n'));
}

function optionsSection(data: ReportData): string {
  const keys = Object.keys(data.options).sort();
  const rows = keys.map((k) => {
    const v = data.options[k];
    return [{ text: `--${k}` }, v === null ? '(not set)' : typeof v === 'number' ? n(num(v, 6)) : String(v)];
  });
  const passes = data.summary.passes.map((p) => [p.pass, p.changed ? 'yes' : 'no', p.neurons ?? '', p.connections ?? '', p.notes.join('; ')]);
  return section('options', 'Options and passes', [
    '<h3>Options</h3>',
    keys.length > 0 ? table(['option', 'value'], rows, [], 'options') : note('No options recorded.'),
    '<h3>Passes</h3>',
    `<p>The T-transformation's passes in order, with the network's size after each.</p>`,
    table(['pass', 'changed', n('neurons'), n('connections'), 'notes'], passes, [], 'passes'),
  ].join('\n'));
}

// ---------------------------------------------------------------------------------------------------------------
// The page

const STYLE = `
:root { --fg: #1d2327; --muted: #58636b; --line: #cfd6dc; --soft: #f4f6f8; --head: #e9edf1; --accent: #2f5d8a; --ok: #1e7b34; --bad: #b3261e; }
* { box-sizing: border-box; }
html { font-size: 15px; -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--fg); background: #fff; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; line-height: 1.45; }
main { max-width: 1160px; margin: 0 auto; padding: 20px 28px 56px; }
header h1 { font-size: 1.6rem; margin: 0.4rem 0 0.2rem; word-break: break-word; }
header p { margin: 0; color: var(--muted); }
nav.toc { margin: 14px 0 4px; font-size: 0.9rem; }
nav.toc ol { margin: 0; padding: 0; list-style: none; display: flex; flex-wrap: wrap; gap: 4px 16px; }
nav.toc a { color: var(--accent); text-decoration: none; }
nav.toc a:hover { text-decoration: underline; }
h2 { font-size: 1.3rem; margin: 2.2rem 0 0.7rem; padding-bottom: 0.25rem; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.02rem; margin: 1.3rem 0 0.5rem; }
p { margin: 0.5rem 0; max-width: 90ch; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.88em; background: var(--soft); padding: 0 3px; border-radius: 3px; }
.lead { font-size: 1.02rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 12px; margin-top: 12px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; background: var(--soft); }
.card h3 { margin: 0 0 6px; font-size: 0.98rem; color: var(--accent); }
.card dl { display: grid; grid-template-columns: minmax(0, 1fr) auto; gap: 2px 8px; margin: 0; font-size: 0.86rem; }
.card dt { color: var(--muted); }
.card dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.card .status { margin: 8px 0 0; font-size: 0.84rem; color: var(--muted); }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 0.82rem; font-weight: 600; color: #fff; }
.badge.ok { background: var(--ok); }
.badge.bad { background: var(--bad); }
.table-wrap { overflow-x: auto; margin: 0.6rem 0 1rem; }
table { border-collapse: collapse; font-size: 0.84rem; }
th, td { border: 1px solid var(--line); padding: 3px 8px; vertical-align: top; }
thead th { background: var(--head); text-align: left; font-weight: 600; }
tbody tr:nth-child(even) td { background: #fafbfc; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
tfoot td { font-weight: 600; background: var(--soft); border-top: 2px solid #9aa5ae; }
table.facts th { background: var(--soft); font-weight: normal; color: var(--muted); text-align: left; }
table.facts td { min-width: 9em; }
table.passes td:last-child { max-width: 60ch; }
figure.plot { margin: 1rem 0; padding: 10px; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
figure.plot svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
figcaption { font-size: 0.84rem; color: var(--muted); margin-top: 0.5rem; max-width: 100ch; }
.figrow { display: flex; flex-wrap: wrap; gap: 14px; }
.figrow figure.plot { flex: 1 1 440px; margin: 0.4rem 0; }
.swatch { display: inline-block; width: 16px; height: 10px; margin: 0 4px 0 2px; vertical-align: middle; }
.swatch.box { background: var(--c); }
.swatch.line { height: 0; border-top: 2px solid var(--c); }
.swatch.dash { height: 0; border-top: 2px dashed var(--c); }
.note { border-left: 4px solid #c9a227; background: #fcf7e3; padding: 8px 12px; }
footer { margin-top: 3rem; font-size: 0.8rem; color: var(--muted); border-top: 1px solid var(--line); padding-top: 8px; }
@media (max-width: 700px) { main { padding: 12px; } html { font-size: 14px; } }
@media print {
  @page { size: A4; margin: 14mm 12mm 16mm; }
  html { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  nav.toc { display: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-after: avoid; page-break-after: avoid; margin-top: 1.4rem; }
  h3 { break-after: avoid; page-break-after: avoid; }
  figure, .card, table.facts, table.mc, table.options { break-inside: avoid; page-break-inside: avoid; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  .table-wrap { overflow: visible; }
  table { font-size: 7.5pt; }
  th, td { padding: 2px 5px; }
  figure.plot { border: none; padding: 0; }
  .figrow { display: block; }
  a { color: inherit; text-decoration: none; }
}
`;

const SECTIONS: [string, string][] = [
  ['overview', 'Overview'],
  ['source-layers', 'Source layers'],
  ['tnet-layers', 'T-network layers'],
  ['weight-histograms', 'Weight histograms'],
  ['weight-grid', 'Weight grid'],
  ['quantization', 'Quantization error'],
  ['monte-carlo', 'Monte Carlo'],
  ['equivalence', 'Equivalence'],
  ['options', 'Options'],
];

/** Renders the report page. Deterministic: the same data gives the same bytes. */
export async function renderReport(data: ReportData): Promise<string> {
  const s = data.summary;
  const layers = layerFigures(data);
  const body = [
    overview(data),
    sourceLayers(data),
    tnetLayers(data),
    await weightHistograms(layers),
    await weightGrid(data, layers),
    await quantization(data, layers),
    await monteCarloSection(data),
    await equivalence(data),
    optionsSection(data),
  ].join('\n\n');
  const title = `ohmnet report: ${s.model.name}`;
  const toc = `<nav class="toc" aria-label="Sections"><ol>${SECTIONS.map(([id, t]) => `<li><a href="#${id}">${esc(t)}</a></li>`).join('')}</ol></nav>`;
  const sub = [s.model.file !== null ? s.model.file : null, s.model.origin, `${s.tool.name} ${s.tool.version}`].filter((x): x is string => x !== null).map(esc).join(' · ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${esc(`${s.tool.name} ${s.tool.version}`)}">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
<h1>${esc(title)}</h1>
<p>${sub}</p>
${toc}
</header>
${body}
<footer>Generated by ${esc(`${s.tool.name} ${s.tool.version}`)}. Self-contained: no scripts, no external resources; the plots are static SVG.</footer>
</main>
</body>
</html>
`;
}

/** Renders the report and writes it to `path` atomically. */
export async function writeReport(path: string, data: ReportData): Promise<void> {
  writeFileAtomic(path, await renderReport(data));
}
