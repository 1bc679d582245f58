// Progress on a terminal: one line per long stage (a bar when the amount of work is known), drawn on stderr only
// when stderr is a TTY and --json is off; in pipes and scripts nothing is drawn.

import { SingleBar } from 'cli-progress';
import { silentProgress, type Progress } from '../util/progress.js';
import type { CliIO } from './context.js';

/** The progress display a command should use: bars on an interactive terminal, nothing in pipes or with --json. */
export function progressFor(io: CliIO, json: boolean | undefined): Progress {
  return io.interactive && !json ? io.progress ?? terminalProgress() : silentProgress;
}

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  return {
    stage(name, total) {
      if (total === undefined) {
        const start = Date.now();
        stream.write(`${name} ...`);
        return {
          tick: () => undefined,
          done: () => stream.write(`\r${name} done (${((Date.now() - start) / 1000).toFixed(1)} s)\n`),
        };
      }
      const bar = new SingleBar({ stream, format: `${name.padEnd(24)} [{bar}] {value}/{total} {eta_formatted}`, hideCursor: true, clearOnComplete: false });
      bar.start(total, 0);
      return { tick: (n = 1) => bar.increment(n), done: () => bar.stop() };
    },
  };
}
