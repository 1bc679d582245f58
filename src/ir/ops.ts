// The op kinds of the source-graph IR, one interface per kind, as a discriminated union on `kind`.
//
// Every shape in the IR is PER SAMPLE: the batch dimension of the source format is removed at import, and every
// axis attribute is renumbered accordingly (ONNX axis 1 becomes IR axis 0). The analog network computes one sample
// at a time, so later stages never need to reason about batches; the reference evaluator loops over samples.
//
// Parameters are Float64Array copies of the source weights (float32 weights widen exactly).

import type { Tensor } from './tensor.js';

interface NodeBase {
  /** Unique node name (the source node's name, or a generated one). */
  readonly name: string;
  /** Names of the input activations (never constants: constants are folded into the node's parameters). */
  readonly inputs: readonly string[];
  /** Name of the output activation. */
  readonly output: string;
  /** The source op type(s) this node came from, e.g. "Gemm" or "MatMul", for reports. */
  readonly sourceOp: string;
}

/** y[..., o] = sum_k W[o, k] x[..., k] + b[o]: a fully connected layer applied along the last axis. */
export interface DenseNode extends NodeBase {
  readonly kind: 'dense';
  /** Weight matrix, shape [out, in]. */
  readonly weight: Tensor;
  /** Bias of length out, or null. */
  readonly bias: Float64Array | null;
}

/** N-d convolution (N = 1 or 2) over a [C, ...spatial] input, as ONNX Conv (cross-correlation). */
export interface ConvNode extends NodeBase {
  readonly kind: 'conv';
  /** Weight, shape [M, C/group, ...kernel]. */
  readonly weight: Tensor;
  /** Bias of length M, or null. */
  readonly bias: Float64Array | null;
  readonly strides: readonly number[];
  /** Padding as [begin_0, ..., begin_{n-1}, end_0, ..., end_{n-1}] (ONNX order). */
  readonly pads: readonly number[];
  readonly dilations: readonly number[];
  readonly group: number;
}

/** Inference-mode batch normalization over axis 0 (channels): y = scale (x - mean) / sqrt(var + eps) + bias. */
export interface BatchNormNode extends NodeBase {
  readonly kind: 'batchnorm';
  readonly scale: Float64Array;
  readonly bias: Float64Array;
  readonly mean: Float64Array;
  readonly variance: Float64Array;
  readonly epsilon: number;
}

/** Element-wise activation functions. Each maps directly onto an analog neuron's transfer function or a composition. */
export type ActivationFn =
  | { readonly type: 'relu' }
  /** min(max(x, min), max); either bound may be infinite. ReLU6 is clip(0, 6). */
  | { readonly type: 'clip'; readonly min: number; readonly max: number }
  | { readonly type: 'leakyRelu'; readonly alpha: number }
  | { readonly type: 'sigmoid' }
  /** max(0, min(1, alpha x + beta)) */
  | { readonly type: 'hardSigmoid'; readonly alpha: number; readonly beta: number }
  | { readonly type: 'tanh' }
  /** x for x > 0, alpha (exp(x) - 1) otherwise (ONNX Elu). */
  | { readonly type: 'elu'; readonly alpha: number }
  /** gamma x for x > 0, gamma alpha (exp(x) - 1) otherwise (ONNX Selu). */
  | { readonly type: 'selu'; readonly alpha: number; readonly gamma: number }
  /** log(1 + exp(x)) */
  | { readonly type: 'softplus' }
  /** x / (1 + |x|) */
  | { readonly type: 'softsign' };

export interface ActivationNode extends NodeBase {
  readonly kind: 'activation';
  readonly fn: ActivationFn;
}

/** Softmax over one axis. Left to a digital tail by the compiler when it is the output. */
export interface SoftmaxNode extends NodeBase {
  readonly kind: 'softmax';
  /** The per-sample axes the softmax normalizes over (ONNX opset < 13 coerces to 2-D: all axes from `axis` on). */
  readonly axes: readonly number[];
}

interface PoolBase extends NodeBase {
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  /** [begin..., end...] as in ONNX. */
  readonly pads: readonly number[];
  /** Output size rounds up (ONNX ceil_mode = 1); windows starting in the end padding are dropped, as in PyTorch. */
  readonly ceilMode: boolean;
}

export interface MaxPoolNode extends PoolBase {
  readonly kind: 'maxpool';
  readonly dilations: readonly number[];
}

export interface AvgPoolNode extends PoolBase {
  readonly kind: 'avgpool';
  /** Whether padded positions count in the divisor (ONNX count_include_pad). */
  readonly countIncludePad: boolean;
}

