// Sample files: JSON {"inputs": [[...sample...], ...], "labels": [...]} (or a bare array of samples; a sample may be
// nested to the model's input shape) or CSV with one flattened sample per row (an optional header row of text labels
// is skipped; fields may be quoted; a label column may hold each sample's class). Both parsers read the bytes once, iteratively, straight into one Float64Array per sample:
// nesting depth is bounded, no recursion grows with the input, memory is proportional to the numbers in the file,
// and only decimal numbers are numbers (no 0x10, 0b11, 0o7, Infinity or empty cells).

import { inputError } from '../errors.js';
import { M } from '../messages/index.js';
import { sizeOf, type Shape } from '../ir/tensor.js';
import { readRegularFile } from '../util/read-file.js';

/** Largest samples file read: far above any calibration or test set, and within what a Node string can hold. */
const MAX_SAMPLES_BYTES = 256 * 2 ** 20;

/** Deepest nesting of a sample's arrays (a sample nests at most to its input's rank) or of any other JSON value. */
export const MAX_SAMPLE_DEPTH = 64;

/** JSON number grammar, also the one number syntax accepted in CSV cells. */
const DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
/** CSV cells also accept a leading '+' and a bare '.5' or '5.' as spreadsheets write them. */
const CSV_DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** Non-finite values as spreadsheets and numpy write them: numbers, but refused as not finite. */
const CSV_NONFINITE = /^[+-]?(nan|inf|infinity)$/i;

/** Values of one sample, grown as they are read so memory follows the file, not the declared shape. */
class SampleBuffer {
  private data = new Float64Array(16);
  count = 0;
  constructor(private readonly want: number) {}
  push(v: number): void {
    // Values past the model's input size are only counted, for the message.
    if (this.count < this.want) {
      if (this.count === this.data.length) {
        const next = new Float64Array(Math.min(this.want, 2 * this.data.length));
        next.set(this.data);
        this.data = next;
      }
      this.data[this.count] = v;
    }
    this.count++;
  }
  take(): Float64Array {
    const out = this.data.length === this.count ? this.data : this.data.slice(0, this.count);
    this.data = new Float64Array(16);
    this.count = 0;
    return out;
  }
}

const enum C {
  Tab = 0x09, Lf = 0x0a, Cr = 0x0d, Space = 0x20, Quote = 0x22, Plus = 0x2b, Comma = 0x2c, Minus = 0x2d,
  Dot = 0x2e, Zero = 0x30, Nine = 0x39, Colon = 0x3a, OpenBracket = 0x5b, Backslash = 0x5c,
  CloseBracket = 0x5d, OpenBrace = 0x7b, CloseBrace = 0x7d,
}

/** An iterative, validating JSON reader over bytes that extracts the samples and skips everything else. */
class JsonSamples {
  private pos: number;
  private readonly want: number;
  constructor(private readonly path: string, private readonly b: Uint8Array, start: number, private readonly shape: Shape) {
    this.pos = start;
    this.want = sizeOf(shape);
  }

  private fail(what: string): never {
    let line = 1;
    let col = 1;
    for (let i = 0; i < this.pos && i < this.b.length; i++) {
      if (this.b[i] === C.Lf) {
        line++;
        col = 1;
      } else col++;
    }
    const found = this.pos >= this.b.length ? 'the end of the file' : `'${String.fromCharCode(this.b[this.pos])}'`;
    throw inputError(M.inputsFileFormat(this.path, `invalid JSON (${what}, found ${found} at line ${line} column ${col})`));
  }

  private ws(): number {
    const b = this.b;
    let p = this.pos;
    while (p < b.length && (b[p] === C.Space || b[p] === C.Lf || b[p] === C.Cr || b[p] === C.Tab)) p++;
    this.pos = p;
    return p < b.length ? b[p] : -1;
  }

