// verifyTnet: checks every structural invariant of a T-network and throws naming the block and the rule it breaks.
// The pass manager runs it after every pass. Rules that depend on the block kind (whether a block may read a later
// signal, read one signal twice, carry a zero weight, how many sources it needs, whether it has an activation) come
// from the block table (blocks.ts). Signal-range invariants need data and are checked by the signal-limit pass on
// the calibration samples.

import { blockKind, BLOCKS } from './blocks.js';
import { liveSignals } from './compact.js';
import { usageError } from '../errors.js';
import { TNET_MESSAGES as TM } from '../messages/index.js';
import { ACTIVATIONS, ACT, ROLES, isSmoothAct, neuronLabel, type NeuronArrays, type TNet } from './types.js';

export class TnetInvariantError extends Error {
  constructor(readonly rule: string, message: string) {
    super(`T-network invariant '${rule}' broken: ${message}`);
    this.name = 'TnetInvariantError';
  }
}

export interface VerifyOptions {
  /** Maximum inputs per neuron (N_I), if the network is meant to honour it. */
  readonly fanIn?: number;
  /** Maximum neurons a signal may drive (N_O), if the network is meant to honour it. */
  readonly fanOut?: number;
}

/** Number of neuron inputs each signal drives (output taps are not counted: they feed the readout, not a neuron). */
export function fanOutCounts(net: TNet): Int32Array {
  const counts = new Int32Array(net.inputCount + net.neurons.count);
  const { src } = net.neurons;
  for (let e = 0; e < net.neurons.rowPtr[net.neurons.count]; e++) counts[src[e]]++;
  return counts;
}

