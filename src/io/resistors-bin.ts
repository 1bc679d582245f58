// resistors.bin: the resistor table (io/resistor-rows.ts) in a documented little-endian binary layout, for networks
// whose resistors.csv runs to gigabytes (MobileNet v1: 2.1 GB of text). Same rows, same order, every number exact
// (float64); element names are not stored (they follow from the neuron and the row's position: docs/formats.md).
//
//   file    = header block* values trailer
//   header  = "OHMRBIN2" (8 bytes) u32 version (2) u32 header bytes (16)
//   block   = u32 n (1..65536), u32 m (bytes of the varint columns), then the varint columns (m bytes): n values of
//             each in turn, LEB128, signed ones zigzag-encoded:
//               neuron (signed delta from the previous row's, the first row of a block from 0), kind,
//               source (signed delta from the previous row's, from 0), aux (signed), rPlus, rMinus (0 none, 1 open,
//               k + 2 the k-th value),
//             then n x f64 target, n x f64 realized
//   values  = u32 count, count x f64 (ohms, in first-use order)
//   trailer = u64 values offset, u64 rows, u32 blocks, "OHMRBEND" (8 bytes)
// source: a signal index (input k is k, neuron j is inputCount + j), or -1 output, -2 V_ref, -3 ground, -4 the summator
// (a gain row). aux: a multiplier's second source, a delay's tick count, else 0. target / realized: NaN where the CSV
// field is empty. Version 1 (fixed-width columns, 37 bytes a row) is refused with the advice to write the file again:
// the varint columns take ~6 bytes a row where version 1 took 21 (MobileNet v1: ~22 bytes a row in all).
// Written streaming (one block of columns in memory) and read back by readResistorsBin (tests, tools).

import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { inputError } from '../errors.js';
import { requireRealized, type Realized } from '../realize/realize.js';
import { ROW_KIND_CODE, ROW_KINDS, visitResistorRows, type RowKind } from './resistor-rows.js';

const MAGIC = Buffer.from('OHMRBIN2', 'latin1');
const END = Buffer.from('OHMRBEND', 'latin1');
const VERSION = 2;
const HEADER_BYTES = 16;
const TRAILER_BYTES = 28;
export const BIN_BLOCK_ROWS = 65536;
/** The most bytes a row can take (six varints of at most 5 bytes, two float64s); rows take ~22 in practice. */
export const BIN_ROW_BYTES_MAX = 6 * 5 + 16;
/** Resistor codes: 0 no resistor, 1 an open circuit, k + 2 the k-th value. */
const NONE = 0;
const OPEN = 1;

const zigzag = (v: number): number => (v >= 0 ? 2 * v : -2 * v - 1);
const unzigzag = (u: number): number => (u % 2 === 0 ? u / 2 : -(u + 1) / 2);

