// ONNX importer: an .onnx file (opset 7 and later, as exported by PyTorch or tf2onnx) -> source-graph IR.
// All ONNX quirks stay here: attribute defaults per opset, attributes that became inputs (Clip, Pad, Squeeze,
// Unsqueeze, ReduceMean), Constant nodes, initializer encodings, and the removal of the batch dimension. The batch
// axis of the graph input is found by inputBatchAxis (onnx-batch.ts: the layout of the first op that fixes it, e.g. a
// recurrent op's `layout`, traced back through transposes); every activation carries where its batch axis is
// (Transpose moves it; Squeeze, Unsqueeze, Gather, Slice, Reshape shift it), every op is checked not to mix samples,
// and its axes are renumbered per sample. Shape subgraphs (Shape, Gather, Unsqueeze, Concat, ConstantOfShape, ...)
// are folded here (onnx-fold.ts), the batch size staying symbolic.

import onnxProto from 'onnx-proto';
import { inputError, usageError } from '../errors.js';
import { M } from '../messages/index.js';
import { formatList } from '../messages/import.js';
import { SUPPORTED_ONNX_OPS } from './onnx-ops.js';
import { activationCountOf, gatesOf, isDiagonalRecurrence, type ActivationFn, type BinaryOp, type Graph, type Node, type RecurrentActivation, type RecurrentCell, type RecurrentNode, type RecurrentOutput } from '../ir/ops.js';
import { checkNodeOutput, MAX_RANK, nodeShape } from '../ir/shapes.js';
import { formatShape, sizeOf } from '../ir/tensor.js';
import { concatIndex } from '../ir/kernels.js';
import { validateGraph } from '../ir/validate.js';
import { readRegularFile } from '../util/read-file.js';
import { checkGraphStructure } from './onnx-graph.js';
import { decodeTensor, toNumber, type ConstTensor } from './onnx-tensor.js';
import { inputBatchAxis } from './onnx-batch.js';
import { groupRefusals, staticRefusals, UNSUPPORTED, type StaticRefusal } from './onnx-refusals.js';
import { resolveSlice, ShapeFolder, type Dim } from './onnx-fold.js';

const { onnx } = onnxProto;
type NodeProto = onnxProto.onnx.INodeProto;
type AttributeProto = onnxProto.onnx.IAttributeProto;

export interface ImportOptions {
  /** Per-sample input shape (without batch), required when the model's input has dynamic non-batch dimensions. */
  readonly inputShape?: readonly number[];
  /**
   * Largest tensor (in elements) the importer accepts; larger declared sizes are refused before allocation. The same
   * limit bounds what a node derives from its tensors (connections of a convolution or pooling window per sample).
   */
  readonly maxTensorElements?: number;
}

export const DEFAULT_MAX_TENSOR_ELEMENTS = 1 << 28;

/** Protobuf cannot encode a message of 2 GiB or more: no valid ONNX file is larger. */
const MAX_MODEL_BYTES = 2 ** 31 - 1;

/** Reads and imports an ONNX file. */
export function importOnnxFile(path: string, options: ImportOptions = {}): Graph {
  if (typeof path !== 'string') throw inputError(M.badImportArgument('the model path must be a string', describe(path)));
  const bytes = readRegularFile(path, {
    maxBytes: MAX_MODEL_BYTES,
    what: 'an ONNX model (the protobuf limit)',
    hint: 'no valid ONNX file is this large: is it the right file?',
  });
  return importOnnx(bytes, path, options);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v;
}

/** Options as given by an API caller, checked so a bad value is an OhmnetError rather than a TypeError later. */
export function checkOptions(options: unknown): ImportOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object') throw usageError(M.badImportArgument('the import options must be an object', describe(options)));
  const o = options as ImportOptions;
  if (o.maxTensorElements !== undefined && (!Number.isSafeInteger(o.maxTensorElements) || o.maxTensorElements < 1)) {
    throw usageError((n) => `${n('maxTensorElements')} must be a positive integer, got ${String(o.maxTensorElements)}`);
  }
  if (o.inputShape !== undefined) {
    const s: unknown = o.inputShape;
    if (!Array.isArray(s) || s.length === 0) throw usageError(M.badInputShapeValue(`is ${describe(s)}${Array.isArray(s) ? ' with no dimensions' : ''}`));
    if (s.length > MAX_RANK) throw usageError(M.badInputShapeValue(`has ${s.length} dimensions, more than ${MAX_RANK}`));
    const bad = s.find((d) => typeof d !== 'number' || !Number.isSafeInteger(d) || d < 1);
    if (bad !== undefined) throw usageError(M.badInputShapeValue(`has the dimension ${String(bad)}`));
  }
  return o;
}

/** Decodes an ONNX model's bytes: the graph, the default-domain opset and the origin line for reports. */
function decodeModel(bytes: Uint8Array, name: string): { graph: onnxProto.onnx.IGraphProto; opset: number; producer: string; origin: string } {
  if (bytes.length === 0) throw inputError(M.emptyFile(name));
  let model: InstanceType<typeof onnx.ModelProto>;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw inputError(M.notOnnx(name, `protobuf decoding failed: ${(e as Error).message}`));
  }
  if (!model.graph) throw inputError(M.noGraph(name));
  const opsetEntry = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  if (!opsetEntry) throw inputError(M.notOnnx(name, 'no opset_import for the default domain'));
  const opset = toNumber(opsetEntry.version);
  if (!Number.isSafeInteger(opset) || opset < 1 || opset > 1000) throw inputError(M.notOnnx(name, `opset version ${String(opset)} is invalid`));
  if (opset < 7) throw inputError(M.oldOpset(opset));
  const producer = [model.producerName, model.producerVersion].filter(Boolean).join(' ').slice(0, 80);
  return { graph: model.graph, opset, producer, origin: `onnx opset ${opset}${producer ? `, producer ${producer}` : ''}` };
}

/** Imports an ONNX model from bytes; `label` names it in messages. */
export function importOnnx(bytes: Uint8Array, label = 'model', options: ImportOptions = {}): Graph {
  if (!(bytes instanceof Uint8Array)) throw inputError(M.badImportArgument('importOnnx needs the model bytes as a Uint8Array (or Buffer)', describe(bytes)));
  const name = typeof label === 'string' ? label : 'model';
  const opts = checkOptions(options);
  const m = decodeModel(bytes, name);
  return new OnnxImporter(m.graph, m.opset, opts, m.origin).run();
}

/** What `inspect` shows of an ONNX file before (or without) importing it: its source nodes and every static refusal. */
export interface OnnxScan {
  readonly opset: number;
  /** producer_name and producer_version, e.g. "pytorch 1.13.1" ('' when the file does not say). */
  readonly producer: string;
  /** Every node in graph order, by its unique name (the one messages and tables use) and op. */
  readonly nodes: { readonly name: string; readonly op: string }[];
  readonly refusals: StaticRefusal[];
}

/** Decodes an ONNX file and lists its nodes and the refusals the importer makes from the graph alone. */
export function scanOnnx(bytes: Uint8Array, label = 'model'): OnnxScan {
  const m = decodeModel(bytes, label);
  const importer = new OnnxImporter(m.graph, m.opset, {}, m.origin);
  return { opset: m.opset, producer: m.producer, ...importer.scan() };
}

/** Attribute access with ONNX defaults. */
class Attrs {
  private readonly map = new Map<string, AttributeProto>();
  constructor(node: NodeProto) {
    for (const a of node.attribute ?? []) if (a.name) this.map.set(a.name, a);
  }
  has(name: string): boolean {
    return this.map.has(name);
  }
  int(name: string, dflt: number): number {
    const a = this.map.get(name);
    return a && a.i !== undefined && a.i !== null ? toNumber(a.i) : dflt;
  }
  /** ONNX float attributes are float32, defaults included: 0.2 means Math.fround(0.2), as onnxruntime computes. */
  float(name: string, dflt: number): number {
    const a = this.map.get(name);
    return a && a.f !== undefined && a.f !== null ? a.f : Math.fround(dflt);
  }
  ints(name: string): number[] | undefined {
    const a = this.map.get(name);
    return a ? (a.ints ?? []).map(toNumber) : undefined;
  }
  floats(name: string): number[] | undefined {
    const a = this.map.get(name);
    return a ? [...(a.floats ?? [])] : undefined;
  }
  strings(name: string): string[] | undefined {
    const a = this.map.get(name);
    return a ? (a.strings ?? []).map((b) => Buffer.from(b).toString('utf8')) : undefined;
  }
  string(name: string, dflt: string): string {
    const a = this.map.get(name);
    return a && a.s && a.s.length > 0 ? Buffer.from(a.s).toString('utf8') : dflt;
  }
  tensor(name: string): onnxProto.onnx.ITensorProto | undefined {
    const a = this.map.get(name);
    return a?.t ?? undefined;
  }
}

/**
 * torch's export of nn.Softsign (opset 13): y = Div(x, Add(Abs(x), 1)), the 1 a scalar Constant or initializer, the
 * Abs and Add read by nothing else. A division by an activation has no analog circuit, but the whole is the softsign
 * block: each such Div becomes one Softsign of x, and its Abs and Add are not imported.
 */
function softsignForms(nodes: readonly NodeProto[], g: onnxProto.onnx.IGraphProto, outputs: readonly string[]): { divs: Set<NodeProto>; skip: Set<NodeProto> } {
  const divs = new Set<NodeProto>();
  const skip = new Set<NodeProto>();
  if (!nodes.some((n) => n.opType === 'Div')) return { divs, skip };
  const producer = new Map<string, NodeProto>();
  const readers = new Map<string, number>();
  for (const n of nodes) {
    for (const o of n.output ?? []) producer.set(o, n);
    for (const i of n.input ?? []) readers.set(i, (readers.get(i) ?? 0) + 1);
  }
  for (const o of outputs) readers.set(o, (readers.get(o) ?? 0) + 1);
  const isOne = (t: string): boolean => {
    const init = (g.initializer ?? []).find((x) => x.name === t);
    const p = producer.get(t);
    const tensor = init ?? (p && p.opType === 'Constant' ? (p.attribute ?? []).find((a) => a.name === 'value')?.t : undefined);
    if (!tensor) return false;
    try {
      const c = decodeTensor(tensor, t, 1);
      return c.data.length === 1 && c.data[0] === 1;
    } catch {
      return false;
    }
  };
  for (const div of nodes) {
    const [x, d] = div.input ?? [];
    if (div.opType !== 'Div' || !x || !d || (div.input ?? []).length !== 2 || readers.get(d) !== 1) continue;
    const add = producer.get(d);
    if (!add || add.opType !== 'Add' || (add.input ?? []).length !== 2) continue;
    const [p, q] = add.input!;
    const absOut = isOne(q) ? p : isOne(p) ? q : null;
    const abs = absOut ? producer.get(absOut) : undefined;
    if (!abs || abs.opType !== 'Abs' || (abs.input ?? [])[0] !== x || readers.get(absOut!) !== 1) continue;
    divs.add(div);
    skip.add(add).add(abs);
  }
  return { divs, skip };
}

interface Activation {
  /** Per-sample shape. */
  readonly shape: number[];
  /** Where the batch axis is in the source tensor (whose rank is shape.length + 1). */
  readonly batchAxis: number;
  /** The IR tensor holding it (a Transpose that only moves the batch axis gives a new name for the same tensor). */
  readonly tensor: string;
}

type Base = { name: string; output: string; sourceOp: string };
type Act = { kind: 'act'; name: string; shape: number[]; batchAxis: number };
type Operand = Act | { kind: 'const'; c: ConstTensor };

class OnnxImporter {
  private readonly constants = new Map<string, ConstTensor>();
  private readonly activations = new Map<string, Activation>();
  /** Identity/Dropout outputs point at their input. */
  private readonly alias = new Map<string, string>();
  private readonly nodes: Node[] = [];
  private readonly maxElements: number;
  /** The static batch size declared by the input, or null if symbolic. */
  private batch: number | null = null;
  /** Constant folding of shape subgraphs, with the batch size symbolic. */
  private readonly folder: ShapeFolder;
  /** IR node names in use (source names and generated ones). */
  private readonly usedNames = new Set<string>();
  /** Each source node's unique name, by node. */
  private readonly nodeNames = new Map<NodeProto, string>();
  /** Every tensor name some node reads or the graph outputs (to tell whether an extra output is used). */
  private consumed = new Set<string>();
  /** Every tensor name of the source graph and every generated one (built on first use by freshTensor). */
  private sourceTensors: Set<string> | null = null;

  constructor(
    private readonly g: onnxProto.onnx.IGraphProto,
    private readonly opset: number,
    private readonly options: ImportOptions,
    private readonly origin: string,
  ) {
    this.maxElements = options.maxTensorElements ?? DEFAULT_MAX_TENSOR_ELEMENTS;
    this.nameNodes();
    this.folder = new ShapeFolder(this.constants, (n) => this.resolve(n), this.maxElements);
  }

  /**
   * A unique name per node: its own, or op_k for a nameless node k, with _1, _2, ... appended on a clash. The next
   * suffix to try is remembered per base name, so 30k nodes named alike take linear time, not quadratic.
   */
  private nameNodes(): void {
    const used = new Set<string>();
    const nextSuffix = new Map<string, number>();
    for (const node of this.g.node ?? []) {
      const base = node.name || `${node.opType || 'node'}_${this.nodeNames.size}`;
      let n = base;
      if (used.has(n)) {
        // Names are only ever added, so every suffix below the remembered one is still taken.
        let k = nextSuffix.get(base) ?? 1;
        while (used.has(`${base}_${k}`)) k++;
        n = `${base}_${k}`;
        nextSuffix.set(base, k + 1);
      }
      used.add(n);
      this.usedNames.add(n);
      this.nodeNames.set(node, n);
    }
  }

  /** The source nodes by unique name, and the static refusals (what staticRefusals finds). */
  scan(): { nodes: { name: string; op: string }[]; refusals: StaticRefusal[] } {
    const nodes = this.g.node ?? [];
    return { nodes: nodes.map((n) => ({ name: this.nodeName(n), op: n.opType ?? '' })), refusals: staticRefusals(nodes, (n) => this.nodeName(n)) };
  }