export function verifyTnet(net: TNet, options: VerifyOptions = {}): void {
  if (typeof net !== 'object' || net === null || typeof net.neurons !== 'object' || net.neurons === null) throw usageError(TM.notATnet(`got ${net === null ? 'null' : typeof net}`));
  const n = net.neurons;
  const N = n.count;
  const fail = (rule: string, msg: string): never => {
    throw new TnetInvariantError(rule, msg);
  };
  const arrays = { block: n.block, activation: n.activation, paramA: n.paramA, paramB: n.paramB, bias: n.bias, role: n.role, origin: n.origin, unit: n.unit };
  for (const [name, arr] of Object.entries({ ...arrays, rowPtr: n.rowPtr, src: n.src, weight: n.weight })) {
    if (!ArrayBuffer.isView(arr)) throw usageError(TM.notATnet(`neurons.${name} is not a typed array`));
  }
  if (!ArrayBuffer.isView(net.outputSignal) || !ArrayBuffer.isView(net.outputScale) || !Array.isArray(net.origins)) throw usageError(TM.notATnet('its outputs or origins are missing'));
  for (const [name, arr] of Object.entries(arrays)) if (arr.length !== N) fail('array-lengths', `${name} has ${arr.length} entries for ${N} neurons`);
  if (n.rowPtr.length !== N + 1 || n.rowPtr[0] !== 0) fail('csr', 'rowPtr must have count + 1 entries starting at 0');
  if (n.src.length !== n.rowPtr[N] || n.weight.length !== n.rowPtr[N]) fail('csr', 'src/weight length differs from rowPtr[count]');
  if (!(net.inputGain > 0) || !Number.isFinite(net.inputGain)) fail('input-gain', `input gain ${net.inputGain} must be positive and finite`);
  if (net.railV !== null && !(net.railV > 0)) fail('rails', `rail voltage ${net.railV} must be positive`);
  if (net.inputCount < 1) fail('inputs', 'the network has no inputs');
  if (net.clock !== null) {
    const { ticks, readTicks } = net.clock;
    if (!Number.isSafeInteger(ticks) || ticks < 1) fail('clock', `the clock has ${ticks} ticks; it needs a positive whole number`);
    if (readTicks.length === 0) fail('clock', 'the clock reads the outputs at no tick');
    readTicks.forEach((t, k) => {
      if (!Number.isInteger(t) || t < 0 || t >= ticks || (k > 0 && t <= readTicks[k - 1])) fail('clock', `read tick ${t} is not an ascending tick of 0..${ticks - 1}`);
    });
  }

  const seen = new Int32Array(net.inputCount + N).fill(-1);
  for (let i = 0; i < N; i++) {
    const label = () => neuronLabel(net, i);
    const kind = blockKind(n.block[i]);
    if (kind === null) return fail('block', `${label()} has unknown block code ${n.block[i]} (known: ${BLOCKS.join(', ')})`);
    if (kind.stateful && net.clock === null) fail('clock', `${label()} is a ${kind.name}, which holds state between clock ticks, but the network has no clock`);
    const a = n.activation[i];
    if (a >= ACTIVATIONS.length) fail('activation', `${label()} has unknown activation code ${a}`);
    if (!kind.hasActivation && a !== ACT.identity) fail('activation', `${label()} is a ${kind.name}, which has no activation, but carries ${ACTIVATIONS[a]}`);
    if (n.role[i] >= ROLES.length) fail('role', `${label()} has unknown role code ${n.role[i]}`);
    if (n.origin[i] < -1 || n.origin[i] >= net.origins.length) fail('origin', `${label()} refers to origin ${n.origin[i]}`);
    if (!Number.isFinite(n.bias[i])) fail('finite', `${label()} has bias ${n.bias[i]}`);
    if (kind.hasActivation && a === ACT.clippedRelu && !(n.paramA[i] > 0 && Number.isFinite(n.paramA[i]))) fail('activation-params', `${label()} has clipped-ReLU ceiling ${n.paramA[i]}`);
    // A fixed block (presets/blocks.ts) may have a negative A or B (the patent's A = -0.1 sigmoid); never zero.
    if (kind.hasActivation && isSmoothAct(a) && !(n.paramA[i] !== 0 && n.paramB[i] !== 0 && Number.isFinite(n.paramA[i]) && Number.isFinite(n.paramB[i]))) {
      fail('activation-params', `${label()} has A=${n.paramA[i]}, B=${n.paramB[i]}; both must be finite and non-zero`);
    }
    const from = n.rowPtr[i];
    const to = n.rowPtr[i + 1];
    if (to < from) fail('csr', `${label()} has a negative row length`);
    if (kind.name === 'multiplier') {
      if (!(Number.isFinite(n.paramA[i]) && n.paramA[i] !== 0)) fail('multiplier', `${label()} has coefficient ${n.paramA[i]}; it needs a finite non-zero one`);
      if (n.bias[i] !== 0) fail('multiplier', `${label()} has bias ${n.bias[i]}; a multiplier has none`);
      for (let e = from; e < to; e++) if (n.weight[e] !== 1) fail('multiplier', `${label()} has input weight ${n.weight[e]}; a multiplier's inputs have weight 1 (its coefficient is paramA)`);
    }
    if (kind.name === 'delay') {
      if (!(Number.isSafeInteger(n.paramA[i]) && n.paramA[i] >= 1)) fail('delay', `${label()} delays by ${n.paramA[i]} ticks; it needs a whole number >= 1`);
      if (!(Number.isSafeInteger(n.paramB[i]) && n.paramB[i] >= 0)) fail('delay', `${label()} starts at tick ${n.paramB[i]}; it needs a whole number >= 0`);
    }
    if (options.fanIn !== undefined && to - from > options.fanIn) fail('fan-in', `${label()} has ${to - from} inputs, more than N_I = ${options.fanIn}`);
    if (to - from < kind.arity[0] || to - from > kind.arity[1]) fail('arity', `${label()} is a ${kind.name} with ${to - from} sources; it needs ${kind.arity[0]}${kind.arity[1] === Infinity ? ' or more' : kind.arity[1] === kind.arity[0] ? '' : ` to ${kind.arity[1]}`}`);
    const self = net.inputCount + i;
    const limit = kind.readsLaterSignals ? net.inputCount + N : self;
    for (let e = from; e < to; e++) {
      const s = n.src[e];
      if (!Number.isInteger(s) || s < 0 || s >= limit) fail('topological-order', `${label()} reads signal ${s}, which is not an input or an earlier neuron`);
      if (seen[s] === i && !kind.allowsDuplicateSources) fail('duplicate-source', `${label()} reads signal ${s} twice`);
      seen[s] = i;
      const w = n.weight[e];
      if (!Number.isFinite(w)) fail('finite', `${label()} has weight ${w} from signal ${s}`);
      if (w === 0 && !kind.allowsZeroWeight) fail('zero-weight', `${label()} has a zero weight from signal ${s} (a zero weight is an absent connection)`);
    }
  }

  if (net.outputSignal.length !== net.outputScale.length) fail('outputs', 'outputSignal and outputScale differ in length');
  for (let k = 0; k < net.outputSignal.length; k++) {
    const s = net.outputSignal[k];
    if (!Number.isInteger(s) || s < 0 || s >= net.inputCount + N) fail('outputs', `output ${k} reads signal ${s}, which does not exist`);
    const sc = net.outputScale[k];
    if (!Number.isFinite(sc) || sc === 0) fail('outputs', `output ${k} has readout scale ${sc}`);
  }

  if (options.fanOut !== undefined) {
    const counts = fanOutCounts(net);
    for (let s = 0; s < counts.length; s++) {
      if (counts[s] > options.fanOut) {
        const who = s < net.inputCount ? `input ${s}` : neuronLabel(net, s - net.inputCount);
        fail('fan-out', `${who} drives ${counts[s]} neurons, more than N_O = ${options.fanOut}`);
      }
    }
  }

  // Every neuron must contribute to some output: a dangling neuron is wasted silicon and usually a pass bug.
  const live = liveSignals(net);
  for (let i = N - 1; i >= 0; i--) if (!live[net.inputCount + i]) fail('dangling', `${neuronLabel(net, i)} feeds no output`);
}