/** Mean over the given per-sample axes (GlobalAveragePool is this over all spatial axes with keepDims). */
export interface ReduceMeanNode extends NodeBase {
  readonly kind: 'reducemean';
  readonly axes: readonly number[];
  readonly keepDims: boolean;
}

/** A change of shape with the same row-major data (Flatten, Reshape, Squeeze, Unsqueeze). */
export interface ReshapeNode extends NodeBase {
  readonly kind: 'reshape';
  readonly shape: readonly number[];
}

export interface TransposeNode extends NodeBase {
  readonly kind: 'transpose';
  readonly perm: readonly number[];
}

export interface ConcatNode extends NodeBase {
  readonly kind: 'concat';
  readonly axis: number;
}

export type BinaryOp = 'add' | 'sub' | 'mul';

/**
 * Element-wise op between two activations (a residual Add, SiLU's x * sigmoid(x), a squeeze-and-excitation gate
 * x * s). The operands' per-sample shapes (the shapes of `inputs`) broadcast numpy-style: aligned from the right, each
 * pair of extents equal or one of them 1 (s of [C, 1, 1] against x of [C, H, W]); the output has the broadcast shape
 * (ir/kernels.ts broadcastShape, broadcastIndex).
 */
export interface BinaryNode extends NodeBase {
  readonly kind: 'binary';
  readonly op: BinaryOp;
}

/** Element-wise op between an activation and a constant (already broadcast to the activation's per-sample shape). */
export interface ConstBinaryNode extends NodeBase {
  readonly kind: 'constBinary';
  readonly op: BinaryOp;
  /** The constant, expanded to the input's per-sample size. */
  readonly constant: Float64Array;
  /** Element count of the constant as stored in the source, before broadcasting (for parameter counts). */
  readonly constantElements: number;
  /** True for c - x (the constant is the left operand); only matters for 'sub'. */
  readonly constantOnLeft: boolean;
}

/** Constant padding: [begin..., end...] per per-sample axis. */
export interface PadNode extends NodeBase {
  readonly kind: 'pad';
  readonly pads: readonly number[];
  readonly value: number;
}

/**
 * A strided selection (ONNX Slice, and Gather with evenly spaced or scalar indices) followed by a row-major reshape:
 * for each per-sample axis the elements start, start + step, ... before end (step may be negative; every bound
 * already clamped and resolved at import), then the selection is given `shape` (a Gather with a scalar index drops
 * its axis). The selection's element count equals sizeOf(shape).
 */
export interface SliceNode extends NodeBase {
  readonly kind: 'slice';
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  readonly steps: readonly number[];
  readonly shape: readonly number[];
}

/**
 * A selection along one per-sample axis by a list of indices, in order (repeats allowed; -1 gives the constant 0):
 * ONNX Gather with arbitrary constant indices, edge and reflect padding, nearest resizing, and the zeros a
 * transposed convolution inserts between input elements. The output has the input's shape with `axis` of length
 * indices.length.
 */
export interface GatherNode extends NodeBase {
  readonly kind: 'gather';
  readonly axis: number;
  readonly indices: readonly number[];
}

export type RecurrentCell = 'rnn' | 'lstm' | 'gru';
/** The gate and cell activations; 'hardSigmoid' is max(0, min(1, alpha v + beta)) with the node's `hardSigmoid`. */
export type RecurrentActivation = 'sigmoid' | 'tanh' | 'relu' | 'hardSigmoid';
/** Which ONNX output the node computes: Y (every step), Y_h (the last hidden state) or Y_c (the last LSTM cell state). */
export type RecurrentOutput = 'sequence' | 'hidden' | 'cell';

/**
 * An ONNX RNN, LSTM or GRU (forward direction) over a whole sequence. Per sample the input is [T, I] (time-major,
 * whatever the source layout), the output Y is [T, 1, H] and Y_h / Y_c are [1, H] (the ONNX shapes without the
 * batch axis; the 1 is num_directions). Parameters are kept in the ONNX gate orders: LSTM i, o, f, c; GRU z, r, h;
 * RNN one block. An ONNX node whose graph reads several outputs becomes one IR node per output read; the later ones
 * name the first in `sharedWith` and count no parameters of their own (the arrays are the same objects).
 */
