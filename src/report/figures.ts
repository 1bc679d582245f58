// The analysis behind report.html, done once per report from ReportData: per source layer the extent of its weights,
// the realization error, open connections, gain stages and R_f; histogram bins of the weights (by neuron role); the
// achievable-weight grids of the resistor set with each layer's R_f; the Monte Carlo histograms. The sections of the
// page (src/report/html/sections/) only format these figures.
//
// Everything is linear in the connections (plus n log n in the layers for the choice of what to chart), and what goes
// to a chart is bounded: a chart that draws one panel or bar per layer draws at most a fixed number of layers (the
// largest, or the worst) and the sections say so in the caption.

import { BLOCK } from '../tnet/blocks.js';
import { printable } from '../util/format.js';
import { PairTableCache } from '../realize/pairs.js';
import { ROLES } from '../tnet/types.js';
import type { ReportData } from './data.js';
import { binEdge, binGrid, binIndex, histogram, maxOf, minOf, thin, type BinGrid, type StackedBin } from './plots.js';

/** Bins of each layer's weight histogram (at most). */
export const HIST_BINS = 40;
/** Bins of the target-weight histogram under each achievable-weight grid (at most). */
export const GRID_BINS = 80;
/** Layers charted in the weight histograms: six rows of four panels. */
export const HIST_LAYERS = 24;
/** Layers charted against the achievable weights of the resistor set. */
export const GRID_LAYERS = 8;
/** Layers charted in the quantization-error bars (18 px a layer). */
export const QUANT_LAYERS = 40;
/** Most achievable values drawn per layer: about one per 0.8 px of a 380 px wide panel. */
export const GRID_VALUES = 500;
/** Slices of the x range over which the largest grid gap is reported. */
export const GAP_SLICES = 120;
/** Monte Carlo class agreements are drawn one bar per distinct value up to this many distinct values. */
const AGREEMENT_BARS = 40;

/** Figures of one source layer (the neurons whose origin is that layer). */
export interface LayerFigures {
  /** Origin index (-1: neurons not attributed to a source layer). */
  readonly origin: number;
  readonly name: string;
  readonly op: string;
  /** The name as charts and tables show it: unique (a repeated name gets its origin index). */
  readonly label: string;
  /** Panel key A, B, ..., Z, AA, ... shared by the weight charts; null for a layer without weights. */
  readonly key: string | null;
  readonly neurons: number;
  readonly weights: number;
  /** Smallest and largest weight (Infinity, -Infinity without weights). */
  readonly lo: number;
  readonly hi: number;
  /** Mean |weight| (NaN without weights). */
  readonly meanAbs: number;
  /** Mean and max of |realized - target| over weights and biases (biases divided by V_ref). */
  readonly errMean: number;
  readonly errMax: number;
  /** Connections realized as open circuits. */
  readonly open: number;
  /** Neurons with a gain stage. */
  readonly gains: number;
  /** The most common R_f of the layer (ties: the smaller). */
  readonly rfOhm: number;
}

export interface CountBin {
  readonly x0: number;
  readonly x1: number;
  readonly count: number;
}

export interface HistogramPanel {
  readonly layer: LayerFigures;
  /** Per coarse bin, the counts of the roles in `WeightHistogramFigures.roles`. */
  readonly bins: readonly StackedBin[];
}

export interface WeightHistogramFigures {
  /** Every layer with weights, in layer order. */
  readonly layers: readonly LayerFigures[];
  /** The charted ones: all, or the HIST_LAYERS with the most weights (in layer order). */
  readonly panels: readonly HistogramPanel[];
  /** Role indices (into ROLES) with a weight in a charted layer: the chart's series. */
  readonly roles: readonly number[];
}

export interface GridPanel {
  readonly layer: LayerFigures;
  readonly rfOhm: number;
  /** Achievable weights (of the pair table for rfOhm) within the panel's x range. */
  readonly inRange: number;
  /** The largest |weight| the set reaches with rfOhm without a gain stage. */
  readonly maxAbs: number;
  /** The layer's target weights on its fine grid. */
  readonly bins: readonly CountBin[];
  /** The achievable weights, thinned to GRID_VALUES over the x range. */
  readonly values: readonly number[];
  /** The largest gap between neighbouring achievable weights per 1/GAP_SLICES of the x range (null: none there). */
  readonly gaps: readonly { readonly x: number; readonly gap: number | null }[];
  /** +-maxAbs, where within the x range. */
  readonly limits: readonly number[];
}

