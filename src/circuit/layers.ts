// The layers of the netlist's hierarchy: the blocks of each source layer (TNet.origins, the `origin` of every row)
// form one subcircuit, in order of the layer's first block; the blocks of no source layer (buffers of network inputs
// that feed several layers) form one more. A layer's pins are the nets it reads from outside, vref when one of its
// blocks has a bias, and the nets of its own that other layers or the outputs read, each list in signal order. A
// layer whose pins would exceed PIN_LIMIT is split into parts (ohm_layer<k>_<p>, blocks in network order), and a
// block whose own pins exceed it (fan-in near the limit) is placed in the network's body.
//
// One pass over the connections, typed arrays only: a MobileNet-sized network (11.7 M connections) is grouped
// without building a single device.

import { BLOCK } from '../tnet/blocks.js';
import type { Realized } from '../realize/realize.js';
import type { TNet } from '../tnet/types.js';
import type { LayerCircuit } from './types.js';

/** Net of a signal: an input or a neuron output. */
export function signalNet(net: TNet, signal: number): string {
  return signal < net.inputCount ? `in${signal}` : `n${signal - net.inputCount}`;
}

/** The network subcircuit's name. */
export const NETWORK_CELL = 'ohm_network';

/**
 * Most pins of one subcircuit; a layer with a wider interface is split into parts of at most this many pins.
 * ngspice 39 (Debian's) refuses a .subckt line of more than 1004 nets ("ERROR, N_GLOBAL_NODES overflow"), and its
 * operating point on wide subcircuits was found slow on the residual CNN fixture (8 samples: flat netlist 18 s; parts
 * of at most 1000 pins ~50 s per op, 200 pins 30+ min, 50 pins 13 s per op): the cause is not known, 50 is what
 * measured fast.
 */
export const PIN_LIMIT = 50;

export interface Layers {
  readonly layers: LayerCircuit[];
  /** Blocks whose own pins exceed PIN_LIMIT (fan-in near 1000): placed in the network's body directly. */
  readonly loose: Int32Array;
  /** Whether any block uses the bias reference. */
  readonly usesVref: boolean;
}

