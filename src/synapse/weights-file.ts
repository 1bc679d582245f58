/**
 * The trained weight levels of a non-linear synapse network as a file (`ohmnet train --synapse ... -o FILE`; issue 16).
 * JSON, `format` "ohmnet-synapse-weights", version 1:
 *   sizes        neurons per layer, inputs first, e.g. [4, 10, 10, 3]
 *   weightLevels the weight generator's levels the weights were trained on (integers, ascending)
 *   weights      one array per layer, weights[l][j * (sizes[l] + 1) + i]: neuron j's synapse from input i, i = sizes[l]
 *                the bias synapse (input current `encoding.biasA`)
 *   encoding     inputHighA (a feature of 1 is this input current), biasA, currentScaleA (logits = z / it)
 *   curves       what the weights were trained on (the LUT's file name and netlist hash), as given by the caller
 *   plus the caller's figures (accuracies, Monte Carlo, training settings): informative, not read back.
 * A file given as starting weights must have every weight on a level of the curves it is used with.
 */

import { inputError } from '../errors.js';
import { SYNAPSE_TRAIN_MESSAGES as SM } from '../messages/synapse-train.js';
import { readTextFile } from '../util/read-file.js';
import type { SynapseEncoding, SynapseNetwork } from './model.js';

export const WEIGHTS_FORMAT = 'ohmnet-synapse-weights';
export const WEIGHTS_VERSION = 1;

export interface SynapseWeightsFile {
  readonly network: SynapseNetwork;
  readonly weightLevels: readonly number[];
  readonly encoding: SynapseEncoding;
}

/** The file's text: the network, its levels and encoding first, then `extra` (figures), 2-space JSON. */
export function serializeWeights(net: SynapseNetwork, weightLevels: readonly number[], encoding: SynapseEncoding, extra: Record<string, unknown> = {}): string {
  const doc = {
    format: WEIGHTS_FORMAT,
    version: WEIGHTS_VERSION,
    sizes: net.sizes,
    weightLevels,
    encoding,
    ...extra,
    weights: net.weights.map((w) => [...w]),
  };
  return `${JSON.stringify(doc, null, 2).replace(/\[\n\s+(-?\d[\d.e+-]*(?:,\n\s+-?\d[\d.e+-]*)*)\n\s+\]/g, (_, body: string) => `[${body.replace(/,\n\s+/g, ', ')}]`)}\n`;
}

/** Parses a weights file; shape and format errors are one-line input errors naming the file. */
export function parseWeights(text: string, file: string): SynapseWeightsFile {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw inputError(SM.badWeightsFile(file, `not valid JSON: ${(e as Error).message}`));
  }
  const bad = (why: string) => inputError(SM.badWeightsFile(file, why));
  if (!doc || typeof doc !== 'object' || doc.format !== WEIGHTS_FORMAT) throw bad(`its "format" is not "${WEIGHTS_FORMAT}"`);
  if (doc.version !== WEIGHTS_VERSION) throw bad(`version ${String(doc.version)}, this ohmnet reads version ${WEIGHTS_VERSION}`);
  const ints = (v: unknown, min: number) => Array.isArray(v) && v.every((x) => Number.isInteger(x) && (x as number) >= min);
  if (!ints(doc.sizes, 1) || (doc.sizes as number[]).length < 2) throw bad('"sizes" must list at least 2 layer sizes, whole numbers >= 1');
  if (!ints(doc.weightLevels, -1e9) || (doc.weightLevels as number[]).length < 2) throw bad('"weightLevels" must list the integer levels');
  const sizes = doc.sizes as number[];
  const e = doc.encoding as Record<string, unknown> | undefined;
  const pos = (v: unknown) => typeof v === 'number' && v > 0 && Number.isFinite(v);
  if (!e || !pos(e.inputHighA) || !pos(e.biasA) || !pos(e.currentScaleA)) throw bad('"encoding" needs positive inputHighA, biasA and currentScaleA (amperes)');
  const w = doc.weights;
  if (!Array.isArray(w) || w.length !== sizes.length - 1) throw bad(`"weights" must hold ${sizes.length - 1} layer arrays`);
  const weights = w.map((layer, l) => {
    const want = sizes[l + 1]! * (sizes[l]! + 1);
    if (!Array.isArray(layer) || layer.length !== want || !layer.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw bad(`layer ${l} of "weights" must hold ${want} numbers (outputs x (inputs + 1 bias))`);
    }
    return Float64Array.from(layer as number[]);
  });
  return {
    network: { sizes, weights },
    weightLevels: doc.weightLevels as number[],
    encoding: { inputHighA: e.inputHighA as number, biasA: e.biasA as number, currentScaleA: e.currentScaleA as number },
  };
}

export function readWeightsFile(path: string): SynapseWeightsFile {
  return parseWeights(readTextFile(path, { maxBytes: 256 * 1024 * 1024, what: 'a synapse weights file', hint: 'give the file training wrote' }), path);
}
