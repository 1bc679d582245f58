// Pruning and knowledge extraction on the T-network (capability C8; patent FIGS. 30A-30M): passes of the pass manager
// that run on the logical network, after the lowering and before the fan-in/fan-out trees and the signal scaling, so
// every later pass builds the smaller network.
//
//   prune-weights     FIG. 30D, 3020: a connection with |w| below a threshold is removed (lossy)
//   prune-biases      a bias with |b| below a threshold is realized as 0: its resistor pair goes (lossy)
//   prune-dead        FIG. 30D, 3022: a neuron without inputs is the constant act(b): it folds into its consumers'
//                     biases; a neuron whose output nobody reads is removed (exact)
//   extract-constant  FIG. 30M, knowledge extraction: a neuron constant c on the data set (a ReLU never active is the
//                     constant 0) is removed and each consumer m gets b_m += w_mn c (exact on that set)
//   extract-linear    a ReLU (clipped ReLU) whose pre-activation is never negative (and never above the ceiling) on
//                     the data set becomes an identity neuron (exact on that set)
//   fold-identity     an identity neuron folds into its consumers (w_mj += w_mn w_nj, b_m += w_mn b_n) where no
//                     consumer then has more than N_I inputs; the neuron and its op-amp go (exact)
//
// Only summing neurons are pruned or folded into; a multiplier or delay reading a neuron keeps it (a bias cannot stand
// for a multiplier's operand or a delay's history). Network outputs are never removed. Every pass records what it
// removed: neurons (one op-amp each), connections (one resistor pair each), bias pairs, and the resistors those are.

import { usageError } from '../errors.js';
import { PRUNE_MESSAGES as PM } from '../messages/prune.js';
import type { Pass, PassContext, PassResult } from '../pass/types.js';
import { BLOCK } from '../tnet/blocks.js';
import { NeuronBuilder } from '../tnet/builder.js';
import { removeDeadNeurons } from '../tnet/compact.js';
import { applyTnetActivation, evaluateTnet } from '../tnet/evaluate.js';
import { ACT, type TNet } from '../tnet/types.js';
import { fanOutCounts } from '../tnet/verify.js';

/** The steps, in the order compilePasses runs them. */
export const PRUNE_STEPS = ['weights', 'biases', 'dead', 'extract', 'rank', 'fold'] as const;
export type PruneStep = (typeof PRUNE_STEPS)[number];

/**
 * Step 'rank' (FIGS. 30E-30H): how a neuron's use on the data set is measured.
 *   activity       the fraction of samples (and clock ticks) on which its output is nonzero
 *   mean-abs       the mean |output| (model signal units)
 *   current        the mean over samples of |output| * sum of |w| over the connections it drives: the current its output
 *                  sends through its consumers' weight resistors, in units of (signal unit) x G_f (1 / R_f of each
 *                  consumer); the realized resistors are not known yet on the T-network, so the weights stand for them
 */
export const RANK_METRICS = ['activity', 'mean-abs', 'current'] as const;
export type RankMetric = (typeof RANK_METRICS)[number];

export interface PruneOptions {
  /** The steps to run (any order given; they run in PRUNE_STEPS order). */
  readonly steps: readonly PruneStep[];
  /** Step 'weights': connections with |w| below this (a ratio, no unit) are removed. */
  readonly weightBelowAbs: number | null;
  /** Step 'biases': biases with |b| below this, in the model's signal units, become 0. */
  readonly biasBelowAbs: number | null;
  /** Step 'rank': the use measure neurons are ranked by. */
  readonly rankBy: RankMetric | null;
  /** Step 'rank': the largest |output change| allowed on the data set, in the model's signal units (the bound). */
  readonly rankMaxErrorAbs: number | null;
  /**
   * The area estimate of the pruning summary: a user-supplied figure per resistor and per op-amp (um^2, e.g. from the
   * process's cells); both or neither (absent: no estimate).
   */
  readonly resistorAreaUm2?: number | null;
  readonly opampAreaUm2?: number | null;
}

/**
 * Validates pruning options: known steps, each threshold >= 0 and finite, given exactly when its step is asked for
 * (no hidden default). Null or no steps: no pruning.
 */
