// Equivalence: the T-network against the source model, the realized network (nominal values) against the source,
// and the SPICE netlist against the behavioural simulation, with a per-output chart when SPICE ran.

import { outputBarsSpec, renderChart } from '../../plots.js';
import { badge, escapeHtml as esc, facts, figure, int, note, num, numCell as n, pct, table, volts, type Cell } from '../format.js';
import type { Equivalence } from '../../summary.js';
import type { SectionInput } from '../section.js';

export async function equivalence({ data }: SectionInput): Promise<string> {
  const s = data.summary;
  const re = s.realization;
  const parts: string[] = [];
  parts.push('<h3>T-network vs source model</h3>');
  parts.push(`<p>The T-network (before realization) computes the source model exactly up to float64 round-off${s.construction.approx ? ', except for the approximate construction' : ''}, over every analog output; measured on the calibration set (where the signal scaling is proven) and on the held-out test set when one is given. Rail hits on the test set are signal-limit violations on unseen data.</p>`);
  const eqRow = (e: Equivalence): (string | Cell)[] => [e.on, n(int(e.samples)), n(num(e.maxAbsError)), n(num(e.meanAbsError)), ...(s.digitalTail ? [n(num(e.maxAbsErrorFinal))] : []), n(int(e.railHits))];
  parts.push(table(['set', n('samples'), n('max |T-network − source|'), n('mean'), ...(s.digitalTail ? [n(`max after the digital ${s.digitalTail.kind}`)] : []), n('rail hits')], [eqRow(s.equivalence.calibration), ...(s.equivalence.test ? [eqRow(s.equivalence.test)] : [])], [], 'equivalence'));
  if (s.construction.approx) parts.push(facts([['approximation: relative matrix error', num(s.construction.approx.relativeMatrixError)]]));
  if (s.accuracy) {
    const a = s.accuracy;
    parts.push('<h3>Task accuracy</h3>');
    parts.push(`<p>Against the labels of the ${int(a.samples)} ${esc(a.on)} samples: the fraction whose class (argmax, or the output above the class threshold for a single output) equals the label.</p>`);
    parts.push(facts([
      ['source model (float64)', pct(a.source)],
      ['T-network', pct(a.tnet)],
      ['realized circuit (nominal resistors)', pct(a.realized)],
      ...(a.monteCarlo ? [['Monte Carlo: mean / p5 / worst', `${pct(a.monteCarlo.mean)} / ${pct(a.monteCarlo.p5)} / ${pct(a.monteCarlo.worst)}`] as [string, string]] : []),
    ]));
  }
  parts.push('<h3>Realized network (nominal resistor values) vs source model</h3>');
  const conv = [re.converters.dacBits !== null ? `${re.converters.dacBits}-bit DAC` : '', re.converters.adcBits !== null ? `${re.converters.adcBits}-bit ADC` : ''].filter(Boolean).join(', ');
  parts.push(facts([
    ['samples', `${int(re.nominal.samples)} (${re.nominal.on} set)`],
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
      ['samples', `${int(sp.samples)} (first of the ${sp.on} set)`],
      ['max |SPICE − behavioural|', volts(sp.maxVsBehaviouralV)],
      ['tolerance', volts(sp.toleranceV)],
      ['max |SPICE − source|', num(sp.maxVsSource)],
      ['class agreement vs behavioural', pct(sp.classAgreementVsBehavioural)],
      ['class agreement vs source', pct(sp.classAgreementVsSource)],
      ...(sp.transient ? [['transient', `${int(sp.transient.ticks)} ticks per sample, tick ${num(sp.transient.tickS)} s, compared at the end of every tick (${int(sp.transient.comparedTicks)} ticks)`] as [string, string]] : []),
      ['behavioural model', esc(sp.behaviouralModel)],
      ...(sp.opampEffectV !== null ? [['macro model vs ideal op-amps (modelled)', volts(sp.opampEffectV)] as [string, string]] : []),
    ]));
    const chart = await renderChart(outputBarsSpec([
      { title: '|SPICE − behavioural| per output', yTitle: 'max |Δ| (V)', values: sp.perOutput.map((p) => p.maxVsBehaviouralV), limit: { label: `tolerance ${volts(sp.toleranceV)}`, value: sp.toleranceV } },
      { title: '|SPICE − source model| per output', yTitle: 'max |Δ| (model units)', values: sp.perOutput.map((p) => p.maxVsSource), limit: null },
    ]), 'spice-agreement');
    parts.push(figure('spice-agreement', chart.svg,
      `Per analog output, the largest difference over ${int(sp.samples)} samples (log scale; an exact 0 is drawn at the axis floor). Left: the netlist solved by ${esc(sp.engine)} against the behavioural simulation of the same resistors, in volts at <code>out&lt;k&gt;</code>, with the pass tolerance (dashed). Right: the model outputs from SPICE (after readout scales${s.digitalTail ? ` and the digital ${esc(s.digitalTail.kind)}` : ''}) against the source model, which includes the resistor quantization error.`));
  }
  return parts.join('\n');
}
