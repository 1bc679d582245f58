// The trainable view of a source-graph IR Graph: float64 forward and backward passes, one sample at a time, over the
// per-sample shapes of ir/ops.ts. The geometry of every op (windows, groups, axis orders, broadcasts) comes from
// ir/kernels.ts, the same index maps the reference evaluator (reference/evaluate.ts) and lowering use, so the trained
// network is the network ohmnet compiles. Index maps (convolution taps, pooling windows, gathers) are built once per
// model as typed arrays; the per-sample work is flat loops over Float64Arrays held in a reusable Workspace.
//
// Parameters: dense and conv weight and bias, batch-norm scale and shift (inference form: the running mean and
// variance stay fixed, as in fine-tuning a deployed model), a recurrent cell's W ('weight'), R ('recurrence'), Wb
// ('bias') and Rb ('recurrenceBias'; train/recurrent.ts has its forward pass and backpropagation through time). Forward reads each parameter's `eff` array (the weights
// the hardware-aware modes put into the forward pass: quantized, noisy) and backward gives gradients with respect
// to `eff`; the trainer maps them back onto the float master copy `value` (straight-through or chain rule).

import type { Graph, Node, RecurrentNode } from '../ir/ops.js';
import { gatesOf } from '../ir/ops.js';
import { inferShapes } from '../ir/shapes.js';
import { requireGraph } from '../ir/validate.js';
import {
  applyActivation, avgPoolDivisor, broadcastIndex, concatIndex, forEachConvTap, forEachTap, groupIndex, padIndex, sliceIndex, gatherIndex, transposeIndex, window2d,
} from '../ir/kernels.js';
import { sizeOf, type Shape } from '../ir/tensor.js';
import { recurrentBackward, recurrentForward, recurrentTape, type RecurrentParams, type RecurrentTape } from './recurrent.js';

export type ParamRole = 'weight' | 'bias' | 'scale' | 'shift' | 'recurrence' | 'recurrenceBias';

/** A weight matrix the hardware realizes as resistor pairs (dense and conv W, a recurrent cell's W and R). */
export function isWeightParam(p: { readonly role: ParamRole }): boolean {
  return p.role === 'weight' || p.role === 'recurrence';
}

/** A bias the hardware realizes as a resistor to the reference voltage (dense and conv b, a recurrent cell's Wb, Rb). */
export function isBiasParam(p: { readonly role: ParamRole }): boolean {
  return p.role === 'bias' || p.role === 'recurrenceBias';
}

export interface Param {
  /** node name + '.' + role */
  readonly name: string;
  readonly node: string;
  readonly role: ParamRole;
  /** The float master copy (what the optimizer updates and what is exported). */
  readonly value: Float64Array;
  /** What the forward pass reads: `value` itself unless a hardware-aware mode transforms it. */
  eff: Float64Array;
  /** Output units the parameter feeds (rows of a weight matrix), for per-neuron grids; 1 for vectors. */
  readonly rows: number;
  /** Position in TrainModel.params (and in every gradient list). */
  readonly index: number;
}

/** An entry of the execution plan: one node, its input and output slots, and its precomputed index maps. */
interface Step {
  readonly node: Node;
  readonly ins: readonly number[];
  readonly out: number;
  readonly inShapes: readonly Shape[];
  readonly outShape: Shape;
  readonly w?: Param;
  readonly b?: Param;
  /** conv: taps of output o are tapPtr[o]..tapPtr[o+1] into tapX (input index) and tapW (weight index). */
  readonly tapPtr?: Int32Array;
  readonly tapX?: Int32Array;
  readonly tapW?: Int32Array;
  /** conv: output channel of each output element. */
  readonly channel?: Int32Array;
  /** pools: windows as for conv (tapPtr/tapX), average-pool divisors. */
  readonly divisor?: Float64Array;
  /** gathers (transpose, concat, pad, slice) and broadcasts (binary: idx of operand a, idx2 of operand b). */
  readonly idx?: Int32Array;
  readonly idx2?: Int32Array;
  /** reducemean / softmax groups. */
  readonly groups?: Int32Array;
  readonly groupCount?: number;
  /** batchnorm: per-channel element count, 1/sqrt(var+eps). */
  readonly inner?: number;
  readonly invStd?: Float64Array;
  /** Index of this step among the summing layers (dense, conv): where slopes and signal noise apply; -1 otherwise. */
  readonly summing: number;
  /** Output units of a summing layer (dense: out features; conv: channels; recurrent: gates x hidden) and elements per unit. */
  readonly units?: number;
  readonly perUnit?: number;
  /** Recurrent cells: R and Rb (w and b are W and Wb), the sequence length, and the signal-noise multipliers per sample. */
  readonly r?: Param;
  readonly rb?: Param;
  readonly steps?: number;
  readonly noiseSize?: number;
}

