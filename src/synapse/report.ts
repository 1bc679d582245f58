// The report of a non-linear synapse training run (`ohmnet train --synapse lut:FILE --report FILE`; issue 16): one
// self-contained page in report.html's style with the look-up table's curves (seed 002 Fig. 2: F per weight level with
// its +-2 sigma Monte Carlo band, and H), the training curve (loss as trained and the train / validation counts at
// every measured iteration), the kept network's accuracies and Newton figures, the test accuracy under device
// mismatch per area scale, and the interpolation cost counters. Every figure is the run's own; the same run gives the
// same bytes (no timestamps).

import type { TopLevelSpec } from 'vega-lite';
import { renderChart } from '../report/plots.js';
import { escapeHtml as esc, facts, figure, note, num, numCell as n, table } from '../report/html/format.js';
import { htmlPage } from '../report/html/shell.js';
import { VERSION } from '../report/summary.js';
import type { LutData } from './lut.js';
import { lutCurvesSpec } from './lut-plot.js';
import type { MonteCarloScale, SynapseSetFigures, SynapseTrainResult } from './train.js';

export interface SynapseReportData {
  readonly lutFile: string;
  readonly lut: LutData;
  readonly command: string | null;
  readonly dataFile: string;
  readonly result: SynapseTrainResult;
  readonly monteCarlo: readonly MonteCarloScale[] | null;
}

const count = (f: SynapseSetFigures) => `${f.correct}/${f.samples}`;

function curveSpec(r: SynapseTrainResult): TopLevelSpec {
  const loss: Record<string, unknown>[] = [];
  const acc: Record<string, unknown>[] = [];
  for (const h of r.history) {
    if (!Number.isNaN(h.trainLossAsTrained)) loss.push({ iteration: h.iteration, series: 'train, as trained', value: Number(h.trainLossAsTrained.toPrecision(5)) });
    loss.push({ iteration: h.iteration, series: 'train', value: Number(h.train.loss.toPrecision(5)) });
    acc.push({ iteration: h.iteration, series: 'train', value: Number((100 * h.train.accuracy).toPrecision(5)) });
    if (h.validation) {
      loss.push({ iteration: h.iteration, series: 'validation', value: Number(h.validation.loss.toPrecision(5)) });
      acc.push({ iteration: h.iteration, series: 'validation', value: Number((100 * h.validation.accuracy).toPrecision(5)) });
    }
  }
  const x = { field: 'iteration', type: 'quantitative', title: 'iteration' };
  const colour = { field: 'series', type: 'nominal', title: null };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    hconcat: [
      { width: 300, height: 200, data: { values: loss }, mark: { type: 'line', point: true }, encoding: { x, y: { field: 'value', type: 'quantitative', title: 'cross-entropy loss' }, color: colour } },
      { width: 300, height: 200, data: { values: acc }, mark: { type: 'line', point: true }, encoding: { x, y: { field: 'value', type: 'quantitative', title: 'accuracy (%)', scale: { domain: [0, 100] } }, color: colour } },
    ],
  } as TopLevelSpec;
}