export function resolvePruneOptions(o: Partial<PruneOptions> | null): PruneOptions | null {
  if (o === null || o === undefined) return null;
  if (typeof o !== 'object' || (o.steps !== undefined && !Array.isArray(o.steps))) throw usageError(PM.badPruneOptions());
  const steps = [...(o.steps ?? [])];
  for (const s of steps) if (!(PRUNE_STEPS as readonly string[]).includes(s)) throw usageError(PM.unknownStep(String(s), PRUNE_STEPS));
  const threshold = (step: PruneStep, option: 'pruneWeightBelowAbs' | 'pruneBiasBelowAbs' | 'pruneRankMaxErrorAbs', v: number | null | undefined): number | null => {
    const given = v !== null && v !== undefined;
    if (given && !(typeof v === 'number' && Number.isFinite(v) && v >= 0)) throw usageError(PM.badThreshold(option, v as number));
    if (given && !steps.includes(step)) throw usageError(PM.thresholdNeedsStep(option, step));
    if (!given && steps.includes(step)) throw usageError(PM.stepNeedsThreshold(step, option));
    return given ? (v as number) : null;
  };
  const weightBelowAbs = threshold('weights', 'pruneWeightBelowAbs', o.weightBelowAbs);
  const biasBelowAbs = threshold('biases', 'pruneBiasBelowAbs', o.biasBelowAbs);
  const rankMaxErrorAbs = threshold('rank', 'pruneRankMaxErrorAbs', o.rankMaxErrorAbs);
  const by = o.rankBy;
  if (by !== null && by !== undefined) {
    if (!(RANK_METRICS as readonly string[]).includes(by)) throw usageError(PM.unknownRankMetric(String(by), RANK_METRICS));
    if (!steps.includes('rank')) throw usageError(PM.thresholdNeedsStep('pruneRankBy', 'rank'));
  } else if (steps.includes('rank')) throw usageError(PM.stepNeedsThreshold('rank', 'pruneRankBy'));
  const area = (option: string, v: number | null | undefined): number | null => {
    if (v === null || v === undefined) return null;
    if (!(typeof v === 'number' && Number.isFinite(v) && v > 0)) throw usageError(PM.badArea(option, v as number));
    return v;
  };
  const resistorAreaUm2 = area('pruneResistorAreaUm2', o.resistorAreaUm2);
  const opampAreaUm2 = area('pruneOpampAreaUm2', o.opampAreaUm2);
  if ((resistorAreaUm2 === null) !== (opampAreaUm2 === null)) throw usageError(PM.areaNeedsBoth());
  if (resistorAreaUm2 !== null && steps.length === 0) throw usageError(PM.areaNeedsSteps());
  if (steps.length === 0) return null;
  return {
    steps: PRUNE_STEPS.filter((s) => steps.includes(s)), weightBelowAbs, biasBelowAbs, rankBy: by ?? null, rankMaxErrorAbs,
    ...(resistorAreaUm2 !== null ? { resistorAreaUm2, opampAreaUm2 } : {}),
  };
}

/** What one pruning pass removed (part of the pass record's metrics). */
export interface PruneCounts {
  readonly removedNeurons: number;
  readonly removedConnections: number;
  readonly removedBiasPairs: number;
  /** Resistors those are: two per connection pair and bias pair, R_f and R_p of every removed neuron. */
  readonly removedResistors: number;
  readonly linearizedNeurons: number;
}

function neuronCount(net: TNet): number {
  let c = 0;
  for (let i = 0; i < net.neurons.count; i++) if (net.neurons.block[i] === BLOCK.neuron) c++;
  return c;
}

function biasPairs(net: TNet): number {
  const n = net.neurons;
  let c = 0;
  for (let i = 0; i < n.count; i++) if (n.block[i] === BLOCK.neuron && n.bias[i] !== 0) c++;
  return c;
}

