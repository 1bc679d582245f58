// What a section of report.html is given: the report's data and the figures computed once from it (figures.ts).
// A section formats them into the body of its <section>; page.ts adds the heading and the table of contents.

import type { ReportData } from '../data.js';
import type { ReportFigures } from '../figures.js';

export interface SectionInput {
  readonly data: ReportData;
  readonly figures: ReportFigures;
}

/** Renders the body of a section (HTML, without its heading). */
export type SectionRenderer = (input: SectionInput) => string | Promise<string>;
