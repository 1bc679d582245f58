// Messages of pruning and knowledge extraction (src/transform/prune*.ts, capability C8). Options are named through
// the Namer.

import type { Namer } from '../errors.js';

export const PRUNE_MESSAGES = {
  unknownStep: (step: string, steps: readonly string[]) => (n: Namer) =>
    `${n('prune')} step '${step}' is not one of ${steps.join(', ')}`,
  badThreshold: (option: string, value: number) => (n: Namer) =>
    `${n(option)} ${value} must be a finite number >= 0 (a magnitude below which the element is removed)`,
  thresholdNeedsStep: (option: string, step: string) => (n: Namer) =>
    `${n(option)} is given but the ${n('prune')} steps do not include '${step}'; add it or drop the threshold`,
  stepNeedsThreshold: (step: string, option: string) => (n: Namer) =>
    `${n('prune')} step '${step}' needs its threshold: give ${n(option)} (no hidden default)`,
  badResistorRule: (option: string, value: number) => (n: Namer) =>
    `${n(option)} ${value} ohms must be a positive, finite resistance`,
  conductorAboveOpen: (below: number, above: number) => (n: Namer) =>
    `${n('pruneConductorBelowOhm')} ${below} ohms is not below ${n('pruneOpenAboveOhm')} ${above} ohms; a resistor cannot be both a conductor and an open`,
} as const;
