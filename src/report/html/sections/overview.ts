// Overview: one sentence on the model and the constraints, and a card per stage (source, T-network, equivalence,
// realization, SPICE) with its headline figures and a pass/fail badge.

import { badge, card, escapeHtml as esc, int, num, pct, shape, volts } from '../format.js';
import type { SetSummary } from '../../summary.js';
import type { SectionInput } from '../section.js';

function setText(set: SetSummary, name: string): string {
  const from = set.file ? ` (<code>${esc(set.file)}</code>)` : set.from === 'uniform' ? ` drawn uniformly from [${set.inputRange!.join(', ')}]` : '';
  return `${int(set.samples)} ${name} samples${from}${set.labelled ? ' with labels' : ''}`;
}

export function overview({ data }: SectionInput): string {
  const s = data.summary;
  const t = s.tnet;
  const c = s.constraints;
  const re = s.realization;
  const eq = s.equivalence.test ?? s.equivalence.calibration;
  const acc = s.accuracy;
  // Within limits also on unseen data: the signal-limit verdicts (rail hits on every set) must pass.
  const within = t.maxFanIn <= c.fanIn && t.maxFanOut <= c.fanOut && t.maxAbsSignal <= c.signalLimit + 1e-9 && s.verdicts.every((v) => v.check !== 'signal-limit' || v.pass);
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
      ...(t.blocks?.multiplier ? [['multipliers', int(t.blocks.multiplier)] as [string, string]] : []),
      ['connections', int(t.connections)],
      ['max fan-in', `${int(t.maxFanIn)} / ${int(c.fanIn)}`],
      ['max fan-out', `${int(t.maxFanOut)} / ${int(c.fanOut)}`],
      ['max |signal|', `${num(t.maxAbsSignal)} / ${num(c.signalLimit)} V`],
    ], `<p class="status">${badge(within, 'within limits', 'limits exceeded')}</p>`),
    card('Equivalence', [
      ['max |error|', num(eq.maxAbsError)],
      ['mean |error|', num(eq.meanAbsError)],
      ['samples', `${int(eq.samples)} ${eq.on}`],
      ['rail hits', int(eq.railHits)],
    ], `<p class="status">T-network vs source, on the ${esc(eq.on)} set</p>`),
    card('Realization', [
      ['resistors', int(re.resistors)],
      ['distinct values', int(re.distinctValues)],
      ['nominal MSE', num(re.nominal.mse)],
      ['class agreement', pct(re.nominal.classAgreement)],
      ...(re.monteCarlo ? [[`MC ${pct(re.toleranceRel)}: agreement`, pct(re.monteCarlo.classAgreement.mean)], ['MC worst', pct(re.monteCarlo.classAgreement.worst)]] as [string, string][] : []),
    ], `<p class="status">${esc(re.series)}; on the ${esc(re.nominal.on)} set</p>`),
    ...(acc ? [card('Accuracy', [
      ['source model', pct(acc.source)],
      ['T-network', pct(acc.tnet)],
      ['realized (nominal)', pct(acc.realized)],
      ...(acc.monteCarlo ? [['Monte Carlo mean', pct(acc.monteCarlo.mean)], ['Monte Carlo p5 / worst', `${pct(acc.monteCarlo.p5)} / ${pct(acc.monteCarlo.worst)}`]] as [string, string][] : []),
    ], `<p class="status">against the labels of ${int(acc.samples)} ${esc(acc.on)} samples</p>`)] : []),
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
  return [
    `<p class="lead">Model <strong>${esc(s.model.name)}</strong> (${file}${esc(s.model.origin)}), compiled with fan-in ≤ ${int(c.fanIn)}, fan-out ≤ ${int(c.fanOut)} and signals within ±${num(c.signalLimit)} V, calibrated on ${setText(s.sets.calibration, 'calibration')}${s.sets.test ? ` and judged on ${setText(s.sets.test, 'test')}` : ' (no separate test set: every figure is measured on the calibration set)'}${s.digitalTail ? `; a final ${esc(s.digitalTail.kind)} is computed digitally on the analog outputs` : ''}.</p>`,
    `<div class="cards">${cards.join('\n')}</div>`,
  ].join('\n');
}
