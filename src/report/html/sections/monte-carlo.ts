// Monte Carlo over resistor tolerance: histograms of the output MSE and of the class agreement over the trials, with
// the nominal, mean, p5, p95 and worst marked, and the same figures as a table.

import { markedHistogramSpec, renderChart, type Marker } from '../../plots.js';
import { escapeHtml as esc, figure, int, note, num, numCell as n, pct, table } from '../format.js';
import type { SectionInput } from '../section.js';

export async function monteCarlo({ data, figures }: SectionInput): Promise<string> {
  const re = data.summary.realization;
  const mc = re.monteCarlo;
  const f = figures.monteCarlo;
  if (!mc || !f) {
    return note('Not simulated: give <code>--tolerance</code> (e.g. <code>--tolerance 0.01</code> for 1%) to draw every resistor with that tolerance and see the spread of the output error and of the class agreement.');
  }
  const mseMarkers: Marker[] = [
    { label: `nominal ${num(re.nominal.mse)}`, x: re.nominal.mse, colour: '#222', dash: [] },
    { label: `mean ${num(mc.mse.mean)}`, x: mc.mse.mean, colour: '#f58518', dash: [] },
    { label: `p5 ${num(mc.mse.p5)}`, x: mc.mse.p5, colour: '#54a24b', dash: [4, 3] },
    { label: `p95 ${num(mc.mse.p95)}`, x: mc.mse.p95, colour: '#b279a2', dash: [4, 3] },
    { label: `worst ${num(mc.mse.worst)}`, x: mc.mse.worst, colour: '#e45756', dash: [2, 2] },
  ];
  const mseChart = await renderChart(markedHistogramSpec(f.mseBins, mseMarkers, {
    title: 'output MSE (per trial)', labelExpr: "datum.value === 0 ? '0' : format(datum.value, '.2~e')", domain: null,
  }), 'mc-mse');
  const ca = mc.classAgreement;
  const at = f.agreementPct;
  const agreeMarkers: Marker[] = [
    { label: `nominal ${pct(re.nominal.classAgreement)}`, x: at.nominal, colour: '#222', dash: [] },
    { label: `mean ${pct(ca.mean)}`, x: at.mean, colour: '#f58518', dash: [] },
    { label: `p5 ${pct(ca.p5)}`, x: at.p5, colour: '#54a24b', dash: [4, 3] },
    { label: `p95 ${pct(ca.p95)}`, x: at.p95, colour: '#b279a2', dash: [4, 3] },
    { label: `worst ${pct(ca.worst)}`, x: at.worst, colour: '#e45756', dash: [2, 2] },
  ];
  const agreeChart = await renderChart(markedHistogramSpec(f.agreementBins, agreeMarkers, {
    title: 'class agreement with the source model (%, per trial)',
    labelExpr: "datum.value > 100.0000001 ? '' : format(datum.value, '~g')",
    domain: f.agreementDomain,
  }), 'mc-agreement');
  const rows = [
    ['output MSE', n(num(re.nominal.mse)), n(num(mc.mse.mean)), n(num(mc.mse.p5)), n(num(mc.mse.p95)), n(num(mc.mse.worst))],
    ['max |error|', n(num(re.nominal.maxAbsError)), n(num(mc.maxAbsError.mean)), n(num(mc.maxAbsError.p5)), n(num(mc.maxAbsError.p95)), n(num(mc.maxAbsError.worst))],
    ['class agreement', n(pct(re.nominal.classAgreement)), n(pct(ca.mean)), n(pct(ca.p5)), n(pct(ca.p95)), n(pct(ca.worst))],
    ...(mc.accuracy && re.nominal.accuracy !== null
      ? [['task accuracy (labels)', n(pct(re.nominal.accuracy)), n(pct(mc.accuracy.mean)), n(pct(mc.accuracy.p5)), n(pct(mc.accuracy.p95)), n(pct(mc.accuracy.worst))]]
      : []),
  ];
  const how = `${int(mc.trials)} trials, every resistor drawn with ${esc(re.toleranceDistribution)} tolerance ${esc(pct(re.toleranceRel))} (seed ${mc.seed}), on the ${int(mc.samples)} ${esc(mc.on)} samples each, against the source model`;
  return [
    `<div class="figrow">`,
    figure('mc-mse', mseChart.svg, `Output MSE per trial: ${how}. Lines: nominal resistor values, mean, 5th and 95th percentile, worst trial.`),
    figure('mc-agreement', agreeChart.svg, `Class agreement with the source model per trial (${how}). Lines as left; worst = the lowest agreement.`),
    `</div>`,
    table(['figure', n('nominal'), n('mean'), n('p5'), n('p95'), n('worst')], rows, [], 'mc'),
  ].join('\n');
}