/** Per-thread scratch: one buffer per slot for values and gradients, maxpool winners, signal-noise multipliers. */
export interface Workspace {
  readonly values: Float64Array[];
  readonly grads: Float64Array[];
  readonly argmax: (Int32Array | null)[];
  /** Per summing layer, the forward multipliers (1 + eps) of the current sample (signal noise), or null. */
  readonly noise: (Float64Array | null)[];
  /** Per step, a recurrent cell's tape (what its backward pass reads), or null. */
  readonly tapes: (RecurrentTape | null)[];
  /** Scratch of the dense backward pass: the outputs with a nonzero gradient (as many as the widest dense layer). */
  readonly active: Int32Array;
}

export interface Hooks {
  /** Per summing layer: a per-unit transfer slope a_i (Binas: f_i(r) = max(0, a_i r) is slope * pre-activation), or null. */
  unitSlope: (Float64Array | null)[];
  /** Per input element: a slope on the input (the input layer's neurons of a chip), or null. */
  inputSlope: Float64Array | null;
}

function conv(node: Extract<Node, { kind: 'conv' }>, xs: Shape, ys: Shape) {
  const w = node.weight;
  const g = window2d(xs, ys, w.shape.slice(2), node.strides, node.pads, node.dilations);
  const groups = { M: w.shape[0], Cg: w.shape[1], group: node.group };
  const n = sizeOf(ys);
  const per = g.OH * g.OW;
  const tapPtr = new Int32Array(n + 1);
  const xsList: number[] = [];
  const wsList: number[] = [];
  const channel = new Int32Array(n);
  for (let o = 0; o < n; o++) {
    channel[o] = Math.floor(o / per);
    forEachConvTap(g, groups, o, (xi, wi) => {
      xsList.push(xi);
      wsList.push(wi);
    });
    tapPtr[o + 1] = xsList.length;
  }
  return { tapPtr, tapX: Int32Array.from(xsList), tapW: Int32Array.from(wsList), channel, units: groups.M, perUnit: per };
}

function pool(node: Extract<Node, { kind: 'maxpool' | 'avgpool' }>, xs: Shape, ys: Shape) {
  const dil = node.kind === 'maxpool' ? node.dilations : node.kernel.map(() => 1);
  const g = window2d(xs, ys, node.kernel, node.strides, node.pads, dil);
  const n = sizeOf(ys);
  const per = g.OH * g.OW;
  const tapPtr = new Int32Array(n + 1);
  const list: number[] = [];
  const divisor = new Float64Array(n);
  for (let o = 0; o < n; o++) {
    const base = Math.floor(o / per) * g.H * g.W;
    forEachTap(g, Math.floor((o % per) / g.OW), o % g.OW, (ih, iw) => list.push(base + ih * g.W + iw));
    tapPtr[o + 1] = list.length;
    if (node.kind === 'avgpool') divisor[o] = avgPoolDivisor(g, o, node.countIncludePad);
  }
  return { tapPtr, tapX: Int32Array.from(list), divisor };
}

/** A Graph prepared for training: its plan, parameters and slots. */
export class TrainModel {
  readonly params: Param[] = [];
  readonly steps: Step[] = [];
  readonly slotSize: number[] = [];
  readonly inputSize: number;
  readonly outputSize: number;
  /** The slot the loss reads: the graph output, or the input of a final softmax (cross-entropy on the logits). */
  readonly outSlot: number;
  /** Number of summing layers (dense, conv). */
  readonly summingCount: number;
  readonly summingSteps: Step[] = [];
  readonly hooks: Hooks;
  /**
   * Biases the circuit realizes as one sum with a partner's entries: a recurrent gate's Wb + Rb (lower/recurrent.ts;
   * all rows but a GRU's reset-gated candidate with linear_before_reset 1, whose Rb_h is a bias of its own). A weight
   * grid puts the sum on the grid (train.ts ForwardWeights), not each part.
   */
  readonly summedBiases: { readonly bias: Param; readonly partner: Param; readonly rows: Int32Array }[] = [];

