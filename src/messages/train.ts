// Messages of training (src/train/, src/cli/train.ts): the training options, the data sets, the hardware-aware modes
// (weight grids, noise, penalties, the mismatched chip). A message that names an option returns a function of the
// Namer, so the API says learningRate where the CLI says --lr.

import type { Namer } from '../errors.js';
import { sig4 } from './format.js';

const g = sig4;

export const TRAIN_MESSAGES = {
  noLabels: (what: string) => (n: Namer) =>
    `the ${what} set has no labels; training needs a class label per sample (JSON "labels", or a CSV label column named by ${n('labelColumn')})`,
  labelOutOfRange: (what: string, k: number, label: number, outputs: number) =>
    `${what} label ${k} is class ${label}, but the model has ${outputs} output${outputs === 1 ? '' : 's'} (classes 0..${Math.max(outputs - 1, 1)}); give labels the model's output can score`,
  emptySet: (what: string) => `the ${what} set has no samples; give at least one labelled sample`,
  badLearningRate: (v: number) => (n: Namer) => `${n('learningRate')} ${g(v)} must be a positive finite number, e.g. 0.001`,
  badMomentum: (v: number) => (n: Namer) => `${n('momentum')} ${g(v)} must be in [0, 1), e.g. 0.9`,
  badCount: (option: string, v: number) => (n: Namer) => `${n(option)} ${v} must be a whole number of at least 1`,
  badEpochs: (v: number) => (n: Namer) => `${n('epochs')} ${v} must be a whole number of at least 0`,
  badNonNegative: (option: string, v: number) => (n: Namer) => `${n(option)} ${g(v)} must be a finite number >= 0`,
  badRelative: (option: string, v: number) => (n: Namer) => `${n(option)} ${g(v)} must be a relative value in [0, 0.5), e.g. 0.01 for 1%`,
  unknownLoss: (v: string) => (n: Namer) => `unknown loss '${v}'; give ${n('loss')} mse or cross-entropy`,
  unknownOptimizer: (v: string) => (n: Namer) => `unknown optimizer '${v}'; give ${n('optimizer')} adam or sgd`,
  unknownGrid: (v: string, names: readonly string[]) => (n: Namer) =>
    `unknown weight grid '${v}'; give ${n('grid')} one of ${names.join(', ')}`,
  crossEntropyOneOutput: () => (n: Namer) => `cross-entropy needs at least 2 outputs (a class score each); the model has 1: use ${n('loss')} mse`,
  gridNotRealizable: (grid: string, value: number, set: string) => (n: Namer) =>
    `the ${grid} grid's weight ${g(value)} cannot be realized by any pair of ${set} with any feedback resistor of the set; choose ${n('resistors')} that realize it (the patent's two-nominal grid needs 1 and 4 ohm ratios) or ${n('grid')} resistors`,
  gridNeedsFixedSet: (spec: string) => (n: Namer) =>
    `the weight grid needs a fixed resistor set, not '${spec}' (the optimal-set search depends on the weights being trained); give ${n('resistors')} an E-series or a file of values`,
  gridFeedbackValue: (rule: string) => (n: Namer) =>
    `training on the resistor grid needs one R_f value, not the rule '${rule}': give ${n('rFeedbackOhm')} a value of the set, e.g. 1M (default: the patent's rule on the starting weights)`,
  feedbackNotInSet: (rf: number, set: string) => (n: Namer) =>
    `${n('rFeedbackOhm')} ${g(rf)} ohm is not a value of ${set}; realization takes R_f from the set, so training on its grid needs one of the set's values`,
  noOutput: () => (n: Namer) => `training writes a new model: give ${n('output')} the ONNX file to write`,
  synapseWithModel: (model: string) => (n: Namer) => `${n('synapse')} trains a network of the circuit's own synapses, not a model: drop the model argument '${model}'`,
  synapseWithCrossbar: () => (n: Namer) => `${n('synapse')} and ${n('target')} crossbar are two different circuits to train: give one of them`,
  reportNotForCrossbar: () => (n: Namer) => `${n('report')} is not written for ${n('target')} crossbar (its run is in the JSON it writes); drop ${n('report')}`,
  noModel: () => (n: Namer) => `train needs a model file to fine-tune (.onnx, .keras, .h5, model.json), or ${n('synapse')} lut:FILE to train a non-linear synapse network, or ${n('target')} crossbar to train a layer on a memristor crossbar`,
  noData: () => (n: Namer) => `training needs labelled samples: give ${n('data')} a JSON or CSV sample file with labels`,
  sdkNoThreshold: () => (n: Namer) => `the SDK loop needs a goal: give ${n('minAccuracy')} (0..1) or ${n('maxErrorV')} (volts)`,
  sdkBadAccuracy: (v: number) => (n: Namer) => `${n('minAccuracy')} ${g(v)} must be an accuracy between 0 and 1`,
  sdkBadError: (v: number) => (n: Namer) => `${n('maxErrorV')} ${g(v)} must be a positive voltage`,
  noTest: () => (n: Namer) => `the SDK loop measures the circuit on held-out samples: give ${n('test')} a labelled sample file`,
  badChip: (what: string) => `the simulated chip's ${what}`,
  badSigmaFormula: (v: string) => (n: Namer) => `unknown mismatch sigma formula '${v}'; give ${n('sigmaFormula')} wl (Pelgrom, A_VT/sqrt(W L)) or w/l (Binas as printed)`,
  chipTooSmall: (layer: number, need: number, have: number) =>
    `layer ${layer} of the network needs ${need} neurons but the chip's layer has ${have}; use a chip at least as large as the network`,
  notChipNetwork: (why: string) => `mismatch-aware training needs a chain of dense layers with ReLU (Binas's f_i(r) = max(0, a_i r)): ${why}`,
} as const;
