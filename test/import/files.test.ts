// Issue 20 items 11 and 12: every input file (model, samples, calibration, config) is read as a regular file with a
// size limit. /dev/zero used to abort with std::bad_alloc, a FIFO with no writer blocked forever, a directory gave a
// raw error; each is now one line and exit 2, naming the path and what it is.

import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, ftruncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli } from '../helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'ohmnet-files-'));
const model = join(FIXTURES, 'tiny_mlp.onnx');
const samples = join(FIXTURES, 'tiny_mlp.json');
const fifo = join(tmp, 'fifo');
const dir = join(tmp, 'dir');
mkdirSync(dir);
let haveFifo = true;
try {
  execFileSync('mkfifo', [fifo]);
} catch {
  haveFifo = false;
}

/** The special files and what the message calls them. */
const specials: [string, string, RegExp][] = [
  ['/dev/zero', '/dev/zero', /it is a character device, not a regular file/],
  ['a directory', dir, /it is a directory, not a regular file/],
  ...(haveFifo ? [['a FIFO with no writer', fifo, /it is a FIFO \(named pipe\), not a regular file/] as [string, string, RegExp]] : []),
];

async function oneLineExit2(args: string[], re: RegExp): Promise<void> {
  const r = await runCli(args);
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(re);
}

describe.each(specials)('%s', (_, path, re) => {
  it('as the model', async () => {
    await oneLineExit2(['inspect', path], re);
  });
  it('as --inputs', async () => {
    await oneLineExit2(['run', model, '--inputs', path], re);
  });
  it('as --calibration', async () => {
    await oneLineExit2(['compile', model, '-o', join(tmp, `out-${Math.random()}`), '--calibration', path], re);
  });
  it('as --config', async () => {
    await oneLineExit2(['inspect', model, '--config', path], re);
  });
});

describe('size limits', () => {
  it('a samples file over 256 MiB is refused before it is read', async () => {
    const big = join(tmp, 'big.csv');
    // A sparse file: its size is 300 MiB, its disk use nothing.
    const fd = openSync(big, 'w');
    ftruncateSync(fd, 300 * 2 ** 20);
    closeSync(fd);
    await oneLineExit2(['run', model, '--inputs', big], /its 314572800 bytes are more than the 256 MiB ohmnet reads from a samples file; use fewer samples/);
  });

  it('a config file over 1 MiB is refused', async () => {
    const cfg = join(tmp, 'big.json');
    writeFileSync(cfg, `{"fanIn": 3, "description": "${'x'.repeat(2 ** 20)}"}`);
    await oneLineExit2(['inspect', model, '--config', cfg], /more than the 1 MiB ohmnet reads from a config file/);
  });

  it('regular files still read', async () => {
    const r = await runCli(['run', model, '--inputs', samples, '--json']);
    expect(r.code, r.stderr).toBe(0);
  });
});