  run(): Graph {
    const nodes = this.g.node ?? [];
    const initializers = this.g.initializer ?? [];
    this.consumed = checkGraphStructure(this.g, (k) => this.nodeName(nodes[k]), (i) => initializers[i].name || `initializer_${i}`);
    for (const [i, t] of initializers.entries()) {
      const c = decodeTensor(t, `initializer_${i}`, this.maxElements);
      this.constants.set(c.name, c);
    }
    if ((this.g.sparseInitializer ?? []).length > 0) throw inputError('the model has sparse initializers, which ohmnet does not read; re-export with dense weights');
    // Every node refused from the graph alone, listed at once before the import proper can stop at a lesser problem.
    const refused = staticRefusals(nodes, (n) => this.nodeName(n));
    if (refused.length > 0) throw inputError(M.refusedNodes(groupRefusals(refused), refused.some((r) => r.why === UNSUPPORTED) ? SUPPORTED_ONNX_OPS : null));
    const input = this.importInput();
    const outputs = (this.g.output ?? []).map((o) => o.name ?? '');
    if (outputs.length !== 1) throw inputError(M.outputCount(outputs.length, outputs.slice(0, 8)));
    const softsign = softsignForms(nodes, this.g, outputs);
    for (const [i, node] of nodes.entries()) {
      if (softsign.skip.has(node)) continue;
      if (softsign.divs.has(node)) {
        this.importActivation(node, 'Softsign', new Attrs(node), { name: this.nodeName(node), output: this.outputName(node, 'Div'), sourceOp: 'Softsign' });
        continue;
      }
      this.importNode(node, i);
    }
    const out = this.resolve(outputs[0]);
    const outAct = this.activations.get(out);
    if (!outAct) {
      if (this.constants.has(out)) throw inputError(`the model output '${outputs[0]}' is a constant; there is nothing to compile`);
      if (this.folder.isBatchDependent(out)) throw inputError(M.batchDependent('(graph output)', 'output', `'${outputs[0]}' is a value that`));
      throw inputError(M.undefinedInput('the graph output', outputs[0]));
    }
    const graph: Graph = {
      name: this.g.name || 'model',
      input,
      output: outAct.tensor,
      nodes: this.nodes,
      origin: this.origin,
    };
    validateGraph(graph, { maxTensorElements: this.maxElements });
    return graph;
  }

  /** A second graph input read by a recurrent op as its state or lengths: named with the node, not as an input count. */
  private refuseStateInputs(names: Set<string>): void {
    const what = ['', '', '', '', 'sequence_lens', 'initial_h', 'initial_c', 'peepholes P'];
    for (const node of this.g.node ?? []) {
      if (node.opType !== 'LSTM' && node.opType !== 'GRU' && node.opType !== 'RNN') continue;
      (node.input ?? []).forEach((inp, k) => {
        if (k >= 4 && this.isPresent(inp) && names.has(inp)) throw inputError(M.stateFromOutside(this.nodeName(node), node.opType!, what[k] ?? `input ${k}`, inp));
      });
    }
  }

  private importInput(): { name: string; shape: number[]; batchAxis: number } {
    const real = (this.g.input ?? []).filter((i) => !this.constants.has(i.name ?? ''));
    if (real.length > 1) this.refuseStateInputs(new Set(real.map((i) => i.name ?? '')));
    if (real.length !== 1) throw inputError(M.inputCount(real.length, real.slice(0, 8).map((i) => i.name ?? '?')));
    const vi = real[0];
    const name = vi.name ?? '';
    if (!name) throw inputError(M.notOnnx('model', 'the graph input has no name'));
    const tt = vi.type?.tensorType;
    if (!tt) throw inputError(`input '${name}' is not a tensor; ohmnet needs one float tensor input`);
    const DT = onnx.TensorProto.DataType;
    const elem = tt.elemType ?? 0;
    if (elem !== DT.FLOAT && elem !== DT.DOUBLE && elem !== DT.FLOAT16 && elem !== DT.BFLOAT16) {
      const typeName = (DT as unknown as Record<number, string>)[elem] ?? `#${elem}`;
      throw inputError(`input '${name}' has element type ${typeName}; ohmnet needs a floating-point input (FLOAT or DOUBLE)`);
    }
    const dims = tt.shape?.dim;
    const given = this.options.inputShape;
    if (!dims || dims.length === 0) {
      if (!given) throw inputError(M.noInputShape(name));
      this.setActivation(name, { shape: [...given], batchAxis: 0, tensor: name });
      return { name, shape: [...given], batchAxis: 0 };
    }
    if (dims.length > MAX_RANK + 1) throw inputError(M.rankTooHigh(`input '${name}'`, dims.length, MAX_RANK + 1));
    // A dim_value is a size; a dim_param (or nothing) is dynamic. A dim_value of 0 or below is neither.
    const values = dims.map((d) => (d.dimValue !== undefined && d.dimValue !== null ? toNumber(d.dimValue) : null));
    const declared = values.map((v) => (v !== null && v > 0 ? v : null));
    const declaredText = `[${dims.map((d, i) => values[i] ?? (d.dimParam ? d.dimParam.slice(0, 20) : '?')).join(', ')}]`;
    // The batch may be declared as 0 or -1 by some exporters; it is removed anyway.
    const b = inputBatchAxis(this.g, name, dims.length, (k) => this.constants.get(k));
    this.batch = declared[b];
    const perSample = declared.filter((_, i) => i !== b);
    const invalid = values.findIndex((v, i) => i !== b && v !== null && v <= 0);
    let shape: number[];
    if (given) {
      if (given.length !== perSample.length || given.some((d, i) => perSample[i] !== null && perSample[i] !== d)) {
        throw inputError(M.inputShapeMismatch(name, declaredText, given));
      }
      // A negative dim_value (some exporters write -1 for "unknown") is overridden by the given shape; 0 is not.
      if (invalid >= 0 && values[invalid] === 0) throw inputError(M.badInputDim(name, declaredText, invalid, 0));
      shape = [...given];
    } else {
      if (invalid >= 0) throw inputError(M.badInputDim(name, declaredText, invalid, values[invalid]!));
      const dynamic = declared.map((d, i) => (d === null && i !== b ? `dim ${i}` : '')).filter(Boolean);
      if (dynamic.length > 0) throw inputError(M.dynamicInputShape(name, `${declaredText}: ${dynamic.join(', ')}`));
      shape = perSample as number[];
    }
    if (shape.length === 0) throw inputError(`input '${name}' ${declaredText} has only a batch dimension; ohmnet needs at least one feature dimension`);
    if (sizeOf(shape) > this.maxElements) throw inputError(M.tensorTooLarge(`input '${name}'`, shape, this.maxElements));
    this.setActivation(name, { shape, batchAxis: b, tensor: name });
    return { name, shape, batchAxis: b };
  }

  private resolve(name: string): string {
    let n = name;
    for (let guard = 0; this.alias.has(n) && guard < 1_000_000; guard++) n = this.alias.get(n)!;
    return n;
  }

  private isPresent(name: string | undefined | null): name is string {
    return name !== undefined && name !== null && name !== '';
  }

  private constant(node: NodeProto, op: string, index: number, what: string): ConstTensor {
    const name = node.input?.[index];
    if (!this.isPresent(name)) throw inputError(M.badNodeShape(this.nodeName(node), op, `${what} (input ${index}) is missing`));
    const c = this.constants.get(this.resolve(name));
    if (!c) {
      if (this.activations.has(this.resolve(name))) throw inputError(M.needsConstant(this.nodeName(node), op, what));
      if (this.folder.isBatchDependent(this.resolve(name))) throw inputError(M.batchDependent(this.nodeName(node), op, `reads ${what} '${name}'`));
      throw inputError(M.undefinedInput(`node '${this.nodeName(node)}'`, name));
    }
    return c;
  }

  private optionalConstant(node: NodeProto, op: string, index: number, what: string): ConstTensor | undefined {
    return this.isPresent(node.input?.[index]) ? this.constant(node, op, index, what) : undefined;
  }

  private activation(node: NodeProto, op: string, index: number): { name: string; shape: number[]; batchAxis: number } {
    const raw = node.input?.[index];
    if (!this.isPresent(raw)) throw inputError(M.badNodeShape(this.nodeName(node), op, `input ${index} is missing`));
    const name = this.resolve(raw);
    const a = this.activations.get(name);
    if (!a) {
      if (this.constants.has(name)) {
        throw inputError(M.badNodeShape(this.nodeName(node), op, `input '${raw}' is a constant where an activation is expected (only constant inputs: export with constant folding on)`));
      }
      if (this.folder.isBatchDependent(name)) throw inputError(M.batchDependent(this.nodeName(node), op, `reads '${raw}'`));
      throw inputError(M.undefinedInput(`node '${this.nodeName(node)}'`, raw));
    }
    return { name: a.tensor, shape: a.shape, batchAxis: a.batchAxis };
  }

  /** An activation whose batch axis must be axis 0 (Conv, pooling, BatchNormalization, Gemm: the ONNX N axis). */
  private batchFirst(node: NodeProto, op: string, index = 0): { name: string; shape: number[]; batchAxis: number } {
    const x = this.activation(node, op, index);
    if (x.batchAxis !== 0) throw inputError(M.batchAxis(this.nodeName(node), op, `expects the batch as axis 0 of its input, where this model has axis ${x.batchAxis}`));
    return x;
  }

  /** A unique IR node name derived from `base`. */
  private freshName(base: string): string {
    let n = base;
    for (let k = 1; this.usedNames.has(n); k++) n = `${base}_${k}`;
    this.usedNames.add(n);
    return n;
  }

  private nodeName(node: NodeProto): string {
    return this.nodeNames.get(node)!;
  }

  /** Normalizes a possibly negative ONNX axis of a rank-`rank` (with batch) tensor and converts it to per-sample. */
  private sampleAxis(node: NodeProto, op: string, axis: number, rank: number, what: string, batchAxis: number): number {
    const a = this.fullAxis(node, op, axis, rank, what);
    if (a === batchAxis) throw inputError(M.batchAxis(this.nodeName(node), op, `acts on axis ${a} (the batch axis)`));
    return a < batchAxis ? a : a - 1;
  }

  /** Normalizes a possibly negative ONNX axis of a rank-`rank` tensor. */
  private fullAxis(node: NodeProto, op: string, axis: number, rank: number, what: string): number {
    const a = axis < 0 ? axis + rank : axis;
    if (!Number.isInteger(a) || a < 0 || a >= rank) throw inputError(M.badNodeShape(this.nodeName(node), op, `${what} ${axis} is outside a rank-${rank} tensor`));
    return a;
  }

  /** Shapes of the IR tensors emitted so far (the graph input included), by IR tensor name. */
  private readonly tensorShapes = new Map<string, number[]>();

  /** Adds an IR node; its output's batch axis is `batchAxis` (in the source tensor). */
  private emit(ir: Node, batchAxis: number): void {
    const shapes = ir.inputs.map((n) => this.tensorShapes.get(n)!);
    const shape = nodeShape(ir, shapes);
    checkNodeOutput(ir, shapes, shape, this.maxElements);
    this.setActivation(ir.output, { shape, batchAxis, tensor: ir.output });
    this.nodes.push(ir);
  }

  private setActivation(onnxName: string, a: Activation): void {
    this.activations.set(onnxName, a);
    if (!this.tensorShapes.has(a.tensor)) this.tensorShapes.set(a.tensor, a.shape);
  }

  private outputName(node: NodeProto, op: string): string {
    const out = node.output?.[0];
    if (!this.isPresent(out)) throw inputError(M.badNodeShape(this.nodeName(node), op, 'has no output'));
    return out;
  }

  /** Refuses nodes whose extra outputs (e.g. MaxPool Indices, Dropout mask) are consumed. */
  private checkExtraOutputs(node: NodeProto, op: string): void {
    const outs = node.output ?? [];
    for (let i = 1; i < outs.length; i++) {
      if (this.isPresent(outs[i]) && this.consumed.has(outs[i])) throw inputError(M.unsupportedAttr(this.nodeName(node), op, `using its output '${outs[i]}'`));
    }
  }

  private importNode(node: NodeProto, index: number): void {
    const op = node.opType ?? '';
    if (!op) throw inputError(M.notOnnx('model', `node ${index} has no op type`));
    const name = this.nodeName(node);
    if (node.domain && node.domain !== 'ai.onnx') throw inputError(M.unsupportedDomain(name, op, node.domain));
    const a = new Attrs(node);
    if (op === 'Constant') return this.importConstant(node, a);
    if (!(SUPPORTED_ONNX_OPS as readonly string[]).includes(op)) throw inputError(M.unsupportedOp(name, op, SUPPORTED_ONNX_OPS));
    if (op === 'LSTM' || op === 'GRU' || op === 'RNN') return this.importRecurrent(node, op, a);
    if (op === 'Split') return this.importSplit(node, a, name);
    this.checkExtraOutputs(node, op);
    if (this.folder.handles(node, op, (n) => this.activations.has(n))) {
      return this.folder.fold(node, op, name, this.opset, a, (n) => {
        const act = this.activations.get(n);
        return act ? [...act.shape.slice(0, act.batchAxis), null, ...act.shape.slice(act.batchAxis)] : undefined;
      });
    }
    const base = { name, output: this.outputName(node, op), sourceOp: op };
    switch (op) {
      case 'Identity':
      case 'Dropout':
        return this.importPassThrough(node, op, a);
      case 'Gemm':
        return this.importGemm(node, a, base);
      case 'MatMul':
        return this.importMatMul(node, base);
      case 'Conv':
        return this.importConv(node, a, base);
      case 'BatchNormalization':
        return this.importBatchNorm(node, a, base);
      case 'Relu':
      case 'Sigmoid':
      case 'Tanh':
      case 'LeakyRelu':
      case 'HardSigmoid':
      case 'Elu':
      case 'Selu':
      case 'Softplus':
      case 'Softsign':
      case 'Clip':
        return this.importActivation(node, op, a, base);
      case 'Softmax':
        return this.importSoftmax(node, a, base);
      case 'MaxPool':
      case 'AveragePool':
        return this.importPool(node, op, a, base);
      case 'GlobalAveragePool': {
        const x = this.batchFirst(node, op, 0);
        if (x.shape.length < 2) throw inputError(M.badNodeShape(name, op, `expects a [N, C, ...spatial] input, got per-sample ${formatShape(x.shape)}`));
        const axes = x.shape.map((_, i) => i).slice(1);
        return this.emit({ name: base.name, output: base.output, sourceOp: base.sourceOp, kind: 'reducemean', inputs: [x.name], axes, keepDims: true }, 0);
      }
      case 'ReduceMean':
        return this.importReduceMean(node, a, base);
      case 'Flatten':
      case 'Reshape':
      case 'Squeeze':
      case 'Unsqueeze':
        return this.importReshape(node, op, a, base);
      case 'Transpose':
        return this.importTranspose(node, a, base);
      case 'Concat': {
        if ((node.input ?? []).some((i) => this.isPresent(i) && (this.constants.has(this.resolve(i)) || this.folder.batchConst(i)))) return this.importConcatConstant(node, a, base);
        const ins = (node.input ?? []).map((_, i) => this.activation(node, op, i));
        if (ins.length === 0) throw inputError(M.badNodeShape(name, op, 'has no inputs'));
        if (!a.has('axis')) throw inputError(M.badNodeShape(name, op, 'the axis attribute is required'));
        const b = ins[0].batchAxis;
        const other = ins.find((i) => i.batchAxis !== b);
        if (other) throw inputError(M.batchAxis(name, op, `joins tensors whose batch axes differ (${b} and ${other.batchAxis})`));
        const axis = this.sampleAxis(node, op, a.int('axis', 0), ins[0].shape.length + 1, 'axis', b);
        return this.emit({ name: base.name, output: base.output, sourceOp: base.sourceOp, kind: 'concat', inputs: ins.map((i) => i.name), axis }, b);
      }
      case 'Gather':
      case 'Slice':
        return this.importSlice(node, op, a, base);
      case 'Shape':
      case 'ConstantOfShape':
      case 'Range':
      case 'Equal':
      case 'Where':
      case 'Expand':
      case 'Cast':
        // The folder takes these when no input is an activation (Shape always).
        if (op === 'Cast') return this.importCast(node, a, base);
        throw inputError(M.unsupportedAttr(name, op, 'an activation input (only constant and shape values are folded)'));
      case 'Add':
      case 'Sub':
      case 'Mul':
        return this.importBinary(node, op, base);
      case 'Div':
        return this.importDiv(node, base);
      case 'Neg':
      case 'Abs':
        return this.importNegAbs(node, op, base);
      case 'Sum':
      case 'Max':
      case 'Min':
        return this.importVariadic(node, op, base);
      case 'PRelu':
        return this.importPRelu(node, base);
      case 'ConvTranspose':
        return this.importConvTranspose(node, a, base);
      case 'Resize':
      case 'Upsample':
        return this.importResize(node, op, a, base);
      case 'HardSwish':
        return this.importHardSwish(node, base);
      case 'Pad':
        return this.importPad(node, a, base);
    }
    throw inputError(M.unsupportedOp(name, op, SUPPORTED_ONNX_OPS));
  }