/** Renders the page. Deterministic: the same data gives the same bytes. */
export async function renderSynapseReport(d: SynapseReportData): Promise<string> {
  const r = d.result;
  const o = r.options;
  const sections: { id: string; title: string; body: string }[] = [];
  sections.push({
    id: 'run', title: 'The run',
    body: facts([
      ['network', `${r.network.sizes.join('-')} non-linear synapses (integer weight levels ${d.lut.weightLevels[0]}..${d.lut.weightLevels[d.lut.weightLevels.length - 1]})`],
      ['look-up table', `${d.lutFile} (netlist SHA-256 ${d.lut.netlistSha256.slice(0, 16)}..., Vcc ${d.lut.vccV} V)`],
      ['training data', d.dataFile],
      ['optimizer', `momentum ${o.momentum}, learning rate ${o.learningRate}, batch ${o.batchSize}, ${o.iterations} iterations, ${o.gradient} gradient, seed ${o.seed}`],
      ['logits', `output currents / ${o.currentScaleA} A (softmax cross-entropy)`],
    ]) + (d.command ? `\n<pre class="command"><code>${esc(d.command)}</code></pre>` : ''),
  });
  const lutChart = await renderChart(lutCurvesSpec(d.lut, d.lut.vccV / 2), 'lut');
  sections.push({ id: 'lut', title: 'The look-up table', body: figure('lut', lutChart.svg, esc(`The synapse's current F(z, w, v) against the previous layer's current z at the node voltage nearest Vcc / 2, one line per weight level with its +-2 sigma band from the table's Monte Carlo spread, and the soma's H(z): the curves the network is trained on (from ngspice DC sweeps of the cells).`)) });
  if (r.history.length > 0) {
    const chart = await renderChart(curveSpec(r), 'curve');
    const withVal = r.history.some((h) => h.validation);
    const rows = r.history.map((h) => [n(String(h.iteration)), n(Number.isNaN(h.trainLossAsTrained) ? '-' : num(h.trainLossAsTrained, 4)), n(num(h.train.loss, 4)), n(count(h.train)), ...(withVal ? [n(h.validation ? count(h.validation) : '-')] : [])]);
    sections.push({
      id: 'training-curve', title: 'Training curve',
      body: [
        figure('training-curve', chart.svg, esc('At every measured iteration: the mean loss of the batches since the previous row as trained (with the mismatch noise of the forward pass), and the noise-free loss and accuracy on the training set' + (withVal ? ' and the validation set' : '') + '.')),
        table([n('iteration'), n('train loss, as trained'), n('train loss'), n('train correct'), ...(withVal ? [n('validation correct')] : [])], rows),
      ].join('\n'),
    });
  } else {
    sections.push({ id: 'training-curve', title: 'Training curve', body: note('No iteration was measured.') });
  }
  sections.push({
    id: 'result', title: 'The kept network',
    body: facts([
      ['kept', `the weights of iteration ${r.keptIteration}`],
      ['train', count(r.train)],
      ...(r.validation ? [['validation', count(r.validation)] as const] : []),
      ...(r.test ? [['test', count(r.test)] as const] : []),
      ['Newton (training set)', `from Vcc/2 to ${o.newtonToleranceV} V: at most ${r.train.maxNewtonIterations} updates (mean ${r.train.meanNewtonIterations.toFixed(2)}), largest residual ${r.train.maxResidualV.toExponential(2)} V, ${r.train.unconverged} neurons unconverged`],
      ['Newton (while training, with noise)', `at most ${r.trainingNewton.maxIterations} updates (mean ${r.trainingNewton.meanIterations.toFixed(2)}), ${r.trainingNewton.unconverged} unconverged`],
    ]),
  });
  if (d.monteCarlo) {
    const mc = d.monteCarlo;
    sections.push({
      id: 'monte-carlo', title: 'Device mismatch',
      body: table(
        [n('area scale'), n('chips'), n('mean correct'), n('2 sigma'), n('min'), n('max')],
        mc.map((m) => [n(String(m.areaScale)), n(String(m.correct.length)), n(`${m.mean.toFixed(2)}/${m.samples}`), n((2 * m.std).toFixed(2)), n(String(m.min)), n(String(m.max))]),
      ) + '\n' + note(esc('The test set on simulated chips: one mismatch draw per synapse per chip (the current spread of the table, scaled by 1 / sqrt(area scale)), the same chips at every scale.')),
    });
  }
  const c = r.cost;
  sections.push({
    id: 'cost', title: 'Interpolation cost',
    body: table([ 'lookups', n('count'), n('reads'), n('mul/div'), n('add/sub')], [
      ['F (trilinear), sigma, H (linear) at the seed\'s costs', n(`${c.synapseEvals} F, ${c.sigmaEvals} sigma, ${c.somaEvals} H`), n(String(c.reads)), n(String(c.mulDiv)), n(String(c.addSub))],
      ['the same synapse operations in a linear network', n('-'), n(String(c.conventional.reads)), n(String(c.conventional.mulDiv)), n('-')],
    ]),
  });
  return htmlPage({
    title: `ohmnet synapse training report: ${r.network.sizes.join('-')}`, generator: `ohmnet ${VERSION}`, subtitleHtml: `ohmnet ${esc(VERSION)}`,
    sections: sections.map((s) => ({ id: s.id, toc: s.title })),
    bodyHtml: sections.map((s) => `<section id="${s.id}">\n<h2>${esc(s.title)}</h2>\n${s.body}\n</section>`).join('\n\n'),
  });
}
