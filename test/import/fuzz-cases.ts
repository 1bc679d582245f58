// Seeded fuzz cases for the CLI's input files, shared by test/import/fuzz.test.ts (a few thousand cases in npm test)
// and bench/fuzz.ts (10^5 cases). A case is one model, samples or config file, generated from (kind, seed, index)
// alone, so any failure is reproduced by its id. Each case runs through the CLI entry point in-process (`main`),
// commands inspect and run --stage source, and must end with exit 0, or exit 2 and one line on stderr: never exit
// 3 (an internal error), never an exception out of main, never past its time limit.
//
// Kinds: random bytes; byte-level mutations of the committed models; structure-aware random graphs (ops, attributes,
// shapes, dims, names, wiring, initializer encodings); structure-aware mutations of the committed models (one
// field of an attribute, a dim, an initializer, a name, an op type, the wiring or the node order); sample files
// (JSON and CSV, valid and mutated); config files (schema keys with values of every type, mutated); Keras files
// (the .keras and .h5 fixtures truncated or byte-mutated: broken zips, HDF5 files cut inside a group or with its
// structures overwritten), Keras 3 configs (field-level mutations of config.json re-zipped, the weights entry
// dropped or cut) and TF.js models (field-level mutations of model.json, shards cut or missing).

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/context.js';
import { Rng } from '../../src/util/random.js';
import { FIXTURES, MODEL_FIXTURES } from '../helpers.js';

const { onnx } = onnxProto;
/** A decoded message: its repeated and nested fields are present (protobufjs fills them in on decode). */
type Decoded<T> = { [K in keyof T]-?: NonNullable<T[K]> };
type DNode = Decoded<onnxProto.onnx.INodeProto>;
type DAttr = Decoded<onnxProto.onnx.IAttributeProto>;
type DTensor = Decoded<onnxProto.onnx.ITensorProto>;
const AT = onnx.AttributeProto.AttributeType;
const DT = onnx.TensorProto.DataType;

export const KINDS = ['onnx-bytes', 'onnx-mutation', 'onnx-graph', 'onnx-field', 'samples', 'config', 'keras-bytes', 'keras-config', 'tfjs-json'] as const;
export type FuzzKind = (typeof KINDS)[number];

/** Elements the fuzzed commands may allocate per tensor: keeps every case cheap (passed as a flag on every run). */
const MAX_ELEMENTS = '65536';

export interface FuzzCase {
  readonly id: string;
  readonly kind: FuzzKind;
  /** Model bytes, or the name of a committed fixture model. */
  readonly model: Uint8Array | string;
  /** Sample file contents; undefined: generated from the model's input shape. */
  readonly samples?: Uint8Array;
  readonly config?: Uint8Array;
  /** The model's file name in the case directory (default model.onnx), and files beside it (TF.js weight shards). */
  readonly fileName?: string;
  readonly extra?: readonly { readonly name: string; readonly bytes: Uint8Array }[];
}

export interface CommandResult {
  readonly args: readonly string[];
  readonly code: number;
  readonly stderr: string;
  readonly stdout: string;
  readonly ms: number;
  /** An exception that escaped main (a crash of the harness contract). */
  readonly thrown?: string;
}

export interface CaseResult {
  readonly id: string;
  readonly kind: FuzzKind;
  readonly commands: readonly CommandResult[];
  readonly ms: number;
  /** What broke the contract, or null. */
  readonly problem: string | null;
  /** 'ok' (every command exit 0), 'refused' (an exit 2), or 'bad' (a problem). */
  readonly outcome: 'ok' | 'refused' | 'bad';
}

class Gen {
  constructor(readonly rng: Rng) {}
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rng.next() * (hi - lo + 1));
  }
  bool(p = 0.5): boolean {
    return this.rng.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }
  /** Mostly small values, sometimes the extremes that break arithmetic. */
  extremeInt(): number {
    return this.bool(0.8) ? this.int(-3, 6) : this.pick([0, -1, 1e9, -1e9, 2 ** 31, 2 ** 53, 1e15, 100_000]);
  }
  float(): number {
    return this.bool(0.8) ? Math.round(this.rng.uniform(-3, 3) * 100) / 100 : this.pick([0, -0, 1e-5, 1e38, -1e38, NaN, Infinity, -Infinity, 5e-324]);
  }
  name(pool: readonly string[]): string {
    if (pool.length > 0 && this.bool(0.85)) return this.pick(pool);
    return this.pick(['', 'x', 'y', 'a\nb', 'évil', 'n'.repeat(300), '0', ' ', 'x;y', '..']);
  }
}

