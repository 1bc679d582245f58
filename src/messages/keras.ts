// Messages of the Keras (.keras, .h5) and TF.js (model.json) importers: what is wrong with the file and what to do.

import type { Namer } from '../errors.js';
import { formatShape, type Shape } from './format.js';

/** A value from a file shown in a message: JSON, cut to one short line. */
export function shown(v: unknown, max = 60): string {
  let t: string;
  try {
    t = JSON.stringify(v) ?? String(v);
  } catch {
    t = String(v);
  }
  t = t.replace(/[^\x20-\x7e]/g, '?');
  return t.length > max ? `${t.slice(0, max)}...` : t;
}

export const KERAS_MESSAGES = {
  notKeras: (path: string, why: string) =>
    `'${path}' is not a readable Keras model (${why}); save it with model.save('model.keras') (Keras 3) or model.save('model.h5') (Keras 2) and try again`,
  notTfjs: (path: string, why: string) =>
    `'${path}' is not a readable TF.js layers model (${why}); save it with model.save('file://dir') (tfjs-node) or tensorflowjs_converter --output_format tfjs_layers_model`,
  weightsOnlyH5: (path: string) =>
    `'${path}' holds only weights (a Keras save_weights file, no model_config); save the whole model with model.save('model.h5') or model.save('model.keras')`,
  shardedKeras: (path: string, entries: string) =>
    `'${path}' stores its weights in shards (${entries}), which ohmnet does not read; save the model unsharded (model.save('model.keras') without max_shard_size)`,
  tfjsGraphModel: (path: string, format: string) =>
    `'${path}' is a TF.js ${format} (a frozen TensorFlow graph), not a layers model; convert the Keras model with tensorflowjs_converter --output_format tfjs_layers_model, or export it to ONNX with tf2onnx`,
  missingWeights: (layer: string, cls: string, where: string) =>
    `Keras layer '${layer}' (${cls}): its weights ${where} are missing from the file; the file is incomplete or was saved by a different model`,
  badWeight: (layer: string, cls: string, name: string, want: string, got: Shape) =>
    `Keras layer '${layer}' (${cls}): weight '${name}' has shape ${formatShape(got)}, expected ${want}; the weights do not fit the layer's config`,
  weightDtype: (layer: string, name: string, dtype: string) =>
    `Keras layer '${layer}': weight '${name}' is stored as ${dtype.slice(0, 20)}, which ohmnet does not read; save the model in float32`,
  customLayer: (layer: string, cls: string, supported: readonly string[]) =>
    `Keras layer '${layer}' has class ${cls.slice(0, 60)}, a custom or unknown layer ohmnet cannot import; rewrite it with built-in layers (supported: ${supported.join(', ')})`,
  unsupportedLayer: (layer: string, cls: string, why: string) =>
    `Keras layer '${layer}' (${cls}) is not supported: ${why}`,
  layerOption: (layer: string, cls: string, what: string, fix: string) =>
    `Keras layer '${layer}' (${cls}): ${what} is not supported; ${fix}`,
  badLayerConfig: (layer: string, cls: string, what: string) => `Keras layer '${layer}' (${cls}): ${what}; the model config is malformed`,
  badModelConfig: (what: string) => `the Keras model config ${what}; the file is malformed`,
  unsupportedActivation: (layer: string, fn: string) =>
    `Keras layer '${layer}': the activation ${fn.slice(0, 40)} is not supported; use relu, relu6, leaky_relu, sigmoid, hard_sigmoid, tanh, linear or softmax`,
  recurrentActivation: (layer: string, cls: string, key: string, fn: string) =>
    `Keras layer '${layer}' (${cls}): ${key} '${fn.slice(0, 30)}' is not supported in a recurrent cell (the recurrent lowering has sigmoid, hard_sigmoid, tanh and relu); train it with one of those`,
  inputs: (n: number, names: string[]) =>
    `the Keras model has ${n} inputs (${names.slice(0, 8).join(', ')}); ohmnet needs exactly one`,
  outputs: (n: number, names: string[]) =>
    `the Keras model has ${n} outputs (${names.slice(0, 8).join(', ')}); ohmnet needs exactly one: build a model with one output for compilation`,
  noInputShape: (layer: string) => (o: Namer) =>
    `the Keras model declares no input shape (no InputLayer or batch_input_shape on '${layer}'); build it with an explicit Input(shape=...) or pass ${o('inputShape')}`,
  dynamicInput: (layer: string, declared: string) => (o: Namer) =>
    `Keras input '${layer}' ${declared} has dimensions of unknown size; pass the per-sample shape with ${o('inputShape')}`,
  inputShapeMismatch: (layer: string, declared: string, given: Shape) => (o: Namer) =>
    `${o('inputShape')} ${formatShape(given)} does not fit Keras input '${layer}' declared as ${declared}`,
  layerInputs: (layer: string, cls: string, want: string, got: number) =>
    `Keras layer '${layer}' (${cls}) takes ${want}, got ${got}; the model config is malformed`,
  unknownInbound: (layer: string, ref: string) =>
    `Keras layer '${layer}' reads '${ref.slice(0, 60)}', which no layer of the model produces; the model config is malformed`,
  identityModel: () => 'the Keras model computes nothing (its output is its input, e.g. only Dropout layers); there is nothing to compile',
  cycle: (layers: string[]) => `the Keras layers ${layers.slice(0, 5).join(', ')} depend on each other in a cycle; the model config is malformed`,
  badShard: (path: string, what: string) => `TF.js weight file '${path}' ${what}; copy the model's files together as saved`,
  missingTfjsWeight: (layer: string, cls: string, name: string) =>
    `Keras layer '${layer}' (${cls}): the weight '${name}' is not in the model.json weightsManifest; the model files do not belong together`,
  tfjsQuantized: (name: string, dtype: string) =>
    `TF.js weight '${name}' is quantized (${dtype.slice(0, 20)}), which ohmnet does not read; convert the model without --quantize_*`,
} as const;