  private importConstant(node: NodeProto, a: Attrs): void {
    const out = this.outputName(node, 'Constant');
    const t = a.tensor('value');
    let c: ConstTensor;
    if (t) {
      const d = decodeTensor(t, out, this.maxElements);
      c = { name: out, shape: d.shape, data: d.data, integer: d.integer };
    } else if (a.has('value_float')) c = { name: out, shape: [], data: Float64Array.of(a.float('value_float', 0)) };
    else if (a.has('value_floats')) {
      const v = a.floats('value_floats')!;
      c = { name: out, shape: [v.length], data: Float64Array.from(v) };
    } else if (a.has('value_int')) c = { name: out, shape: [], data: Float64Array.of(a.int('value_int', 0)), integer: true };
    else if (a.has('value_ints')) {
      const v = a.ints('value_ints')!;
      c = { name: out, shape: [v.length], data: Float64Array.from(v), integer: true };
    } else throw inputError(M.unsupportedAttr(this.nodeName(node), 'Constant', 'a Constant without a dense value, value_float(s) or value_int(s)'));
    this.constants.set(out, c);
  }

  private importPassThrough(node: NodeProto, op: string, _a: Attrs): void {
    if (op === 'Dropout') {
      const training = this.optionalConstant(node, op, 2, 'training_mode');
      if (training && training.data[0] !== 0) throw inputError(M.unsupportedAttr(this.nodeName(node), op, 'training_mode = true'));
    }
    const input = node.input?.[0];
    if (!this.isPresent(input)) throw inputError(M.badNodeShape(this.nodeName(node), op, 'input 0 is missing'));
    const out = this.outputName(node, op);
    const src = this.resolve(input);
    if (!this.activations.has(src) && !this.constants.has(src)) throw inputError(M.undefinedInput(`node '${this.nodeName(node)}'`, input));
    this.alias.set(out, src);
  }

  private importGemm(node: NodeProto, a: Attrs, base: { name: string; output: string; sourceOp: string }): void {
    const op = 'Gemm';
    // A is [N, K], or [K, N] with transA = 1: either way one sample is a K-vector.
    const transA = a.int('transA', 0) !== 0;
    const x = this.activation(node, op, 0);
    if (x.shape.length === 1 && x.batchAxis !== (transA ? 1 : 0)) throw inputError(M.batchAxis(base.name, op, `has transA = ${transA ? 1 : 0} on an input whose batch is axis ${x.batchAxis}`));
    if (x.shape.length !== 1) throw inputError(M.badNodeShape(base.name, op, `needs a 2-D [N, K] input, got per-sample ${formatShape(x.shape)}`));
    const B = this.constant(node, op, 1, 'the weight matrix B');
    if (B.shape.length !== 2) throw inputError(M.badNodeShape(base.name, op, `B must be a matrix, got ${formatShape(B.shape)}`));
    const alpha = a.float('alpha', 1);
    const beta = a.float('beta', 1);
    const transB = a.int('transB', 0) !== 0;
    const [r, c] = B.shape;
    const [out, inn] = transB ? [r, c] : [c, r];
    const w = new Float64Array(out * inn);
    for (let o = 0; o < out; o++) for (let k = 0; k < inn; k++) w[o * inn + k] = alpha * (transB ? B.data[o * c + k] : B.data[k * c + o]);
    const C = this.optionalConstant(node, op, 2, 'the bias C');
    let bias: Float64Array | null = null;
    if (C) {
      const cs = C.shape;
      const rowVector = sizeOf(cs) === 1 || (cs.length === 1 && cs[0] === out) || (cs.length === 2 && cs[0] === 1 && cs[1] === out);
      if (!rowVector) {
        const last = cs[cs.length - 1];
        let why: string;
        if (cs.length === 2 && cs[0] !== 1 && (last === out || last === 1)) why = `bias C ${formatShape(cs)} varies across the batch; only [${out}], [1, ${out}] or scalar biases are supported`;
        else if (sizeOf(cs) === inn && inn !== out) why = `the weight B ${formatShape(B.shape)} with transB = ${transB ? 1 : 0} gives ${out} outputs, but bias C ${formatShape(cs)} has ${inn}: is B transposed (transB = ${transB ? 0 : 1})?`;
        else why = `bias C ${formatShape(cs)} does not fit the ${out} outputs of the weight B ${formatShape(B.shape)} (transB = ${transB ? 1 : 0})`;
        throw inputError(M.badNodeShape(base.name, op, why));
      }
      bias = new Float64Array(out);
      for (let o = 0; o < out; o++) bias[o] = beta * (sizeOf(cs) === 1 ? C.data[0] : C.data[o]);
    }
    this.emit({ name: base.name, output: base.output, sourceOp: base.sourceOp, kind: 'dense', inputs: [x.name], weight: { shape: [out, inn], data: w }, bias }, 0);
  }

  private importMatMul(node: NodeProto, base: { name: string; output: string; sourceOp: string }): void {
    const op = 'MatMul';
    const first = this.resolve(node.input?.[0] ?? '');
    if (this.constants.has(first)) throw inputError(M.unsupportedAttr(base.name, op, 'a constant left operand (W @ x); only x @ W with a constant W'));
    const x = this.activation(node, op, 0);
    const right = node.input?.[1];
    if (this.isPresent(right) && this.activations.has(this.resolve(right))) {
      throw inputError(M.notAnalog(base.name, op, 'multiplies two activations (a matrix product of signals, as attention\'s Q K^T and its weights times V)',
        'ohmnet\'s multipliers compute element-wise products, and the attention around such a product needs a softmax inside the network (exponentials and a division of signals), which has no exact analog circuit'));
    }
    let B = this.constant(node, op, 1, 'the right operand');
    // A stack of matrices [..., 1, K, M] with every leading extent 1 is one matrix; [L, K, M] is one matrix per index
    // of the left operand's third-last axis (a head or a channel), not of the batch.
    if (B.shape.length > 2 && B.shape.slice(0, -2).every((d) => d === 1)) B = { name: B.name, shape: B.shape.slice(-2), data: B.data };
    if (B.shape.length === 3 && B.shape[0] > 1) return this.importMatMulStack(node, base, x, B);
    if (B.shape.length !== 2) throw inputError(M.unsupportedAttr(base.name, op, `a right operand of shape ${formatShape(B.shape)}; it must be a [K, M] matrix, or [L, K, M] matrices one per index of the left operand's third-last axis`));
    const [K, Mo] = B.shape;
    if (x.batchAxis === x.shape.length) throw inputError(M.batchAxis(base.name, op, 'contracts the batch axis (the last axis of its left operand)'));
    if (x.shape.length < 1 || x.shape[x.shape.length - 1] !== K) throw inputError(M.badNodeShape(base.name, op, `operands per-sample ${formatShape(x.shape)} and ${formatShape(B.shape)} do not match`));
    const w = new Float64Array(Mo * K);
    for (let o = 0; o < Mo; o++) for (let k = 0; k < K; k++) w[o * K + k] = B.data[k * Mo + o];
    this.emit({ name: base.name, output: base.output, sourceOp: base.sourceOp, kind: 'dense', inputs: [x.name], weight: { shape: [Mo, K], data: w }, bias: null }, x.batchAxis);
  }

  /**
   * MatMul of x [..., L, T, K] (or [..., 1, T, K], broadcast) by constant matrices B [L, K, M]: one slice of x and one
   * dense layer per matrix, concatenated back along that axis.
   */
  private importMatMulStack(_node: NodeProto, base: Base, x: { name: string; shape: number[]; batchAxis: number }, B: ConstTensor): void {
    const op = 'MatMul';
    const [L, K, Mo] = B.shape;
    const full = x.shape.length + 1;
    if (full < 3) throw inputError(M.badNodeShape(base.name, op, `a left operand of rank ${full} against matrices ${formatShape(B.shape)}`));
    const fa = full - 3;
    if (fa === x.batchAxis) throw inputError(M.batchAxis(base.name, op, `has constant matrices ${formatShape(B.shape)} that vary along the batch axis`));
    if (x.batchAxis >= full - 2) throw inputError(M.batchAxis(base.name, op, 'multiplies along the batch axis'));
    const a = fa < x.batchAxis ? fa : fa - 1;
    const ext = x.shape[a];
    if ((ext !== L && ext !== 1) || x.shape[x.shape.length - 1] !== K) throw inputError(M.badNodeShape(base.name, op, `operands per-sample ${formatShape(x.shape)} and ${formatShape(B.shape)} do not match`));
    const parts: string[] = [];
    for (let l = 0; l < L; l++) {
      let src = x.name;
      if (ext === L) {
        const p = this.part(base, `slice${l}`);
        const starts = x.shape.map((_, i) => (i === a ? l : 0));
        const ends = x.shape.map((d, i) => (i === a ? l + 1 : d));
        this.emit({ name: p.name, output: p.output, sourceOp: op, kind: 'slice', inputs: [x.name], starts, ends, steps: x.shape.map(() => 1), shape: x.shape.map((d, i) => (i === a ? 1 : d)) }, x.batchAxis);
        src = this.activations.get(p.output)!.tensor;
      }
      const w = new Float64Array(Mo * K);
      for (let o = 0; o < Mo; o++) for (let k = 0; k < K; k++) w[o * K + k] = B.data[(l * K + k) * Mo + o];
      const d = this.part(base, `matrix${l}`);
      this.emit({ name: d.name, output: d.output, sourceOp: op, kind: 'dense', inputs: [src], weight: { shape: [Mo, K], data: w }, bias: null }, x.batchAxis);
      parts.push(this.activations.get(d.output)!.tensor);
    }
    this.emit({ name: base.name, output: base.output, sourceOp: op, kind: 'concat', inputs: parts, axis: a }, x.batchAxis);
  }

