// Constant folding of shape subgraphs at import, with the batch size symbolic. PyTorch builds the zero initial state
// of a recurrent layer from the input's shape: Shape -> Gather -> Unsqueeze -> Concat -> ConstantOfShape (or Expand of
// a constant). The folder knows every dimension except the batch: a value that holds the batch size is a ShapeValue
// (an integer vector, the batch entry null), and a ConstantOfShape/Expand whose shape holds it gives a BatchConst,
// a tensor equal in every sample (the per-sample data and where its batch axis is). Values without the batch become
// ordinary constants. Anything else that reads a batch-dependent value is refused by the importer, naming the node.

import { inputError } from '../errors.js';
import { M } from '../messages/index.js';
import { formatList } from '../messages/import.js';
import { formatShape, sizeOf, stridesOf } from '../ir/tensor.js';
import { MAX_RANK } from '../ir/shapes.js';
import { decodeTensor, type ConstTensor } from './onnx-tensor.js';
import onnxProto from 'onnx-proto';

type NodeProto = onnxProto.onnx.INodeProto;

/** A dimension: a size, or null for the batch size. */
export type Dim = number | null;

/** An integer tensor of rank 0 or 1 with the batch size among its entries. */
export interface ShapeValue {
  readonly shape: number[];
  readonly values: Dim[];
}

/** A tensor equal in every sample: its per-sample shape and data, and where the batch axis is in the source tensor. */
export interface BatchConst {
  readonly shape: number[];
  readonly batchAxis: number;
  readonly data: Float64Array;
}

/** The ops the folder evaluates when none of their inputs is an activation (Shape always). */
export const FOLDED_ONNX_OPS = ['Shape', 'ConstantOfShape', 'Expand', 'Gather', 'Slice', 'Unsqueeze', 'Squeeze', 'Concat', 'Cast', 'Range',
  'Add', 'Sub', 'Mul', 'Div', 'Reshape', 'Transpose', 'Equal', 'Where'] as const;

/** The source shape of an activation with null at its batch axis, or undefined if the name is not an activation. */
export type ActivationDims = (name: string) => Dim[] | undefined;

const present = (s: string | null | undefined): s is string => s !== undefined && s !== null && s !== '';

/** ONNX Slice bounds of one axis resolved to a start and a count (negative indices count from the end; clamped). */
export function resolveSlice(size: number, start: number, end: number, step: number): { start: number; count: number } {
  let s = start < 0 ? start + size : start;
  let e = end < 0 ? end + size : end;
  if (step > 0) {
    s = Math.min(Math.max(s, 0), size);
    e = Math.min(Math.max(e, 0), size);
    return { start: s, count: Math.max(0, Math.ceil((e - s) / step)) };
  }
  s = Math.min(Math.max(s, 0), size - 1);
  e = Math.min(Math.max(e, -1), size - 1);
  return { start: s, count: Math.max(0, Math.ceil((s - e) / -step)) };
}

/** Row-major gather of a tensor: for each output element, the flat input index `map(outIndex per axis)`. */
function remap(data: ArrayLike<number>, inShape: number[], outShape: number[], source: (axis: number, i: number) => number): Float64Array {
  const xs = stridesOf(inShape);
  const ys = stridesOf(outShape);
  const out = new Float64Array(sizeOf(outShape));
  for (let j = 0; j < out.length; j++) {
    let src = 0;
    for (let a = 0; a < outShape.length; a++) src += source(a, Math.floor(j / ys[a]) % outShape[a]) * xs[a];
    out[j] = data[src];
  }
  return out;
}

export class ShapeFolder {
  private readonly shapeValues = new Map<string, ShapeValue>();
  private readonly batchConsts = new Map<string, BatchConst>();

  constructor(
    private readonly constants: Map<string, ConstTensor>,
    private readonly resolve: (name: string) => string,
    private readonly maxElements: number,
  ) {}

  /** Whether a tensor name holds a value that depends on the batch size (a shape value or a batch constant). */
  isBatchDependent(name: string): boolean {
    return this.shapeValues.has(name) || this.batchConsts.has(name);
  }

