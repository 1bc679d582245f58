// The time axis in the lowering of a recurrent model (patent "Conv1D is a convolution performed over time
// coordinate", FIGS. 20-23). The network runs once per clock tick; a source tensor that has a time axis (a stream) is
// held as ONE time step of it: its elements without the time axis, as an affine tensor over the signals of the
// current tick. A tensor without a time axis (the last hidden state, a Gather of the last step) is valid at one tick.
//
// A linear op on a stream (dense, conv over time, batch norm, element-wise ops, transposes, reshapes, slices, pads,
// concatenations) is lowered by one routine: its full sparse map over the whole sequence (the same map the
// feed-forward lowering uses) must be time-invariant: output step t reads input step t - delta with a coefficient that
// depends on delta and the elements only, never on t. Then one time step of it is a map over "taps", each an input
// element delayed by d ticks (d from delta and the streams' start ticks); a tap with d > 0 reads a chain of delays on
// that element's signal, shared by every consumer (a convolution's delay line serves all its filters), each delay as
// long as the taps' common step (1 tick, or a dilation's d ticks).
// Causal streaming: the output stream starts at the tick its first step has every input it needs, so a kernel of k
// taps over time starts k - 1 - pad ticks after its input (the shift against the reference is only in ticks: every
// step is computed exactly). Taps before the input stream starts read the delays' initial value 0, which is the
// zero padding; a step that would need input after the stream ends (right padding over time) is refused.

import { usageError } from '../errors.js';
import { M } from '../messages/index.js';
import type { Node } from '../ir/ops.js';
import { concatIndex, gatherIndex, padIndex, sliceIndex, transposeIndex } from '../ir/kernels.js';
import { sizeOf, type Shape } from '../ir/tensor.js';
import { BLOCK } from '../tnet/blocks.js';
import { ACT, ROLE } from '../tnet/types.js';
import { buildMap, termsOf, type Affine, type LoweringContext, type SparseMap } from './affine.js';

/** A tensor with a time axis: element t along `axis` is computed at tick `start + t`. */
export interface Stream {
  readonly axis: number;
  readonly length: number;
  readonly start: number;
}

/**
 * How a lowered source tensor lives in time: a stream (its affine tensor is one step), a value valid at one tick
 * (`at`), or a value valid at every tick (a feed-forward model's tensors; constants).
 */
export type Timing = { readonly kind: 'stream'; readonly stream: Stream } | { readonly kind: 'at'; readonly tick: number } | { readonly kind: 'always' };

export const ALWAYS: Timing = { kind: 'always' };

/** The shape of one step of a stream: the full shape without its time axis. */
export function stepShape(shape: Shape, axis: number): number[] {
  return shape.filter((_, a) => a !== axis);
}

/** The index maps of wiring ops as sparse maps with coefficient 1 (a padded element is the bias `value`). */
function gatherMap(idx: Int32Array, fill: number): SparseMap {
  const bias = new Float64Array(idx.length);
  let any = false;
  for (let i = 0; i < idx.length; i++) if (idx[i] < 0) {
    bias[i] = fill;
    any = any || fill !== 0;
  }
  return buildMap(idx.length, (o) => (idx[o] >= 0 ? 1 : 0), (o, put) => idx[o] >= 0 && put(idx[o], 1), any ? bias : null);
}

/** A wiring op's full map, for the time-invariance extraction; null for ops that are not index maps. */
export function wiringMap(node: Node, inShapes: readonly Shape[]): SparseMap | null {
  const inShape = inShapes[0];
  switch (node.kind) {
    case 'reshape':
      return gatherMap(Int32Array.from({ length: sizeOf(inShape) }, (_, i) => i), 0);
    case 'transpose':
      return gatherMap(transposeIndex(inShape, node.perm), 0);
    case 'concat':
      return gatherMap(concatIndex(inShapes, node.axis), 0);
    case 'pad':
      return gatherMap(padIndex(inShape, node.pads), node.value);
    case 'slice':
      return gatherMap(sliceIndex(inShape, node.starts, node.ends, node.steps), 0);
    case 'gather':
      return gatherMap(gatherIndex(inShape, node.axis, node.indices), 0);
    default:
      return null;
  }
}

