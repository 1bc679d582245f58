// Per-layer Monte Carlo sensitivity (summary.json layerSensitivity): how far each layer's neuron outputs move from
// nominal under resistor tolerance, so a designer sees which layer is the tolerance bottleneck.

import { escapeHtml as esc, listedRows, note, num, numCell as n, omittedNote, table, volts } from '../format.js';
import type { SectionInput } from '../section.js';

export function layerSensitivity({ data }: SectionInput): string {
  const ls = data.summary.layerSensitivity;
  if (!ls) return note('No Monte Carlo per layer: it needs a tolerance and trials (and is computed by the compile flow).');
  const rows = listedRows(ls.layers).map((l) => [{ text: l.name }, n(volts(l.rmsDeviationV)), n(num(l.rmsDeviationRel)), n(volts(l.p95MaxDeviationV))]);
  const total = data.summary.realization.monteCarlo?.trials ?? ls.trials;
  return [
    `<p>Deviation of each layer's neuron outputs from their nominal values, replaying the first ${ls.trials} of ${total} Monte Carlo trials (the same resistor draws) on the first ${ls.samples} samples of the ${esc(ls.on)} set: every signal of every trial is kept, so the replay is bounded. RMS over trials, samples and neurons; p95 over trials of each trial's largest deviation.</p>`,
    table(['layer', n('RMS deviation'), n('RMS / S'), n('p95 of max |deviation|')], rows, [], 'layer-sensitivity'),
    omittedNote(ls.layers.length, 'layers'),
  ].join('\n');
}
