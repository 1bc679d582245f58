// The share of the ±S swing each source layer uses (summary.json layers[].swingShare): max |neuron output| / S on the
// calibration set. A layer far below 1 wastes dynamic range (its signals sit closer to the noise and offsets); the
// signal-limit pass scales the network so the largest signal reaches S minus the headroom.

import { escapeHtml as esc, listedRows, num, numCell as n, omittedNote, pct, table, volts } from '../format.js';
import type { SectionInput } from '../section.js';

/** A bar of the share (0..1) as inline markup: a fixed-width track with a filled part. */
function bar(share: number): string {
  const w = Math.round(Math.min(1, Math.max(0, share)) * 120);
  return `<span class="swing-bar" style="display:inline-block;width:120px;height:9px;background:#e6e9f0;vertical-align:middle"><span style="display:block;width:${w}px;height:9px;background:#3b6fc4"></span></span>`;
}

export function signalSwing({ data }: SectionInput): string {
  const s = data.summary;
  const layers = s.layers.filter((l) => l.swingShare !== null);
  const S = s.constraints.signalLimit;
  const rows = listedRows(layers).map((l) => [
    { text: l.name }, l.op,
    n(volts(Math.max(Math.abs(l.signalRangeV![0]), Math.abs(l.signalRangeV![1])))),
    n(pct(l.swingShare!)),
    { text: bar(l.swingShare!), html: true },
  ]);
  return [
    `<p>The share of the ±${esc(num(S))} V swing each layer's neurons use on the calibration set (${s.sets.calibration.samples} samples): max |output| / S.</p>`,
    table(['layer', 'op', n('max |output|'), n('share of S'), ''], rows, [], 'swing'),
    omittedNote(layers.length, 'layers with neurons'),
  ].join('\n');
}
