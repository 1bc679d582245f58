// Training of the recurrent cells (ONNX RNN, LSTM, GRU; forward direction): the float64 forward pass over one
// sample's [T, I] sequence, keeping what the backward pass needs (a tape), and backpropagation through time. The
// equations are reference/recurrent.ts's (the ONNX operator definitions), term for term and summed in the same order,
// so the trained cell is the cell the reference evaluates and lowering builds:
//   RNN   H' = f(W x + R H + Wb + Rb)
//   LSTM  (i, o, f, c): C' = f~ . C + i . c~,  H' = o . h(C')
//   GRU   (z, r, h): lbr 0: h~ = g(W_h x + R_h (r . H) + Rb_h + Wb_h); lbr 1: h~ = g(W_h x + r . (R_h H + Rb_h) + Wb_h)
//         H' = (1 - z) . h~ + z . H
// Parameters: W, R, Wb, Rb (the initial states are constants of the source, not trained). An IndRNN's R stays
// diagonal: its off-diagonal gradient is zero, so training keeps the one recurrent connection per unit it was built with.
//
// The hardware-aware hooks act where they act on a dense layer, at the summators: every gate pre-activation (the
// whole sum, the reset-gated term included) is multiplied by the unit's transfer slope (hooks.unitSlope, G*H values)
// and by the signal noise (1 + eps) drawn per sample, per step and per gate unit (T*G*H multipliers).

import type { RecurrentActivation, RecurrentNode } from '../ir/ops.js';
import { gatesOf } from '../ir/ops.js';
import { recurrentActivation } from '../reference/recurrent.js';

/** What the backward pass of one sample needs, per time step (allocated once per workspace). */
export interface RecurrentTape {
  /** Gate pre-activations as fed to the activations (after slope and noise), [T, G*H]. */
  readonly pre: Float64Array;
  /** Gate activations, [T, G*H]. */
  readonly act: Float64Array;
  /** Hidden states, [T+1, H]: row 0 is the initial state. */
  readonly h: Float64Array;
  /** LSTM cell states, [T+1, H]; h(C') per step, [T, H]. */
  readonly c: Float64Array | null;
  readonly hc: Float64Array | null;
  /** GRU: r . H (lbr 0) or R_h H + Rb_h (lbr 1) per step, [T, H]. */
  readonly aux: Float64Array | null;
  /** The multipliers of the gate pre-activations of this sample ([T, G*H]), or null (none). */
  mult: Float64Array | null;
  // Backward scratch.
  readonly dh: Float64Array;
  readonly dhNext: Float64Array;
  readonly dc: Float64Array;
  readonly ds: Float64Array;
  readonly daux: Float64Array;
  readonly dr: Float64Array;
  /** The multipliers' buffer (slope times noise), [T, G*H]. */
  readonly multBuffer: Float64Array;
}

export interface RecurrentParams {
  readonly W: Float64Array;
  readonly R: Float64Array;
  readonly Wb: Float64Array;
  readonly Rb: Float64Array;
}

export interface RecurrentGrads {
  readonly W: Float64Array;
  readonly R: Float64Array;
  readonly Wb: Float64Array;
  readonly Rb: Float64Array;
}

export function recurrentTape(node: RecurrentNode, T: number): RecurrentTape {
  const H = node.hiddenSize;
  const GH = gatesOf(node.cell) * H;
  return {
    pre: new Float64Array(T * GH),
    act: new Float64Array(T * GH),
    h: new Float64Array((T + 1) * H),
    c: node.cell === 'lstm' ? new Float64Array((T + 1) * H) : null,
    hc: node.cell === 'lstm' ? new Float64Array(T * H) : null,
    aux: node.cell === 'gru' ? new Float64Array(T * H) : null,
    mult: null,
    dh: new Float64Array(H),
    dhNext: new Float64Array(H),
    dc: new Float64Array(H),
    ds: new Float64Array(GH),
    daux: new Float64Array(H),
    dr: new Float64Array(H),
    multBuffer: new Float64Array(T * GH),
  };
}

/** d act / d pre of an activation, from its input and output. */
function derivative(fn: RecurrentActivation, pre: number, act: number, hs: RecurrentNode['hardSigmoid']): number {
  switch (fn) {
    case 'sigmoid':
      return act * (1 - act);
    case 'tanh':
      return 1 - act * act;
    case 'relu':
      return pre > 0 ? 1 : 0;
    case 'hardSigmoid': {
      const v = hs!.alpha * pre + hs!.beta;
      return v > 0 && v < 1 ? hs!.alpha : 0;
    }
  }
}

