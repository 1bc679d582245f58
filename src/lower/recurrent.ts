// Lowering of the recurrent cells (ONNX RNN, LSTM, GRU; forward direction) to one clock tick of summators,
// multipliers and delays (patent "Example Transformation of Recurrent Neural Network / LSTM / GRU", FIGS. 20-23).
// The previous hidden state H (and the LSTM cell state C) are unit delays of this tick's H and C, holding the
// initial state until the input stream starts. Gate summators read the input step x and the delayed H; their
// activations are the node's (sigmoid/tanh/relu, A = B = 1 before signal scaling; a hard sigmoid is a clipped ReLU
// of alpha v + beta, its slope and offset folded into the gate's weights and bias). Per unit:
//   RNN   H = f(W x + R H_prev + Wb + Rb)                                (an IndRNN's diagonal R: one connection)
//   LSTM  i, o, f~, c~ gate neurons;  C = f~ * C_prev + i * c~  (2 multipliers, 1 identity summator);
//         H = o * h(C)  (1 neuron with h, 1 multiplier); 2 delays
//   GRU   z, r gate neurons;  lbr 0: h~ = g(W_h x + R_h (r * H_prev) + Rb_h + Wb_h)  (H multipliers r_j H_prev_j)
//                             lbr 1: h~ = g(W_h x + r * (R_h H_prev + Rb_h) + Wb_h)  (1 identity summator, 1 multiplier)
//         H = h~ + z * (H_prev - h~)  (= (1 - z) h~ + z H_prev: 1 identity summator for the difference, 1 multiplier,
//         1 identity summator; one multiplier fewer than the textbook form); 1 delay
// The equations are the reference's (reference/recurrent.ts), term for term, so the T-network is exact.

import type { RecurrentActivation, RecurrentNode } from '../ir/ops.js';
import { BLOCK } from '../tnet/blocks.js';
import type { NeuronSpec } from '../tnet/builder.js';
import { ACT, ROLE } from '../tnet/types.js';
import { buildMap, concatTensors, gather, termsOf, type Affine, type LoweringContext } from './affine.js';

/** One tick of a lowered recurrent layer: this tick's hidden state and (LSTM) cell state, one element per unit. */
export interface RecurrentStep {
  readonly hidden: Affine;
  readonly cell: Affine | null;
  /** The origin the blocks are attributed to, and the names of their parts (gates, states): unit = part * H + u. */
  readonly origin: number;
  readonly parts: readonly string[];
}

/** A gate's neuron: its activation, and for a hard sigmoid the slope and offset applied to its inputs first. */
type ActSpec = Pick<NeuronSpec, 'activation' | 'paramA' | 'paramB'> & { readonly pre?: { readonly alpha: number; readonly beta: number } };

function activationSpec(fn: RecurrentActivation, hs: RecurrentNode['hardSigmoid']): ActSpec {
  switch (fn) {
    case 'hardSigmoid':
      // max(0, min(1, alpha v + beta)): a clipped ReLU with ceiling 1 of the scaled and shifted sum.
      return { activation: ACT.clippedRelu, paramA: 1, paramB: 0, pre: hs! };
    case 'sigmoid':
      return { activation: ACT.sigmoid, paramA: 1, paramB: 1 };
    case 'tanh':
      return { activation: ACT.tanh, paramA: 1, paramB: 1 };
    case 'relu':
      return { activation: ACT.relu };
  }
}

/** An affine tensor of single signals with weight 1. */
function signals(sigs: readonly number[], origin: number): Affine {
  const n = sigs.length;
  return { size: n, ptr: Int32Array.from({ length: n + 1 }, (_, i) => i), sig: Int32Array.from(sigs), w: new Float64Array(n).fill(1), c: new Float64Array(n), o: new Int32Array(n).fill(origin) };
}

/** Elements of x in [from, to). */
function range(x: Affine, from: number, to: number): Affine {
  return gather(x, Int32Array.from({ length: to - from }, (_, i) => from + i));
}

