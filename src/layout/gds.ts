// GDSII stream format, written and read by hand (Calma GDSII Stream Format Manual, release 6.0): a file is a sequence
// of records, each a 2-byte big-endian length (header included), a record type byte and a data type byte, then the
// data: 2-byte or 4-byte big-endian signed integers, 8-byte excess-64 base-16 reals, or ASCII strings padded to even
// length with a NUL. npm has no maintained writer (anchors.md section 3), so this is ohmnet's own.
//
// The writer streams: records go to a 1 MiB buffer flushed to the file, so a MobileNet-sized mask set never sits in
// memory. Timestamps (BGNLIB, BGNSTR) are a fixed date, so the same layout gives byte-identical files. The reader
// parses a whole file into structures (for tests, re-spin comparison and the KLayout-independent checks), keeping
// each structure's byte span so two files' cells can be compared byte for byte.

import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { inputError } from '../errors.js';
import { MASK_MESSAGES as MM } from '../messages/index.js';

/** Record types (high byte) with their data types (low byte). */
export const REC = {
  HEADER: 0x0002, BGNLIB: 0x0102, LIBNAME: 0x0206, UNITS: 0x0305, ENDLIB: 0x0400, BGNSTR: 0x0502, STRNAME: 0x0606,
  ENDSTR: 0x0700, BOUNDARY: 0x0800, PATH: 0x0900, SREF: 0x0a00, AREF: 0x0b00, TEXT: 0x0c00, LAYER: 0x0d02,
  DATATYPE: 0x0e02, WIDTH: 0x0f03, XY: 0x1003, ENDEL: 0x1100, SNAME: 0x1206, COLROW: 0x1302, TEXTTYPE: 0x1602,
  STRING: 0x1906, PATHTYPE: 0x2102,
} as const;

/** The fixed modification/access time of every library and structure: 2000-01-01 00:00:00, twice. */
const STAMP = [2000, 1, 1, 0, 0, 0, 2000, 1, 1, 0, 0, 0];

/** Encodes a real as GDSII's 8-byte excess-64 base-16 float (sign, 7-bit exponent, 56-bit mantissa). */
export function encodeReal8(v: number, out: Uint8Array, at: number): void {
  if (v === 0) {
    out.fill(0, at, at + 8);
    return;
  }
  const sign = v < 0 ? 0x80 : 0;
  let a = Math.abs(v);
  let e = 64;
  while (a >= 1) {
    a /= 16;
    e++;
  }
  while (a < 1 / 16) {
    a *= 16;
    e--;
  }
  // a in [1/16, 1) (the divisions by 16 are exact): a * 2^56 >= 2^52 is an integer double, the mantissa exactly.
  let m = BigInt(a * 2 ** 56);
  out[at] = sign | e;
  for (let k = 7; k >= 1; k--) {
    out[at + k] = Number(m & 0xffn);
    m >>= 8n;
  }
}

export function decodeReal8(b: Uint8Array, at: number): number {
  const sign = b[at] & 0x80 ? -1 : 1;
  const e = (b[at] & 0x7f) - 64;
  let m = 0n;
  for (let k = 1; k < 8; k++) m = (m << 8n) | BigInt(b[at + k]);
  return sign * Number(m) * 2 ** (4 * e - 56);
}

/** Streaming GDSII writer. Coordinates are integer database units. */
export class GdsWriter {
  private readonly fd: number;
  private buf = new Uint8Array(1 << 20);
  private view = new DataView(this.buf.buffer);
  private used = 0;
  /** Bytes written so far (flushed or buffered). */
  offset = 0;
  /** The SHA-256 of the structure being written (BGNSTR .. ENDSTR), and where its unhashed bytes start in buf. */
  private hash: Hash | null = null;
  private hashFrom = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  private room(n: number): void {
    if (this.used + n > this.buf.length) this.flush();
    if (n > this.buf.length) {
      this.buf = new Uint8Array(n);
      this.view = new DataView(this.buf.buffer);
    }
  }

