// Partitioned SPICE verification (issue 18): the realized network is cut into partitions of consecutive neurons (the
// T-network is in topological order, so every source of a partition's neuron is an earlier partition's neuron, a
// network input, or a neuron of the partition itself), cut where a layer ends when one ends near the size asked for.
// Each partition is a circuit of its own (the same cells and resistors, emitted by the same emitter) whose inputs are
// ideal voltage sources carrying the voltages SPICE solved for the neurons of earlier partitions that drive it; its
// probes are its neurons read by later partitions or by the network's outputs. Solving the partitions in order and
// composing the voltages gives the whole netlist's solution:
//  - with ideal op-amps an output is the controlled source's terminal (zero output impedance): what it drives does not
//    change its voltage, so a cut changes nothing but the solver's rounding;
//  - with the macro op-amp the output resistance sees the load of the cut-away consumers inside the feedback loop,
//    which divides it by the loop gain (closed-loop output impedance Rout / (1 + A0 beta), micro-ohms against the
//    >= 1 kOhm a fan-out of 100 resistors of 100 kOhm presents): a relative error of about 1e-9, well inside the
//    SPICE tolerance (1e-4 of the rails). The composition test measures both (test/spice/partition.test.ts).
// Samples run in fixed chunks (results do not depend on how many engines run them: a DC sweep starts each sample's
// Newton iteration from the previous sample's solution, so the chunks, not the workers, fix the arithmetic).
// Clocked networks are not partitioned (their verification is one transient run per chunk of samples).

import { usageError } from '../errors.js';
import { requireRealized, type Realized } from '../realize/realize.js';
import type { NeuronArrays, TNet } from '../tnet/types.js';
import { emitNetlist, type NetlistOptions } from './emit.js';
import { createEngine, type SpiceEngine } from './engines/index.js';
import { compareSolution, type SpiceComparison, type SpiceVerification, type SpiceVerifyOptions } from './verify.js';

/** A partition: neurons from..to-1, the signals it reads from outside, and its neurons read outside it. */
export interface Partition {
  readonly from: number;
  readonly to: number;
  /** Global signal ids of its inputs (network inputs or earlier neurons' outputs), ascending: VIN0, VIN1, ... */
  readonly inputs: Int32Array;
  /** Its neurons (global indices) read by a later neuron or by a network output, ascending: out0, out1, ... */
  readonly exports: Int32Array;
}

/**
 * Cuts the network into partitions of at most `maxNeurons` neurons (a single layer larger than that is cut inside),
 * preferring cuts where one source layer ends. A partition without external inputs (neurons fed only by biases) is
 * merged into the one before it.
 */
export function partitionNetwork(net: TNet, maxNeurons: number): Partition[] {
  if (net.clock) throw usageError('partitioned SPICE verification is for feed-forward networks: a clocked (recurrent) network is verified as one transient run; omit the partition size');
  if (!Number.isSafeInteger(maxNeurons) || maxNeurons < 1) throw usageError((n) => `${n('spicePartitionNeurons')} must be a positive integer, got ${String(maxNeurons)}`);
  const n = net.neurons;
  const N = n.count;
  const cuts: number[] = [0];
  let start = 0;
  while (start < N) {
    const limit = Math.min(N, start + maxNeurons);
    let cut = limit;
    if (limit < N) {
      // The last layer boundary (origin change) in (start, limit], if any.
      for (let i = limit; i > start; i--) {
        if (n.origin[i] !== n.origin[i - 1]) {
          cut = i;
          break;
        }
      }
    }
    cuts.push(cut);
    start = cut;
  }
  // Readers: the last neuron reading each neuron's output, and which neurons the network outputs read.
  const lastReader = new Int32Array(N).fill(-1);
  for (let i = 0; i < N; i++) {
    for (let e = n.rowPtr[i]; e < n.rowPtr[i + 1]; e++) {
      const s = n.src[e] - net.inputCount;
      if (s >= 0 && i > lastReader[s]) lastReader[s] = i;
    }
  }
  const isOutput = new Uint8Array(N);
  for (const s of net.outputSignal) if (s >= net.inputCount) isOutput[s - net.inputCount] = 1;
  const parts: Partition[] = [];
  for (let k = 0; k + 1 < cuts.length; k++) {
    let from = cuts[k];
    const to = cuts[k + 1];
    const ext = externalInputs(net, from, to);
    if (ext.length === 0 && parts.length > 0) {
      from = parts.pop()!.from;
    }
    const exports: number[] = [];
    for (let j = from; j < to; j++) if (isOutput[j] || lastReader[j] >= to) exports.push(j);
    parts.push({ from, to, inputs: Int32Array.from(externalInputs(net, from, to)), exports: Int32Array.from(exports) });
  }
  return parts;
}