  /** Resolves auto_pad to explicit [begin..., end...] pads for the given spatial sizes. */
  private pads(node: NodeProto, op: string, a: Attrs, spatial: number[], kernel: number[], strides: number[], dilations: number[]): number[] {
    const n = spatial.length;
    const autoPad = a.string('auto_pad', 'NOTSET');
    if (autoPad === 'NOTSET') {
      const p = a.ints('pads') ?? new Array(2 * n).fill(0);
      if (p.length !== 2 * n) throw inputError(M.badNodeShape(this.nodeName(node), op, `pads ${formatList(p)} do not have ${2 * n} values`));
      return this.checkInts(node, op, 'pads', p, 0);
    }
    if (autoPad === 'VALID') return new Array(2 * n).fill(0);
    if (autoPad !== 'SAME_UPPER' && autoPad !== 'SAME_LOWER') throw inputError(M.unsupportedAttr(this.nodeName(node), op, `auto_pad '${autoPad.slice(0, 40)}'`));
    const begin: number[] = [];
    const end: number[] = [];
    for (let i = 0; i < n; i++) {
      const out = Math.ceil(spatial[i] / strides[i]);
      const total = Math.max(0, (out - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - spatial[i]);
      const small = Math.floor(total / 2);
      begin.push(autoPad === 'SAME_UPPER' ? small : total - small);
      end.push(autoPad === 'SAME_UPPER' ? total - small : small);
    }
    return [...begin, ...end];
  }

  /** Refuses an attribute whose values are not integers >= min (strides, dilations, kernel sizes 1, pads 0). */
  private checkInts(node: NodeProto, op: string, name: string, v: number[], min: number): number[] {
    if (v.some((d) => !Number.isSafeInteger(d) || d < min)) throw inputError(M.badNodeShape(this.nodeName(node), op, `${name} ${formatList(v)} must be integers >= ${min}`));
    return v;
  }

  private spatialAttr(node: NodeProto, op: string, a: Attrs, name: string, n: number, dflt: number): number[] {
    const v = a.ints(name) ?? new Array(n).fill(dflt);
    if (v.length !== n) throw inputError(M.badNodeShape(this.nodeName(node), op, `${name} ${formatList(v)} does not have ${n} values`));
    return this.checkInts(node, op, name, v, 1);
  }

  private importConv(node: NodeProto, a: Attrs, base: { name: string; output: string; sourceOp: string }): void {
    const op = 'Conv';
    const x = this.batchFirst(node, op, 0);
    const W = this.constant(node, op, 1, 'the weight');
    if (W.shape.length < 3) throw inputError(M.badNodeShape(base.name, op, `the weight ${formatShape(W.shape)} has rank ${W.shape.length}; a Conv weight is [M, C/group, ...kernel], rank 3 (1-D) or 4 (2-D)`));
    const n = W.shape.length - 2;
    if (n > 2) throw inputError(M.unsupportedAttr(base.name, op, `a ${n}-D convolution (weight ${formatShape(W.shape)}); only 1-D and 2-D`));
    if (x.shape.length !== n + 1) throw inputError(M.badNodeShape(base.name, op, `input per-sample ${formatShape(x.shape)} does not match a ${n}-D weight ${formatShape(W.shape)}`));
    const kernel = W.shape.slice(2);
    const ks = a.ints('kernel_shape');
    if (ks && (ks.length !== n || ks.some((k, i) => k !== kernel[i]))) throw inputError(M.badNodeShape(base.name, op, `kernel_shape ${formatList(ks)} disagrees with the weight ${formatShape(W.shape)}`));
    this.checkInts(node, op, 'the weight\'s kernel', kernel, 1);
    const strides = this.spatialAttr(node, op, a, 'strides', n, 1);
    const dilations = this.spatialAttr(node, op, a, 'dilations', n, 1);
    const pads = this.pads(node, op, a, x.shape.slice(1), kernel, strides, dilations);
    const B = this.optionalConstant(node, op, 2, 'the bias');
    if (B && B.data.length !== W.shape[0]) throw inputError(M.badNodeShape(base.name, op, `bias has ${B.data.length} values for ${W.shape[0]} channels`));
    const group = a.int('group', 1);
    if (!Number.isSafeInteger(group) || group < 1) throw inputError(M.badNodeShape(base.name, op, `group ${group} must be an integer >= 1`));
    this.emit({
      name: base.name, output: base.output, sourceOp: base.sourceOp, kind: 'conv', inputs: [x.name], weight: { shape: W.shape, data: W.data }, bias: B ? B.data : null,
      strides, pads, dilations, group,
    }, 0);
  }

  /**
   * ConvTranspose (1-D, 2-D) as a gather that spreads the input out (stride - 1 zeros between elements, the border of
   * a full convolution less the pads, output_padding at the end) and a stride-1 Conv with the kernel flipped and its
   * in/out channels exchanged per group: the same sums in another order.
   */
  private importConvTranspose(node: NodeProto, a: Attrs, base: Base): void {
    const op = 'ConvTranspose';
    const x: Act = { kind: 'act', ...this.batchFirst(node, op, 0) };
    const W = this.constant(node, op, 1, 'the weight');
    if (W.shape.length < 3) throw inputError(M.badNodeShape(base.name, op, `the weight ${formatShape(W.shape)} has rank ${W.shape.length}; a ConvTranspose weight is [C, M/group, ...kernel]`));
    const n = W.shape.length - 2;
    if (n > 2) throw inputError(M.unsupportedAttr(base.name, op, `a ${n}-D transposed convolution (weight ${formatShape(W.shape)}); only 1-D and 2-D`));
    if (x.shape.length !== n + 1) throw inputError(M.badNodeShape(base.name, op, `input per-sample ${formatShape(x.shape)} does not match a ${n}-D weight ${formatShape(W.shape)}`));
    const group = a.int('group', 1);
    const C = x.shape[0];
    if (!Number.isSafeInteger(group) || group < 1 || C % group !== 0 || W.shape[0] !== C) throw inputError(M.badNodeShape(base.name, op, `weight ${formatShape(W.shape)} and group ${group} do not fit ${C} input channels`));
    const kernel = W.shape.slice(2);
    this.checkInts(node, op, 'the weight\'s kernel', kernel, 1);
    const strides = this.spatialAttr(node, op, a, 'strides', n, 1);
    const dilations = this.spatialAttr(node, op, a, 'dilations', n, 1);
    const outPad = a.ints('output_padding') ?? new Array(n).fill(0);
    if (outPad.length !== n || outPad.some((p, i) => !Number.isSafeInteger(p) || p < 0 || p >= Math.max(strides[i], dilations[i]))) throw inputError(M.badNodeShape(base.name, op, `output_padding ${formatList(outPad)} must have ${n} values each below the stride or dilation`));
    const autoPad = a.string('auto_pad', 'NOTSET');
    const spatial = x.shape.slice(1);
    let pads: number[];
    const outShape = a.ints('output_shape');
    if (outShape || autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
      // total padding = stride (L - 1) + output_padding + (k - 1) d + 1 - out; SAME_UPPER puts the smaller half first,
      // SAME_LOWER and NOTSET (output_shape given) the larger, as the ONNX spec and onnxruntime do.
      const target = outShape ? outShape.slice(-n) : spatial.map((L, i) => L * strides[i]);
      if (target.length !== n) throw inputError(M.badNodeShape(base.name, op, `output_shape ${formatList(outShape ?? [])} does not have ${n} spatial values`));
      const total = spatial.map((L, i) => strides[i] * (L - 1) + outPad[i] + (kernel[i] - 1) * dilations[i] + 1 - target[i]);
      if (total.some((t) => t < 0)) throw inputError(M.badNodeShape(base.name, op, `output_shape ${formatList(target)} is larger than the transposed convolution gives`));
      const lower = autoPad !== 'SAME_UPPER';
      pads = [...total.map((t) => (lower ? t - Math.floor(t / 2) : Math.floor(t / 2))), ...total.map((t) => (lower ? Math.floor(t / 2) : t - Math.floor(t / 2)))];
    } else if (autoPad === 'NOTSET' || autoPad === 'VALID') {
      pads = autoPad === 'VALID' ? new Array(2 * n).fill(0) : this.checkInts(node, op, 'pads', a.ints('pads') ?? new Array(2 * n).fill(0), 0);
      if (pads.length !== 2 * n) throw inputError(M.badNodeShape(base.name, op, `pads ${formatList(pads)} do not have ${2 * n} values`));
    } else throw inputError(M.unsupportedAttr(base.name, op, `auto_pad '${autoPad.slice(0, 40)}'`));
    // Spread each spatial axis: position q of the spread input is input element q / stride (when whole), else 0.
    let cur = x;
    for (let i = 0; i < n; i++) {
      const L = spatial[i];
      const border = (kernel[i] - 1) * dilations[i];
      const begin = border - pads[i];
      const length = (L - 1) * strides[i] + 1 + begin + border - pads[i + n] + outPad[i];
      if (length < (kernel[i] - 1) * dilations[i] + 1) throw inputError(M.badNodeShape(base.name, op, `pads ${formatList(pads)} leave no output along spatial axis ${i}`));
      const indices = Array.from({ length }, (_, j) => {
        const q = j - begin;
        return q >= 0 && q % strides[i] === 0 && q / strides[i] < L ? q / strides[i] : -1;
      });
      cur = this.gatherAxis(base, `spread${i}`, cur, i + 1, indices);
    }
    // Conv weight [M, C/group, ...k]: w'[g Mg + m, c, k] = W[g Cg + c, m, flipped k].
    const Cg = C / group;
    const Mg = W.shape[1];
    const M_ = Mg * group;
    const K = sizeOf(kernel);
    const w = new Float64Array(M_ * Cg * K);
    for (let g = 0; g < group; g++) {
      for (let m = 0; m < Mg; m++) {
        for (let c = 0; c < Cg; c++) {
          for (let k = 0; k < K; k++) w[((g * Mg + m) * Cg + c) * K + k] = W.data[((g * Cg + c) * Mg + m) * K + (K - 1 - k)];
        }
      }
    }
    const B = this.optionalConstant(node, op, 2, 'the bias');
    if (B && B.data.length !== M_) throw inputError(M.badNodeShape(base.name, op, `bias has ${B.data.length} values for ${M_} channels`));
    this.emit({
      name: base.name, output: base.output, sourceOp: op, kind: 'conv', inputs: [cur.name], weight: { shape: [M_, Cg, ...kernel], data: w }, bias: B ? B.data : null,
      strides: new Array(n).fill(1), pads: new Array(2 * n).fill(0), dilations, group,
    }, 0);
  }

  private importBatchNorm(node: NodeProto, a: Attrs, base: { name: string; output: string; sourceOp: string }): void {
    const op = 'BatchNormalization';
    if (a.int('training_mode', 0) !== 0) throw inputError(M.unsupportedAttr(base.name, op, 'training_mode = 1 (export the model in eval mode)'));
    if (a.has('spatial') && a.int('spatial', 1) !== 1) throw inputError(M.unsupportedAttr(base.name, op, 'spatial = 0'));
    const x = this.batchFirst(node, op, 0);
    const [scale, bias, mean, variance] = [1, 2, 3, 4].map((i) => this.constant(node, op, i, ['scale', 'bias', 'mean', 'variance'][i - 1]).data);
    this.emit({ name: base.name, output: base.output, sourceOp: base.sourceOp, kind: 'batchnorm', inputs: [x.name], scale, bias, mean, variance, epsilon: a.float('epsilon', 1e-5) }, 0);
  }

  private importActivation(node: NodeProto, op: string, a: Attrs, base: { name: string; output: string; sourceOp: string }): void {
    const x = this.activation(node, op, 0);
    let fn: ActivationFn;
    switch (op) {
      case 'Relu':
        fn = { type: 'relu' };
        break;
      case 'Sigmoid':
        fn = { type: 'sigmoid' };
        break;
      case 'Tanh':
        fn = { type: 'tanh' };
        break;
      case 'LeakyRelu':
        fn = { type: 'leakyRelu', alpha: a.float('alpha', 0.01) };
        break;
      case 'HardSigmoid':
        fn = { type: 'hardSigmoid', alpha: a.float('alpha', 0.2), beta: a.float('beta', 0.5) };
        break;
      case 'Elu':
      case 'Selu': {
        const alpha = a.float('alpha', op === 'Elu' ? 1 : 1.67326319217681884765625);
        if (!Number.isFinite(alpha)) throw inputError(M.unsupportedAttr(base.name, op, `alpha = ${alpha}`));
        if (op === 'Elu') fn = { type: 'elu', alpha };
        else {
          const gamma = a.float('gamma', 1.05070102214813232421875);
          if (!Number.isFinite(gamma)) throw inputError(M.unsupportedAttr(base.name, op, `gamma = ${gamma}`));
          fn = { type: 'selu', alpha, gamma };
        }
        break;
      }
      case 'Softplus':
        fn = { type: 'softplus' };
        break;
      case 'Softsign':
        fn = { type: 'softsign' };
        break;
      default: {
        // Clip: attributes before opset 11, optional inputs from 11 on.
        let min = -Infinity;
        let max = Infinity;
        if (this.opset < 11) {
          min = a.float('min', -Infinity);
          max = a.float('max', Infinity);
        } else {
          const lo = this.optionalConstant(node, op, 1, 'min');
          const hi = this.optionalConstant(node, op, 2, 'max');
          if ((lo && lo.data.length !== 1) || (hi && hi.data.length !== 1)) throw inputError(M.unsupportedAttr(base.name, op, 'non-scalar min or max'));
          if (lo) min = lo.data[0];
          if (hi) max = hi.data[0];
        }
        if (Number.isNaN(min) || Number.isNaN(max)) throw inputError(M.nonFinite(`${base.name}.min/max`, 0, NaN));
        if (min === Infinity || max === -Infinity || min > max) throw inputError(M.badNodeShape(base.name, op, `clip range [${min}, ${max}] is empty`));
        fn = { type: 'clip', min, max };
      }
    }
    this.emit({ name: base.name, output: base.output, sourceOp: base.sourceOp, kind: 'activation', inputs: [x.name], fn }, x.batchAxis);
  }

  private importSoftmax(node: NodeProto, a: Attrs, base: { name: string; output: string; sourceOp: string }): void {
    const op = 'Softmax';
    const x = this.activation(node, op, 0);
    const rank = x.shape.length + 1;
    let axes: number[];
    if (this.opset < 13) {
      // Before opset 13 the input is coerced to 2-D [prod(d_0..d_axis-1), prod(d_axis..)]: softmax over all trailing axes.
      const raw = a.int('axis', 1);
      const first = this.sampleAxis(node, op, raw, rank, 'axis', x.batchAxis);
      if (x.batchAxis > first) throw inputError(M.batchAxis(base.name, op, `normalizes over axes ${raw} and later, the batch axis ${x.batchAxis} among them`));
      axes = x.shape.map((_, i) => i).slice(first);
    } else {
      axes = [this.sampleAxis(node, op, a.int('axis', -1), rank, 'axis', x.batchAxis)];
    }
    this.emit({ name: base.name, output: base.output, sourceOp: base.sourceOp, kind: 'softmax', inputs: [x.name], axes }, x.batchAxis);
  }

  private importPool(node: NodeProto, op: string, a: Attrs, base: { name: string; output: string; sourceOp: string }): void {
    const x = this.batchFirst(node, op, 0);
    const n = x.shape.length - 1;
    if (n < 1 || n > 2) throw inputError(M.unsupportedAttr(base.name, op, `pooling over ${n} spatial axes (input per-sample ${formatShape(x.shape)}); only 1-D and 2-D`));
    const kernel = a.ints('kernel_shape');
    if (!kernel || kernel.length !== n) throw inputError(M.badNodeShape(base.name, op, `kernel_shape must have ${n} values`));
    this.checkInts(node, op, 'kernel_shape', kernel, 1);
    const strides = this.spatialAttr(node, op, a, 'strides', n, 1);
    const dilations = op === 'MaxPool' ? this.spatialAttr(node, op, a, 'dilations', n, 1) : new Array(n).fill(1);
    if (op === 'AveragePool' && a.has('dilations') && (a.ints('dilations') ?? []).some((d) => d !== 1)) throw inputError(M.unsupportedAttr(base.name, op, 'dilations'));
    const pads = this.pads(node, op, a, x.shape.slice(1), kernel, strides, dilations);
    const ceilMode = a.int('ceil_mode', 0) !== 0;
    if (op === 'MaxPool') {
      // storage_order only orders the Indices output, which checkExtraOutputs has refused if anything reads it.
      this.emit({ name: base.name, output: base.output, sourceOp: base.sourceOp, kind: 'maxpool', inputs: [x.name], kernel, strides, pads, dilations, ceilMode }, 0);
    } else {
      this.emit({ name: base.name, output: base.output, sourceOp: base.sourceOp, kind: 'avgpool', inputs: [x.name], kernel, strides, pads, ceilMode, countIncludePad: a.int('count_include_pad', 0) !== 0 }, 0);
    }
  }

  private importReduceMean(node: NodeProto, a: Attrs, base: { name: string; output: string; sourceOp: string }): void {
    const op = 'ReduceMean';
    const x = this.activation(node, op, 0);
    const rank = x.shape.length + 1;
    let raw: number[] | undefined = this.opset < 18 ? a.ints('axes') : undefined;
    if (this.opset >= 18) {
      const c = this.optionalConstant(node, op, 1, 'axes');
      raw = c ? Array.from(c.data) : undefined;
      if ((!raw || raw.length === 0) && a.int('noop_with_empty_axes', 0) !== 0) {
        return this.emit({ name: base.name, output: base.output, sourceOp: base.sourceOp, kind: 'reshape', inputs: [x.name], shape: x.shape }, x.batchAxis);
      }
    }
    if (!raw || raw.length === 0) throw inputError(M.batchAxis(base.name, op, 'reduces over all axes including the batch'));
    const axes = [...new Set(raw.map((ax) => this.sampleAxis(node, op, ax, rank, 'axis', x.batchAxis)))].sort((p, q) => p - q);
    const keepDims = a.int('keepdims', 1) !== 0;
    const b = keepDims ? x.batchAxis : x.batchAxis - axes.filter((ax) => ax < x.batchAxis).length;
    this.emit({ name: base.name, output: base.output, sourceOp: base.sourceOp, kind: 'reducemean', inputs: [x.name], axes, keepDims }, b);
  }

  private axesOf(node: NodeProto, op: string, a: Attrs): number[] | undefined {
    if (this.opset < 13) return a.ints('axes');
    const c = this.optionalConstant(node, op, 1, 'axes');
    return c ? Array.from(c.data) : undefined;
  }

  /**
   * A row-major reshape of an activation whose batch axis is `x.batchAxis` to `target` (null: the batch). The dims
   * before the batch must regroup among themselves and so must the dims after it: then each sample's data is
   * unchanged and the reshape is per sample. Returns the per-sample shape and the batch axis of the result.
   */
  private reshapeTarget(name: string, op: string, x: { shape: number[]; batchAxis: number }, raw: number[], target: Dim[]): { shape: number[]; batchAxis: number } {
    const text = `[${raw.join(', ')}]`;
    const t = [...target];
    let bpos = t.indexOf(null);
    if (t.indexOf(null, bpos + 1) >= 0 && bpos >= 0) throw inputError(M.batchAxis(name, op, `reshapes to ${text}, which has the batch size twice`));
    const before = sizeOf(x.shape.slice(0, x.batchAxis));
    const size = sizeOf(x.shape);
    const prod = (v: Dim[]) => sizeOf(v.map((d) => (d === null ? 1 : d)));
    if (bpos < 0) {
      // No dimension is the batch by name: a -1, or the static batch size, where the dims before it match.
      const candidates = t.map((d, p) => (d === -1 || (this.batch !== null && d === this.batch)) && !t.slice(0, p).includes(-1) && prod(t.slice(0, p)) === before ? p : -1).filter((p) => p >= 0);
      const minus = candidates.find((p) => t[p] === -1 && (this.batch === null || prod(t.filter((_, i) => i !== p)) === size));
      bpos = minus ?? candidates.find((p) => t[p] !== -1) ?? -1;
      if (bpos < 0) throw inputError(M.batchAxis(name, op, `reshapes to ${text}, which does not keep the batch as one dimension`));
      t[bpos] = null;
    }
    const rest = t.filter((_, i) => i !== bpos) as number[];
    if (rest.some((d) => !Number.isInteger(d) || d < -1)) throw inputError(M.badNodeShape(name, op, `target shape ${text} is invalid for input per-sample ${formatShape(x.shape)}`));
    const unknown = rest.indexOf(-1);
    if (unknown >= 0) {
      if (rest.indexOf(-1, unknown + 1) >= 0) throw inputError(M.badNodeShape(name, op, `target shape ${text} has two -1 dimensions`));
      const known = sizeOf(rest.filter((d) => d !== -1));
      if (known === 0 || size % known !== 0) throw inputError(M.badNodeShape(name, op, `cannot reshape per-sample ${formatShape(x.shape)} to ${text}`));
      rest[unknown] = size / known;
    }
    if (sizeOf(rest) !== size) {
      throw inputError(target.includes(null) || raw.includes(-1) ? M.batchAxis(name, op, `reshapes to ${text}, which changes the batch size`) : M.badNodeShape(name, op, `cannot reshape per-sample ${formatShape(x.shape)} to ${text}`));
    }
    if (sizeOf(rest.slice(0, bpos)) !== before) throw inputError(M.batchAxis(name, op, `reshapes to ${text}, moving data across the batch axis`));
    return { shape: rest, batchAxis: bpos };
  }

  private importReshape(node: NodeProto, op: string, a: Attrs, base: Base): void {
    const x = this.activation(node, op, 0);
    const b = x.batchAxis;
    const full: Dim[] = [...x.shape.slice(0, b), null, ...x.shape.slice(b)];
    const rank = full.length;
    let result: { shape: number[]; batchAxis: number };
    switch (op) {
      case 'Flatten': {
        let axis = a.int('axis', 1);
        if (axis < 0) axis += rank;
        if (axis < 0 || axis > rank) throw inputError(M.badNodeShape(base.name, op, `axis ${a.int('axis', 1)} is outside rank ${rank}`));
        // [prod(d_0 .. d_axis-1), prod(d_axis ..)]: the batch must be alone in its group (the others of size 1).
        const outer = full.slice(0, axis);
        const inner = full.slice(axis);
        const group = b < axis ? outer : inner;
        if (group.some((d) => d !== null && d !== 1)) throw inputError(M.batchAxis(base.name, op, `flattens with axis ${axis}, merging the batch axis with other axes`));
        const target: Dim[] = b < axis ? [null, sizeOf(inner as number[])] : [sizeOf(outer as number[]), null];
        result = this.reshapeTarget(base.name, op, x, target.map((d) => d ?? -1), target);
        break;
      }
      case 'Reshape': {
        const raw = this.folder.dims(node.input?.[1] ?? '') ?? Array.from(this.constant(node, op, 1, 'the target shape').data);
        if (raw.length > MAX_RANK + 1) throw inputError(M.rankTooHigh(`node '${base.name}' (${op}): the target shape`, raw.length, MAX_RANK + 1));
        const allowZero = a.int('allowzero', 0) !== 0;
        if (allowZero && raw.includes(0)) throw inputError(M.unsupportedAttr(base.name, op, 'allowzero = 1 with a zero in the shape'));
        if (raw.length === 0) throw inputError(M.batchAxis(base.name, op, 'reshapes to a scalar'));
        const target: Dim[] = raw.map((d, i) => (d === 0 ? (i < rank ? full[i] : NaN) : d));
        if (target.some((d) => d !== null && Number.isNaN(d))) throw inputError(M.badNodeShape(base.name, op, `target shape [${raw.map((d) => d ?? 'N').join(', ')}] copies a dimension the input does not have`));
        result = this.reshapeTarget(base.name, op, x, raw.map((d) => d ?? -1), target);
        break;
      }
      case 'Squeeze': {
        const raw = this.axesOf(node, op, a);
        let axes: number[];
        if (raw === undefined || raw.length === 0) {
          if (this.batch === 1) throw inputError(M.batchAxis(base.name, op, 'has no axes and would also squeeze the batch axis of size 1'));
          axes = x.shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0);
          const nb = b - axes.filter((i) => i < b).length;
          result = { shape: x.shape.filter((_, i) => !axes.includes(i)), batchAxis: nb };
          break;
        }
        const fullAxes = new Set(raw.map((ax) => this.fullAxis(node, op, ax, rank, 'axis')));
        if (fullAxes.has(b)) throw inputError(M.batchAxis(base.name, op, `squeezes axis ${b} (the batch axis)`));
        axes = [...fullAxes].map((ax) => (ax < b ? ax : ax - 1));
        const bad = axes.find((ax) => x.shape[ax] !== 1);
        if (bad !== undefined) throw inputError(M.badNodeShape(base.name, op, `axis ${bad < b ? bad : bad + 1} has size ${x.shape[bad]}, not 1`));
        result = { shape: x.shape.filter((_, i) => !axes.includes(i)), batchAxis: b - [...fullAxes].filter((ax) => ax < b).length };
        break;
      }
      default: {
        // Unsqueeze: axes index the OUTPUT tensor.
        const raw = this.axesOf(node, op, a);
        if (!raw || raw.length === 0) throw inputError(M.badNodeShape(base.name, op, 'needs axes'));
        const outRank = rank + raw.length;
        if (outRank > MAX_RANK + 1) throw inputError(M.rankTooHigh(`node '${base.name}' (${op}): the output`, outRank, MAX_RANK + 1));
        const axes = new Set(raw.map((ax) => this.fullAxis(node, op, ax, outRank, 'axis')));
        if (axes.size !== raw.length) throw inputError(M.badNodeShape(base.name, op, 'repeats an axis'));
        const outFull: Dim[] = [];
        let src = 0;
        for (let i = 0; i < outRank; i++) outFull.push(axes.has(i) ? 1 : full[src++]);
        const nb = outFull.indexOf(null);
        result = { shape: outFull.filter((_, i) => i !== nb) as number[], batchAxis: nb };
      }
    }
    this.emit({ name: base.name, output: base.output, sourceOp: base.sourceOp, kind: 'reshape', inputs: [x.name], shape: result.shape }, result.batchAxis);
  }

