// The stylesheet of report.html, inlined in its <head> (the page loads nothing). Screen: a centred column, cards,
// scrolling tables; print: A4, no table of contents, figures and small tables kept whole on a page.

export const STYLE = `
:root { --fg: #1d2327; --muted: #58636b; --line: #cfd6dc; --soft: #f4f6f8; --head: #e9edf1; --accent: #2f5d8a; --ok: #1e7b34; --bad: #b3261e; }
* { box-sizing: border-box; }
html { font-size: 15px; -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--fg); background: #fff; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; line-height: 1.45; }
main { max-width: 1160px; margin: 0 auto; padding: 20px 28px 56px; }
header h1 { font-size: 1.6rem; margin: 0.4rem 0 0.2rem; word-break: break-word; }
header p { margin: 0; color: var(--muted); }
nav.toc { margin: 14px 0 4px; font-size: 0.9rem; }
nav.toc ol { margin: 0; padding: 0; list-style: none; display: flex; flex-wrap: wrap; gap: 4px 16px; }
nav.toc a { color: var(--accent); text-decoration: none; }
nav.toc a:hover { text-decoration: underline; }
h2 { font-size: 1.3rem; margin: 2.2rem 0 0.7rem; padding-bottom: 0.25rem; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.02rem; margin: 1.3rem 0 0.5rem; }
p { margin: 0.5rem 0; max-width: 90ch; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.88em; background: var(--soft); padding: 0 3px; border-radius: 3px; }
.lead { font-size: 1.02rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 12px; margin-top: 12px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; background: var(--soft); }
.card h3 { margin: 0 0 6px; font-size: 0.98rem; color: var(--accent); }
.card dl { display: grid; grid-template-columns: minmax(0, 1fr) auto; gap: 2px 8px; margin: 0; font-size: 0.86rem; }
.card dt { color: var(--muted); }
.card dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.card .status { margin: 8px 0 0; font-size: 0.84rem; color: var(--muted); }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 0.82rem; font-weight: 600; color: #fff; }
.badge.ok { background: var(--ok); }
.badge.bad { background: var(--bad); }
.table-wrap { overflow-x: auto; margin: 0.6rem 0 1rem; }
table { border-collapse: collapse; font-size: 0.84rem; }
th, td { border: 1px solid var(--line); padding: 3px 8px; vertical-align: top; }
thead th { background: var(--head); text-align: left; font-weight: 600; }
tbody tr:nth-child(even) td { background: #fafbfc; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
tfoot td { font-weight: 600; background: var(--soft); border-top: 2px solid #9aa5ae; }
table.facts th { background: var(--soft); font-weight: normal; color: var(--muted); text-align: left; }
table.facts td { min-width: 9em; }
table.passes td:last-child { max-width: 60ch; }
figure.plot { margin: 1rem 0; padding: 10px; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
figure.plot svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
figcaption { font-size: 0.84rem; color: var(--muted); margin-top: 0.5rem; max-width: 100ch; }
.figrow { display: flex; flex-wrap: wrap; gap: 14px; }
.figrow figure.plot { flex: 1 1 440px; margin: 0.4rem 0; }
.swatch { display: inline-block; width: 16px; height: 10px; margin: 0 4px 0 2px; vertical-align: middle; }
.swatch.box { background: var(--c); }
.swatch.line { height: 0; border-top: 2px solid var(--c); }
.swatch.dash { height: 0; border-top: 2px dashed var(--c); }
.note { border-left: 4px solid #c9a227; background: #fcf7e3; padding: 8px 12px; }
footer { margin-top: 3rem; font-size: 0.8rem; color: var(--muted); border-top: 1px solid var(--line); padding-top: 8px; }
@media (max-width: 700px) { main { padding: 12px; } html { font-size: 14px; } }
@media print {
  @page { size: A4; margin: 14mm 12mm 16mm; }
  html { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  nav.toc { display: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-after: avoid; page-break-after: avoid; margin-top: 1.4rem; }
  h3 { break-after: avoid; page-break-after: avoid; }
  figure, .card, table.facts, table.mc, table.options { break-inside: avoid; page-break-inside: avoid; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  .table-wrap { overflow: visible; }
  table { font-size: 7.5pt; }
  th, td { padding: 2px 5px; }
  figure.plot { border: none; padding: 0; }
  .figrow { display: block; }
  a { color: inherit; text-decoration: none; }
}
`;
