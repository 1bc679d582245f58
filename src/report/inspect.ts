// `ohmnet inspect`: the per-layer table of a source graph (name, op, shapes, parameters, MACs) and totals.

import type { Graph } from '../ir/ops.js';
import { parameterCount } from '../ir/ops.js';
import { inferShapes, macsOf } from '../ir/shapes.js';

export interface LayerRow {
  /** Node name. */
  readonly name: string;
  /** Source op type, e.g. "Conv". */
  readonly op: string;
  /** IR op kind, e.g. "conv". */
  readonly kind: string;
  /** Per-sample shapes of the activation inputs (batch dimension removed). */
  readonly inputShapes: number[][];
  /** Per-sample output shape. */
  readonly outputShape: number[];
  /** Parameters (weights, biases, batch-norm statistics, constants) the layer carries. */
  readonly parameters: number;
  /** Multiply-accumulates per sample. */
  readonly macs: number;
}

export interface InspectReport {
  readonly model: string;
  readonly origin: string;
  readonly input: { readonly name: string; readonly shape: number[] };
  readonly output: { readonly name: string; readonly shape: number[] };
  readonly layers: LayerRow[];
  readonly totals: { readonly layers: number; readonly parameters: number; readonly macs: number };
}

export function inspectGraph(graph: Graph): InspectReport {
  const shapes = inferShapes(graph, { maxTensorElements: Number.MAX_SAFE_INTEGER });
  const layers = graph.nodes.map((node): LayerRow => {
    const inputShapes = node.inputs.map((n) => shapes.get(n)!);
    const outputShape = shapes.get(node.output)!;
    return {
      name: node.name,
      op: node.sourceOp,
      kind: node.kind,
      inputShapes,
      outputShape,
      parameters: parameterCount(node),
      macs: macsOf(node, inputShapes[0], outputShape),
    };
  });
  return {
    model: graph.name,
    origin: graph.origin,
    input: { name: graph.input.name, shape: [...graph.input.shape] },
    output: { name: graph.output, shape: shapes.get(graph.output)! },
    layers,
    totals: {
      layers: layers.length,
      parameters: layers.reduce((s, l) => s + l.parameters, 0),
      macs: layers.reduce((s, l) => s + l.macs, 0),
    },
  };
}
