// summary.json: what was compiled, under which constraints, what came out, and the proof of equivalence.
// Field meanings are documented in docs/formats.md#summaryjson.

import type { Graph } from '../ir/ops.js';
import { evaluate, softmax } from '../reference/evaluate.js';
import { evaluateTnet } from '../tnet/evaluate.js';
import { signalDepths } from '../tnet/compact.js';
import { tnetStats, type TnetStats } from '../tnet/stats.js';
import { ROLES, type RoleName, type TNet } from '../tnet/types.js';
import { fanOutCounts } from '../tnet/verify.js';
import type { Compiled, PassRecord } from '../transform/pipeline.js';
import type { RealizationSummary } from '../realize/stage.js';
import type { SpiceVerification } from '../spice/verify.js';
import { inspectGraph } from './inspect.js';

export interface LayerSummary {
  /** Source node name (after batch-norm folding; a folded node is named after the conv/dense). */
  readonly name: string;
  /** Source op type(s), e.g. "Conv+BatchNormalization". */
  readonly op: string;
  /**
   * How the layer was built: direct, pyramid (fan-in trees), fan-out tree, trapezium (both), approx(p), composed (a
   * linear op with no neurons of its own: its weights live in its consumers), fused into <layer> (an activation
   * realized by the conv/dense neurons feeding it), digital tail (a final Softmax).
   */
  readonly construction: string;
  readonly neurons: Record<RoleName, number> & { total: number };
  /** Connections into this layer's neurons. */
  readonly connections: number;
  readonly maxFanIn: number;
  readonly maxFanOut: number;
  /** Min and max neuron output over the calibration samples (volts), or null if the layer has no neurons. */
  readonly signalRangeV: [number, number] | null;
  /** First and last neuron layer (depth) the layer's neurons occupy, or null. */
  readonly depth: [number, number] | null;
}

export interface Equivalence {
  /** Which samples: the calibration set (the rescaling is proven on it). */
  readonly on: 'calibration';
  readonly samples: number;
  /** max and mean |T-network - source| over samples and analog outputs (source units). */
  readonly maxAbsError: number;
  readonly meanAbsError: number;
  /** The same after the digital tail (equal to the above when there is none). */
  readonly maxAbsErrorFinal: number;
  /** Output samples where a neuron was driven beyond a rail (0 on the calibration data by construction). */
  readonly railHits: number;
}

export interface Summary {
  readonly tool: { readonly name: 'ohmnet'; readonly version: string };
  readonly model: { readonly name: string; readonly origin: string; readonly file: string | null };
  readonly source: { readonly layers: number; readonly parameters: number; readonly macs: number };
  readonly constraints: { readonly fanIn: number; readonly fanOut: number; readonly signalLimit: number };
  readonly calibration: { readonly samples: number; readonly from: 'file' | 'uniform'; readonly inputRange: [number, number] | null; readonly seed: number | null };
  readonly construction: { readonly approx: { readonly levels: number; readonly method: string; readonly relativeMatrixError: number } | null };
  /** The network before fan-in/fan-out limits: the lowering of the source alone. */
  readonly beforeLimits: { readonly layers: number; readonly neurons: number; readonly connections: number };
  readonly tnet: Omit<TnetStats, never> & { readonly maxAbsSignal: number; readonly inputGain: number; readonly outputScales: { readonly min: number; readonly max: number } };
  readonly digitalTail: { readonly kind: string; readonly axes: number[] } | null;
  readonly equivalence: Equivalence;
  readonly layers: LayerSummary[];
  readonly passes: readonly PassRecord[];
}

export const VERSION = '0.1.0';

/** SPICE figures as summary.json keeps them: without the wall time, so the same compile gives the same file. */
export type SpiceFigures = Omit<SpiceVerification, 'seconds'>;

/** summary.json as `compile` writes it: the T-network summary, the realization, and SPICE agreement (with --verify). */
export interface FullSummary extends Summary {
  readonly realization: RealizationSummary;
  readonly spice: SpiceFigures | null;
}

export function addRealization(s: Summary, realization: RealizationSummary, spice: SpiceVerification | null): FullSummary {
  let figures: SpiceFigures | null = null;
  if (spice) {
    const { seconds: _seconds, ...rest } = spice;
    figures = rest;
  }
  return { ...s, realization, spice: figures };
}

function constructionOf(op: string, roles: Record<RoleName, number>, total: number, approxLevels: number | null, fusedInto: string | null): string {
  if (fusedInto !== null) return `fused into ${fusedInto}`;
  if (total === 0) return op === 'Softmax' ? 'digital tail' : 'composed';
  if (roles.shared > 0) return `approx(${approxLevels})`;
  if (roles.partialSum > 0 && roles.buffer > 0) return 'trapezium';
  if (roles.partialSum > 0) return 'pyramid';
  if (roles.buffer > 0) return 'fan-out tree';
  return 'direct';
}