/** Counts what `after` lacks of `before` (neurons, their connections and bias pairs). */
export function pruneCounts(before: TNet, after: TNet, linearizedNeurons = 0): PruneCounts {
  const removedNeurons = neuronCount(before) - neuronCount(after);
  const removedConnections = before.neurons.rowPtr[before.neurons.count] - after.neurons.rowPtr[after.neurons.count];
  const removedBiasPairs = biasPairs(before) - biasPairs(after);
  return { removedNeurons, removedConnections, removedBiasPairs, removedResistors: 2 * (removedConnections + removedBiasPairs + removedNeurons), linearizedNeurons };
}

function resultOf(before: TNet, after: TNet, notes: string[], extra: Record<string, number> = {}, linearized = 0): PassResult<TNet> {
  const changed = after !== before;
  const counts = pruneCounts(before, after, linearized);
  return { value: after, changed, notes: changed ? notes : ['nothing to prune'], metrics: { ...counts, ...extra } };
}

/** Consumers of every signal as a CSR transpose: consumer edges of signal s are cedge[cptr[s]..cptr[s+1]). */
function consumers(net: TNet): { cptr: Int32Array; cedge: Int32Array; owner: Int32Array } {
  const n = net.neurons;
  const total = net.inputCount + n.count;
  const nEdges = n.rowPtr[n.count];
  const counts = fanOutCounts(net);
  const cptr = new Int32Array(total + 1);
  for (let s = 0; s < total; s++) cptr[s + 1] = cptr[s] + counts[s];
  const fill = cptr.slice(0, total);
  const cedge = new Int32Array(nEdges);
  for (let e = 0; e < nEdges; e++) cedge[fill[n.src[e]]++] = e;
  const owner = new Int32Array(nEdges);
  for (let i = 0; i < n.count; i++) owner.fill(i, n.rowPtr[i], n.rowPtr[i + 1]);
  return { cptr, cedge, owner };
}

function outputMask(net: TNet): Uint8Array {
  const m = new Uint8Array(net.inputCount + net.neurons.count);
  for (const s of net.outputSignal) m[s] = 1;
  return m;
}

interface Edit {
  /** Per neuron: 0 removes it (nothing may read it any more). */
  readonly keep: Uint8Array;
  readonly bias: Float64Array;
  readonly activation: Uint8Array;
  /** Per CSR edge: 1 drops the connection (rows not in `rows`). */
  readonly dropEdge: Uint8Array;
  /** Rows replaced whole (old signal ids -> weight), in their source order. */
  readonly rows: Map<number, Map<number, number>>;
}

function newEdit(net: TNet): Edit {
  const n = net.neurons;
  return { keep: new Uint8Array(n.count).fill(1), bias: n.bias.slice(), activation: n.activation.slice(), dropEdge: new Uint8Array(n.rowPtr[n.count]), rows: new Map() };
}

/** The network with the edit applied, neurons renumbered in their order (delays may read later signals). */
function rebuild(net: TNet, ed: Edit): TNet {
  const n = net.neurons;
  const nIn = net.inputCount;
  const map = new Int32Array(nIn + n.count).fill(-1);
  for (let s = 0; s < nIn; s++) map[s] = s;
  let next = nIn;
  for (let i = 0; i < n.count; i++) if (ed.keep[i]) map[nIn + i] = next++;
  const b = new NeuronBuilder(nIn);
  const src: number[] = [];
  const w: number[] = [];
  const remap = (s: number, i: number) => {
    const t = map[s];
    if (t < 0) throw new Error(`prune: neuron ${i} still reads removed signal ${s}`);
    return t;
  };
  for (let i = 0; i < n.count; i++) {
    if (!ed.keep[i]) continue;
    src.length = 0;
    w.length = 0;
    const row = ed.rows.get(i);
    if (row) {
      for (const [s, v] of row) {
        src.push(remap(s, i));
        w.push(v);
      }
    } else {
      for (let e = n.rowPtr[i]; e < n.rowPtr[i + 1]; e++) {
        if (ed.dropEdge[e]) continue;
        src.push(remap(n.src[e], i));
        w.push(n.weight[e]);
      }
    }
    b.add({ block: n.block[i], activation: ed.activation[i], paramA: ed.activation[i] === n.activation[i] ? n.paramA[i] : 0, paramB: ed.activation[i] === n.activation[i] ? n.paramB[i] : 0, bias: ed.bias[i], role: n.role[i], origin: n.origin[i], unit: n.unit[i] }, src, w);
  }
  const outputSignal = net.outputSignal.map((s) => remap(s, -1));
  return removeDeadNeurons({ ...net, neurons: b.finish(), outputSignal }).net;
}

