// Small text helpers (a leaf module: it imports nothing).

/**
 * Text with control characters and line separators escaped (\n, \r, \t, \u{...}), so a name from a model stays on
 * one line and cannot end a string literal in a chart expression or a line of a text format.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\\]/g, (ch) => {
    if (ch === '\\') return '\\\\';
    if (ch === '\n') return '\\n';
    if (ch === '\r') return '\\r';
    if (ch === '\t') return '\\t';
    return `\\u{${ch.codePointAt(0)!.toString(16)}}`;
  });
}

/**
 * A resistance as people write it, the one form every report, table and message uses: 4 significant digits and an
 * SI prefix, a space before the unit: 280000 -> "280 kΩ", 1e6 -> "1 MΩ", 97.6 -> "97.6 Ω", 2.2e9 -> "2.2 GΩ";
 * Infinity (no resistor) -> "open".
 */
export function ohms(r: number): string {
  if (Number.isNaN(r)) return 'n/a';
  if (!Number.isFinite(r)) return 'open';
  const units: readonly [number, string][] = [[1e9, 'GΩ'], [1e6, 'MΩ'], [1e3, 'kΩ'], [1, 'Ω']];
  const a = Math.abs(r);
  let k = units.findIndex(([f]) => a >= f);
  if (k < 0) k = units.length - 1;
  let p = Number((r / units[k][0]).toPrecision(4));
  // 999,960 rounds to 1000 kΩ: print it in the next unit up.
  if (Math.abs(p) >= 1000 && k > 0) p = Number((r / units[--k][0]).toPrecision(4));
  return `${p} ${units[k][1]}`;
}

/** A word quoted for a POSIX shell: unchanged when it has only safe characters, else in single quotes (a quote inside becomes '\'' ). */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
