// TF.js layers-model importer: model.json ({format: 'layers-model', modelTopology: a Keras-2-style config,
// weightsManifest: [{paths: [shard files], weights: [{name, shape, dtype}]}]}) plus its weight shards -> source-graph
// IR (keras-layers.ts does the layers). Format quirks kept here:
// - A manifest group's weights are the concatenation of its shard files, little-endian float32, in manifest order.
// - Weights are named <layer name>/<var> (d1/kernel, lstm1/recurrent_kernel).
// - modelTopology is the model config itself, or {model_config: ...} when tensorflowjs_converter wrote it.
// - TF.js hard_sigmoid is clip(0.2 x + 0.5); its LSTM/GRU default recurrent_activation is hard_sigmoid and its GRU is
//   reset_after = false (tfjs refuses reset_after = true), which apply where the config leaves the keys out.
// - tfjs-layers 4.22 writes no depth_multiplier for SeparableConv2D (its getConfig leaves it out): the depthwise
//   kernel's shape gives it (keras-layers.ts).
// - Graph models (format 'graph-model') and quantized weights are refused.

import { dirname, isAbsolute, join } from 'node:path';
import { inputError, isOhmnetError } from '../errors.js';
import type { Graph } from '../ir/ops.js';
import { M } from '../messages/index.js';
import { KERAS_MESSAGES as KM, shown } from '../messages/keras.js';
import { readRegularFile, readTextFile } from '../util/read-file.js';
import { KerasConverter, parseModelConfig, type KerasWeight, type WeightReader } from './keras-layers.js';
import { checkOptions, DEFAULT_MAX_TENSOR_ELEMENTS, type ImportOptions } from './onnx.js';

const MAX_JSON_BYTES = 256 * 2 ** 20;
const MAX_SHARD_BYTES = 2 ** 31 - 1;

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether parsed JSON looks like a TF.js model.json (a layers or graph model). */
export function isTfjsJson(v: unknown): boolean {
  return isObj(v) && (isObj(v.modelTopology) || typeof v.format === 'string') && (Array.isArray(v.weightsManifest) || isObj(v.modelTopology));
}

export function importTfjsFile(path: string, options: ImportOptions = {}): Graph {
  const text = readTextFile(path, { maxBytes: MAX_JSON_BYTES, what: 'a TF.js model.json', hint: 'model.json holds only the topology and the manifest: is it the right file?' });
  const dir = dirname(path);
  return importTfjs(text, (p) => readRegularFile(join(dir, p), { maxBytes: MAX_SHARD_BYTES, what: 'a TF.js weight shard', hint: 'is it the right file?' }), path, options);
}

/**
 * Imports a TF.js layers model from its model.json text; `readShard` reads a weight file named in the manifest
 * (a path relative to model.json). `label` names the model in messages.
 */
export function importTfjs(jsonText: string, readShard: (path: string) => Uint8Array, label = 'model.json', options0: ImportOptions = {}): Graph {
  const options = checkOptions(options0);
  let doc: unknown;
  try {
    doc = JSON.parse(jsonText);
  } catch (e) {
    throw inputError(KM.notTfjs(label, `not JSON: ${(e as Error).message.slice(0, 80)}`));
  }
  if (!isObj(doc)) throw inputError(KM.notTfjs(label, 'the JSON is not an object'));
  const format = doc.format;
  if (typeof format === 'string' && format !== 'layers-model') throw inputError(KM.tfjsGraphModel(label, format.slice(0, 30)));
  let topo = doc.modelTopology;
  if (!isObj(topo)) throw inputError(KM.notTfjs(label, 'it has no modelTopology'));
  const version = typeof topo.keras_version === 'string' ? topo.keras_version : typeof doc.generatedBy === 'string' ? doc.generatedBy : null;
  if (isObj(topo.model_config)) topo = topo.model_config;
  if (typeof (topo as Json).class_name !== 'string') throw inputError(KM.notTfjs(label, 'modelTopology has no class_name (a graph model?)'));
  const model = parseModelConfig(topo);
  const weights = readWeights(label, doc.weightsManifest, readShard);
  const reader: WeightReader = (layer, vars) =>
    vars.map((v) => {
      const w = weights.get(`${layer.name}/${v}`);
      if (!w) throw inputError(KM.missingTfjsWeight(layer.name, layer.className, `${layer.name}/${v}`));
      return w;
    });
  const origin = `${version ? version.slice(0, 30) : 'tfjs-layers'} (TF.js layers model), ${model.className}`;
  const max = options.maxTensorElements ?? DEFAULT_MAX_TENSOR_ELEMENTS;
  return new KerasConverter(
    { layers: model.layers, inputs: model.inputs, outputs: model.outputs, modelName: model.name, origin, hardSigmoid: { alpha: 0.2, beta: 0.5 }, tfjsDefaults: true, weights: reader },
    options,
    max,
  ).run();
}