  private expect(ch: number, what: string): void {
    if (this.ws() !== ch) this.fail(`expected ${what}`);
    this.pos++;
  }

  /** Scans a string literal; returns its value if `decode`. */
  private string(decode: boolean): string {
    const b = this.b;
    const start = this.pos;
    let p = start + 1;
    for (;;) {
      if (p >= b.length) {
        this.pos = p;
        this.fail('unterminated string');
      }
      const c = b[p];
      if (c === C.Quote) break;
      if (c < 0x20) {
        this.pos = p;
        this.fail('control character in a string');
      }
      if (c === C.Backslash) {
        const e = b[p + 1];
        if (e === 0x75) {
          for (let k = 2; k < 6; k++) {
            const h = b[p + k];
            if (!((h >= C.Zero && h <= C.Nine) || (h >= 0x41 && h <= 0x46) || (h >= 0x61 && h <= 0x66))) {
              this.pos = p;
              this.fail('bad \\u escape');
            }
          }
          p += 6;
          continue;
        }
        if (![C.Quote, C.Backslash, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74].includes(e)) {
          this.pos = p;
          this.fail('bad escape');
        }
        p += 2;
        continue;
      }
      p++;
    }
    this.pos = p + 1;
    return decode ? (JSON.parse(Buffer.from(b.buffer, b.byteOffset + start, p + 1 - start).toString('utf8')) as string) : '';
  }

  /** Scans a number; returns its value (possibly infinite, as 1e400). */
  private number(): number {
    const b = this.b;
    const start = this.pos;
    let p = start;
    while (p < b.length && ((b[p] >= C.Zero && b[p] <= C.Nine) || b[p] === C.Minus || b[p] === C.Plus || b[p] === C.Dot || b[p] === 0x65 || b[p] === 0x45)) p++;
    const text = String.fromCharCode(...b.subarray(start, Math.min(p, start + 400)));
    if (p - start > 400 || !DECIMAL.test(text)) this.fail('bad number');
    this.pos = p;
    return Number(text);
  }

  private literal(): void {
    for (const word of ['true', 'false', 'null']) {
      let ok = true;
      for (let k = 0; k < word.length; k++) if (this.b[this.pos + k] !== word.charCodeAt(k)) ok = false;
      if (ok) {
        this.pos += word.length;
        return;
      }
    }
    this.fail('expected a value');
  }

  private isNumberStart(c: number): boolean {
    return c === C.Minus || (c >= C.Zero && c <= C.Nine);
  }

  /** Skips one value of any kind, iteratively (a stack of open containers, bounded). */
  private skipValue(): void {
    const open: number[] = [];
    for (;;) {
      const c = this.ws();
      if (c === C.OpenBracket || c === C.OpenBrace) {
        if (open.length >= MAX_SAMPLE_DEPTH) this.fail(`nesting deeper than ${MAX_SAMPLE_DEPTH} levels`);
        this.pos++;
        const close = c === C.OpenBracket ? C.CloseBracket : C.CloseBrace;
        if (this.ws() === close) this.pos++;
        else {
          open.push(close);
          if (c === C.OpenBrace) this.key();
          continue;
        }
      } else if (c === C.Quote) this.string(false);
      else if (this.isNumberStart(c)) this.number();
      else this.literal();
      // After a value: close what ends here, or go on to the next element.
      for (;;) {
        if (open.length === 0) return;
        const d = this.ws();
        const top = open[open.length - 1];
        if (d === C.Comma) {
          this.pos++;
          if (top === C.CloseBrace) this.key();
          break;
        }
        if (d !== top) this.fail(`expected ',' or '${String.fromCharCode(top)}'`);
        this.pos++;
        open.pop();
      }
    }
  }

  /** An object member's key and colon; returns the key. */
  private key(): string {
    if (this.ws() !== C.Quote) this.fail('expected a string key');
    const k = this.string(true);
    this.expect(C.Colon, "':'");
    return k;
  }

