// Messages of training on non-linear synapse curves (src/synapse/train.ts, the weights file, `ohmnet train --synapse`;
// issue 16). A message that names an option returns a function of the Namer (the API says learningRate where the CLI
// says --lr).

import type { Namer } from '../errors.js';
import { sig4 } from './format.js';

const g = sig4;
const range = (levels: readonly number[]) => `${Math.min(...levels)}..${Math.max(...levels)}`;

export const SYNAPSE_TRAIN_MESSAGES = {
  emptySet: (what: string) => `the ${what} set has no samples; give at least one labelled sample`,
  sampleWidth: (what: string, k: number, got: number, want: number) =>
    `${what} sample ${k} has ${got} features, but the network has ${want} inputs; give every sample the same ${want} features`,
  labelRange: (what: string, k: number, y: number, outputs: number) =>
    `${what} label ${k} is ${g(y)}, but the network has ${outputs} outputs (classes 0..${outputs - 1}); give integer class labels the network can score`,
  badCount: (option: string, v: number, min: number) => (n: Namer) => `${n(option)} ${g(v)} must be a whole number of at least ${min}`,
  badPositive: (option: string, v: number) => (n: Namer) => `${n(option)} ${g(v)} must be a positive finite number`,
  badMomentum: (v: number) => (n: Namer) => `${n('momentum')} ${g(v)} must be in [0, 1), e.g. 0.9`,
  badGradient: (v: string) => (n: Namer) => `unknown gradient '${v}'; give ${n('gradient')} exact (through the v = H(z) loop) or eq6 (the seed's Eq. 6 as printed)`,
  weightsShape: (what: string, want: number, got: number) =>
    `the ${what} weights have ${got} layers, but their sizes give ${want}; write one weight array per layer`,
  weightsLayerShape: (what: string, l: number, want: number, got: number) =>
    `layer ${l} of the ${what} weights has ${got} weights, but its sizes need ${want} (outputs x (inputs + 1 bias)); write the layer in full`,
  weightOffLevel: (what: string, l: number, k: number, w: number, levels: readonly number[]) =>
    `weight ${k} of layer ${l} of the ${what} weights is ${g(w)}, not a level of the weight generator (integers ${range(levels)}); give levels the circuit can produce`,
  startingInputs: (got: number, want: number) =>
    `the starting weights take ${got} inputs, but the samples have ${want} features; start from weights trained on the same features`,
  badSynapseSpec: (spec: string) => (n: Namer) => `unknown synapse '${spec}'; give ${n('synapse')} lut:FILE, a look-up table written by ohmnet characterize`,
  modelOnlyOption: (option: string) => (n: Namer) => `${n(option)} applies to training a model, not to ${n('synapse')}; drop it (the synapse training has its own options: docs/cli.md)`,
  noWeightsOutput: () => (n: Namer) => `training on synapse curves writes the weight levels: give ${n('output')} the JSON file to write`,
  monteCarloNeedsTest: () => (n: Namer) => `${n('monteCarlo')} measures the test accuracy under mismatch: give ${n('test')} labelled test samples`,
  samplesNotJson: (path: string) => `${path} is not a JSON sample file with "inputs"; training on synapse curves reads JSON {"inputs": [[...]], "labels": [...]} with features in [0, 1]`,
  badWeightsFile: (path: string, why: string) => `${path} is not an ohmnet synapse weights file (${why}); give a file written by training with a synapse look-up table`,
};