const models = new Map<string, Uint8Array>();
function fixtureBytes(name: string): Uint8Array {
  let b = models.get(name);
  if (!b) {
    b = new Uint8Array(readFileSync(join(FIXTURES, `${name}.onnx`)));
    models.set(name, b);
  }
  return b;
}

const enc = (text: string) => new TextEncoder().encode(text);

/** Byte-level damage: flips, truncation, insertion, a duplicated or deleted slice. */
function mutateBytes(g: Gen, src: Uint8Array): Uint8Array {
  let b = src.slice();
  const edits = g.int(1, 4);
  for (let e = 0; e < edits; e++) {
    const pos = g.int(0, Math.max(0, b.length - 1));
    // Mostly flips (most land in weight data and leave a readable model: the happy path is exercised too).
    switch (g.bool(0.75) ? 0 : g.int(1, 4)) {
      case 0:
        b[pos] = g.int(0, 255);
        break;
      case 1:
        b = b.subarray(0, pos);
        break;
      case 2: {
        const ins = Uint8Array.from({ length: g.int(1, 16) }, () => g.int(0, 255));
        b = Uint8Array.from([...b.subarray(0, pos), ...ins, ...b.subarray(pos)]);
        break;
      }
      case 3: {
        const len = g.int(1, 64);
        b = Uint8Array.from([...b.subarray(0, pos + len), ...b.subarray(pos, pos + len), ...b.subarray(pos + len)]);
        break;
      }
      default:
        b = Uint8Array.from([...b.subarray(0, pos), ...b.subarray(pos + g.int(1, 32))]);
    }
    if (b.length === 0) break;
  }
  return b;
}

const OPS = ['Gemm', 'MatMul', 'Conv', 'BatchNormalization', 'Relu', 'Clip', 'LeakyRelu', 'Sigmoid', 'HardSigmoid', 'HardSwish', 'Tanh',
  'Softmax', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'ReduceMean', 'Flatten', 'Reshape', 'Transpose', 'Squeeze',
  'Unsqueeze', 'Concat', 'Add', 'Sub', 'Mul', 'Pad', 'Identity', 'Dropout', 'Constant', 'Gather', 'LSTM', '',
  // Issue 19: ops built of ReLUs and gains, Split, Gather with any indices, shape folding, and ops refused by name.
  'Div', 'Neg', 'Abs', 'Sum', 'Max', 'Min', 'PRelu', 'Split', 'Range', 'Resize', 'Upsample', 'ConvTranspose', 'LayerNormalization', 'Erf'];
const ATTRS = ['axis', 'axes', 'perm', 'kernel_shape', 'strides', 'pads', 'dilations', 'group', 'alpha', 'beta', 'transA',
  'transB', 'epsilon', 'keepdims', 'ceil_mode', 'count_include_pad', 'auto_pad', 'min', 'max', 'value', 'mode', 'allowzero',
  'training_mode', 'storage_order', 'noop_with_empty_axes', 'spatial', 'value_float', 'value_floats', 'value_int', 'value_ints'];

function randomAttribute(g: Gen): onnxProto.onnx.IAttributeProto {
  const name = g.pick(ATTRS);
  switch (g.int(0, 5)) {
    case 0:
      return { name, type: AT.INT, i: g.extremeInt() };
    case 1:
      return { name, type: AT.INTS, ints: Array.from({ length: g.int(0, 6) }, () => g.extremeInt()) };
    case 2:
      return { name, type: AT.FLOAT, f: g.float() };
    case 3:
      return { name, type: AT.FLOATS, floats: Array.from({ length: g.int(0, 4) }, () => g.float()) };
    case 4:
      return { name, type: AT.TENSOR, t: randomTensor(g, name) };
    default:
      return { name, type: AT.STRING, s: enc(g.pick(['NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID', 'constant', 'reflect', '', 'x\ny'])) };
  }
}