export function lowerRecurrent(ctx: LoweringContext, node: RecurrentNode, x: Affine, start: number, origin: number): RecurrentStep {
  const b = ctx.builder;
  const H = node.hiddenSize;
  const I = node.weight.shape[1];
  const W = node.weight.data;
  const R = node.recurrence.data;
  const [f, g, h] = node.activations;
  // Every block names the part of the cell it is (a gate, a state, a product): its unit is part * H + u.
  const parts: string[] = [];
  const unitSpec = (role: number, part: string) => {
    let k = parts.indexOf(part);
    if (k < 0) k = parts.push(part) - 1;
    return (u: number) => ({ role, origin, unit: k * H + u });
  };

  // Neurons act(x_u) for every element (an element without terms gets a neuron with no inputs: its constant), so
  // every state is a physical signal a delay can hold.
  const neurons = (v0: Affine, spec: ActSpec, role: number, part: string): Affine => {
    const { pre, ...act } = spec;
    const v = pre ? { ...v0, w: v0.w.map((w) => pre.alpha * w), c: v0.c.map((c) => pre.alpha * c + pre.beta) } : v0;
    const sigs: number[] = [];
    const unit = unitSpec(role, part);
    for (let u = 0; u < v.size; u++) sigs.push(b.add({ ...act, bias: v.c[u], ...unit(u) }, v.sig, v.w, v.ptr[u], v.ptr[u + 1]));
    return signals(sigs, origin);
  };
  const linear = (v: Affine, part: string) => neurons(v, { activation: ACT.identity }, ROLE.linear, part);
  // Element-wise product of two tensors of single signals: one multiplier per unit.
  const multiply = (p: Affine, q: Affine, part: string): Affine => {
    const sigs: number[] = [];
    const spec = unitSpec(ROLE.compute, part);
    for (let u = 0; u < p.size; u++) {
      const a = termsOf(p, u) === 1 && p.c[u] === 0 ? p.sig[p.ptr[u]] : -1;
      const c = termsOf(q, u) === 1 && q.c[u] === 0 ? q.sig[q.ptr[u]] : -1;
      if (a < 0 || c < 0) throw new Error('a multiplier input is not a single signal');
      sigs.push(b.add({ block: BLOCK.multiplier, activation: ACT.identity, paramA: p.w[p.ptr[u]] * q.w[q.ptr[u]], bias: 0, ...spec(u) }, [a, c], [1, 1]));
    }
    return signals(sigs, origin);
  };
  // Gate pre-activations for gate blocks [g0, g1): W x + R (state) + biases, over [x; state].
  const gates = (g0: number, g1: number, state: Affine, withR = true, withRb = true): Affine => {
    const rows = (g1 - g0) * H;
    const bias = new Float64Array(rows);
    for (let o = 0; o < rows; o++) bias[o] = node.inputBias[g0 * H + o] + (withRb ? node.recurrenceBias[g0 * H + o] : 0);
    const map = buildMap(rows, () => I + (withR ? H : 1), (o, put) => {
      const row = g0 * H + o;
      for (let k = 0; k < I; k++) put(k, W[row * I + k]);
      if (withR) for (let j = 0; j < H; j++) put(I + j, R[row * H + j]);
      else put(I + (o % H), 1);
    }, bias);
    return ctx.apply(concatTensors([x, state]), map, origin);
  };

  // The delays of the state, added before their sources exist (a delay reads a later signal) and connected after.
  const stateDelays = (initial: Float64Array, part: string) => {
    const edges: number[] = [];
    const sigs: number[] = [];
    const spec = unitSpec(ROLE.linear, part);
    for (let u = 0; u < H; u++) {
      edges.push(b.edgeCount);
      sigs.push(b.add({ block: BLOCK.delay, activation: ACT.identity, paramA: 1, paramB: start, bias: initial[u], ...spec(u) }, [0], [1]));
    }
    return { value: signals(sigs, origin), connect: (to: Affine) => to.sig.forEach((s, u) => b.setSource(edges[u], s)) };
  };

  const hPrev = stateDelays(node.initialH, 'state H_prev');
  let hidden: Affine;
  let cell: Affine | null = null;
  switch (node.cell) {
    case 'rnn':
      hidden = neurons(gates(0, 1, hPrev.value), activationSpec(f, node.hardSigmoid), ROLE.compute, 'H');
      break;
    case 'lstm': {
      const cPrev = stateDelays(node.initialC!, 'state C_prev');
      const pre = gates(0, 4, hPrev.value);
      const gi = neurons(range(pre, 0, H), activationSpec(f, node.hardSigmoid), ROLE.compute, 'gate i');
      const go = neurons(range(pre, H, 2 * H), activationSpec(f, node.hardSigmoid), ROLE.compute, 'gate o');
      const gf = neurons(range(pre, 2 * H, 3 * H), activationSpec(f, node.hardSigmoid), ROLE.compute, 'gate f');
      const gc = neurons(range(pre, 3 * H, 4 * H), activationSpec(g, node.hardSigmoid), ROLE.compute, 'gate c~');
      const sum = concatTensors([multiply(gf, cPrev.value, 'f * C_prev'), multiply(gi, gc, 'i * c~')]);
      cell = linear(ctx.apply(sum, buildMap(H, () => 2, (u, put) => {
        put(u, 1);
        put(H + u, 1);
      }, null), origin), 'cell C');
      hidden = multiply(go, neurons(cell, activationSpec(h, node.hardSigmoid), ROLE.compute, 'h(C)'), 'H = o * h(C)');
      cPrev.connect(cell);
      break;
    }
    case 'gru': {
      const zr = gates(0, 2, hPrev.value);
      const z = neurons(range(zr, 0, H), activationSpec(f, node.hardSigmoid), ROLE.compute, 'gate z');
      const r = neurons(range(zr, H, 2 * H), activationSpec(f, node.hardSigmoid), ROLE.compute, 'gate r');
      let candidatePre: Affine;
      if (!node.linearBeforeReset) {
        candidatePre = gates(2, 3, multiply(r, hPrev.value, 'r * H_prev'));
      } else {
        const q = linear(ctx.apply(hPrev.value, buildMap(H, () => H, (u, put) => {
          for (let j = 0; j < H; j++) put(j, R[(2 * H + u) * H + j]);
        }, Float64Array.from({ length: H }, (_, u) => node.recurrenceBias[2 * H + u])), origin), 'R_h H_prev + Rb_h');
        candidatePre = gates(2, 3, multiply(r, q, 'r * (R_h H_prev + Rb_h)'), false, false);
      }
      const candidate = neurons(candidatePre, activationSpec(g, node.hardSigmoid), ROLE.compute, 'candidate h~');
      const diff = linear(ctx.apply(concatTensors([hPrev.value, candidate]), buildMap(H, () => 2, (u, put) => {
        put(u, 1);
        put(H + u, -1);
      }, null), origin), 'H_prev - h~');
      hidden = linear(ctx.apply(concatTensors([candidate, multiply(z, diff, 'z * (H_prev - h~)')]), buildMap(H, () => 2, (u, put) => {
        put(u, 1);
        put(H + u, 1);
      }, null), origin), 'H');
      break;
    }
  }
  hPrev.connect(hidden);
  return { hidden, cell, origin, parts };
}
