// Pass: fan-in limit by pyramids (patent "Algorithm Neuron2TNN1", applied to every neuron: Layer2TNN1/MLP2TNN1).
// A neuron with K > N_I inputs keeps its activation and bias; its inputs are summed by identity partial-sum neurons
// of at most N_I inputs each, in as few levels as possible (tree.ts). Partial sums carry the original weights; the
// links into their parents have weight 1 (the signal-limit pass may rescale both, exactly).

import { NeuronBuilder } from '../tnet/builder.js';
import { blockKind } from '../tnet/blocks.js';
import { ACT, ROLE, type TNet } from '../tnet/types.js';
import type { Pass, PassResult } from '../pass/types.js';
import { planTree } from './tree.js';

/** A per-layer limit: the limit for the neurons of source layer `origin` (an index into TNet.origins, -1 for none). */
export type LayerLimit = (net: TNet, origin: number) => number;

/** A per-layer limit from limits by layer name (the config's "layers"), else `fallback`. */
export function limitsByName(byName: Readonly<Record<string, number>>, fallback: number): LayerLimit | undefined {
  if (Object.keys(byName).length === 0) return undefined;
  return (net, origin) => (origin >= 0 ? byName[net.origins[origin].name] : undefined) ?? fallback;
}

export function limitFanIn(net: TNet, fanIn: number, perLayer?: LayerLimit): PassResult<TNet> {
  const n = net.neurons;
  const nIn = net.inputCount;
  const map = new Int32Array(nIn + n.count);
  for (let s = 0; s < nIn; s++) map[s] = s;
  const b = new NeuronBuilder(nIn);
  let partials = 0;
  let trees = 0;
  const rowSrc: number[] = [];
  const rowW: number[] = [];
  const later: [number, number][] = [];
  for (let i = 0; i < n.count; i++) {
    const from = n.rowPtr[i];
    const K = n.rowPtr[i + 1] - from;
    const limit = perLayer ? perLayer(net, n.origin[i]) : fanIn;
    rowSrc.length = 0;
    rowW.length = 0;
    if (K <= limit) {
      for (let e = from; e < from + K; e++) {
        rowSrc.push(map[n.src[e]]);
        rowW.push(n.weight[e]);
      }
    } else {
      trees++;
      const plan = planTree(K, limit);
      const groupSignal: number[] = [];
      const member = (id: number, srcs: number[], ws: number[]) => {
        if (id < K) {
          srcs.push(map[n.src[from + id]]);
          ws.push(n.weight[from + id]);
        } else {
          srcs.push(groupSignal[id - K]);
          ws.push(1);
        }
      };
      for (const g of plan.groups) {
        const srcs: number[] = [];
        const ws: number[] = [];
        for (const id of g) member(id, srcs, ws);
        groupSignal.push(b.add({ activation: ACT.identity, bias: 0, role: ROLE.partialSum, origin: n.origin[i], unit: n.unit[i] }, srcs, ws));
        partials++;
      }
      for (const id of plan.top) member(id, rowSrc, rowW);
    }
    if (blockKind(n.block[i])?.readsLaterSignals) later.push([b.edgeCount, n.src[from]]);
    map[nIn + i] = b.copyFrom(n, i, rowSrc, rowW, 0, rowSrc.length);
  }
  // A delay reads a signal later in the order: its source got its new id after the delay was copied.
  for (const [edge, old] of later) b.setSource(edge, map[old]);
  const out: TNet = { ...net, neurons: b.finish(), outputSignal: net.outputSignal.map((s) => map[s]) };
  // A pass that did not fire returns its input itself: analyses keyed by the network stay valid.
  if (trees === 0) return { value: net, changed: false, notes: [] };
  return { value: out, changed: true, notes: trees > 0 ? [`fan-in: ${trees} neurons got pyramids, ${partials} partial-sum neurons added`] : [] };
}

/**
 * The fan-in pass: no neuron has more than N_I inputs afterwards (per source layer with `perLayer`: the layer's
 * limit, and the guarantee verified after the pass is the largest of them, `guarantee`).
 */
export function fanInPass(fanIn: number, perLayer?: LayerLimit, guarantee = fanIn): Pass<'tnet', 'tnet'> {
  return { name: 'fan-in', from: 'tnet', to: 'tnet', exact: true, guarantees: { fanIn: guarantee }, run: (net) => limitFanIn(net, fanIn, perLayer) };
}
