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
import { concatTensors, inputTensor, LoweringContext, termsOf, type Affine } from './affine.js';
import { avgPoolMap, batchNormMap, binaryMap, constBinaryMap, convMap, denseMap, poolWindows, reduceMeanMap } from './linear.js';
import { lowerActivation, lowerMaxPool } from './nonlinear.js';
import { lowerProduct } from './product.js';
import type { Pass } from '../pass/types.js';
import { lowerConcat, lowerPad, lowerSlice, lowerTranspose } from './wiring.js';

export interface Lowered {
  readonly net: TNet;
  readonly notes: string[];
  /** The source tensor the analog outputs realize (the graph output, or the input of a final Softmax). */
  readonly analogOutput: string;
}

function lowerNode(ctx: LoweringContext, node: Node, index: number, ins: Affine[], shapes: Map<string, number[]>): Affine {
  const inShape = shapes.get(node.inputs[0])!;
  const outShape = shapes.get(node.output)!;
  const x = ins[0];
  switch (node.kind) {
    case 'dense':
      return ctx.apply(x, denseMap(node, inShape), index);
    case 'conv':
      return ctx.apply(x, convMap(node, inShape, outShape), index);
    case 'batchnorm':
      return ctx.apply(x, batchNormMap(node, inShape), index);
    case 'avgpool':
      return ctx.apply(x, avgPoolMap(node, inShape, outShape), index);
    case 'reducemean':
      return ctx.apply(x, reduceMeanMap(node, inShape), index);
    case 'constBinary':
      return ctx.apply(x, constBinaryMap(node, x.size), index);
    case 'binary': {
      const yShape = shapes.get(node.inputs[1])!;
      if (node.op === 'mul') return lowerProduct(ctx, x, ins[1], inShape, yShape, outShape, index);
      return ctx.apply(concatTensors(ins), binaryMap(node, inShape, yShape, outShape), index);
    }
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
    case 'recurrent':
      throw usageError(M.recurrentLowering(node.name, node.sourceOp));
    case 'softmax':
      throw inputError(EM.innerSoftmax(node.name));
  }
}

/** Lowers a validated source graph to an equivalent logical T-network (no fan-in/fan-out limits yet). */
export function lowerToTnet(graph: Graph): Lowered {
  const shapes = inferShapes(graph, { maxTensorElements: Number.MAX_SAFE_INTEGER });
  const inputCount = sizeOf(graph.input.shape);
  const ctx = new LoweringContext(inputCount);
  const values = new Map<string, Affine>([[graph.input.name, inputTensor(inputCount)]]);
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
    values.set(node.output, lowerNode(ctx, node, attributed[index], ins, shapes));
  });
  if (tail) notes.push(`final Softmax '${last!.name}' is left to a digital tail`);

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
    clock: null,
  };
  const { net, removed } = removeDeadNeurons(logical);
  if (removed > 0) notes.push(`removed ${removed} neurons that feed no output`);
  return { net, notes, analogOutput: outName };
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