/** Writes v (a non-negative integer below 2^35) as LEB128 at o; returns the next offset. */
function putVarint(b: Buffer, o: number, v: number): number {
  while (v >= 0x80) {
    b[o++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  b[o++] = v;
  return o;
}

class BlockWriter {
  private readonly neuron = new Uint32Array(BIN_BLOCK_ROWS);
  private readonly kind = new Uint8Array(BIN_BLOCK_ROWS);
  private readonly source = new Int32Array(BIN_BLOCK_ROWS);
  private readonly aux = new Int32Array(BIN_BLOCK_ROWS);
  private readonly rPlus = new Uint32Array(BIN_BLOCK_ROWS);
  private readonly rMinus = new Uint32Array(BIN_BLOCK_ROWS);
  private readonly target = new Float64Array(BIN_BLOCK_ROWS);
  private readonly realized = new Float64Array(BIN_BLOCK_ROWS);
  private readonly buf = Buffer.alloc(8 + BIN_BLOCK_ROWS * BIN_ROW_BYTES_MAX);
  private readonly valueIndex = new Map<number, number>();
  readonly values: number[] = [];
  n = 0;
  rows = 0;
  blocks = 0;
  offset = 0;

  constructor(private readonly fd: number) {}

  private index(ohm: number): number {
    if (Number.isNaN(ohm)) return NONE;
    if (ohm === Infinity) return OPEN;
    let k = this.valueIndex.get(ohm);
    if (k === undefined) {
      k = this.values.length + 2;
      this.values.push(ohm);
      this.valueIndex.set(ohm, k);
    }
    return k;
  }

  push(neuron: number, kind: RowKind, source: number, aux: number, rPlusOhm: number, rMinusOhm: number, target: number, realized: number): void {
    const i = this.n++;
    this.neuron[i] = neuron;
    this.kind[i] = ROW_KIND_CODE[kind];
    this.source[i] = source;
    this.aux[i] = aux;
    this.rPlus[i] = this.index(rPlusOhm);
    this.rMinus[i] = this.index(rMinusOhm);
    this.target[i] = target;
    this.realized[i] = realized;
    if (this.n === BIN_BLOCK_ROWS) this.flush();
  }

  write(bytes: Buffer): void {
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
    this.offset += bytes.length;
  }

  flush(): void {
    const n = this.n;
    if (n === 0) return;
    const b = this.buf;
    b.writeUInt32LE(n, 0);
    let o = 8;
    for (let i = 0; i < n; i++) o = putVarint(b, o, zigzag(this.neuron[i] - (i > 0 ? this.neuron[i - 1] : 0)));
    for (let i = 0; i < n; i++) o = putVarint(b, o, this.kind[i]);
    for (let i = 0; i < n; i++) o = putVarint(b, o, zigzag(this.source[i] - (i > 0 ? this.source[i - 1] : 0)));
    for (let i = 0; i < n; i++) o = putVarint(b, o, zigzag(this.aux[i]));
    for (let i = 0; i < n; i++) o = putVarint(b, o, this.rPlus[i]);
    for (let i = 0; i < n; i++) o = putVarint(b, o, this.rMinus[i]);
    b.writeUInt32LE(o - 8, 4);
    for (let i = 0; i < n; i++) o = b.writeDoubleLE(this.target[i], o);
    for (let i = 0; i < n; i++) o = b.writeDoubleLE(this.realized[i], o);
    this.write(b.subarray(0, o));
    this.rows += n;
    this.blocks++;
    this.n = 0;
  }
}

/** Writes resistors.bin for a realized network. */
export function writeResistorsBin(path: string, r: Realized): void {
  requireRealized(r);
  const fd = openSync(path, 'w');
  try {
    const w = new BlockWriter(fd);
    const header = Buffer.alloc(HEADER_BYTES);
    MAGIC.copy(header, 0);
    header.writeUInt32LE(VERSION, 8);
    header.writeUInt32LE(HEADER_BYTES, 12);
    w.write(header);
    visitResistorRows(r, (row) => {
      const aux = row.kind === 'multiplier' ? row.source2 : row.kind === 'delay' ? row.ticks : 0;
      w.push(row.neuron, row.kind, row.source, aux, row.rPlusOhm, row.rMinusOhm, row.target, row.realized);
    });
    w.flush();
    const valuesOffset = w.offset;
    const values = Buffer.alloc(4 + 8 * w.values.length);
    values.writeUInt32LE(w.values.length, 0);
    w.values.forEach((v, k) => values.writeDoubleLE(v, 4 + 8 * k));
    w.write(values);
    const trailer = Buffer.alloc(TRAILER_BYTES);
    trailer.writeBigUInt64LE(BigInt(valuesOffset), 0);
    trailer.writeBigUInt64LE(BigInt(w.rows), 8);
    trailer.writeUInt32LE(w.blocks, 16);
    END.copy(trailer, 20);
    w.write(trailer);
  } finally {
    closeSync(fd);
  }
}

/** One row of resistors.bin as read back: resistances in ohms (Infinity: open, NaN: none). */
export interface BinRow {
  readonly neuron: number;
  readonly kind: RowKind;
  readonly source: number;
  readonly aux: number;
  readonly rPlusOhm: number;
  readonly rMinusOhm: number;
  readonly target: number;
  readonly realized: number;
}

function readAt(fd: number, position: number, length: number, what: string, path: string): Buffer {
  const b = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const got = readSync(fd, b, done, length - done, position + done);
    if (got === 0) throw inputError(`${path}: truncated resistors.bin (${what}); write it again with compile`);
    done += got;
  }
  return b;
}

/** Reads every row of a resistors.bin file, in order, checking its layout. */
export function* readResistorsBin(path: string): Generator<BinRow> {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const bad = (why: string): never => {
      throw inputError(`${path}: not a resistors.bin file of version ${VERSION} (${why}); write it again with compile`);
    };
    if (size < HEADER_BYTES + 4 + TRAILER_BYTES) bad(`${size} bytes is too short`);
    const header = readAt(fd, 0, HEADER_BYTES, 'header', path);
    if (header.subarray(0, 8).equals(Buffer.from('OHMRBIN1', 'latin1'))) bad('version 1, the fixed-width layout before ohmnet wrote varint columns');
    if (!header.subarray(0, 8).equals(MAGIC)) bad('no OHMRBIN2 header');
    if (header.readUInt32LE(8) !== VERSION) bad(`version ${header.readUInt32LE(8)}`);
    const trailer = readAt(fd, size - TRAILER_BYTES, TRAILER_BYTES, 'trailer', path);
    if (!trailer.subarray(20, 28).equals(END)) bad('no OHMRBEND trailer');
    const valuesOffset = Number(trailer.readBigUInt64LE(0));
    const rows = Number(trailer.readBigUInt64LE(8));
    const blocks = trailer.readUInt32LE(16);
    if (valuesOffset < HEADER_BYTES || valuesOffset + 4 > size - TRAILER_BYTES) bad('the value table offset is outside the file');
    const count = readAt(fd, valuesOffset, 4, 'value table', path).readUInt32LE(0);
    if (valuesOffset + 4 + 8 * count !== size - TRAILER_BYTES) bad('the value table does not end at the trailer');
    const vb = readAt(fd, valuesOffset + 4, 8 * count, 'value table', path);
    const values = Array.from({ length: count }, (_, k) => vb.readDoubleLE(8 * k));
    const ohm = (k: number): number => {
      if (k === NONE) return NaN;
      if (k === OPEN) return Infinity;
      if (k - 2 >= count) bad(`resistor index ${k - 2} beyond the ${count} values`);
      return values[k - 2];
    };
    let pos = HEADER_BYTES;
    let seen = 0;
    for (let blk = 0; blk < blocks; blk++) {
      if (pos + 8 > valuesOffset) bad(`block ${blk} starts beyond the rows`);
      const head = readAt(fd, pos, 8, 'block header', path);
      const n = head.readUInt32LE(0);
      const m = head.readUInt32LE(4);
      if (n < 1 || n > BIN_BLOCK_ROWS || m > n * BIN_ROW_BYTES_MAX || pos + 8 + m + 16 * n > valuesOffset) bad(`block ${blk} of ${n} rows does not fit`);
      const b = readAt(fd, pos + 8, m + 16 * n, 'block', path);
      let o = 0;
      const varint = (): number => {
        let v = 0;
        let scale = 1;
        for (;;) {
          if (o >= m || scale > 2 ** 35) bad(`block ${blk}: a column runs past its ${m} bytes`);
          const byte = b[o++];
          v += (byte & 0x7f) * scale;
          if (byte < 0x80) return v;
          scale *= 0x80;
        }
      };
      const column = (delta: boolean, signed: boolean): Float64Array => {
        const c = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const u = varint();
          const v = signed ? unzigzag(u) : u;
          c[i] = delta && i > 0 ? c[i - 1] + v : v;
        }
        return c;
      };
      const neuron = column(true, true);
      const kind = column(false, false);
      const source = column(true, true);
      const aux = column(false, true);
      const rPlus = column(false, false);
      const rMinus = column(false, false);
      if (o !== m) bad(`block ${blk}: its columns end at byte ${o} of ${m}`);
      for (let i = 0; i < n; i++) {
        const code = kind[i];
        if (code >= ROW_KINDS.length) bad(`row kind ${code}`);
        yield {
          neuron: neuron[i],
          kind: ROW_KINDS[code],
          source: source[i],
          aux: aux[i],
          rPlusOhm: ohm(rPlus[i]),
          rMinusOhm: ohm(rMinus[i]),
          target: b.readDoubleLE(m + 8 * i),
          realized: b.readDoubleLE(m + 8 * (n + i)),
        };
      }
      pos += 8 + m + 16 * n;
      seen += n;
    }
    if (pos !== valuesOffset || seen !== rows) bad(`${seen} rows in the blocks, ${rows} in the trailer`);
  } finally {
    closeSync(fd);
  }
}