function externalInputs(net: TNet, from: number, to: number): number[] {
  const n = net.neurons;
  const firstInternal = net.inputCount + from;
  const seen = new Set<number>();
  for (let e = n.rowPtr[from]; e < n.rowPtr[to]; e++) if (n.src[e] < firstInternal) seen.add(n.src[e]);
  return [...seen].sort((a, b) => a - b);
}

/**
 * The partition as a realized network of its own: inputs are the partition's external signals (input gain 1: they
 * are voltages already), outputs its exported neurons (scale 1), every resistor as in the whole network.
 */
export function partitionRealized(r: Realized, p: Partition): Realized {
  requireRealized(r);
  const net = r.tnet;
  const n = net.neurons;
  const { from, to } = p;
  const e0 = n.rowPtr[from];
  const e1 = n.rowPtr[to];
  const nIn = p.inputs.length;
  const inputIndex = new Map<number, number>();
  p.inputs.forEach((s, k) => inputIndex.set(s, k));
  const firstInternal = net.inputCount + from;
  const src = new Int32Array(e1 - e0);
  for (let e = e0; e < e1; e++) {
    const s = n.src[e];
    src[e - e0] = s >= firstInternal ? nIn + (s - firstInternal) : inputIndex.get(s)!;
  }
  const rowPtr = new Int32Array(to - from + 1);
  for (let i = from; i <= to; i++) rowPtr[i - from] = n.rowPtr[i] - e0;
  const rows = <T extends { subarray(a: number, b: number): T; slice(a: number, b: number): T }>(a: T): T => a.slice(from, to);
  const neurons: NeuronArrays = {
    count: to - from,
    block: rows(n.block), activation: rows(n.activation), paramA: rows(n.paramA), paramB: rows(n.paramB), bias: rows(n.bias),
    rowPtr, src, weight: n.weight.slice(e0, e1), role: rows(n.role), origin: rows(n.origin), unit: rows(n.unit),
  };
  const tnet: TNet = {
    inputShape: [nIn], inputCount: nIn, inputGain: 1, neurons,
    outputSignal: Int32Array.from(p.exports, (j) => nIn + (j - from)),
    outputScale: new Float64Array(p.exports.length).fill(1),
    outputShape: [p.exports.length], tail: null, origins: net.origins, railV: net.railV, clock: null,
  };
  return {
    tnet, options: r.options,
    rFeedbackOhm: rows(r.rFeedbackOhm), gain: rows(r.gain), rGainAOhm: rows(r.rGainAOhm), rGainBOhm: rows(r.rGainBOhm),
    rBiasPlusOhm: rows(r.rBiasPlusOhm), rBiasMinusOhm: rows(r.rBiasMinusOhm), rNormPlusOhm: rows(r.rNormPlusOhm),
    rNormMinusOhm: rows(r.rNormMinusOhm), normPlusCount: rows(r.normPlusCount), normMinusCount: rows(r.normMinusCount),
    rNormPlus2Ohm: rows(r.rNormPlus2Ohm), rNormMinus2Ohm: rows(r.rNormMinus2Ohm),
    rPlusOhm: r.rPlusOhm.slice(e0, e1), rMinusOhm: r.rMinusOhm.slice(e0, e1), weight: r.weight.slice(e0, e1), bias: rows(r.bias),
  };
}

/** Probes read per engine call: `print v(out0) ...` stays well under ngspice's ~10,000-character command line. */
export const PROBES_PER_CALL = 400;

export interface PartitionedOptions {
  /** Largest partition, in neurons. */
  readonly maxNeurons: number;
  /** Samples per engine call (fixed: the results do not depend on `workers`). Default 10. */
  readonly chunkSamples?: number;
  /** Engines running chunks at once (default 2, the cores of the standard machine). */
  readonly workers?: number;
  /** The netlist's options (op-amp model, title), as for the whole netlist. */
  readonly netlist: NetlistOptions;
  /** Called once before the first partition is solved, with the number of partitions (a progress bar's total). */
  readonly onStart?: (total: number) => void;
  /** Called after each partition with (partitions done, partitions in all). */
  readonly onPartition?: (done: number, total: number) => void;
}