  /**
   * Transpose: the batch axis goes where the permutation puts it. The permutation of the other axes is an IR
   * transpose; when it is the identity (only the batch moved, as PyTorch's batch_first exports do) no node is needed
   * and the output names the input's tensor.
   */
  private importTranspose(node: NodeProto, a: Attrs, base: Base): void {
    const op = 'Transpose';
    const x = this.activation(node, op, 0);
    const rank = x.shape.length + 1;
    const perm = a.ints('perm') ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
    if (perm.length !== rank || [...perm].sort((p, q) => p - q).some((v, i) => v !== i)) throw inputError(M.badNodeShape(base.name, op, `perm ${formatList(perm)} is not a permutation of ${rank} axes`));
    const b = x.batchAxis;
    const nb = perm.indexOf(b);
    const samplePerm = perm.filter((p) => p !== b).map((p) => (p < b ? p : p - 1));
    if (samplePerm.every((p, i) => p === i)) {
      this.setActivation(base.output, { shape: x.shape, batchAxis: nb, tensor: x.name });
      return;
    }
    this.emit({ name: base.name, output: base.output, sourceOp: base.sourceOp, kind: 'transpose', inputs: [x.name], perm: samplePerm }, nb);
  }

  /** Cast of an activation to a floating-point type is the identity; to an integer type it is refused. */
  private importCast(node: NodeProto, a: Attrs, base: Base): void {
    const to = a.int('to', 1);
    const DT = onnx.TensorProto.DataType;
    if (to !== DT.FLOAT && to !== DT.DOUBLE) throw inputError(M.unsupportedAttr(base.name, 'Cast', `a cast of an activation to ${(DT as unknown as Record<number, string>)[to] ?? `type ${to}`}`));
    const x = this.activation(node, 'Cast', 0);
    this.setActivation(base.output, { shape: x.shape, batchAxis: x.batchAxis, tensor: x.name });
  }

  /**
   * Gather (constant indices: a scalar drops the axis, evenly spaced indices keep it) and Slice of an activation
   * along axes other than the batch: an IR slice (PyTorch's readout of the last step, out[:, -1] or out[-1]).
   */
  private importSlice(node: NodeProto, op: string, a: Attrs, base: Base): void {
    const x = this.activation(node, op, 0);
    const b = x.batchAxis;
    const rank = x.shape.length + 1;
    const starts = x.shape.map(() => 0);
    const ends = [...x.shape];
    const steps = x.shape.map(() => 1);
    const name = base.name;
    let shape: number[];
    if (op === 'Gather') {
      const idx = this.constant(node, op, 1, 'the indices');
      const ax = this.sampleAxis(node, op, a.int('axis', 0), rank, 'axis', b);
      const size = x.shape[ax];
      const ks = Array.from(idx.data).map((i) => {
        const k = i < 0 ? i + size : i;
        if (!Number.isSafeInteger(k) || k < 0 || k >= size) throw inputError(M.badNodeShape(name, op, `index ${i} is outside an axis of size ${size}`));
        return k;
      });
      if (ks.length === 0) throw inputError(M.badNodeShape(name, op, 'selects nothing (empty indices)'));
      const step = ks.length > 1 ? ks[1] - ks[0] : 1;
      if (idx.shape.length > 1 || step === 0 || ks.some((k, i) => k !== ks[0] + i * step)) {
        // Any other indices: a gather along the axis, then the index tensor's shape in place of the axis.
        const full = [...x.shape.slice(0, ax), ...idx.shape, ...x.shape.slice(ax + 1)];
        const nb = ax < b ? b + idx.shape.length - 1 : b;
        if (idx.shape.length === 1) {
          this.emit({ name, output: base.output, sourceOp: op, kind: 'gather', inputs: [x.name], axis: ax, indices: ks }, b);
          return;
        }
        if (full.length > MAX_RANK) throw inputError(M.rankTooHigh(`node '${name}' (${op}): the output`, full.length + 1, MAX_RANK + 1));
        const p = this.part(base, 'gather');
        this.emit({ name: p.name, output: p.output, sourceOp: op, kind: 'gather', inputs: [x.name], axis: ax, indices: ks }, b);
        this.emit({ name, output: base.output, sourceOp: op, kind: 'reshape', inputs: [this.activations.get(p.output)!.tensor], shape: full }, nb);
        return;
      }
      starts[ax] = ks[0];
      steps[ax] = step;
      ends[ax] = ks[0] + ks.length * step;
      if (ends[ax] < 0) ends[ax] = -1;
      shape = idx.shape.length === 0 ? x.shape.filter((_, i) => i !== ax) : x.shape.map((d, i) => (i === ax ? ks.length : d));
      const outFullBatch = idx.shape.length === 0 && ax < b ? b - 1 : b;
      this.emit({ name, output: base.output, sourceOp: op, kind: 'slice', inputs: [x.name], starts, ends, steps, shape }, outFullBatch);
      return;
    }
    let rawStarts: number[];
    let rawEnds: number[];
    let rawAxes: number[] | undefined;
    let rawSteps: number[] | undefined;
    if (this.opset < 10) {
      rawStarts = a.ints('starts') ?? [];
      rawEnds = a.ints('ends') ?? [];
      rawAxes = a.ints('axes');
    } else {
      rawStarts = Array.from(this.constant(node, op, 1, 'starts').data);
      rawEnds = Array.from(this.constant(node, op, 2, 'ends').data);
      rawAxes = this.optionalConstant(node, op, 3, 'axes')?.data ? Array.from(this.optionalConstant(node, op, 3, 'axes')!.data) : undefined;
      rawSteps = this.optionalConstant(node, op, 4, 'steps')?.data ? Array.from(this.optionalConstant(node, op, 4, 'steps')!.data) : undefined;
    }
    const axes = rawAxes ?? rawStarts.map((_, i) => i);
    if (rawStarts.length !== axes.length || rawEnds.length !== axes.length || (rawSteps && rawSteps.length !== axes.length)) throw inputError(M.badNodeShape(name, op, 'starts, ends, axes and steps differ in length'));
    const seen = new Set<number>();
    axes.forEach((raw, i) => {
      const full = this.fullAxis(node, op, raw, rank, 'axis');
      if (seen.has(full)) throw inputError(M.badNodeShape(name, op, 'repeats an axis'));
      seen.add(full);
      const st = rawSteps?.[i] ?? 1;
      if (!Number.isSafeInteger(st) || st === 0) throw inputError(M.badNodeShape(name, op, `step ${st} must be a non-zero integer`));
      if (full === b) {
        // Only the whole batch (0 to the end, as PyTorch writes x[:, ...]) leaves samples apart.
        if (rawStarts[i] === 0 && st === 1 && (rawEnds[i] >= 2 ** 31 - 1 || (this.batch !== null && rawEnds[i] >= this.batch))) return;
        throw inputError(M.batchAxis(name, op, 'slices the batch axis'));
      }
      const ax = full < b ? full : full - 1;
      const r = resolveSlice(x.shape[ax], rawStarts[i], rawEnds[i], st);
      if (r.count < 1) throw inputError(M.badNodeShape(name, op, `selects nothing along axis ${full}`));
      starts[ax] = r.start;
      steps[ax] = st;
      ends[ax] = r.start + r.count * st;
      if (ends[ax] < 0) ends[ax] = -1;
    });
    shape = x.shape.map((_, i) => (steps[i] > 0 ? Math.ceil((ends[i] - starts[i]) / steps[i]) : Math.ceil((starts[i] - ends[i]) / -steps[i])));
    this.emit({ name, output: base.output, sourceOp: op, kind: 'slice', inputs: [x.name], starts, ends, steps, shape }, b);
  }