  private flush(): void {
    if (this.hash) this.hash.update(this.buf.subarray(this.hashFrom, this.used));
    this.hashFrom = 0;
    if (this.used > 0) writeSync(this.fd, this.buf, 0, this.used);
    this.used = 0;
  }

  private head(type: number, dataBytes: number): number {
    const len = 4 + dataBytes;
    if (len > 0xfffe) throw new Error(`gds: a record of ${len} bytes is longer than GDSII allows`);
    this.room(len);
    const at = this.used;
    this.view.setUint16(at, len);
    this.view.setUint16(at + 2, type);
    this.used += len;
    this.offset += len;
    return at + 4;
  }

  private empty(type: number): void {
    this.head(type, 0);
  }

  private int2(type: number, values: readonly number[]): void {
    const at = this.head(type, 2 * values.length);
    values.forEach((v, k) => this.view.setInt16(at + 2 * k, v));
  }

  private int4(type: number, values: ArrayLike<number>): void {
    const at = this.head(type, 4 * values.length);
    for (let k = 0; k < values.length; k++) {
      const v = values[k];
      if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) throw new Error(`gds: coordinate ${v} is not a 32-bit integer`);
      this.view.setInt32(at + 4 * k, v);
    }
  }

  private string(type: number, s: string): void {
    if (!/^[\x20-\x7e]*$/.test(s)) throw new Error(`gds: string '${s}' is not printable ASCII`);
    const n = s.length + (s.length % 2);
    const at = this.head(type, n);
    for (let k = 0; k < s.length; k++) this.buf[at + k] = s.charCodeAt(k);
    if (n > s.length) this.buf[at + s.length] = 0;
  }

  /** HEADER, BGNLIB, LIBNAME, UNITS (user units per DBU, metres per DBU). */
  beginLib(name: string, userUnitsPerDbu: number, metresPerDbu: number): void {
    this.int2(REC.HEADER, [600]);
    this.int2(REC.BGNLIB, STAMP);
    this.string(REC.LIBNAME, name);
    const at = this.head(REC.UNITS, 16);
    encodeReal8(userUnitsPerDbu, this.buf, at);
    encodeReal8(metresPerDbu, this.buf, at + 8);
  }

  beginStr(name: string): void {
    this.room(28);
    this.hash = createHash('sha256');
    this.hashFrom = this.used;
    this.int2(REC.BGNSTR, STAMP);
    this.string(REC.STRNAME, name);
  }

  /** A polygon: points [x0, y0, x1, y1, ...] (closed by the writer). */
  boundary(layer: number, datatype: number, xy: readonly number[]): void {
    this.empty(REC.BOUNDARY);
    this.int2(REC.LAYER, [layer]);
    this.int2(REC.DATATYPE, [datatype]);
    this.int4(REC.XY, [...xy, xy[0], xy[1]]);
    this.empty(REC.ENDEL);
  }

  /** An axis-aligned rectangle. */
  rect(layer: number, datatype: number, x0: number, y0: number, x1: number, y1: number): void {
    this.boundary(layer, datatype, [x0, y0, x1, y0, x1, y1, x0, y1]);
  }

  /** A path of `width` with flush ends (path type 0) through points [x0, y0, ...]. */
  path(layer: number, datatype: number, width: number, xy: readonly number[]): void {
    this.empty(REC.PATH);
    this.int2(REC.LAYER, [layer]);
    this.int2(REC.DATATYPE, [datatype]);
    this.int2(REC.PATHTYPE, [0]);
    this.int4(REC.WIDTH, [width]);
    this.int4(REC.XY, xy);
    this.empty(REC.ENDEL);
  }

  sref(name: string, x: number, y: number): void {
    this.empty(REC.SREF);
    this.string(REC.SNAME, name);
    this.int4(REC.XY, [x, y]);
    this.empty(REC.ENDEL);
  }

  /** An array reference: cols x rows instances at pitch (dx, dy) from (x, y). */
  aref(name: string, cols: number, rows: number, x: number, y: number, dx: number, dy: number): void {
    this.empty(REC.AREF);
    this.string(REC.SNAME, name);
    this.int2(REC.COLROW, [cols, rows]);
    this.int4(REC.XY, [x, y, x + cols * dx, y, x, y + rows * dy]);
    this.empty(REC.ENDEL);
  }

  text(layer: number, texttype: number, x: number, y: number, s: string): void {
    this.empty(REC.TEXT);
    this.int2(REC.LAYER, [layer]);
    this.int2(REC.TEXTTYPE, [texttype]);
    this.int4(REC.XY, [x, y]);
    this.string(REC.STRING, s);
    this.empty(REC.ENDEL);
  }

  /** Ends the structure; returns the SHA-256 (hex) of its bytes, BGNSTR to ENDSTR. */
  endStr(): string {
    this.empty(REC.ENDSTR);
    const h = this.hash!;
    h.update(this.buf.subarray(this.hashFrom, this.used));
    this.hash = null;
    return h.digest('hex');
  }

  /** A whole structure's bytes (BGNSTR .. ENDSTR: a module library's cell), outside any structure; returns their SHA-256. */
  raw(bytes: Uint8Array): string {
    if (this.hash) throw new Error('gds: a raw structure inside a structure');
    this.room(bytes.length);
    this.buf.set(bytes, this.used);
    this.used += bytes.length;
    this.offset += bytes.length;
    return createHash('sha256').update(bytes).digest('hex');
  }

  endLib(): void {
    this.empty(REC.ENDLIB);
  }

  /** Flushes and closes; call in `finally`. */
  close(): void {
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }
}

