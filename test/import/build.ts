// A compact builder of ONNX model bytes for importer tests: a graph is written as a list of nodes with attributes in
// plain values, so each test states the model it feeds the importer in a few lines (no committed binary fixtures).

import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const AT = onnx.AttributeProto.AttributeType;
const DT = onnx.TensorProto.DataType;

/** An attribute value: an integer, a float (non-integer or given with `float`), a list of ints, a string. */
export type AttrValue = number | number[] | string | { float: number } | { floats: number[] };

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  attrs?: Record<string, AttrValue>;
}

export interface InitSpec {
  name: string;
  dims: number[];
  /** Values (float unless `type` says otherwise); defaults to 0.5 everywhere. */
  values?: number[];
  type?: 'float' | 'int64' | 'float16';
}

export interface ModelSpec {
  /** Graph input name (default x) and its dims, batch first; a string is a symbolic dim, a number <= 0 a dim_value. */
  input?: { name?: string; dims: (number | string)[]; elemType?: number };
  output: string;
  nodes: NodeSpec[];
  inits?: InitSpec[];
  opset?: number;
  name?: string;
}

function attribute(name: string, v: AttrValue): onnxProto.onnx.IAttributeProto {
  if (typeof v === 'string') return { name, type: AT.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: AT.INTS, ints: v };
  if (typeof v === 'object' && 'floats' in v) return { name, type: AT.FLOATS, floats: v.floats };
  if (typeof v === 'object') return { name, type: AT.FLOAT, f: v.float };
  return Number.isInteger(v) ? { name, type: AT.INT, i: v } : { name, type: AT.FLOAT, f: v };
}

export function initializer(t: InitSpec): onnxProto.onnx.ITensorProto {
  const n = t.dims.reduce((s, d) => s * d, 1);
  const values = t.values ?? new Array<number>(n).fill(0.5);
  if (t.type === 'int64') return { name: t.name, dims: t.dims, dataType: DT.INT64, int64Data: values };
  if (t.type === 'float16') return { name: t.name, dims: t.dims, dataType: DT.FLOAT16, int32Data: values.map(() => 0x3c00) };
  return { name: t.name, dims: t.dims, dataType: DT.FLOAT, floatData: values };
}

export function modelProto(spec: ModelSpec): onnxProto.onnx.ModelProto {
  const input = spec.input ?? { dims: [1, 4] };
  const dims = input.dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d }));
  return onnx.ModelProto.create({
    irVersion: 7,
    producerName: 'test',
    opsetImport: [{ domain: '', version: spec.opset ?? 13 }],
    graph: {
      name: spec.name ?? 'test',
      node: spec.nodes.map((n, k) => ({
        opType: n.op,
        name: n.name ?? `${n.op}_${k}`,
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attrs ?? {}).map(([name, v]) => attribute(name, v)),
      })),
      initializer: (spec.inits ?? []).map(initializer),
      input: [{ name: input.name ?? 'x', type: { tensorType: { elemType: input.elemType ?? DT.FLOAT, shape: { dim: dims } } } }],
      output: [{ name: spec.output, type: { tensorType: { elemType: DT.FLOAT } } }],
    },
  });
}

/** The model's bytes, as an .onnx file holds them. */
export function modelBytes(spec: ModelSpec): Uint8Array {
  return onnx.ModelProto.encode(modelProto(spec)).finish();
}

/**
 * A chain of n nodes over a [1, width] input: Relu nodes, or (alternate) Add-a-constant / Relu pairs, each node with
 * its own output name. Built directly as protobuf objects so a 100k-node chain takes well under a second.
 */
export function chainBytes(n: number, kind: 'relu' | 'alternate', width = 4): Uint8Array {
  const nodes: onnxProto.onnx.INodeProto[] = [];
  let prev = 'x';
  for (let k = 0; k < n; k++) {
    const out = `t${k}`;
    const add = kind === 'alternate' && k % 2 === 0;
    nodes.push({ opType: add ? 'Add' : 'Relu', name: `n${k}`, input: add ? [prev, 'c'] : [prev], output: [out] });
    prev = out;
  }
  const model = onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'chain',
      node: nodes,
      initializer: kind === 'alternate' ? [initializer({ name: 'c', dims: [width], values: new Array<number>(width).fill(0.25) })] : [],
      input: [{ name: 'x', type: { tensorType: { elemType: DT.FLOAT, shape: { dim: [{ dimValue: 1 }, { dimValue: width }] } } } }],
      output: [{ name: prev, type: { tensorType: { elemType: DT.FLOAT } } }],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
