// Pass: the approximate construction (patent "Algorithm Layer2TNNX_Approx"), applied when the user asks (--approx p).
// Neurons of one layer that read the same K > N_I inputs (a dense layer, or a 1x1 convolution at one position) share
// their first p pyramid levels: the inputs are split into blocks of N_I^p, each block is summed ONCE by a shared
// neuron s_b = sum_j v_j x_j, and output l reads the blocks with weights a_{l,b}. This replaces the block of the
// weight matrix U_{l,j} by the rank-1 product a_{l,b} v_j: it is exact only when the rows of U are proportional within
// each block, so the error is measured and reported, never assumed.
//
// 'patent' method (the seed's formula): reference input k = the block's first input with a non-zero weight in every
// output (the first input, as in the patent, whenever that is possible; otherwise the input with the largest column
// norm), v_j = mean_l(U_lj / U_lk), v_k = 1 (C = 1), a_l = U_lk.
// 'svd' method: (a, v) is the best rank-1 approximation of the block in the least-squares sense (dominant singular
// pair by power iteration), which is never worse than the patent's choice by that measure.

import { NeuronBuilder } from '../tnet/builder.js';
import { BLOCK, blockKind } from '../tnet/blocks.js';
import { ROLE, type TNet } from '../tnet/types.js';
import type { Pass, PassResult } from '../pass/types.js';

export type ApproxMethod = 'patent' | 'svd';

export interface ApproxOptions {
  /** Number of shared pyramid levels p >= 1. */
  readonly levels: number;
  readonly fanIn: number;
  readonly method: ApproxMethod;
}

/** Rank-1 factor of a block U (L x m, row-major): returns a (L) and v (m). */
function rank1(U: Float64Array, L: number, m: number, method: ApproxMethod): { a: Float64Array; v: Float64Array } {
  const a = new Float64Array(L);
  const v = new Float64Array(m);
  if (method === 'patent') {
    let k = -1;
    for (let j = 0; j < m && k < 0; j++) {
      let ok = true;
      for (let l = 0; l < L; l++) if (U[l * m + j] === 0) ok = false;
      if (ok) k = j;
    }
    if (k < 0) {
      let best = -1;
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let l = 0; l < L; l++) s += U[l * m + j] ** 2;
        if (s > best) {
          best = s;
          k = j;
        }
      }
    }
    for (let l = 0; l < L; l++) a[l] = U[l * m + k];
    for (let j = 0; j < m; j++) {
      let s = 0;
      let cnt = 0;
      for (let l = 0; l < L; l++) {
        if (a[l] !== 0) {
          s += U[l * m + j] / a[l];
          cnt++;
        }
      }
      v[j] = j === k ? 1 : cnt > 0 ? s / cnt : 0;
    }
    return { a, v };
  }
  // Power iteration on U^T U from a deterministic start (all ones), to convergence.
  v.fill(1 / Math.sqrt(m));
  for (let it = 0; it < 500; it++) {
    for (let l = 0; l < L; l++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += U[l * m + j] * v[j];
      a[l] = s;
    }
    const next = new Float64Array(m);
    for (let l = 0; l < L; l++) for (let j = 0; j < m; j++) next[j] += U[l * m + j] * a[l];
    let norm = 0;
    for (let j = 0; j < m; j++) norm += next[j] ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) break;
    let delta = 0;
    for (let j = 0; j < m; j++) {
      const nv = next[j] / norm;
      delta = Math.max(delta, Math.abs(nv - v[j]));
      v[j] = nv;
    }
    if (delta < 1e-14) break;
  }
  for (let l = 0; l < L; l++) {
    let s = 0;
    for (let j = 0; j < m; j++) s += U[l * m + j] * v[j];
    a[l] = s;
  }
  return { a, v };
}

