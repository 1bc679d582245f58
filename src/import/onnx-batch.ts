// Where the batch axis of the graph input is. ONNX does not say; the ops do: a recurrent op's X has its batch at axis
// 1 (layout 0, [T, N, I]) or 0 (layout 1, [N, T, I]), and Conv, pooling, BatchNormalization, Gemm, Flatten and
// GlobalAveragePool have it at axis 0. The first such op (in node order) that reads a tensor derived from the input
// through axis-preserving ops (element-wise ops, Transpose, Squeeze/Unsqueeze with known axes, Identity, Dropout,
// Cast) fixes it, traced back through the permutations in between: PyTorch's batch_first LSTM exports [N, T, F] and
// a Transpose to [T, N, F], so the input's batch is axis 0. When no op fixes it, it is axis 0 (the ONNX convention).
// The importer then checks every op against the axis found, so a wrong guess is an error naming the op, never a
// silently mixed batch.

import onnxProto from 'onnx-proto';
import { toNumber, type ConstTensor } from './onnx-tensor.js';

type GraphProto = onnxProto.onnx.IGraphProto;
type NodeProto = onnxProto.onnx.INodeProto;

const present = (s: string | null | undefined): s is string => s !== undefined && s !== null && s !== '';

/** Ops that keep every axis of their (first) activation input in place. */
const ELEMENTWISE = new Set(['Relu', 'Sigmoid', 'Tanh', 'LeakyRelu', 'HardSigmoid', 'HardSwish', 'Clip', 'Add', 'Sub', 'Mul', 'Div',
  'Identity', 'Dropout', 'Cast', 'Neg', 'Abs', 'Exp', 'Softplus', 'Softsign', 'Elu', 'Selu', 'PRelu']);
/** Ops whose input 0 has its batch at axis 0. */
const BATCH_FIRST = new Set(['Conv', 'ConvTranspose', 'MaxPool', 'AveragePool', 'BatchNormalization', 'GlobalAveragePool',
  'GlobalMaxPool', 'Gemm', 'Flatten', 'InstanceNormalization', 'LRN']);
const RECURRENT = new Set(['LSTM', 'GRU', 'RNN']);

function attrInt(node: NodeProto, name: string, dflt: number): number {
  const a = (node.attribute ?? []).find((x) => x.name === name);
  return a && a.i !== undefined && a.i !== null ? toNumber(a.i) : dflt;
}

function attrInts(node: NodeProto, name: string): number[] | undefined {
  const a = (node.attribute ?? []).find((x) => x.name === name);
  return a ? (a.ints ?? []).map(toNumber) : undefined;
}

/**
 * The batch axis of the input `input` of rank `rank`; `constant` looks up constants (initializers) by name. Never
 * throws: on anything unexpected it falls back to axis 0.
 */
export function inputBatchAxis(g: GraphProto, input: string, rank: number, constant: (name: string) => ConstTensor | undefined): number {
  const fallback = () => 0;
  try {
    // For each tensor derived from the input: which input axis each of its axes is (-1: none).
    const labels = new Map<string, number[]>([[input, Array.from({ length: rank }, (_, i) => i)]]);
    const constants = new Map<string, number[]>();
    const axesOf = (node: NodeProto, index: number): number[] | undefined => {
      const attr = attrInts(node, 'axes');
      if (attr) return attr;
      const n = node.input?.[index];
      if (!present(n)) return undefined;
      const c = constant(n);
      return c ? Array.from(c.data) : constants.get(n);
    };
    for (const node of g.node ?? []) {
      const op = node.opType ?? '';
      const ins = node.input ?? [];
      const out = node.output?.[0];
      if (op === 'Constant') {
        const t = (node.attribute ?? []).find((a) => a.name === 'value')?.t;
        const ints = (node.attribute ?? []).find((a) => a.name === 'value_ints')?.ints;
        if (present(out) && t && (t.int64Data?.length || t.rawData?.length)) {
          const raw = t.int64Data && t.int64Data.length > 0 ? t.int64Data.map(toNumber)
            : Array.from({ length: Math.floor((t.rawData?.length ?? 0) / 8) }, (_, i) => Number(new DataView(t.rawData!.buffer, t.rawData!.byteOffset).getBigInt64(i * 8, true)));
          if (t.dataType === 7 && raw.length <= 64) constants.set(out, raw);
        } else if (present(out) && ints) constants.set(out, ints.map(toNumber));
        continue;
      }
      const x = present(ins[0]) ? labels.get(ins[0]) : undefined;
      if (RECURRENT.has(op)) {
        if (!x) continue;
        const axis = attrInt(node, 'layout', 0) === 1 ? 0 : 1;
        return x[axis] !== undefined && x[axis] >= 0 ? x[axis] : fallback();
      }
      if (BATCH_FIRST.has(op)) {
        if (!x) continue;
        // Gemm with transA = 1 reads A as [K, N].
        const axis = op === 'Gemm' && attrInt(node, 'transA', 0) !== 0 ? 1 : 0;
        return x[axis] !== undefined && x[axis] >= 0 ? x[axis] : fallback();
      }
      if (!present(out)) continue;
      if (ELEMENTWISE.has(op)) {
        const first = ins.filter(present).map((i) => labels.get(i)).find((l) => l !== undefined);
        if (first) labels.set(out, first);
      } else if (op === 'Transpose' && x) {
        const perm = attrInts(node, 'perm') ?? x.map((_, i) => x.length - 1 - i);
        labels.set(out, perm.map((p) => x[p] ?? -1));
      } else if (op === 'Squeeze' && x) {
        const axes = axesOf(node, 1);
        if (!axes) continue;
        const drop = new Set(axes.map((a) => (a < 0 ? a + x.length : a)));
        labels.set(out, x.filter((_, i) => !drop.has(i)));
      } else if (op === 'Unsqueeze' && x) {
        const axes = axesOf(node, 1);
        if (!axes) continue;
        const outRank = x.length + axes.length;
        const add = new Set(axes.map((a) => (a < 0 ? a + outRank : a)));
        const next: number[] = [];
        let src = 0;
        for (let i = 0; i < outRank; i++) next.push(add.has(i) ? -1 : x[src++]);
        labels.set(out, next);
      }
    }
  } catch {
    return fallback();
  }
  return fallback();
}
