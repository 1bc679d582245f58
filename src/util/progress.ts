// Progress reporting hooks for long stages. Stages report through this interface; the CLI decides how (or whether)
// to draw it (src/cli/progress.ts). The default does nothing.

export interface StageProgress {
  /** Advance by n units of work (trials, samples). */
  tick(n?: number): void;
  done(): void;
}

export interface Progress {
  /** Starts a stage; `total` units of work, or undefined for a stage without a count. */
  stage(name: string, total?: number): StageProgress;
}

const NOOP: StageProgress = { tick: () => undefined, done: () => undefined };
export const silentProgress: Progress = { stage: () => NOOP };
