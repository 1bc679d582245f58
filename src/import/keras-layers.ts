// The Keras layer graph -> source-graph IR, shared by the Keras (.keras, .h5) and TF.js (model.json) importers. The
// formats differ in how they store the config and the weights (keras.ts, tfjs.ts); the layers mean the same.
//
// Layout: Keras is channels-last ([H, W, C] per sample), the IR is channels-first ([C, H, W]) for convolutions,
// pooling, padding and batch normalization over channels. Every Keras tensor is tracked with its Keras per-sample
// shape and whether the IR tensor holding it is in Keras order or channels-first (the last Keras axis moved to the
// front). A layer that needs one order gets it through a transpose (a wiring permutation in the circuit, free), so a
// Flatten after a convolution flattens in Keras' order and Dense weights apply as trained. The graph input and
// output are in Keras order: sample files are what the Keras model takes and gives.
//
// Weights: Keras kernels are [in, out] (Dense), [k..., in, out] (Conv), [k..., in, multiplier] (DepthwiseConv);
// recurrent kernels are [in, gates * units] with Keras gate orders LSTM i, f, c, o and GRU z, r, h, reordered here to
// the IR's (ONNX) orders i, o, f, c and z, r, h. A GRU with reset_after is ONNX linear_before_reset = 1 with separate
// input and recurrent biases.

import { inputError } from '../errors.js';
import { M } from '../messages/index.js';
import { KERAS_MESSAGES as KM, shown } from '../messages/keras.js';
import { isDiagonalRecurrence, type ActivationFn, type Graph, type Node, type RecurrentActivation, type RecurrentCell } from '../ir/ops.js';
import { checkNodeOutput, MAX_RANK, nodeShape } from '../ir/shapes.js';
import { formatShape, sizeOf } from '../ir/tensor.js';
import { validateGraph } from '../ir/validate.js';
import type { ImportOptions } from './onnx.js';

/** A weight as read from the file (row-major, float64 copy). */
export interface KerasWeight {
  readonly shape: number[];
  readonly data: Float64Array;
}

/** One layer of the model config, as the importer reads it. */
export interface KerasLayer {
  readonly className: string;
  readonly name: string;
  readonly config: Record<string, unknown>;
  /** Each call of the layer: the tensors it reads, as [layer, node index, tensor index]. Sequential: filled in order. */
  readonly inbound: KerasRef[][];
}

export type KerasRef = readonly [string, number, number];

/**
 * Reads a layer's weights in the order the format stores them; `vars` are the Keras variable names in that order
 * (e.g. kernel, bias). Returns one weight per name, or throws a one-line error naming the layer.
 */
export type WeightReader = (layer: KerasLayer, vars: readonly string[]) => KerasWeight[];

export interface KerasModel {
  /** The parsed layers, the input and output references. */
  readonly layers: KerasLayer[];
  readonly inputs: KerasRef[];
  readonly outputs: KerasRef[];
  readonly modelName: string;
  readonly origin: string;
  /** hard_sigmoid's slope and offset: Keras 2 and TF.js clip(0.2 x + 0.5), Keras 3 clip(x / 6 + 0.5). */
  readonly hardSigmoid: { readonly alpha: number; readonly beta: number };
  /** TF.js defaults (recurrent_activation hard_sigmoid, GRU reset_after false) where the config leaves a key out. */
  readonly tfjsDefaults: boolean;
  readonly weights: WeightReader;
}

/** Layer classes the importer reads (the refusal of any other class lists them). */
export const SUPPORTED_KERAS_LAYERS = [
  'InputLayer', 'Dense', 'Conv1D', 'Conv2D', 'DepthwiseConv2D', 'SeparableConv1D', 'SeparableConv2D', 'BatchNormalization',
  'Activation', 'ReLU', 'LeakyReLU', 'ELU', 'Softmax', 'MaxPooling1D', 'MaxPooling2D', 'AveragePooling1D', 'AveragePooling2D',
  'GlobalAveragePooling1D', 'GlobalAveragePooling2D', 'GlobalMaxPooling1D', 'GlobalMaxPooling2D', 'ZeroPadding1D',
  'ZeroPadding2D', 'Flatten', 'Reshape', 'Permute', 'Concatenate', 'Add', 'Subtract', 'Multiply', 'Dropout',
  'SpatialDropout1D', 'SpatialDropout2D', 'GaussianNoise', 'GaussianDropout', 'SimpleRNN', 'LSTM', 'GRU',
] as const;

/** Aliases Keras accepts for a class name (the config normally carries the canonical one). */
const ALIASES: Record<string, string> = {
  MaxPool1D: 'MaxPooling1D', MaxPool2D: 'MaxPooling2D', AvgPool1D: 'AveragePooling1D', AvgPool2D: 'AveragePooling2D',
  GlobalAvgPool1D: 'GlobalAveragePooling1D', GlobalAvgPool2D: 'GlobalAveragePooling2D', GlobalMaxPool1D: 'GlobalMaxPooling1D',
  GlobalMaxPool2D: 'GlobalMaxPooling2D', Convolution1D: 'Conv1D', Convolution2D: 'Conv2D', SeparableConvolution2D: 'SeparableConv2D',
};

/** Known Keras classes ohmnet does not import, with the reason (told instead of "custom layer"). */
const KNOWN_UNSUPPORTED: Record<string, string> = {
  Bidirectional: 'bidirectional recurrences are not lowered yet; use a forward recurrent layer',
  TimeDistributed: 'wrap-per-time-step layers are not imported; apply the inner layer to the sequence directly (Dense acts on the last axis)',
  Lambda: 'a Lambda layer holds Python code, which a file cannot carry; rewrite it with built-in layers',
  LayerNormalization: 'it divides by the standard deviation of activations, which an analog summing network cannot compute exactly',
  Attention: 'attention multiplies activations by activations and normalizes them; not an analog feed-forward network',
  MultiHeadAttention: 'attention multiplies activations by activations and normalizes them; not an analog feed-forward network',
  Embedding: 'an embedding is a table lookup by integer index; feed one-hot vectors to a Dense layer instead',
  Conv2DTranspose: 'transposed convolutions are not lowered yet',
  Conv3D: '3-D convolutions are not lowered yet',
  UpSampling2D: 'upsampling is not lowered yet',
  Cropping2D: 'cropping is not lowered yet',
  Masking: 'masking gives per-sample sequence lengths; every sample of a file has the same length: remove the mask',
  ConvLSTM2D: 'convolutional recurrences are not lowered',
  PReLU: 'a learned per-channel slope is not imported yet; use LeakyReLU',
  Sequential: 'a nested model: build the model from its layers directly (one level)',
  Functional: 'a nested model: build the model from its layers directly (one level)',
  Model: 'a nested model: build the model from its layers directly (one level)',
};

