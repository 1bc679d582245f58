// Messages of the behavioural transient and the energy figures (src/simulate/transient.ts, src/simulate/energy.ts,
// src/cli/energy.ts): op-amp presets with dynamics, the options of the transient, and networks it does not handle.
// A message that names an option returns a function of the Namer (opampPreset in the API, --opamp-preset on the CLI).

import type { Namer } from '../errors.js';
import { sig4 } from './format.js';

const g = sig4;

export const ENERGY_MESSAGES = {
  unknownPreset: (name: string, names: readonly string[]) => (n: Namer) =>
    `unknown op-amp preset '${name}'; give ${n('opampPreset')} one of ${names.join(', ')} (with overrides, e.g. micropower:gbw=100e3)`,
  unknownPresetParameter: (preset: string, key: string, keys: readonly string[]) => (n: Namer) =>
    `the op-amp preset ${preset} has no parameter '${key}' (${n('opampPreset')}); use ${keys.join(', ')}`,
  badPresetParameter: (preset: string, key: string, value: string, what: string) => (n: Namer) =>
    `${n('opampPreset')} ${preset}: ${key}=${value} is not ${what}`,
  badSupplyChoice: (value: string) => (n: Namer) =>
    `${n('opampPreset')}: supply=${value} is not one of the patent's supplies; use supply=op1 (+5 V) or supply=op3 (+-2.5 V), or vplus=/vminus=`,
  suppliesReversed: (plus: number, minus: number) => (n: Namer) =>
    `${n('opampPreset')}: the positive supply ${g(plus)} V must be above the negative supply ${g(minus)} V and the signal ground (0 V) between them`,
  signalBeyondSupplies: (signalV: number, plus: number, minus: number, preset: string) => (n: Namer) =>
    `the signal limit ${g(signalV)} V does not fit the supplies of op-amp preset ${preset} (${g(minus)} V .. ${g(plus)} V): the outputs must swing +-${g(signalV)} V; lower ${n('signalLimitV')} to at most ${g(Math.min(plus, -minus))} V or choose wider supplies`,
  badTolerance: (value: number) => (n: Namer) =>
    `${n('latencyToleranceV')} ${value} V must be a positive voltage (the settling band around each output's DC value), e.g. 0.01`,
  toleranceBeyondSignal: (value: number, signalV: number) => (n: Namer) =>
    `${n('latencyToleranceV')} ${g(value)} V is not below the signal limit ${g(signalV)} V; every output would count as settled at once`,
  badRate: (value: number) => (n: Namer) => `${n('rateHz')} ${value} must be a positive inference rate in Hz, e.g. 10e3`,
  rateTooFast: (rateHz: number, periodS: number, settledS: number, unsettled: number, samples: number) => (n: Namer) =>
    `${n('rateHz')} ${g(rateHz)} Hz leaves ${g(periodS * 1e6)} us per inference, but ${unsettled} of ${samples} samples had not settled by then (the slowest ${Number.isFinite(settledS) ? `after ${g(settledS * 1e6)} us` : 'not at all'}); lower the rate`,
  badTimeOption: (what: string, value: number) => `the transient's ${what} ${value} must be a positive finite number of seconds`,
  badErrorTolerance: (value: number) => `the transient's step error tolerance ${value} V must be a positive voltage`,
  notSettled: (maxTimeS: number, lane: number) =>
    `sample ${lane} did not settle within ${g(maxTimeS * 1e6)} us of simulated time; the network may oscillate or its slowest op-amp is far slower than expected: allow a longer maximum time`,
  stepCollapsed: (tS: number) =>
    `the transient's time step collapsed at t = ${g(tS * 1e6)} us (the step error could not be met); loosen the step error tolerance`,
  clocked: () =>
    'the behavioural transient handles feed-forward networks only; this network has a clock (a recurrent model), whose per-tick transient is not simulated yet',
  unsupportedBlock: (block: string) =>
    `the behavioural transient has no model of the ${block} block yet; it handles networks of summing neurons only`,
  noSamples: () => 'the transient needs at least one input sample',
  samplesNotPositive: (value: number) => (n: Namer) => `${n('samples')} ${value} must be a whole number of samples of at least 1`,
  patternLength: (k: number, got: number, want: number) => `pattern ${k} has ${got} values, the network has ${want} inputs`,
  periodPatterns: () => 'without an inference period the transient takes exactly one pattern per lane (after its initial pattern); give a period for a sequence',
  gateScheduleLength: (got: number, layers: number) => `the gating schedule has ${got} times, the network has ${layers} layers (one off-time per layer)`,
  badGateTime: (layer: string, value: number) => `the gating schedule's off-time ${value} s of layer ${layer} must be a time of at least 0 s after the switch (or Infinity: never gated)`,
  badGateMargin: (value: number) => (n: Namer) =>
    `${n('gateMarginRel')} ${value} must be a positive factor on the settling times (e.g. 1.25; below 1 gates layers before they have settled)`,
  macsUnknown: () => 'the energy per MAC needs the source model\'s multiply-accumulate count (a positive number)',
} as const;

/** The energy command's own messages (src/cli/energy.ts). */
export const ENERGY_CLI_MESSAGES = {
  presetRequired: (names: readonly string[]) =>
    `energy needs an op-amp model: pass --opamp-preset with one of ${names.join(', ')} (every figure rests on it)`,
  gatedOpamp: 'a gated op-amp draws no quiescent current and its output is held by a sample-and-hold at the layer boundary',
  rateWithoutEnergy: () => 'compile --rate-hz is the inference rate of the energy figures; add --energy <preset> (an op-amp preset) or drop --rate-hz',
  gateMarginWithoutGating: () => '--gate-margin sets the power-gating schedule; add --gating to gate the layers, or drop --gate-margin',
  header: 'every time and energy figure below rests on this op-amp model; the patent gives no op-amp currents',
  overCurrent: (count: number, limitA: number, peakA: number) =>
    `warning: ${count} op-amp${count === 1 ? '' : 's'} needed more than the preset's output current limit of ${limitA} A (peak ${peakA.toPrecision(3)} A); the transient does not model current limiting, so their figures are optimistic`,
} as const;
