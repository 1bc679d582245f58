// Achievable weights of the resistor set: per charted layer, its target weights against the weights the set can
// realize with the layer's R_f (a rug of the pair table's values, the largest gap between neighbours, the reach
// without a gain stage).

import { GAP_SLICES, GRID_LAYERS, GRID_VALUES } from '../../figures.js';
import { GRID_COLOURS, renderChart, weightGridSpec, type GridLayer } from '../../plots.js';
import { escapeHtml as esc, figure, int, note, num, numCell as n, ohms, swatch, table } from '../format.js';
import type { SectionInput } from '../section.js';

export async function weightGrid({ data, figures }: SectionInput): Promise<string> {
  const r = data.realized;
  const re = data.summary.realization;
  const { candidates, panels } = figures.grid;
  if (panels.length === 0) return note('The T-network has no weighted connections.');
  const perNeuron = r.options.feedbackPer === 'neuron';
  const grid: GridLayer[] = panels.map((p) => ({
    label: `${p.layer.key}  ${p.layer.label}\nR_f ${ohms(p.rfOhm)} · ${int(p.inRange)} values in range`, bins: p.bins, grid: p.values, gaps: p.gaps, limits: p.limits,
  }));
  const rows = panels.map((p) => [p.layer.key!, p.layer.label, n(ohms(p.rfOhm)), p.layer.weights, p.inRange, n(num(p.maxAbs)), p.layer.gains]);
  const chart = await renderChart(weightGridSpec(grid, panels.length === 1 ? 1 : 2), 'weight-grid');
  const which = candidates > GRID_LAYERS ? `the ${GRID_LAYERS} layers with the most connections (of ${candidates} with weights)` : candidates === 1 ? 'the one layer with weights' : `all ${candidates} layers with weights`;
  const caption = [
    `The weights the resistor set <strong>${esc(re.series)}</strong> can realize with each layer's R_f (R_f/R+ − R_f/R− over the set's pairs, the pairs kept for r_err = ${esc(num(r.options.toleranceRel))}, and 0 = open circuit), against the weights the layer must realize.`,
    `${swatch(GRID_COLOURS.bars)} histogram of the layer's target weights (left axis);`,
    `${swatch(GRID_COLOURS.rug, 'line')} achievable weights, one tick each along the top (where they are denser than the pixels, one tick per ${GRID_VALUES}th of the axis: a solid band);`,
    `${swatch(GRID_COLOURS.gap, 'line')} the largest gap between neighbouring achievable weights in each 1/${GAP_SLICES} of the axis (right axis, log scale; a weight is quantized by at most half of it);`,
    `${swatch(GRID_COLOURS.limit, 'dash')} the largest |weight| the set reaches with that R_f (R_f/R_min − R_f/R_max): a neuron with larger weights gets a gain stage k, and its weights are realized on k times this grid.`,
    `R_f is chosen ${perNeuron ? 'per neuron (the most common value of each layer is shown)' : 'per layer'} by ${esc(re.feedback.mode)}. Shown: ${which}; panel letters as in the weight histograms.`,
  ].join(' ');
  return [
    figure('weight-grid', chart.svg, caption),
    table(['panel', 'layer', n('R_f'), n('weights'), n('achievable weights in range'), n('max |w| without gain'), n('neurons with gain stage')], rows, [], 'grid-layers'),
  ].join('\n');
}
