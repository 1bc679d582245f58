// The float64 reference of the recurrent cells (ONNX RNN, LSTM, GRU; forward direction, no peepholes, no clip), run
// over a whole sequence of one sample. The equations are the ONNX operator definitions, term for term
// (https://onnx.ai/onnx/operators/onnx__LSTM.html, __GRU, __RNN), in the ONNX gate orders:
//   RNN   H' = f(W x + R H + Wb + Rb)
//   LSTM  (i, o, f, c)  i = f(W_i x + R_i H + Wb_i + Rb_i), o = f(...), f~ = f(...), c~ = g(W_c x + R_c H + Wb_c + Rb_c)
//         C' = f~ . C + i . c~,  H' = o . h(C')
//   GRU   (z, r, h)  z = f(W_z x + R_z H + Wb_z + Rb_z), r = f(...)
//         linear_before_reset = 0:  h~ = g(W_h x + R_h (r . H) + Rb_h + Wb_h)
//         linear_before_reset = 1:  h~ = g(W_h x + r . (R_h H + Rb_h) + Wb_h)
//         H' = (1 - z) . h~ + z . H
// `.` is the element-wise product. Plain loops in the natural index order, like the rest of the reference.

import type { RecurrentActivation, RecurrentNode } from '../ir/ops.js';
import { gatesOf } from '../ir/ops.js';

/** One activation; `hs` is the node's hardSigmoid slope and offset (needed for 'hardSigmoid' only). */
export function recurrentActivation(fn: RecurrentActivation, v: number, hs: RecurrentNode['hardSigmoid'] = null): number {
  switch (fn) {
    case 'hardSigmoid':
      return Math.max(0, Math.min(1, hs!.alpha * v + hs!.beta));
    case 'sigmoid':
      return 1 / (1 + Math.exp(-v));
    case 'tanh':
      return Math.tanh(v);
    case 'relu':
      return v > 0 ? v : 0;
  }
}

/** Row `row` of a [rows, cols] matrix times the vector v (sum in index order). */
function dot(m: Float64Array, row: number, cols: number, v: Float64Array, offset = 0): number {
  let acc = 0;
  const base = row * cols;
  for (let k = 0; k < cols; k++) acc += m[base + k] * v[offset + k];
  return acc;
}

/** The hidden states of every step ([T, H] row-major) and the final hidden and cell states of one sequence. */
export interface RecurrentRun {
  readonly sequence: Float64Array;
  readonly hidden: Float64Array;
  readonly cell: Float64Array | null;
}

/** Runs a recurrent node over one sample's [T, I] sequence (time-major, row-major). */
export function runRecurrent(node: RecurrentNode, x: Float64Array, steps: number): RecurrentRun {
  const H = node.hiddenSize;
  const I = node.weight.shape[1];
  const G = gatesOf(node.cell);
  const W = node.weight.data;
  const R = node.recurrence.data;
  const Wb = node.inputBias;
  const Rb = node.recurrenceBias;
  const [f, g, h] = node.activations;
  const hs = node.hardSigmoid;
  let hPrev = Float64Array.from(node.initialH);
  let cPrev = node.initialC ? Float64Array.from(node.initialC) : null;
  const sequence = new Float64Array(steps * H);
  const wx = new Float64Array(G * H);
  const rh = new Float64Array(G * H);
  const rTimesH = new Float64Array(H);
  for (let t = 0; t < steps; t++) {
    for (let row = 0; row < G * H; row++) wx[row] = dot(W, row, I, x, t * I);
    const hNext = new Float64Array(H);
    switch (node.cell) {
      case 'rnn':
        for (let u = 0; u < H; u++) hNext[u] = recurrentActivation(f, wx[u] + dot(R, u, H, hPrev) + Wb[u] + Rb[u], hs);
        break;
      case 'lstm': {
        for (let row = 0; row < 4 * H; row++) rh[row] = dot(R, row, H, hPrev);
        const cNext = new Float64Array(H);
        for (let u = 0; u < H; u++) {
          const gi = recurrentActivation(f, wx[u] + rh[u] + Wb[u] + Rb[u], hs);
          const go = recurrentActivation(f, wx[H + u] + rh[H + u] + Wb[H + u] + Rb[H + u], hs);
          const gf = recurrentActivation(f, wx[2 * H + u] + rh[2 * H + u] + Wb[2 * H + u] + Rb[2 * H + u], hs);
          const gc = recurrentActivation(g, wx[3 * H + u] + rh[3 * H + u] + Wb[3 * H + u] + Rb[3 * H + u], hs);
          cNext[u] = gf * cPrev![u] + gi * gc;
          hNext[u] = go * recurrentActivation(h, cNext[u], hs);
        }
        cPrev = cNext;
        break;
      }
      case 'gru': {
        for (let row = 0; row < 2 * H; row++) rh[row] = dot(R, row, H, hPrev);
        const z = new Float64Array(H);
        const r = new Float64Array(H);
        for (let u = 0; u < H; u++) {
          z[u] = recurrentActivation(f, wx[u] + rh[u] + Wb[u] + Rb[u], hs);
          r[u] = recurrentActivation(f, wx[H + u] + rh[H + u] + Wb[H + u] + Rb[H + u], hs);
        }
        if (!node.linearBeforeReset) for (let j = 0; j < H; j++) rTimesH[j] = r[j] * hPrev[j];
        for (let u = 0; u < H; u++) {
          const row = 2 * H + u;
          const pre = node.linearBeforeReset
            ? wx[row] + r[u] * (dot(R, row, H, hPrev) + Rb[row]) + Wb[row]
            : wx[row] + dot(R, row, H, rTimesH) + Rb[row] + Wb[row];
          const candidate = recurrentActivation(g, pre, hs);
          hNext[u] = (1 - z[u]) * candidate + z[u] * hPrev[u];
        }
        break;
      }
    }
    sequence.set(hNext, t * H);
    hPrev = hNext;
  }
  return { sequence, hidden: hPrev, cell: cPrev };
}

/** The output a recurrent node produces for one sample: Y as [T, 1, H], or Y_h / Y_c as [1, H]. */
export function evaluateRecurrent(node: RecurrentNode, x: Float64Array, steps: number): Float64Array {
  const run = runRecurrent(node, x, steps);
  if (node.produces === 'sequence') return run.sequence;
  if (node.produces === 'hidden') return run.hidden;
  return run.cell!;
}