export type GdsElement =
  | { readonly type: 'boundary'; readonly layer: number; readonly datatype: number; readonly xy: number[] }
  | { readonly type: 'path'; readonly layer: number; readonly datatype: number; readonly width: number; readonly pathtype: number; readonly xy: number[] }
  | { readonly type: 'sref'; readonly name: string; readonly xy: number[] }
  | { readonly type: 'aref'; readonly name: string; readonly cols: number; readonly rows: number; readonly xy: number[] }
  | { readonly type: 'text'; readonly layer: number; readonly texttype: number; readonly xy: number[]; readonly string: string };

export interface GdsStructure {
  readonly name: string;
  readonly elements: GdsElement[];
  /** Byte span [start, end) of the structure (BGNSTR .. ENDSTR) in the file. */
  readonly start: number;
  readonly end: number;
}

export interface GdsLibrary {
  readonly version: number;
  readonly name: string;
  readonly userUnitsPerDbu: number;
  readonly metresPerDbu: number;
  readonly structures: GdsStructure[];
}

/**
 * The byte spans of a GDSII stream's structures by name, without parsing their elements (a large file's cells are
 * found this way, then parsed one by one with readGds on their bytes); `header` ends where the first structure starts.
 */
export function structureSpans(bytes: Uint8Array, path = 'the file'): { header: number; spans: Map<string, [number, number]> } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const spans = new Map<string, [number, number]>();
  let at = 0;
  let start = -1;
  let name = '';
  let header = -1;
  while (at < bytes.length) {
    if (at + 4 > bytes.length) throw inputError(MM.gdsTruncated(path, at));
    const len = view.getUint16(at);
    const type = view.getUint16(at + 2);
    if (len < 4 || len % 2 !== 0) throw inputError(MM.gdsBadRecord(path, at, `record length ${len}`));
    if (at + len > bytes.length) throw inputError(MM.gdsTruncated(path, at));
    if (type === REC.BGNSTR) {
      start = at;
      if (header < 0) header = at;
    } else if (type === REC.STRNAME) {
      name = '';
      for (let k = at + 4; k < at + len && bytes[k] !== 0; k++) name += String.fromCharCode(bytes[k]);
    } else if (type === REC.ENDSTR) spans.set(name, [start, at + len]);
    else if (type === REC.ENDLIB) return { header: header < 0 ? at : header, spans };
    at += len;
  }
  throw inputError(MM.gdsTruncated(path, at));
}

