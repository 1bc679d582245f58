// Messages of pruning and knowledge extraction (src/transform/prune*.ts, capability C8). Options are named through
// the Namer.

import type { Namer } from '../errors.js';

export const PRUNE_MESSAGES = {
  badPruneOptions: () => (n: Namer) =>
    `${n('prune')} must be an object { steps: [...], weightBelowAbs, biasBelowAbs, rankBy, rankMaxErrorAbs } with steps a list of weights, biases, dead, extract, rank, fold`,
  unknownStep: (step: string, steps: readonly string[]) => (n: Namer) =>
    `${n('prune')} step '${step}' is not one of ${steps.join(', ')}`,
  badThreshold: (option: string, value: number) => (n: Namer) =>
    `${n(option)} ${value} must be a finite number >= 0 (a magnitude below which the element is removed)`,
  thresholdNeedsStep: (option: string, step: string) => (n: Namer) =>
    step.startsWith('prune')
      ? `${n(option)} is given without ${n(step)}; add it or drop ${n(option)}`
      : `${n(option)} is given but the ${n('prune')} steps do not include '${step}'; add it or drop the threshold`,
  stepNeedsThreshold: (step: string, option: string) => (n: Namer) =>
    `${n('prune')} step '${step}' needs its threshold: give ${n(option)} (no hidden default)`,
  unknownRankMetric: (by: string, metrics: readonly string[]) => (n: Namer) =>
    `${n('pruneRankBy')} '${by}' is not one of ${metrics.join(', ')}`,
  badArea: (option: string, value: number) => (n: Namer) =>
    `${n(option)} ${value} must be a positive, finite area in um^2 (the user's figure per component)`,
  areaNeedsBoth: () => (n: Namer) =>
    `the area estimate needs both figures: give ${n('pruneResistorAreaUm2')} and ${n('pruneOpampAreaUm2')} (no default area)`,
  areaNeedsSteps: () => (n: Namer) =>
    `the area estimate is part of the pruning summary: give ${n('prune')} steps too, or drop the area figures`,
  badResistorRule: (option: string, value: number) => (n: Namer) =>
    `${n(option)} ${value} ohms must be a positive, finite resistance`,
  conductorNeedsOhm: () => (n: Namer) =>
    `${n('pruneConductorBelowOhm')} needs the conductor's resistance: give ${n('pruneConductorOhm')} (a wire into the summing node is not 0 ohms; no default)`,
  conductorAboveOpen: (below: number, above: number) => (n: Namer) =>
    `${n('pruneConductorBelowOhm')} ${below} ohms is not below ${n('pruneOpenAboveOhm')} ${above} ohms; a resistor cannot be both a conductor and an open`,
  unknownMethod: (method: string, methods: readonly string[]) => (n: Namer) =>
    `${n('method')} '${method}' is not one of ${methods.join(', ')}`,
  badAccuracyDrop: (v: number) => (n: Namer) =>
    `${n('maxAccuracyDrop')} ${v} must be a fraction from 0 to 1 of accuracy (e.g. 0.01 for one percentage point)`,
  accuracyNeedsLabels: () => (n: Namer) =>
    `an accuracy threshold needs a labelled test set: give ${n('test')} with a sample file that has labels (JSON "labels" or a CSV label column)`,
  badLevels: (text: string) => (n: Namer) =>
    `${n('levels')} '${text}' must be fractions strictly between 0 and 1 in ascending order, e.g. 0.5,0.8,0.9`,
  noLevelMeetsDrop: (method: string, first: number, drop: number, max: number) => (n: Namer) =>
    `no ${method} pruning level keeps the accuracy within ${max} of the source's: the first level (${first}) already drops it by ${drop.toFixed(4)}; raise ${n('maxAccuracyDrop')} or give smaller ${n('levels')}`,
} as const;