  batchConst(name: string): BatchConst | undefined {
    return this.batchConsts.get(this.resolve(name));
  }

  shapeValue(name: string): ShapeValue | undefined {
    return this.shapeValues.get(this.resolve(name));
  }

  /** A constant or shape value as a list of dims (for a Reshape target or an Expand shape). */
  dims(name: string): Dim[] | undefined {
    const n = this.resolve(name);
    const sv = this.shapeValues.get(n);
    if (sv) return sv.values;
    const c = this.constants.get(n);
    return c ? Array.from(c.data) : undefined;
  }

  /** Whether the folder evaluates this node: Shape always; the others when no input is an activation. */
  handles(node: NodeProto, op: string, isActivation: (name: string) => boolean): boolean {
    if (!(FOLDED_ONNX_OPS as readonly string[]).includes(op)) return false;
    if (op === 'Shape') return true;
    return (node.input ?? []).every((i) => !present(i) || !isActivation(this.resolve(i)));
  }

  private fail(node: string, op: string, what: string): never {
    throw inputError(M.badNodeShape(node, op, what));
  }

  /** Whether a folded or given constant has an integer element type (shape values always do). */
  private isInteger(raw: string | null | undefined): boolean {
    if (!present(raw)) return false;
    const n = this.resolve(raw);
    return this.shapeValues.has(n) || this.constants.get(n)?.integer === true || this.integerOutputs.has(n);
  }

  private readonly integerOutputs = new Set<string>();

  private setValue(name: string, shape: number[], values: Dim[]): void {
    if (values.every((v) => v !== null)) this.constants.set(name, { name, shape, data: Float64Array.from(values as number[]), integer: true });
    else this.shapeValues.set(name, { shape, values });
  }

  private setTensor(name: string, shape: number[], data: Float64Array, batchAxis: number | null): void {
    if (batchAxis === null) this.constants.set(name, { name, shape, data });
    else this.batchConsts.set(name, { shape, batchAxis, data });
  }

  /** An input as the folder sees it. */
  private operand(node: string, op: string, raw: string | null | undefined, what: string):
    | { kind: 'const'; c: ConstTensor }
    | { kind: 'shape'; v: ShapeValue }
    | { kind: 'batch'; b: BatchConst } {
    if (!present(raw)) this.fail(node, op, `${what} is missing`);
    const n = this.resolve(raw);
    const c = this.constants.get(n);
    if (c) return { kind: 'const', c };
    const v = this.shapeValues.get(n);
    if (v) return { kind: 'shape', v };
    const b = this.batchConsts.get(n);
    if (b) return { kind: 'batch', b };
    throw inputError(M.undefinedInput(`node '${node}'`, raw));
  }

  private constOperand(node: string, op: string, raw: string | null | undefined, what: string): ConstTensor {
    const o = this.operand(node, op, raw, what);
    if (o.kind !== 'const') throw inputError(M.batchDependent(node, op, `takes ${what} from the batch size`));
    return o.c;
  }

  private ints(node: string, op: string, c: ConstTensor, what: string): number[] {
    // INT64_MAX and INT64_MIN (exporters' "to the end") are integers beyond float64's exact range: clamp them.
    const v = Array.from(c.data, (d) => (Number.isInteger(d) ? Math.min(Math.max(d, -Number.MAX_SAFE_INTEGER), Number.MAX_SAFE_INTEGER) : d));
    if (v.some((d) => !Number.isSafeInteger(d))) this.fail(node, op, `${what} ${formatList(v)} are not integers`);
    return v;
  }