  /**
   * @param logits true: end the plan before a final softmax (the loss is softmax cross-entropy on its input).
   */
  constructor(readonly graph: Graph, readonly logits = false) {
    requireGraph(graph);
    const shapes = inferShapes(graph, { maxTensorElements: Number.MAX_SAFE_INTEGER });
    const slot = new Map<string, number>();
    const addSlot = (name: string) => {
      slot.set(name, this.slotSize.length);
      this.slotSize.push(sizeOf(shapes.get(name)!));
    };
    addSlot(graph.input.name);
    const nodes = [...graph.nodes];
    const last = nodes[nodes.length - 1];
    const dropSoftmax = logits && last !== undefined && last.kind === 'softmax' && last.output === graph.output;
    if (dropSoftmax) nodes.pop();
    let summing = 0;
    for (const node of nodes) {
      const ins = node.inputs.map((n) => slot.get(n)!);
      const inShapes = node.inputs.map((n) => shapes.get(n)!);
      addSlot(node.output);
      const outShape = shapes.get(node.output)!;
      const base = { node, ins, out: slot.get(node.output)!, inShapes, outShape, summing: -1 };
      const param = (role: ParamRole, data: Float64Array, rows: number): Param => {
        const value = Float64Array.from(data);
        const p: Param = { name: `${node.name}.${role}`, node: node.name, role, value, eff: value, rows, index: this.params.length };
        this.params.push(p);
        return p;
      };
      let step: Step;
      switch (node.kind) {
        case 'dense': {
          const O = node.weight.shape[0];
          step = { ...base, summing: summing++, units: O, perUnit: 1, w: param('weight', node.weight.data, O), ...(node.bias ? { b: param('bias', node.bias, O) } : {}) };
          break;
        }
        case 'conv': {
          const c = conv(node, inShapes[0], outShape);
          const M = node.weight.shape[0];
          step = { ...base, ...c, summing: summing++, w: param('weight', node.weight.data, M), ...(node.bias ? { b: param('bias', node.bias, M) } : {}) };
          break;
        }
        case 'batchnorm': {
          const C = inShapes[0][0];
          const invStd = Float64Array.from(node.variance, (v) => 1 / Math.sqrt(v + node.epsilon));
          step = { ...base, inner: sizeOf(inShapes[0]) / C, invStd, w: param('scale', node.scale, C), b: param('shift', node.bias, C) };
          break;
        }
        case 'maxpool':
        case 'avgpool':
          step = { ...base, ...pool(node, inShapes[0], outShape) };
          break;
        case 'reducemean': {
          const g = groupIndex(inShapes[0], node.axes);
          step = { ...base, groups: g.groups, groupCount: g.count };
          break;
        }
        case 'softmax': {
          const g = groupIndex(inShapes[0], node.axes);
          step = { ...base, groups: g.groups, groupCount: g.count };
          break;
        }
        case 'transpose':
          step = { ...base, idx: transposeIndex(inShapes[0], node.perm) };
          break;
        case 'concat':
          step = { ...base, idx: concatIndex(inShapes, node.axis) };
          break;
        case 'pad':
          step = { ...base, idx: padIndex(inShapes[0], node.pads) };
          break;
        case 'slice':
          step = { ...base, idx: sliceIndex(inShapes[0], node.starts, node.ends, node.steps) };
          break;
        case 'gather':
          // -1 in the index: the constant 0 (a padded or inserted zero).
          step = { ...base, idx: gatherIndex(inShapes[0], node.axis, node.indices) };
          break;
        case 'binary':
          step = { ...base, idx: broadcastIndex(inShapes[0], outShape), idx2: broadcastIndex(inShapes[1], outShape) };
          break;
        case 'recurrent': {
          // A node that reads another output of the same source node shares its parameters (the same Param objects).
          const owner = node.sharedWith ?? node.name;
          const shared = (role: ParamRole) => this.params.find((p) => p.name === `${owner}.${role}`);
          const GH = gatesOf(node.cell) * node.hiddenSize;
          const own = (role: ParamRole, data: Float64Array) => (node.sharedWith !== null ? shared(role) : undefined) ?? param(role, data, GH);
          const T = inShapes[0][0];
          step = {
            ...base, summing: summing++, units: GH, perUnit: 1, steps: T, noiseSize: T * GH,
            w: own('weight', node.weight.data), r: own('recurrence', node.recurrence.data), b: own('bias', node.inputBias), rb: own('recurrenceBias', node.recurrenceBias),
          };
          if (node.sharedWith === null) {
            const H = node.hiddenSize;
            const rows = Int32Array.from({ length: GH }, (_, k) => k).filter((k) => !(node.cell === 'gru' && node.linearBeforeReset && k >= 2 * H));
            this.summedBiases.push({ bias: step.b!, partner: step.rb!, rows });
          }
          break;
        }
        default:
          step = base;
      }
      this.steps.push(step);
      if (step.summing >= 0) this.summingSteps.push(step);
    }
    this.summingCount = summing;
    this.inputSize = this.slotSize[0];
    this.outSlot = slot.get(dropSoftmax ? last.inputs[0] : graph.output)!;
    this.outputSize = this.slotSize[this.outSlot];
    this.hooks = { unitSlope: new Array(summing).fill(null), inputSlope: null };
  }

