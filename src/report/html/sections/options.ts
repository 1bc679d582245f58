// Options and passes: every option of the run as resolved (keyed by the library's option names, units included), and the T-transformation's passes with the network's size
// after each.

import { note, num, numCell as n, table } from '../format.js';
import type { SectionInput } from '../section.js';

export function options({ data }: SectionInput): string {
  const keys = Object.keys(data.options).sort();
  const rows = keys.map((k) => {
    const v = data.options[k];
    return [{ text: k }, v === null ? '(not set)' : typeof v === 'number' ? n(num(v, 6)) : String(v)];
  });
  const passes = data.summary.passes.map((p) => [p.pass, p.exact ? 'exact' : 'lossy', p.changed ? 'yes' : 'no', p.neurons ?? '', p.connections ?? '', p.notes.join('; ')]);
  return [
    '<h3>Options</h3>',
    keys.length > 0 ? table(['option', 'value'], rows, [], 'options') : note('No options recorded.'),
    '<h3>Passes</h3>',
    `<p>The compilation's passes in order (the pass manager verifies the network after each), with the T-network's size after each.</p>`,
    table(['pass', 'kind', 'changed', n('neurons'), n('connections'), 'notes'], passes, [], 'passes'),
  ].join('\n');
}