  /** An initial state input of a recurrent op: absent (zeros), a constant, or a batch constant (PyTorch's zeros). */
  private initialState(node: NodeProto, op: string, index: number, what: string, H: number, layout: 0 | 1): Float64Array {
    const raw = node.input?.[index];
    if (!this.isPresent(raw)) return new Float64Array(H);
    const name = this.nodeName(node);
    const n = this.resolve(raw);
    // Source shape: [1, N, H] (layout 0) or [N, 1, H] (layout 1).
    const batchAt = layout === 0 ? 1 : 0;
    const bc = this.folder.batchConst(n);
    if (bc) {
      if (bc.batchAxis !== batchAt || bc.shape.length !== 2 || sizeOf(bc.shape) !== H) throw inputError(M.badNodeShape(name, op, `${what} has shape ${formatShape([...bc.shape.slice(0, bc.batchAxis), 0, ...bc.shape.slice(bc.batchAxis)])} (N as 0); it must be ${layout === 0 ? `[1, N, ${H}]` : `[N, 1, ${H}]`}`));
      return Float64Array.from(bc.data);
    }
    const c = this.constants.get(n);
    if (c) {
      const s = c.shape;
      const want = layout === 0 ? [1, -1, H] : [-1, 1, H];
      if (s.length !== 3 || s.some((d, i) => want[i] !== -1 && d !== want[i])) throw inputError(M.badNodeShape(name, op, `${what} ${formatShape(s)} must be ${layout === 0 ? `[1, N, ${H}]` : `[N, 1, ${H}]`}`));
      const rows = s[batchAt];
      if (this.batch !== null && rows !== 1 && rows !== this.batch) throw inputError(M.badNodeShape(name, op, `${what} ${formatShape(s)} has ${rows} rows for a batch of ${this.batch}`));
      // Equal rows (or one row) give one per-sample state; rows that differ would make samples differ.
      for (let r = 1; r < rows; r++) for (let u = 0; u < H; u++) if (c.data[r * H + u] !== c.data[u]) throw inputError(M.batchAxis(name, op, `has an ${what} that differs between samples of the batch`));
      return c.data.slice(0, H);
    }
    if (this.activations.has(n)) throw inputError(M.recurrentUnsupported(name, op, `an ${what} computed from the input`, 'give the initial state as a constant or leave it out (zeros)'));
    throw inputError(M.undefinedInput(`node '${name}'`, raw));
  }

  /**
   * ONNX LSTM, GRU and RNN (forward, no clip, no peepholes, sigmoid/tanh/relu): one IR recurrent node per output
   * the graph reads (Y, Y_h, Y_c), the later ones sharing the first's parameters.
   */
  private importRecurrent(node: NodeProto, op: 'LSTM' | 'GRU' | 'RNN', a: Attrs): void {
    const name = this.nodeName(node);
    const cell = op.toLowerCase() as RecurrentCell;
    const refuse = (what: string, fix: string): never => {
      throw inputError(M.recurrentUnsupported(name, op, what, fix));
    };
    const direction = a.string('direction', 'forward');
    if (direction !== 'forward') refuse(`direction '${direction.slice(0, 20)}'`, 'export a forward (unidirectional) layer: bidirectional and reverse recurrences are not lowered yet');
    if (a.has('clip')) refuse(`clip = ${a.float('clip', 0)} (cell input clipping)`, 'export the layer without clip');
    if (cell === 'lstm' && a.int('input_forget', 0) !== 0) refuse('input_forget = 1 (coupled input and forget gates)', 'export a standard LSTM (input_forget = 0)');
    const count = activationCountOf(cell);
    const defaults: RecurrentActivation[] = cell === 'rnn' ? ['tanh'] : cell === 'gru' ? ['sigmoid', 'tanh'] : ['sigmoid', 'tanh', 'tanh'];
    const given = a.strings('activations');
    if (given && given.length !== count) refuse(`activations ${given.slice(0, 6).join(', ')} (${given.length} for a forward ${op}, which takes ${count})`, `give ${count} activation functions`);
    const activations = (given ?? defaults).map((f): RecurrentActivation => {
      const k = f.toLowerCase();
      if (k === 'hardsigmoid') return 'hardSigmoid';
      if (k !== 'sigmoid' && k !== 'tanh' && k !== 'relu') refuse(`the activation ${f.slice(0, 20)}`, 'use Sigmoid, Tanh, Relu or HardSigmoid');
      return k as RecurrentActivation;
    });
    // activation_alpha / activation_beta are consumed in activation order by the parametric activations only (as
    // onnxruntime reads them); HardSigmoid is the one parametric activation lowered, defaults alpha 0.2, beta 0.5.
    const hardCount = activations.filter((f) => f === 'hardSigmoid').length;
    const alphas = a.floats('activation_alpha') ?? [];
    const betas = a.floats('activation_beta') ?? [];
    if ((alphas.length > 0 || betas.length > 0) && hardCount === 0) refuse('activation_alpha / activation_beta (parametric activations)', 'use Sigmoid, Tanh or Relu without parameters');
    if (alphas.length > hardCount || betas.length > hardCount) refuse(`${Math.max(alphas.length, betas.length)} activation_alpha / activation_beta values for ${hardCount} HardSigmoid activations`, 'give one value per HardSigmoid');
    const hardParams = Array.from({ length: hardCount }, (_, i) => ({ alpha: alphas[i] ?? Math.fround(0.2), beta: betas[i] ?? Math.fround(0.5) }));
    if (hardParams.some((p) => p.alpha !== hardParams[0].alpha || p.beta !== hardParams[0].beta)) refuse('HardSigmoid activations with different alpha / beta', 'use one HardSigmoid slope and offset for every gate');
    const hardSigmoid = hardCount > 0 ? hardParams[0] : null;
    const layoutRaw = a.int('layout', 0);
    if (layoutRaw !== 0 && layoutRaw !== 1) throw inputError(M.badNodeShape(name, op, `layout ${layoutRaw} must be 0 or 1`));
    const layout = layoutRaw as 0 | 1;
    const ins = node.input ?? [];
    if (this.isPresent(ins[4])) refuse('a sequence_lens input (per-sample sequence lengths)', 'export without sequence_lens: every sample of a file has the same length');
    if (cell === 'lstm' && this.isPresent(ins[7])) {
      const P = this.constant(node, op, 7, 'the peepholes P');
      if (P.data.some((v) => v !== 0)) refuse('peepholes (input P)', 'export an LSTM without peephole connections');
    }
    const x = this.activation(node, op, 0);
    const batchAt = layout === 0 ? 1 : 0;
    if (x.shape.length !== 2) throw inputError(M.badNodeShape(name, op, `X must be a rank-3 sequence ${layout === 0 ? '[T, N, I]' : '[N, T, I]'}, got per-sample ${formatShape(x.shape)}`));
    if (x.batchAxis !== batchAt) throw inputError(M.recurrentBatchAxis(name, op, layout, batchAt, x.batchAxis));
    const G = gatesOf(cell);
    const W = this.constant(node, op, 1, 'the weight W');
    const R = this.constant(node, op, 2, 'the recurrence weight R');
    const I = x.shape[1];
    const attrH = a.has('hidden_size') ? a.int('hidden_size', 0) : null;
    const H = attrH ?? (W.shape.length === 3 ? W.shape[1] / G : NaN);
    if (!Number.isSafeInteger(H) || H < 1) throw inputError(M.badNodeShape(name, op, `hidden_size ${H} is not a positive integer`));
    if (W.shape.length !== 3 || W.shape[0] !== 1 || W.shape[1] !== G * H || W.shape[2] !== I) throw inputError(M.badNodeShape(name, op, `W ${formatShape(W.shape)} must be [1, ${G * H}, ${I}]`));
    if (R.shape.length !== 3 || R.shape[0] !== 1 || R.shape[1] !== G * H || R.shape[2] !== H) throw inputError(M.badNodeShape(name, op, `R ${formatShape(R.shape)} must be [1, ${G * H}, ${H}]`));
    const B = this.optionalConstant(node, op, 3, 'the bias B');
    if (B && (sizeOf(B.shape) !== 2 * G * H || B.shape[0] !== 1)) throw inputError(M.badNodeShape(name, op, `B ${formatShape(B.shape)} must be [1, ${2 * G * H}]`));
    const inputBias = B ? B.data.slice(0, G * H) : new Float64Array(G * H);
    const recurrenceBias = B ? B.data.slice(G * H) : new Float64Array(G * H);
    const initialH = this.initialState(node, op, 5, 'initial_h', H, layout);
    const initialC = cell === 'lstm' ? this.initialState(node, op, 6, 'initial_c', H, layout) : null;
    const weight = { shape: [G * H, I], data: W.data };
    const recurrence = { shape: [G * H, H], data: R.data };
    const diagonalRecurrence = isDiagonalRecurrence({ cell, recurrence });
    const outs = node.output ?? [];
    const kinds: [RecurrentOutput, string][] = [['sequence', 'Y'], ['hidden', 'Y_h'], ['cell', 'Y_c']];
    let first: string | null = null;
    kinds.forEach(([produces, label], k) => {
      const out = outs[k];
      if (!this.isPresent(out) || !this.consumed.has(out) || (produces === 'cell' && cell !== 'lstm')) return;
      const irName = first === null ? name : this.freshName(`${name}/${label}`);
      const ir: RecurrentNode = {
        name: irName, output: out, sourceOp: op, kind: 'recurrent', inputs: [x.name], cell, hiddenSize: H, weight, recurrence,
        inputBias, recurrenceBias, activations, hardSigmoid, linearBeforeReset: cell === 'gru' && a.int('linear_before_reset', 0) !== 0, layout,
        initialH, initialC, produces, diagonalRecurrence, sharedWith: first,
      };
      // Y is [T, 1, N, H] (layout 0) or [N, T, 1, H]; Y_h and Y_c are [1, N, H] or [N, 1, H].
      const outBatch = layout === 1 ? 0 : produces === 'sequence' ? 2 : 1;
      this.emit(ir, outBatch);
      first ??= irName;
    });
  }

  /**
   * HardSwish (opset 14): x * HardSigmoid(x) with alpha 1/6 and beta 0.5 (the op's fixed constants, x * relu6(x + 3) / 6),
   * as two IR nodes: the HardSigmoid, then a Mul of the activation by it (a multiplier per element when lowered).
   */
  private importHardSwish(node: NodeProto, base: { name: string; output: string; sourceOp: string }): void {
    const op = 'HardSwish';
    const x = this.activation(node, op, 0);
    const gate = this.freshTensor(`${base.output}/hardsigmoid`);
    const fn: ActivationFn = { type: 'hardSigmoid', alpha: 1 / 6, beta: 0.5 };
    this.emit({ name: this.freshName(`${base.name}/hardsigmoid`), output: gate, sourceOp: op, kind: 'activation', inputs: [x.name], fn }, x.batchAxis);
    this.emit({ name: base.name, output: base.output, sourceOp: op, kind: 'binary', op: 'mul', inputs: [x.name, gate] }, x.batchAxis);
  }

  /** A tensor name no source tensor and no emitted IR tensor has, derived from `base`. */
  private freshTensor(base: string): string {
    if (this.sourceTensors === null) {
      this.sourceTensors = new Set<string>();
      for (const node of this.g.node ?? []) for (const t of [...(node.input ?? []), ...(node.output ?? [])]) this.sourceTensors.add(t);
      for (const t of this.g.input ?? []) this.sourceTensors.add(t.name ?? '');
      for (const t of this.g.initializer ?? []) this.sourceTensors.add(t.name ?? '');
    }
    const taken = this.sourceTensors;
    let n = base;
    for (let k = 1; taken.has(n) || this.tensorShapes.has(n); k++) n = `${base}_${k}`;
    taken.add(n);
    return n;
  }

  private importBinary(node: NodeProto, op: string, base: { name: string; output: string; sourceOp: string }): void {
    const kind = op.toLowerCase() as BinaryOp;
    const [n0, n1] = [0, 1].map((i) => {
      const raw = node.input?.[i];
      if (!this.isPresent(raw)) throw inputError(M.badNodeShape(base.name, op, `input ${i} is missing`));
      return this.resolve(raw);
    });
    const c0 = this.constants.get(n0);
    const c1 = this.constants.get(n1);
    if (c0 && c1) throw inputError(M.badNodeShape(base.name, op, 'both operands are constants; export with constant folding on'));
    if (!c0 && !c1) {
      const x = this.activation(node, op, 0);
      const y = this.activation(node, op, 1);
      // Numpy broadcasting aligns the source tensors from the right: the batch axes must meet (as many axes after
      // the batch in both), and the per-sample shapes then broadcast the same way (ir/shapes.ts checks them).
      if (x.shape.length - x.batchAxis !== y.shape.length - y.batchAxis) {
        throw inputError(M.batchAxis(base.name, op, `combines tensors whose batch axes do not align when broadcast (axis ${x.batchAxis} of rank ${x.shape.length + 1} and axis ${y.batchAxis} of rank ${y.shape.length + 1})`));
      }
      return this.emit({ name: base.name, output: base.output, sourceOp: base.sourceOp, kind: 'binary', op: kind, inputs: [x.name, y.name] }, Math.max(x.batchAxis, y.batchAxis));
    }
    const x = this.activation(node, op, c0 ? 1 : 0);
    const c = (c0 ?? c1)!;
    const constant = this.broadcastConstant(base.name, op, c, x.shape, x.batchAxis);
    this.emit({ name: base.name, output: base.output, sourceOp: base.sourceOp, kind: 'constBinary', op: kind, inputs: [x.name], constant, constantElements: c.data.length, constantOnLeft: c0 !== undefined }, x.batchAxis);
  }

