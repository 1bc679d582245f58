// Buffered writing of large text files (tnet.json, resistors.csv, netlist.cir): a MobileNet-sized network has tens of
// millions of lines, more than one JavaScript string (or heap) can hold at once.

import { closeSync, openSync, writeSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

export interface WriterOptions {
  /**
   * Gzip the file: each buffered megabyte is one gzip member (RFC 1952 allows several; gunzip, zcat and zlib read them
   * as one stream), so the writer never holds more than a megabyte. Deterministic: Node's gzip writes no time stamp.
   */
  readonly gzip?: boolean;
}

export class BufferedFileWriter {
  private readonly fd: number;
  private readonly gzip: boolean;
  private parts: string[] = [];
  private size = 0;

  constructor(path: string, options: WriterOptions = {}) {
    this.fd = openSync(path, 'w');
    this.gzip = options.gzip === true;
  }

  write(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size > 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.parts.length > 0) {
      const text = this.parts.join('');
      if (this.gzip) {
        const z = gzipSync(Buffer.from(text, 'utf8'), { level: 6 });
        let done = 0;
        while (done < z.length) done += writeSync(this.fd, z, done, z.length - done);
      } else {
        writeSync(this.fd, text);
      }
    }
    this.parts = [];
    this.size = 0;
  }

  /** Flushes and closes; call in `finally` (a failed write still closes the file). */
  close(): void {
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }
}

/** Writes every line of a generator to `path`, each followed by a newline. */
export function writeLines(path: string, lines: Iterable<string>, options: WriterOptions = {}): void {
  const w = new BufferedFileWriter(path, options);
  try {
    for (const line of lines) w.write(`${line}\n`);
  } finally {
    w.close();
  }
}