export interface WeightGridFigures {
  /** Layers with weights (the candidates for a panel). */
  readonly candidates: number;
  /** The GRID_LAYERS with the most weights, in layer order. */
  readonly panels: readonly GridPanel[];
}

export interface QuantizationFigures {
  /** Every layer with neurons, in layer order. */
  readonly layers: readonly LayerFigures[];
  /** The charted ones: all, or the QUANT_LAYERS with the largest max error (in layer order). */
  readonly charted: readonly LayerFigures[];
  /** Weights over every layer. */
  readonly weights: number;
}

export interface MonteCarloFigures {
  /** Output MSE per trial, binned. */
  readonly mseBins: readonly CountBin[];
  /** Class agreement (percent) per trial: one bar per distinct value when few, else bins of whole lattice steps. */
  readonly agreementBins: readonly CountBin[];
  /** The agreement chart's x domain: the trials and the markers with a margin. */
  readonly agreementDomain: readonly [number, number];
  /** The agreement markers in percent. */
  readonly agreementPct: { readonly nominal: number; readonly mean: number; readonly p5: number; readonly p95: number; readonly worst: number };
}

export interface ReportFigures {
  /** Every source layer with neurons, in layer order, the unattributed neurons (origin -1) last. */
  readonly layers: readonly LayerFigures[];
  /** Neurons the per-layer table of the summary attributes to a source layer. */
  readonly attributedNeurons: number;
  readonly histograms: WeightHistogramFigures;
  readonly grid: WeightGridFigures;
  readonly quantization: QuantizationFigures;
  /** Null when no tolerance was simulated. */
  readonly monteCarlo: MonteCarloFigures | null;
}

/** Computes every figure of the report. `data.pairTables` is used when given (the realization's tables), else one
 * cache is built for the whole report. */
export function computeFigures(data: ReportData): ReportFigures {
  const layers = layerFigures(data);
  const tables = pairTablesOf(data);
  const withNeurons = layers.filter((f) => f.neurons > 0);
  let weights = 0;
  for (const f of withNeurons) weights += f.weights;
  let attributed = 0;
  for (const l of data.summary.layers) attributed += l.neurons.total;
  return {
    layers,
    attributedNeurons: attributed,
    ...weightCharts(data, layers, tables),
    quantization: { layers: withNeurons, charted: largest(withNeurons, QUANT_LAYERS, (f) => f.errMax), weights },
    monteCarlo: monteCarloFigures(data),
  };
}

function pairTablesOf(data: ReportData): PairTableCache {
  const o = data.realized.options;
  const given = data.pairTables;
  if (!given) return new PairTableCache(o.setOhm, o.toleranceRel);
  if (given.toleranceRel !== o.toleranceRel || given.set.length !== o.setOhm.length || given.set.some((v, k) => v !== o.setOhm[k])) {
    throw new Error('report: the pair tables given are of another resistor set or tolerance than the realized network');
  }
  return given;
}

// ---------------------------------------------------------------------------------------------------------------
// Per-layer figures

interface Accumulator {
  origin: number;
  name: string;
  op: string;
  neurons: number;
  weights: number;
  lo: number;
  hi: number;
  sumAbs: number;
  errSum: number;
  errMax: number;
  errCount: number;
  open: number;
  gains: number;
  rf: Map<number, number>;
}

