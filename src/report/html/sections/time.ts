// The time axis of a recurrent model's circuit (issue 11): the clock, the blocks by kind (summators by activation,
// multipliers, delays by length) and the realized circuit's error against the ideal network at every clock tick, so a
// designer sees whether resistor rounding accumulates through the recurrence. Shown only for a clocked network.

import { escapeHtml as esc, facts, figure, int, note, num, volts } from '../format.js';
import { renderChart, tickErrorSpec } from '../../plots.js';
import type { SectionInput } from '../section.js';

export async function time({ data }: SectionInput): Promise<string> {
  const c = data.summary.clock;
  if (!c) return note('This network has no clock: it is evaluated once per sample.');
  const acts = Object.entries(c.summatorsByActivation).map(([a, k]) => `${int(k)} ${a}`).join(', ');
  const delays = c.delaysByTicks.length === 0 ? 'none' : c.delaysByTicks.map((d) => `${int(d.count)} of ${d.ticks} tick${d.ticks === 1 ? '' : 's'}`).join(', ');
  const reads = c.readTicks.length === c.ticks ? 'every tick' : c.readTicks.length <= 8 ? `tick${c.readTicks.length === 1 ? '' : 's'} ${c.readTicks.join(', ')}` : `${int(c.readTicks.length)} ticks, ${c.readTicks[0]} to ${c.readTicks[c.readTicks.length - 1]}`;
  const parts = [
    `<p>The network runs once per clock tick: one step of the input sequence per tick, every block settles, then the delays (clocked sample-and-hold pairs) pass their inputs on to the next tick. A sample is the sequence flattened time-major, as the model's input is.</p>`,
    facts([
      ['clock ticks per sample', int(c.ticks)],
      ['outputs read at', reads],
      ['summators', `${int(c.summators)} (${acts})`],
      ['multipliers', int(c.multipliers)],
      ['delays', delays],
      ['state held until tick', c.stateStartTicks.length === 0 ? '—' : c.stateStartTicks.join(', ')],
    ]),
  ];
  const t = data.summary.layerError?.ticks;
  if (!t) {
    parts.push(note('The error per tick was not measured for this report (it is computed by the compile flow).'));
    return parts.join('\n');
  }
  const worst = Math.max(0, ...t.outputMaxAbsErrorV);
  const lo = Math.min(...t.signalMinV);
  const hi = Math.max(...t.signalMaxV);
  const chart = await renderChart(tickErrorSpec(t.outputMaxAbsErrorV, t.signalMaxAbsErrorV, t.readTicks, { minV: t.signalMinV, maxV: t.signalMaxV, railV: data.summary.constraints.signalLimit }), 'tick-error');
  parts.push(figure('tick-error', chart.svg,
    `Per clock tick, the largest difference between the realized circuit (nominal resistor values, ideal op-amps) and the same network with exact weights, over the ${esc(data.summary.layerError!.on)} set's first ${int(data.summary.layerError!.samples)} samples (log scale): at the analog outputs and over every block output. Grey lines mark the ticks at which the outputs are read. Right: the range of every block output of the ideal network per tick, with the rails ±S (dashed). Worst at the outputs: ${volts(worst)}; block outputs ranged over ${volts(lo)} … ${volts(hi)} (S = ${esc(num(data.summary.constraints.signalLimit))} V).`));
  return parts.join('\n');
}
