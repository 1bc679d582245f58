// Keras importer: a Keras 3 `.keras` file (a zip of config.json, model.weights.h5 and metadata.json; also written by
// tf.keras 2.13+) or a Keras 2 full-model `.h5` (root attributes model_config, keras_version, backend; weights under
// model_weights/<layer>/...), Sequential or Functional -> source-graph IR (keras-layers.ts does the layers).
// Format quirks kept here:
// - Keras 3 names weight groups by class, not by layer: layers/<snake_case class>[_<k>]/vars/<i> with a counter per
//   class name in layer order (layers/dense, layers/dense_1, ...); a recurrent layer's variables sit in its cell
//   (layers/lstm/cell/vars/<i>). Variables are in creation order (kernel, recurrent_kernel, bias; gamma, beta,
//   moving_mean, moving_variance).
// - Keras 2 groups weights by layer name, each dataset named <var>:0 somewhere under model_weights/<layer>/
//   (model_weights/dense/dense/kernel:0, model_weights/lstm/lstm/lstm_cell/kernel:0).
// - The input shape is `batch_shape` (Keras 3) or `batch_input_shape` (Keras 2).
// - hard_sigmoid is clip(0.2 x + 0.5) up to Keras 2 and clip(x / 6 + 0.5) from Keras 3 (the writer's version says).
// - Sharded Keras 3 weights (model.weights.json + shards) and weights-only files are refused.
// The HDF5 reader is jsfive (pure JS); the zip reader fflate.

import { unzipSync } from 'fflate';
import * as hdf5 from 'jsfive';
import { inputError, isOhmnetError } from '../errors.js';
import type { Graph } from '../ir/ops.js';
import { M } from '../messages/index.js';
import { KERAS_MESSAGES as KM, shown } from '../messages/keras.js';
import { readRegularFile } from '../util/read-file.js';
import { KerasConverter, majorVersion, parseModelConfig, snakeCase, type KerasLayer, type KerasWeight, type WeightReader } from './keras-layers.js';
import { checkOptions, DEFAULT_MAX_TENSOR_ELEMENTS, type ImportOptions } from './onnx.js';

/** Largest Keras file read (and largest zip entry expanded). */
const MAX_KERAS_BYTES = 2 ** 31 - 1;
const HDF5_MAGIC = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

const startsWith = (b: Uint8Array, magic: number[]) => b.length >= magic.length && magic.every((v, i) => b[i] === v);
export const isHdf5 = (b: Uint8Array) => startsWith(b, HDF5_MAGIC);
export const isZip = (b: Uint8Array) => startsWith(b, ZIP_MAGIC);

export function importKerasFile(path: string, options: ImportOptions = {}): Graph {
  const bytes = readRegularFile(path, { maxBytes: MAX_KERAS_BYTES, what: 'a Keras model', hint: 'is it the right file?' });
  return importKeras(bytes, path, options);
}

/** Imports a Keras `.keras` (zip) or `.h5` (HDF5) model from its bytes; `label` names it in messages. */
export function importKeras(bytes: Uint8Array, label = 'model', options: ImportOptions = {}): Graph {
  if (!(bytes instanceof Uint8Array)) throw inputError(M.badImportArgument('importKeras needs the model bytes as a Uint8Array (or Buffer)', typeof bytes));
  const opts = checkOptions(options);
  if (bytes.length === 0) throw inputError(M.emptyFile(label));
  if (isZip(bytes)) return importKeras3(bytes, label, opts);
  if (isHdf5(bytes)) return importKerasH5(bytes, label, opts);
  throw inputError(KM.notKeras(label, 'neither a zip (.keras) nor an HDF5 file (.h5)'));
}

/**
 * Runs an HDF5 access; jsfive's failures (it throws strings and plain errors) become one-line input errors. jsfive
 * also writes warnings about what it cannot decode to the console (with bytes of the file in them): silenced for the
 * call, so a damaged file gives ohmnet's one line and nothing else.
 */
