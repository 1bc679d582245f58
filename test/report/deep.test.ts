// Deep networks (issue 20): a chain of 2,000 and one of 100,000 small layers render without a stack overflow, and
// the page stays bounded: charts that draw a panel or a bar per layer draw a fixed number of layers and say so, and
// per-layer tables list at most TABLE_ROWS rows with a note. (A 2,000-layer chain overflowed the stack in vega's
// expression parser, one sort entry per layer; 100,000 layers hung in one facet per layer.)

import { beforeAll, describe, expect, it } from 'vitest';
import type { Graph, Node } from '../../src/ir/ops.js';
import { tensor } from '../../src/ir/tensor.js';
import { realizeCompiled } from '../../src/flow/index.js';
import type { ReportData } from '../../src/report/data.js';
import { GRID_LAYERS, HIST_LAYERS, QUANT_LAYERS } from '../../src/report/figures.js';
import { TABLE_ROWS } from '../../src/report/html/format.js';
import { renderReport } from '../../src/report/html.js';
import { inspectGraph } from '../../src/report/inspect.js';
import { addRealization, summarize } from '../../src/report/summary.js';
import { compileGraph } from '../../src/transform/pipeline.js';

/** A Gemm 1x1 then layers-1 Relus: the first Relu fuses into the Gemm's neuron, every other one is a neuron layer of
 * its own (one neuron, one weight). */
function chain(layers: number): Graph {
  const nodes: Node[] = [{ kind: 'dense', name: 'fc', inputs: ['x'], output: 't0', sourceOp: 'Gemm', weight: tensor([1, 1], [0.9]), bias: new Float64Array([0.05]) }];
  for (let i = 1; i < layers; i++) nodes.push({ kind: 'activation', name: `relu${i}`, inputs: [`t${i - 1}`], output: `t${i}`, sourceOp: 'Relu', fn: { type: 'relu' } });
  return { name: `chain${layers}`, input: { name: 'x', shape: [1] }, output: `t${layers - 1}`, nodes, origin: 'built in the test' };
}

async function chainData(layers: number): Promise<ReportData> {
  const graph = chain(layers);
  const compiled = compileGraph(graph, { calibration: [[0.1], [0.5], [0.9]] });
  const r = await realizeCompiled(graph, compiled, { resistors: 'E24', toleranceRel: 0.01, trials: 4, workers: 1 });
  const summary = addRealization(summarize(graph, compiled, null), r.summary, null);
  return { summary, inspect: inspectGraph(graph), tnet: compiled.tnet, realized: r.realized, monteCarloTrials: r.trials, options: { tolerance: 0.01 } };
}

/** Whether a page (too long to print in a failure) holds a text. */
function has(html: string, text: string): boolean {
  return html.includes(text);
}

function figureOf(html: string, name: string): string {
  const m = new RegExp(`<figure class="plot" data-plot="${name}">([\\s\\S]*?)</figure>`).exec(html);
  if (!m) throw new Error(`no figure ${name}`);
  return m[1];
}

function sectionOf(html: string, id: string): string {
  const m = new RegExp(`<section id="${id}">([\\s\\S]*?)</section>`).exec(html);
  if (!m) throw new Error(`no section ${id}`);
  return m[1];
}

/** Items of vega's mark groups of one type (e.g. the rules of a chart), not axes or legends. */
function marks(svg: string, type: string): number {
  let n = 0;
  for (const m of svg.matchAll(new RegExp(`<g class="mark-${type} role-mark[^"]*"[^>]*?(?:/>|>([\\s\\S]*?)</g>)`, 'g'))) n += ((m[1] ?? '').match(/<(path|line|rect|text)\b/g) ?? []).length;
  return n;
}

function bodyRows(sectionHtml: string, tableClass: string): number {
  const m = new RegExp(`<table class="${tableClass}">[\\s\\S]*?<tbody>([\\s\\S]*?)</tbody>`).exec(sectionHtml);
  if (!m) throw new Error(`no table ${tableClass}`);
  return (m[1].match(/<tr>/g) ?? []).length;
}

for (const layers of [2_000, 100_000]) {
  describe(`renderReport: a chain of ${layers.toLocaleString('en')} layers`, () => {
    let data: ReportData;
    let html: string;
    beforeAll(async () => {
      data = await chainData(layers);
      html = await renderReport(data);
    }, 600_000);

    it('has a neuron layer per source layer but the fused Relu (the case that overflowed the stack)', () => {
      expect(data.summary.layers).toHaveLength(layers);
      expect(data.summary.layers.filter((l) => l.connections > 0)).toHaveLength(layers - 1);
      expect(html.endsWith('</html>\n')).toBe(true);
    });

    it('charts a bounded number of layers and says which', () => {
      const weighted = (layers - 1).toLocaleString('en');
      // Weight histograms: two mean |w| rules per charted layer.
      expect(marks(figureOf(html, 'weight-histograms'), 'rule')).toBe(2 * HIST_LAYERS);
      expect(has(figureOf(html, 'weight-histograms'), `Shown: the ${HIST_LAYERS} layers with the most connections (of ${weighted} with weights)`)).toBe(true);
      // Achievable weights: one gap curve per charted layer.
      expect(marks(figureOf(html, 'weight-grid'), 'line')).toBe(GRID_LAYERS);
      expect(has(figureOf(html, 'weight-grid'), `Shown: the ${GRID_LAYERS} layers with the most connections (of ${layers - 1} with weights)`)).toBe(true);
      // Quantization: a mean and a max bar per charted layer.
      expect(marks(figureOf(html, 'quantization-error'), 'rect')).toBe(2 * QUANT_LAYERS);
      expect(has(figureOf(html, 'quantization-error'), `Shown: the ${QUANT_LAYERS} layers with the largest max |realized − target| (of ${weighted})`)).toBe(true);
    });

    it('lists at most TABLE_ROWS layers per table, with a note of how many there are', () => {
      const all = layers.toLocaleString('en');
      const weighted = (layers - 1).toLocaleString('en');
      const tables = [
        ['source-layers', 'layers', `${all} layers`],
        ['tnet-layers', 'layers', `${all} source layers`],
        ['weight-histograms', 'layers-weights', `${weighted} layers with weights`],
        ['quantization', 'quant-layers', `${weighted} layers`],
      ];
      for (const [id, cls, what] of tables) {
        const s = sectionOf(html, id);
        expect(bodyRows(s, cls), id).toBe(TABLE_ROWS);
        expect(has(s, `The table lists the first ${TABLE_ROWS.toLocaleString('en')} of ${what}`), id).toBe(true);
      }
      // The totals still cover every layer.
      expect(has(sectionOf(html, 'source-layers'), `total: ${all} layers`)).toBe(true);
    });

    it('stays about the size of a small model’s page', () => {
      expect(html.length).toBeLessThan(1_500_000);
    });
  });
}