/** One pass over the connections: extents, realization error, open circuits, gain stages and R_f per layer. */
function layerFigures(data: ReportData): LayerFigures[] {
  const net = data.tnet;
  const r = data.realized;
  const nn = net.neurons;
  const E = nn.rowPtr[nn.count];
  if (r.weight.length !== E || r.bias.length !== nn.count) throw new Error('report: the realized network does not match the T-network (different connection or neuron counts)');
  const vRef = r.options.vRefV;
  const byOrigin = new Map<number, Accumulator>();
  const get = (o: number): Accumulator => {
    let f = byOrigin.get(o);
    if (!f) {
      const origin = o >= 0 ? net.origins[o] : null;
      f = {
        origin: o, name: origin ? origin.name : '(no source layer)', op: origin ? origin.op : '', neurons: 0, weights: 0, lo: Infinity, hi: -Infinity,
        sumAbs: 0, errSum: 0, errMax: 0, errCount: 0, open: 0, gains: 0, rf: new Map(),
      };
      byOrigin.set(o, f);
    }
    return f;
  };
  for (let i = 0; i < nn.count; i++) {
    // A multiplier cell has no resistors, R_f or weights to realize: the figures are the neurons'.
    if (nn.block[i] !== BLOCK.neuron) continue;
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
      if (r.rPlusOhm[e] === Infinity && r.rMinusOhm[e] === Infinity) f.open++;
    }
    f.weights += nn.rowPtr[i + 1] - nn.rowPtr[i];
    const db = Math.abs(r.bias[i] - nn.bias[i]) / vRef;
    f.errSum += db;
    if (db > f.errMax) f.errMax = db;
    f.errCount += nn.rowPtr[i + 1] - nn.rowPtr[i] + 1;
    if (r.gain[i] !== 1) f.gains++;
    f.rf.set(r.rFeedbackOhm[i], (f.rf.get(r.rFeedbackOhm[i]) ?? 0) + 1);
  }
  const accs = [...byOrigin.values()].sort((a, b) => (a.origin < 0 ? 1 : b.origin < 0 ? -1 : a.origin - b.origin));
  const seen = new Map<string, number>();
  for (const f of accs) seen.set(f.name, (seen.get(f.name) ?? 0) + 1);
  let panels = 0;
  return accs.map((f): LayerFigures => ({
    origin: f.origin, name: f.name, op: f.op,
    label: printable(seen.get(f.name)! > 1 ? `${f.name} [${f.origin}]` : f.name),
    key: f.weights > 0 ? panelKey(panels++) : null,
    neurons: f.neurons, weights: f.weights, lo: f.lo, hi: f.hi, meanAbs: f.sumAbs / f.weights,
    errMean: f.errCount > 0 ? f.errSum / f.errCount : 0, errMax: f.errMax, open: f.open, gains: f.gains, rfOhm: modeRf(f.rf),
  }));
}

