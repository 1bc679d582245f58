// Messages about option values.

import type { Namer } from '../errors.js';

/** Option values. */
export const OPTION_MESSAGES = {
  badBlock: (option: string, text: string, presets: readonly string[]) => (n: Namer) =>
    `${n(option)} '${text}' is not a block: give a preset (${presets.join(', ')}) or A,B (amplitude and slope, both non-zero), e.g. -0.1,11.3`,
  badNumberOption: (flag: string, text: string, want: string) => `${flag} '${text}' is not ${want}`,
  /** An option whose value must be one of a few names (feedback rules, approximation methods, ...). */
  notOneOf: (option: string, value: string, allowed: readonly string[]) => (n: Namer) =>
    `${n(option)} '${value}' is not one of ${allowed.join(', ')}`,
  /** The seed of every random draw (calibration samples, the optimal-set search, Monte Carlo): a uint32. */
  badSeed: (seed: number) => (n: Namer) => `${n('seed')} ${seed} must be an integer from 0 to 4294967295`,
} as const;
