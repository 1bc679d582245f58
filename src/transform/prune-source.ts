// Pruning of the source network (capability C8, patent FIG. 30L steps 3052/3054: prune the source with standard
// network pruning, "taking into account accuracy"), on the IR graph so the result can be written as ONNX
// (io/onnx-export.ts) and compiled like any model:
//
//   magnitude    zero the given fraction of all dense/conv weights with the smallest |w| (global ranking; ties by
//                layer order, then index): each zero weight is a connection, a resistor pair, the T-network drops
//   structured   per dense/conv layer except the output layer, zero the given fraction of its units (dense rows,
//                conv output channels) with the smallest L2 norm of their weights, with their biases: such a unit
//                computes the constant act(0) (0 for ReLU), which the lowering folds into its consumers, so it has no
//                neurons and drives no connections in the T-network. A zero dense unit that feeds (through
//                activations) one dense layer is removed from the file, with that layer's column for it; a zero conv
//                channel whose output reaches one conv or flatten+dense through a simple chain is removed with the
//                consumer's input channel or columns (removeZeroConvChannels); the others stay as zero rows.
//
// The accuracy loop tries the levels in order on a labelled test set and keeps the last model whose accuracy is
// within the allowed drop of the source's; it stops at the first level beyond it.

import { usageError } from '../errors.js';
import { applyActivation } from '../ir/kernels.js';
import type { ActivationNode, BatchNormNode, ConvNode, DenseNode, Graph, Node } from '../ir/ops.js';
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
  /** Units zeroed or removed (removed: a dense unit feeding one dense layer; removeZeroDenseUnits). */
  readonly zeroedUnits: number;
  readonly removedUnits: number;
  /** Non-zero dense/conv weights left, of all the written model holds (removed units' weights are not in it). */
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