  /** The whole document: the samples, from {"inputs": [...]} or a bare [...], and the "labels" array if any. */
  read(): LabelledSamples {
    let samples: Float64Array[] | null = null;
    let labels: number[] | null = null;
    if (this.ws() === C.OpenBracket) samples = this.samples();
    else {
      this.expect(C.OpenBrace, "'{' or '['");
      if (this.ws() === C.CloseBrace) this.pos++;
      else {
        for (;;) {
          const k = this.key();
          if (k === 'inputs' || k === 'labels') {
            if ((k === 'inputs' ? samples : labels) !== null) throw inputError(M.inputsFileFormat(this.path, `it has two "${k}" arrays`));
            if (this.ws() !== C.OpenBracket) throw inputError(k === 'inputs' ? M.inputsFileFormat(this.path, '"inputs" is not an array') : M.labelsNotArray(this.path));
            if (k === 'inputs') samples = this.samples();
            else labels = this.labels();
          } else this.skipValue();
          const d = this.ws();
          this.pos++;
          if (d === C.CloseBrace) break;
          if (d !== C.Comma) {
            this.pos--;
            this.fail("expected ',' or '}'");
          }
        }
      }
      if (!samples) throw inputError(M.inputsFileFormat(this.path, 'no "inputs" array'));
    }
    if (this.ws() !== -1) this.fail('expected the end of the file');
    return { samples, labels };
  }

  /** A "labels" array of class indices (the reader is at its '['). */
  private labels(): number[] {
    this.pos++;
    const out: number[] = [];
    if (this.ws() === C.CloseBracket) {
      this.pos++;
      return out;
    }
    for (;;) {
      const start = this.pos;
      const c = this.ws();
      let v = NaN;
      if (this.isNumberStart(c)) v = this.number();
      else this.skipValue();
      if (!Number.isSafeInteger(v) || v < 0) {
        const text = Buffer.from(this.b.buffer, this.b.byteOffset + start, this.pos - start).toString('utf8').trim();
        throw inputError(M.badLabel(this.path, out.length, text));
      }
      out.push(v);
      const d = this.ws();
      this.pos++;
      if (d === C.CloseBracket) return out;
      if (d !== C.Comma) {
        this.pos--;
        this.fail("expected ',' or ']' after a label");
      }
    }
  }

  /** The array of samples (the reader is at its '['). */
  private samples(): Float64Array[] {
    this.pos++;
    const out: Float64Array[] = [];
    if (this.ws() === C.CloseBracket) {
      this.pos++;
      return out;
    }
    const buf = new SampleBuffer(this.want);
    for (;;) {
      out.push(this.sample(out.length, buf));
      const d = this.ws();
      this.pos++;
      if (d === C.CloseBracket) return out;
      if (d !== C.Comma) {
        this.pos--;
        this.fail("expected ',' or ']' after a sample");
      }
    }
  }

  /** One sample: nested arrays of numbers, flattened in order; iterative, its depth bounded. */
  private sample(row: number, buf: SampleBuffer): Float64Array {
    if (this.ws() !== C.OpenBracket) throw inputError(M.inputsFileFormat(this.path, `sample ${row} is not an array`));
    const start = this.pos;
    let depth = 0;
    for (;;) {
      const c = this.ws();
      if (c === C.OpenBracket) {
        if (++depth > MAX_SAMPLE_DEPTH) throw inputError(M.sampleTooDeep(this.path, row, MAX_SAMPLE_DEPTH));
        this.pos++;
        if (this.ws() !== C.CloseBracket) continue;
        this.pos++;
        depth--;
      } else if (this.isNumberStart(c)) {
        const v = this.number();
        if (!Number.isFinite(v)) throw inputError(M.sampleNonFinite(this.path, row, buf.count));
        buf.push(v);
      } else if (c === C.Quote || c === C.OpenBrace || c === 0x74 || c === 0x66 || c === 0x6e) {
        throw inputError(M.sampleNonFinite(this.path, row, buf.count));
      } else this.fail('expected a number or an array');
      // After a value: close the arrays that end here, or go on to the next value.
      for (;;) {
        if (depth === 0) {
          if (buf.count !== this.want) throw inputError(M.sampleLength(this.path, row, buf.count, this.want, this.shape, lineAt(this.b, start)));
          return buf.take();
        }
        const d = this.ws();
        if (d === C.Comma) {
          this.pos++;
          break;
        }
        if (d !== C.CloseBracket) this.fail("expected ',' or ']'");
        this.pos++;
        depth--;
      }
    }
  }
}

