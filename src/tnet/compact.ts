// Removal of neurons that feed no output (dead branches of the source graph, comparators whose result cancelled),
// renumbering the rest in the same order. Liveness is a worklist over the sources, so it holds for networks whose
// delays close loops as well as for acyclic ones; the renumbering maps every live signal before copying rows.

import { BLOCK } from './blocks.js';
import { NeuronBuilder } from './builder.js';
import type { TNet } from './types.js';

/** 1 for every signal (input or neuron output) that some output depends on, by one backward sweep. */
export function liveSignals(net: TNet): Uint8Array {
  const n = net.neurons;
  const nIn = net.inputCount;
  const live = new Uint8Array(nIn + n.count);
  const stack = new Int32Array(nIn + n.count);
  let top = 0;
  const mark = (s: number) => {
    if (live[s]) return;
    live[s] = 1;
    if (s >= nIn) stack[top++] = s;
  };
  for (const s of net.outputSignal) mark(s);
  while (top > 0) {
    const i = stack[--top] - nIn;
    for (let e = n.rowPtr[i]; e < n.rowPtr[i + 1]; e++) mark(n.src[e]);
  }
  return live;
}

export function removeDeadNeurons(net: TNet): { net: TNet; removed: number } {
  const n = net.neurons;
  const nIn = net.inputCount;
  const live = liveSignals(net);
  let removed = 0;
  for (let i = 0; i < n.count; i++) if (!live[nIn + i]) removed++;
  if (removed === 0) return { net, removed };
  const map = new Int32Array(nIn + n.count).fill(-1);
  for (let s = 0; s < nIn; s++) map[s] = s;
  let next = nIn;
  for (let i = 0; i < n.count; i++) if (live[nIn + i]) map[nIn + i] = next++;
  const b = new NeuronBuilder(nIn);
  const srcs = new Int32Array(n.src.length);
  for (let e = 0; e < n.src.length; e++) srcs[e] = map[n.src[e]];
  for (let i = 0; i < n.count; i++) {
    if (live[nIn + i]) b.copyFrom(n, i, srcs, n.weight, n.rowPtr[i], n.rowPtr[i + 1]);
  }
  const outputSignal = net.outputSignal.map((s) => map[s]);
  return { net: { ...net, neurons: b.finish(), outputSignal }, removed };
}

/**
 * Depth of every signal within one clock tick: inputs 0, a block one more than its deepest source, a delay 0 (its
 * output is the previous ticks' value, ready when the tick starts: it cuts the chain, as an input does).
 */
export function signalDepths(net: TNet): Int32Array {
  const n = net.neurons;
  const depth = new Int32Array(net.inputCount + n.count);
  for (let i = 0; i < n.count; i++) {
    if (n.block[i] === BLOCK.delay) continue;
    let d = 0;
    for (let e = n.rowPtr[i]; e < n.rowPtr[i + 1]; e++) d = Math.max(d, depth[n.src[e]]);
    depth[net.inputCount + i] = d + 1;
  }
  return depth;
}
