// Messages of realization (src/realize/): resistor sets (E-series, custom lists, the optimal-set search), the
// realization options, and weights the set cannot realize. A message that names an option returns a function of the
// Namer, so the API says rMinOhm where the CLI says --r-min.

import type { Namer } from '../errors.js';

/** Realizing a T-network with a resistor set. */
export const REALIZE_MESSAGES = {
  badRealizeOptions: () => 'realize needs options with setOhm (the resistor values, ohms ascending), setName, feedback, feedbackPer, toleranceRel and vRefV',
  notRealized: (what: string) => `the value passed as a realized network is not one (${what}); pass the realized network of realize() or realizeCompiled()`,
  // The realization options (realize/stage.ts, realize/realize.ts).
  toleranceImpossible: (tol: number) => (n: Namer) =>
    `${n('toleranceRel')} ${tol} is not possible; give it as a fraction, e.g. 0.01 for 1%`,
  toleranceImplausible: (tol: number) => (n: Namer) =>
    `${n('toleranceRel')} ${tol} is not a plausible resistor tolerance; give it as a fraction, e.g. 0.01 for 1%`,
  gaussianNegative: (tol: number) => (n: Namer) =>
    `${n('toleranceRel')} ${tol} with a gaussian distribution draws negative resistances (sigma above 20% of the value); use ${n('toleranceDistribution')} uniform or a smaller tolerance`,
  vRefNotPositive: (vRefV: number) => (n: Namer) => `${n('vRefV')} ${vRefV} must be a positive voltage`,
  rFeedbackNotPositive: (rFeedbackOhm: number | null | undefined) => (n: Namer) =>
    `${n('rFeedbackOhm')} ${rFeedbackOhm} must be a positive resistance`,
  setEmpty: () => 'the resistor set is empty',
  gainBeyondSet: (maxAbs: number, need: number, maxGain: number) => (n: Namer) =>
    `a weight of ${maxAbs.toPrecision(4)} needs a gain of ${need.toPrecision(3)}, beyond what two resistors of the set can give (${maxGain.toPrecision(3)}); widen ${n('rMinOhm')}/${n('rMaxOhm')}`,

  // Resistor series and custom lists (realize/series.ts, realize/stage.ts).
  unknownSeries: (name: string, seriesNames: readonly string[]) => (n: Namer) =>
    `unknown resistor series '${name}'; give ${n('resistors')} one of ${seriesNames.join(', ')}, optimal:N or a file of values`,
  seriesEmptyInRange: (name: string, range: string) => (n: Namer) =>
    `series ${name} has no value in ${range}; widen ${n('rMinOhm')}/${n('rMaxOhm')}`,
  rMinNotPositive: (rMinOhm: number) => (n: Namer) => `${n('rMinOhm')} ${rMinOhm} must be a positive resistance`,
  rMaxNotPositive: (rMaxOhm: number) => (n: Namer) => `${n('rMaxOhm')} ${rMaxOhm} must be a positive resistance`,
  rangeEmpty: (rMinOhm: number, rMaxOhm: number) => (n: Namer) =>
    `${n('rMinOhm')} ${rMinOhm} must be below ${n('rMaxOhm')} ${rMaxOhm}`,
  notResistance: (label: string, text: string) => `${label} '${text}' is not a resistance; write e.g. 100k, 1M, 4k7 or 220`,
  resistanceNotPositive: (label: string, text: string) => `${label} '${text}' must be a positive resistance`,
  listMissing: (path: string) =>
    `cannot read resistor list '${path}': no such file; give E24, E48, E96, E192, optimal:N or a file of values`,
  listEmpty: (path: string) => `resistor list '${path}' is empty; give one value per line, e.g. 100k`,
  listBadValue: (path: string, token: string) =>
    `resistor list '${path}': '${token}' is not a resistance (write e.g. 100k, 1M, 4k7)`,
  listNotAscending: (path: string, before: string, after: string) =>
    `resistor list '${path}' is not sorted ascending without duplicates: ${before} then ${after}`,
  badOptimalSpec: (spec: string) => (n: Namer) =>
    `${n('resistors')} '${spec}' should be optimal:N with N the number of values, e.g. optimal:20`,
  listOutsideRange: (spec: string, range: string, dropped: readonly number[]) => (n: Namer) =>
    `the resistor list '${spec}' has ${dropped.length} value${dropped.length === 1 ? '' : 's'} outside ${range} (${dropped.slice(0, 5).join(', ')}${dropped.length > 5 ? ', ...' : ''} ohm); widen ${n('rMinOhm')}/${n('rMaxOhm')} to use them or remove them from the list`,
  listEmptyInRange: (spec: string, range: string) => (n: Namer) =>
    `no value of the resistor list '${spec}' lies within ${range}; widen ${n('rMinOhm')}/${n('rMaxOhm')}`,

  // The value function and the optimal-set search (realize/resistor-set.ts).
  badWeightLimit: (wlim: number) =>
    `weight limit ${wlim} must be a positive number, the largest |weight| the set must cover, e.g. 2`,
  toleranceNotNumber: (tol: number) => (n: Namer) =>
    `${n('toleranceRel')} ${tol} is not a number; give it as a fraction, e.g. 0.001`,
  toleranceNegative: (tol: number) => (n: Namer) =>
    `${n('toleranceRel')} ${tol} is not possible; give it as a fraction, e.g. 0.001`,
  badThresholdFactor: (t: number) =>
    `error threshold factor ${t} must be positive (the patent uses 10: options with an expected error above 10 r_err are dropped)`,
  badSetSize: (count: number, min: number, max: number) =>
    `resistor set size ${count} is not possible; give optimal:N with a whole N from ${min} to ${max}`,
  setEmptyGiveOne: () => 'resistor set is empty; give at least one resistance',
  setValueNotPositive: (r: number) => `resistance ${r} in the set must be positive`,
  feedbackNotPositive: (rFeedbackOhm: number) => `feedback resistance ${rFeedbackOhm} must be positive`,
  badFeedbackIndex: (index: number, setSize: number) =>
    `R_f index ${index} is not an index of the set (0 to ${setSize - 1})`,
  badRestarts: (restarts: number) => `restarts ${restarts} must be a whole number, 0 or more`,
  searchSeedNotNumber: (seed: number) => `seed ${seed} must be a number`,
  rangeTooNarrow: (rMinOhm: number, rMaxOhm: number, count: number) => (n: Namer) =>
    `${n('rMinOhm')} ${rMinOhm} and ${n('rMaxOhm')} ${rMaxOhm} are too close for ${count} distinct 4-digit resistances; widen the range`,
} as const;
