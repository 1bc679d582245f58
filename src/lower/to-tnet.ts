// Lowering: source graph -> logical T-network (exact, before fan-in/fan-out limits and signal scaling).
// Each source tensor is held as a sparse affine tensor over the physical signals; see affine.ts. Each op is lowered
// by the function for its kind; the result's neurons are tagged with the op as their origin. A product of two
// activations becomes multiplier blocks (product.ts).

import { inputError, usageError } from '../errors.js';
import { EVALUATE_MESSAGES as EM, M } from '../messages/index.js';
import type { Graph, Node } from '../ir/ops.js';
import { inferShapes } from '../ir/shapes.js';
import { sizeOf } from '../ir/tensor.js';
import { removeDeadNeurons } from '../tnet/compact.js';
import { ACT, ROLE, type DigitalTail, type Origin, type TNet } from '../tnet/types.js';
import { concatTensors, inputTensor, LoweringContext, termsOf, type Affine, type SparseMap } from './affine.js';
import { avgPoolMap, batchNormMap, binaryMap, constBinaryMap, convMap, denseMap, poolWindows, reduceMeanMap } from './linear.js';
import { lowerActivation, lowerMaxPool } from './nonlinear.js';
import { lowerProduct } from './product.js';
import type { Pass } from '../pass/types.js';
import { lowerConcat, lowerGather, lowerPad, lowerSlice, lowerTranspose } from './wiring.js';
import { lowerRecurrent, type RecurrentStep } from './recurrent.js';
import { ALWAYS, lowerOnStreams, outputTimeAxis, wiringMap, type Timing } from './time.js';
import type { Shape } from '../ir/tensor.js';

export interface Lowered {
  readonly net: TNet;
  readonly notes: string[];
  /** The source tensor the analog outputs realize (the graph output, or the input of a final Softmax). */
  readonly analogOutput: string;
}

/** The map of a linear op over its concatenated inputs (the one description lowering composes), or null for other ops. */
function linearMap(node: Node, inShapes: Shape[], outShape: Shape): SparseMap | null {
  const inShape = inShapes[0];
  switch (node.kind) {
    case 'dense':
      return denseMap(node, inShape);
    case 'conv':
      return convMap(node, inShape, outShape);
    case 'batchnorm':
      return batchNormMap(node, inShape);
    case 'avgpool':
      return avgPoolMap(node, inShape, outShape);
    case 'reducemean':
      return reduceMeanMap(node, inShape);
    case 'constBinary':
      return constBinaryMap(node, sizeOf(inShape));
    case 'binary':
      return node.op === 'mul' ? null : binaryMap(node, inShape, inShapes[1], outShape);
    default:
      return null;
  }
}

function lowerNode(ctx: LoweringContext, node: Node, index: number, ins: Affine[], shapes: Map<string, number[]>): Affine {
  const inShapes = node.inputs.map((n) => shapes.get(n)!);
  const inShape = inShapes[0];
  const outShape = shapes.get(node.output)!;
  const x = ins[0];
  const map = linearMap(node, inShapes, outShape);
  if (map) return ctx.apply(concatTensors(ins), map, index);
  switch (node.kind) {
    case 'dense':
    case 'conv':
    case 'batchnorm':
    case 'avgpool':
    case 'reducemean':
    case 'constBinary':
      throw new Error(`lowering: ${node.kind} has a linear map`);
    case 'binary':
      // Add and Sub are linear maps (above); a product of two tensors needs multipliers.
      return lowerProduct(ctx, x, ins[1], inShape, inShapes[1], outShape, index);
    case 'activation':
      return lowerActivation(ctx, node.fn, x, index);
    case 'maxpool': {
      const { window } = poolWindows(inShape, outShape, node.kernel, node.strides, node.pads, node.dilations);
      // Every window element appears in several comparators: a sum of many terms (a residual add, a linear conv) is
      // materialized once rather than copied into each. Two terms (a leaky ReLU's two paths) stay composed.
      return lowerMaxPool(ctx, ctx.materialize(x, index, 3), Array.from({ length: sizeOf(outShape) }, (_, o) => window(o)), index);
    }
    case 'reshape':
      return x;
    case 'transpose':
      return lowerTranspose(x, node, inShape);
    case 'concat':
      return lowerConcat(ins, node, node.inputs.map((n) => shapes.get(n)!), outShape);
    case 'pad':
      return lowerPad(x, node, inShape, outShape);
    case 'slice':
      return lowerSlice(x, node, inShape);
    case 'gather':
      return lowerGather(x, node, inShape);
    case 'recurrent':
      // A recurrent node always reads a stream (the graph's input, or a layer before it), lowered by lowerStreamNode.
      throw usageError(M.streamOp(node.name, node.sourceOp, 'its input has no time axis'));
    case 'softmax':
      throw inputError(EM.innerSoftmax(node.name));
  }
}

