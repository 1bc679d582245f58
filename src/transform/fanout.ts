// Pass: fan-out limit by buffer trees (the output side of the patent's trapezium, "Algorithm Layer2TNNX": copies of
// a layer's input so that no neuron drives more than N_O others). A signal driving F > N_O neurons drives at most
// N_O buffers or consumers; each identity buffer drives at most N_O; the tree has minimal depth (tree.ts). Buffers
// are placed right after their source, so the network stays in topological order. Network inputs are limited too:
// they come from DACs or sensor buffers with the same drive limits as an op-amp.

import { NeuronBuilder } from '../tnet/builder.js';
import { blockKind } from '../tnet/blocks.js';
import { ACT, ROLE, type TNet } from '../tnet/types.js';
import type { Pass, PassResult } from '../pass/types.js';
import { fanOutCounts } from '../tnet/verify.js';
import { planTree } from './tree.js';
import type { LayerLimit } from './pyramid.js';

/** `perLayer`: the limit of the signals a source layer's neurons drive (network inputs keep `fanOut`). */
export function limitFanOut(net: TNet, fanOut: number, perLayer?: LayerLimit): PassResult<TNet> {
  const n = net.neurons;
  const nIn = net.inputCount;
  const total = nIn + n.count;
  const nEdges = n.rowPtr[n.count];
  // Consumer edges of each signal, in consumer order (a CSR transpose).
  const counts = fanOutCounts(net);
  const cptr = new Int32Array(total + 1);
  for (let s = 0; s < total; s++) cptr[s + 1] = cptr[s] + counts[s];
  const cedge = new Int32Array(nEdges);
  const fill = cptr.slice(0, total);
  for (let e = 0; e < nEdges; e++) cedge[fill[n.src[e]]++] = e;
  const edgeOwner = new Int32Array(nEdges);
  for (let i = 0; i < n.count; i++) edgeOwner.fill(i, n.rowPtr[i], n.rowPtr[i + 1]);

  const edgeSrc = new Int32Array(nEdges);
  const map = new Int32Array(total);
  const b = new NeuronBuilder(nIn);
  let buffers = 0;
  let trees = 0;
  const drive = (s: number) => {
    const root = map[s];
    const F = cptr[s + 1] - cptr[s];
    const limit = perLayer && s >= nIn ? perLayer(net, n.origin[s - nIn]) : fanOut;
    if (F <= limit) {
      for (let c = cptr[s]; c < cptr[s + 1]; c++) edgeSrc[cedge[c]] = root;
      return;
    }
    trees++;
    const plan = planTree(F, limit);
    const parent = new Int32Array(plan.groups.length).fill(-1);
    plan.groups.forEach((g, gi) => g.forEach((id) => id >= F && (parent[id - F] = gi)));
    const bufferSignal = new Int32Array(plan.groups.length);
    // Buffers belong to the layer they feed when it is one layer (a dense layer's input copies, as in the patent's
    // trapezium), otherwise to the layer whose signal they copy.
    const common = n.origin[edgeOwner[cedge[cptr[s]]]];
    let uniform = true;
    for (let c = cptr[s]; c < cptr[s + 1]; c++) if (n.origin[edgeOwner[cedge[c]]] !== common) uniform = false;
    const origin = uniform ? common : s >= nIn ? n.origin[s - nIn] : -1;
    const unit = s < nIn ? s : -1;
    for (let gi = plan.groups.length - 1; gi >= 0; gi--) {
      const from = parent[gi] < 0 ? root : bufferSignal[parent[gi]];
      bufferSignal[gi] = b.add({ activation: ACT.identity, bias: 0, role: ROLE.buffer, origin, unit }, [from], [1]);
      buffers++;
      for (const id of plan.groups[gi]) if (id < F) edgeSrc[cedge[cptr[s] + id]] = bufferSignal[gi];
    }
    for (const id of plan.top) if (id < F) edgeSrc[cedge[cptr[s] + id]] = root;
  };
  for (let s = 0; s < nIn; s++) {
    map[s] = s;
    drive(s);
  }
  const later: [number, number][] = [];
  for (let i = 0; i < n.count; i++) {
    if (blockKind(n.block[i])?.readsLaterSignals) for (let e = n.rowPtr[i]; e < n.rowPtr[i + 1]; e++) later.push([b.edgeCount + e - n.rowPtr[i], e]);
    map[nIn + i] = b.copyFrom(n, i, edgeSrc, n.weight, n.rowPtr[i], n.rowPtr[i + 1]);
    drive(nIn + i);
  }
  // A delay reads a signal later in the order: that signal's drive (root or buffer) is known only now.
  for (const [edge, e] of later) b.setSource(edge, edgeSrc[e]);
  const out: TNet = { ...net, neurons: b.finish(), outputSignal: net.outputSignal.map((s) => map[s]) };
  // A pass that did not fire returns its input itself: analyses keyed by the network stay valid.
  if (trees === 0) return { value: net, changed: false, notes: [] };
  return { value: out, changed: true, notes: trees > 0 ? [`fan-out: ${trees} signals got buffer trees, ${buffers} buffer neurons added`] : [] };
}

/** The fan-out pass: no signal drives more than N_O neurons afterwards (and fan-in stays within N_I). */
export function fanOutPass(fanIn: number, fanOut: number, perLayer?: LayerLimit, guarantee = fanOut): Pass<'tnet', 'tnet'> {
  return { name: 'fan-out', from: 'tnet', to: 'tnet', exact: true, guarantees: { fanIn, fanOut: guarantee }, run: (net) => limitFanOut(net, fanOut, perLayer) };
}