/** The axis of `outShape` that continues axis `axis` of `inShape` through a row-major reshape, or -1. */
function reshapedAxis(inShape: Shape, axis: number, outShape: Shape): number {
  const before = sizeOf(inShape.slice(0, axis));
  let p = 1;
  for (let a = 0; a < outShape.length; a++) {
    if (p === before && outShape[a] === inShape[axis] && (inShape[axis] !== 1 || a === outShape.length - 1 || sizeOf(outShape.slice(a + 1)) === sizeOf(inShape.slice(axis + 1)))) return a;
    p *= outShape[a];
  }
  return -1;
}

/**
 * The output time axis of a linear or wiring op applied to a stream along `axis`, or a refusal naming why the op
 * mixes time steps in a way a causal stream cannot compute.
 */
export function outputTimeAxis(node: Node, inShape: Shape, axis: number, outShape: Shape): number {
  const refuse = (why: string): never => {
    throw usageError(M.streamOp(node.name, node.sourceOp, why));
  };
  switch (node.kind) {
    case 'dense':
      if (axis === inShape.length - 1) refuse('it sums over the time axis (a dense layer over the whole sequence needs every step at once)');
      return axis;
    case 'conv':
    case 'avgpool':
      if (axis === 0) refuse('its channel axis is the time axis');
      if (node.strides[axis - 1] !== 1) refuse(`it strides by ${node.strides[axis - 1]} over time; only stride 1 streams`);
      return axis;
    case 'maxpool':
      return refuse('max pooling over a sequence is not lowered yet');
    case 'reducemean':
      if (node.axes.includes(axis)) refuse('it averages over the time axis (it needs every step at once)');
      return node.keepDims ? axis : axis - node.axes.filter((a) => a < axis).length;
    case 'batchnorm':
    case 'constBinary':
    case 'binary':
    case 'activation':
      return axis;
    case 'transpose':
      return node.perm.indexOf(axis);
    case 'reshape': {
      const a = reshapedAxis(inShape, axis, outShape);
      if (a < 0) refuse(`it reshapes ${JSON.stringify(inShape)} to ${JSON.stringify(outShape)}, which merges the time axis (${axis}) with another`);
      return a;
    }
    case 'concat':
      if (node.axis === axis) refuse('it concatenates along the time axis');
      return axis;
    case 'pad':
      if (node.pads[axis] !== 0 || node.pads[axis + inShape.length] !== 0) refuse('it pads the time axis');
      return axis;
    case 'slice': {
      const counts = inShape.map((_, a) => (node.steps[a] > 0 ? Math.ceil((node.ends[a] - node.starts[a]) / node.steps[a]) : Math.ceil((node.starts[a] - node.ends[a]) / -node.steps[a])));
      // One step kept: a value at one tick (a Gather or Slice of the last step, as PyTorch exports it).
      if (counts[axis] === 1) return -1;
      if (node.steps[axis] !== 1) refuse(`it takes every ${node.steps[axis]}th step; only consecutive steps stream`);
      const a = reshapedAxis(counts, axis, outShape);
      if (a < 0) refuse('it reshapes the time axis');
      return a;
    }
    case 'gather':
      if (node.axis === axis) refuse('it selects time steps out of order');
      return axis;
    case 'softmax':
    case 'recurrent':
      return refuse('this op is not lowered on a stream');
  }
}

/** One time step's lowering of a stream op: its value and the stream it forms (or the tick of a single step). */
export interface StreamResult {
  readonly value: Affine;
  readonly timing: Timing;
}

/**
 * A delayed copy of a signal by `d` ticks, or the signal itself: element k of a chain of `step`-tick delays (shared
 * per signal and step), so a dilated convolution's taps every `step` ticks take one delay each (multi-rate delays on
 * one clock).
 */
