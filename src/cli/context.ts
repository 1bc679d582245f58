// What a command needs from its surroundings: where to print and whether a human is watching.
// Commands never touch process.stdout directly, so tests can run them in-process.

import type { Progress } from '../util/progress.js';

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is an interactive terminal (progress bars are drawn only then). */
  readonly interactive: boolean;
  /** How to draw progress when interactive (default: bars on this process's stderr). */
  readonly progress?: Progress;
  /** The command's arguments as given (without node and script), for the command line summary.json records. */
  readonly argv?: readonly string[];
}

export const processIO: CliIO = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  interactive: Boolean(process.stderr.isTTY),
};
