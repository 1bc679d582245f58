// Time and energy (compile --energy, summary.json energy; issue 12): the op-amp model every figure rests on, latency
// and energy per inference without and with power gating, the gating check, the energy table per layer and per block
// kind, and one inference's waveforms (outputs, per-layer activity with the gating schedule, power over time).

import { escapeHtml as esc, facts, figure, int, listedRows, note, num, numCell as n, omittedNote, ROLE_LABEL, table, badge } from '../format.js';
import { renderChart, waveformSpec, WAVEFORM_OUTPUTS } from '../../plots.js';
import type { SectionInput } from '../section.js';

/** SI text: 3 significant digits and a prefix. */
function si(v: number | null, unit: string): string {
  if (v === null || !Number.isFinite(v)) return '—';
  if (v === 0) return `0 ${unit}`;
  const prefixes: [number, string][] = [[1e9, 'G'], [1e6, 'M'], [1e3, 'k'], [1, ''], [1e-3, 'm'], [1e-6, 'µ'], [1e-9, 'n'], [1e-12, 'p'], [1e-15, 'f'], [1e-18, 'a']];
  const a = Math.abs(v);
  const [f, p] = prefixes.find(([f]) => a >= f * 0.9995) ?? prefixes[prefixes.length - 1];
  return `${(v / f).toPrecision(3)} ${p}${unit}`;
}

export async function energy({ data }: SectionInput): Promise<string> {
  const e = data.summary.energy;
  if (!e) return note('No energy figures: compile --energy &lt;preset&gt; runs the behavioural transient with an op-amp model.');
  const g = e.gating;
  const op = e.opamp;
  const parts = [
    `<p><strong>Every figure here rests on the op-amp model</strong> ${esc(op.name)} (${esc(op.part)}): the patent gives no op-amp supply currents, bandwidths or latencies, so the latency and energy follow from this model's gain-bandwidth, slew rate, quiescent current and supplies. Source: ${esc(op.source)}. Assumptions: ${esc(op.assumptions.join('; '))}.</p>`,
    `<p>The behavioural transient (docs/energy.md) on the ${esc(e.on)} samples by Binas's protocol: each sample follows a random other sample of the set at its operating point. Latency: every output within ${esc(num(e.latencyToleranceV))} V of its DC value and the class fixed for good; energy per inference: what the supplies, the inputs and V_ref deliver from the switch to the latency.</p>`,
    facts([
      ['op-amp', `GBW ${si(op.gbwHz, 'Hz')}, slew ${si(op.slewRateVPerS / 1e6, 'V/µs')}, Iq ${si(op.iqA, 'A')}, supplies ${esc(num(op.supplyMinusV))} V … +${esc(num(op.supplyPlusV))} V`],
      ['op-amps, MACs', `${int(e.opamps)}, ${int(e.macs)}`],
      ['latency', `p50 ${si(e.latencyS.p50, 's')}, p90 ${si(e.latencyS.p90, 's')}, p99 ${si(e.latencyS.p99, 's')}, max ${si(e.latencyS.max, 's')}`],
      ['energy per inference', `${si(e.energyPerInferenceJ.mean, 'J')} without gating, ${si(g ? g.energyPerInferenceJ.mean : null, 'J')} with gating`],
      ['energy per MAC', `${si(e.energyPerMacJ, 'J')} without gating, ${si(g ? g.energyPerMacJ : null, 'J')} with gating`],
      ['average power', e.rateHz === null ? 'no inference rate given (compile --rate-hz)' : `at ${si(e.rateHz, 'Hz')}: ${si(e.powerW, 'W')} without gating, ${si(g ? g.powerW : null, 'W')} with gating`],
    ]),
  ];
  if (g) {
    const c = g.check;
    parts.push(`<p>Power gating: each layer is switched off at ${esc(num(g.marginRel))} × the latest time (over the samples) at which it and every layer it feeds had settled, and powered again at the next inference; the layers powered and those switched off are disjoint at every time. ${esc(g.gatedOpamp)}. Check ${badge(c.passed, 'PASS', 'FAIL')}: on all ${int(c.samples)} samples the gated outputs at the end of the run are within ${esc(num(c.toleranceV))} V of the ungated ones (largest ${si(c.maxDeviationV, 'V')}${c.failedSamples.length > 0 ? `; ${int(c.failedSamples.length)} samples failed` : ''}).</p>`);
  }
  const rows = listedRows(e.layers).map((l, j) => {
    const gl = g?.layers[j];
    return [{ text: l.layer }, { text: l.op }, n(int(l.neurons)), n(int(l.opamps)), n(si(l.settleS.max, 's')), n(si(gl ? gl.offS : null, 's')), n(si(l.energyPerInferenceJ, 'J')), n(si(gl ? gl.energyPerInferenceJ : null, 'J')), n(si(l.energyWindowJ, 'J')), n(si(gl ? gl.energyWindowJ : null, 'J'))];
  });
  parts.push(table(['layer', 'op', n('neurons'), n('op-amps'), n('settled (max)'), n('off at'), n('energy/inference'), n('gated'), n('energy/window'), n('gated')], rows, [], 'energy-layers'));
  parts.push(omittedNote(e.layers.length, 'layers'));
  const kinds = e.kinds.map((k, j) => [{ text: ROLE_LABEL[k.kind] ?? k.kind }, n(int(k.neurons)), n(int(k.opamps)), n(si(k.energyPerInferenceJ, 'J')), n(si(g ? g.kinds[j]?.energyPerInferenceJ ?? null : null, 'J'))]);
  parts.push(table(['block kind', n('neurons'), n('op-amps'), n('energy/inference'), n('gated')], kinds, [], 'energy-kinds'));
  parts.push(`<p>Op-amp supply energy (quiescent and output stage) per layer and per block kind, means over the samples; the window is ${e.rateHz === null ? 'the run (until every layer settled, or was switched off)' : 'one period 1/rate'}. Resistor dissipation, ${si(e.energyParts.resistorJ, 'J')} per inference, is part of these figures (paid by the op-amp outputs, the inputs and V_ref), not added to them.</p>`);
  const w = e.waveform;
  if (w) {
    const chart = await renderChart(waveformSpec(w, e.layers.map((l) => l.layer)), 'energy-waveform');
    parts.push(figure('energy-waveform', chart.svg, `One inference (sample ${int(w.sample)} of the measured samples after sample ${int(w.previous)}), op-amp model ${esc(op.name)}: the analog outputs${w.outputsV.length > WAVEFORM_OUTPUTS ? ` (the first ${WAVEFORM_OUTPUTS} of ${w.outputsV.length})` : ''} without and with gating, each layer's activity (its largest distance from its final value, log scale) with the time the schedule switches it off, and the total power drawn without and with gating. Resampled to ${int(w.timesS.length)} points.`));
  }
  return parts.join('\n');
}