  fold(node: NodeProto, op: string, name: string, opset: number, attrs: AttrReader, activationDims: ActivationDims): void {
    const out = node.output?.[0];
    if (!present(out)) this.fail(name, op, 'has no output');
    const ins = node.input ?? [];
    // The element type of the result: integer for a shape, by `to` for a Cast, by the value for ConstantOfShape, else
    // as the data inputs are.
    const integer = op === 'Shape' ? true
      : op === 'Cast' ? [2, 3, 4, 5, 6, 7, 9, 12, 13].includes(attrs.int('to', 1))
      : op === 'ConstantOfShape' ? ![1, 10, 11, 16].includes(attrs.tensor('value')?.dataType ?? 1)
      : op === 'Equal' ? true
      : op === 'Where' ? this.isInteger(ins[1]) && this.isInteger(ins[2])
      : op === 'Concat' || op === 'Range' || ['Add', 'Sub', 'Mul', 'Div'].includes(op) ? ins.filter(present).every((i) => this.isInteger(i))
      : this.isInteger(ins[0]);
    this.foldOp(node, op, name, opset, attrs, activationDims, out, ins);
    if (integer) {
      this.integerOutputs.add(out);
      const c = this.constants.get(out);
      if (c && !c.integer) this.constants.set(out, { ...c, integer: true });
    }
  }

