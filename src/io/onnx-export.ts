// ONNX writer: an ohmnet source-graph IR (src/ir/ops.ts) -> an ONNX model that onnxruntime (and ohmnet's importer)
// evaluate like ohmnet's float64 reference, up to float32 rounding.
//
// Used by the commands that change a model's weights or structure and hand it back to the user (training, pruning):
// the IR is what they edit, so the written model is the IR, op by op, not the source file patched. What the file is:
//  - opset 13, IR version 7, producer "ohmnet"; the graph's doc string is the IR's origin;
//  - the input is batch-first, [N, ...per-sample shape] with N symbolic, whatever the source's batch axis was (a
//    recurrent model exported from a time-major source reads [N, T, I] here); the output is [N, ...];
//  - weights and constants are FLOAT (float32): a float64 weight is rounded to the nearest float32 (relative change
//    <= 6e-8), and float attributes (alpha, epsilon) are float32 as ONNX defines them;
//  - one ONNX op (or a short fixed sequence) per IR node, named after it, so `ohmnet inspect` of the written file shows
//    the same node names.
// Every node kind is listed in the switch with no default: a new kind does not compile until it can be written.

import onnxProto from 'onnx-proto';
import type { ActivationFn, Graph, Node, RecurrentActivation, RecurrentNode } from '../ir/ops.js';
import { inferShapes } from '../ir/shapes.js';
import type { Shape } from '../ir/tensor.js';

const { onnx } = onnxProto;
type INodeProto = onnxProto.onnx.INodeProto;
type IAttributeProto = onnxProto.onnx.IAttributeProto;
type ITensorProto = onnxProto.onnx.ITensorProto;

export const EXPORT_OPSET = 13;
const IR_VERSION = 7;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;
const A = onnx.AttributeProto.AttributeType;

export interface ExportOptions {
  /** producer_version written into the file (default: none). */
  readonly producerVersion?: string;
}

/** Writes the graph as ONNX bytes. Deterministic: the same graph gives the same bytes. */
export function exportOnnx(graph: Graph, options: ExportOptions = {}): Uint8Array {
  const w = new Writer(graph);
  for (const node of graph.nodes) w.node(node);
  const shapes = w.shapes;
  const outShape = shapes.get(graph.output);
  if (!outShape) throw new Error(`exportOnnx: the graph output '${graph.output}' is not produced by any node`);
  const model: onnxProto.onnx.IModelProto = {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: EXPORT_OPSET }],
    producerName: 'ohmnet',
    producerVersion: options.producerVersion ?? '',
    graph: {
      name: graph.name,
      docString: graph.origin,
      node: w.nodes,
      initializer: w.initializers,
      input: [valueInfo(graph.input.name, graph.input.shape)],
      output: [valueInfo(graph.output, outShape)],
    },
  };
  return onnx.ModelProto.encode(model).finish();
}

function valueInfo(name: string, perSample: Shape): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimParam: 'N' }, ...perSample.map((d) => ({ dimValue: d }))] } } },
  };
}

function floatTensor(name: string, dims: readonly number[], data: ArrayLike<number>): ITensorProto {
  const f = Float32Array.from(data);
  return { name, dims: [...dims], dataType: FLOAT, rawData: new Uint8Array(f.buffer, f.byteOffset, f.byteLength) };
}

function int64Tensor(name: string, values: readonly number[]): ITensorProto {
  const b = BigInt64Array.from(values.map((v) => BigInt(v)));
  return { name, dims: [values.length], dataType: INT64, rawData: new Uint8Array(b.buffer, b.byteOffset, b.byteLength) };
}

const ints = (name: string, v: readonly number[]): IAttributeProto => ({ name, type: A.INTS, ints: [...v] });
const int = (name: string, v: number): IAttributeProto => ({ name, type: A.INT, i: v });
const float = (name: string, v: number): IAttributeProto => ({ name, type: A.FLOAT, f: v });
const strings = (name: string, v: readonly string[]): IAttributeProto => ({ name, type: A.STRINGS, strings: v.map((s) => Buffer.from(s, 'utf8')) });
const floats = (name: string, v: readonly number[]): IAttributeProto => ({ name, type: A.FLOATS, floats: [...v] });

/** Per-sample axis a -> the ONNX axis (batch first). */
const ax = (a: number): number => a + 1;

class Writer {
  readonly nodes: INodeProto[] = [];
  readonly initializers: ITensorProto[] = [];
  readonly shapes: Map<string, number[]>;
  private readonly used = new Set<string>();

  constructor(private readonly graph: Graph) {
    // The graph was validated when it was built; no size limit is re-imposed on writing it.
    this.shapes = inferShapes(graph, { maxTensorElements: Number.MAX_SAFE_INTEGER });
    this.used.add(graph.input.name);
    for (const n of graph.nodes) this.used.add(n.output);
  }