/** A tensor with random dims and one of the encodings (typed fields, raw bytes, unsupported types, external data). */
function randomTensor(g: Gen, name: string): onnxProto.onnx.ITensorProto {
  const dims = Array.from({ length: g.int(0, 4) }, () => (g.bool(0.9) ? g.int(0, 5) : g.extremeInt()));
  const n = dims.every((d) => d >= 0 && d <= 5) ? dims.reduce((s, d) => s * d, 1) : g.int(0, 8);
  const count = g.bool(0.9) ? n : Math.max(0, n + g.int(-2, 2));
  const fill = g.float();
  switch (g.int(0, 7)) {
    case 0:
      return { name, dims, dataType: DT.INT64, int64Data: Array.from({ length: count }, () => g.extremeInt()) };
    case 1:
      return { name, dims, dataType: DT.FLOAT, rawData: new Uint8Array(new Float32Array(count).fill(fill).buffer) };
    case 2:
      return g.bool()
        ? { name, dims, dataType: g.pick([DT.FLOAT16, DT.STRING, DT.UINT32, DT.COMPLEX64, 999]), int32Data: new Array(count).fill(1) }
        : { name, dims, dataType: g.pick([DT.FLOAT16, DT.BFLOAT16]), rawData: new Uint8Array(2 * count + (g.bool(0.9) ? 0 : 1)).fill(0x7c) };
    case 3:
      return { name, dims, dataType: DT.FLOAT, dataLocation: onnx.TensorProto.DataLocation.EXTERNAL, externalData: [{ key: 'location', value: '../../etc/passwd' }] };
    case 4:
      return { name, dims, dataType: DT.DOUBLE, doubleData: new Array(count).fill(fill) };
    case 5:
      return { name, dims, dataType: DT.INT32, int32Data: Array.from({ length: count }, () => g.extremeInt()) };
    default:
      return { name, dims, dataType: DT.FLOAT, floatData: new Array(count).fill(fill) };
  }
}

/**
 * A random graph: valid protobuf, arbitrary ONNX. Half are wired loosely (names from a small pool, so ghosts,
 * duplicates, cycles and order problems occur); half are well formed (a chain of supported ops over earlier tensors,
 * unique names, sensible input dims, consistent initializers), which gets past the structure checks to the op-level
 * validation of attributes, shapes and sizes.
 */