/** Units of all dense/conv layers (rows, output channels). */
function unitCount(graph: Graph): number {
  return graph.nodes.reduce((k, n) => k + (isWeighted(n) ? n.weight.shape[0] : 0), 0);
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

/**
 * Removes the zero units (rows with zero weights and bias) of every dense layer that feeds, through activations only
 * (each read by nothing else), exactly one dense layer: the unit's row goes from the first, its column from the
 * second, whose bias takes w * f(0) for the constant f(0) the activations make of the unit (0 for ReLU). Exact.
 */
export function removeZeroDenseUnits(graph: Graph): Graph {
  const readers = new Map<string, Node[]>();
  for (const n of graph.nodes) for (const i of n.inputs) readers.set(i, [...(readers.get(i) ?? []), n]);
  const replaced = new Map<string, Node>();
  for (const a of graph.nodes) {
    if (a.kind !== 'dense' || a.output === graph.output) continue;
    // Follow the chain of activations to the one dense consumer.
    const chain: ActivationNode[] = [];
    let t = a.output;
    let next = readers.get(t) ?? [];
    while (next.length === 1 && next[0].kind === 'activation' && next[0].output !== graph.output) {
      chain.push(next[0]);
      t = next[0].output;
      next = readers.get(t) ?? [];
    }
    if (next.length !== 1 || next[0].kind !== 'dense' || next[0].inputs.length !== 1 || replaced.has(next[0].name)) continue;
    const b = next[0];
    const A = (replaced.get(a.name) as DenseNode | undefined) ?? a;
    const [out, inA] = A.weight.shape;
    const keep: number[] = [];
    for (let u = 0; u < out; u++) {
      let zero = !A.bias || A.bias[u] === 0;
      for (let k = 0; k < inA && zero; k++) zero = A.weight.data[u * inA + k] === 0;
      if (!zero) keep.push(u);
    }
    if (keep.length === out || keep.length === 0) continue;
    const c = chain.reduce((v, n) => applyActivation(n.fn, v), 0);
    const [outB, inB] = b.weight.shape;
    const wA = new Float64Array(keep.length * inA);
    keep.forEach((u, r) => wA.set(A.weight.data.subarray(u * inA, (u + 1) * inA), r * inA));
    const wB = new Float64Array(outB * keep.length);
    const biasB = b.bias ? b.bias.slice() : new Float64Array(outB);
    const kept = new Set(keep);
    for (let o = 0; o < outB; o++) {
      keep.forEach((u, r) => (wB[o * keep.length + r] = b.weight.data[o * inB + u]));
      for (let u = 0; u < inB; u++) if (!kept.has(u)) biasB[o] += b.weight.data[o * inB + u] * c;
    }
    replaced.set(a.name, { ...A, weight: { shape: [keep.length, inA], data: wA }, bias: A.bias ? Float64Array.from(keep, (u) => A.bias![u]) : null });
    replaced.set(b.name, { ...b, weight: { shape: [outB, keep.length], data: wB }, bias: b.bias || c !== 0 ? biasB : null });
  }
  return replaced.size === 0 ? graph : { ...graph, nodes: graph.nodes.map((n) => replaced.get(n.name) ?? n) };
}

/**
 * Removes the zero output channels (zero weights and bias) of every conv layer (group 1) whose output reaches exactly
 * one consumer through a simple chain, each node read by nothing else: activations, max pools, average pools, batch
 * norms and constant pads that pad no channel. A zero channel is then the same constant c on every position at the
 * end of the chain (c follows f(0), the batch norm's affine map; a pad of another value or an average pool counting
 * padded positions with c != 0 break it, and the channel stays). The consumer is either a conv (group 1, one input),
 * where c must be 0 (its zero padding would otherwise not match c at the borders), or a flatten (a reshape to one
 * axis, channel-major: columns u*HW..(u+1)*HW-1 are channel u's) read by one dense layer, whose bias takes
 * sum of w * c over the removed columns. The channel goes from the conv (weights, bias), from every batch norm of the
 * chain, and from the consumer's input channels or columns. Exact. Anything else keeps its zero channels.
 */
export function removeZeroConvChannels(graph: Graph): Graph {
  const readers = new Map<string, Node[]>();
  for (const n of graph.nodes) for (const i of n.inputs) readers.set(i, [...(readers.get(i) ?? []), n]);
  const replaced = new Map<string, Node>();
  for (const a0 of graph.nodes) {
    if (a0.kind !== 'conv' || a0.group !== 1 || a0.output === graph.output) continue;
    // A conv whose input channels an earlier removal cut is taken in its new form.
    const a = (replaced.get(a0.name) as ConvNode | undefined) ?? a0;
    const M = a.weight.shape[0];
    const per = a.weight.data.length / M;
    const zero: number[] = [];
    for (let u = 0; u < M; u++) {
      let z = !a.bias || a.bias[u] === 0;
      for (let k = u * per; k < (u + 1) * per && z; k++) z = a.weight.data[k] === 0;
      if (z) zero.push(u);
    }
    if (zero.length === 0 || zero.length === M) continue;
    // Follow the chain, tracking each zero channel's constant.
    const c = new Map(zero.map((u) => [u, 0]));
    const bns: BatchNormNode[] = [];
    let t = a.output;
    let next = readers.get(t) ?? [];
    let ok = true;
    while (ok && next.length === 1 && next[0].output !== graph.output && ['activation', 'maxpool', 'avgpool', 'pad', 'batchnorm'].includes(next[0].kind)) {
      const n = next[0];
      if (n.kind === 'activation') for (const u of zero) c.set(u, applyActivation(n.fn, c.get(u)!));
      else if (n.kind === 'batchnorm') {
        if (replaced.has(n.name)) ok = false;
        bns.push(n);
        for (const u of zero) c.set(u, (n.scale[u] * (c.get(u)! - n.mean[u])) / Math.sqrt(n.variance[u] + n.epsilon) + n.bias[u]);
      } else if (n.kind === 'pad') {
        const r = n.pads.length / 2;
        if (n.pads[0] !== 0 || n.pads[r] !== 0 || zero.some((u) => c.get(u) !== n.value)) ok = false;
      } else if (n.kind === 'avgpool') {
        if (n.countIncludePad && n.pads.some((p) => p !== 0) && zero.some((u) => c.get(u) !== 0)) ok = false;
      }
      t = n.output;
      next = readers.get(t) ?? [];
    }
    if (!ok || next.length !== 1) continue;
    const b = next[0];
    const keep = Array.from({ length: M }, (_, u) => u).filter((u) => !c.has(u));
    const dropRows = (data: Float64Array, rowLen: number) => {
      const out = new Float64Array(keep.length * rowLen);
      keep.forEach((u, r) => out.set(data.subarray(u * rowLen, (u + 1) * rowLen), r * rowLen));
      return out;
    };
    let newB: Node;
    if (b.kind === 'conv' && b.group === 1 && b.inputs.length === 1 && !replaced.has(b.name)) {
      if (zero.some((u) => c.get(u) !== 0)) continue;
      const [O, C, ...kernel] = b.weight.shape;
      if (C !== M) continue;
      const K = b.weight.data.length / (O * C);
      const w = new Float64Array(O * keep.length * K);
      for (let o = 0; o < O; o++) keep.forEach((u, r) => w.set(b.weight.data.subarray((o * C + u) * K, (o * C + u + 1) * K), (o * keep.length + r) * K));
      newB = { ...b, weight: { shape: [O, keep.length, ...kernel], data: w } };
    } else if (b.kind === 'reshape' && b.shape.length === 1) {
      const d = readers.get(b.output) ?? [];
      if (d.length !== 1 || d[0].kind !== 'dense' || d[0].inputs.length !== 1 || b.output === graph.output || replaced.has(d[0].name)) continue;
      const dense = d[0];
      const [O, I] = dense.weight.shape;
      if (I % M !== 0) continue;
      const HW = I / M;
      const cols = keep.flatMap((u) => Array.from({ length: HW }, (_, k) => u * HW + k));
      const w = new Float64Array(O * cols.length);
      const bias = dense.bias ? dense.bias.slice() : new Float64Array(O);
      let biasUsed = dense.bias !== null;
      for (let o = 0; o < O; o++) {
        cols.forEach((col, j) => (w[o * cols.length + j] = dense.weight.data[o * I + col]));
        for (const u of zero) {
          const cu = c.get(u)!;
          if (cu === 0) continue;
          for (let k = 0; k < HW; k++) bias[o] += dense.weight.data[o * I + u * HW + k] * cu;
          biasUsed = true;
        }
      }
      replaced.set(b.name, { ...b, shape: [cols.length] });
      newB = { ...dense, weight: { shape: [O, cols.length], data: w }, bias: biasUsed ? bias : null };
    } else continue;
    replaced.set(newB.name, newB);
    replaced.set(a.name, { ...a, weight: { shape: [keep.length, ...a.weight.shape.slice(1)], data: dropRows(a.weight.data, per) }, bias: a.bias ? Float64Array.from(keep, (u) => a.bias![u]) : null });
    for (const n of bns) {
      const pick = (x: Float64Array) => Float64Array.from(keep, (u) => x[u]);
      replaced.set(n.name, { ...n, scale: pick(n.scale), bias: pick(n.bias), mean: pick(n.mean), variance: pick(n.variance) });
    }
  }
  return replaced.size === 0 ? graph : { ...graph, nodes: graph.nodes.map((n) => replaced.get(n.name) ?? n) };
}

/**
 * The graph with, per dense/conv layer but the last, the `fraction` of its units of smallest L2 norm zeroed; the zero
 * units of dense layers that feed one dense layer are then removed (removeZeroDenseUnits), the others stay zero.
 */
export function structuredPrune(graph: Graph, fraction: number): Graph {
  return removeZeroConvChannels(removeZeroDenseUnits(zeroUnitsPrune(graph, fraction)));
}

/** Per dense/conv layer but the last, the `fraction` of its units of smallest L2 norm zeroed (with their biases). */
export function zeroUnitsPrune(graph: Graph, fraction: number): Graph {
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
    levels.push({ fraction, zeroedWeights: base.nonZero - w.nonZero, zeroedUnits: unitCount(graph) - unitCount(g) + zeroUnits(g) - zeroUnits(graph), removedUnits: unitCount(graph) - unitCount(g), nonZeroWeights: w.nonZero, totalWeights: w.total, accuracy: a, drop, withinDrop: within });
    if (!within) break;
    kept = levels.length - 1;
    keptGraph = g;
  }
  if (kept < 0) throw usageError(PM.noLevelMeetsDrop(o.method, o.levels[0], levels[0].drop, o.maxAccuracyDrop));
  const w = weightCounts(graph);
  return { method: o.method, maxAccuracyDrop: o.maxAccuracyDrop, on: { set: test.name, samples: test.samples.length }, sourceAccuracy, source: { nonZeroWeights: w.nonZero, totalWeights: w.total, zeroUnits: zeroUnits(graph) }, levels, kept, graph: keptGraph };
}