/** The layer subcircuits of a realized network (split into parts of at most PIN_LIMIT pins). */
export function layerCircuits(r: Realized, pinLimit = PIN_LIMIT): Layers {
  const net = r.tnet;
  const n = net.neurons;
  const nIn = net.inputCount;
  // Group of each neuron: one per origin in order of first appearance, origin -1 included.
  const groupOfOrigin = new Map<number, number>();
  const groupOf = new Int32Array(n.count);
  const counts: number[] = [];
  const origins: number[] = [];
  for (let i = 0; i < n.count; i++) {
    let g = groupOfOrigin.get(n.origin[i]);
    if (g === undefined) {
      g = counts.length;
      groupOfOrigin.set(n.origin[i], g);
      counts.push(0);
      origins.push(n.origin[i]);
    }
    groupOf[i] = g;
    counts[g]++;
  }

  // Parts: each group's blocks in order, a new part when the pins could exceed the limit (counting every block of
  // the part as a possible output, so the exact pin list below stays within it). -1: a loose block.
  const partOf = new Int32Array(n.count).fill(-2);
  const seen = new Int32Array(nIn + n.count).fill(-1);
  const blockMark = new Int32Array(nIn + n.count).fill(-1);
  let stamp = 0;
  const parts: { group: number; index: number; members: number[]; bias: boolean }[] = [];
  const loose: number[] = [];
  // The nets a block reads: a neuron's through its connections' resistors (an open one reads nothing), a cell without
  // resistors (a multiplier) its sources directly.
  const reads = (i: number, f: (s: number) => void) => {
    const cell = n.block[i] !== BLOCK.neuron;
    for (let e = n.rowPtr[i]; e < n.rowPtr[i + 1]; e++) if (cell || r.rPlusOhm[e] !== Infinity) f(n.src[e]);
  };
  /** Distinct nets block i reads from outside part p that p does not read yet (p = -1: all its distinct reads). */
  const newReads = (i: number, p: number) => {
    let k = 0;
    const mark = stamp++;
    reads(i, (s) => {
      if (blockMark[s] === mark) return;
      blockMark[s] = mark;
      if (p >= 0 && ((s >= nIn && partOf[s - nIn] === p) || seen[s] === p)) return;
      k++;
    });
    return k;
  };
  const blocks = counts.map((c) => new Int32Array(c));
  const fill = new Int32Array(counts.length);
  for (let i = 0; i < n.count; i++) blocks[groupOf[i]][fill[groupOf[i]]++] = i;
  blocks.forEach((members, g) => {
    let cur: (typeof parts)[number] | null = null;
    let curReads = 0;
    let index = 0;
    for (const i of members) {
      const bias = r.rBiasPlusOhm[i] !== Infinity;
      if (newReads(i, -1) + 2 > pinLimit) {
        loose.push(i);
        continue;
      }
      if (!cur || curReads + newReads(i, parts.length - 1) + cur.members.length + 1 + (cur.bias || bias ? 1 : 0) > pinLimit) {
        cur = { group: g, index: index++, members: [], bias: false };
        parts.push(cur);
        curReads = 0;
      }
      const p = parts.length - 1;
      cur.members.push(i);
      cur.bias ||= bias;
      partOf[i] = p;
      reads(i, (s) => {
        if ((s >= nIn && partOf[s - nIn] === p) || seen[s] === p) return;
        seen[s] = p;
        curReads++;
      });
    }
  });

  // Exact pins: the nets each part reads from outside it, vref, and its blocks read outside it.
  const exported = new Uint8Array(n.count);
  for (const s of net.outputSignal) if (s >= nIn) exported[s - nIn] = 1;
  for (const i of loose) reads(i, (s) => s >= nIn && (exported[s - nIn] = 1));
  seen.fill(-1);
  const imports = parts.map((part, p) => {
    const read: number[] = [];
    for (const i of part.members) {
      reads(i, (s) => {
        if (s >= nIn && partOf[s - nIn] === p) return;
        if (s >= nIn) exported[s - nIn] = 1;
        if (seen[s] !== p) {
          seen[s] = p;
          read.push(s);
        }
      });
    }
    return Int32Array.from(read).sort();
  });
  const split = new Uint8Array(blocks.length);
  for (const part of parts) if (part.index > 0) split[part.group] = 1;
  const layers = parts.map((part, p): LayerCircuit => {
    const own = part.members.filter((i) => exported[i] === 1);
    const o = origins[part.group] >= 0 ? net.origins[origins[part.group]] : null;
    const what = o ? `${o.op} '${o.name}'` : 'blocks of no source layer (buffers of network inputs that feed several layers)';
    const suffix = split[part.group] ? `_${part.index}` : '';
    const count = (k: number, one: string) => `${k} ${one}${k === 1 ? '' : 's'}`;
    return {
      name: `ohm_layer${part.group}${suffix}`,
      instance: `Xlayer${part.group}${suffix}`,
      comment: [
        `layer ${part.group}${split[part.group] ? ` part ${part.index}` : ''}: ${what}, ${count(part.members.length, 'block')}`,
        `  pins: ${count(imports[p].length, 'net')} read${part.bias ? ', vref' : ''}, ${count(own.length, 'net')} driven`,
      ],
      pins: [...Array.from(imports[p], (s) => signalNet(net, s)), ...(part.bias ? ['vref'] : []), ...own.map((i) => signalNet(net, nIn + i))],
      blocks: part.members,
    };
  });
  let usesVref = parts.some((p) => p.bias);
  for (const i of loose) usesVref ||= r.rBiasPlusOhm[i] !== Infinity;
  return { layers, loose: Int32Array.from(loose), usesVref };
}
