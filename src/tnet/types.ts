// The T-network IR: the analog network ohmnet builds, as flat typed arrays (compressed sparse rows), not objects.
//
// Signals are numbered in one space: 0 .. inputCount-1 are the network inputs (voltages applied from outside),
// inputCount + i is the output of neuron i. Neurons are stored in topological order: every source of neuron i is an
// input or a neuron with a smaller index, so one forward sweep evaluates the network.
//
// A neuron is a weighted summator followed by an activation (patent "basic function blocks", FIGS. 13-15):
//   v = sum_j w_j * signal(src_j) + bias,     out = act(v)
// with act one of identity, relu, clippedRelu (min(max(v,0), ceiling)), sigmoid A/(1+exp(-B v)), tanh A*tanh(B v),
// eluNeg A*(exp(min(B v, 0)) - 1) (the negative branch of an ELU: Elu and Selu are a ReLU plus it), softplus
// A*log(1+exp(B v)), softsign A*(B v)/(1+|B v|): the smooth blocks, each A f(B v), realized after the summator as a
// behavioural block.
// Every neuron output is also bounded by the supply rails (+-signal limit) in simulation, as an op-amp is.
//
// Every row is a block: `block` selects how the row is read (tnet/blocks.ts is the one table of block kinds and their
// rules). "Neuron" below means any block; a summing neuron is the block kind `neuron`.
//
// Time: a network may have a clock (`clock`). A clocked network is evaluated once per tick, with inputCount inputs
// per tick, and a sample is the sequence of its ticks' inputs, flattened tick-major (tick 0's inputs, then tick 1's);
// the analog outputs are read at the ticks `clock.readTicks` lists and concatenated in that order.

/** Activation functions, stored as small integer codes in `activation`. */
export const ACTIVATIONS = ['identity', 'relu', 'clippedRelu', 'sigmoid', 'tanh', 'eluNeg', 'softplus', 'softsign'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];
export const ACT = { identity: 0, relu: 1, clippedRelu: 2, sigmoid: 3, tanh: 4, eluNeg: 5, softplus: 6, softsign: 7 } as const;

/** Whether an activation code is a smooth block A f(B v) after the summator (sigmoid, tanh, eluNeg, softplus, softsign). */
export function isSmoothAct(code: number): boolean {
  return code === ACT.sigmoid || code === ACT.tanh || code === ACT.eluNeg || code === ACT.softplus || code === ACT.softsign;
}

/** Why a neuron exists, stored as codes in `role`. */
export const ROLES = ['compute', 'linear', 'partialSum', 'buffer', 'pool', 'shared'] as const;
export type RoleName = (typeof ROLES)[number];
export const ROLE = { compute: 0, linear: 1, partialSum: 2, buffer: 3, pool: 4, shared: 5 } as const;
/*
 * compute:    realizes a unit of a source layer (conv/dense output with its activation, an activation layer's unit)
 * linear:     an identity summator that materializes a linear combination (a residual sum, a graph output, ...)
 * partialSum: a fan-in tree (pyramid) node: identity sum of a subset of another neuron's inputs
 * buffer:     a fan-out tree node: identity copy of one signal, so no neuron drives more than N_O others
 * pool:       a max-pooling comparator relu(a - b)
 * shared:     a shared first-stage sum of the approximate construction (Layer2TNNX_Approx)
 */

export interface NeuronArrays {
  readonly count: number;
  /** BLOCK code per row (tnet/blocks.ts). */
  readonly block: Uint8Array;
  /** ACT code per neuron. */
  readonly activation: Uint8Array;
  /** smooth blocks (sigmoid, tanh, eluNeg, softplus, softsign): amplitude A; clippedRelu: the ceiling; otherwise unused (0). */
  readonly paramA: Float64Array;
  /** smooth blocks: slope B; otherwise unused (0). */
  readonly paramB: Float64Array;
  readonly bias: Float64Array;
  /** CSR row pointers (count + 1) into src/weight. */
  readonly rowPtr: Int32Array;
  /** Source signal ids. */
  readonly src: Int32Array;
  readonly weight: Float64Array;
  /** ROLE code per neuron. */
  readonly role: Uint8Array;
  /** Index into TNet.origins of the source-graph node this neuron helps realize (-1 for none). */
  readonly origin: Int32Array;
  /** Flat index of the unit (output element) of that node, or -1. */
  readonly unit: Int32Array;
}

