// Pruning of the source network (capability C8, patent FIG. 30L steps 3052/3054: prune the source with standard
// network pruning, "taking into account accuracy"), on the IR graph so the result can be written as ONNX
// (io/onnx-export.ts) and compiled like any model:
//
//   magnitude    zero the given fraction of all dense/conv weights with the smallest |w| (global ranking; ties by
//                layer order, then index): each zero weight is a connection, a resistor pair, the T-network drops
//   structured   per dense/conv layer except the output layer, zero the given fraction of its units (dense rows,
//                conv output channels) with the smallest L2 norm of their weights, with their biases: such a unit
//                computes the constant act(0) (0 for ReLU), which the lowering folds into its consumers, so it has no
//                neurons and drives no connections in the T-network. The ONNX file keeps the shapes (the rows are 0).
//
// The accuracy loop tries the levels in order on a labelled test set and keeps the last model whose accuracy is
// within the allowed drop of the source's; it stops at the first level beyond it.

import { usageError } from '../errors.js';
import type { ConvNode, DenseNode, Graph, Node } from '../ir/ops.js';
import { PRUNE_MESSAGES as PM } from '../messages/prune.js';
import { evaluate } from '../reference/evaluate.js';
import { accuracyOf } from '../simulate/realized.js';

export const SOURCE_PRUNE_METHODS = ['magnitude', 'structured'] as const;
export type SourcePruneMethod = (typeof SOURCE_PRUNE_METHODS)[number];

type Weighted = DenseNode | ConvNode;
const isWeighted = (n: Node): n is Weighted => n.kind === 'dense' || n.kind === 'conv';

export interface SourcePruneLevel {
  /** The fraction asked for (of weights or of units). */
  readonly fraction: number;
  readonly zeroedWeights: number;
  readonly zeroedUnits: number;
  /** Non-zero dense/conv weights left, of all of them. */
  readonly nonZeroWeights: number;
  readonly totalWeights: number;
  readonly accuracy: number;
  /** Source accuracy minus this level's (accuracy points, 0..1). */
  readonly drop: number;
  readonly withinDrop: boolean;
}

/** Counts of zero units: rows (dense) or output channels (conv) whose weights and bias are all zero. */
function zeroUnits(graph: Graph): number {
  let c = 0;
  for (const n of graph.nodes) {
    if (!isWeighted(n)) continue;
    const m = n.weight.shape[0];
    const per = n.weight.data.length / m;
    for (let u = 0; u < m; u++) {
      if (n.bias && n.bias[u] !== 0) continue;
      let all = true;
      for (let k = u * per; k < (u + 1) * per && all; k++) all = n.weight.data[k] === 0;
      if (all) c++;
    }
  }
  return c;
}

function weightCounts(graph: Graph): { nonZero: number; total: number } {
  let nonZero = 0;
  let total = 0;
  for (const n of graph.nodes) {
    if (!isWeighted(n)) continue;
    total += n.weight.data.length;
    for (const v of n.weight.data) if (v !== 0) nonZero++;
  }
  return { nonZero, total };
}

function withWeights(graph: Graph, weights: Map<string, { weight: Float64Array; bias: Float64Array | null }>): Graph {
  return {
    ...graph,
    nodes: graph.nodes.map((n) => {
      const w = isWeighted(n) ? weights.get(n.name) : undefined;
      return w && isWeighted(n) ? { ...n, weight: { shape: n.weight.shape, data: w.weight }, bias: w.bias } as Node : n;
    }),
  };
}

/** The graph with the `fraction` smallest-|w| dense/conv weights set to 0 (ties: layer order, then index). */
export function magnitudePrune(graph: Graph, fraction: number): Graph {
  const layers = graph.nodes.filter(isWeighted);
  const total = layers.reduce((k, n) => k + n.weight.data.length, 0);
  const k = Math.floor(fraction * total);
  const mag = new Float64Array(total);
  const layerOf = new Int32Array(total);
  let off = 0;
  layers.forEach((n, l) => {
    for (let j = 0; j < n.weight.data.length; j++) {
      mag[off + j] = Math.abs(n.weight.data[j]);
      layerOf[off + j] = l;
    }
    off += n.weight.data.length;
  });
  const order = Int32Array.from({ length: total }, (_, i) => i).sort((a, b) => mag[a] - mag[b] || a - b);
  const out = new Map(layers.map((n) => [n.name, { weight: n.weight.data.slice(), bias: n.bias }]));
  const starts: number[] = [];
  off = 0;
  for (const n of layers) {
    starts.push(off);
    off += n.weight.data.length;
  }
  for (let r = 0; r < k; r++) {
    const g = order[r];
    const l = layerOf[g];
    out.get(layers[l].name)!.weight[g - starts[l]] = 0;
  }
  return withWeights(graph, out);
}

