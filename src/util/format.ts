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