/** Whether every reader of signal s is a summing neuron (a bias can stand for s in each of them). */
function onlyNeuronReaders(net: TNet, c: ReturnType<typeof consumers>, s: number): boolean {
  for (let k = c.cptr[s]; k < c.cptr[s + 1]; k++) if (net.neurons.block[c.owner[c.cedge[k]]] !== BLOCK.neuron) return false;
  return true;
}

/**
 * Removes the summing neurons `constantOf` gives a value for (their constant output c), folding w * c into each
 * consumer's bias. Neurons are visited in order with their current bias and live input count, so a consumer left
 * without inputs by an earlier fold is handled when it comes. Outputs and neurons a non-summing block reads stay.
 */
function foldConstants(net: TNet, constantOf: (i: number, liveInputs: number, bias: number) => number | null): { net: TNet; folded: number } {
  const n = net.neurons;
  const nIn = net.inputCount;
  const c = consumers(net);
  const out = outputMask(net);
  const ed = newEdit(net);
  const live = new Int32Array(n.count);
  for (let i = 0; i < n.count; i++) live[i] = n.rowPtr[i + 1] - n.rowPtr[i];
  let folded = 0;
  for (let i = 0; i < n.count; i++) {
    const s = nIn + i;
    if (n.block[i] !== BLOCK.neuron || out[s] || !onlyNeuronReaders(net, c, s)) continue;
    const value = constantOf(i, live[i], ed.bias[i]);
    if (value === null) continue;
    for (let k = c.cptr[s]; k < c.cptr[s + 1]; k++) {
      const e = c.cedge[k];
      const m = c.owner[e];
      ed.bias[m] += n.weight[e] * value;
      ed.dropEdge[e] = 1;
      live[m]--;
    }
    ed.keep[i] = 0;
    folded++;
  }
  return { net: folded > 0 ? rebuild(net, ed) : net, folded };
}

/** prune-dead: neurons without inputs fold into their consumers' biases; neurons nobody reads are removed (exact). */
export function pruneDead(net: TNet): PassResult<TNet> {
  const n = net.neurons;
  const { net: a, folded } = foldConstants(net, (i, live, bias) => (live === 0 ? applyTnetActivation(n.activation[i], n.paramA[i], n.paramB[i], bias) : null));
  const { net: b, removed } = removeDeadNeurons(a);
  const notes: string[] = [];
  if (folded > 0) notes.push(`${folded} neurons without inputs folded into their consumers' biases`);
  if (removed > 0) notes.push(`${removed} neurons whose outputs nobody reads removed`);
  return resultOf(net, b, notes);
}

/** prune-weights: connections of summing neurons with |w| < belowAbs are removed (lossy). */
export function pruneWeights(net: TNet, belowAbs: number): PassResult<TNet> {
  const n = net.neurons;
  const ed = newEdit(net);
  let dropped = 0;
  for (let i = 0; i < n.count; i++) {
    if (n.block[i] !== BLOCK.neuron) continue;
    for (let e = n.rowPtr[i]; e < n.rowPtr[i + 1]; e++) {
      if (Math.abs(n.weight[e]) < belowAbs) {
        ed.dropEdge[e] = 1;
        dropped++;
      }
    }
  }
  const after = dropped > 0 ? rebuild(net, ed) : net;
  return resultOf(net, after, [`${dropped} connections with |w| < ${belowAbs} removed`], { weightBelowAbs: belowAbs });
}

/** prune-biases: biases of summing neurons with 0 < |b| < belowAbs become 0 (lossy). */
export function pruneBiases(net: TNet, belowAbs: number): PassResult<TNet> {
  const n = net.neurons;
  const ed = newEdit(net);
  let zeroed = 0;
  for (let i = 0; i < n.count; i++) {
    if (n.block[i] === BLOCK.neuron && n.bias[i] !== 0 && Math.abs(n.bias[i]) < belowAbs) {
      ed.bias[i] = 0;
      zeroed++;
    }
  }
  const after = zeroed > 0 ? rebuild(net, ed) : net;
  return resultOf(net, after, [`${zeroed} biases with |b| < ${belowAbs} realized as 0`], { biasBelowAbs: belowAbs });
}