/** Parses a GDSII stream (`path` names it in messages). */
export function readGds(bytes: Uint8Array, path = 'the file'): GdsLibrary {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  let version = 0;
  let libName = '';
  let units: [number, number] = [0, 0];
  const structures: GdsStructure[] = [];
  let cur: { name: string; elements: GdsElement[]; start: number } | null = null;
  let el: Record<string, unknown> | null = null;
  let ended = false;
  const str = (from: number, to: number) => {
    let s = '';
    for (let k = from; k < to && bytes[k] !== 0; k++) s += String.fromCharCode(bytes[k]);
    return s;
  };
  while (at < bytes.length && !ended) {
    if (at + 4 > bytes.length) throw inputError(MM.gdsTruncated(path, at));
    const len = view.getUint16(at);
    const type = view.getUint16(at + 2);
    if (len < 4 || len % 2 !== 0) throw inputError(MM.gdsBadRecord(path, at, `record length ${len}`));
    if (at + len > bytes.length) throw inputError(MM.gdsTruncated(path, at));
    const d = at + 4;
    const e = at + len;
    const i2 = () => { const o: number[] = []; for (let k = d; k < e; k += 2) o.push(view.getInt16(k)); return o; };
    const i4 = () => { const o: number[] = []; for (let k = d; k < e; k += 4) o.push(view.getInt32(k)); return o; };
    switch (type) {
      case REC.HEADER: version = i2()[0]; break;
      case REC.BGNLIB: break;
      case REC.LIBNAME: libName = str(d, e); break;
      case REC.UNITS: units = [decodeReal8(bytes, d), decodeReal8(bytes, d + 8)]; break;
      case REC.BGNSTR: cur = { name: '', elements: [], start: at }; break;
      case REC.STRNAME: if (cur) cur.name = str(d, e); break;
      case REC.ENDSTR:
        if (!cur) throw inputError(MM.gdsBadRecord(path, at, 'ENDSTR outside a structure'));
        structures.push({ ...cur, end: e });
        cur = null;
        break;
      case REC.BOUNDARY: el = { type: 'boundary' }; break;
      case REC.PATH: el = { type: 'path', pathtype: 0 }; break;
      case REC.SREF: el = { type: 'sref' }; break;
      case REC.AREF: el = { type: 'aref' }; break;
      case REC.TEXT: el = { type: 'text' }; break;
      case REC.LAYER: if (el) el.layer = i2()[0]; break;
      case REC.DATATYPE: if (el) el.datatype = i2()[0]; break;
      case REC.TEXTTYPE: if (el) el.texttype = i2()[0]; break;
      case REC.PATHTYPE: if (el) el.pathtype = i2()[0]; break;
      case REC.WIDTH: if (el) el.width = i4()[0]; break;
      case REC.XY: if (el) el.xy = i4(); break;
      case REC.SNAME: if (el) el.name = str(d, e); break;
      case REC.COLROW: if (el) { const [c, r] = i2(); el.cols = c; el.rows = r; } break;
      case REC.STRING: if (el) el.string = str(d, e); break;
      case REC.ENDEL:
        if (!el || !cur) throw inputError(MM.gdsBadRecord(path, at, 'ENDEL outside an element'));
        cur.elements.push(el as unknown as GdsElement);
        el = null;
        break;
      case REC.ENDLIB: ended = true; break;
      default: break; // other records (STRANS, PROPATTR, ...) are not used by ohmnet's files; skipped
    }
    at = e;
  }
  if (!ended) throw inputError(MM.gdsTruncated(path, at));
  return { version, name: libName, userUnitsPerDbu: units[0], metresPerDbu: units[1], structures };
}