function h5<T>(label: string, what: string, f: () => T): T {
  const { warn, log } = console;
  console.warn = () => undefined;
  console.log = () => undefined;
  try {
    return f();
  } catch (e) {
    if (isOhmnetError(e)) throw e;
    const why = e instanceof Error ? e.message : String(e);
    throw inputError(KM.notKeras(label, `HDF5 ${what}: ${why.replace(/[^\x20-\x7e]+/g, ' ').slice(0, 100)}`));
  } finally {
    console.warn = warn;
    console.log = log;
  }
}

function openH5(bytes: Uint8Array, label: string): hdf5.File {
  const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return h5(label, 'file', () => new hdf5.File(buf, label));
}

const isGroup = (v: unknown): v is hdf5.Group => v instanceof hdf5.Group;
const isDataset = (v: unknown): v is hdf5.Dataset => v instanceof hdf5.Dataset;

/** A child of a group, or null if absent. */
function child(label: string, g: hdf5.Group, name: string): hdf5.Group | hdf5.Dataset | null {
  const keys = h5(label, 'group', () => g.keys);
  if (!keys.includes(name)) return null;
  return h5(label, `object '${name.slice(0, 60)}'`, () => g.get(name));
}

/** A string attribute (fixed-length strings come NUL-padded). */
function strAttr(label: string, obj: hdf5.Group, name: string): string | null {
  const v = h5(label, 'attributes', () => obj.attrs)[name];
  if (v === undefined || v === null) return null;
  const s = Array.isArray(v) ? v[0] : v;
  if (typeof s === 'string') return s.replace(/\0+$/, '');
  if (s instanceof Uint8Array) return Buffer.from(s).toString('utf8').replace(/\0+$/, '');
  return null;
}

/** A float dataset as a weight (float32 widens exactly; float64 as is). */
function readDataset(label: string, layer: KerasLayer, name: string, d: hdf5.Dataset): KerasWeight {
  const dtype = h5(label, `dataset '${name}'`, () => d.dtype);
  if (typeof dtype !== 'string' || !/^[<>]f[48]$/.test(dtype)) throw inputError(KM.weightDtype(layer.name, name, typeof dtype === 'string' ? dtype : shown(dtype)));
  const shape = h5(label, `dataset '${name}'`, () => d.shape);
  if (!Array.isArray(shape) || shape.some((s) => !Number.isSafeInteger(s) || s < 0)) throw inputError(KM.notKeras(label, `dataset '${name}' has no valid shape`));
  const size = shape.reduce((a, b) => a * b, 1);
  if (size > DEFAULT_MAX_TENSOR_ELEMENTS) throw inputError(M.tensorTooLarge(`weight '${layer.name}/${name}'`, shape, DEFAULT_MAX_TENSOR_ELEMENTS));
  const value = h5(label, `dataset '${name}'`, () => d.value) as unknown;
  if (value === null || typeof value !== 'object' || typeof (value as ArrayLike<number>).length !== 'number') throw inputError(KM.notKeras(label, `dataset '${name}' of layer '${layer.name}' has no readable data`));
  const data = Float64Array.from(value as ArrayLike<number>);
  if (data.length !== size) throw inputError(M.tensorDataMismatch(`${layer.name}/${name}`, shape, data.length));
  return { shape: [...shape], data };
}

