// Pass: fold an inference BatchNormalization into the convolution or dense layer that feeds only it.
//   y = s (W x + b - mean) + beta, s = gamma / sqrt(var + eps)  ==>  W' = s W (per output channel), b' = s (b - mean) + beta
// Exact up to float64 rounding of the products. A batch norm that cannot be folded (its input has other consumers, or
// comes from another op) stays; lowering then realizes it as a per-channel scale and shift on the affine tensor.

import type { BatchNormNode, ConvNode, DenseNode, Graph, Node } from '../ir/ops.js';
import { batchNormScale } from '../ir/kernels.js';
import { inferShapes } from '../ir/shapes.js';

export interface PassResult<T> {
  readonly value: T;
  /** Whether the pass changed anything. */
  readonly changed: boolean;
  /** What it did, for --debug and reports. */
  readonly notes: string[];
}

function consumers(graph: Graph): Map<string, number> {
  const m = new Map<string, number>();
  for (const n of graph.nodes) for (const i of n.inputs) m.set(i, (m.get(i) ?? 0) + 1);
  m.set(graph.output, (m.get(graph.output) ?? 0) + 1);
  return m;
}

function fold(producer: ConvNode | DenseNode, bn: BatchNormNode): ConvNode | DenseNode {
  const channels = producer.weight.shape[0];
  const per = producer.weight.data.length / channels;
  const data = new Float64Array(producer.weight.data.length);
  const bias = new Float64Array(channels);
  const scale = batchNormScale(bn);
  for (let c = 0; c < channels; c++) {
    const s = scale[c];
    for (let k = 0; k < per; k++) data[c * per + k] = s * producer.weight.data[c * per + k];
    bias[c] = s * ((producer.bias ? producer.bias[c] : 0) - bn.mean[c]) + bn.bias[c];
  }
  return { ...producer, output: bn.output, weight: { shape: producer.weight.shape, data }, bias, sourceOp: `${producer.sourceOp}+${bn.sourceOp}` };
}

export function foldBatchNorm(graph: Graph): PassResult<Graph> {
  const uses = consumers(graph);
  const shapes = inferShapes(graph, { maxTensorElements: Number.MAX_SAFE_INTEGER });
  const byOutput = new Map<string, number>();
  graph.nodes.forEach((n, i) => byOutput.set(n.output, i));
  const replaced = new Map<number, Node>();
  const dropped = new Set<number>();
  const notes: string[] = [];
  graph.nodes.forEach((n, i) => {
    if (n.kind !== 'batchnorm') return;
    const pi = byOutput.get(n.inputs[0]);
    if (pi === undefined || uses.get(n.inputs[0]) !== 1) return;
    const p = replaced.get(pi) ?? graph.nodes[pi];
    // A dense layer's units are its last axis and batch norm normalizes axis 0: they coincide only on a vector.
    if (p.kind !== 'conv' && !(p.kind === 'dense' && shapes.get(p.output)!.length === 1)) return;
    replaced.set(pi, fold(p, n));
    dropped.add(i);
    notes.push(`folded ${n.name} into ${p.name}`);
  });
  if (dropped.size === 0) return { value: graph, changed: false, notes };
  const nodes = graph.nodes.flatMap((n, i) => (dropped.has(i) ? [] : [replaced.get(i) ?? n]));
  return { value: { ...graph, nodes }, changed: true, notes };
}
