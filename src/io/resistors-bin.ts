// resistors.bin: the resistor table (io/resistor-rows.ts) in a documented little-endian binary layout, for networks
// whose resistors.csv runs to gigabytes (MobileNet v1: 2.1 GB of text). Same rows, same order, every number exact
// (float64); element names are not stored (they follow from the neuron and the row's position: docs/formats.md).
//
//   file    = header block* values trailer
//   header  = "OHMRBIN1" (8 bytes) u32 version (1) u32 header bytes (16)
//   block   = u32 n (1..65536), then n values of each column in turn:
//             neuron u32, kind u8 (ROW_KINDS order), source i32, aux i32, rPlus u32, rMinus u32, target f64,
//             realized f64
//   values  = u32 count, count x f64 (ohms, in first-use order)
//   trailer = u64 values offset, u64 rows, u32 blocks, "OHMRBEND" (8 bytes)
// source: a signal index (input k is k, neuron j is inputCount + j), or -1 output, -2 V_ref, -3 ground, -4 the summator
// (a gain row). aux: a multiplier's second source, a delay's tick count, else 0. rPlus / rMinus: an index into values,
// 0xFFFFFFFF no resistor, 0xFFFFFFFE an open circuit. target / realized: NaN where the CSV field is empty.
// Written streaming (one block of columns in memory) and read back by readResistorsBin (tests, tools).

import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { inputError } from '../errors.js';
import { requireRealized, type Realized } from '../realize/realize.js';
import { ROW_KIND_CODE, ROW_KINDS, visitResistorRows, type RowKind } from './resistor-rows.js';

const MAGIC = Buffer.from('OHMRBIN1', 'latin1');
const END = Buffer.from('OHMRBEND', 'latin1');
const VERSION = 1;
const HEADER_BYTES = 16;
const TRAILER_BYTES = 28;
export const BIN_BLOCK_ROWS = 65536;
/** Bytes per row in a block (the columns' widths). */
const COLUMN_WIDTHS = [4, 1, 4, 4, 4, 4, 8, 8];
export const BIN_ROW_BYTES = COLUMN_WIDTHS.reduce((a, b) => a + b, 0);
const NONE = 0xffffffff;
const OPEN = 0xfffffffe;

class BlockWriter {
  private readonly neuron = new Uint32Array(BIN_BLOCK_ROWS);
  private readonly kind = new Uint8Array(BIN_BLOCK_ROWS);
  private readonly source = new Int32Array(BIN_BLOCK_ROWS);
  private readonly aux = new Int32Array(BIN_BLOCK_ROWS);
  private readonly rPlus = new Uint32Array(BIN_BLOCK_ROWS);
  private readonly rMinus = new Uint32Array(BIN_BLOCK_ROWS);
  private readonly target = new Float64Array(BIN_BLOCK_ROWS);
  private readonly realized = new Float64Array(BIN_BLOCK_ROWS);
  private readonly buf = Buffer.alloc(4 + BIN_BLOCK_ROWS * BIN_ROW_BYTES);
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
      k = this.values.length;
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
    let o = b.writeUInt32LE(n, 0);
    for (let i = 0; i < n; i++) o = b.writeUInt32LE(this.neuron[i], o);
    for (let i = 0; i < n; i++) o = b.writeUInt8(this.kind[i], o);
    for (let i = 0; i < n; i++) o = b.writeInt32LE(this.source[i], o);
    for (let i = 0; i < n; i++) o = b.writeInt32LE(this.aux[i], o);
    for (let i = 0; i < n; i++) o = b.writeUInt32LE(this.rPlus[i], o);
    for (let i = 0; i < n; i++) o = b.writeUInt32LE(this.rMinus[i], o);
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
    if (!header.subarray(0, 8).equals(MAGIC)) bad('no OHMRBIN1 header');
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
      if (k >= count) bad(`resistor index ${k} beyond the ${count} values`);
      return values[k];
    };
    let pos = HEADER_BYTES;
    let seen = 0;
    for (let blk = 0; blk < blocks; blk++) {
      const n = readAt(fd, pos, 4, 'block header', path).readUInt32LE(0);
      if (n < 1 || n > BIN_BLOCK_ROWS || pos + 4 + n * BIN_ROW_BYTES > valuesOffset) bad(`block ${blk} of ${n} rows does not fit`);
      const b = readAt(fd, pos + 4, n * BIN_ROW_BYTES, 'block', path);
      // Column k starts after the k earlier columns of n values each.
      const starts: number[] = [];
      COLUMN_WIDTHS.reduce((o, w) => (starts.push(o), o + w * n), 0);
      const col = (k: number): number => starts[k];
      for (let i = 0; i < n; i++) {
        const code = b.readUInt8(col(1) + i);
        if (code >= ROW_KINDS.length) bad(`row kind ${code}`);
        yield {
          neuron: b.readUInt32LE(col(0) + 4 * i),
          kind: ROW_KINDS[code],
          source: b.readInt32LE(col(2) + 4 * i),
          aux: b.readInt32LE(col(3) + 4 * i),
          rPlusOhm: ohm(b.readUInt32LE(col(4) + 4 * i)),
          rMinusOhm: ohm(b.readUInt32LE(col(5) + 4 * i)),
          target: b.readDoubleLE(col(6) + 8 * i),
          realized: b.readDoubleLE(col(7) + 8 * i),
        };
      }
      pos += 4 + n * BIN_ROW_BYTES;
      seen += n;
    }
    if (pos !== valuesOffset || seen !== rows) bad(`${seen} rows in the blocks, ${rows} in the trailer`);
  } finally {
    closeSync(fd);
  }
}