/** The graph with, per dense/conv layer but the last, the `fraction` of its units of smallest L2 norm zeroed. */
export function structuredPrune(graph: Graph, fraction: number): Graph {
  const layers = graph.nodes.filter(isWeighted);
  const out = new Map<string, { weight: Float64Array; bias: Float64Array | null }>();
  layers.slice(0, -1).forEach((n) => {
    const m = n.weight.shape[0];
    const per = n.weight.data.length / m;
    const norm = Float64Array.from({ length: m }, (_, u) => {
      let s = 0;
      for (let j = u * per; j < (u + 1) * per; j++) s += n.weight.data[j] * n.weight.data[j];
      return s;
    });
    const order = Int32Array.from({ length: m }, (_, i) => i).sort((a, b) => norm[a] - norm[b] || a - b);
    const weight = n.weight.data.slice();
    const bias = n.bias ? n.bias.slice() : null;
    const k = Math.min(Math.floor(fraction * m), m - 1); // a layer keeps at least one unit
    for (let r = 0; r < k; r++) {
      const u = order[r];
      weight.fill(0, u * per, (u + 1) * per);
      if (bias) bias[u] = 0;
    }
    out.set(n.name, { weight, bias });
  });
  return withWeights(graph, out);
}

export interface SourcePruneOptions {
  readonly method: SourcePruneMethod;
  /** Largest allowed accuracy drop from the source's, in accuracy points (a fraction 0..1, e.g. 0.01). */
  readonly maxAccuracyDrop: number;
  /** Fractions tried in order (ascending, each in (0, 1)). */
  readonly levels: readonly number[];
  readonly classThreshold: number;
}

export interface SourcePruneResult {
  readonly method: SourcePruneMethod;
  readonly maxAccuracyDrop: number;
  readonly on: { readonly set: string; readonly samples: number };
  readonly sourceAccuracy: number;
  readonly source: { readonly nonZeroWeights: number; readonly totalWeights: number; readonly zeroUnits: number };
  readonly levels: readonly SourcePruneLevel[];
  /** Index into levels of the model kept (the last within the drop). */
  readonly kept: number;
  readonly graph: Graph;
}

/** Validates the loop's options (one-line errors naming the option). */
export function checkSourcePruneOptions(o: SourcePruneOptions, labelled: boolean): void {
  if (!(SOURCE_PRUNE_METHODS as readonly string[]).includes(o.method)) throw usageError(PM.unknownMethod(String(o.method), SOURCE_PRUNE_METHODS));
  if (!(Number.isFinite(o.maxAccuracyDrop) && o.maxAccuracyDrop >= 0 && o.maxAccuracyDrop <= 1)) throw usageError(PM.badAccuracyDrop(o.maxAccuracyDrop));
  if (!labelled) throw usageError(PM.accuracyNeedsLabels());
  if (o.levels.length === 0 || o.levels.some((f, i) => !(f > 0 && f < 1) || (i > 0 && !(f > o.levels[i - 1])))) throw usageError(PM.badLevels(o.levels.join(',')));
}

/** The accuracy loop: prune at each level until the accuracy drops by more than allowed; keep the last that met it. */
export function pruneSource(graph: Graph, test: { readonly name: string; readonly samples: readonly ArrayLike<number>[]; readonly labels: readonly number[] | null }, o: SourcePruneOptions): SourcePruneResult {
  checkSourcePruneOptions(o, test.labels !== null);
  const labels = test.labels!;
  const acc = (g: Graph) => accuracyOf(evaluate(g, test.samples).outputs, labels, o.classThreshold);
  const sourceAccuracy = acc(graph);
  const prune = o.method === 'magnitude' ? magnitudePrune : structuredPrune;
  const levels: SourcePruneLevel[] = [];
  let kept = -1;
  let keptGraph = graph;
  for (const fraction of o.levels) {
    const g = prune(graph, fraction);
    const a = acc(g);
    const w = weightCounts(g);
    const base = weightCounts(graph);
    const drop = sourceAccuracy - a;
    // 1e-12: accuracies are ratios of sample counts; a drop equal to the threshold meets it.
    const within = drop <= o.maxAccuracyDrop + 1e-12;
    levels.push({ fraction, zeroedWeights: base.nonZero - w.nonZero, zeroedUnits: zeroUnits(g) - zeroUnits(graph), nonZeroWeights: w.nonZero, totalWeights: w.total, accuracy: a, drop, withinDrop: within });
    if (!within) break;
    kept = levels.length - 1;
    keptGraph = g;
  }
  if (kept < 0) throw usageError(PM.noLevelMeetsDrop(o.method, o.levels[0], levels[0].drop, o.maxAccuracyDrop));
  const w = weightCounts(graph);
  return { method: o.method, maxAccuracyDrop: o.maxAccuracyDrop, on: { set: test.name, samples: test.samples.length }, sourceAccuracy, source: { nonZeroWeights: w.nonZero, totalWeights: w.total, zeroUnits: zeroUnits(graph) }, levels, kept, graph: keptGraph };
}
