// Messages about verdict thresholds and failed verdicts.

import type { Namer } from '../errors.js';

export const VERDICT_MESSAGES = {
  badFraction: (option: string, v: unknown) => (n: Namer) => `${n(option)} ${String(v)} must be a fraction from 0 to 1 (e.g. 0.95 for 95%)`,
  badVolts: (option: string, v: unknown) => (n: Namer) => `${n(option)} ${String(v)} must be a positive, finite voltage in volts (e.g. 0.05)`,
  badBoolean: (option: string, v: unknown) => (n: Namer) => `${n(option)} ${String(v)} must be true or false`,
  /** The terminal's last line when verdicts failed (exit code 1). */
  failed: (checks: readonly string[]) => `ohmnet: check failed: ${checks.join(', ')} (see the verdicts; the output files are written)`,
} as const;
