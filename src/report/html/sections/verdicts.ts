// Verdicts: the page opens with one pass/fail line per check (report/verdicts.ts), each with its measured value, its
// threshold and the sample set it was measured on. Nothing is green unless its check passed.

import { badge, int, num, pct, table } from '../format.js';
import type { Verdict } from '../../verdicts.js';
import type { SectionInput } from '../section.js';

function figure(v: Verdict, x: number): string {
  return v.unit === 'fraction' ? pct(x) : v.unit === 'count' ? int(x) : `${num(x)} V`;
}

export function verdicts({ data }: SectionInput): string {
  const list = data.summary.verdicts;
  if (list.length === 0) return '<p class="lead">No verdicts were computed for this summary (it was not built by the flow).</p>';
  const failed = list.filter((v) => !v.pass).length;
  const lead = failed === 0
    ? `<p class="lead">${badge(true, 'all checks pass', '')} ${int(list.length)} checks, each against the threshold shown.</p>`
    : `<p class="lead">${badge(false, '', `${failed} of ${list.length} checks failed`)} The circuit does not meet the thresholds below; the command exited with code 1.</p>`;
  const rows = list.map((v) => [
    { text: badge(v.pass, v.check === 'input-range' && v.value > 0 ? 'pass (allowed)' : 'pass', 'FAIL'), html: true },
    v.check,
    figure(v, v.value),
    `${v.bound === 'max' ? '≤' : '≥'} ${figure(v, v.threshold)}`,
    `${int(v.samples)} ${v.on}`,
    v.detail,
  ]);
  return `${lead}\n${table(['verdict', 'check', 'value', 'threshold', 'sample set', 'what'], rows, [], 'verdicts')}`;
}