interface KTensor {
  /** The IR tensor holding it. */
  readonly ir: string;
  /** Keras per-sample shape. */
  readonly shape: number[];
  /** Whether the IR tensor is channels-first (Keras' last axis moved to the front); always false below rank 2. */
  readonly cf: boolean;
}

const fromCf = (s: readonly number[]): number[] => (s.length < 2 ? [...s] : [...s.slice(1), s[0]]);

/** Snake-case of a Keras class name, as Keras 3 names weight groups (keras/src/utils/naming.py to_snake_case). */
export function snakeCase(name: string): string {
  return name.replace(/\W+/g, '').replace(/(.)([A-Z][a-z]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/** Typed access to one layer's config, every bad value a one-line error naming the layer. */
class Cfg {
  constructor(private readonly layer: KerasLayer) {}
  private bad(key: string, want: string): never {
    throw inputError(KM.badLayerConfig(this.layer.name, this.layer.className, `'${key}' must be ${want}, got ${shown(this.layer.config[key])}`));
  }
  has(key: string): boolean {
    return this.layer.config[key] !== undefined && this.layer.config[key] !== null;
  }
  raw(key: string): unknown {
    return this.layer.config[key];
  }
  num(key: string, dflt: number): number {
    const v = this.layer.config[key];
    if (v === undefined || v === null) return dflt;
    if (typeof v !== 'number' || !Number.isFinite(v)) this.bad(key, 'a finite number');
    return v;
  }
  nullableNum(key: string): number | null {
    const v = this.layer.config[key];
    if (v === undefined || v === null) return null;
    return this.num(key, 0);
  }
  int(key: string, dflt: number, min = 1): number {
    const v = this.num(key, dflt);
    if (!Number.isSafeInteger(v) || v < min) this.bad(key, `an integer >= ${min}`);
    return v;
  }
  bool(key: string, dflt: boolean): boolean {
    const v = this.layer.config[key];
    if (v === undefined || v === null) return dflt;
    if (typeof v !== 'boolean') this.bad(key, 'true or false');
    return v;
  }
  str(key: string, dflt: string): string {
    const v = this.layer.config[key];
    if (v === undefined || v === null) return dflt;
    if (typeof v !== 'string') this.bad(key, 'a string');
    return v;
  }
  /** An int or a tuple of `n` ints (Keras' normalize_tuple). */
  tuple(key: string, n: number, dflt: number | null, min = 1): number[] {
    const v = this.layer.config[key];
    if (v === undefined || v === null) {
      if (dflt === null) this.bad(key, `${n} positive integers`);
      return new Array<number>(n).fill(dflt);
    }
    const arr = typeof v === 'number' ? new Array<number>(n).fill(v) : v;
    if (!Array.isArray(arr) || arr.length !== n || arr.some((d) => typeof d !== 'number' || !Number.isSafeInteger(d) || d < min || d > 1 << 24)) {
      this.bad(key, `an integer or ${n} integers >= ${min}`);
    }
    return arr as number[];
  }
  ints(key: string): number[] {
    const v = this.layer.config[key];
    if (!Array.isArray(v) || v.length > MAX_RANK + 1 || v.some((d) => typeof d !== 'number' || !Number.isSafeInteger(d))) this.bad(key, 'a list of integers');
    return v as number[];
  }
}

/** The activation a config names: a string, or Keras 3's serialized {class_name: 'function', config: 'relu'}. */
function activationName(layer: KerasLayer, v: unknown): string {
  if (v === undefined || v === null) return 'linear';
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if (typeof o.config === 'string') return o.config;
    if (typeof o.class_name === 'string' && o.class_name !== 'function') return o.class_name;
  }
  throw inputError(KM.badLayerConfig(layer.name, layer.className, `the activation ${shown(v)} is not a name`));
}

/** Keras/TF.js activation names in one spelling (TF.js uses camelCase for some). */
const normalizeActivation = (s: string) => s.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();

export class KerasConverter {
  private readonly nodes: Node[] = [];
  private readonly shapes = new Map<string, number[]>();
  private readonly used = new Set<string>();
  /** Keras tensors by "layer:node:tensor". */
  private readonly tensors = new Map<string, KTensor>();
  /** Layout conversions already emitted, by IR tensor and target layout. */
  private readonly converted = new Map<string, KTensor>();
  private readonly maxElements: number;

  constructor(
    private readonly model: KerasModel,
    private readonly options: ImportOptions,
    maxElements: number,
  ) {
    this.maxElements = maxElements;
    for (const l of model.layers) this.used.add(l.name);
  }

  run(): Graph {
    const { layers, inputs, outputs } = this.model;
    if (inputs.length !== 1) throw inputError(KM.inputs(inputs.length, inputs.map((r) => r[0])));
    if (outputs.length !== 1) throw inputError(KM.outputs(outputs.length, outputs.map((r) => r[0])));
    const byName = new Map(layers.map((l) => [l.name, l]));
    const inputLayer = byName.get(inputs[0][0]);
    if (!inputLayer) throw inputError(KM.unknownInbound('(model input)', inputs[0][0]));
    const input = this.importInput(inputLayer);
    // Layers in dependency order: each call once all the tensors it reads exist (configs are usually in order already).
    const pending: [KerasLayer, number][] = [];
    for (const l of layers) if (l !== inputLayer) l.inbound.forEach((_, k) => pending.push([l, k]));
    for (const [l] of pending) {
      const cls = ALIASES[l.className] ?? l.className;
      if (!(SUPPORTED_KERAS_LAYERS as readonly string[]).includes(cls)) {
        if (KNOWN_UNSUPPORTED[cls]) throw inputError(KM.unsupportedLayer(l.name, cls, KNOWN_UNSUPPORTED[cls]));
        throw inputError(KM.customLayer(l.name, l.className, SUPPORTED_KERAS_LAYERS));
      }
      if (cls === 'InputLayer') throw inputError(KM.inputs(2, [inputLayer.name, l.name]));
    }
    let rest = pending;
    while (rest.length > 0) {
      const next: [KerasLayer, number][] = [];
      for (const [l, k] of rest) {
        const refs = l.inbound[k];
        if (refs.every((r) => this.tensors.has(key(r)))) this.importLayer(l, k, refs.map((r) => this.tensors.get(key(r))!));
        else next.push([l, k]);
      }
      if (next.length === rest.length) {
        const missing = next.flatMap(([l, k]) => l.inbound[k].filter((r) => !byName.has(r[0])).map((r) => [l.name, r[0]] as const));
        if (missing.length > 0) throw inputError(KM.unknownInbound(missing[0][0], missing[0][1]));
        throw inputError(KM.cycle(next.map(([l]) => l.name)));
      }
      rest = next;
    }
    const out = this.tensors.get(key(outputs[0]));
    if (!out) throw inputError(KM.unknownInbound('(model output)', outputs[0][0]));
    const final = this.layout(out, false, outputs[0][0]);
    if (final.ir === input.name) throw inputError(KM.identityModel());
    const graph: Graph = { name: this.model.modelName, input, output: final.ir, nodes: this.nodes, origin: this.model.origin };
    validateGraph(graph, { maxTensorElements: this.maxElements });
    return graph;
  }

  private importInput(l: KerasLayer): { name: string; shape: number[]; batchAxis: number } {
    const c = new Cfg(l);
    const raw = c.has('batch_shape') ? c.raw('batch_shape') : c.has('batch_input_shape') ? c.raw('batch_input_shape') : undefined;
    const given = this.options.inputShape;
    let shape: number[];
    if (raw === undefined) {
      if (!given) throw inputError(KM.noInputShape(l.name));
      shape = [...given];
    } else {
      if (!Array.isArray(raw) || raw.length < 2 || raw.length > MAX_RANK + 1 || raw.some((d, i) => i > 0 && d !== null && (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 1))) {
        throw inputError(KM.badLayerConfig(l.name, l.className, `the input shape ${shown(raw)} is not [batch, positive sizes or null...]`));
      }
      const dims = (raw as (number | null)[]).slice(1);
      const declared = `[${dims.map((d) => d ?? 'None').join(', ')}]`;
      if (given) {
        if (given.length !== dims.length || given.some((d, i) => dims[i] !== null && dims[i] !== d)) throw inputError(KM.inputShapeMismatch(l.name, declared, given));
        shape = [...given];
      } else {
        if (dims.some((d) => d === null)) throw inputError(KM.dynamicInput(l.name, declared));
        shape = dims as number[];
      }
    }
    if (sizeOf(shape) > this.maxElements) throw inputError(M.tensorTooLarge(`input '${l.name}'`, shape, this.maxElements));
    this.shapes.set(l.name, shape);
    this.tensors.set(key([l.name, 0, 0]), { ir: l.name, shape, cf: false });
    return { name: l.name, shape, batchAxis: 0 };
  }

  private fresh(base: string): string {
    let n = base;
    for (let k = 1; this.used.has(n); k++) n = `${base}_${k}`;
    this.used.add(n);
    return n;
  }

  /** Adds an IR node (its output tensor named like the node) and returns the IR output shape. */
  private emit(node: Node): number[] {
    const ins = node.inputs.map((n) => this.shapes.get(n)!);
    const shape = nodeShape(node, ins);
    checkNodeOutput(node, ins, shape, this.maxElements);
    this.shapes.set(node.output, shape);
    this.nodes.push(node);
    return shape;
  }

  /** The tensor in the wanted order (channels-first or Keras'), through a transpose if needed. */
  private layout(t: KTensor, cf: boolean, layer: string): KTensor {
    if (t.shape.length < 2 || t.cf === cf) return t;
    const k = `${t.ir}|${cf}`;
    const done = this.converted.get(k);
    if (done) return done;
    const r = t.shape.length;
    const perm = cf ? [r - 1, ...Array.from({ length: r - 1 }, (_, i) => i)] : [...Array.from({ length: r - 1 }, (_, i) => i + 1), 0];
    const name = this.fresh(`${layer}/${cf ? 'to_channels_first' : 'to_channels_last'}`);
    this.emit({ kind: 'transpose', name, output: name, inputs: [t.ir], sourceOp: 'Transpose (layout)', perm });
    const out = { ir: name, shape: t.shape, cf };
    this.converted.set(k, out);
    return out;
  }

  /** A node whose IR output is in layout `cf`; returns the Keras tensor. */
  private node(node: Node, cf: boolean): KTensor {
    const irShape = this.emit(node);
    const c = cf && irShape.length >= 2;
    return { ir: node.output, shape: c ? fromCf(irShape) : irShape, cf: c };
  }

  private importLayer(l: KerasLayer, call: number, xs: KTensor[]): void {
    const cls = ALIASES[l.className] ?? l.className;
    const name = call === 0 ? l.name : this.fresh(`${l.name}_call${call}`);
    const out = this.convert(l, cls, name, xs);
    // A layer's outputs are tensor 0 of node `call` (multi-output layers are refused where they are configured).
    this.tensors.set(key([l.name, call, 0]), out);
  }

  private one(l: KerasLayer, xs: KTensor[]): KTensor {
    if (xs.length !== 1) throw inputError(KM.layerInputs(l.name, l.className, 'one input', xs.length));
    return xs[0];
  }

  private weights(l: KerasLayer, vars: readonly string[]): KerasWeight[] {
    const w = this.model.weights(l, vars);
    w.forEach((t, i) => {
      const bad = t.data.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) throw inputError(M.nonFinite(`${l.name}/${vars[i]}`, bad, t.data[bad]));
    });
    return w;
  }

  private checkShape(l: KerasLayer, w: KerasWeight, what: string, want: readonly number[]): void {
    if (w.shape.length !== want.length || w.shape.some((d, i) => d !== want[i])) throw inputError(KM.badWeight(l.name, l.className, what, formatShape(want), w.shape));
  }

  private convert(l: KerasLayer, cls: string, name: string, xs: KTensor[]): KTensor {
    const c = new Cfg(l);
    const base = { name, output: name, sourceOp: cls };
    switch (cls) {
      case 'Dense': {
        const x = this.layout(this.one(l, xs), false, name);
        const units = c.int('units', 0);
        const useBias = c.bool('use_bias', true);
        const w = this.weights(l, useBias ? ['kernel', 'bias'] : ['kernel']);
        const inF = x.shape[x.shape.length - 1];
        this.checkShape(l, w[0], 'kernel', [inF, units]);
        if (useBias) this.checkShape(l, w[1], 'bias', [units]);
        const t = this.node({ ...base, kind: 'dense', inputs: [x.ir], weight: { shape: [units, inF], data: transpose2(w[0].data, inF, units) }, bias: useBias ? w[1].data : null }, false);
        return this.activation(l, name, c.raw('activation'), t);
      }
      case 'Conv1D':
      case 'Conv2D':
      case 'DepthwiseConv2D':
      case 'SeparableConv1D':
      case 'SeparableConv2D':
        return this.conv(l, cls, name, c, this.one(l, xs));
      case 'BatchNormalization':
        return this.batchNorm(l, name, c, this.one(l, xs));
      case 'Activation':
        return this.activation(l, name, c.raw('activation'), this.one(l, xs), true);
      case 'ReLU': {
        const x = this.one(l, xs);
        const max = c.nullableNum('max_value');
        const slope = c.num('negative_slope', 0);
        const threshold = c.num('threshold', 0);
        if (threshold !== 0) throw inputError(KM.layerOption(l.name, cls, `threshold ${threshold}`, 'use threshold 0'));
        if (slope !== 0 && max !== null) throw inputError(KM.layerOption(l.name, cls, 'negative_slope together with max_value', 'use one of them'));
        const fn: ActivationFn = max !== null ? { type: 'clip', min: 0, max } : slope !== 0 ? { type: 'leakyRelu', alpha: slope } : { type: 'relu' };
        if (max !== null && max < 0) throw inputError(KM.layerOption(l.name, cls, `max_value ${max}`, 'use a max_value >= 0'));
        return this.node({ ...base, kind: 'activation', inputs: [x.ir], fn }, x.cf);
      }
      case 'LeakyReLU': {
        const x = this.one(l, xs);
        const alpha = c.has('negative_slope') ? c.num('negative_slope', 0.3) : c.num('alpha', 0.3);
        return this.node({ ...base, kind: 'activation', inputs: [x.ir], fn: { type: 'leakyRelu', alpha } }, x.cf);
      }
      case 'ELU': {
        const x = this.one(l, xs);
        return this.node({ ...base, kind: 'activation', inputs: [x.ir], fn: { type: 'elu', alpha: c.num('alpha', 1) } }, x.cf);
      }
      case 'Softmax': {
        const x = this.layout(this.one(l, xs), false, name);
        const raw = c.raw('axis');
        const axes = (Array.isArray(raw) ? raw : [raw ?? -1]).map((a) => this.axis(l, a, x.shape.length));
        return this.node({ ...base, kind: 'softmax', inputs: [x.ir], axes }, false);
      }
      case 'MaxPooling1D':
      case 'MaxPooling2D':
      case 'AveragePooling1D':
      case 'AveragePooling2D':
        return this.pool(l, cls, name, c, this.one(l, xs));
      case 'GlobalAveragePooling1D':
      case 'GlobalAveragePooling2D':
      case 'GlobalMaxPooling1D':
      case 'GlobalMaxPooling2D': {
        const n = cls.endsWith('1D') ? 1 : 2;
        const first = this.channelsFirst(l, c);
        const x = this.layout(this.one(l, xs), !first, name);
        this.rank(l, x, n + 1);
        const keep = c.bool('keepdims', false);
        const irShape = this.shapes.get(x.ir)!;
        if (cls.startsWith('GlobalAverage')) {
          const axes = Array.from({ length: n }, (_, i) => i + 1);
          const t = this.node({ ...base, kind: 'reducemean', inputs: [x.ir], axes, keepDims: keep }, keep && !first);
          return t;
        }
        const kernel = irShape.slice(1);
        const mp = this.fresh(keep ? name : `${name}/pool`);
        const pooled = this.node({ name: mp, output: mp, sourceOp: cls, kind: 'maxpool', inputs: [x.ir], kernel, strides: kernel.map(() => 1), pads: new Array<number>(2 * n).fill(0), ceilMode: false, dilations: kernel.map(() => 1) }, !first);
        if (keep) return pooled;
        return this.node({ ...base, kind: 'reshape', inputs: [pooled.ir], shape: [irShape[0]] }, false);
      }
      case 'ZeroPadding1D':
      case 'ZeroPadding2D': {
        const n = cls === 'ZeroPadding1D' ? 1 : 2;
        const first = this.channelsFirst(l, c);
        const x = this.layout(this.one(l, xs), !first, name);
        this.rank(l, x, n + 1);
        const pads = this.zeroPads(l, c, n);
        return this.node({ ...base, kind: 'pad', inputs: [x.ir], pads: [0, ...pads.map((p) => p[0]), 0, ...pads.map((p) => p[1])], value: 0 }, !first);
      }
      case 'Flatten': {
        const x = this.layout(this.one(l, xs), false, name);
        if (c.str('data_format', 'channels_last') !== 'channels_last') throw inputError(KM.layerOption(l.name, cls, "data_format 'channels_first'", 'flatten in channels_last order (the default)'));
        return this.node({ ...base, kind: 'reshape', inputs: [x.ir], shape: [sizeOf(x.shape)] }, false);
      }
      case 'Reshape': {
        const x = this.layout(this.one(l, xs), false, name);
        const target = c.ints('target_shape');
        const size = sizeOf(x.shape);
        const unknown = target.filter((d) => d === -1).length;
        const known = target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
        if (target.length === 0 || unknown > 1 || target.some((d) => d === 0 || d < -1) || (unknown === 1 ? size % known !== 0 : known !== size)) {
          throw inputError(KM.badLayerConfig(l.name, cls, `target_shape ${shown(target)} does not fit the input ${formatShape(x.shape)}`));
        }
        const shape = target.map((d) => (d === -1 ? size / known : d));
        return this.node({ ...base, kind: 'reshape', inputs: [x.ir], shape }, false);
      }
      case 'Permute': {
        const x = this.layout(this.one(l, xs), false, name);
        const dims = c.ints('dims');
        const r = x.shape.length;
        if (dims.length !== r || [...dims].sort((a, b) => a - b).some((d, i) => d !== i + 1)) throw inputError(KM.badLayerConfig(l.name, cls, `dims ${shown(dims)} are not a permutation of 1..${r}`));
        return this.node({ ...base, kind: 'transpose', inputs: [x.ir], perm: dims.map((d) => d - 1) }, false);
      }
      case 'Concatenate': {
        if (xs.length < 2) throw inputError(KM.layerInputs(l.name, cls, 'two or more inputs', xs.length));
        const r = xs[0].shape.length;
        if (xs.some((x) => x.shape.length !== r)) throw inputError(KM.badLayerConfig(l.name, cls, `inputs ${xs.map((x) => formatShape(x.shape)).join(', ')} differ in rank`));
        const axis = this.axis(l, c.num('axis', -1), r);
        const cf = r >= 2 && axis === r - 1 && xs.every((x) => x.cf);
        const ins = xs.map((x) => this.layout(x, cf, name));
        return this.node({ ...base, kind: 'concat', inputs: ins.map((x) => x.ir), axis: cf ? 0 : axis }, cf);
      }
      case 'Add':
      case 'Subtract':
      case 'Multiply': {
        if (xs.length < 2 || (cls === 'Subtract' && xs.length !== 2)) throw inputError(KM.layerInputs(l.name, cls, cls === 'Subtract' ? 'two inputs' : 'two or more inputs', xs.length));
        const cf = xs.every((x) => x.cf);
        const ins = xs.map((x) => this.layout(x, cf, name));
        const s0 = ins[0].shape;
        for (const x of ins) if (x.shape.length !== s0.length || x.shape.some((d, i) => d !== s0[i])) {
          throw inputError(KM.layerOption(l.name, cls, `broadcasting between ${ins.map((t) => formatShape(t.shape)).join(' and ')}`, 'give every input the same shape'));
        }
        const op = cls === 'Add' ? 'add' : cls === 'Subtract' ? 'sub' : 'mul';
        let acc = ins[0];
        for (let i = 1; i < ins.length; i++) {
          const n = i === ins.length - 1 ? name : this.fresh(`${name}/${i}`);
          acc = this.node({ name: n, output: n, sourceOp: cls, kind: 'binary', op, inputs: [acc.ir, ins[i].ir] }, cf);
        }
        return acc;
      }
      case 'Dropout':
      case 'SpatialDropout1D':
      case 'SpatialDropout2D':
      case 'GaussianNoise':
      case 'GaussianDropout':
        // Identity at inference.
        return this.one(l, xs);
      case 'SimpleRNN':
      case 'LSTM':
      case 'GRU':
        return this.recurrent(l, cls, name, c, this.layout(this.one(l, xs), false, name));
    }
    throw inputError(KM.customLayer(l.name, l.className, SUPPORTED_KERAS_LAYERS));
  }

  private axis(l: KerasLayer, raw: unknown, rank: number): number {
    // Keras axes count the batch as axis 0; negative ones count from the end.
    if (typeof raw !== 'number' || !Number.isSafeInteger(raw)) throw inputError(KM.badLayerConfig(l.name, l.className, `axis ${shown(raw)} is not an integer`));
    const a = raw < 0 ? raw + rank + 1 : raw;
    if (a === 0) throw inputError(M.batchAxis(l.name, l.className, 'acts on the batch axis'));
    if (a < 1 || a > rank) throw inputError(KM.badLayerConfig(l.name, l.className, `axis ${raw} is outside a rank-${rank + 1} tensor`));
    return a - 1;
  }

  private rank(l: KerasLayer, x: KTensor, r: number): void {
    if (x.shape.length !== r) throw inputError(KM.badLayerConfig(l.name, l.className, `expects a per-sample input of rank ${r}, got ${formatShape(x.shape)}`));
  }

  private channelsFirst(l: KerasLayer, c: Cfg): boolean {
    const f = c.str('data_format', 'channels_last');
    if (f !== 'channels_last' && f !== 'channels_first') throw inputError(KM.badLayerConfig(l.name, l.className, `data_format '${f.slice(0, 20)}' is neither channels_last nor channels_first`));
    return f === 'channels_first';
  }

  /** TensorFlow's 'same' padding: total max((ceil(n/s) - 1) s + (k - 1) d + 1 - n, 0), the extra one at the end. */
  private padsFor(l: KerasLayer, c: Cfg, spatial: number[], kernel: number[], strides: number[], dilations: number[], causalOk: boolean): number[] {
    const padding = c.str('padding', 'valid').toLowerCase();
    const n = spatial.length;
    if (padding === 'valid') return new Array<number>(2 * n).fill(0);
    if (padding === 'same') {
      const begin: number[] = [];
      const end: number[] = [];
      spatial.forEach((size, i) => {
        const total = Math.max((Math.ceil(size / strides[i]) - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - size, 0);
        begin.push(Math.floor(total / 2));
        end.push(total - Math.floor(total / 2));
      });
      return [...begin, ...end];
    }
    if (padding === 'causal' && causalOk) return [(kernel[0] - 1) * dilations[0], 0];
    throw inputError(KM.layerOption(l.name, l.className, `padding '${padding.slice(0, 20)}'`, `use 'valid' or 'same'${causalOk ? " or 'causal'" : ''}`));
  }

  private conv(l: KerasLayer, cls: string, name: string, c: Cfg, x0: KTensor): KTensor {
    const n = cls.endsWith('1D') ? 1 : 2;
    const first = this.channelsFirst(l, c);
    const x = this.layout(x0, !first, name);
    this.rank(l, x, n + 1);
    const irIn = this.shapes.get(x.ir)!;
    const cin = irIn[0];
    const spatial = irIn.slice(1);
    const kernel = c.tuple('kernel_size', n, null);
    const strides = c.tuple('strides', n, 1);
    const dilations = c.tuple('dilation_rate', n, 1);
    if (strides.some((s) => s > 1) && dilations.some((d) => d > 1)) throw inputError(KM.layerOption(l.name, cls, 'strides > 1 with dilation_rate > 1', 'Keras itself refuses this combination'));
    const pads = this.padsFor(l, c, spatial, kernel, strides, dilations, cls === 'Conv1D');
    const useBias = c.bool('use_bias', true);
    const kk = sizeOf(kernel);
    const base = { sourceOp: cls, strides, pads, dilations };
    let t: KTensor;
    if (cls === 'Conv1D' || cls === 'Conv2D') {
      const filters = c.int('filters', 0);
      const groups = c.int('groups', 1);
      if (cin % groups !== 0 || filters % groups !== 0) throw inputError(KM.badLayerConfig(l.name, cls, `groups ${groups} does not divide ${cin} input channels and ${filters} filters`));
      const w = this.weights(l, useBias ? ['kernel', 'bias'] : ['kernel']);
      const cg = cin / groups;
      this.checkShape(l, w[0], 'kernel', [...kernel, cg, filters]);
      if (useBias) this.checkShape(l, w[1], 'bias', [filters]);
      // [k..., Cin/g, M] -> [M, Cin/g, k...]
      const weight = new Float64Array(filters * cg * kk);
      for (let p = 0; p < kk; p++) for (let ci = 0; ci < cg; ci++) for (let m = 0; m < filters; m++) weight[(m * cg + ci) * kk + p] = w[0].data[(p * cg + ci) * filters + m];
      t = this.node({ ...base, name, output: name, kind: 'conv', inputs: [x.ir], weight: { shape: [filters, cg, ...kernel], data: weight }, bias: useBias ? w[1].data : null, group: groups }, !first);
    } else {
      const separable = cls.startsWith('Separable');
      const vars = separable ? ['depthwise_kernel', 'pointwise_kernel'] : ['depthwise_kernel'];
      const w = this.weights(l, useBias ? [...vars, 'bias'] : vars);
      // tfjs-layers 4.22 leaves depth_multiplier out of a SeparableConv2D's config: the kernel's last axis says it.
      const fromKernel = w[0].shape.length === kernel.length + 2 ? w[0].shape[kernel.length + 1] : 1;
      const mult = c.has('depth_multiplier') ? c.int('depth_multiplier', 1) : fromKernel;
      this.checkShape(l, w[0], 'depthwise_kernel', [...kernel, cin, mult]);
      // [k..., C, mult] -> [C * mult, 1, k...], output channel c * mult + m (TensorFlow's depthwise order).
      const dw = new Float64Array(cin * mult * kk);
      for (let p = 0; p < kk; p++) for (let ci = 0; ci < cin; ci++) for (let m = 0; m < mult; m++) dw[(ci * mult + m) * kk + p] = w[0].data[(p * cin + ci) * mult + m];
      const dwName = separable ? this.fresh(`${name}/depthwise`) : name;
      const dwBias = !separable && useBias ? w[1] : null;
      if (dwBias) this.checkShape(l, dwBias, 'bias', [cin * mult]);
      t = this.node({ ...base, name: dwName, output: dwName, sourceOp: separable ? `${cls} (depthwise)` : cls, kind: 'conv', inputs: [x.ir], weight: { shape: [cin * mult, 1, ...kernel], data: dw }, bias: dwBias ? dwBias.data : null, group: cin }, !first);
      if (separable) {
        const filters = c.int('filters', 0);
        const pw = w[1];
        this.checkShape(l, pw, 'pointwise_kernel', [...kernel.map(() => 1), cin * mult, filters]);
        if (useBias) this.checkShape(l, w[2], 'bias', [filters]);
        const ones = kernel.map(() => 1);
        t = this.node({ name, output: name, sourceOp: `${cls} (pointwise)`, kind: 'conv', inputs: [t.ir], weight: { shape: [filters, cin * mult, ...ones], data: transpose2(pw.data, cin * mult, filters) }, bias: useBias ? w[2].data : null, strides: ones, pads: [...ones, ...ones].map(() => 0), dilations: ones, group: 1 }, !first);
      }
    }
    return this.activation(l, name, c.raw('activation'), t);
  }

  private batchNorm(l: KerasLayer, name: string, c: Cfg, x0: KTensor): KTensor {
    const raw = c.raw('axis');
    const ax = Array.isArray(raw) && raw.length === 1 ? raw[0] : raw ?? -1;
    if (Array.isArray(ax)) throw inputError(KM.layerOption(l.name, l.className, `axis ${shown(raw)} (several axes)`, 'normalize over one axis (channels)'));
    const r = x0.shape.length;
    const a = this.axis(l, ax, r);
    let x: KTensor;
    if (r === 1 || a === r - 1) x = this.layout(x0, r >= 2, name);
    else if (a === 0) x = this.layout(x0, false, name);
    else throw inputError(KM.layerOption(l.name, l.className, `axis ${shown(raw)} of a rank-${r + 1} input`, 'normalize over the first or the last axis'));
    const ch = x0.shape[a];
    const center = c.bool('center', true);
    const scale = c.bool('scale', true);
    const vars = [...(scale ? ['gamma'] : []), ...(center ? ['beta'] : []), 'moving_mean', 'moving_variance'];
    const w = this.weights(l, vars);
    w.forEach((t, i) => this.checkShape(l, t, vars[i], [ch]));
    const get = (v: string, dflt: number) => (vars.includes(v) ? w[vars.indexOf(v)].data : new Float64Array(ch).fill(dflt));
    const variance = get('moving_variance', 1);
    if (variance.some((v) => v < 0)) throw inputError(KM.badLayerConfig(l.name, l.className, 'moving_variance has a negative value'));
    const epsilon = c.num('epsilon', 1e-3);
    return this.node({ name, output: name, sourceOp: l.className, kind: 'batchnorm', inputs: [x.ir], scale: get('gamma', 1), bias: get('beta', 0), mean: get('moving_mean', 0), variance, epsilon }, x.cf);
  }

  private pool(l: KerasLayer, cls: string, name: string, c: Cfg, x0: KTensor): KTensor {
    const n = cls.endsWith('1D') ? 1 : 2;
    const first = this.channelsFirst(l, c);
    const x = this.layout(x0, !first, name);
    this.rank(l, x, n + 1);
    const spatial = this.shapes.get(x.ir)!.slice(1);
    const kernel = c.tuple('pool_size', n, 2);
    const strides = c.has('strides') ? c.tuple('strides', n, null) : kernel;
    const pads = this.padsFor(l, c, spatial, kernel, strides, kernel.map(() => 1), false);
    const base = { name, output: name, sourceOp: cls, inputs: [x.ir], kernel, strides, pads, ceilMode: false };
    if (cls.startsWith('Max')) return this.node({ ...base, kind: 'maxpool', dilations: kernel.map(() => 1) }, !first);
    // Keras' 'same' average pooling divides by the window's elements inside the input.
    return this.node({ ...base, kind: 'avgpool', countIncludePad: false }, !first);
  }

  private zeroPads(l: KerasLayer, c: Cfg, n: number): [number, number][] {
    const v = c.raw('padding') ?? 1;
    const nonNeg = (d: unknown): d is number => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0 && d <= 1 << 20;
    const bad = (): never => {
      throw inputError(KM.badLayerConfig(l.name, l.className, `padding ${shown(v)} is not an integer, a pair or ${n} pairs of non-negative integers`));
    };
    if (nonNeg(v)) return new Array(n).fill(0).map(() => [v, v] as [number, number]);
    if (!Array.isArray(v)) return bad();
    if (n === 1 && v.length === 2 && v.every(nonNeg)) return [[v[0], v[1]]];
    if (n === 2 && v.length === 2 && v.every(nonNeg)) return [[v[0], v[0]], [v[1], v[1]]];
    if (v.length === n && v.every((p) => Array.isArray(p) && p.length === 2 && p.every(nonNeg))) return (v as [number, number][]).map((p) => [p[0], p[1]]);
    return bad();
  }

  /** A layer's activation (linear: none) as an IR node after `t`; the node is named `layer/fn` unless it is the layer. */
  private activation(l: KerasLayer, name: string, raw: unknown, t: KTensor, isLayer = false): KTensor {
    const fnName = normalizeActivation(activationName(l, raw));
    const n = isLayer ? name : this.fresh(`${name}/${fnName}`);
    const base = { name: n, output: n, sourceOp: isLayer ? `Activation ${fnName}` : fnName, inputs: [t.ir] };
    const act = (fn: ActivationFn) => this.node({ ...base, kind: 'activation', fn }, t.cf);
    switch (fnName) {
      case 'linear':
        // The identity: nothing to emit (an Activation('linear') layer's output is its input).
        this.used.delete(n);
        return t;
      case 'relu':
        return act({ type: 'relu' });
      case 'relu6':
        return act({ type: 'clip', min: 0, max: 6 });
      case 'leaky_relu':
        return act({ type: 'leakyRelu', alpha: 0.2 });
      case 'sigmoid':
        return act({ type: 'sigmoid' });
      case 'tanh':
        return act({ type: 'tanh' });
      case 'hard_sigmoid':
        return act({ type: 'hardSigmoid', ...this.model.hardSigmoid });
      case 'elu':
        return act({ type: 'elu', alpha: 1 });
      case 'selu':
        // The SELU constants of Klambauer et al. (2017), as tf.nn.selu and tfjs write them.
        return act({ type: 'selu', alpha: 1.6732632423543772848170429916717, gamma: 1.0507009873554804934193349852946 });
      case 'softplus':
        return act({ type: 'softplus' });
      case 'softsign':
        return act({ type: 'softsign' });
      case 'softmax': {
        const x = this.layout(t, false, name);
        return this.node({ ...base, inputs: [x.ir], kind: 'softmax', axes: [x.shape.length - 1] }, false);
      }
    }
    throw inputError(KM.unsupportedActivation(l.name, fnName));
  }

  private recurrent(l: KerasLayer, cls: string, name: string, c: Cfg, x: KTensor): KTensor {
    const refuse = (what: string, fix: string): never => {
      throw inputError(KM.layerOption(l.name, cls, what, fix));
    };
    if (c.bool('return_state', false)) refuse('return_state', 'build the model with one output (return_state = False)');
    if (c.bool('go_backwards', false)) refuse('go_backwards', 'use a forward layer: reversed recurrences are not lowered yet');
    if (c.bool('stateful', false)) refuse('stateful', 'use a stateless layer (every sample starts from zero state)');
    if (c.bool('time_major', false)) refuse('time_major', 'use the default batch-major layout');
    if (x.shape.length !== 2) throw inputError(KM.badLayerConfig(l.name, cls, `expects a per-sample [timesteps, features] input, got ${formatShape(x.shape)}`));
    const [T, I] = x.shape;
    const H = c.int('units', 0);
    const cell: RecurrentCell = cls === 'LSTM' ? 'lstm' : cls === 'GRU' ? 'gru' : 'rnn';
    const G = cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
    const actOf = (k: string, dflt: string): RecurrentActivation => {
      const f = normalizeActivation(activationName(l, c.raw(k) ?? dflt));
      if (f === 'hard_sigmoid') return 'hardSigmoid';
      if (f !== 'sigmoid' && f !== 'tanh' && f !== 'relu') throw inputError(KM.recurrentActivation(l.name, cls, k, f));
      return f;
    };
    const act = actOf('activation', 'tanh');
    const recAct = cell === 'rnn' ? act : actOf('recurrent_activation', this.model.tfjsDefaults ? 'hard_sigmoid' : 'sigmoid');
    const activations: RecurrentActivation[] = cell === 'rnn' ? [act] : cell === 'gru' ? [recAct, act] : [recAct, act, act];
    const useBias = c.bool('use_bias', true);
    const w = this.weights(l, useBias ? ['kernel', 'recurrent_kernel', 'bias'] : ['kernel', 'recurrent_kernel']);
    this.checkShape(l, w[0], 'kernel', [I, G * H]);
    this.checkShape(l, w[1], 'recurrent_kernel', [H, G * H]);
    let resetAfter = false;
    if (cell === 'gru') {
      // Keras >= 2.3 defaults to reset_after = True (bias [2, 3u]), TF.js and older Keras to False (bias [3u]).
      const declared = c.has('reset_after') ? c.bool('reset_after', true) : null;
      const fromBias = useBias ? w[2].shape.length === 2 : null;
      resetAfter = declared ?? fromBias ?? !this.model.tfjsDefaults;
    }
    if (useBias) this.checkShape(l, w[2], 'bias', resetAfter ? [2, G * H] : [G * H]);
    // Keras gate block k of the IR's gate block g: LSTM IR (i, o, f, c) from Keras (i, f, c, o); GRU and RNN as is.
    const order = cell === 'lstm' ? [0, 3, 1, 2] : cell === 'gru' ? [0, 1, 2] : [0];
    const reorderRows = (m: Float64Array, inF: number): Float64Array => {
      // m is [inF, G*H] (Keras); result [G*H, inF] with IR gate order.
      const out = new Float64Array(G * H * inF);
      order.forEach((kg, g) => {
        for (let u = 0; u < H; u++) for (let k = 0; k < inF; k++) out[(g * H + u) * inF + k] = m[k * G * H + kg * H + u];
      });
      return out;
    };
    const reorderBias = (b: Float64Array, offset: number): Float64Array => {
      const out = new Float64Array(G * H);
      order.forEach((kg, g) => {
        for (let u = 0; u < H; u++) out[g * H + u] = b[offset + kg * H + u];
      });
      return out;
    };
    const weight = { shape: [G * H, I], data: reorderRows(w[0].data, I) };
    const recurrence = { shape: [G * H, H], data: reorderRows(w[1].data, H) };
    const inputBias = useBias ? reorderBias(w[2].data, 0) : new Float64Array(G * H);
    const recurrenceBias = useBias && resetAfter ? reorderBias(w[2].data, G * H) : new Float64Array(G * H);
    const sequences = c.bool('return_sequences', false);
    const rn = this.fresh(`${name}/${cell}`);
    const r = this.node({
      name: rn, output: rn, sourceOp: cls, kind: 'recurrent', inputs: [x.ir], cell, hiddenSize: H, weight, recurrence, inputBias, recurrenceBias,
      activations, hardSigmoid: activations.includes('hardSigmoid') ? this.model.hardSigmoid : null, linearBeforeReset: resetAfter, layout: 1, initialH: new Float64Array(H), initialC: cell === 'lstm' ? new Float64Array(H) : null,
      produces: sequences ? 'sequence' : 'hidden', diagonalRecurrence: isDiagonalRecurrence({ cell, recurrence }), sharedWith: null,
    }, false);
    // IR Y is [T, 1, H], Y_h [1, H]: Keras gives [T, H] and [H].
    return this.node({ name, output: name, sourceOp: `${cls} (output)`, kind: 'reshape', inputs: [r.ir], shape: sequences ? [T, H] : [H] }, false);
  }
}

const key = (r: KerasRef) => `${r[0]}\u0000${r[1]}\u0000${r[2]}`;

/** [rows, cols] row-major -> [cols, rows]. */
function transpose2(m: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = m[i * cols + j];
  return out;
}


// ---- model configs -------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The layer list and the input/output references of a Sequential or Functional config (Keras 2, 3 and TF.js). */
export function parseModelConfig(top: unknown): { className: string; name: string; layers: KerasLayer[]; inputs: KerasRef[]; outputs: KerasRef[] } {
  if (!isObj(top)) throw inputError(KM.badModelConfig(`is ${shown(top, 30)}, not an object`));
  const className = top.class_name;
  if (typeof className !== 'string') throw inputError(KM.badModelConfig('has no class_name'));
  const cfg = top.config;
  // Keras 2.2 wrote a Sequential's config as the bare layer list.
  const layerList = Array.isArray(cfg) ? cfg : isObj(cfg) ? cfg.layers : undefined;
  if (!Array.isArray(layerList)) throw inputError(KM.badModelConfig(`of class ${className.slice(0, 30)} has no layer list`));
  if (layerList.length > 100_000) throw inputError(KM.badModelConfig(`has ${layerList.length} layers`));
  const name = isObj(cfg) && typeof cfg.name === 'string' ? cfg.name : 'model';
  const names = new Set<string>();
  const parse = (raw: unknown, i: number): Omit<KerasLayer, 'inbound'> & { rawInbound: unknown } => {
    if (!isObj(raw) || typeof raw.class_name !== 'string' || !isObj(raw.config)) throw inputError(KM.badModelConfig(`layer ${i} is not {class_name, config}`));
    const lname = typeof raw.config.name === 'string' ? raw.config.name : typeof raw.name === 'string' ? raw.name : `${snakeCase(raw.class_name)}_${i}`;
    if (names.has(lname)) throw inputError(KM.badModelConfig(`names two layers '${lname.slice(0, 60)}'`));
    names.add(lname);
    return { className: raw.class_name, name: lname, config: raw.config, rawInbound: raw.inbound_nodes };
  };
  const parsed = layerList.map(parse);
  if (className === 'Sequential') {
    if (parsed.length === 0) throw inputError(KM.badModelConfig('has no layers'));
    const layers: KerasLayer[] = [];
    let prev: string;
    let rest = parsed;
    if (parsed[0].className === 'InputLayer') {
      prev = parsed[0].name;
      layers.push({ ...parsed[0], inbound: [] });
      rest = parsed.slice(1);
    } else {
      // The first layer carries the input shape (batch_input_shape): a synthetic input layer holds it.
      const first = parsed[0];
      prev = `${first.name}_input`;
      while (names.has(prev)) prev = `${prev}_`;
      const shapeKey = first.config.batch_shape !== undefined ? 'batch_shape' : 'batch_input_shape';
      layers.push({ className: 'InputLayer', name: prev, config: { [shapeKey]: first.config[shapeKey] }, inbound: [] });
    }
    for (const p of rest) {
      layers.push({ className: p.className, name: p.name, config: p.config, inbound: [[[prev, 0, 0]]] });
      prev = p.name;
    }
    return { className, name, layers, inputs: [[layers[0].name, 0, 0]], outputs: [[prev, 0, 0]] };
  }
  if (className !== 'Functional' && className !== 'Model') throw inputError(KM.badModelConfig(`has class ${className.slice(0, 40)}; ohmnet imports Sequential and Functional models`));
  const layers = parsed.map((p) => ({ className: p.className, name: p.name, config: p.config, inbound: parseInbound(p.name, p.rawInbound) }));
  const c = cfg as Json;
  return { className, name, layers, inputs: parseRefs(c.input_layers, 'input_layers'), outputs: parseRefs(c.output_layers, 'output_layers') };
}

/** A tensor reference: Keras 2 / TF.js [name, node, tensor, kwargs?]; Keras 3 {class_name: '__keras_tensor__', config: {keras_history}}. */
function parseRef(layer: string, v: unknown): KerasRef | null {
  if (Array.isArray(v) && typeof v[0] === 'string' && Number.isSafeInteger(v[1]) && Number.isSafeInteger(v[2])) return [v[0], v[1] as number, v[2] as number];
  if (isObj(v) && v.class_name === '__keras_tensor__' && isObj(v.config)) return parseRef(layer, v.config.keras_history);
  return null;
}

function parseInbound(layer: string, raw: unknown): KerasRef[][] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw inputError(KM.badModelConfig(`gives layer '${layer}' inbound_nodes ${shown(raw)}`));
  return raw.map((node) => {
    const refs: KerasRef[] = [];
    const collect = (v: unknown, depth: number): void => {
      if (depth > 4) return;
      const r = parseRef(layer, v);
      if (r) refs.push(r);
      else if (Array.isArray(v)) v.forEach((e) => collect(e, depth + 1));
      else if (isObj(v) && Array.isArray(v.args)) v.args.forEach((e) => collect(e, depth + 1));
    };
    // Keras 3: {args: [tensor or [tensors]], kwargs}; Keras 2: [[name, node, tensor, kwargs], ...].
    if (isObj(node)) collect(node, 0);
    else if (Array.isArray(node)) node.forEach((e) => collect(e, 1));
    else throw inputError(KM.badModelConfig(`gives layer '${layer}' an inbound node ${shown(node)}`));
    if (refs.length === 0) throw inputError(KM.badModelConfig(`gives layer '${layer}' a call with no input tensors`));
    return refs;
  });
}

function parseRefs(raw: unknown, what: string): KerasRef[] {
  const single = parseRef(what, raw);
  if (single) return [single];
  if (!Array.isArray(raw)) throw inputError(KM.badModelConfig(`has ${what} ${shown(raw)}`));
  return raw.map((v) => {
    const r = parseRef(what, v);
    if (!r) throw inputError(KM.badModelConfig(`has ${what} ${shown(raw)}`));
    return r;
  });
}

/** The major version of a "2.13.1" or "tfjs-layers 4.22.0" string, or null. */
export function majorVersion(v: string): number | null {
  const m = /(\d+)\.\d+/.exec(v);
  return m ? Number(m[1]) : null;
}