export function layerTable(graph: Graph, net: TNet, min: Float64Array, max: Float64Array, approxLevels: number | null): LayerSummary[] {
  const n = net.neurons;
  const depth = signalDepths(net);
  const fo = fanOutCounts(net);
  const rows = graph.nodes.map(() => ({
    roles: Object.fromEntries(ROLES.map((r) => [r, 0])) as Record<RoleName, number>,
    connections: 0, maxFanIn: 0, maxFanOut: 0, lo: Infinity, hi: -Infinity, d0: Infinity, d1: -Infinity, total: 0,
  }));
  for (let i = 0; i < n.count; i++) {
    const o = n.origin[i];
    if (o < 0) continue;
    const r = rows[o];
    const s = net.inputCount + i;
    r.total++;
    r.roles[ROLES[n.role[i]]]++;
    const k = n.rowPtr[i + 1] - n.rowPtr[i];
    r.connections += k;
    r.maxFanIn = Math.max(r.maxFanIn, k);
    r.maxFanOut = Math.max(r.maxFanOut, fo[s]);
    r.lo = Math.min(r.lo, min[s]);
    r.hi = Math.max(r.hi, max[s]);
    r.d0 = Math.min(r.d0, depth[s]);
    r.d1 = Math.max(r.d1, depth[s]);
  }
  return graph.nodes.map((node, o) => {
    const r = rows[o];
    const origin = net.origins[o];
    const fused = origin.fusedInto !== undefined ? net.origins[origin.fusedInto].name : null;
    return {
      name: node.name,
      op: origin.op,
      construction: constructionOf(node.sourceOp, r.roles, r.total, approxLevels, fused),
      neurons: { ...r.roles, total: r.total },
      connections: r.connections,
      maxFanIn: r.maxFanIn,
      maxFanOut: r.maxFanOut,
      signalRangeV: r.total > 0 ? [r.lo, r.hi] : null,
      depth: r.total > 0 ? [r.d0, r.d1] : null,
    };
  });
}

/** Builds the summary of a compilation, measuring equivalence against the source graph on the calibration data. */
export function summarize(source: Graph, compiled: Compiled, file: string | null): Summary {
  const { tnet, options } = compiled;
  const samples = options.calibration;
  const ref = evaluate(source, samples, { tensor: compiled.analogOutput }).outputs;
  // The source's final Softmax is the same function the tail applies: no second evaluation of the source.
  const tail = tnet.tail;
  const refFinal = tail ? ref.map((y) => softmax(y, tnet.outputShape, tail.axes)) : ref;
  const ev = evaluateTnet(tnet, samples, { collectStats: true });
  let maxErr = 0;
  let sumErr = 0;
  let count = 0;
  let maxFinal = 0;
  ev.analog.forEach((y, k) => {
    for (let j = 0; j < y.length; j++) {
      const d = Math.abs(y[j] - ref[k][j]);
      maxErr = Math.max(maxErr, d);
      sumErr += d;
      count++;
    }
    ev.outputs[k].forEach((v, j) => (maxFinal = Math.max(maxFinal, Math.abs(v - refFinal[k][j]))));
  });
  const st = ev.stats!;
  let maxSignal = 0;
  for (let s = 0; s < st.min.length; s++) maxSignal = Math.max(maxSignal, Math.abs(st.min[s]), Math.abs(st.max[s]));
  const stats = tnetStats(tnet);
  const logical = tnetStats(compiled.logical);
  const src = inspectGraph(source).totals;
  let scaleMin = Infinity;
  let scaleMax = 0;
  for (const sc of tnet.outputScale) {
    scaleMin = Math.min(scaleMin, Math.abs(sc));
    scaleMax = Math.max(scaleMax, Math.abs(sc));
  }
  return {
    tool: { name: 'ohmnet', version: VERSION },
    model: { name: source.name, origin: source.origin, file },
    source: { layers: src.layers, parameters: src.parameters, macs: src.macs },
    constraints: { fanIn: options.fanIn, fanOut: options.fanOut, signalLimit: options.signalLimitV },
    calibration: {
      samples: samples.length,
      from: options.calibrationSource === 'given' ? 'file' : 'uniform',
      inputRange: options.calibrationSource === 'uniform' ? [options.inputRange[0], options.inputRange[1]] : null,
      seed: options.calibrationSource === 'uniform' ? options.seed : null,
    },
    construction: { approx: options.approx ? { levels: options.approx.levels, method: options.approx.method, relativeMatrixError: compiled.approxMatrixError ?? 0 } : null },
    beforeLimits: { layers: logical.layers, neurons: logical.neurons, connections: logical.connections },
    tnet: { ...stats, maxAbsSignal: Math.min(maxSignal, options.signalLimitV), inputGain: tnet.inputGain, outputScales: { min: scaleMin, max: scaleMax } },
    digitalTail: tnet.tail ? { kind: tnet.tail.kind, axes: [...tnet.tail.axes] } : null,
    equivalence: { on: 'calibration', samples: samples.length, maxAbsError: maxErr, meanAbsError: count > 0 ? sumErr / count : 0, maxAbsErrorFinal: maxFinal, railHits: st.railHits },
    layers: layerTable(compiled.graph, tnet, st.min, st.max, options.approx?.levels ?? null),
    passes: compiled.passes,
  };
}
