// Weight distributions per layer (the patent's FIGS. 26A-26K): small multiples of the T-network's target weights,
// stacked by the role of the neuron each connection feeds, with +- mean |w|; and a table of every layer's extent.

import { ROLES } from '../../../tnet/types.js';
import { HIST_BINS, HIST_LAYERS } from '../../figures.js';
import { renderChart, ROLE_COLOURS, weightHistogramsSpec, type LayerHistogram } from '../../plots.js';
import { figure, int, listedRows, note, num, numCell as n, omittedNote, ROLE_LABEL, table } from '../format.js';
import type { SectionInput } from '../section.js';

export async function weightHistograms({ figures }: SectionInput): Promise<string> {
  const h = figures.histograms;
  if (h.panels.length === 0) return note('The T-network has no weighted connections.');
  const series = h.roles.map((k) => ROLE_LABEL[ROLES[k]]);
  const hist: LayerHistogram[] = h.panels.map(({ layer: f, bins }) => ({
    label: `${f.key}  ${f.label}\n${f.op || 'no op'} · ${int(f.weights)} weights`, bins, meanAbs: f.meanAbs,
  }));
  const count = h.panels.length;
  const chart = await renderChart(weightHistogramsSpec(hist, series, series.map((s) => ROLE_COLOURS[s]), count <= 2 ? count : count <= 6 ? 3 : 4), 'weight-histograms');
  const rows = listedRows(h.layers).map((f) => [f.key!, f.label, f.op, f.neurons, f.weights, n(num(f.lo)), n(num(f.hi)), n(num(f.meanAbs))]);
  const shown = h.layers.length > HIST_LAYERS ? ` Shown: the ${HIST_LAYERS} layers with the most connections (of ${int(h.layers.length)} with weights); the table below is not limited to them.` : '';
  return [
    figure('weight-histograms', chart.svg,
      `Histograms of the T-network's weights (the target weights the resistors must realize, after the fan-in/fan-out trees and signal-limit rescaling), one per source layer that has neurons, ${HIST_BINS} bins or fewer, bars stacked by the role of the neuron the connection feeds (compute = the layer's own units; partial sum and buffer = its fan-in and fan-out trees). Dashed lines: ± the mean |weight| of the layer, as in the patent's per-layer histograms (FIGS. 26A-26K). Biases are not included.${shown}`),
    table(['panel', 'layer', 'op', n('neurons'), n('weights'), n('min'), n('max'), n('mean |w|')], rows, [], 'layers-weights'),
    omittedNote(h.layers.length, 'layers with weights'),
  ].filter((p) => p !== '').join('\n');
}