  /** A tensor name not used by the graph. */
  private fresh(base: string): string {
    let name = base;
    for (let k = 1; this.used.has(name); k++) name = `${base}_${k}`;
    this.used.add(name);
    return name;
  }

  private init(base: string, dims: readonly number[], data: ArrayLike<number>): string {
    const name = this.fresh(base);
    this.initializers.push(floatTensor(name, dims, data));
    return name;
  }

  private initInt64(base: string, values: readonly number[]): string {
    const name = this.fresh(base);
    this.initializers.push(int64Tensor(name, values));
    return name;
  }

  private op(opType: string, name: string, inputs: readonly string[], outputs: readonly string[], attribute: IAttributeProto[] = []): void {
    this.nodes.push({ opType, name, input: [...inputs], output: [...outputs], attribute });
  }

  private shapeOf(tensor: string): number[] {
    const s = tensor === this.graph.input.name ? [...this.graph.input.shape] : this.shapes.get(tensor);
    if (!s) throw new Error(`exportOnnx: no shape for tensor '${tensor}'`);
    return s;
  }

  /** Reshape to [N, ...perSample] (0 copies the batch extent). */
  private reshape(name: string, input: string, perSample: readonly number[], output: string): void {
    const shape = this.initInt64(`${name}.shape`, [0, ...perSample]);
    this.op('Reshape', name, [input, shape], [output]);
  }