export interface PartitionedSolution {
  /** Per sample, every neuron's SPICE output voltage that some partition exported (NaN for the others). */
  readonly neuronV: Float64Array[];
  /** Per sample, v(out<k>) of the whole network composed from the partitions. */
  readonly voltages: Float64Array[];
  readonly engine: string;
  readonly seconds: number;
  readonly partitions: number;
  /** The largest partition's neurons and external inputs (the cut's width). */
  readonly largestNeurons: number;
  readonly largestInputs: number;
}

/** Solves the network partition by partition for the samples (model inputs, source units). */
export async function solvePartitioned(r: Realized, samples: readonly ArrayLike<number>[], engineKind: SpiceVerifyOptions['engine'], o: PartitionedOptions, timeoutMs?: number): Promise<PartitionedSolution> {
  requireRealized(r);
  const net = r.tnet;
  const parts = partitionNetwork(net, o.maxNeurons);
  o.onStart?.(parts.length);
  const chunk = o.chunkSamples ?? 10;
  const workers = Math.max(1, o.workers ?? 2);
  if (!Number.isSafeInteger(chunk) || chunk < 1) throw usageError('chunkSamples must be a positive integer');
  const S = samples.length;
  const N = net.neurons.count;
  const neuronV = Array.from({ length: S }, () => new Float64Array(N).fill(NaN));
  const physical = samples.map((x) => Array.from(x, (v) => net.inputGain * v));
  const signalV = (s: number, sig: number): number => (sig < net.inputCount ? physical[s][sig] : neuronV[s][sig - net.inputCount]);
  const engines: SpiceEngine[] = [];
  let seconds = 0;
  let engineName = '';
  try {
    for (let w = 0; w < Math.min(workers, Math.ceil(S / chunk)); w++) engines.push(await createEngine(engineKind));
    for (let pi = 0; pi < parts.length; pi++) {
      const p = parts[pi];
      if (p.exports.length === 0) {
        o.onPartition?.(pi + 1, parts.length);
        continue;
      }
      const netlist = emitNetlist(partitionRealized(r, p), o.netlist);
      // ngspice drops a command line over ~10,000 characters, so a `print` of thousands of probes would print nothing:
      // a wide partition's probes are read in groups (each group one engine call over the same chunk).
      const groups: number[] = [];
      for (let q = 0; q < p.exports.length; q += PROBES_PER_CALL) groups.push(q);
      const jobs: [number, number][] = [];
      for (let from = 0; from < S; from += chunk) for (const q of groups) jobs.push([from, q]);
      let next = 0;
      await Promise.all(engines.map(async (engine) => {
        while (next < jobs.length) {
          const [from, q0] = jobs[next++];
          const idx = Array.from({ length: Math.min(chunk, S - from) }, (_, k) => from + k);
          const inputs = idx.map((s) => Array.from(p.inputs, (sig) => signalV(s, sig)));
          const q1 = Math.min(p.exports.length, q0 + PROBES_PER_CALL);
          const probes = Array.from({ length: q1 - q0 }, (_, k) => `out${q0 + k}`);
          const res = await engine.operatingPoints({ netlist, inputs, probes, ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
          seconds += res.seconds;
          engineName = res.engine;
          idx.forEach((s, k) => {
            for (let q = q0; q < q1; q++) neuronV[s][p.exports[q]] = res.voltages[k][q - q0];
          });
        }
      }));
      o.onPartition?.(pi + 1, parts.length);
    }
  } finally {
    for (const e of engines) await e.dispose?.();
  }
  const voltages = physical.map((_, s) => Float64Array.from(net.outputSignal, (sig) => signalV(s, sig)));
  let largestNeurons = 0;
  let largestInputs = 0;
  for (const p of parts) {
    largestNeurons = Math.max(largestNeurons, p.to - p.from);
    largestInputs = Math.max(largestInputs, p.inputs.length);
  }
  return { neuronV, voltages, engine: engineName || engineKind, seconds, partitions: parts.length, largestNeurons, largestInputs };
}

/** crossValidate with the netlist solved partition by partition (the comparison is the same). */
export async function crossValidatePartitioned(r: Realized, o: SpiceVerifyOptions, c: Omit<SpiceComparison, 'netlist'>, p: PartitionedOptions): Promise<SpiceVerification> {
  const sol = await solvePartitioned(r, o.samples, o.engine, p, o.timeoutMs);
  const v = compareSolution(r, o, { ...c, netlist: '' }, { voltages: sol.voltages, engine: sol.engine, seconds: sol.seconds });
  return { ...v, partitions: { count: sol.partitions, maxNeurons: p.maxNeurons, largestNeurons: sol.largestNeurons, largestInputs: sol.largestInputs } };
}