/** Which source-graph node a group of neurons realizes. */
export interface Origin {
  readonly name: string;
  /** Source op type, e.g. "Conv", or "Conv+Relu" when an activation was fused into it. */
  readonly op: string;
  /** Set on an activation whose neurons are attributed to the conv/dense feeding it: that node's origin index. */
  readonly fusedInto?: number;
  /**
   * The parts of a node whose blocks are not its output elements (a recurrent cell's gates, cell state, state delays):
   * a block's `unit` is part * units + element, and it is labelled "<part> unit <element>".
   */
  readonly parts?: { readonly names: readonly string[]; readonly units: number };
}

/** A final Softmax computed digitally on the analog outputs (patent: MobileNet's softmax is applied separately). */
export interface DigitalTail {
  readonly kind: 'softmax';
  /** Axes of the output tensor the softmax normalizes over. */
  readonly axes: readonly number[];
}

/** The time axis of a clocked network (recurrent models): one evaluation per tick. */
export interface Clock {
  /** Clock ticks per sample (the sequence length). */
  readonly ticks: number;
  /** Ticks at which the analog outputs are read, ascending; the sample's outputs are their concatenation. */
  readonly readTicks: readonly number[];
}

export interface TNet {
  /** Per-sample shape of the source input; its size is inputCount (x clock.ticks for a clocked network). */
  readonly inputShape: readonly number[];
  /** Physical inputs (per tick for a clocked network). */
  readonly inputCount: number;
  /** Physical input voltage = inputGain * source input value (signal-limit scaling of the inputs). */
  readonly inputGain: number;
  readonly neurons: NeuronArrays;
  /** Analog output k = outputScale[k] * signal(outputSignal[k]) (readout gain from signal-limit scaling). */
  readonly outputSignal: Int32Array;
  readonly outputScale: Float64Array;
  /** Per-sample shape of the analog outputs (the source output, or the Softmax input when there is a tail). */
  readonly outputShape: readonly number[];
  readonly tail: DigitalTail | null;
  readonly origins: readonly Origin[];
  /** Supply rails: every neuron output is clipped to +-railV in simulation (null before the signal-limit pass). */
  readonly railV: number | null;
  /** The time axis, or null for a network evaluated once per sample (every feed-forward model). */
  readonly clock: Clock | null;
}

/** Values per sample at the network's input: inputCount, times the ticks of a clocked network. */
export function sampleLength(net: TNet): number {
  return net.inputCount * (net.clock?.ticks ?? 1);
}

/** Values per sample at the analog outputs: one per output signal and read tick. */
export function analogLength(net: TNet): number {
  return net.outputSignal.length * (net.clock?.readTicks.length ?? 1);
}

export function neuronSignal(net: TNet, neuron: number): number {
  return net.inputCount + neuron;
}

export function connectionCount(net: TNet): number {
  return net.neurons.rowPtr[net.neurons.count];
}

export function signalLabel(net: TNet, signal: number): string {
  if (signal < net.inputCount) return `input ${signal}`;
  return neuronLabel(net, signal - net.inputCount);
}

/** What block i realizes: " of <op> '<layer>'" and its unit (a recurrent cell's gate or state, then the unit), or "". */
export function originLabel(net: TNet, i: number): string {
  const n = net.neurons;
  const o = n.origin[i] >= 0 ? net.origins[n.origin[i]] : null;
  if (!o) return '';
  const u = n.unit[i];
  if (u < 0) return ` of ${o.op} '${o.name}'`;
  const part = o.parts && o.parts.units > 0 ? o.parts.names[Math.floor(u / o.parts.units)] : undefined;
  return ` of ${o.op} '${o.name}'${part !== undefined ? ` ${part} unit ${u % o.parts!.units}` : ` unit ${u}`}`;
}

/** A human name for a neuron in messages: index, role and what it realizes. */
export function neuronLabel(net: TNet, i: number): string {
  return `neuron ${i} (${ROLES[net.neurons.role[i]]}${originLabel(net, i)})`;
}