  workspace(): Workspace {
    return {
      values: this.slotSize.map((n) => new Float64Array(n)),
      grads: this.slotSize.map((n) => new Float64Array(n)),
      argmax: this.steps.map((s) => (s.node.kind === 'maxpool' ? new Int32Array(this.slotSize[s.out]) : null)),
      noise: this.summingSteps.map(() => null),
      tapes: this.steps.map((s) => (s.node.kind === 'recurrent' ? recurrentTape(s.node, s.steps!) : null)),
      active: new Int32Array(Math.max(1, ...this.steps.map((s) => (s.node.kind === 'dense' ? s.units! : 0)))),
    };
  }

  /** Forward pass of one sample; returns the loss slot's values (a view into the workspace). */
  forward(ws: Workspace, x: ArrayLike<number>): Float64Array {
    const v = ws.values;
    const input = v[0];
    const slope = this.hooks.inputSlope;
    for (let i = 0; i < input.length; i++) input[i] = slope ? slope[i] * x[i] : x[i];
    for (let si = 0; si < this.steps.length; si++) this.forwardStep(ws, si);
    return v[this.outSlot];
  }

  private forwardStep(ws: Workspace, si: number): void {
    const s = this.steps[si];
    const x = ws.values[s.ins[0]];
    const y = ws.values[s.out];
    const node = s.node;
    switch (node.kind) {
      case 'dense':
        denseForward(s.w!.eff, s.b ? s.b.eff : null, s.units!, x, y);
        break;
      case 'conv': {
        const W = s.w!.eff;
        const b = s.b ? s.b.eff : null;
        const { tapPtr, tapX, tapW, channel } = s as Required<Step>;
        for (let o = 0; o < y.length; o++) {
          let acc = b ? b[channel[o]] : 0;
          for (let t = tapPtr[o]; t < tapPtr[o + 1]; t++) acc += W[tapW[t]] * x[tapX[t]];
          y[o] = acc;
        }
        break;
      }
      case 'batchnorm': {
        const g = s.w!.eff;
        const bb = s.b!.eff;
        const inner = s.inner!;
        for (let c = 0; c < g.length; c++) {
          const k = g[c] * s.invStd![c];
          const m = node.mean[c];
          for (let i = c * inner; i < (c + 1) * inner; i++) y[i] = (x[i] - m) * k + bb[c];
        }
        break;
      }
      case 'activation':
        activationForward(node.fn, x, y);
        break;
      case 'softmax': {
        const { groups, groupCount } = s as Required<Step>;
        const max = new Float64Array(groupCount).fill(-Infinity);
        for (let i = 0; i < x.length; i++) if (x[i] > max[groups[i]]) max[groups[i]] = x[i];
        const sum = new Float64Array(groupCount);
        for (let i = 0; i < x.length; i++) {
          y[i] = Math.exp(x[i] - max[groups[i]]);
          sum[groups[i]] += y[i];
        }
        for (let i = 0; i < x.length; i++) y[i] /= sum[groups[i]];
        break;
      }
      case 'maxpool': {
        const { tapPtr, tapX } = s as Required<Step>;
        const am = ws.argmax[si]!;
        for (let o = 0; o < y.length; o++) {
          let best = -Infinity;
          let at = -1;
          for (let t = tapPtr[o]; t < tapPtr[o + 1]; t++) {
            if (x[tapX[t]] > best) {
              best = x[tapX[t]];
              at = tapX[t];
            }
          }
          y[o] = best;
          am[o] = at;
        }
        break;
      }
      case 'avgpool': {
        const { tapPtr, tapX, divisor } = s as Required<Step>;
        for (let o = 0; o < y.length; o++) {
          let acc = 0;
          for (let t = tapPtr[o]; t < tapPtr[o + 1]; t++) acc += x[tapX[t]];
          y[o] = acc / divisor[o];
        }
        break;
      }
      case 'reducemean': {
        const { groups, groupCount } = s as Required<Step>;
        y.fill(0);
        for (let i = 0; i < x.length; i++) y[groups[i]] += x[i];
        const n = x.length / groupCount;
        for (let g = 0; g < groupCount; g++) y[g] /= n;
        break;
      }
      case 'reshape':
        y.set(x);
        break;
      case 'transpose':
      case 'slice': {
        const idx = s.idx!;
        for (let j = 0; j < y.length; j++) y[j] = x[idx[j]];
        break;
      }
      case 'pad': {
        const idx = s.idx!;
        for (let j = 0; j < y.length; j++) y[j] = idx[j] >= 0 ? x[idx[j]] : node.value;
        break;
      }
      case 'gather': {
        const idx = s.idx!;
        for (let j = 0; j < y.length; j++) y[j] = idx[j] >= 0 ? x[idx[j]] : 0;
        break;
      }
      case 'concat': {
        const idx = s.idx!;
        const all = concatInputs(ws, s);
        for (let j = 0; j < y.length; j++) y[j] = all[idx[j]];
        break;
      }
      case 'binary': {
        const b = ws.values[s.ins[1]];
        const ia = s.idx!;
        const ib = s.idx2!;
        if (node.op === 'add') for (let i = 0; i < y.length; i++) y[i] = x[ia[i]] + b[ib[i]];
        else if (node.op === 'sub') for (let i = 0; i < y.length; i++) y[i] = x[ia[i]] - b[ib[i]];
        else for (let i = 0; i < y.length; i++) y[i] = x[ia[i]] * b[ib[i]];
        break;
      }
      case 'constBinary': {
        const c = node.constant;
        if (node.op === 'add') for (let i = 0; i < y.length; i++) y[i] = x[i] + c[i];
        else if (node.op === 'mul') for (let i = 0; i < y.length; i++) y[i] = x[i] * c[i];
        else if (node.constantOnLeft) for (let i = 0; i < y.length; i++) y[i] = c[i] - x[i];
        else for (let i = 0; i < y.length; i++) y[i] = x[i] - c[i];
        break;
      }
      case 'recurrent': {
        // The slopes and the signal noise act on every gate's sum, inside the cell.
        const tape = ws.tapes[si]!;
        const slope = this.hooks.unitSlope[s.summing];
        const noise = ws.noise[s.summing];
        let mult: Float64Array | null = null;
        if (slope || noise) {
          mult = tape.multBuffer;
          const GH = s.units!;
          for (let k = 0; k < mult.length; k++) mult[k] = (slope ? slope[k % GH] : 1) * (noise ? noise[k] : 1);
        }
        recurrentForward(node, recurrentParams(s), tape, x, s.steps!, y, mult);
        return;
      }
      default:
        return unhandledKind(node);
    }
    if (s.summing >= 0) {
      // The neuron's transfer slope (a chip's mismatch) and the signal noise act on the summator's output.
      const slope = this.hooks.unitSlope[s.summing];
      const per = s.perUnit!;
      const units = s.units!;
      if (slope) for (let i = 0; i < y.length; i++) y[i] *= slope[node.kind === 'dense' ? i % units : Math.floor(i / per)];
      const noise = ws.noise[s.summing];
      if (noise) for (let i = 0; i < y.length; i++) y[i] *= noise[i];
    }
  }