/** Keras 3: layers/<snake class>[_k]/vars/<i> (recurrent layers: .../cell/vars/<i>), by index in variable order. */
function keras3Weights(label: string, file: hdf5.File, layers: KerasLayer[]): WeightReader {
  const paths = new Map<string, string>();
  const counts = new Map<string, number>();
  for (const l of layers) {
    const base = snakeCase(l.className);
    const k = counts.get(base) ?? 0;
    counts.set(base, k + 1);
    paths.set(l.name, k === 0 ? base : `${base}_${k}`);
  }
  const root = child(label, file, 'layers');
  return (layer, vars) => {
    const p = paths.get(layer.name)!;
    const g = root && isGroup(root) ? child(label, root, p) : null;
    if (!g || !isGroup(g)) throw inputError(KM.missingWeights(layer.name, layer.className, `(group layers/${p})`));
    const cell = child(label, g, 'cell');
    const holder = cell && isGroup(cell) && (layer.className === 'LSTM' || layer.className === 'GRU' || layer.className === 'SimpleRNN') ? cell : g;
    const vg = child(label, holder, 'vars');
    const where = `layers/${p}${holder === g ? '' : '/cell'}/vars`;
    if (!vg || !isGroup(vg)) throw inputError(KM.missingWeights(layer.name, layer.className, `(group ${where})`));
    const keys = h5(label, 'group', () => vg.keys);
    if (keys.length !== vars.length) throw inputError(KM.badLayerConfig(layer.name, layer.className, `${where} holds ${keys.length} variables where the config needs ${vars.length} (${vars.join(', ')})`));
    return vars.map((v, i) => {
      const d = child(label, vg, String(i));
      if (!d || !isDataset(d)) throw inputError(KM.missingWeights(layer.name, layer.className, `(${v}: dataset ${where}/${i})`));
      return readDataset(label, layer, v, d);
    });
  };
}

/** Keras 2: datasets <var>:0 anywhere under model_weights/<layer name>/ (matched by their base name). */
function keras2Weights(label: string, root: hdf5.Group): WeightReader {
  return (layer, vars) => {
    const g = child(label, root, layer.name);
    if (!g || !isGroup(g)) throw inputError(KM.missingWeights(layer.name, layer.className, `(group model_weights/${layer.name})`));
    const found = new Map<string, { path: string; d: hdf5.Dataset }>();
    const walk = (grp: hdf5.Group, path: string, depth: number): void => {
      if (depth > 4) return;
      for (const k of h5(label, 'group', () => grp.keys)) {
        const o = child(label, grp, k);
        const p = `${path}/${k}`;
        if (isGroup(o)) walk(o, p, depth + 1);
        else if (isDataset(o)) {
          const base = k.replace(/:\d+$/, '');
          if (found.has(base)) throw inputError(KM.badLayerConfig(layer.name, layer.className, `two weights are named '${base}' (${found.get(base)!.path}, ${p})`));
          found.set(base, { path: p, d: o });
        }
      }
    };
    walk(g, `model_weights/${layer.name}`, 0);
    return vars.map((v) => {
      const f = found.get(v);
      if (!f) throw inputError(KM.missingWeights(layer.name, layer.className, `(${v}:0 under model_weights/${layer.name})`));
      return readDataset(label, layer, v, f.d);
    });
  };
}

function parseJson(label: string, text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw inputError(KM.notKeras(label, `${what} is not JSON: ${(e as Error).message.slice(0, 80)}`));
  }
}

/** Keras layers from the config, with custom (registered, non-keras module) classes renamed so they are refused by name. */
function layersOf(cfg: unknown): ReturnType<typeof parseModelConfig> {
  const parsed = parseModelConfig(cfg);
  const raw = (cfg as { config?: { layers?: unknown[] } | unknown[] }).config;
  const list = Array.isArray(raw) ? raw : raw?.layers ?? [];
  const custom = new Map<string, string>();
  for (const l of list) {
    const o = l as { module?: unknown; registered_name?: unknown; class_name?: unknown; config?: { name?: unknown } };
    if (typeof o.module === 'string' && !o.module.startsWith('keras') && typeof o.config?.name === 'string') {
      custom.set(o.config.name, typeof o.registered_name === 'string' ? o.registered_name : `${o.module}.${String(o.class_name)}`);
    }
  }
  if (custom.size === 0) return parsed;
  return { ...parsed, layers: parsed.layers.map((l) => (custom.has(l.name) ? { ...l, className: custom.get(l.name)! } : l)) };
}

const hardSigmoidOf = (major: number | null) => (major !== null && major >= 3 ? { alpha: 1 / 6, beta: 0.5 } : { alpha: 0.2, beta: 0.5 });