/** The full map of a linear or wiring op over its concatenated inputs (for time.ts), or null for other ops. */
function fullMap(node: Node, inShapes: Shape[], outShape: Shape): SparseMap | null {
  return linearMap(node, inShapes, outShape) ?? wiringMap(node, inShapes);
}

/**
 * Lowers one node of a recurrent model whose inputs include a stream (time.ts): recurrent cells by recurrent.ts,
 * element-wise activations on one step, linear and wiring ops by the time-invariance extraction.
 */
function lowerStreamNode(ctx: LoweringContext, node: Node, index: number, ins: { value: Affine; timing: Timing }[], shapes: Map<string, number[]>, ticks: number,
  steps: Map<string, RecurrentStep>): { value: Affine; timing: Timing } {
  const inShapes = node.inputs.map((n) => shapes.get(n)!);
  const outShape = shapes.get(node.output)!;
  const streams = ins.map((i) => (i.timing.kind === 'stream' ? i.timing.stream : null));
  if (streams.some((s) => s === null)) throw usageError(M.streamOp(node.name, node.sourceOp, 'it combines a sequence with a value of one time step'));
  const first = streams[0]!;
  switch (node.kind) {
    case 'recurrent': {
      if (first.axis !== 0) throw usageError(M.streamOp(node.name, node.sourceOp, `its input's time axis is axis ${first.axis}, not the first`));
      const key = node.sharedWith ?? node.name;
      let step = steps.get(key);
      if (!step) {
        step = lowerRecurrent(ctx, node, ins[0].value, first.start, index);
        steps.set(key, step);
      }
      const last: Timing = { kind: 'at', tick: first.start + first.length - 1 };
      if (node.produces === 'sequence') return { value: step.hidden, timing: { kind: 'stream', stream: { axis: 0, length: first.length, start: first.start } } };
      return { value: node.produces === 'hidden' ? step.hidden : step.cell!, timing: last };
    }
    case 'activation':
      return { value: lowerActivation(ctx, node.fn, ins[0].value, index), timing: ins[0].timing };
    default: {
      const map = fullMap(node, inShapes, outShape);
      if (!map) throw usageError(M.streamOp(node.name, node.sourceOp, 'this op is not lowered on a sequence yet'));
      const outAxis = outputTimeAxis(node, inShapes[0], first.axis, outShape);
      const operands = ins.map((i, p) => ({ value: i.value, stream: streams[p]!, shape: inShapes[p] }));
      return lowerOnStreams(ctx, node, map, operands, outShape, outAxis, ticks, index);
    }
  }
}