  private foldOp(_node: NodeProto, op: string, name: string, opset: number, attrs: AttrReader, activationDims: ActivationDims, out: string, ins: (string | null)[]): void {
    switch (op) {
      case 'Shape': {
        const raw = ins[0];
        if (!present(raw)) this.fail(name, op, 'input 0 is missing');
        const n = this.resolve(raw);
        let dims: Dim[] | undefined = activationDims(n);
        if (!dims) {
          const o = this.operand(name, op, raw, 'the input');
          dims = o.kind === 'const' ? [...o.c.shape] : o.kind === 'batch' ? [...o.b.shape.slice(0, o.b.batchAxis), null, ...o.b.shape.slice(o.b.batchAxis)] : [...o.v.shape];
        }
        const rank = dims.length;
        const clampAxis = (v: number) => Math.min(Math.max(v < 0 ? v + rank : v, 0), rank);
        const start = opset >= 15 ? clampAxis(attrs.int('start', 0)) : 0;
        const end = opset >= 15 && attrs.has('end') ? clampAxis(attrs.int('end', rank)) : rank;
        const picked = dims.slice(start, Math.max(start, end));
        return this.setValue(out, [picked.length], picked);
      }
      case 'Cast': {
        const o = this.operand(name, op, ins[0], 'the input');
        const to = attrs.int('to', 1);
        // INT8..INT64, UINT8..UINT64 and BOOL truncate; floats keep their value.
        const integer = [2, 3, 4, 5, 6, 7, 9, 12, 13].includes(to);
        const conv = (v: number) => (to === 9 ? (v !== 0 ? 1 : 0) : integer ? Math.trunc(v) : to === 1 ? Math.fround(v) : v);
        if (o.kind === 'shape') return this.setValue(out, o.v.shape, o.v.values.map((v) => (v === null ? null : conv(v))));
        if (o.kind === 'batch') return this.setTensor(out, o.b.shape, o.b.data.map(conv), o.b.batchAxis);
        return this.setTensor(out, o.c.shape, o.c.data.map(conv), null);
      }
      case 'ConstantOfShape': {
        const t = attrs.tensor('value');
        const value = t ? decodeTensor(t, `${name}.value`, 1).data[0] ?? 0 : 0;
        const o = this.operand(name, op, ins[0], 'the shape');
        if (o.kind === 'batch') throw inputError(M.batchDependent(name, op, 'takes its shape from a tensor'));
        const dims: Dim[] = o.kind === 'const' ? this.ints(name, op, o.c, 'the shape') : o.v.values;
        return this.filled(name, op, out, dims, value);
      }
      case 'Expand': {
        const x = this.operand(name, op, ins[0], 'the input');
        const s = this.operand(name, op, ins[1], 'the shape');
        if (x.kind !== 'const') throw inputError(M.batchDependent(name, op, 'expands a value that'));
        if (s.kind === 'batch') throw inputError(M.batchDependent(name, op, 'takes its shape from a tensor'));
        const dims: Dim[] = s.kind === 'const' ? this.ints(name, op, s.c, 'the shape') : s.v.values;
        return this.expand(name, op, out, x.c, dims);
      }
      case 'Unsqueeze':
      case 'Squeeze': {
        const o = this.operand(name, op, ins[0], 'the input');
        let axes: number[] | undefined;
        if (opset >= 13) axes = present(ins[1]) ? this.ints(name, op, this.constOperand(name, op, ins[1], 'axes'), 'axes') : undefined;
        else axes = attrs.ints('axes');
        const shape = o.kind === 'const' ? o.c.shape : o.kind === 'shape' ? o.v.shape : [...o.b.shape.slice(0, o.b.batchAxis), -1, ...o.b.shape.slice(o.b.batchAxis)];
        const rank = shape.length;
        let full: number[];
        if (op === 'Unsqueeze') {
          if (!axes || axes.length === 0) this.fail(name, op, 'needs axes');
          const outRank = rank + axes.length;
          if (outRank > MAX_RANK) this.fail(name, op, `the output has ${outRank} dimensions, more than ${MAX_RANK}`);
          const set = new Set(axes.map((a) => (a < 0 ? a + outRank : a)));
          if (set.size !== axes.length || [...set].some((a) => a < 0 || a >= outRank)) this.fail(name, op, `axes ${formatList(axes)} are invalid for a rank-${outRank} output`);
          full = [];
          let src = 0;
          for (let i = 0; i < outRank; i++) full.push(set.has(i) ? 1 : shape[src++]);
        } else {
          const set = new Set((axes ?? shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0)).map((a) => (a < 0 ? a + rank : a)));
          if ([...set].some((a) => a < 0 || a >= rank || shape[a] !== 1)) this.fail(name, op, `axes ${formatList(axes ?? [])} are not axes of size 1 of ${formatShape(shape.map((d) => (d < 0 ? 0 : d)))}`);
          full = shape.filter((_, i) => !set.has(i));
        }
        if (o.kind === 'const') return this.setTensor(out, full, o.c.data, null);
        if (o.kind === 'shape') return this.setValue(out, full, o.v.values);
        const b = full.indexOf(-1);
        return this.setTensor(out, full.filter((_, i) => i !== b), o.b.data, b);
      }
      case 'Concat': {
        const parts = ins.filter(present).map((i) => this.operand(name, op, i, 'an input'));
        if (parts.length === 0) this.fail(name, op, 'has no inputs');
        if (parts.some((p) => p.kind === 'batch')) throw inputError(M.batchDependent(name, op, 'concatenates tensors that'));
        const axis = attrs.int('axis', 0);
        const ranks = parts.map((p) => (p.kind === 'const' ? p.c.shape.length : p.kind === 'shape' ? p.v.shape.length : 0));
        if (parts.every((p) => p.kind === 'const') && !(ranks.every((r) => r === 1) && (axis === 0 || axis === -1))) {
          return this.concatConstants(name, op, out, parts.map((p) => (p as { c: ConstTensor }).c), axis);
        }
        if (ranks.some((r) => r !== 1) || (axis !== 0 && axis !== -1)) this.fail(name, op, 'concatenates shape values other than vectors along axis 0');
        const values: Dim[] = parts.flatMap((p) => (p.kind === 'const' ? Array.from(p.c.data) : p.kind === 'shape' ? p.v.values : []));
        return this.setValue(out, [values.length], values);
      }
      case 'Gather': {
        const o = this.operand(name, op, ins[0], 'the data');
        const idx = this.constOperand(name, op, ins[1], 'the indices');
        const indices = this.ints(name, op, idx, 'indices');
        const axis = attrs.int('axis', 0);
        if (o.kind === 'shape') {
          if (o.v.shape.length !== 1 || (axis !== 0 && axis !== -1)) this.fail(name, op, 'gathers from a shape value other than a vector along axis 0');
          const n = o.v.values.length;
          const picked = indices.map((i) => {
            const k = i < 0 ? i + n : i;
            if (k < 0 || k >= n) this.fail(name, op, `index ${i} is outside ${n} values`);
            return o.v.values[k];
          });
          return this.setValue(out, idx.shape, picked);
        }
        const t = o.kind === 'const' ? { shape: o.c.shape, data: o.c.data, b: null as number | null } : { shape: o.b.shape, data: o.b.data, b: o.b.batchAxis };
        const fullRank = t.shape.length + (t.b === null ? 0 : 1);
        const a = axis < 0 ? axis + fullRank : axis;
        if (a < 0 || a >= fullRank) this.fail(name, op, `axis ${axis} is outside a rank-${fullRank} tensor`);
        if (t.b !== null && a === t.b) throw inputError(M.batchDependent(name, op, 'gathers along the batch axis of a value that'));
        const pa = t.b !== null && a > t.b ? a - 1 : a;
        const size = t.shape[pa];
        const ks = indices.map((i) => {
          const k = i < 0 ? i + size : i;
          if (k < 0 || k >= size) this.fail(name, op, `index ${i} is outside an axis of size ${size}`);
          return k;
        });
        const outShape = [...t.shape.slice(0, pa), ...idx.shape, ...t.shape.slice(pa + 1)];
        if (sizeOf(outShape) > this.maxElements) throw inputError(M.tensorTooLarge(`output of node '${name}'`, outShape, this.maxElements));
        // Gather as a remap over [pre, k, post] with the index axes flattened into k.
        const flatOut = [...t.shape.slice(0, pa), ks.length, ...t.shape.slice(pa + 1)];
        const data = remap(t.data, t.shape, flatOut, (ax, i) => (ax === pa ? ks[i] : i));
        const nb = t.b === null ? null : a < t.b ? t.b + idx.shape.length - 1 : t.b;
        return this.setTensor(out, outShape, data, nb);
      }
      case 'Add':
      case 'Sub':
      case 'Mul':
      case 'Div': {
        // Arithmetic of shapes (c // 2 in a channel shuffle) and of constants; integer Div truncates, as ONNX says.
        const x = this.operand(name, op, ins[0], 'input 0');
        const y = this.operand(name, op, ins[1], 'input 1');
        if (x.kind === 'batch' || y.kind === 'batch') throw inputError(M.batchDependent(name, op, 'combines a value that'));
        const integer = this.isInteger(ins[0]) && this.isInteger(ins[1]);
        const f = op === 'Add' ? (u: number, v: number) => u + v : op === 'Sub' ? (u: number, v: number) => u - v : op === 'Mul' ? (u: number, v: number) => u * v
          : integer ? (u: number, v: number) => Math.trunc(u / v) : (u: number, v: number) => u / v;
        const as = (o: typeof x) => (o.kind === 'const' ? { shape: o.c.shape, values: Array.from(o.c.data) as Dim[] } : o.kind === 'shape' ? o.v : { shape: [], values: [] });
        const [p, q] = [as(x), as(y)];
        const shape = broadcastShapes(p.shape, q.shape);
        if (!shape) this.fail(name, op, `operands ${formatShape(p.shape)} and ${formatShape(q.shape)} do not broadcast`);
        if (sizeOf(shape) > this.maxElements) throw inputError(M.tensorTooLarge(`output of node '${name}'`, shape, this.maxElements));
        const ip = broadcastFlat(p.shape, shape);
        const iq = broadcastFlat(q.shape, shape);
        const values: Dim[] = ip.map((i, k) => {
          const u = p.values[i];
          const v = q.values[iq[k]];
          if (u === null || v === null) throw inputError(M.batchDependent(name, op, 'computes with the batch size, a value that'));
          if (integer && op === 'Div' && v === 0) this.fail(name, op, 'divides an integer by 0');
          return f(u, v);
        });
        if (x.kind === 'const' && y.kind === 'const') return this.setTensor(out, shape, Float64Array.from(values as number[]), null);
        return this.setValue(out, shape, values);
      }
      case 'Reshape': {
        const o = this.operand(name, op, ins[0], 'the data');
        if (o.kind === 'batch') throw inputError(M.batchDependent(name, op, 'reshapes a value that'));
        const x = o.kind === 'const' ? { shape: o.c.shape, data: o.c.data as ArrayLike<number> } : { shape: o.v.shape, data: o.v.values as unknown as ArrayLike<number> };
        const raw = this.dims(ins[1] ?? '');
        if (!raw || raw.some((d) => d === null)) throw inputError(M.batchDependent(name, op, 'reshapes a constant to a shape that'));
        const t = (raw as number[]).map((d, i) => (d === 0 && attrs.int('allowzero', 0) === 0 ? x.shape[i] : d));
        const unknown = t.indexOf(-1);
        if (unknown >= 0) {
          const known = sizeOf(t.filter((_, i) => i !== unknown));
          t[unknown] = known === 0 ? 0 : x.data.length / known;
        }
        if (t.some((d) => !Number.isSafeInteger(d) || d < 0) || sizeOf(t) !== x.data.length) this.fail(name, op, `cannot reshape the constant ${formatShape(x.shape)} to ${formatList(raw as number[])}`);
        if (o.kind === 'shape') return this.setValue(out, t, o.v.values);
        return this.setTensor(out, t, o.c.data, null);
      }
      case 'Transpose': {
        const x = this.constOperand(name, op, ins[0], 'the data');
        const r = x.shape.length;
        const perm = attrs.ints('perm') ?? Array.from({ length: r }, (_, i) => r - 1 - i);
        if (perm.length !== r || [...perm].sort((p, q) => p - q).some((v, i) => v !== i)) this.fail(name, op, `perm ${formatList(perm)} is not a permutation of ${r} axes`);
        const shape = perm.map((p) => x.shape[p]);
        const xs = stridesOf(x.shape);
        const ys = stridesOf(shape);
        const data = new Float64Array(x.data.length);
        for (let j = 0; j < data.length; j++) {
          let src = 0;
          for (let a = 0; a < r; a++) src += (Math.floor(j / ys[a]) % shape[a]) * xs[perm[a]];
          data[j] = x.data[src];
        }
        return this.setTensor(out, shape, data, null);
      }
      case 'Equal':
      case 'Where': {
        // torch's expand(-1) writes Where(Equal(shape, -1), 1, shape): element-wise over constants and shape values;
        // the batch size equals no number below 1.
        const k = op === 'Equal' ? 2 : 3;
        const os = Array.from({ length: k }, (_, i) => this.operand(name, op, ins[i], `input ${i}`));
        if (os.some((o) => o.kind === 'batch')) throw inputError(M.batchDependent(name, op, 'reads a value that'));
        const vs = os.map((o) => (o.kind === 'const' ? { shape: o.c.shape, values: Array.from(o.c.data) as Dim[] } : (o as { v: ShapeValue }).v));
        let shape: number[] | null = vs[0].shape;
        for (const v of vs.slice(1)) shape = shape && broadcastShapes(shape, v.shape);
        if (!shape) this.fail(name, op, 'has operands that do not broadcast');
        if (sizeOf(shape) > this.maxElements) throw inputError(M.tensorTooLarge(`output of node '${name}'`, shape, this.maxElements));
        const idx = vs.map((v) => broadcastFlat(v.shape, shape!));
        const values: Dim[] = idx[0].map((_, e) => {
          const [a, b, c] = vs.map((v, i) => v.values[idx[i][e]]);
          if (op === 'Equal') {
            if (a !== null && b !== null) return a === b ? 1 : 0;
            const other = a === null ? b : a;
            if (other !== null && other < 1) return 0;
            throw inputError(M.batchDependent(name, op, 'compares the batch size, a value that'));
          }
          if (a === null) throw inputError(M.batchDependent(name, op, 'selects by the batch size, a value that'));
          return a !== 0 ? b : c;
        });
        if (os.every((o) => o.kind === 'const')) return this.setTensor(out, shape, Float64Array.from(values as number[]), null);
        return this.setValue(out, shape, values);
      }
      case 'Range': {
        // start, limit, delta: scalars (a dimension of the input's shape, as torch.arange(x.size(1)), is a constant).
        const [start, limit, delta] = [0, 1, 2].map((k) => {
          const c = this.constOperand(name, op, ins[k], ['start', 'limit', 'delta'][k]);
          if (c.data.length !== 1) this.fail(name, op, `${['start', 'limit', 'delta'][k]} is not a scalar`);
          return c.data[0];
        });
        if (delta === 0 || !Number.isFinite(start + limit + delta)) this.fail(name, op, `start ${start}, limit ${limit}, delta ${delta} do not define a range`);
        const n = Math.max(Math.ceil((limit - start) / delta), 0);
        if (n > this.maxElements) throw inputError(M.tensorTooLarge(`output of node '${name}'`, [n], this.maxElements));
        return this.setTensor(out, [n], Float64Array.from({ length: n }, (_, i) => start + i * delta), null);
      }
      case 'Slice': {
        const o = this.operand(name, op, ins[0], 'the data');
        let starts: number[];
        let ends: number[];
        let axes: number[] | undefined;
        let steps: number[] | undefined;
        if (opset < 10) {
          starts = attrs.ints('starts') ?? [];
          ends = attrs.ints('ends') ?? [];
          axes = attrs.ints('axes');
        } else {
          starts = this.ints(name, op, this.constOperand(name, op, ins[1], 'starts'), 'starts');
          ends = this.ints(name, op, this.constOperand(name, op, ins[2], 'ends'), 'ends');
          axes = present(ins[3]) ? this.ints(name, op, this.constOperand(name, op, ins[3], 'axes'), 'axes') : undefined;
          steps = present(ins[4]) ? this.ints(name, op, this.constOperand(name, op, ins[4], 'steps'), 'steps') : undefined;
        }
        if (o.kind === 'shape') {
          if (o.v.shape.length !== 1) this.fail(name, op, 'slices a shape value that is not a vector');
          const r = resolveSlice(o.v.values.length, starts[0] ?? 0, ends[0] ?? 0, steps?.[0] ?? 1);
          const st = steps?.[0] ?? 1;
          return this.setValue(out, [r.count], Array.from({ length: r.count }, (_, i) => o.v.values[r.start + i * st]));
        }
        const t = o.kind === 'const' ? { shape: o.c.shape, data: o.c.data, b: null as number | null } : { shape: o.b.shape, data: o.b.data, b: o.b.batchAxis };
        const fullRank = t.shape.length + (t.b === null ? 0 : 1);
        const ax = axes ?? starts.map((_, i) => i);
        if (starts.length !== ax.length || ends.length !== ax.length || (steps && steps.length !== ax.length)) this.fail(name, op, 'starts, ends, axes and steps differ in length');
        const begin = t.shape.map(() => 0);
        const count = [...t.shape];
        const step = t.shape.map(() => 1);
        ax.forEach((raw, i) => {
          const a = raw < 0 ? raw + fullRank : raw;
          if (a < 0 || a >= fullRank) this.fail(name, op, `axis ${raw} is outside a rank-${fullRank} tensor`);
          const st = steps?.[i] ?? 1;
          if (st === 0) this.fail(name, op, 'a step is 0');
          if (t.b !== null && a === t.b) {
            if (starts[i] === 0 && st === 1 && ends[i] >= 2 ** 31 - 1) return;
            throw inputError(M.batchDependent(name, op, 'slices the batch axis of a value that'));
          }
          const pa = t.b !== null && a > t.b ? a - 1 : a;
          const r = resolveSlice(t.shape[pa], starts[i], ends[i], st);
          begin[pa] = r.start;
          count[pa] = r.count;
          step[pa] = st;
        });
        const data = remap(t.data, t.shape, count, (a, i) => begin[a] + i * step[a]);
        return this.setTensor(out, count, data, t.b);
      }
    }
    this.fail(name, op, 'cannot be folded');
  }

  private filled(name: string, op: string, out: string, dims: Dim[], value: number): void {
    const nulls = dims.filter((d) => d === null).length;
    if (nulls > 1) this.fail(name, op, 'has the batch size in more than one dimension');
    const known = dims.filter((d): d is number => d !== null);
    if (known.some((d) => !Number.isSafeInteger(d) || d < 0)) this.fail(name, op, `the shape ${formatList(known)} is not a list of sizes`);
    if (sizeOf(known) > this.maxElements) throw inputError(M.tensorTooLarge(`output of node '${name}'`, known, this.maxElements));
    const data = new Float64Array(sizeOf(known)).fill(value);
    this.setTensor(out, known, data, nulls === 0 ? null : dims.indexOf(null));
  }

  private expand(name: string, op: string, out: string, c: ConstTensor, dims: Dim[]): void {
    const rank = Math.max(dims.length, c.shape.length);
    const cs = [...new Array(rank - c.shape.length).fill(1), ...c.shape];
    const ds: Dim[] = [...new Array(rank - dims.length).fill(1), ...dims];
    const outDims: Dim[] = ds.map((d, i) => {
      if (d === null) {
        if (cs[i] !== 1) this.fail(name, op, `the input ${formatShape(c.shape)} is not 1 along the batch dimension it is expanded to`);
        return null;
      }
      if (!Number.isSafeInteger(d) || d < 0) this.fail(name, op, `the shape ${formatList(dims.map((v) => v ?? -1))} is not a list of sizes`);
      if (cs[i] !== 1 && d !== 1 && cs[i] !== d) this.fail(name, op, `the input ${formatShape(c.shape)} does not broadcast to ${formatList(dims.map((v) => v ?? -1))}`);
      return Math.max(cs[i], d);
    });
    if (outDims.filter((d) => d === null).length > 1) this.fail(name, op, 'has the batch size in more than one dimension');
    const b = outDims.indexOf(null);
    const full = outDims.map((d) => (d === null ? 1 : d));
    if (sizeOf(full) > this.maxElements) throw inputError(M.tensorTooLarge(`output of node '${name}'`, full, this.maxElements));
    const data = remap(c.data, cs, full, (a, i) => (cs[a] === 1 ? 0 : i));
    if (b < 0) return this.setTensor(out, full, data, null);
    this.setTensor(out, full.filter((_, i) => i !== b), data, b);
  }

  private concatConstants(name: string, op: string, out: string, cs: ConstTensor[], axis: number): void {
    const rank = cs[0].shape.length;
    const a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank || cs.some((c) => c.shape.length !== rank || c.shape.some((d, i) => i !== a && d !== cs[0].shape[i]))) {
      this.fail(name, op, `inputs ${cs.map((c) => formatShape(c.shape)).join(' and ')} do not concatenate along axis ${axis}`);
    }
    const shape = [...cs[0].shape];
    shape[a] = cs.reduce((n, c) => n + c.shape[a], 0);
    const outer = sizeOf(shape.slice(0, a));
    const data = new Float64Array(sizeOf(shape));
    let k = 0;
    for (let o = 0; o < outer; o++) {
      for (const c of cs) {
        const block = sizeOf(c.shape.slice(a));
        data.set(c.data.subarray(o * block, (o + 1) * block), k);
        k += block;
      }
    }
    this.setTensor(out, shape, data, null);
  }
}

/** The numpy broadcast of two shapes, or null. */
function broadcastShapes(a: number[], b: number[]): number[] | null {
  const r = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < r; i++) {
    const da = a[a.length - r + i] ?? 1;
    const db = b[b.length - r + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return null;
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** For each element of `out`, the flat index of the element of a tensor of shape `s` broadcast to it. */
function broadcastFlat(s: number[], out: number[]): number[] {
  const al = [...new Array(out.length - s.length).fill(1), ...s];
  const st = stridesOf(al);
  const os = stridesOf(out);
  return Array.from({ length: sizeOf(out) }, (_, j) => al.reduce((acc, d, a) => acc + (d === 1 ? 0 : (Math.floor(j / os[a]) % out[a]) * st[a]), 0));
}

/** The attribute access the folder needs (the importer's Attrs). */
export interface AttrReader {
  has(name: string): boolean;
  int(name: string, dflt: number): number;
  ints(name: string): number[] | undefined;
  tensor(name: string): onnxProto.onnx.ITensorProto | undefined;
}