/** The most common R_f (ties: the smaller). */
function modeRf(rf: ReadonlyMap<number, number>): number {
  let best = NaN;
  let count = -1;
  for (const [value, c] of [...rf.entries()].sort((a, b) => a[0] - b[0])) {
    if (c > count) {
      best = value;
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

/** All layers when there are at most `limit`, else the `limit` with the highest score (ties: the earlier layer),
 * in layer order. */
function largest(layers: readonly LayerFigures[], limit: number, score: (f: LayerFigures) => number): readonly LayerFigures[] {
  if (layers.length <= limit) return layers;
  const chosen = new Set([...layers].sort((a, b) => score(b) - score(a) || a.origin - b.origin).slice(0, limit));
  return layers.filter((f) => chosen.has(f));
}

// ---------------------------------------------------------------------------------------------------------------
// Charts of the weights

/** The weight histograms and the achievable-weight grids. Only the charted layers are binned (a few dozen whatever
 * the network's depth), in one more pass over the connections. */
function weightCharts(data: ReportData, layers: readonly LayerFigures[], tables: PairTableCache): { histograms: WeightHistogramFigures; grid: WeightGridFigures } {
  const withWeights = layers.filter((f) => f.weights > 0);
  const histLayers = largest(withWeights, HIST_LAYERS, (f) => f.weights);
  const gridLayers = largest(withWeights, GRID_LAYERS, (f) => f.weights);
  const coarse = new Map(histLayers.map((f) => [f.origin, emptyCounts(binGrid(f.lo, f.hi, HIST_BINS), ROLES.length)]));
  const fine = new Map(gridLayers.map((f) => [f.origin, emptyCounts(binGrid(f.lo, f.hi, GRID_BINS), 1)]));
  const nn = data.tnet.neurons;
  for (let i = 0; i < nn.count; i++) {
    if (nn.block[i] !== BLOCK.neuron) continue;
    const c = coarse.get(nn.origin[i]);
    const g = fine.get(nn.origin[i]);
    if (!c && !g) continue;
    const base = c ? nn.role[i] * c.grid.count : 0;
    for (let e = nn.rowPtr[i]; e < nn.rowPtr[i + 1]; e++) {
      const w = nn.weight[e];
      if (c) c.counts[base + binIndex(c.grid, w)]++;
      if (g) g.counts[binIndex(g.grid, w)]++;
    }
  }
  const roles: number[] = [];
  for (let k = 0; k < ROLES.length; k++) {
    if ([...coarse.values()].some((c) => c.counts.subarray(k * c.grid.count, (k + 1) * c.grid.count).some((x) => x > 0))) roles.push(k);
  }
  const panels = histLayers.map((f): HistogramPanel => {
    const { grid: g, counts } = coarse.get(f.origin)!;
    const bins = Array.from({ length: g.count }, (_, b) => ({ x0: binEdge(g, b), x1: binEdge(g, b + 1), counts: roles.map((k) => counts[k * g.count + b]) }));
    return { layer: f, bins };
  });
  const gridPanels = gridLayers.map((f): GridPanel => {
    const t = tables.get(f.rfOhm);
    const { grid: g, counts } = fine.get(f.origin)!;
    const lo = binEdge(g, 0);
    const hi = binEdge(g, g.count);
    let inRange = 0;
    for (const v of t.value) if (v >= lo && v <= hi) inRange++;
    return {
      layer: f,
      rfOhm: f.rfOhm,
      inRange,
      maxAbs: t.maxAbs,
      bins: Array.from({ length: g.count }, (_, b) => ({ x0: binEdge(g, b), x1: binEdge(g, b + 1), count: counts[b] })),
      values: thin(t.value, lo, hi, GRID_VALUES),
      gaps: gapsOf(t.value, lo, hi, GAP_SLICES),
      limits: [-t.maxAbs, t.maxAbs].filter((x) => x >= lo && x <= hi),
    };
  });
  return { histograms: { layers: withWeights, panels, roles }, grid: { candidates: withWeights.length, panels: gridPanels } };
}

/** Empty counts on a grid: `series` rows of grid.count bins, series-major (for the roles of the histograms). */
function emptyCounts(grid: BinGrid, series: number): { readonly grid: BinGrid; readonly counts: Float64Array } {
  return { grid, counts: new Float64Array(series * grid.count) };
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

// ---------------------------------------------------------------------------------------------------------------
// Monte Carlo

function monteCarloFigures(data: ReportData): MonteCarloFigures | null {
  const re = data.summary.realization;
  const mc = re.monteCarlo;
  const trials = data.monteCarloTrials;
  if (!mc || !trials || trials.length === 0) return null;
  const mses = trials.map((t) => t.mse);
  const agree = trials.map((t) => t.classAgreement * 100);
  const ca = mc.classAgreement;
  const agreementPct = { nominal: re.nominal.classAgreement * 100, mean: ca.mean * 100, p5: ca.p5 * 100, p95: ca.p95 * 100, worst: ca.worst * 100 };
  // Agreement takes the values k/N (N samples): one bar per distinct value when there are few, else bins of whole
  // lattice steps.
  const q = re.nominal.samples > 0 ? 100 / re.nominal.samples : 0;
  const step = q > 0 ? q : 0.1;
  const counts = new Map<number, number>();
  for (const a of agree) counts.set(a, (counts.get(a) ?? 0) + 1);
  const distinct = [...counts.keys()].sort((a, b) => a - b);
  const agreementBins = distinct.length <= AGREEMENT_BARS
    ? distinct.map((v) => ({ x0: v - 0.4 * step, x1: v + 0.4 * step, count: counts.get(v)! }))
    : binned(agree, latticeGrid(distinct[0], distinct[distinct.length - 1], q, 20));
  const marks = Object.values(agreementPct);
  const lo = Math.min(minOf(agree), minOf(marks), agreementBins[0].x0);
  const hi = Math.max(maxOf(agree), maxOf(marks), agreementBins[agreementBins.length - 1].x1);
  return {
    mseBins: binned(mses, binGrid(minOf(mses), maxOf(mses), 20)),
    agreementBins,
    agreementDomain: [lo - 0.3 * step, hi + 0.3 * step],
    agreementPct,
  };
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

function binned(values: readonly number[], g: BinGrid): CountBin[] {
  return Array.from(histogram(values, g), (count, b) => ({ x0: binEdge(g, b), x1: binEdge(g, b + 1), count }));
}