const shaped = new WeakSet<object>();

/**
 * The guard of the entry points that take a T-network (evaluateTnet, realize, writeTnetJson, the circuit builder): the
 * arrays exist with consistent lengths and every signal id is in range, so no bad argument becomes a TypeError or an
 * out-of-range read. Cheaper than verifyTnet (which also checks the invariants a pass must keep) and checked once
 * per network object.
 */
export function checkTnetShape(net: unknown): asserts net is TNet {
  if (typeof net === 'object' && net !== null && shaped.has(net)) return;
  const bad = (what: string): never => {
    throw usageError(TM.notATnet(what));
  };
  if (typeof net !== 'object' || net === null) return bad(`got ${net === null ? 'null' : typeof net}`);
  const t = net as Partial<TNet>;
  const n = t.neurons as Partial<NeuronArrays> | undefined;
  if (typeof n !== 'object' || n === null) return bad('it has no neurons');
  const N = n.count;
  if (typeof N !== 'number' || !Number.isSafeInteger(N) || N < 0) return bad('neurons.count is not a count');
  if (typeof t.inputCount !== 'number' || !Number.isSafeInteger(t.inputCount) || t.inputCount < 1) return bad('inputCount is not a positive count');
  const typed = (name: keyof NeuronArrays, ctor: Function, len: number) => {
    const a = n[name] as unknown;
    if (!(a instanceof ctor) || (a as ArrayLike<number>).length !== len) bad(`neurons.${String(name)} is not a ${ctor.name} of ${len} entries`);
  };
  typed('rowPtr', Int32Array, N + 1);
  const E = n.rowPtr![N];
  if (n.rowPtr![0] !== 0 || !(E >= 0)) return bad('neurons.rowPtr does not start at 0');
  for (let i = 0; i < N; i++) if (n.rowPtr![i + 1] < n.rowPtr![i]) bad(`neurons.rowPtr decreases at row ${i}`);
  for (const k of ['block', 'activation', 'role'] as const) typed(k, Uint8Array, N);
  for (const k of ['paramA', 'paramB', 'bias'] as const) typed(k, Float64Array, N);
  for (const k of ['origin', 'unit'] as const) typed(k, Int32Array, N);
  typed('src', Int32Array, E);
  typed('weight', Float64Array, E);
  const signals = t.inputCount + N;
  for (let e = 0; e < E; e++) if (!(n.src![e] >= 0 && n.src![e] < signals)) bad(`connection ${e} reads signal ${n.src![e]}, which does not exist`);
  if (!(t.outputSignal instanceof Int32Array) || !(t.outputScale instanceof Float64Array) || t.outputSignal.length !== t.outputScale.length) bad('outputSignal and outputScale are not arrays of one length');
  for (const s of t.outputSignal!) if (!(s >= 0 && s < signals)) bad(`an output reads signal ${s}, which does not exist`);
  if (!Array.isArray(t.origins) || !Array.isArray(t.inputShape) || !Array.isArray(t.outputShape)) bad('origins, inputShape or outputShape is not an array');
  if (!(typeof t.inputGain === 'number')) bad('inputGain is not a number');
  shaped.add(net);
}