  /**
   * Backward pass of the sample last run through forward(): `dOut` is dLoss/d(loss slot); parameter gradients are ADDED
   * into `grads` (one array per param, in this.params order).
   */
  backward(ws: Workspace, dOut: ArrayLike<number>, grads: Float64Array[]): void {
    const g = ws.grads;
    for (let i = 1; i < g.length; i++) g[i].fill(0);
    const go = g[this.outSlot];
    for (let i = 0; i < go.length; i++) go[i] = dOut[i];
    for (let si = this.steps.length - 1; si >= 0; si--) this.backwardStep(ws, si, grads);
  }

  private backwardStep(ws: Workspace, si: number, grads: Float64Array[]): void {
    const s = this.steps[si];
    const node = s.node;
    const gy = ws.grads[s.out];
    const xSlot = s.ins[0];
    const x = ws.values[xSlot];
    const y = ws.values[s.out];
    // The graph input needs no gradient.
    const gx = xSlot === 0 ? null : ws.grads[xSlot];
    if (s.summing >= 0 && node.kind !== 'recurrent') {
      const noise = ws.noise[s.summing];
      if (noise) for (let i = 0; i < gy.length; i++) gy[i] *= noise[i];
      const slope = this.hooks.unitSlope[s.summing];
      const per = s.perUnit!;
      const units = s.units!;
      if (slope) for (let i = 0; i < gy.length; i++) gy[i] *= slope[node.kind === 'dense' ? i % units : Math.floor(i / per)];
    }
    switch (node.kind) {
      case 'dense':
        denseBackward(s.w!.eff, grads[s.w!.index], s.b ? grads[s.b.index] : null, s.units!, x, gy, gx, ws.active);
        break;
      case 'conv': {
        const W = s.w!.eff;
        const dW = grads[s.w!.index];
        const db = s.b ? grads[s.b.index] : null;
        const { tapPtr, tapX, tapW, channel } = s as Required<Step>;
        for (let o = 0; o < gy.length; o++) {
          const d = gy[o];
          if (d === 0) continue;
          if (db) db[channel[o]] += d;
          for (let t = tapPtr[o]; t < tapPtr[o + 1]; t++) {
            dW[tapW[t]] += d * x[tapX[t]];
            if (gx) gx[tapX[t]] += d * W[tapW[t]];
          }
        }
        break;
      }
      case 'batchnorm': {
        const gamma = s.w!.eff;
        const dg = grads[s.w!.index];
        const dbeta = grads[s.b!.index];
        const inner = s.inner!;
        for (let c = 0; c < gamma.length; c++) {
          const is = s.invStd![c];
          const m = node.mean[c];
          for (let i = c * inner; i < (c + 1) * inner; i++) {
            dg[c] += gy[i] * (x[i] - m) * is;
            dbeta[c] += gy[i];
            if (gx) gx[i] += gy[i] * gamma[c] * is;
          }
        }
        break;
      }
      case 'activation':
        if (gx) activationBackward(node.fn, x, y, gy, gx);
        break;
      case 'softmax': {
        if (!gx) break;
        const { groups, groupCount } = s as Required<Step>;
        const dot = new Float64Array(groupCount);
        for (let i = 0; i < y.length; i++) dot[groups[i]] += gy[i] * y[i];
        for (let i = 0; i < y.length; i++) gx[i] += y[i] * (gy[i] - dot[groups[i]]);
        break;
      }
      case 'maxpool': {
        if (!gx) break;
        const am = ws.argmax[si]!;
        for (let o = 0; o < gy.length; o++) if (am[o] >= 0) gx[am[o]] += gy[o];
        break;
      }
      case 'avgpool': {
        if (!gx) break;
        const { tapPtr, tapX, divisor } = s as Required<Step>;
        for (let o = 0; o < gy.length; o++) {
          const d = gy[o] / divisor[o];
          for (let t = tapPtr[o]; t < tapPtr[o + 1]; t++) gx[tapX[t]] += d;
        }
        break;
      }
      case 'reducemean': {
        if (!gx) break;
        const { groups, groupCount } = s as Required<Step>;
        const n = x.length / groupCount;
        for (let i = 0; i < x.length; i++) gx[i] += gy[groups[i]] / n;
        break;
      }
      case 'reshape':
        if (gx) for (let i = 0; i < gy.length; i++) gx[i] += gy[i];
        break;
      case 'transpose':
      case 'slice':
      case 'gather':
      case 'pad': {
        if (!gx) break;
        const idx = s.idx!;
        for (let j = 0; j < gy.length; j++) if (idx[j] >= 0) gx[idx[j]] += gy[j];
        break;
      }
      case 'concat': {
        const idx = s.idx!;
        // Scatter into the inputs laid end to end, then out to each input's gradient.
        const offsets: number[] = [];
        let off = 0;
        for (const k of s.ins) {
          offsets.push(off);
          off += this.slotSize[k];
        }
        for (let j = 0; j < gy.length; j++) {
          const src = idx[j];
          let part = offsets.length - 1;
          while (offsets[part] > src) part--;
          const slotK = s.ins[part];
          if (slotK !== 0) ws.grads[slotK][src - offsets[part]] += gy[j];
        }
        break;
      }
      case 'binary': {
        const bSlot = s.ins[1];
        const b = ws.values[bSlot];
        const gb = bSlot === 0 ? null : ws.grads[bSlot];
        const ia = s.idx!;
        const ib = s.idx2!;
        for (let i = 0; i < gy.length; i++) {
          const d = gy[i];
          if (node.op === 'mul') {
            if (gx) gx[ia[i]] += d * b[ib[i]];
            if (gb) gb[ib[i]] += d * x[ia[i]];
          } else {
            if (gx) gx[ia[i]] += d;
            if (gb) gb[ib[i]] += node.op === 'add' ? d : -d;
          }
        }
        break;
      }
      case 'constBinary': {
        if (!gx) break;
        const c = node.constant;
        if (node.op === 'mul') for (let i = 0; i < gy.length; i++) gx[i] += gy[i] * c[i];
        else if (node.op === 'sub' && node.constantOnLeft) for (let i = 0; i < gy.length; i++) gx[i] -= gy[i];
        else for (let i = 0; i < gy.length; i++) gx[i] += gy[i];
        break;
      }
      case 'recurrent':
        recurrentBackward(node, recurrentParams(s), ws.tapes[si]!, x, s.steps!, gy, gx, {
          W: grads[s.w!.index], R: grads[s.r!.index], Wb: grads[s.b!.index], Rb: grads[s.rb!.index],
        });
        break;
      default:
        return unhandledKind(node);
    }
  }