/** Every weight of the manifest by name, read from the shard files (each group's shards concatenated). */
function readWeights(label: string, manifest: unknown, readShard: (path: string) => Uint8Array): Map<string, KerasWeight> {
  const out = new Map<string, KerasWeight>();
  if (manifest === undefined || manifest === null) return out;
  if (!Array.isArray(manifest)) throw inputError(KM.notTfjs(label, `weightsManifest is ${shown(manifest, 30)}, not a list`));
  for (const group of manifest) {
    if (!isObj(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) throw inputError(KM.notTfjs(label, 'a weightsManifest entry is not {paths, weights}'));
    const specs = group.weights.map((w) => {
      if (!isObj(w) || typeof w.name !== 'string' || !Array.isArray(w.shape) || w.shape.some((d) => !Number.isSafeInteger(d) || (d as number) < 0)) {
        throw inputError(KM.notTfjs(label, `the manifest entry ${shown(w, 40)} is not {name, shape, dtype}`));
      }
      if (w.quantization !== undefined) throw inputError(KM.tfjsQuantized(w.name, shown(w.quantization, 20)));
      const dtype = w.dtype ?? 'float32';
      if (dtype !== 'float32') throw inputError(KM.weightDtype(w.name.split('/')[0], w.name, String(dtype)));
      const shape = w.shape as number[];
      const size = shape.reduce((a, b) => a * b, 1);
      if (size > DEFAULT_MAX_TENSOR_ELEMENTS) throw inputError(M.tensorTooLarge(`weight '${w.name}'`, shape, DEFAULT_MAX_TENSOR_ELEMENTS));
      return { name: w.name, shape, size };
    });
    const need = specs.reduce((a, s) => a + 4 * s.size, 0);
    const parts: Uint8Array[] = [];
    let total = 0;
    for (const p of group.paths) {
      if (typeof p !== 'string' || p === '' || isAbsolute(p) || p.split(/[\\/]/).includes('..')) throw inputError(KM.badShard(String(p).slice(0, 60), 'is not a file name beside model.json'));
      let b: Uint8Array;
      try {
        b = readShard(p);
      } catch (e) {
        if (isOhmnetError(e)) throw e;
        throw inputError(KM.badShard(p, `cannot be read (${String((e as Error).message ?? e).slice(0, 60)})`));
      }
      parts.push(b);
      total += b.length;
      if (total > MAX_SHARD_BYTES) throw inputError(KM.badShard(p, 'makes the weights larger than 2 GiB'));
    }
    if (total !== need) throw inputError(KM.badShard(group.paths.join(', ').slice(0, 80), `holds ${total} bytes where the manifest's weights need ${need}`));
    const all = new Uint8Array(total);
    let at = 0;
    for (const b of parts) {
      all.set(b, at);
      at += b.length;
    }
    const view = new DataView(all.buffer, all.byteOffset, all.byteLength);
    let off = 0;
    for (const s of specs) {
      const data = new Float64Array(s.size);
      for (let i = 0; i < s.size; i++, off += 4) data[i] = view.getFloat32(off, true);
      out.set(s.name, { shape: s.shape, data });
    }
  }
  return out;
}
