// Messages of the memristor device models and the on-line crossbar training (src/crossbar/devices.ts, online.ts).
// A message that names an option returns a function of the Namer, so the API says writeWindowS where the CLI says
// --write-window-s.

import type { Namer } from '../errors.js';

/** Four significant digits without trailing zeros (5000 stays 5000, 8e-5 prints 0.00008). */
const g = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v));

export const MEMRISTOR_MESSAGES = {
  notFinite: (model: string, field: string, v: number) =>
    `memristor model '${model}': ${field} is ${typeof v === 'number' ? g(v) : v === undefined ? 'missing' : JSON.stringify(v)}, not a finite number; give every model parameter a finite value`,
  badModelFile: (path: string, why: string) => `cannot read the memristor model file ${path}: ${why}; give a JSON record of one of the presets' shapes (docs/crossbar.md)`,
  noFeatures: (what: string) => `the ${what} samples have no features; a crossbar needs at least one input row`,
  notPositive: (model: string, field: string, v: number) =>
    `memristor model '${model}': ${field} ${g(v)} must be > 0; give a positive value`,
  invertedRange: (model: string, rOn: number, rOff: number) =>
    `memristor model '${model}': the conductance range is inverted (R_on ${g(rOn)} ohm >= R_off ${g(rOff)} ohm); give rOnOhm below rOffOhm`,
  badState: (model: string, field: string, v: number) =>
    `memristor model '${model}': ${field} ${g(v)} must be a state in [0, 1]`,
  wrongSign: (model: string, field: string, v: number, want: string) =>
    `memristor model '${model}': ${field} ${g(v)} must be ${want}`,
  readAboveThreshold: (model: string, readV: number, thresholdV: number) =>
    `memristor model '${model}': the read amplitude ${g(readV)} V is not below the switching threshold ${g(thresholdV)} V, so a read would change the state; give readV below ${g(thresholdV)} V`,
  writeBelowThreshold: (model: string, field: string, v: number, thresholdV: number) =>
    `memristor model '${model}': ${field} ${g(v)} V does not pass the switching threshold ${g(thresholdV)} V, so a write would not move the state; give a write amplitude beyond the threshold`,
  unknownModel: (v: string, names: readonly string[]) => (n: Namer) =>
    `unknown memristor model '${v}'; give ${n('deviceModel')} one of ${names.join(', ')}, or a JSON file of a model record`,
  badVariation: (field: string, v: number) => (n: Namer) =>
    `${n(field)} ${g(v)} must be a finite number in [0, 0.5)`,
  badDisturb: (v: number) => (n: Namer) => `${n('readDisturbPerRead')} ${g(v)} must be a finite number in [0, 0.01]`,
  pulseTooLong: (pulseS: number, windowS: number) => (n: Namer) =>
    `a write pulse of ${g(pulseS)} s is longer than the write window T_write ${g(windowS)} s; shorten the pulse or lengthen ${n('writeWindowS')}`,
  badDuration: (what: string, v: number) => (n: Namer) => `${n(what)} ${g(v)} must be a positive finite duration in seconds`,
  slotTooShort: (readS: number, writeS: number, slotS: number) => (n: Namer) =>
    `the read (${g(readS)} s) and write (${g(writeS)} s) windows do not fit the pulse slot of ${g(slotS)} s; make ${n('readWindowS')} + ${n('writeWindowS')} at most ${n('slotS')}`,
  badCount: (option: string, v: number) => (n: Namer) => `${n(option)} ${v} must be a whole number of at least 1`,
  badHidden: (v: number, max: number) => (n: Namer) => `${n('hidden')} ${v} must be a whole number in 0..${max} (0: a single layer)`,
  labelCount: (what: string, labels: number, samples: number) => `the ${what} set has ${labels} labels for ${samples} samples; give one label per sample`,
  badPositive: (option: string, v: number) => (n: Namer) => `${n(option)} ${g(v)} must be a positive finite number`,
  badFraction: (option: string, v: number) => (n: Namer) => `${n(option)} ${g(v)} must be in [0, 1)`,
  badFactor: (option: string, v: number, want: string) => (n: Namer) => `${n(option)} ${g(v)} must be ${want}`,
  notModel: (what: string) =>
    `${what} is not a memristor model; give one of the presets (linear-ion-drift, vteam, yakopcic) or a record of the same shape`,
  notData: (what: string) => `the ${what} set must be { inputs: number[][], labels: number[] }; give labelled samples`,
  notOptions: () => `the on-line training options must be an object with a deviceModel; give { deviceModel: VTEAM_MEMTORCH, ... }`,
  modelWithCrossbar: (model: string) => (n: Namer) =>
    `${n('target')} crossbar trains a new layer on the crossbar and takes no model, but '${model}' was given; drop the model argument or train it with ${n('target')} onnx`,
  noCrossbarOutput: () => (n: Namer) => `crossbar training writes the trained conductances: give ${n('output')} the JSON file to write`,
  featureOutOfRange: (what: string, k: number, v: number) =>
    `${what} sample ${k} has the feature ${g(v)}, outside [0, 1], the row drivers' range (beyond it a read would exceed the read amplitude); scale the features to [0, 1]`,
  emptyData: (what: string) => `the ${what} set has no samples; give at least one labelled sample`,
  ragged: (what: string, k: number, got: number, want: number) =>
    `${what} sample ${k} has ${got} features, the others ${want}; give every sample the same features`,
  badLabel: (what: string, k: number, label: number, classes: number) =>
    `${what} label ${k} is ${label}, not a class in 0..${classes - 1}; give whole-number class labels`,
  badFeature: (what: string, k: number) => `${what} sample ${k} has a feature that is not a finite number; give finite features`,
} as const;