  /**
   * Edge, reflect and wrap padding as one gather per padded axis (PyTorch's ReplicationPad and ReflectionPad): the
   * padded positions repeat the edge element, mirror the elements next to the edge, or continue from the other end.
   */
  private padByIndex(base: Base, mode: string, x: Act, pads: number[]): void {
    const r = x.shape.length;
    if (pads.some((p) => p < 0)) throw inputError(M.unsupportedAttr(base.name, 'Pad', `negative pads ${formatList(pads)} (cropping) with mode '${mode}'`));
    const axes = x.shape.map((_, a) => a).filter((a) => pads[a] !== 0 || pads[a + r] !== 0);
    if (axes.length === 0) {
      this.setActivation(base.output, { shape: x.shape, batchAxis: x.batchAxis, tensor: x.name });
      return;
    }
    let cur = x;
    axes.forEach((a, k) => {
      const n = cur.shape[a];
      const [pb, pe] = [pads[a], pads[a + r]];
      if (mode === 'reflect' && (pb >= n || pe >= n)) throw inputError(M.badNodeShape(base.name, 'Pad', `reflect pads ${pb} and ${pe} must be smaller than the axis size ${n}`));
      const indices = Array.from({ length: pb + n + pe }, (_, j) => {
        const i = j - pb;
        if (mode === 'edge') return Math.min(Math.max(i, 0), n - 1);
        if (mode === 'wrap') return ((i % n) + n) % n;
        return i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;
      });
      cur = this.gatherAxis(base, k === axes.length - 1 ? null : `axis${a}`, cur, a, indices);
    });
  }

  /**
   * Resize (opset 10 and later) and Upsample (opsets 7 to 9), nearest and linear, one axis at a time: nearest is a
   * gather of the source index of each output position; linear is w0 x[i0] + w1 x[i1] (two gathers and constant
   * gains), the coordinates mapped as coordinate_transformation_mode says and clamped to the input, as onnxruntime
   * computes them.
   */
  private importResize(node: NodeProto, op: string, a: Attrs, base: Base): void {
    const x: Act = { kind: 'act', ...this.activation(node, op, 0) };
    const rank = x.shape.length + 1;
    const full: Dim[] = [...x.shape.slice(0, x.batchAxis), null, ...x.shape.slice(x.batchAxis)];
    const v11 = op === 'Resize' && this.opset >= 11;
    const mode = a.string('mode', 'nearest');
    if (mode !== 'nearest' && mode !== 'linear' && mode !== 'bilinear') throw inputError(M.unsupportedAttr(base.name, op, `mode '${mode.slice(0, 20)}' (only nearest and linear)`));
    const coord = v11 ? a.string('coordinate_transformation_mode', 'half_pixel') : 'asymmetric';
    const nearestMode = v11 ? a.string('nearest_mode', 'round_prefer_floor') : 'floor';
    if (!['half_pixel', 'pytorch_half_pixel', 'align_corners', 'asymmetric', 'tf_half_pixel_for_nn'].includes(coord)) {
      throw inputError(M.unsupportedAttr(base.name, op, `coordinate_transformation_mode '${coord.slice(0, 30)}'`));
    }
    if (!['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil'].includes(nearestMode)) throw inputError(M.unsupportedAttr(base.name, op, `nearest_mode '${nearestMode.slice(0, 30)}'`));
    if (a.int('antialias', 0) !== 0) throw inputError(M.unsupportedAttr(base.name, op, 'antialias = 1'));
    if (a.has('axes')) throw inputError(M.unsupportedAttr(base.name, op, 'the axes attribute'));
    let scales: number[] | null = null;
    let sizes: Dim[] | null = null;
    if (op === 'Upsample' && this.opset < 9) scales = a.floats('scales') ?? null;
    else {
      const si = v11 ? 2 : 1;
      const sc = this.isPresent(node.input?.[si]) ? this.constant(node, op, si, 'scales') : undefined;
      if (sc && sc.data.length > 0) scales = Array.from(sc.data);
      if (v11 && this.isPresent(node.input?.[3]) && !scales) sizes = this.folder.dims(node.input![3]) ?? Array.from(this.constant(node, op, 3, 'sizes').data);
    }
    if (!scales && !sizes) throw inputError(M.badNodeShape(base.name, op, 'has neither scales nor sizes'));
    const given = (scales ?? sizes)!;
    if (given.length !== rank) throw inputError(M.badNodeShape(base.name, op, `${scales ? 'scales' : 'sizes'} ${formatList(given.map((d) => d ?? -1))} do not have ${rank} values`));
    const b = x.batchAxis;
    if (scales ? scales[b] !== 1 : sizes![b] !== null && sizes![b] !== this.batch) throw inputError(M.batchAxis(base.name, op, 'resizes the batch axis'));
    if (scales && scales.some((v) => !(v > 0) || !Number.isFinite(v))) throw inputError(M.badNodeShape(base.name, op, `scales ${formatList(scales)} must be positive`));
    let cur = x;
    const axes = full.map((_, i) => i).filter((i) => i !== b);
    const work = axes.map((fa) => {
      const ax = fa < b ? fa : fa - 1;
      const L = x.shape[ax];
      const O = scales ? Math.floor(L * scales[fa]) : (sizes![fa] as number);
      if (!Number.isSafeInteger(O) || O < 1) throw inputError(M.badNodeShape(base.name, op, `axis ${fa} would have ${O} elements`));
      return { ax, L, O, scale: scales ? scales[fa] : O / L };
    }).filter((w) => w.O !== w.L || (w.scale !== 1 && coord !== 'align_corners'));
    if (work.length === 0) {
      this.setActivation(base.output, { shape: x.shape, batchAxis: b, tensor: x.name });
      return;
    }
    const source = (j: number, L: number, O: number, sc: number): number => {
      switch (coord) {
        case 'half_pixel':
          return (j + 0.5) / sc - 0.5;
        case 'pytorch_half_pixel':
          return O > 1 ? (j + 0.5) / sc - 0.5 : 0;
        case 'align_corners':
          return O === 1 ? 0 : (j * (L - 1)) / (O - 1);
        case 'tf_half_pixel_for_nn':
          return (j + 0.5) / sc;
        default:
          return j / sc;
      }
    };
    work.forEach((w, k) => {
      const last = k === work.length - 1;
      const label = `axis${w.ax}`;
      const coords = Array.from({ length: w.O }, (_, j) => source(j, w.L, w.O, w.scale));
      if (mode === 'nearest') {
        const idx = coords.map((c) => {
          const fl = Math.floor(c);
          const r = nearestMode === 'floor' ? fl : nearestMode === 'ceil' ? Math.ceil(c) : c - fl === 0.5 ? (nearestMode === 'round_prefer_floor' ? fl : fl + 1) : Math.round(c);
          return Math.min(Math.max(r, 0), w.L - 1);
        });
        cur = this.gatherAxis(base, last ? null : label, cur, w.ax, idx);
        return;
      }
      const clamped = coords.map((c) => Math.min(Math.max(c, 0), w.L - 1));
      const i0 = clamped.map((c) => Math.floor(c));
      const i1 = i0.map((i) => Math.min(i + 1, w.L - 1));
      const w1 = clamped.map((c, j) => c - i0[j]);
      const g0 = this.gatherAxis(base, `${label}/low`, cur, w.ax, i0);
      const g1 = this.gatherAxis(base, `${label}/high`, cur, w.ax, i1);
      // The weights along the axis, repeated over the other axes (the constant of a constBinary is per element).
      const along = (ws: number[]): ConstTensor => {
        const shape = g0.shape.map((d, i) => (i === w.ax ? d : 1));
        return { name: `${base.name}.weights`, shape: [...shape.slice(0, g0.batchAxis), 1, ...shape.slice(g0.batchAxis)], data: Float64Array.from(ws) };
      };
      const p0 = this.part(base, `${label}/w0`);
      const m0 = this.combine(p0.name, p0.output, op, 'mul', g0, { kind: 'const', c: along(w1.map((v) => 1 - v)) });
      const p1 = this.part(base, `${label}/w1`);
      const m1 = this.combine(p1.name, p1.output, op, 'mul', g1, { kind: 'const', c: along(w1) });
      const ps = last ? { name: base.name, output: base.output } : this.part(base, label);
      cur = this.combine(ps.name, ps.output, op, 'add', m0, m1);
    });
  }

  /**
   * Concat with constant operands (a learned token, a constant channel): each constant becomes a block of zeros
   * (a gather of no element), the blocks are concatenated with the activations, and a constant add puts the values
   * in. The constants must be equal in every sample of the batch.
   */
  private importConcatConstant(node: NodeProto, a: Attrs, base: Base): void {
    const op = 'Concat';
    if (!a.has('axis')) throw inputError(M.badNodeShape(base.name, op, 'the axis attribute is required'));
    const operands = (node.input ?? []).map((_, i) => this.operand(node, op, i));
    const acts = operands.filter((o): o is Act => o.kind === 'act');
    if (acts.length === 0) throw inputError(M.badNodeShape(base.name, op, 'all inputs are constants; export with constant folding on'));
    const t = acts[0];
    const b = t.batchAxis;
    const other = acts.find((i) => i.batchAxis !== b);
    if (other) throw inputError(M.batchAxis(base.name, op, `joins tensors whose batch axes differ (${b} and ${other.batchAxis})`));
    const rank = t.shape.length + 1;
    const ax = this.sampleAxis(node, op, a.int('axis', 0), rank, 'axis', b);
    const parts: { act: Act; constant: Float64Array | null }[] = operands.map((o, k) => {
      if (o.kind === 'act') return { act: o, constant: null };
      const c = o.c;
      // The constant's source shape: the activations' with its own extent along the axis, and 1 or N along the batch.
      const ok = c.shape.length === rank && c.shape.every((d, i) => i === b || i === (ax < b ? ax : ax + 1) || d === t.shape[i < b ? i : i - 1]);
      if (!ok) throw inputError(M.badNodeShape(base.name, op, `constant input ${k} ${formatShape(c.shape)} does not fit the activations' per-sample ${formatShape(t.shape)} along axis ${a.int('axis', 0)}`));
      const rows = c.shape[b];
      const per = c.data.length / rows;
      if (rows > 1 && b !== 0) throw inputError(M.batchAxis(base.name, op, `has a constant input ${k} with ${rows} rows along the batch axis ${b}`));
      for (let r = 1; r < rows; r++) for (let i = 0; i < per; i++) if (c.data[r * per + i] !== c.data[i]) throw inputError(M.batchAxis(base.name, op, `has a constant input ${k} that differs between samples of the batch`));
      const len = c.shape[ax < b ? ax : ax + 1];
      const zeros = this.gatherAxis(base, `constant${k}`, t, ax, new Array(len).fill(-1));
      return { act: zeros, constant: c.data.slice(0, per) };
    });
    const joined = this.part(base, 'joined');
    this.emit({ name: joined.name, output: joined.output, sourceOp: op, kind: 'concat', inputs: parts.map((p) => p.act.name), axis: ax }, b);
    const j = this.activations.get(joined.output)!;
    // The values of the constants at their places in the joined tensor, zeros elsewhere.
    const shapes = parts.map((p) => p.act.shape);
    const idx = concatIndex(shapes, ax);
    const offsets: number[] = [];
    shapes.reduce((o, s) => (offsets.push(o), o + sizeOf(s)), 0);
    const values = new Float64Array(idx.length);
    for (let e = 0; e < idx.length; e++) {
      const src = idx[e];
      let p = offsets.length - 1;
      while (offsets[p] > src) p--;
      const c = parts[p].constant;
      if (c) values[e] = c[src - offsets[p]];
    }
    const all = [...j.shape.slice(0, b), 1, ...j.shape.slice(b)];
    this.combine(base.name, base.output, op, 'add', { kind: 'act', name: j.tensor, shape: j.shape, batchAxis: b }, { kind: 'const', c: { name: `${base.name}.constants`, shape: all, data: values } });
  }

  /** A gather of an activation along a per-sample axis: an intermediate node (`label`), or the node itself (null). */
  private gatherAxis(base: Base, label: string | null, x: Act, axis: number, indices: number[]): Act {
    const p = label === null ? { name: base.name, output: base.output } : this.part(base, label);
    this.emit({ name: p.name, output: p.output, sourceOp: base.sourceOp, kind: 'gather', inputs: [x.name], axis, indices }, x.batchAxis);
    const r = this.activations.get(p.output)!;
    return { kind: 'act', name: r.tensor, shape: r.shape, batchAxis: r.batchAxis };
  }

  /** An input of an element-wise op: an activation, or a constant. */
  private operand(node: NodeProto, op: string, index: number): Operand {
    const raw = node.input?.[index];
    if (!this.isPresent(raw)) throw inputError(M.badNodeShape(this.nodeName(node), op, `input ${index} is missing`));
    const c = this.constants.get(this.resolve(raw));
    if (c) return { kind: 'const', c };
    // A value equal in every sample (a token expanded over the batch): a constant with extent 1 along the batch.
    const bc = this.folder.batchConst(raw);
    if (bc) return { kind: 'const', c: { name: raw, shape: [...bc.shape.slice(0, bc.batchAxis), 1, ...bc.shape.slice(bc.batchAxis)], data: bc.data } };
    return { kind: 'act', ...this.activation(node, op, index) };
  }

  /**
   * Emits one element-wise add, sub or mul of two operands (at least one an activation) as an IR node named `name`
   * writing `output`, and returns the result. The batch axes must align as numpy broadcasting aligns the tensors.
   */
  private combine(name: string, output: string, op: string, kind: BinaryOp, x: Operand, y: Operand): Act {
    if (x.kind === 'const' && y.kind === 'const') throw inputError(M.badNodeShape(name, op, 'both operands are constants; export with constant folding on'));
    if (x.kind === 'act' && y.kind === 'act') {
      if (x.shape.length - x.batchAxis !== y.shape.length - y.batchAxis) {
        throw inputError(M.batchAxis(name, op, `combines tensors whose batch axes do not align when broadcast (axis ${x.batchAxis} of rank ${x.shape.length + 1} and axis ${y.batchAxis} of rank ${y.shape.length + 1})`));
      }
      this.emit({ name, output, sourceOp: op, kind: 'binary', op: kind, inputs: [x.name, y.name] }, Math.max(x.batchAxis, y.batchAxis));
    } else {
      const act = (x.kind === 'act' ? x : y) as Act;
      const c = (x.kind === 'const' ? x.c : (y as { c: ConstTensor }).c);
      const constant = this.broadcastConstant(name, op, c, act.shape, act.batchAxis);
      this.emit({ name, output, sourceOp: op, kind: 'constBinary', op: kind, inputs: [act.name], constant, constantElements: c.data.length, constantOnLeft: x.kind === 'const' }, act.batchAxis);
    }
    const r = this.activations.get(output)!;
    return { kind: 'act', name: r.tensor, shape: r.shape, batchAxis: r.batchAxis };
  }

  /** An intermediate node's name and output tensor, derived from the source node's. */
  private part(base: Base, label: string): { name: string; output: string } {
    return { name: this.freshName(`${base.name}/${label}`), output: this.freshTensor(`${base.output}/${label}`) };
  }