function randomGraph(g: Gen): Uint8Array {
  const wellFormed = g.bool();
  const inits = Array.from({ length: g.int(0, 4) }, (_, k) => {
    const name = wellFormed || g.bool(0.9) ? `c${k}` : g.name(['c0', 'x']);
    if (!wellFormed) return randomTensor(g, name);
    const dims = Array.from({ length: g.int(0, 4) }, () => g.int(1, 5));
    const n = dims.reduce((a, b) => a * b, 1);
    return g.bool(0.7)
      ? { name, dims, dataType: DT.FLOAT, floatData: Array.from({ length: n }, () => (g.bool(0.97) ? g.float() : 0.5)) }
      : { name, dims, dataType: DT.INT64, int64Data: Array.from({ length: n }, () => g.extremeInt()) };
  });
  const pool = ['x', ...inits.map((t) => t.name ?? '')];
  const nodeCount = g.int(wellFormed ? 1 : 0, 7);
  const outputs = Array.from({ length: nodeCount }, (_, k) => `t${k}`);
  const supported = OPS.filter((op) => op !== 'LSTM' && op !== '' && op !== 'LayerNormalization' && op !== 'Erf');
  const node = Array.from({ length: nodeCount }, (_, k): onnxProto.onnx.INodeProto => {
    if (wellFormed) {
      const prev = k === 0 ? 'x' : outputs[k - 1];
      const others = [...pool, ...outputs.slice(0, k)];
      const op = g.pick(supported);
      return {
        opType: op,
        name: `n${k}`,
        input: [prev, ...Array.from({ length: g.int(0, 3) }, () => (g.bool(0.1) ? '' : g.pick(others)))],
        output: op === 'Dropout' && g.bool(0.3) ? [outputs[k], `mask${k}`] : [outputs[k]],
        attribute: Array.from({ length: g.int(0, 4) }, () => randomAttribute(g)),
      };
    }
    // Mostly earlier tensors; sometimes a later one (order, cycles) or a ghost.
    const candidates = g.bool(0.9) ? [...pool, ...outputs.slice(0, k)] : [...pool, ...outputs];
    const out = g.bool(0.93) ? outputs[k] : g.name(candidates);
    return {
      opType: g.pick(OPS),
      name: g.bool(0.8) ? `n${k}` : g.name(['n0', 'n1']),
      domain: g.bool(0.97) ? '' : g.pick(['com.microsoft', 'ai.onnx', 'ai.onnx.ml']),
      input: Array.from({ length: g.int(0, 4) }, () => (g.bool(0.1) ? '' : g.name(candidates))),
      output: g.bool(0.9) ? [out] : [out, g.name([...candidates, `m${k}`])],
      attribute: Array.from({ length: g.int(0, 4) }, () => randomAttribute(g)),
    };
  });
  const rank = g.int(wellFormed ? 2 : 0, 5);
  const inputDims = Array.from({ length: rank }, (_, i) => {
    if (wellFormed) return { dimValue: i === 0 ? 1 : g.int(1, 6) };
    return g.bool(0.15) ? { dimParam: 'N' } : { dimValue: g.bool(0.9) ? g.int(1, 6) : g.extremeInt() };
  });
  const elemType = wellFormed || g.bool(0.9) ? DT.FLOAT : g.pick([DT.INT64, DT.FLOAT16, DT.DOUBLE, 0]);
  const graphInputs = [{ name: 'x', type: { tensorType: { elemType, shape: wellFormed || g.bool(0.95) ? { dim: inputDims } : undefined } } }];
  if (!wellFormed && g.bool(0.05)) graphInputs.push({ name: g.name(pool), type: { tensorType: { elemType: DT.FLOAT, shape: { dim: inputDims } } } });
  const lastOutput = outputs[nodeCount - 1] ?? 'x';
  const model = onnx.ModelProto.create({
    irVersion: g.int(3, 9),
    opsetImport: [{ domain: wellFormed || g.bool(0.95) ? '' : 'x', version: wellFormed || g.bool(0.9) ? g.int(7, 19) : g.extremeInt() }],
    graph: {
      name: wellFormed ? 'fuzz' : g.name(['fuzz']),
      node,
      initializer: inits,
      input: graphInputs,
      output: wellFormed ? [{ name: lastOutput }] : Array.from({ length: g.bool(0.95) ? 1 : g.int(0, 2) }, () => ({ name: g.bool(0.8) ? lastOutput : g.name([...pool, ...outputs]) })),
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** One to three field-level mutations of a committed model (decoded, changed, re-encoded). */
function mutateModel(g: Gen, src: Uint8Array): Uint8Array {
  const m = onnx.ModelProto.decode(src);
  const graph = m.graph as Decoded<onnxProto.onnx.IGraphProto>;
  const nodes = graph.node as DNode[];
  const inits = graph.initializer as DTensor[];
  const tensors = [...graph.input.map((i) => i.name ?? ''), ...inits.map((t) => t.name), ...nodes.flatMap((n) => n.output)];
  for (let e = g.int(1, 3); e > 0; e--) {
    const n = nodes.length > 0 ? nodes[g.int(0, nodes.length - 1)] : null;
    switch (g.int(0, 10)) {
      case 0: // an attribute value
        if (n && n.attribute.length > 0) {
          // An attribute added by an earlier mutation is a plain object: its repeated fields may be absent.
          const a = n.attribute[g.int(0, n.attribute.length - 1)] as Partial<DAttr>;
          if (a.ints && a.ints.length > 0) a.ints[g.int(0, a.ints.length - 1)] = g.extremeInt();
          else if (a.type === AT.INT) a.i = g.extremeInt();
          else if (a.type === AT.FLOAT) a.f = g.float();
          else a.ints = Array.from({ length: g.int(0, 5) }, () => g.extremeInt());
        }
        break;
      case 1: // a new or replaced attribute
        if (n) n.attribute.push(randomAttribute(g));
        break;
      case 2: { // an initializer's dims
        const t = inits.length > 0 ? inits[g.int(0, inits.length - 1)] : null;
        if (t) {
          if (t.dims.length > 0 && g.bool(0.7)) t.dims[g.int(0, t.dims.length - 1)] = g.extremeInt();
          else t.dims = g.bool() ? t.dims.slice(1) : [...t.dims, g.int(1, 3)];
        }
        break;
      }
      case 3: { // an initializer's data
        const t = inits.length > 0 ? inits[g.int(0, inits.length - 1)] : null;
        if (t) {
          if (t.rawData && t.rawData.length > 0) t.rawData = t.rawData.subarray(0, g.int(0, t.rawData.length));
          else if (t.floatData.length > 0) t.floatData[g.int(0, t.floatData.length - 1)] = g.float();
          else t.dataType = g.pick([DT.FLOAT16, DT.BFLOAT16, DT.STRING, DT.INT8]);
        }
        break;
      }
      case 4: // rewire an input
        if (n && n.input.length > 0) n.input[g.int(0, n.input.length - 1)] = g.name([...tensors, 'ghost']);
        break;
      case 5: // rename an output (duplicates, collisions with initializers)
        if (n && n.output.length > 0) n.output[0] = g.name(tensors);
        break;
      case 6: // change the op type
        if (n) n.opType = g.pick(OPS);
        break;
      case 7: // swap two nodes (order)
        if (nodes.length > 1) {
          const i = g.int(0, nodes.length - 1);
          const j = g.int(0, nodes.length - 1);
          [nodes[i], nodes[j]] = [nodes[j], nodes[i]];
        }
        break;
      case 8: { // the graph input's dims
        const dims = graph.input[0]?.type?.tensorType?.shape?.dim;
        if (dims && dims.length > 0) {
          const d = dims[g.int(0, dims.length - 1)];
          if (g.bool(0.3)) {
            d.dimValue = null;
            d.dimParam = 'N';
          } else d.dimValue = g.extremeInt();
        }
        break;
      }
      case 9: // drop a node, or duplicate one
        if (nodes.length > 0) {
          if (g.bool()) nodes.splice(g.int(0, nodes.length - 1), 1);
          else nodes.splice(g.int(0, nodes.length), 0, onnx.NodeProto.decode(onnx.NodeProto.encode(nodes[g.int(0, nodes.length - 1)]).finish()) as DNode);
        }
        break;
      default: // names
        if (n) n.name = g.name(nodes.map((x) => x.name));
        else graph.name = g.name(['g']);
    }
  }
  return onnx.ModelProto.encode(m).finish();
}

/** A samples file for an input of `values` values: valid, or with one of the quirks and damages seen in the wild. */
function samplesFile(g: Gen, values: number): Uint8Array {
  const rows = g.int(0, 4);
  const sample = () => Array.from({ length: values + (g.bool(0.9) ? 0 : g.int(-2, 2)) }, () => (g.bool(0.97) ? Math.round(g.rng.uniform(-2, 2) * 1000) / 1000 : g.pick(['NaN', '1e400', '0x10', '"1"', 'null', '-', '1e', '.5', 'Infinity'])));
  let text: string;
  if (g.bool()) {
    const nest = (s: unknown[]): string => {
      const depth = g.bool(0.9) ? g.int(0, 2) : g.pick([10, 63, 64, 65, 1000, 100_000]);
      return `${'['.repeat(depth)}[${s.join(g.pick([',', ', ', ' ,\n']))}]${']'.repeat(depth)}`;
    };
    const body = Array.from({ length: rows }, () => nest(sample())).join(', ');
    text = g.bool(0.7) ? `{"inputs": [${body}]${g.bool(0.2) ? ', "outputs": [[1]], "note": "a\\u00e9"' : ''}}` : `[${body}]`;
  } else {
    const header = g.bool(0.3) ? `${Array.from({ length: values }, (_, i) => (g.bool(0.9) ? `"x${i}"` : 'NaN')).join(',')}\n` : '';
    const sep = g.pick([',', ';', '\t', ', ']);
    const quote = g.bool(0.2);
    text = header + Array.from({ length: rows }, () => sample().map((v) => (quote ? `"${v}"` : String(v))).join(sep)).join(g.pick(['\n', '\r\n', '\n\n# c\n']));
  }
  if (g.bool(0.1)) text = `\uFEFF${text}`;
  let bytes: Uint8Array = enc(text);
  if (g.bool(0.15)) bytes = mutateBytes(g, bytes);
  return bytes;
}

const CONFIG_KEYS = ['inputShape', 'maxTensorElements', 'fanIn', 'fanOut', 'signalLimit', 'calibration', 'inputRange', 'calibrationSamples',
  'seed', 'approx', 'approxMethod', 'resistors', 'rMin', 'rMax', 'rFeedback', 'feedbackPer', 'tolerance', 'toleranceDist', 'vRef',
  'trials', 'workers', 'dacBits', 'adcBits', 'classThreshold', 'opamp', 'engine', 'samples', 'spiceTimeout', 'output', 'force',
  'verify', 'spice', 'inputs', 'stage', 'json', 'bogus'];

function configValue(g: Gen, depth = 0): unknown {
  switch (g.int(0, 8)) {
    case 0:
      return g.extremeInt();
    case 1:
      return g.float();
    case 2:
      return g.pick(['100k', '1M', '4k7', 'abc', '', '3', '1,28,28', '0,1', 'patent', 'min-error', 'E24', 'x'.repeat(200), '/dev/zero']);
    case 3:
      return g.bool();
    case 4:
      return null;
    case 5:
      return depth < 3 ? Array.from({ length: g.int(0, 3) }, () => configValue(g, depth + 1)) : [];
    case 6:
      return depth < 3 ? { k: configValue(g, depth + 1) } : {};
    case 7:
      return g.pick([1e20, 1e300, -1e-300, 2 ** 53, 100001]);
    default:
      return [g.int(1, 4), g.int(1, 8)];
  }
}

function configFile(g: Gen): Uint8Array {
  const doc: Record<string, unknown> = {};
  for (let k = g.int(0, 4); k > 0; k--) doc[g.pick(CONFIG_KEYS)] = configValue(g);
  let text = JSON.stringify(doc);
  if (g.bool(0.1)) text = text.replace(/(-?\d+(\.\d+)?(e[+-]?\d+)?)/, g.pick(['1e400', '-1e400', '0x10', 'NaN']));
  if (g.bool(0.05)) text = `{"fanIn": ${'['.repeat(50_000)}${']'.repeat(50_000)}}`;
  if (g.bool(0.1)) text = `\uFEFF${text}`;
  let bytes: Uint8Array = enc(text);
  if (g.bool(0.15)) bytes = mutateBytes(g, bytes);
  return bytes;
}

const KERAS_FILES = ['mlp.keras', 'cnn.keras', 'lstm.keras', 'gru.keras', 'ops.keras', 'hard_sigmoid.keras', 'mlp.h5', 'cnn.h5', 'gru.h5', 'ops.h5', 'rnn.h5'];
const TFJS_MODELS = ['mlp', 'cnn', 'lstm', 'gru', 'hard_sigmoid'];
const raw = new Map<string, Uint8Array>();
function fileBytes(path: string): Uint8Array {
  let b = raw.get(path);
  if (!b) {
    b = new Uint8Array(readFileSync(join(FIXTURES, path)));
    raw.set(path, b);
  }
  return b;
}

/** A Keras file cut short or with bytes overwritten (inside the zip's deflate streams, or the HDF5 structures). */
function kerasBytes(g: Gen): { bytes: Uint8Array; name: string } {
  const file = g.pick(KERAS_FILES);
  const src = fileBytes(join('keras', file));
  let b = Uint8Array.from(src);
  if (g.bool(0.4)) b = b.slice(0, g.int(0, b.length - 1));
  else {
    const n = g.pick([1, 2, 8, 64]);
    // HDF5 structures (superblock, object headers, B-trees) sit mostly in the first few kB.
    const span = g.bool(0.6) ? Math.min(b.length, 4096) : b.length;
    for (let i = 0; i < n; i++) b[g.int(0, span - 1)] = g.int(0, 255);
  }
  return { bytes: b, name: g.bool(0.9) ? file : 'model.bin' };
}

/** One random change deep inside a JSON value: a key deleted, a value replaced by one of another type, a list grown. */
function mutateJson(g: Gen, doc: unknown, times: number): unknown {
  const copy = JSON.parse(JSON.stringify(doc)) as unknown;
  for (let t = 0; t < times; t++) {
    const holders: (Record<string, unknown> | unknown[])[] = [];
    const walk = (v: unknown, depth: number) => {
      if (depth > 12 || v === null || typeof v !== 'object') return;
      holders.push(v as Record<string, unknown> | unknown[]);
      for (const c of Object.values(v as object)) walk(c, depth + 1);
    };
    walk(copy, 0);
    const h = g.pick(holders);
    const keys = Object.keys(h);
    if (keys.length === 0) continue;
    const k = g.pick(keys);
    const values: unknown[] = [null, -1, 0, 1, 3, 1e9, 2.5, NaN, 'x', '', 'relu', 'same', 'Dense', 'hard_sigmoid', true, false, [], {}, [null, 3], [2, 2], [[1, 1], [0, 2]], 'input_layer'];
    const op = g.int(0, 3);
    if (op === 0 && !Array.isArray(h)) delete (h as Record<string, unknown>)[k];
    else if (op === 1 && Array.isArray(h)) h.push(JSON.parse(JSON.stringify(h[g.int(0, h.length - 1)] ?? null)));
    else (h as Record<string, unknown>)[k] = g.pick(values);
  }
  return copy;
}

/** A Keras 3 file with its config.json mutated (or its weights entry dropped or cut), re-zipped. */
function kerasConfig(g: Gen): Uint8Array {
  const entries = unzipSync(fileBytes(join('keras', g.pick(KERAS_FILES.filter((f) => f.endsWith('.keras'))))));
  const cfg = JSON.parse(new TextDecoder().decode(entries['config.json'])) as unknown;
  const out: Record<string, Uint8Array> = { ...entries, 'config.json': strToU8(JSON.stringify(mutateJson(g, cfg, g.pick([1, 1, 2, 4])))) };
  if (g.bool(0.1)) delete out['model.weights.h5'];
  else if (g.bool(0.1)) out['model.weights.h5'] = out['model.weights.h5'].slice(0, g.int(0, out['model.weights.h5'].length));
  return zipSync(out, { mtime: new Date(2026, 0, 1) });
}

/** A TF.js model.json with fields mutated, its shard sometimes cut, renamed away or split. */
function tfjsCase(g: Gen): { json: Uint8Array; extra: { name: string; bytes: Uint8Array }[] } {
  const name = g.pick(TFJS_MODELS);
  const doc = JSON.parse(new TextDecoder().decode(fileBytes(join('tfjs', name, 'model.json')))) as unknown;
  let bin = fileBytes(join('tfjs', name, 'weights.bin'));
  if (g.bool(0.1)) bin = bin.slice(0, g.int(0, bin.length));
  const mutated = g.bool(0.9) ? mutateJson(g, doc, g.pick([1, 1, 2, 3])) : doc;
  const extra = g.bool(0.05) ? [] : [{ name: 'weights.bin', bytes: bin }];
  return { json: strToU8(JSON.stringify(mutated)), extra };
}

/** Case `index` of `kind` under `seed`: a pure function of the three. */
export function makeCase(kind: FuzzKind, seed: number, index: number): FuzzCase {
  const g = new Gen(new Rng((seed ^ Math.imul(index + 1, 0x9e3779b1) ^ Math.imul(KINDS.indexOf(kind) + 1, 0x85ebca6b)) >>> 0));
  const id = `${kind}#${index}@${seed}`;
  const fixture = g.pick(MODEL_FIXTURES);
  switch (kind) {
    case 'onnx-bytes': {
      const body = Uint8Array.from({ length: g.int(0, 3000) }, () => g.int(0, 255));
      // Half of them start like a ModelProto (ir_version, then a graph field) so decoding gets further.
      return { id, kind, model: g.bool() ? Uint8Array.from([0x08, 0x07, 0x3a, ...body]) : body };
    }
    case 'onnx-mutation':
      return { id, kind, model: mutateBytes(g, fixtureBytes(fixture)) };
    case 'onnx-graph':
      return { id, kind, model: randomGraph(g) };
    case 'onnx-field':
      return { id, kind, model: mutateModel(g, fixtureBytes(fixture)) };
    case 'samples': {
      const small = g.pick(['tiny_mlp', 'iris_mlp', 'digits_cnn']);
      const values = small === 'tiny_mlp' ? 3 : small === 'iris_mlp' ? 4 : 64;
      return { id, kind, model: small, samples: samplesFile(g, values) };
    }
    case 'config':
      return { id, kind, model: g.pick(['tiny_mlp', 'iris_mlp']), config: configFile(g) };
    case 'keras-bytes': {
      const { bytes, name } = kerasBytes(g);
      return { id, kind, model: bytes, fileName: name };
    }
    case 'keras-config':
      return { id, kind, model: kerasConfig(g), fileName: 'model.keras' };
    case 'tfjs-json': {
      const { json, extra } = tfjsCase(g);
      return { id, kind, model: json, fileName: 'model.json', extra };
    }
  }
}

async function command(args: string[]): Promise<CommandResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    out: (t) => (stdout += t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => (stderr += t.endsWith('\n') ? t : `${t}\n`),
    interactive: false,
  };
  const t = performance.now();
  let code = -1;
  let thrown: string | undefined;
  try {
    code = await main(args, io);
  } catch (e) {
    thrown = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
  return { args, code, stderr, stdout, ms: performance.now() - t, ...(thrown !== undefined ? { thrown } : {}) };
}

/** Why a command broke the contract, or null. */
function commandProblem(r: CommandResult): string | null {
  if (r.thrown !== undefined) return `main threw ${r.thrown}`;
  if (r.code !== 0 && r.code !== 2) return `exit ${r.code}: ${r.stderr.trim().slice(0, 300)}`;
  if (r.code === 2) {
    const lines = r.stderr.trimEnd().split('\n');
    if (lines.length !== 1) return `exit 2 with ${lines.length} lines on stderr: ${r.stderr.slice(0, 300)}`;
    if (!lines[0].startsWith('ohmnet: ')) return `exit 2 without a message: ${lines[0].slice(0, 200)}`;
  }
  return null;
}

/** Deterministic sample values for a model whose per-sample input has `n` values. */
function validSamples(n: number, rows = 2): string {
  return JSON.stringify({ inputs: Array.from({ length: rows }, (_, r) => Array.from({ length: n }, (_, i) => ((i * 7 + r * 3) % 11) / 10 - 0.5)) });
}

/**
 * Runs a case in `dir` (its files are written there, overwriting the previous case's): inspect, then run --stage
 * source when the model is readable. `limitMs` bounds the whole case.
 */
export async function runCase(c: FuzzCase, dir: string, limitMs: number): Promise<CaseResult> {
  const model = typeof c.model === 'string' ? join(FIXTURES, `${c.model}.onnx`) : join(dir, c.fileName ?? 'model.onnx');
  if (typeof c.model !== 'string') writeFileSync(model, c.model);
  // A TF.js case's shards (a case without them checks the missing-shard refusal: remove the last case's).
  if (c.fileName === 'model.json') rmSync(join(dir, 'weights.bin'), { force: true });
  for (const f of c.extra ?? []) writeFileSync(join(dir, f.name), f.bytes);
  const common = ['--max-tensor-elements', MAX_ELEMENTS];
  const config: string[] = [];
  if (c.config) {
    writeFileSync(join(dir, 'config.json'), c.config);
    config.push('--config', join(dir, 'config.json'));
  }
  const commands: CommandResult[] = [];
  const start = performance.now();
  let problem: string | null = null;
  const inspect = await command(['inspect', model, '--json', ...common, ...config]);
  commands.push(inspect);
  problem = commandProblem(inspect);
  let listedRefusals = false;
  if (!problem && inspect.code === 0) {
    let samples = join(dir, 'samples.json');
    if (c.samples) {
      samples = join(dir, c.samples[0] === 0x7b || c.samples[0] === 0x5b ? 'samples.json' : 'samples.csv');
      writeFileSync(samples, c.samples);
    } else {
      // inspect lists refused nodes without failing (issue 19); run must then refuse the model.
      const j = JSON.parse(inspect.stdout) as { input?: { shape: number[] }; compilable?: boolean };
      listedRefusals = j.compilable === false;
      const shape = listedRefusals ? [1] : j.input!.shape;
      writeFileSync(samples, validSamples(shape.reduce((s, d) => s * d, 1)));
    }
    // Half the runs print the human form (its own formatting paths), half JSON.
    const run = await command(['run', model, '--inputs', samples, '--stage', 'source', ...common, ...config, ...(c.id.length % 2 === 0 ? ['--json'] : [])]);
    commands.push(run);
    problem = commandProblem(run);
    if (!problem && listedRefusals && run.code === 0) problem = 'inspect listed refused nodes, but run accepted the model';
  }
  const ms = performance.now() - start;
  if (!problem && ms > limitMs) problem = `took ${ms.toFixed(0)} ms, past the limit of ${limitMs} ms`;
  const outcome = problem ? 'bad' : commands.every((r) => r.code === 0) ? 'ok' : 'refused';
  return { id: c.id, kind: c.kind, commands, ms, problem, outcome };
}