function dot(m: Float64Array, row: number, cols: number, v: Float64Array, offset: number): number {
  let acc = 0;
  const base = row * cols;
  for (let k = 0; k < cols; k++) acc += m[base + k] * v[offset + k];
  return acc;
}

/**
 * Forward pass of one sample's sequence x ([T, I]) into y (Y [T, 1, H], or Y_h / Y_c [1, H]); `mult` (the per-step
 * gate multipliers, [T, G*H]) or null.
 */
export function recurrentForward(node: RecurrentNode, p: RecurrentParams, tape: RecurrentTape, x: Float64Array, T: number, y: Float64Array, mult: Float64Array | null): void {
  const H = node.hiddenSize;
  const I = node.weight.shape[1];
  const GH = gatesOf(node.cell) * H;
  const { W, R, Wb, Rb } = p;
  const [f, g, hFn] = node.activations;
  const hs = node.hardSigmoid;
  const { pre, act, h } = tape;
  tape.mult = mult;
  h.set(node.initialH, 0);
  if (tape.c) tape.c.set(node.initialC!, 0);
  const gate = (t: number, row: number, sum: number, fn: RecurrentActivation) => {
    const k = t * GH + row;
    const v = mult ? sum * mult[k] : sum;
    pre[k] = v;
    act[k] = recurrentActivation(fn, v, hs);
    return act[k];
  };
  for (let t = 0; t < T; t++) {
    const xo = t * I;
    const ho = t * H;
    const hn = (t + 1) * H;
    switch (node.cell) {
      case 'rnn':
        for (let u = 0; u < H; u++) h[hn + u] = gate(t, u, dot(W, u, I, x, xo) + dot(R, u, H, h, ho) + Wb[u] + Rb[u], f);
        break;
      case 'lstm': {
        const c = tape.c!;
        const hc = tape.hc!;
        for (let row = 0; row < 4 * H; row++) gate(t, row, dot(W, row, I, x, xo) + dot(R, row, H, h, ho) + Wb[row] + Rb[row], row < 3 * H ? f : g);
        const a = t * GH;
        for (let u = 0; u < H; u++) {
          c[hn + u] = act[a + 2 * H + u] * c[ho + u] + act[a + u] * act[a + 3 * H + u];
          hc[ho + u] = recurrentActivation(hFn, c[hn + u], hs);
          h[hn + u] = act[a + H + u] * hc[ho + u];
        }
        break;
      }
      case 'gru': {
        const aux = tape.aux!;
        for (let row = 0; row < 2 * H; row++) gate(t, row, dot(W, row, I, x, xo) + dot(R, row, H, h, ho) + Wb[row] + Rb[row], f);
        const a = t * GH;
        if (!node.linearBeforeReset) for (let j = 0; j < H; j++) aux[ho + j] = act[a + H + j] * h[ho + j];
        for (let u = 0; u < H; u++) {
          const row = 2 * H + u;
          let sum: number;
          if (node.linearBeforeReset) {
            aux[ho + u] = dot(R, row, H, h, ho) + Rb[row];
            sum = dot(W, row, I, x, xo) + act[a + H + u] * aux[ho + u] + Wb[row];
          } else sum = dot(W, row, I, x, xo) + dot(R, row, H, aux, ho) + Rb[row] + Wb[row];
          const candidate = gate(t, row, sum, g);
          const z = act[a + u];
          h[hn + u] = (1 - z) * candidate + z * h[ho + u];
        }
        break;
      }
    }
  }
  if (node.produces === 'sequence') y.set(h.subarray(H));
  else if (node.produces === 'hidden') y.set(h.subarray(T * H));
  else y.set(tape.c!.subarray(T * H));
}

/**
 * Backpropagation through time of the sample last run through recurrentForward: gy is dLoss/dy; parameter gradients
 * are added into `d`, the input gradient into gx (null: the input needs none).
 */