export function delayed(ctx: LoweringContext, signal: number, d: number, validFrom: number, origin: number, step = 1): number {
  if (d === 0) return signal;
  if (d % step !== 0) throw new Error(`a delay of ${d} ticks is not a multiple of the chain's ${step}`);
  const key = `${signal}@${validFrom}/${step}`;
  let chain = ctx.delayChains.get(key);
  if (!chain) {
    chain = [signal];
    ctx.delayChains.set(key, chain);
  }
  while (chain.length <= d / step) {
    const prev = chain[chain.length - 1];
    chain.push(ctx.builder.add({ block: BLOCK.delay, activation: ACT.identity, paramA: step, paramB: validFrom, bias: 0, role: ROLE.linear, origin, unit: chain.length - 1 }, [prev], [1]));
  }
  return chain[d / step];
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * Lowers a linear or wiring op on streams: `map` is its full map over the concatenated operands (each [T_p, ...] with
 * the time axis at `streams[p].axis`), `outShape` its full output shape. Returns one step of the output (a stream
 * along `outAxis`), or the value at one tick when the op keeps a single step (a Gather/Slice of one time step).
 */
export function lowerOnStreams(ctx: LoweringContext, node: Node, map: SparseMap, operands: readonly { value: Affine; stream: Stream; shape: Shape }[],
  outShape: Shape, outAxis: number, ticks: number, origin: number): StreamResult {
  const refuse = (why: string): never => {
    throw usageError(M.streamOp(node.name, node.sourceOp, why));
  };
  // Decode a flat element of the concatenated operands into (operand, step, element of the step).
  const offsets: number[] = [];
  let total = 0;
  for (const p of operands) {
    offsets.push(total);
    total += sizeOf(p.shape);
  }
  const decode = (shape: Shape, axis: number, flat: number): [number, number] => {
    const inner = sizeOf(shape.slice(axis + 1));
    const t = Math.floor(flat / inner) % shape[axis];
    const outer = Math.floor(flat / (inner * shape[axis]));
    return [t, outer * inner + (flat % inner)];
  };
  const operandOf = (k: number): number => {
    let p = operands.length - 1;
    while (offsets[p] > k) p--;
    return p;
  };
  const single = outAxis < 0;
  const To = single ? 1 : outShape[outAxis];
  const stepOut = single ? sizeOf(outShape) : sizeOf(outShape) / To;
  // Pattern of each output element of a step: (operand, element, delta = t_out - t_in) -> coefficient.
  const pattern = Array.from({ length: stepOut }, () => new Map<string, { p: number; r: number; delta: number; coef: number }>());
  const bias = new Float64Array(stepOut);
  const seenBias = new Uint8Array(stepOut);
  let singleStep = -1;
  for (let o = 0; o < map.rows; o++) {
    const [to, ro] = single ? [0, o] : decode(outShape, outAxis, o);
    const b = map.bias ? map.bias[o] : 0;
    if (!seenBias[ro]) {
      bias[ro] = b;
      seenBias[ro] = 1;
    } else if (bias[ro] !== b) refuse('its constant term changes from one time step to the next');
    for (let e = map.ptr[o]; e < map.ptr[o + 1]; e++) {
      const k = map.idx[e];
      const p = operandOf(k);
      const [ti, ri] = decode(operands[p].shape, operands[p].stream.axis, k - offsets[p]);
      if (single) {
        if (singleStep >= 0 && singleStep !== ti + operands[p].stream.start) refuse('its output mixes several time steps but has no time axis');
        singleStep = ti + operands[p].stream.start;
      }
      const delta = single ? 0 : to - ti;
      const key = `${p}:${ri}:${delta}`;
      const prev = pattern[ro].get(key);
      if (prev && prev.coef !== map.coef[e]) refuse('its weights change from one time step to the next');
      if (!prev) pattern[ro].set(key, { p, r: ri, delta, coef: map.coef[e] });
    }
  }
  // Presence: every pattern entry appears at every step whose input step exists (else the op is not time-invariant).
  let startOut = 0;
  for (const pat of pattern) for (const x of pat.values()) startOut = Math.max(startOut, operands[x.p].stream.start - x.delta);
  if (!single) {
    let count = 0;
    for (let to = 0; to < To; to++) {
      for (let ro = 0; ro < stepOut; ro++) {
        for (const x of pattern[ro].values()) {
          const ti = to - x.delta;
          if (ti >= operands[x.p].stream.length) refuse('a step needs input from after the sequence ends (padding at the end of the time axis); pad the sequence instead');
          if (ti < 0 && startOut - operands[x.p].stream.start + x.delta === 0) refuse('a step reads before its input stream starts');
          if (ti >= 0) count++;
        }
      }
    }
    if (count !== map.ptr[map.rows]) refuse('its weights change from one time step to the next');
    if (startOut + To - 1 > ticks - 1) refuse(`its last step would be computed at tick ${startOut + To - 1}, after the sequence's ${ticks} ticks`);
  }
  // Taps: each distinct (operand, element, delay) once, as one element of the tensor the step map reads.
  const tapIndex = new Map<string, number>();
  const taps: { p: number; r: number; d: number }[] = [];
  const rows: { tap: number; coef: number }[][] = pattern.map((pat) => [...pat.values()].map((x) => {
    const d = single ? 0 : startOut - operands[x.p].stream.start + x.delta;
    const key = `${x.p}:${x.r}:${d}`;
    let t = tapIndex.get(key);
    if (t === undefined) {
      t = taps.length;
      tapIndex.set(key, t);
      taps.push({ p: x.p, r: x.r, d });
    }
    return { tap: t, coef: x.coef };
  }));
  const tapTensor = tapsOf(ctx, taps, operands, origin);
  const step = buildMap(stepOut, (o) => rows[o].length, (o, put) => rows[o].forEach((x) => put(x.tap, x.coef)), map.bias ? bias : null);
  const value = ctx.apply(tapTensor, step, origin);
  if (single) return { value, timing: { kind: 'at', tick: singleStep < 0 ? ticks - 1 : singleStep } };
  return { value, timing: { kind: 'stream', stream: { axis: outAxis, length: To, start: startOut } } };
}

/** The tap elements as one affine tensor: a delayed tap reads a delay chain on a single signal (materialized if needed). */
function tapsOf(ctx: LoweringContext, taps: readonly { p: number; r: number; d: number }[], operands: readonly { value: Affine; stream: Stream }[], origin: number): Affine {
  const single = new Map<string, { sig: number; w: number }>();
  // The chain step of each element: the greatest common divisor of the delays its taps need.
  const steps = new Map<string, number>();
  for (const { p, r, d } of taps) if (d > 0) steps.set(`${p}:${r}`, gcd(steps.get(`${p}:${r}`) ?? 0, d));
  const parts: { sig: number[]; w: number[]; c: number; o: number }[] = taps.map(({ p, r, d }) => {
    const x = operands[p].value;
    if (d === 0) {
      const sig: number[] = [];
      const w: number[] = [];
      for (let t = x.ptr[r]; t < x.ptr[r + 1]; t++) {
        sig.push(x.sig[t]);
        w.push(x.w[t]);
      }
      return { sig, w, c: x.c[r], o: x.o[r] };
    }
    // A delayed zero is zero everywhere, padding included; a non-zero constant is materialized (a neuron with no
    // inputs) so that its delayed copy is 0 in the padding and the constant after.
    if (termsOf(x, r) === 0 && x.c[r] === 0) return { sig: [], w: [], c: 0, o: x.o[r] };
    const key = `${p}:${r}`;
    let s = single.get(key);
    if (!s) {
      // A delay chain carries one signal with no offset, so its initial 0 is the padding's 0.
      s = termsOf(x, r) === 1 && x.c[r] === 0
        ? { sig: x.sig[x.ptr[r]], w: x.w[x.ptr[r]] }
        : { sig: ctx.builder.add({ activation: ACT.identity, bias: x.c[r], role: ROLE.linear, origin: x.o[r] >= 0 ? x.o[r] : origin, unit: r }, x.sig, x.w, x.ptr[r], x.ptr[r + 1]), w: 1 };
      single.set(key, s);
    }
    return { sig: [delayed(ctx, s.sig, d, operands[p].stream.start, origin, steps.get(key)!)], w: [s.w], c: 0, o: x.o[r] };
  });
  const ptr = new Int32Array(parts.length + 1);
  parts.forEach((q, i) => (ptr[i + 1] = ptr[i] + q.sig.length));
  return {
    size: parts.length,
    ptr,
    sig: Int32Array.from(parts.flatMap((q) => q.sig)),
    w: Float64Array.from(parts.flatMap((q) => q.w)),
    c: Float64Array.from(parts, (q) => q.c),
    o: Int32Array.from(parts, (q) => q.o),
  };
}