export interface RecurrentNode extends NodeBase {
  readonly kind: 'recurrent';
  readonly cell: RecurrentCell;
  readonly hiddenSize: number;
  /** W, shape [gates * H, I]. */
  readonly weight: Tensor;
  /** R, shape [gates * H, H]. */
  readonly recurrence: Tensor;
  /** Wb, gates * H values (zeros when the source has no B). */
  readonly inputBias: Float64Array;
  /** Rb, gates * H values. */
  readonly recurrenceBias: Float64Array;
  /** The activation functions in ONNX order: RNN [f], GRU [f, g], LSTM [f, g, h]. */
  readonly activations: readonly RecurrentActivation[];
  /**
   * Slope and offset of every 'hardSigmoid' among the activations (Keras 2 and TF.js: 0.2, 0.5; Keras 3: 1/6, 0.5);
   * null when none is 'hardSigmoid'.
   */
  readonly hardSigmoid: { readonly alpha: number; readonly beta: number } | null;
  /** GRU only (false for the other cells): whether R_h h (+ Rb_h) is computed before the reset gate multiplies it. */
  readonly linearBeforeReset: boolean;
  /** The source's layout attribute (0: [T, N, I]; 1: [N, T, I]), kept for reports; the per-sample data is the same. */
  readonly layout: 0 | 1;
  /** Initial hidden state, H values (zeros when the source gives none). */
  readonly initialH: Float64Array;
  /** LSTM: initial cell state, H values; null for the other cells. */
  readonly initialC: Float64Array | null;
  readonly produces: RecurrentOutput;
  /** An RNN whose R is diagonal (IndRNN): each unit has one recurrent connection, its own. */
  readonly diagonalRecurrence: boolean;
  /** The node whose parameters these are when one source node gives several IR nodes, or null. */
  readonly sharedWith: string | null;
}

/** Gate blocks per cell: W and R have gatesOf(cell) * H rows. */
export function gatesOf(cell: RecurrentCell): number {
  return cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
}

/**
 * Whether an RNN's recurrent matrix R ([H, H]) is diagonal, every entry off the diagonal exactly 0: an IndRNN, in
 * which each unit feeds back only itself (one recurrent connection per unit in the analog network).
 */
export function isDiagonalRecurrence(node: { readonly cell: RecurrentCell; readonly recurrence: Tensor }): boolean {
  const [rows, n] = node.recurrence.shape;
  if (node.cell !== 'rnn' || rows !== n) return false;
  const r = node.recurrence.data;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j && r[i * n + j] !== 0) return false;
  return true;
}

/** Activation functions per cell (the length of RecurrentNode.activations). */
export function activationCountOf(cell: RecurrentCell): number {
  return cell === 'lstm' ? 3 : cell === 'gru' ? 2 : 1;
}

export type Node =
  | DenseNode
  | ConvNode
  | BatchNormNode
  | ActivationNode
  | SoftmaxNode
  | MaxPoolNode
  | AvgPoolNode
  | ReduceMeanNode
  | ReshapeNode
  | TransposeNode
  | ConcatNode
  | BinaryNode
  | ConstBinaryNode
  | PadNode
  | SliceNode
  | GatherNode
  | RecurrentNode;

export type NodeKind = Node['kind'];

/** A source graph: one input, one output, nodes in topological order. */
export interface Graph {
  readonly name: string;
  /**
   * The input's per-sample shape; `batchAxis` is where the source's input has its batch axis (0 unless a recurrent
   * layout or a transpose before one says otherwise; see docs/formats.md). Absent in graphs built by hand: 0.
   */
  readonly input: { readonly name: string; readonly shape: readonly number[]; readonly batchAxis?: number };
  readonly output: string;
  readonly nodes: readonly Node[];
  /** Where it came from, for reports: e.g. "onnx opset 13, producer pytorch 1.13". */
  readonly origin: string;
}

/**
 * Number of trainable parameters a node carries. The switch lists every kind, with no default: a new node kind does
 * not compile until it is counted here.
 */
export function parameterCount(node: Node): number {
  switch (node.kind) {
    case 'dense':
    case 'conv':
      return node.weight.data.length + (node.bias?.length ?? 0);
    case 'batchnorm':
      return node.scale.length * 4;
    case 'constBinary':
      return node.constantElements;
    case 'recurrent':
      if (node.sharedWith !== null) return 0;
      return node.weight.data.length + node.recurrence.data.length + node.inputBias.length + node.recurrenceBias.length;
    case 'slice':
    case 'gather':
    case 'activation':
    case 'softmax':
    case 'maxpool':
    case 'avgpool':
    case 'reducemean':
    case 'reshape':
    case 'transpose':
    case 'concat':
    case 'binary':
    case 'pad':
      return 0;
  }
}