export function recurrentBackward(node: RecurrentNode, p: RecurrentParams, tape: RecurrentTape, x: Float64Array, T: number, gy: Float64Array, gx: Float64Array | null, d: RecurrentGrads): void {
  const H = node.hiddenSize;
  const I = node.weight.shape[1];
  const G = gatesOf(node.cell);
  const GH = G * H;
  const { W, R } = p;
  const [f, g, hFn] = node.activations;
  const hs = node.hardSigmoid;
  const { pre, act, h, dh, dhNext, dc, ds, daux, dr, mult } = tape;
  dh.fill(0);
  dc.fill(0);
  if (node.produces === 'hidden') dh.set(gy);
  else if (node.produces === 'cell') dc.set(gy);
  // ds[row] = dLoss/d(sum of the row) of this step; rows [r0, r1) then go to W, Wb, Rb, x, and (withR) R and H.
  const toParams = (t: number, r0: number, r1: number, withR: boolean, withRb: boolean) => {
    const xo = t * I;
    const ho = t * H;
    for (let row = r0; row < r1; row++) {
      const v = ds[row];
      if (v === 0) continue;
      d.Wb[row] += v;
      if (withRb) d.Rb[row] += v;
      const wo = row * I;
      for (let k = 0; k < I; k++) d.W[wo + k] += v * x[xo + k];
      if (gx) for (let k = 0; k < I; k++) gx[xo + k] += v * W[wo + k];
      if (withR) {
        const ro = row * H;
        for (let j = 0; j < H; j++) {
          d.R[ro + j] += v * h[ho + j];
          dhNext[j] += v * R[ro + j];
        }
      }
    }
  };
  // dLoss/d(pre) -> dLoss/d(sum): the multiplier of the row.
  const through = (t: number, row: number, dAct: number, fn: RecurrentActivation) => {
    const k = t * GH + row;
    const dPre = dAct * derivative(fn, pre[k], act[k], hs);
    ds[row] = mult ? dPre * mult[k] : dPre;
  };
  for (let t = T - 1; t >= 0; t--) {
    if (node.produces === 'sequence') for (let u = 0; u < H; u++) dh[u] += gy[t * H + u];
    dhNext.fill(0);
    const a = t * GH;
    const ho = t * H;
    switch (node.cell) {
      case 'rnn':
        for (let u = 0; u < H; u++) through(t, u, dh[u], f);
        toParams(t, 0, H, true, true);
        break;
      case 'lstm': {
        const c = tape.c!;
        const hc = tape.hc!;
        const hn = (t + 1) * H;
        for (let u = 0; u < H; u++) {
          const gi = act[a + u];
          const go = act[a + H + u];
          const gf = act[a + 2 * H + u];
          const gc = act[a + 3 * H + u];
          const dC = dc[u] + dh[u] * go * derivative(hFn, c[hn + u], hc[ho + u], hs);
          through(t, H + u, dh[u] * hc[ho + u], f);
          through(t, 2 * H + u, dC * c[ho + u], f);
          through(t, u, dC * gc, f);
          through(t, 3 * H + u, dC * gi, g);
          dc[u] = dC * gf;
        }
        toParams(t, 0, 4 * H, true, true);
        break;
      }
      case 'gru': {
        const aux = tape.aux!;
        daux.fill(0);
        // The candidate block first: its sum's gradient feeds the reset gate's.
        for (let u = 0; u < H; u++) {
          const z = act[a + u];
          dhNext[u] += dh[u] * z;
          through(t, 2 * H + u, dh[u] * (1 - z), g);
        }
        if (node.linearBeforeReset) {
          toParams(t, 2 * H, 3 * H, false, false);
          for (let u = 0; u < H; u++) {
            const v = ds[2 * H + u];
            const dq = v * act[a + H + u];
            dr[u] = v * aux[ho + u];
            d.Rb[2 * H + u] += dq;
            const ro = (2 * H + u) * H;
            for (let j = 0; j < H; j++) {
              d.R[ro + j] += dq * h[ho + j];
              dhNext[j] += dq * R[ro + j];
            }
          }
        } else {
          toParams(t, 2 * H, 3 * H, false, true);
          for (let u = 0; u < H; u++) {
            const v = ds[2 * H + u];
            if (v === 0) continue;
            const ro = (2 * H + u) * H;
            for (let j = 0; j < H; j++) {
              d.R[ro + j] += v * aux[ho + j];
              daux[j] += v * R[ro + j];
            }
          }
          for (let j = 0; j < H; j++) {
            dr[j] = daux[j] * h[ho + j];
            dhNext[j] += daux[j] * act[a + H + j];
          }
        }
        for (let u = 0; u < H; u++) {
          through(t, u, dh[u] * (h[ho + u] - act[a + 2 * H + u]), f);
          through(t, H + u, dr[u], f);
        }
        toParams(t, 0, 2 * H, true, true);
        break;
      }
    }
    dh.set(dhNext);
  }
  // An IndRNN keeps its structure: one recurrent connection per unit (the off-diagonal entries are no parameters).
  if (node.diagonalRecurrence) for (let i = 0; i < H; i++) for (let j = 0; j < H; j++) if (i !== j) d.R[i * H + j] = 0;
}
