// The HTML report's entry points. The page itself lives in src/report/html/: page.ts (the shell and the ordered list
// of sections), format.ts (numbers, escaping, tables), style.ts (the CSS) and sections/*.ts (one file per section);
// the figures it shows are computed once in src/report/figures.ts.

import { writeFileAtomic } from '../io/atomic.js';
import type { ReportData } from './data.js';
import { renderReport } from './html/page.js';

export { renderReport } from './html/page.js';
export { escapeHtml, ohms } from './html/format.js';

/** Renders the report and writes it to `path` atomically. */
export async function writeReport(path: string, data: ReportData): Promise<void> {
  writeFileAtomic(path, await renderReport(data));
}
