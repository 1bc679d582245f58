// Buffered writing of large text files (tnet.json, resistors.csv, netlist.cir): a MobileNet-sized network has tens of
// millions of lines, more than one JavaScript string (or heap) can hold at once.

import { closeSync, openSync, writeSync } from 'node:fs';

export class BufferedFileWriter {
  private readonly fd: number;
  private parts: string[] = [];
  private size = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  write(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size > 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.parts.length > 0) writeSync(this.fd, this.parts.join(''));
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
export function writeLines(path: string, lines: Iterable<string>): void {
  const w = new BufferedFileWriter(path);
  try {
    for (const line of lines) w.write(`${line}\n`);
  } finally {
    w.close();
  }
}
