// Messages of the transform pipeline (src/transform/): the compile options (fan-in, fan-out, signal limit,
// calibration samples, approximation) and constraints the passes cannot meet. Options are named through the Namer.

import type { Namer } from '../errors.js';

/** Compiling a lowered network into a T-network that meets the hardware constraints. */
export const TRANSFORM_MESSAGES = {
  badFanIn: (fanIn: number) => (n: Namer) =>
    `fan-in ${fanIn} is not possible: every neuron needs at least 2 inputs to build trees; use ${n('fanIn')} 2 or more`,
  badFanOut: (fanOut: number) => (n: Namer) =>
    `fan-out ${fanOut} is not possible: a fan-out tree needs each neuron to drive at least 2 others; use ${n('fanOut')} 2 or more`,
  badSignalLimit: (signalLimitV: number) => (n: Namer) =>
    `signal limit ${signalLimitV} V is not possible: it must be a positive number of volts (the patent uses 5); check ${n('signalLimitV')}`,
  badSignalHeadroom: (signalHeadroomRel: number) => (n: Namer) =>
    `${n('signalHeadroomRel')} ${signalHeadroomRel} must be a fraction from 0 to 0.9 of the signal limit`,
  badInputRange: (lo: number, hi: number) => (n: Namer) =>
    `input range ${lo},${hi} is empty or not finite; give ${n('inputRange')} as lo,hi with lo < hi`,
  badApproxLevels: (levels: number) => (n: Namer) =>
    `${n('approx')} ${levels}: the number of shared levels p must be an integer >= 1 (omit it for the exact construction)`,
  badCalibrationCount: (count: number, max: number) => (n: Namer) =>
    `${n('calibrationSamples')} ${count} must be an integer from 1 to ${max}`,
  calibrationEmpty: () => (n: Namer) => `the calibration set (${n('calibration')}) is empty; give at least one sample`,
  calibrationLength: (sample: number, got: number, want: number) => (n: Namer) =>
    `${n('calibration')} sample ${sample} has ${got} values; the model input needs ${want}`,
  calibrationNonFinite: (sample: number, index: number, value: number) => (n: Namer) =>
    `${n('calibration')} sample ${sample} value ${index} is ${value}; samples must be finite numbers`,
  tooManyUniformSamples: (count: number, inSize: number) => (n: Namer) =>
    `${count} uniform calibration samples of ${inSize} values each are ${count * inSize} values, more than 268435456; lower ${n('calibrationSamples')} or give samples with ${n('calibration')}`,
  badBlockConstants: (which: string, a: number, b: number) => (n: Namer) =>
    `${n(which)}: A = ${a}, B = ${b}; both must be finite and non-zero (e.g. patent, or -0.1,11.3)`,
  blockConstantsUnmet: (who: string, preV: number, limitV: number, slope: number) => (n: Namer) =>
    `the fixed block constants cannot be met: ${who} would need its summator to reach ${preV.toPrecision(4)} V (beyond the ${limitV} V rails) with the block's B = ${slope}; choose a block with a larger |B| (${n('sigmoidBlock')}, ${n('tanhBlock')}) or leave the constants free`,
  signalLimitUnmet: (limitV: number, who: string, excessV: number) => (n: Namer) =>
    `the signal limit ${limitV} V cannot be met: ${who} reaches ${(limitV + excessV).toPrecision(6)} V, ${excessV.toPrecision(3)} V over; raise ${n('signalLimitV')}`,
} as const;