  /** A per-element activation of an operand, as an intermediate node. */
  private activate(base: Base, op: string, label: string, x: Act, fn: ActivationFn): Act {
    const p = this.part(base, label);
    this.emit({ name: p.name, output: p.output, sourceOp: op, kind: 'activation', inputs: [x.name], fn }, x.batchAxis);
    const r = this.activations.get(p.output)!;
    return { kind: 'act', name: r.tensor, shape: r.shape, batchAxis: r.batchAxis };
  }

  /** Div by a constant is a multiplication by its reciprocal; a division by an activation has no exact analog circuit. */
  private importDiv(node: NodeProto, base: Base): void {
    const op = 'Div';
    const x = this.operand(node, op, 0);
    const y = this.operand(node, op, 1);
    if (y.kind === 'act') throw inputError(M.notAnalog(base.name, op, 'divides by an activation', 'a resistor network only multiplies by constants (weights); a quotient of two signals needs a divider circuit, which is not exact'));
    if (x.kind === 'const') throw inputError(M.badNodeShape(base.name, op, 'both operands are constants; export with constant folding on'));
    const zero = y.c.data.findIndex((v) => v === 0);
    if (zero >= 0) throw inputError(M.badNodeShape(base.name, op, `divides by a constant with a zero at element ${zero}`));
    const reciprocal: ConstTensor = { name: y.c.name, shape: y.c.shape, data: y.c.data.map((v) => 1 / v) };
    this.combine(base.name, base.output, op, 'mul', x, { kind: 'const', c: reciprocal });
  }

  /** Neg is a gain of -1; Abs is 2 relu(x) - x (one ReLU neuron per element). */
  private importNegAbs(node: NodeProto, op: string, base: Base): void {
    const x: Act = { kind: 'act', ...this.activation(node, op, 0) };
    const scalar = (v: number): Operand => ({ kind: 'const', c: { name: `${base.name}.constant`, shape: [], data: Float64Array.of(v) } });
    if (op === 'Neg') {
      this.combine(base.name, base.output, op, 'mul', x, scalar(-1));
      return;
    }
    const r = this.activate(base, op, 'relu', x, { type: 'relu' });
    const p = this.part(base, 'twice');
    const twice = this.combine(p.name, p.output, op, 'mul', r, scalar(2));
    this.combine(base.name, base.output, op, 'sub', twice, x);
  }

  /**
   * Sum adds its operands; Max and Min are comparators built of ReLUs: max(a, b) = b + relu(a - b) and
   * min(a, b) = a - relu(a - b), folded left over the operands (numpy broadcasting as for Add).
   */
  private importVariadic(node: NodeProto, op: string, base: Base): void {
    const ins = (node.input ?? []).map((_, i) => i).filter((i) => this.isPresent(node.input![i]));
    if (ins.length === 0) throw inputError(M.badNodeShape(base.name, op, 'has no inputs'));
    const operands = ins.map((i) => this.operand(node, op, i));
    if (operands.every((o) => o.kind === 'const')) throw inputError(M.badNodeShape(base.name, op, 'all operands are constants; export with constant folding on'));
    if (operands.length === 1) {
      const only = operands[0] as Act;
      this.setActivation(base.output, { shape: only.shape, batchAxis: only.batchAxis, tensor: only.name });
      return;
    }
    // Activations first for Sum (a constant joins as a bias); Max and Min keep the order (the result is symmetric).
    let acc = operands[0];
    for (let k = 1; k < operands.length; k++) {
      const last = k === operands.length - 1;
      const b = operands[k];
      const out = last ? { name: base.name, output: base.output } : this.part(base, `${op.toLowerCase()}${k}`);
      if (op === 'Sum') {
        acc = acc.kind === 'const' && b.kind === 'const' ? this.foldConst(base.name, op, acc.c, b.c) : this.combine(out.name, out.output, op, 'add', acc, b);
        continue;
      }
      if (acc.kind === 'const' && b.kind === 'const') {
        acc = { kind: 'const', c: this.foldConst(base.name, op, acc.c, b.c, op === 'Max' ? Math.max : Math.min).c };
        continue;
      }
      // max(a, b) = b + relu(a - b); min(a, b) = a - relu(a - b).
      const d = this.part(base, `diff${k}`);
      const diff = this.combine(d.name, d.output, op, 'sub', acc, b);
      const r = this.activate(base, op, `relu${k}`, diff, { type: 'relu' });
      acc = op === 'Max' ? this.combine(out.name, out.output, op, 'add', b, r) : this.combine(out.name, out.output, op, 'sub', acc, r);
    }
    if (acc.kind === 'const') throw inputError(M.badNodeShape(base.name, op, 'all operands are constants; export with constant folding on'));
  }

  /** Two constants of the same shape (or a scalar) combined element-wise, as operands of a Sum, Max or Min. */
  private foldConst(name: string, op: string, a: ConstTensor, b: ConstTensor, f: (u: number, v: number) => number = (u, v) => u + v): { kind: 'const'; c: ConstTensor } {
    const big = a.data.length >= b.data.length ? a : b;
    const small = big === a ? b : a;
    if (small.data.length !== 1 && (small.data.length !== big.data.length || small.shape.join() !== big.shape.join())) {
      throw inputError(M.unsupportedAttr(name, op, `constant operands of shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`));
    }
    const data = big.data.map((v, i) => (big === a ? f(v, small.data[small.data.length === 1 ? 0 : i]) : f(small.data[small.data.length === 1 ? 0 : i], v)));
    return { kind: 'const', c: { name: big.name, shape: big.shape, data } };
  }

  /**
   * PRelu with a constant slope: a scalar slope is LeakyRelu; a slope per channel (or element) is
   * slope x + (1 - slope) relu(x), one ReLU neuron per element and linear terms.
   */
  private importPRelu(node: NodeProto, base: Base): void {
    const op = 'PRelu';
    const x: Act = { kind: 'act', ...this.activation(node, op, 0) };
    const slopeIn = node.input?.[1];
    if (this.isPresent(slopeIn) && this.activations.has(this.resolve(slopeIn))) throw inputError(M.needsConstant(base.name, op, 'the slope'));
    const slope = this.constant(node, op, 1, 'the slope');
    if (slope.data.length === 1) {
      this.emit({ name: base.name, output: base.output, sourceOp: op, kind: 'activation', inputs: [x.name], fn: { type: 'leakyRelu', alpha: slope.data[0] } }, x.batchAxis);
      return;
    }
    // ONNX PRelu broadcasts the slope to X unidirectionally (numpy rules).
    const r = this.activate(base, op, 'relu', x, { type: 'relu' });
    const pr = this.part(base, 'positive');
    const pos = this.combine(pr.name, pr.output, op, 'mul', r, { kind: 'const', c: { name: slope.name, shape: slope.shape, data: slope.data.map((v) => 1 - v) } });
    const pl = this.part(base, 'linear');
    const lin = this.combine(pl.name, pl.output, op, 'mul', x, { kind: 'const', c: slope });
    this.combine(base.name, base.output, op, 'add', lin, pos);
  }

  /** Split along an axis other than the batch: one IR slice per output the graph reads. */
  private importSplit(node: NodeProto, a: Attrs, name: string): void {
    const op = 'Split';
    const x = this.activation(node, op, 0);
    const rank = x.shape.length + 1;
    const ax = this.sampleAxis(node, op, a.int('axis', 0), rank, 'axis', x.batchAxis);
    const outs = node.output ?? [];
    const size = x.shape[ax];
    let parts: number[];
    const given = this.opset >= 13 ? (this.isPresent(node.input?.[1]) ? Array.from(this.constant(node, op, 1, 'split').data) : undefined) : a.ints('split');
    if (given && given.length > 0) parts = given;
    else {
      // Equal parts (opset 18: num_outputs, the last part smaller when the axis does not divide).
      const n = this.opset >= 18 && a.has('num_outputs') ? a.int('num_outputs', outs.length) : outs.length;
      if (!Number.isSafeInteger(n) || n < 1 || n > size) throw inputError(M.badNodeShape(name, op, `cannot split an axis of size ${size} into ${n} parts`));
      const each = Math.ceil(size / n);
      parts = Array.from({ length: n }, (_, i) => Math.max(0, Math.min(each, size - i * each)));
    }
    if (parts.length !== outs.length) throw inputError(M.badNodeShape(name, op, `has ${outs.length} outputs for ${parts.length} parts`));
    if (parts.some((p) => !Number.isSafeInteger(p) || p < 1) || parts.reduce((s, p) => s + p, 0) !== size) {
      throw inputError(M.badNodeShape(name, op, `parts ${formatList(parts)} do not split an axis of size ${size}`));
    }
    let start = 0;
    parts.forEach((len, k) => {
      const out = outs[k];
      const begin = start;
      start += len;
      if (!this.isPresent(out) || !this.consumed.has(out)) return;
      const starts = x.shape.map((_, i) => (i === ax ? begin : 0));
      const ends = x.shape.map((d, i) => (i === ax ? begin + len : d));
      const shape = x.shape.map((d, i) => (i === ax ? len : d));
      const irName = k === 0 ? name : this.freshName(`${name}/${k}`);
      this.emit({ name: irName, output: out, sourceOp: op, kind: 'slice', inputs: [x.name], starts, ends, steps: x.shape.map(() => 1), shape }, x.batchAxis);
    });
  }

  /** Numpy-style broadcast of a constant to a per-sample shape; the constant may not vary along the batch. */
  private broadcastConstant(name: string, op: string, c: ConstTensor, shape: number[], batchAxis: number): Float64Array {
    let cs = c.shape;
    if (cs.length > shape.length + 1) throw inputError(M.badNodeShape(name, op, `constant ${formatShape(c.shape)} has more axes than the input`));
    // Aligned to the source tensor's rank from the right, the constant's extent along the batch axis must be 1.
    const offset = shape.length + 1 - cs.length;
    if (batchAxis >= offset) {
      if (cs[batchAxis - offset] !== 1) throw inputError(M.batchAxis(name, op, `has a constant of shape ${formatShape(c.shape)} that varies along the batch axis`));
      cs = cs.filter((_, i) => i !== batchAxis - offset);
    }
    if (cs.length > shape.length) throw inputError(M.badNodeShape(name, op, `constant ${formatShape(c.shape)} has more axes than the input`));
    const aligned = [...new Array(shape.length - cs.length).fill(1), ...cs];
    if (aligned.some((d, i) => d !== 1 && d !== shape[i])) {
      throw inputError(M.badNodeShape(name, op, `constant ${formatShape(c.shape)} does not broadcast to the input's per-sample shape ${formatShape(shape)} without growing it`));
    }
    const out = new Float64Array(sizeOf(shape));
    const rank = shape.length;
    const idx = new Array<number>(rank).fill(0);
    const cStrides = new Array<number>(rank);
    let acc = 1;
    for (let i = rank - 1; i >= 0; i--) {
      cStrides[i] = aligned[i] === 1 ? 0 : acc;
      acc *= aligned[i];
    }
    for (let j = 0; j < out.length; j++) {
      let src = 0;
      for (let i = 0; i < rank; i++) src += idx[i] * cStrides[i];
      out[j] = c.data[src];
      for (let i = rank - 1; i >= 0; i--) {
        if (++idx[i] < shape[i]) break;
        idx[i] = 0;
      }
    }
    return out;
  }

  private importPad(node: NodeProto, a: Attrs, base: { name: string; output: string; sourceOp: string }): void {
    const op = 'Pad';
    const x = this.activation(node, op, 0);
    const rank = x.shape.length + 1;
    let pads: number[];
    let value: number;
    let mode: string;
    if (this.opset < 11) {
      pads = a.ints('pads') ?? [];
      value = a.float('value', 0);
      mode = a.string('mode', 'constant');
    } else {
      pads = Array.from(this.constant(node, op, 1, 'pads').data);
      const v = this.optionalConstant(node, op, 2, 'constant_value');
      value = v ? v.data[0] ?? 0 : 0;
      mode = a.string('mode', 'constant');
      if (this.isPresent(node.input?.[3])) {
        // opset 18: pads apply to the listed axes only; expand to every axis.
        const raw = Array.from(this.constant(node, op, 3, 'axes').data);
        const axes = raw.map((ax) => (ax < 0 ? ax + rank : ax));
        const bad = axes.findIndex((ax) => !Number.isInteger(ax) || ax < 0 || ax >= rank);
        if (bad >= 0) throw inputError(M.badNodeShape(base.name, op, `axis ${raw[bad]} is outside a rank-${rank} tensor`));
        if (new Set(axes).size !== axes.length) throw inputError(M.badNodeShape(base.name, op, `axes ${formatList(raw)} repeat an axis`));
        if (pads.length !== 2 * axes.length) throw inputError(M.badNodeShape(base.name, op, `pads ${formatList(pads)} and axes ${formatList(raw)} disagree in length`));
        const full = new Array<number>(2 * rank).fill(0);
        axes.forEach((ax, i) => {
          full[ax] = pads[i];
          full[ax + rank] = pads[i + axes.length];
        });
        pads = full;
      }
    }
    if (mode !== 'constant' && mode !== 'edge' && mode !== 'reflect' && mode !== 'wrap') throw inputError(M.unsupportedAttr(base.name, op, `mode '${mode.slice(0, 40)}' (only constant, edge, reflect and wrap padding)`));
    if (pads.length !== 2 * rank) throw inputError(M.badNodeShape(base.name, op, `pads ${formatList(pads)} do not have ${2 * rank} values`));
    if (pads.some((p) => !Number.isSafeInteger(p))) throw inputError(M.badNodeShape(base.name, op, `pads ${formatList(pads)} are not all integers`));
    const b = x.batchAxis;
    if (pads[b] !== 0 || pads[b + rank] !== 0) throw inputError(M.batchAxis(base.name, op, 'pads the batch axis'));
    const sample = [...pads.slice(0, rank).filter((_, i) => i !== b), ...pads.slice(rank).filter((_, i) => i !== b)];
    if (mode !== 'constant') return this.padByIndex(base, mode, { kind: 'act', ...x }, sample);
    this.emit({ name: base.name, output: base.output, sourceOp: base.sourceOp, kind: 'pad', inputs: [x.name], pads: sample, value }, b);
  }
}

/** Parses a per-sample shape option such as "1,8,8". */
export function parseShapeOption(text: string): number[] {
  if (typeof text !== 'string' || text.length > 1000 || !/^\s*\d+(\s*[,x]\s*\d+)*\s*$/.test(text)) throw usageError(M.badInputShapeText(String(text)));
  const parts = text.split(/[,x]/).map((p) => Number(p.trim()));
  if (parts.length > MAX_RANK || parts.some((d) => !Number.isSafeInteger(d) || d < 1)) throw usageError(M.badInputShapeText(text));
  return parts;
}