function importKeras3(bytes: Uint8Array, label: string, options: ImportOptions): Graph {
  let files: Record<string, Uint8Array>;
  const names: string[] = [];
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        names.push(f.name);
        const wanted = f.name === 'config.json' || f.name === 'metadata.json' || f.name === 'model.weights.h5';
        if (wanted && f.originalSize > MAX_KERAS_BYTES) throw inputError(KM.notKeras(label, `zip entry ${f.name} expands to ${f.originalSize} bytes`));
        return wanted;
      },
    });
  } catch (e) {
    if (isOhmnetError(e)) throw e;
    throw inputError(KM.notKeras(label, `the zip archive is unreadable (${String((e as Error).message ?? e).slice(0, 60)}): truncated or corrupt`));
  }
  if (!files['config.json']) throw inputError(KM.notKeras(label, `the zip has no config.json (entries: ${names.slice(0, 5).join(', ') || 'none'})`));
  const text = (n: string) => new TextDecoder('utf-8', { fatal: false }).decode(files[n]);
  const meta = files['metadata.json'] ? parseJson(label, text('metadata.json'), 'metadata.json') : null;
  const version = meta && typeof meta === 'object' && typeof (meta as { keras_version?: unknown }).keras_version === 'string' ? (meta as { keras_version: string }).keras_version : null;
  const cfg = parseJson(label, text('config.json'), 'config.json');
  const model = layersOf(cfg);
  let file: hdf5.File | null = null;
  if (files['model.weights.h5']) file = openH5(files['model.weights.h5'], label);
  else {
    const shards = names.filter((n) => /weights.*\.(h5|json)$/.test(n));
    if (shards.length > 0) throw inputError(KM.shardedKeras(label, shards.slice(0, 3).join(', ')));
  }
  const reader: WeightReader = file
    ? keras3Weights(label, file, model.layers)
    : (layer) => {
      throw inputError(KM.missingWeights(layer.name, layer.className, '(the zip has no model.weights.h5)'));
    };
  const origin = `keras ${version ? version.slice(0, 20) : '3'} (.keras), ${model.className}`;
  return convert(model, origin, hardSigmoidOf(version ? majorVersion(version) : 3), reader, options);
}

function importKerasH5(bytes: Uint8Array, label: string, options: ImportOptions): Graph {
  const file = openH5(bytes, label);
  const configText = strAttr(label, file, 'model_config');
  if (configText === null) {
    const attrs = h5(label, 'attributes', () => file.attrs);
    if ('layer_names' in attrs || child(label, file, 'layers') !== null) throw inputError(KM.weightsOnlyH5(label));
    throw inputError(KM.notKeras(label, 'the HDF5 file has no model_config attribute'));
  }
  const version = strAttr(label, file, 'keras_version');
  const backend = strAttr(label, file, 'backend');
  const model = layersOf(parseJson(label, configText, 'the model_config attribute'));
  const weights = child(label, file, 'model_weights');
  const reader: WeightReader = weights && isGroup(weights)
    ? keras2Weights(label, weights)
    : (layer) => {
      throw inputError(KM.missingWeights(layer.name, layer.className, '(the file has no model_weights group)'));
    };
  const origin = `keras ${version ? version.slice(0, 20) : '2'} (.h5${backend ? `, backend ${backend.slice(0, 20)}` : ''}), ${model.className}`;
  return convert(model, origin, hardSigmoidOf(version ? majorVersion(version) : 2), reader, options);
}

function convert(model: ReturnType<typeof parseModelConfig>, origin: string, hardSigmoid: { alpha: number; beta: number }, weights: WeightReader, options: ImportOptions): Graph {
  const max = options.maxTensorElements ?? DEFAULT_MAX_TENSOR_ELEMENTS;
  return new KerasConverter({ layers: model.layers, inputs: model.inputs, outputs: model.outputs, modelName: model.name, origin, hardSigmoid, tfjsDefaults: false, weights }, options, max).run();
}
