// Text and HTML building blocks of report.html: number formats (3 significant digits, grouped integers, percentages
// that never round up to 100%, SI-prefixed ohms), escaping, and the table, fact-list, card, note and figure markup
// every section shares. Nothing here knows about networks; the sections decide what to show.

import { groupDigits } from '../table.js';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const esc = escapeHtml;

/** A number in 3 significant digits: plain between 1e-3 and 1e5, else scientific. */
export function num(x: number, digits = 3): string {
  if (Number.isNaN(x)) return 'n/a';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '-∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e5) return String(Number(x.toPrecision(digits)));
  if (a >= 1e5 && Number.isInteger(x)) return groupDigits(x);
  return x.toExponential(digits - 1);
}

/** An integer with grouped digits: 1234567 -> "1,234,567". */
export function int(x: number): string {
  return x < 0 ? `-${groupDigits(-x)}` : groupDigits(x);
}

/** A fraction as a percentage; never rounds a value below 1 up to 100%. */
export function pct(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  let d = 1;
  while (d < 4 && x < 1 && (x * 100).toFixed(d) === `100.${'0'.repeat(d)}`) d++;
  return `${(x * 100).toFixed(d)}%`;
}

/** Resistance with its SI prefix (the one formatter of src/util/format.ts): 402000 -> "402 kΩ". */
export { ohms } from '../../util/format.js';

export function volts(x: number): string {
  return `${num(x)} V`;
}

/** A per-sample shape: "8×8", or "scalar". */
export function shape(s: readonly number[]): string {
  return s.length === 0 ? 'scalar' : s.join('×');
}

/** How the report names the neuron roles of the T-network (ROLES order); plots.ts colours them by these names. */
export const ROLE_LABEL: Readonly<Record<string, string>> = { compute: 'compute', linear: 'linear', partialSum: 'partial sum', buffer: 'buffer', pool: 'pool', shared: 'shared' };

// ---------------------------------------------------------------------------------------------------------------
// Markup

/** A table cell: text (escaped unless `html`), right-aligned when `num`. */
export type Cell = { readonly text: string; readonly num?: boolean; readonly html?: boolean };

/** A cell from a value: numbers become grouped, right-aligned integers; strings plain text. */
export function cell(v: string | number | Cell): Cell {
  if (typeof v === 'number') return { text: int(v), num: true };
  if (typeof v === 'string') return { text: v };
  return v;
}

/** A right-aligned cell of already formatted text (a figure that is not an integer count). */
export function numCell(text: string): Cell {
  return { text, num: true };
}

function td(c: Cell, tag = 'td'): string {
  const body = c.html ? c.text : esc(c.text);
  return `<${tag}${c.num ? ' class="num"' : ''}>${body}</${tag}>`;
}

export type Row = readonly (string | number | Cell)[];

/** A table with a header row, body rows and optional footer rows, in a horizontally scrolling wrapper. */
export function table(head: readonly (string | Cell)[], rows: readonly Row[], foot: readonly Row[] = [], cls = ''): string {
  const h = head.map((x) => td(typeof x === 'string' ? { text: x } : x, 'th')).join('');
  const b = rows.map((r) => `<tr>${r.map((x) => td(cell(x))).join('')}</tr>`).join('\n');
  const f = foot.length > 0 ? `<tfoot>${foot.map((r) => `<tr>${r.map((x) => td(cell(x))).join('')}</tr>`).join('')}</tfoot>` : '';
  return `<div class="table-wrap"><table${cls ? ` class="${cls}"` : ''}><thead><tr>${h}</tr></thead><tbody>\n${b}\n</tbody>${f}</table></div>`;
}

/** A two-column table of figures (label, value); string values are right-aligned. */
export function facts(rows: readonly (readonly [string, string | Cell])[]): string {
  return `<div class="table-wrap"><table class="facts"><tbody>${rows.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th>${td(typeof v === 'string' ? numCell(v) : v)}</tr>`).join('')}</tbody></table></div>`;
}

export function badge(ok: boolean, yes: string, no: string): string {
  return `<span class="badge ${ok ? 'ok' : 'bad'}">${esc(ok ? yes : no)}</span>`;
}

/** A card of the overview: a title and label/value pairs (values are HTML), then optional extra HTML. */
export function card(title: string, rows: readonly (readonly [string, string])[], extra = ''): string {
  const dl = rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('');
  return `<div class="card"><h3>${esc(title)}</h3><dl>${dl}</dl>${extra}</div>`;
}

/** A highlighted remark (HTML). */
export function note(html: string): string {
  return `<p class="note">${html}</p>`;
}

/** A plot with its caption (HTML); `name` is the figure's data-plot key. */
export function figure(name: string, svg: string, caption: string): string {
  return `<figure class="plot" data-plot="${name}">\n${svg}\n<figcaption>${caption}</figcaption>\n</figure>`;
}

/** A legend swatch for a caption: a box, a line or a dashed line in a colour. */
export function swatch(colour: string, kind: 'box' | 'line' | 'dash' = 'box'): string {
  return `<span class="swatch ${kind}" style="--c: ${colour}"></span>`;
}

// ---------------------------------------------------------------------------------------------------------------
// Long tables

/** Most body rows of a per-layer table: beyond that a page stops being readable (and a browser slow to lay it out). */
export const TABLE_ROWS = 1000;

/** The rows a per-layer table lists: the first TABLE_ROWS. */
export function listedRows<T>(items: readonly T[]): readonly T[] {
  return items.length > TABLE_ROWS ? items.slice(0, TABLE_ROWS) : items;
}

/** The remark under a table cut by listedRows ('' when nothing was cut); `where` says where the rest is (HTML). */
export function omittedNote(total: number, what: string, where = ''): string {
  if (total <= TABLE_ROWS) return '';
  return note(`The table lists the first ${int(TABLE_ROWS)} of ${int(total)} ${esc(what)}${where ? `; ${where}` : ''}.`);
}