  node(n: Node): void {
    const [x] = n.inputs;
    switch (n.kind) {
      case 'dense': {
        const [O, K] = n.weight.shape;
        const inShape = this.shapeOf(x);
        if (inShape.length === 1) {
          const inputs = [x, this.init(`${n.name}.weight`, [O, K], n.weight.data)];
          if (n.bias) inputs.push(this.init(`${n.name}.bias`, [O], n.bias));
          this.op('Gemm', n.name, inputs, [n.output], [int('transB', 1)]);
          return;
        }
        // A dense layer along the last axis of a higher-rank activation: MatMul by W^T, then the bias.
        const wt = new Float64Array(K * O);
        for (let o = 0; o < O; o++) for (let k = 0; k < K; k++) wt[k * O + o] = n.weight.data[o * K + k];
        const w = this.init(`${n.name}.weight_t`, [K, O], wt);
        if (!n.bias) {
          this.op('MatMul', n.name, [x, w], [n.output]);
          return;
        }
        const mm = this.fresh(`${n.output}.matmul`);
        this.op('MatMul', `${n.name}/MatMul`, [x, w], [mm]);
        this.op('Add', n.name, [mm, this.init(`${n.name}.bias`, [O], n.bias)], [n.output]);
        return;
      }
      case 'conv': {
        const inputs = [x, this.init(`${n.name}.weight`, n.weight.shape, n.weight.data)];
        if (n.bias) inputs.push(this.init(`${n.name}.bias`, [n.bias.length], n.bias));
        this.op('Conv', n.name, inputs, [n.output], [
          ints('kernel_shape', n.weight.shape.slice(2)), ints('strides', n.strides), ints('pads', n.pads), ints('dilations', n.dilations), int('group', n.group),
        ]);
        return;
      }
      case 'batchnorm': {
        const C = n.scale.length;
        const p = (k: string, v: Float64Array): string => this.init(`${n.name}.${k}`, [C], v);
        this.op('BatchNormalization', n.name, [x, p('scale', n.scale), p('bias', n.bias), p('mean', n.mean), p('var', n.variance)], [n.output], [float('epsilon', n.epsilon)]);
        return;
      }
      case 'activation':
        this.activation(n.name, n.fn, x, n.output);
        return;
      case 'softmax': {
        const shape = this.shapeOf(x);
        if (n.axes.length === 1) {
          this.op('Softmax', n.name, [x], [n.output], [int('axis', ax(n.axes[0]))]);
          return;
        }
        // Over several trailing axes (opset < 13 coercion): flatten them, softmax the last axis, restore the shape.
        const first = n.axes[0];
        const flat = [...shape.slice(0, first), shape.slice(first).reduce((a, b) => a * b, 1)];
        const f = this.fresh(`${n.output}.flat`);
        const s = this.fresh(`${n.output}.softmax`);
        this.reshape(`${n.name}/Flatten`, x, flat, f);
        this.op('Softmax', `${n.name}/Softmax`, [f], [s], [int('axis', flat.length)]);
        this.reshape(n.name, s, shape, n.output);
        return;
      }
      case 'maxpool':
        this.op('MaxPool', n.name, [x], [n.output], [
          ints('kernel_shape', n.kernel), ints('strides', n.strides), ints('pads', n.pads), ints('dilations', n.dilations), int('ceil_mode', n.ceilMode ? 1 : 0),
        ]);
        return;
      case 'avgpool':
        this.op('AveragePool', n.name, [x], [n.output], [
          ints('kernel_shape', n.kernel), ints('strides', n.strides), ints('pads', n.pads), int('ceil_mode', n.ceilMode ? 1 : 0),
          int('count_include_pad', n.countIncludePad ? 1 : 0),
        ]);
        return;
      case 'reducemean':
        this.op('ReduceMean', n.name, [x], [n.output], [ints('axes', n.axes.map(ax)), int('keepdims', n.keepDims ? 1 : 0)]);
        return;
      case 'reshape':
        this.reshape(n.name, x, n.shape, n.output);
        return;
      case 'transpose':
        this.op('Transpose', n.name, [x], [n.output], [ints('perm', [0, ...n.perm.map(ax)])]);
        return;
      case 'concat':
        this.op('Concat', n.name, [...n.inputs], [n.output], [int('axis', ax(n.axis))]);
        return;
      case 'binary': {
        // numpy broadcasting aligns from the right, and every operand carries the batch axis first: an operand of
        // lower per-sample rank is given leading 1s first, so its batch axis meets the other's.
        const rank = this.shapeOf(n.output).length;
        const operands = n.inputs.map((t, k) => {
          const s = this.shapeOf(t);
          if (s.length === rank) return t;
          const r = this.fresh(`${t}.rank${rank}`);
          this.reshape(`${n.name}/Unsqueeze${k}`, t, [...new Array<number>(rank - s.length).fill(1), ...s], r);
          return r;
        });
        this.op(binaryOp(n.op), n.name, operands, [n.output]);
        return;
      }
      case 'constBinary': {
        const c = this.init(`${n.name}.constant`, [1, ...this.shapeOf(x)], n.constant);
        this.op(binaryOp(n.op), n.name, n.constantOnLeft ? [c, x] : [x, c], [n.output]);
        return;
      }
      case 'pad': {
        const r = n.pads.length / 2;
        const pads = this.initInt64(`${n.name}.pads`, [0, ...n.pads.slice(0, r), 0, ...n.pads.slice(r)]);
        const value = this.init(`${n.name}.value`, [], [n.value]);
        this.op('Pad', n.name, [x, pads, value], [n.output], [{ name: 'mode', type: A.STRING, s: Buffer.from('constant') }]);
        return;
      }
      case 'slice': {
        const inShape = this.shapeOf(x);
        // A negative step's end before index 0 is -1 in the IR; ONNX would read -1 as the last index, so it is
        // written as -(extent + 1), which ONNX clamps to "before index 0".
        const ends = n.ends.map((e, a) => (e < 0 ? e - inShape[a] : e));
        const axes = inShape.map((_, a) => ax(a));
        const sel = this.fresh(`${n.output}.slice`);
        this.op('Slice', `${n.name}/Slice`, [x, this.initInt64(`${n.name}.starts`, n.starts), this.initInt64(`${n.name}.ends`, ends), this.initInt64(`${n.name}.axes`, axes), this.initInt64(`${n.name}.steps`, n.steps)], [sel]);
        this.reshape(n.name, sel, n.shape, n.output);
        return;
      }
      case 'gather': {
        const inShape = this.shapeOf(x);
        let source = x;
        let indices = n.indices;
        if (indices.some((i) => i < 0)) {
          // Index -1 selects the constant 0: a zero slice padded at the end of the axis, selected by its index.
          const r = inShape.length + 1;
          const pads = new Array<number>(2 * r).fill(0);
          pads[r + ax(n.axis)] = 1;
          source = this.fresh(`${n.output}.zero_padded`);
          this.op('Pad', `${n.name}/Pad`, [x, this.initInt64(`${n.name}.pads`, pads), this.init(`${n.name}.zero`, [], [0])], [source], [{ name: 'mode', type: A.STRING, s: Buffer.from('constant') }]);
          indices = indices.map((i) => (i < 0 ? inShape[n.axis] : i));
        }
        this.op('Gather', n.name, [source, this.initInt64(`${n.name}.indices`, indices)], [n.output], [int('axis', ax(n.axis))]);
        return;
      }
      case 'recurrent':
        this.recurrent(n, x);
        return;
      default:
        return unwritable(n);
    }
  }