  /** The graph with the master weights (`value`) in place of the source's: same nodes, same names, new parameters. */
  toGraph(): Graph {
    const byName = new Map(this.params.map((p) => [p.name, p.value]));
    // One copy per parameter: nodes that share a source node's parameters get the same arrays, as the importer gives.
    const copies = new Map<string, Float64Array>();
    const get = (n: Node, role: ParamRole, owner = n.name) => {
      const key = `${owner}.${role}`;
      if (!copies.has(key)) copies.set(key, Float64Array.from(byName.get(key)!));
      return copies.get(key)!;
    };
    const nodes = this.graph.nodes.map((n): Node => {
      switch (n.kind) {
        case 'dense':
        case 'conv':
          return { ...n, weight: { shape: [...n.weight.shape], data: get(n, 'weight') }, bias: n.bias ? get(n, 'bias') : null };
        case 'batchnorm':
          return { ...n, scale: get(n, 'scale'), bias: get(n, 'shift') };
        case 'recurrent': {
          const owner = n.sharedWith ?? n.name;
          const W = get(n, 'weight', owner);
          const R = get(n, 'recurrence', owner);
          return {
            ...n, weight: { shape: [...n.weight.shape], data: W }, recurrence: { shape: [...n.recurrence.shape], data: R },
            inputBias: get(n, 'bias', owner), recurrenceBias: get(n, 'recurrenceBias', owner),
          } satisfies RecurrentNode;
        }
        default:
          return n;
      }
    });
    return { ...this.graph, nodes };
  }
}