/** Per summing neuron, the range of its output and of its pre-activation over every sample (and clock tick). */
export interface DataRanges {
  readonly outMin: Float64Array;
  readonly outMax: Float64Array;
  readonly preMin: Float64Array;
  readonly preMax: Float64Array;
  readonly samples: number;
}

export function dataRanges(net: TNet, samples: readonly ArrayLike<number>[]): DataRanges {
  const n = net.neurons;
  const nIn = net.inputCount;
  const outMin = new Float64Array(n.count).fill(Infinity);
  const outMax = new Float64Array(n.count).fill(-Infinity);
  const preMin = new Float64Array(n.count).fill(Infinity);
  const preMax = new Float64Array(n.count).fill(-Infinity);
  const acc = new Float64Array(samples.length);
  evaluateTnet(net, samples, {
    onTick: (_t, vals, S) => {
      for (let i = 0; i < n.count; i++) {
        const base = (nIn + i) * S;
        let lo = outMin[i];
        let hi = outMax[i];
        for (let k = 0; k < S; k++) {
          const v = vals[base + k];
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        outMin[i] = lo;
        outMax[i] = hi;
        if (n.block[i] !== BLOCK.neuron || (n.activation[i] !== ACT.relu && n.activation[i] !== ACT.clippedRelu)) continue;
        // The pre-activation as the evaluator sums it (bias, then the row in order).
        acc.fill(n.bias[i]);
        for (let e = n.rowPtr[i]; e < n.rowPtr[i + 1]; e++) {
          const w = n.weight[e];
          const sb = n.src[e] * S;
          for (let k = 0; k < S; k++) acc[k] += w * vals[sb + k];
        }
        let plo = preMin[i];
        let phi = preMax[i];
        for (let k = 0; k < S; k++) {
          if (acc[k] < plo) plo = acc[k];
          if (acc[k] > phi) phi = acc[k];
        }
        preMin[i] = plo;
        preMax[i] = phi;
      }
    },
  });
  return { outMin, outMax, preMin, preMax, samples: samples.length };
}

const RANGES = 'prune.dataRanges';

function rangesOf(net: TNet, ctx: PassContext): DataRanges {
  return ctx.analyses.getOrCompute(net, RANGES, () => dataRanges(net, ctx.calibration));
}

/** extract-constant: neurons constant on the data set fold into their consumers' biases (exact on that set). */
export function extractConstant(net: TNet, ranges: DataRanges, setName: string): PassResult<TNet> {
  let never = 0;
  const n = net.neurons;
  const { net: a, folded } = foldConstants(net, (i) => {
    if (!(ranges.outMin[i] === ranges.outMax[i])) return null;
    if ((n.activation[i] === ACT.relu || n.activation[i] === ACT.clippedRelu) && ranges.outMax[i] === 0) never++;
    return ranges.outMin[i];
  });
  const { net: b } = removeDeadNeurons(a);
  return resultOf(net, b, [`${folded} neurons constant on the ${setName} set (${ranges.samples} samples) folded into their consumers' biases, ${never} of them ReLUs never active`], { constantNeurons: folded, neverActiveRelus: never, samples: ranges.samples });
}

/** extract-linear: ReLUs never negative (clipped ReLUs never outside [0, ceiling]) on the data set become identity. */
export function extractLinear(net: TNet, ranges: DataRanges, setName: string): PassResult<TNet> {
  const n = net.neurons;
  const ed = newEdit(net);
  let made = 0;
  for (let i = 0; i < n.count; i++) {
    if (n.block[i] !== BLOCK.neuron) continue;
    const act = n.activation[i];
    const linear = (act === ACT.relu && ranges.preMin[i] >= 0) || (act === ACT.clippedRelu && ranges.preMin[i] >= 0 && ranges.preMax[i] <= n.paramA[i]);
    if (!linear) continue;
    ed.activation[i] = ACT.identity;
    made++;
  }
  const after = made > 0 ? rebuild(net, ed) : net;
  return resultOf(net, after, [`${made} ReLU neurons never negative on the ${setName} set (${ranges.samples} samples) made identity`], { samples: ranges.samples }, made);
}

/**
 * fold-identity: identity neurons fold into their consumers (exact) where the constraints allow: no consumer row grows
 * beyond max(fanIn, its size) and no source's fan-out beyond max(fanOut, its fan-out), so the fan-in and fan-out trees
 * built afterwards never grow (an identity read by many consumers would otherwise multiply its sources' fan-out).
 */
export function foldIdentity(net: TNet, fanIn: number, fanOut: number): PassResult<TNet> {
  const n = net.neurons;
  const nIn = net.inputCount;
  const c = consumers(net);
  const out = outputMask(net);
  const ed = newEdit(net);
  const fo = Int32Array.from(fanOutCounts(net));
  const rowOf = (m: number): Map<number, number> => {
    let r = ed.rows.get(m);
    if (!r) {
      r = new Map();
      for (let e = n.rowPtr[m]; e < n.rowPtr[m + 1]; e++) r.set(n.src[e], n.weight[e]);
      ed.rows.set(m, r);
    }
    return r;
  };
  // Whether m still reads s, for an m that read s in the original network (the static transpose lists it).
  const stillReads = (m: number, s: number) => (ed.rows.has(m) ? ed.rows.get(m)!.has(s) : true);
  // Consumers a fold added to a signal (the static transpose holds the original ones).
  const extra = new Map<number, Set<number>>();
  const readersOf = (s: number): number[] => {
    const r = new Set<number>();
    for (let k = c.cptr[s]; k < c.cptr[s + 1]; k++) {
      const m = c.owner[c.cedge[k]];
      if (ed.keep[m] && stillReads(m, s)) r.add(m);
    }
    for (const m of extra.get(s) ?? []) if (ed.keep[m] && ed.rows.get(m)!.has(s)) r.add(m);
    return [...r].sort((x, y) => x - y);
  };
  let folded = 0;
  let refusedFanIn = 0;
  let refusedFanOut = 0;
  for (let i = 0; i < n.count; i++) {
    const s = nIn + i;
    if (n.block[i] !== BLOCK.neuron || ed.activation[i] !== ACT.identity || out[s]) continue;
    const readers = readersOf(s);
    if (readers.length === 0 || readers.some((m) => n.block[m] !== BLOCK.neuron)) continue;
    const own = rowOf(i);
    const fitsIn = readers.every((m) => {
      const r = rowOf(m);
      let size = r.size - 1;
      for (const src of own.keys()) if (!r.has(src)) size++;
      return size <= Math.max(fanIn, r.size);
    });
    if (!fitsIn) {
      refusedFanIn++;
      continue;
    }
    const fitsOut = [...own.keys()].every((src) => {
      let f = fo[src] - 1;
      for (const m of readers) if (!rowOf(m).has(src)) f++;
      return f <= Math.max(fanOut, fo[src]);
    });
    if (!fitsOut) {
      refusedFanOut++;
      continue;
    }
    for (const src of own.keys()) fo[src]--;
    for (const m of readers) {
      const r = rowOf(m);
      const w = r.get(s)!;
      r.delete(s);
      ed.bias[m] += w * ed.bias[i];
      for (const [src, v] of own) {
        const had = r.has(src);
        const sum = (r.get(src) ?? 0) + w * v;
        if (sum === 0) {
          r.delete(src);
          if (had) fo[src]--;
        } else {
          if (!had) {
            let set = extra.get(src);
            if (!set) extra.set(src, (set = new Set()));
            set.add(m);
            fo[src]++;
          }
          r.set(src, sum);
        }
      }
    }
    ed.keep[i] = 0;
    folded++;
  }
  const after = folded > 0 ? rebuild(net, ed) : net;
  return resultOf(net, after, [`${folded} identity neurons folded into their consumers (limits fan-in ${fanIn}, fan-out ${fanOut}; left: ${refusedFanIn} by fan-in, ${refusedFanOut} by fan-out)`], { fanIn, fanOut, refusedByFanIn: refusedFanIn, refusedByFanOut: refusedFanOut });
}

/** Per summing neuron, its use on the data set by each measure (0 for other blocks). */
export interface NeuronUse {
  readonly activity: Float64Array;
  readonly meanAbs: Float64Array;
  readonly current: Float64Array;
  /** Mean output over every sample and tick: what a removed neuron is replaced by in its consumers' biases. */
  readonly mean: Float64Array;
  readonly samples: number;
}

export function neuronUse(net: TNet, samples: readonly ArrayLike<number>[]): NeuronUse {
  const n = net.neurons;
  const nIn = net.inputCount;
  const nz = new Float64Array(n.count);
  const sumAbs = new Float64Array(n.count);
  const sum = new Float64Array(n.count);
  let count = 0;
  evaluateTnet(net, samples, {
    onTick: (_t, vals, S) => {
      count += S;
      for (let i = 0; i < n.count; i++) {
        const base = (nIn + i) * S;
        let z = 0;
        let a = 0;
        let m = 0;
        for (let k = 0; k < S; k++) {
          const v = vals[base + k];
          if (v !== 0) z++;
          a += Math.abs(v);
          m += v;
        }
        nz[i] += z;
        sumAbs[i] += a;
        sum[i] += m;
      }
    },
  });
  // The weight magnitude each neuron drives (over every reader, whatever its block).
  const drive = new Float64Array(nIn + n.count);
  for (let e = 0; e < n.rowPtr[n.count]; e++) drive[n.src[e]] += Math.abs(n.weight[e]);
  const d = Math.max(count, 1);
  const activity = nz.map((x) => x / d);
  const meanAbs = sumAbs.map((x) => x / d);
  const mean = sum.map((x) => x / d);
  const current = meanAbs.map((x, i) => x * drive[nIn + i]);
  return { activity, meanAbs, current, mean, samples: samples.length };
}

/**
 * prune-rank (FIGS. 30E-30H, lossy with a bound): summing neurons that are not outputs and that only summing neurons
 * read are ranked by their use on the data set (ties by index); the lowest-ranked are removed one by one, each
 * replaced by its mean output folded into its consumers' biases (b_m += w_mn * mean_n), and after each removal the
 * largest |output - output of the input network| on the set is measured; the pass stops at the first neuron whose
 * removal would exceed maxErrorAbs and keeps the network before it, so the bound always holds on that set.
 */
export function pruneRank(net: TNet, samples: readonly ArrayLike<number>[], by: RankMetric, maxErrorAbs: number, setName: string): PassResult<TNet> {
  const n = net.neurons;
  const nIn = net.inputCount;
  const use = neuronUse(net, samples);
  const score = by === 'activity' ? use.activity : by === 'mean-abs' ? use.meanAbs : use.current;
  const c = consumers(net);
  const out = outputMask(net);
  const candidates: number[] = [];
  for (let i = 0; i < n.count; i++) if (n.block[i] === BLOCK.neuron && !out[nIn + i] && onlyNeuronReaders(net, c, nIn + i)) candidates.push(i);
  candidates.sort((a, b) => score[a] - score[b] || a - b);
  const ref = evaluateTnet(net, samples).analog;
  const errorOf = (t: TNet) => {
    const y = evaluateTnet(t, samples).analog;
    let m = 0;
    ref.forEach((row, k) => row.forEach((v, j) => (m = Math.max(m, Math.abs(v - y[k][j])))));
    return m;
  };
  const chosen = new Set<number>();
  let kept = net;
  let keptError = 0;
  let stoppedAt: number | null = null;
  let stoppedError = 0;
  for (const i of candidates) {
    chosen.add(i);
    const { net: t } = foldConstants(net, (j) => (chosen.has(j) ? use.mean[j] : null));
    const err = errorOf(t);
    if (!(err <= maxErrorAbs)) {
      chosen.delete(i);
      stoppedAt = i;
      stoppedError = err;
      break;
    }
    kept = t;
    keptError = err;
  }
  const after = chosen.size > 0 ? removeDeadNeurons(kept).net : net;
  const removedList = [...chosen].sort((a, b) => a - b);
  const fmt = (x: number) => Number(x.toPrecision(4));
  const notes = [
    `${chosen.size} of ${candidates.length} candidate neurons removed, ranked by ${by} on the ${setName} set (${samples.length} samples); max |output change| ${keptError} <= bound ${maxErrorAbs}`,
    stoppedAt !== null
      ? `stopped before neuron ${stoppedAt} (${by} ${fmt(score[stoppedAt])}): removing it too gives ${stoppedError} > ${maxErrorAbs}`
      : `every candidate removed within the bound`,
  ];
  if (removedList.length > 0) notes.push(`removed (index: ${by}, mean output folded): ${removedList.map((i) => `${i}: ${fmt(score[i])}, ${fmt(use.mean[i])}`).join('; ')}`);
  const r = resultOf(net, after, notes, {
    rankMaxErrorAbs: maxErrorAbs, rankCandidates: candidates.length, rankedRemoved: chosen.size, rankError: keptError, samples: samples.length,
    ...(stoppedAt !== null ? { rankStoppedAt: stoppedAt, rankStoppedError: stoppedError } : {}),
  });
  return { ...r, notes };
}

/** Largest |after - before| over the analog outputs (model units) of two networks on the samples. */
export function maxAbsOutputChange(before: TNet, after: TNet, samples: readonly ArrayLike<number>[]): number {
  const a = evaluateTnet(before, samples).analog;
  const b = evaluateTnet(after, samples).analog;
  let m = 0;
  a.forEach((row, k) => row.forEach((v, j) => (m = Math.max(m, Math.abs(v - b[k][j])))));
  return m;
}

/** The pruning passes of the options, in PRUNE_STEPS order (T-network to T-network, before the fan-in trees). */
export function prunePasses(o: PruneOptions, limits: { readonly fanIn: number; readonly fanOut: number }, setName: string): Pass<'tnet', 'tnet'>[] {
  const passes: Pass<'tnet', 'tnet'>[] = [];
  const has = (s: PruneStep) => o.steps.includes(s);
  const pass = (name: string, exact: boolean, run: (net: TNet, ctx: PassContext) => PassResult<TNet>): Pass<'tnet', 'tnet'> => ({ name, from: 'tnet', to: 'tnet', exact, guarantees: {}, run });
  // A lossy pass measures what it changed: the largest |output after - output before| on the calibration set.
  const lossy = (name: string, run: (net: TNet, ctx: PassContext) => PassResult<TNet>) => pass(name, false, (net, ctx) => {
    const r = run(net, ctx);
    const err = r.changed ? maxAbsOutputChange(net, r.value, ctx.calibration) : 0;
    return { ...r, metrics: { ...r.metrics, maxAbsOutputError: err, errorSamples: ctx.calibration.length } };
  });
  if (has('weights')) passes.push(lossy('prune-weights', (net) => pruneWeights(net, o.weightBelowAbs!)));
  if (has('biases')) passes.push(lossy('prune-biases', (net) => pruneBiases(net, o.biasBelowAbs!)));
  if (has('dead')) passes.push(pass('prune-dead', true, (net) => pruneDead(net)));
  if (has('extract')) {
    // Exact on the data set they are measured on (the calibration set): the manager's differential check holds there.
    passes.push(pass('extract-constant', true, (net, ctx) => extractConstant(net, rangesOf(net, ctx), setName)));
    passes.push(pass('extract-linear', true, (net, ctx) => extractLinear(net, rangesOf(net, ctx), setName)));
  }
  // Lossy with a bound: the pass measures its own error on the calibration set (and stops before the bound).
  if (has('rank')) passes.push(lossy('prune-rank', (net, ctx) => pruneRank(net, ctx.calibration, o.rankBy!, o.rankMaxErrorAbs!, setName)));
  if (has('fold')) passes.push(pass('fold-identity', true, (net) => foldIdentity(net, limits.fanIn, limits.fanOut)));
  return passes;
}

/** The names of the pruning passes (for the flow's per-step records). */
export const PRUNE_PASS_NAMES = ['prune-weights', 'prune-biases', 'prune-dead', 'extract-constant', 'extract-linear', 'prune-rank', 'fold-identity'] as const;