  private activation(name: string, fn: ActivationFn, x: string, out: string): void {
    switch (fn.type) {
      case 'relu':
        this.op('Relu', name, [x], [out]);
        return;
      case 'clip': {
        const lo = Number.isFinite(fn.min) ? this.init(`${name}.min`, [], [fn.min]) : '';
        const hi = Number.isFinite(fn.max) ? this.init(`${name}.max`, [], [fn.max]) : '';
        this.op('Clip', name, hi ? [x, lo, hi] : lo ? [x, lo] : [x], [out]);
        return;
      }
      case 'leakyRelu':
        this.op('LeakyRelu', name, [x], [out], [float('alpha', fn.alpha)]);
        return;
      case 'sigmoid':
        this.op('Sigmoid', name, [x], [out]);
        return;
      case 'hardSigmoid':
        this.op('HardSigmoid', name, [x], [out], [float('alpha', fn.alpha), float('beta', fn.beta)]);
        return;
      case 'tanh':
        this.op('Tanh', name, [x], [out]);
        return;
      case 'elu':
        this.op('Elu', name, [x], [out], [float('alpha', fn.alpha)]);
        return;
      case 'selu':
        this.op('Selu', name, [x], [out], [float('alpha', fn.alpha), float('gamma', fn.gamma)]);
        return;
      case 'softplus':
        this.op('Softplus', name, [x], [out]);
        return;
      case 'softsign':
        this.op('Softsign', name, [x], [out]);
        return;
      default:
        return unwritable(fn);
    }
  }

  /**
   * RNN/LSTM/GRU, forward, layout 0 (onnxruntime's CPU kernels refuse layout 1): the batch-first [N, T, I] input is
   * transposed to [T, N, I], and the op's output back to batch first (Y [T, 1, N, H] -> [N, T, 1, H]; Y_h, Y_c
   * [1, N, H] -> [N, 1, H]). A nonzero initial state is a constant of batch 1, as the importer accepted it.
   */
  private recurrent(n: RecurrentNode, x: string): void {
    const G = n.weight.shape[0] / n.hiddenSize;
    const H = n.hiddenSize;
    const I = n.weight.shape[1];
    const base = n.sharedWith ?? n.name;
    const opType = n.cell === 'lstm' ? 'LSTM' : n.cell === 'gru' ? 'GRU' : 'RNN';
    const tm = this.fresh(`${n.output}.time_major`);
    this.op('Transpose', `${n.name}/ToTimeMajor`, [x], [tm], [ints('perm', [1, 0, 2])]);
    const b = new Float64Array(2 * G * H);
    b.set(n.inputBias, 0);
    b.set(n.recurrenceBias, G * H);
    const inputs = [
      tm,
      this.init(`${base}.W`, [1, G * H, I], n.weight.data),
      this.init(`${base}.R`, [1, G * H, H], n.recurrence.data),
      this.init(`${base}.B`, [1, 2 * G * H], b),
      '',
      n.initialH.some((v) => v !== 0) ? this.init(`${base}.initial_h`, [1, 1, H], n.initialH) : '',
    ];
    if (n.cell === 'lstm') inputs.push(n.initialC && n.initialC.some((v) => v !== 0) ? this.init(`${base}.initial_c`, [1, 1, H], n.initialC) : '');
    while (inputs[inputs.length - 1] === '') inputs.pop();
    const attrs: IAttributeProto[] = [int('hidden_size', H), strings('activations', n.activations.map(activationName))];
    if (n.hardSigmoid) {
      // activation_alpha/beta are consumed in activation order by the parametric activations only (onnxruntime's
      // reading): one value per HardSigmoid.
      const hard = n.activations.filter((a) => a === 'hardSigmoid');
      attrs.push(floats('activation_alpha', hard.map(() => n.hardSigmoid!.alpha)));
      attrs.push(floats('activation_beta', hard.map(() => n.hardSigmoid!.beta)));
    }
    if (n.cell === 'gru') attrs.push(int('linear_before_reset', n.linearBeforeReset ? 1 : 0));
    const slot = n.produces === 'sequence' ? 0 : n.produces === 'hidden' ? 1 : 2;
    const outputs = ['', '', ''].slice(0, slot + 1);
    const raw = this.fresh(`${n.output}.time_major_out`);
    outputs[slot] = raw;
    this.op(opType, n.name, inputs, outputs, attrs);
    this.op('Transpose', `${n.name}/ToBatchFirst`, [raw], [n.output], [ints('perm', n.produces === 'sequence' ? [2, 0, 1, 3] : [1, 0, 2])]);
  }
}

/** The exhaustiveness check: a node kind or activation without a case above is a compile error here. */
function unwritable(x: never): never {
  throw new Error(`exportOnnx: no ONNX form for ${JSON.stringify((x as { kind?: string; type?: string }).kind ?? (x as { type?: string }).type)}`);
}

function binaryOp(op: 'add' | 'sub' | 'mul'): string {
  return op === 'add' ? 'Add' : op === 'sub' ? 'Sub' : 'Mul';
}

function activationName(a: RecurrentActivation): string {
  switch (a) {
    case 'sigmoid':
      return 'Sigmoid';
    case 'tanh':
      return 'Tanh';
    case 'relu':
      return 'Relu';
    case 'hardSigmoid':
      return 'HardSigmoid';
  }
}