/** Lowers a validated source graph to an equivalent logical T-network (no fan-in/fan-out limits yet). */
export function lowerToTnet(graph: Graph): Lowered {
  const shapes = inferShapes(graph, { maxTensorElements: Number.MAX_SAFE_INTEGER });
  // A recurrent model runs once per clock tick over the input's first axis (time); each tick reads one step.
  const clocked = graph.nodes.some((n) => n.kind === 'recurrent');
  const ticks = clocked ? graph.input.shape[0] : 1;
  const inputCount = sizeOf(graph.input.shape) / ticks;
  const ctx = new LoweringContext(inputCount);
  const values = new Map<string, Affine>([[graph.input.name, inputTensor(inputCount)]]);
  const timings = new Map<string, Timing>([[graph.input.name, clocked ? { kind: 'stream', stream: { axis: 0, length: ticks, start: 0 } } : ALWAYS]]);
  const steps = new Map<string, RecurrentStep>();
  const origins: Origin[] = graph.nodes.map((n) => ({ name: n.name, op: n.sourceOp }));
  // An activation applied to a conv/dense output that nothing else reads is one analog layer with it (the neuron
  // carries the conv's weights and the activation's transfer function): attribute its neurons to the conv/dense.
  const consumers = new Map<string, number>();
  for (const n of graph.nodes) for (const i of n.inputs) consumers.set(i, (consumers.get(i) ?? 0) + 1);
  const producer = new Map<string, number>();
  graph.nodes.forEach((n, i) => producer.set(n.output, i));
  const attributed = graph.nodes.map((node, index) => {
    if (node.kind !== 'activation') return index;
    const p = producer.get(node.inputs[0]);
    if (p === undefined || consumers.get(node.inputs[0]) !== 1 || node.inputs[0] === graph.output) return index;
    const pk = graph.nodes[p].kind;
    if (pk !== 'conv' && pk !== 'dense') return index;
    origins[p] = { ...origins[p], op: `${origins[p].op}+${node.sourceOp}` };
    origins[index] = { ...origins[index], fusedInto: p };
    return p;
  });

  // A Softmax producing the graph output becomes the digital tail: the analog network computes its input.
  let outName = graph.output;
  let tail: DigitalTail | null = null;
  const last = graph.nodes.find((n) => n.output === graph.output);
  if (last && last.kind === 'softmax') {
    tail = { kind: 'softmax', axes: [...last.axes] };
    outName = last.inputs[0];
  }
  const notes: string[] = [];
  graph.nodes.forEach((node, index) => {
    if (node === last && tail) return;
    const ins = node.inputs.map((n) => values.get(n)!);
    const times = node.inputs.map((n) => timings.get(n)!);
    if (times.some((t) => t.kind === 'stream')) {
      const r = lowerStreamNode(ctx, node, attributed[index], ins.map((value, k) => ({ value, timing: times[k] })), shapes, ticks, steps);
      values.set(node.output, r.value);
      timings.set(node.output, r.timing);
      return;
    }
    // A value of one tick, or of every tick: the feed-forward lowering (two values of different ticks cannot meet).
    const at = [...new Set(times.flatMap((t) => (t.kind === 'at' ? [t.tick] : [])))];
    if (at.length > 1) throw usageError(M.streamOp(node.name, node.sourceOp, `it combines values of different time steps (ticks ${at.join(', ')})`));
    values.set(node.output, lowerNode(ctx, node, attributed[index], ins, shapes));
    timings.set(node.output, at.length === 1 ? { kind: 'at', tick: at[0] } : ALWAYS);
  });
  if (tail) notes.push(`final Softmax '${last!.name}' is left to a digital tail`);
  // A recurrent cell's blocks are its gates and states, not its output elements: the origin names them.
  for (const st of steps.values()) {
    const node = graph.nodes[st.origin];
    if (node.kind === 'recurrent') origins[st.origin] = { ...origins[st.origin], parts: { names: st.parts, units: node.hiddenSize } };
  }

  // Outputs: a single signal times a gain is read out directly (the gain becomes the readout scale); anything else
  // (a sum, an offset, a constant) is materialized by an identity neuron.
  const out = values.get(outName)!;
  const outIndex = last ? graph.nodes.indexOf(last) : -1;
  const outputSignal = new Int32Array(out.size);
  const outputScale = new Float64Array(out.size);
  for (let k = 0; k < out.size; k++) {
    const t = out.ptr[k];
    if (termsOf(out, k) === 1 && out.c[k] === 0) {
      outputSignal[k] = out.sig[t];
      outputScale[k] = out.w[t];
    } else {
      const origin = out.o[k] >= 0 ? out.o[k] : tail ? -1 : outIndex;
      outputSignal[k] = ctx.builder.add({ activation: ACT.identity, bias: out.c[k], role: ROLE.linear, origin, unit: k }, out.sig, out.w, out.ptr[k], out.ptr[k + 1]);
      outputScale[k] = 1;
    }
  }
  const logical: TNet = {
    inputShape: [...graph.input.shape],
    inputCount,
    inputGain: 1,
    neurons: ctx.builder.finish(),
    outputSignal,
    outputScale,
    outputShape: shapes.get(outName)!,
    tail,
    origins,
    railV: null,
    clock: clocked ? { ticks, readTicks: readTicksOf(timings.get(outName)!, ticks, outName) } : null,
  };
  const { net, removed } = removeDeadNeurons(logical);
  if (removed > 0) notes.push(`removed ${removed} neurons that feed no output`);
  return { net, notes, analogOutput: outName };
}

/** The ticks at which a clocked network's outputs are read: every step of an output sequence, else its one tick. */
function readTicksOf(t: Timing, ticks: number, name: string): number[] {
  if (t.kind === 'at') return [t.tick];
  if (t.kind === 'always') return [ticks - 1];
  if (t.stream.axis !== 0) throw usageError(M.streamOp(name, 'output', `the output's time axis is axis ${t.stream.axis}; the outputs are read step by step, so time must be the first axis`));
  return Array.from({ length: t.stream.length }, (_, k) => t.stream.start + k);
}

/** Analysis key: the source tensor a lowered network's analog outputs realize (Lowered.analogOutput). */
export const ANALOG_OUTPUT = 'analog-output';

/** The lowering as a pass: Graph -> logical T-network, exact; the analog output's tensor goes into the analyses. */
export const lowerPass: Pass<'graph', 'tnet'> = {
  name: 'lower', from: 'graph', to: 'tnet', exact: true, guarantees: {},
  run: (graph, ctx) => {
    const r = lowerToTnet(graph);
    ctx.analyses.set(r.net, ANALOG_OUTPUT, r.analogOutput);
    return { value: r.net, changed: true, notes: r.notes };
  },
};