// The dense kernels, blocked by four output units: each pass over the input row serves four outputs (a quarter of
// the loads of x, or of gx and x in the backward pass). Every value is still summed in the same order as the plain
// loop (an output's terms by ascending k; gx over the outputs in ascending order, zero gradients skipped), so the
// results are the same bits as unblocked: blocking changes speed, never a trained weight.

/** y[r, o] = b[o] + sum_k W[o, k] x[r, k] for every row r of x ([rows, K]). */
function denseForward(W: Float64Array, b: Float64Array | null, O: number, x: Float64Array, y: Float64Array): void {
  const K = W.length / O;
  const rows = x.length / K;
  for (let r = 0; r < rows; r++) {
    const xo = r * K;
    const yo = r * O;
    let o = 0;
    for (; o + 4 <= O; o += 4) {
      const w0 = o * K;
      const w1 = w0 + K;
      const w2 = w1 + K;
      const w3 = w2 + K;
      let a0 = b ? b[o] : 0;
      let a1 = b ? b[o + 1] : 0;
      let a2 = b ? b[o + 2] : 0;
      let a3 = b ? b[o + 3] : 0;
      for (let k = 0; k < K; k++) {
        const v = x[xo + k];
        a0 += W[w0 + k] * v;
        a1 += W[w1 + k] * v;
        a2 += W[w2 + k] * v;
        a3 += W[w3 + k] * v;
      }
      y[yo + o] = a0;
      y[yo + o + 1] = a1;
      y[yo + o + 2] = a2;
      y[yo + o + 3] = a3;
    }
    for (; o < O; o++) {
      let acc = b ? b[o] : 0;
      const wo = o * K;
      for (let k = 0; k < K; k++) acc += W[wo + k] * x[xo + k];
      y[yo + o] = acc;
    }
  }
}

/** dW += gy x^T, db += gy, gx += W^T gy (gx null: not needed), over the outputs whose gradient is nonzero. */
function denseBackward(W: Float64Array, dW: Float64Array, db: Float64Array | null, O: number, x: Float64Array, gy: Float64Array, gx: Float64Array | null, active: Int32Array): void {
  const K = W.length / O;
  const rows = x.length / K;
  for (let r = 0; r < rows; r++) {
    const xo = r * K;
    const yo = r * O;
    let n = 0;
    for (let o = 0; o < O; o++) if (gy[yo + o] !== 0) active[n++] = o;
    if (db) for (let i = 0; i < n; i++) db[active[i]] += gy[yo + active[i]];
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const o0 = active[i];
      const o1 = active[i + 1];
      const o2 = active[i + 2];
      const o3 = active[i + 3];
      const d0 = gy[yo + o0];
      const d1 = gy[yo + o1];
      const d2 = gy[yo + o2];
      const d3 = gy[yo + o3];
      const w0 = o0 * K;
      const w1 = o1 * K;
      const w2 = o2 * K;
      const w3 = o3 * K;
      for (let k = 0; k < K; k++) {
        const v = x[xo + k];
        dW[w0 + k] += d0 * v;
        dW[w1 + k] += d1 * v;
        dW[w2 + k] += d2 * v;
        dW[w3 + k] += d3 * v;
      }
      if (gx) {
        for (let k = 0; k < K; k++) {
          let g = gx[xo + k];
          g += d0 * W[w0 + k];
          g += d1 * W[w1 + k];
          g += d2 * W[w2 + k];
          g += d3 * W[w3 + k];
          gx[xo + k] = g;
        }
      }
    }
    for (; i < n; i++) {
      const o = active[i];
      const d = gy[yo + o];
      const wo = o * K;
      for (let k = 0; k < K; k++) dW[wo + k] += d * x[xo + k];
      if (gx) for (let k = 0; k < K; k++) gx[xo + k] += d * W[wo + k];
    }
  }
}