export function approximateLayers(net: TNet, options: ApproxOptions): PassResult<TNet> & { relativeMatrixError: number } {
  const n = net.neurons;
  const nIn = net.inputCount;
  const blockSize = options.fanIn ** options.levels;
  // Group neurons by (origin, exact source list).
  const groups = new Map<string, number[]>();
  for (let i = 0; i < n.count; i++) {
    const K = n.rowPtr[i + 1] - n.rowPtr[i];
    if (K <= options.fanIn || n.origin[i] < 0 || n.block[i] !== BLOCK.neuron) continue;
    const key = `${n.origin[i]}:${Array.from(n.src.subarray(n.rowPtr[i], n.rowPtr[i + 1])).join(',')}`;
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  }
  // Plan the replacement rows: for each grouped neuron, its new inputs are the group's shared block neurons.
  const plans = new Map<number, { group: number; a: Float64Array }>();
  const shared: { first: number; srcs: Int32Array; blocks: { from: number; to: number; v: Float64Array }[] }[] = [];
  let errSq = 0;
  let normSq = 0;
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const first = members[0];
    const from = n.rowPtr[first];
    const K = n.rowPtr[first + 1] - from;
    const L = members.length;
    const blocks: { from: number; to: number; v: Float64Array }[] = [];
    const aPer: Float64Array[] = members.map(() => new Float64Array(Math.ceil(K / blockSize)));
    for (let b0 = 0, bi = 0; b0 < K; b0 += blockSize, bi++) {
      const m = Math.min(blockSize, K - b0);
      const U = new Float64Array(L * m);
      members.forEach((i, l) => U.set(n.weight.subarray(n.rowPtr[i] + b0, n.rowPtr[i] + b0 + m), l * m));
      const { a, v } = rank1(U, L, m, options.method);
      for (let l = 0; l < L; l++) {
        aPer[l][bi] = a[l];
        for (let j = 0; j < m; j++) {
          errSq += (U[l * m + j] - a[l] * v[j]) ** 2;
          normSq += U[l * m + j] ** 2;
        }
      }
      blocks.push({ from: b0, to: b0 + m, v });
    }
    const gi = shared.length;
    shared.push({ first, srcs: n.src.slice(from, from + K), blocks });
    members.forEach((i, l) => plans.set(i, { group: gi, a: aPer[l] }));
  }
  if (shared.length === 0) return { value: net, changed: false, notes: [], relativeMatrixError: 0 };

  const map = new Int32Array(nIn + n.count);
  for (let s = 0; s < nIn; s++) map[s] = s;
  const b = new NeuronBuilder(nIn);
  const blockSignals: (Int32Array | null)[] = shared.map(() => null);
  const later: [number, number][] = [];
  for (let i = 0; i < n.count; i++) {
    const plan = plans.get(i);
    if (!plan) {
      if (blockKind(n.block[i])?.readsLaterSignals) later.push([b.edgeCount, n.src[n.rowPtr[i]]]);
      const srcs = Array.from(n.src.subarray(n.rowPtr[i], n.rowPtr[i + 1]), (s) => map[s]);
      map[nIn + i] = b.copyFrom(n, i, srcs, n.weight.subarray(n.rowPtr[i], n.rowPtr[i + 1]), 0, srcs.length);
      continue;
    }
    let sigs = blockSignals[plan.group];
    if (!sigs) {
      // The group's first member: emit the shared block sums (their sources all precede this neuron).
      const g = shared[plan.group];
      sigs = new Int32Array(g.blocks.length);
      g.blocks.forEach((blk, bi) => {
        const srcs = Array.from(g.srcs.subarray(blk.from, blk.to), (s) => map[s]);
        const ws: number[] = [];
        const ss: number[] = [];
        blk.v.forEach((v, j) => {
          if (v !== 0) {
            ws.push(v);
            ss.push(srcs[j]);
          }
        });
        sigs![bi] = b.add({ activation: 0, bias: 0, role: ROLE.shared, origin: n.origin[g.first], unit: bi }, ss, ws);
      });
      blockSignals[plan.group] = sigs;
    }
    const ss: number[] = [];
    const ws: number[] = [];
    plan.a.forEach((a, bi) => {
      if (a !== 0) {
        ss.push(sigs![bi]);
        ws.push(a);
      }
    });
    map[nIn + i] = b.copyFrom(n, i, ss, ws, 0, ss.length);
  }
  // A delay reads a signal later in the order: its source got its new id after the delay was copied.
  for (const [edge, old] of later) b.setSource(edge, map[old]);
  const value: TNet = { ...net, neurons: b.finish(), outputSignal: net.outputSignal.map((s) => map[s]) };
  const rel = normSq > 0 ? Math.sqrt(errSq / normSq) : 0;
  return {
    value,
    changed: true,
    relativeMatrixError: rel,
    notes: [`approx p=${options.levels} (${options.method}): ${shared.length} layer groups share their first stage; relative weight-matrix error ${rel.toExponential(3)}`],
  };
}

/** The approximate construction: lossy; its relative weight-matrix error is a metric of the pass. */
export function approxPass(options: ApproxOptions): Pass<'tnet', 'tnet'> {
  return {
    name: 'approx', from: 'tnet', to: 'tnet', exact: false, guarantees: {},
    run: (net) => {
      const r = approximateLayers(net, options);
      return { value: r.value, changed: r.changed, notes: r.notes, metrics: { relativeMatrixError: r.relativeMatrixError } };
    },
  };
}