/** The 1-based line of byte offset `pos`. */
function lineAt(b: Uint8Array, pos: number): number {
  let line = 1;
  for (let i = 0; i < pos && i < b.length; i++) if (b[i] === C.Lf) line++;
  return line;
}

/** Splits CSV text into records of fields: delimiters , ; or tab, "quoted" fields with "" for a quote, # comments. */
function* csvRecords(path: string, text: string): Generator<string[] & { start: number }> {
  let p = 0;
  const n = text.length;
  while (p < n) {
    // Blank lines and comment lines (a '#' first on the line) are skipped.
    let q = p;
    while (q < n && (text[q] === ' ' || text[q] === '\t' || text[q] === '\r')) q++;
    if (q >= n) return;
    if (text[q] === '\n' || text[q] === '#') {
      const nl = text.indexOf('\n', q);
      p = nl < 0 ? n : nl + 1;
      continue;
    }
    const fields = Object.assign([] as string[], { start: p });
    for (;;) {
      while (p < n && text[p] === ' ') p++;
      let field: string;
      if (text[p] === '"') {
        let value = '';
        let s = p + 1;
        for (;;) {
          const close = text.indexOf('"', s);
          if (close < 0) throw inputError(M.inputsFileFormat(path, 'a quoted field is not closed'));
          value += text.slice(s, close);
          if (text[close + 1] === '"') {
            value += '"';
            s = close + 2;
            continue;
          }
          p = close + 1;
          break;
        }
        while (p < n && (text[p] === ' ' || text[p] === '\r')) p++;
        if (p < n && !',;\t\n'.includes(text[p])) throw inputError(M.inputsFileFormat(path, `text follows the quoted field "${value.slice(0, 20)}"`));
        field = value.trim();
      } else {
        let e = p;
        while (e < n && text[e] !== ',' && text[e] !== ';' && text[e] !== '\t' && text[e] !== '\n') e++;
        field = text.slice(p, e).trim();
        p = e;
      }
      fields.push(field);
      if (p >= n || text[p] === '\n') {
        p++;
        break;
      }
      p++; // the delimiter
    }
    yield fields;
  }
}

function isNumberLike(cell: string): boolean {
  return CSV_DECIMAL.test(cell) || CSV_NONFINITE.test(cell);
}

/**
 * CSV rows as samples; with `labelColumn` (a header name or a 0-based index) that column holds each row's class
 * label and is not part of the sample.
 */