function recurrentParams(s: Step): RecurrentParams {
  return { W: s.w!.eff, R: s.r!.eff, Wb: s.b!.eff, Rb: s.rb!.eff };
}

function concatInputs(ws: Workspace, s: Step): Float64Array {
  if (s.ins.length === 1) return ws.values[s.ins[0]];
  let n = 0;
  for (const k of s.ins) n += ws.values[k].length;
  const all = new Float64Array(n);
  let off = 0;
  for (const k of s.ins) {
    all.set(ws.values[k], off);
    off += ws.values[k].length;
  }
  return all;
}

function activationForward(fn: Extract<Node, { kind: 'activation' }>['fn'], x: Float64Array, y: Float64Array): void {
  switch (fn.type) {
    case 'relu':
      for (let i = 0; i < x.length; i++) y[i] = x[i] > 0 ? x[i] : 0;
      return;
    case 'clip':
      for (let i = 0; i < x.length; i++) y[i] = x[i] < fn.min ? fn.min : x[i] > fn.max ? fn.max : x[i];
      return;
    case 'leakyRelu':
      for (let i = 0; i < x.length; i++) y[i] = x[i] >= 0 ? x[i] : fn.alpha * x[i];
      return;
    case 'sigmoid':
      for (let i = 0; i < x.length; i++) y[i] = 1 / (1 + Math.exp(-x[i]));
      return;
    case 'hardSigmoid':
      for (let i = 0; i < x.length; i++) {
        const v = fn.alpha * x[i] + fn.beta;
        y[i] = v < 0 ? 0 : v > 1 ? 1 : v;
      }
      return;
    case 'tanh':
      for (let i = 0; i < x.length; i++) y[i] = Math.tanh(x[i]);
      return;
    case 'elu':
    case 'selu':
    case 'softplus':
    case 'softsign':
      for (let i = 0; i < x.length; i++) y[i] = applyActivation(fn, x[i]);
  }
}

/** gx += f'(x) gy (subgradients at the kinks: 0 at a ReLU's 0 and at a clip's bounds, as PyTorch). */
function activationBackward(fn: Extract<Node, { kind: 'activation' }>['fn'], x: Float64Array, y: Float64Array, gy: Float64Array, gx: Float64Array): void {
  switch (fn.type) {
    case 'relu':
      for (let i = 0; i < x.length; i++) if (x[i] > 0) gx[i] += gy[i];
      return;
    case 'clip':
      for (let i = 0; i < x.length; i++) if (x[i] > fn.min && x[i] < fn.max) gx[i] += gy[i];
      return;
    case 'leakyRelu':
      for (let i = 0; i < x.length; i++) gx[i] += x[i] >= 0 ? gy[i] : fn.alpha * gy[i];
      return;
    case 'sigmoid':
      for (let i = 0; i < x.length; i++) gx[i] += gy[i] * y[i] * (1 - y[i]);
      return;
    case 'hardSigmoid':
      for (let i = 0; i < x.length; i++) {
        const v = fn.alpha * x[i] + fn.beta;
        if (v > 0 && v < 1) gx[i] += gy[i] * fn.alpha;
      }
      return;
    case 'tanh':
      for (let i = 0; i < x.length; i++) gx[i] += gy[i] * (1 - y[i] * y[i]);
      return;
    case 'elu':
      // alpha exp(x) = y + alpha below 0.
      for (let i = 0; i < x.length; i++) gx[i] += x[i] > 0 ? gy[i] : gy[i] * (y[i] + fn.alpha);
      return;
    case 'selu':
      for (let i = 0; i < x.length; i++) gx[i] += x[i] > 0 ? gy[i] * fn.gamma : gy[i] * (y[i] + fn.gamma * fn.alpha);
      return;
    case 'softplus':
      // d/dx log(1 + exp(x)) = sigmoid(x)
      for (let i = 0; i < x.length; i++) gx[i] += gy[i] / (1 + Math.exp(-x[i]));
      return;
    case 'softsign':
      for (let i = 0; i < x.length; i++) {
        const d = 1 + Math.abs(x[i]);
        gx[i] += gy[i] / (d * d);
      }
  }
}

/** The exhaustiveness check of the forward and backward switches: a new node kind is a compile error there. */
function unhandledKind(node: never): never {
  throw new Error(`training: no forward/backward for node kind ${JSON.stringify((node as { kind?: string }).kind)}`);
}
