// Quantization error per layer: mean and max |realized - target| of each layer's weights and biases with nominal
// resistor values, as bars (the worst layers when there are many) and a table.

import { QUANT_LAYERS } from '../../figures.js';
import { quantizationSpec, renderChart, type ErrorBar } from '../../plots.js';
import { escapeHtml as esc, figure, int, listedRows, num, numCell as n, ohms, omittedNote, table, volts } from '../format.js';
import type { SectionInput } from '../section.js';

const STATS = ['mean |realized − target|', 'max |realized − target|'];

export async function quantization({ data, figures }: SectionInput): Promise<string> {
  const re = data.summary.realization;
  const q = figures.quantization;
  const bars: ErrorBar[] = [];
  for (const f of q.charted) {
    bars.push({ layer: f.label, stat: STATS[0], value: f.errMean });
    bars.push({ layer: f.label, stat: STATS[1], value: f.errMax });
  }
  const chart = await renderChart(quantizationSpec(bars, q.charted.map((f) => f.label), STATS), 'quantization-error');
  const rows = listedRows(q.layers).map((f) => [f.label, f.weights, n(num(f.errMean)), n(num(f.errMax)), f.open, f.gains, n(ohms(f.rfOhm))]);
  const foot = [[{ text: 'all layers' }, q.weights, n(num(re.weightError.mean)), n(num(re.weightError.max)), re.openConnections, re.neuronsWithGain, '']];
  const shown = q.layers.length > QUANT_LAYERS ? ` Shown: the ${QUANT_LAYERS} layers with the largest max |realized − target| (of ${int(q.layers.length)}), in layer order; the table below is not limited to them.` : '';
  return [
    figure('quantization-error', chart.svg,
      `Per source layer, mean and max of |realized − target| over its weights and biases (biases divided by V_ref = ${esc(volts(data.realized.options.vRefV))}), with nominal resistor values through the exact op-amp formula (normalizing resistors and gain stages included). Series ${esc(re.series)}, R_f ${esc(re.feedback.mode)} per ${esc(re.feedback.per)}.${shown}`),
    table(['layer', n('weights'), n('mean |Δw|'), n('max |Δw|'), n('open connections'), n('neurons with gain'), n('R_f')], rows, foot, 'quant-layers'),
    omittedNote(q.layers.length, 'layers'),
  ].filter((p) => p !== '').join('\n');
}