function parseCsvSamples(path: string, text: string, shape: Shape, labelColumn?: string, firstLine = 1): LabelledSamples {
  const want = sizeOf(shape);
  const out: Float64Array[] = [];
  const labels: number[] | null = labelColumn === undefined ? null : [];
  const buf = new SampleBuffer(want);
  let first = true;
  let header: string[] | null = null;
  let labelAt = -1;
  for (const fields of csvRecords(path, text)) {
    // A header is a first row of text labels only: a row of NaN or numbers is data.
    if (first && fields.every((c) => c !== '' && !isNumberLike(c))) {
      first = false;
      header = fields;
      continue;
    }
    if (labelColumn !== undefined && labelAt < 0) {
      labelAt = header ? header.indexOf(labelColumn) : -1;
      if (labelAt < 0 && /^\d+$/.test(labelColumn)) labelAt = Number(labelColumn);
      if (labelAt < 0 || labelAt >= fields.length) throw inputError(M.noLabelColumn(path, labelColumn, header));
    }
    first = false;
    const row = out.length;
    fields.forEach((cell, col) => {
      if (col === labelAt) {
        if (!/^\d+$/.test(cell) || !Number.isSafeInteger(Number(cell))) throw inputError(M.badLabel(path, row, cell));
        labels!.push(Number(cell));
        return;
      }
      const index = labelAt >= 0 && col > labelAt ? col - 1 : col;
      if (CSV_DECIMAL.test(cell)) {
        const v = Number(cell);
        if (!Number.isFinite(v)) throw inputError(M.sampleNonFinite(path, row, index));
        buf.push(v);
      } else if (CSV_NONFINITE.test(cell) || cell === '') throw inputError(M.sampleNonFinite(path, row, index));
      else throw inputError(M.notDecimal(path, row, index, cell));
    });
    if (labels && labels.length !== row + 1) throw inputError(M.badLabel(path, row, ''));
    if (buf.count !== want) {
      let line = firstLine;
      for (let i = 0; i < fields.start; i++) if (text.charCodeAt(i) === C.Lf) line++;
      throw inputError(M.sampleLength(path, row, buf.count, want, shape, line));
    }
    out.push(buf.take());
  }
  return { samples: out, labels };
}

/** Samples of a file and, when it has them, their class labels. */
export interface LabelledSamples {
  readonly samples: Float64Array[];
  /** One class index per sample, from JSON "labels" or the CSV label column; null when the file has none. */
  readonly labels: number[] | null;
}

/**
 * Reads samples, checks each against the model's per-sample input shape, and reads their class labels: a JSON
 * "labels" array, or with `labelColumn` the CSV column (header name or 0-based index) that holds them.
 */
export function readLabelledSamples(path: string, inputShape: Shape, labelColumn?: string): LabelledSamples {
  if (!Array.isArray(inputShape) || inputShape.length === 0 || inputShape.some((d) => typeof d !== 'number' || !Number.isSafeInteger(d) || d < 1)) {
    throw inputError(M.badImportArgument('readSamples needs the per-sample input shape as an array of positive integers', Array.isArray(inputShape) ? `[${inputShape.slice(0, 8).join(', ')}]` : typeof inputShape));
  }
  if (labelColumn !== undefined && (typeof labelColumn !== 'string' || labelColumn === '')) throw inputError(M.badImportArgument('the label column must be a header name or a 0-based index', typeof labelColumn));
  const bytes = readRegularFile(path, {
    maxBytes: MAX_SAMPLES_BYTES,
    what: 'a samples file',
    hint: 'use fewer samples (a few thousand calibrate as well as millions)',
  });
  // A UTF-8 byte-order mark (written by some editors and Excel) is not content, in JSON or CSV.
  let start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (start < bytes.length && (bytes[start] === C.Space || bytes[start] === C.Lf || bytes[start] === C.Cr || bytes[start] === C.Tab)) start++;
  const json = bytes[start] === C.OpenBrace || bytes[start] === C.OpenBracket;
  const read = json
    ? new JsonSamples(path, bytes, start, inputShape).read()
    : parseCsvSamples(path, bytes.subarray(start).toString('utf8'), inputShape, labelColumn, lineAt(bytes, start));
  if (read.samples.length === 0) throw inputError(M.noSamples(path));
  if (read.labels && read.labels.length !== read.samples.length) throw inputError(M.labelCount(path, read.labels.length, read.samples.length));
  return read;
}

/** Reads samples and checks each against the model's per-sample input shape (labels, if any, are not read). */
export function readSamples(path: string, inputShape: Shape): Float64Array[] {
  return readLabelledSamples(path, inputShape).samples;
}
