// The modules of a transformed network (issue 15, C11; the patent's "Example Transformation of Modular Net Structure
// for Generating Libraries", FIGS. 32A-32E): the network cut into its source layers (each a run of consecutive
// T-network rows of one origin: a dense or conv layer, an LSTM's gate chain, a block), each with a topology hash over
// what fixes its neuron (op-amp) cells and their placement: the layer's op, its rows' block kinds and activations,
// fan-ins and connection pattern (a source inside the module by its local index, one outside by its rank among the
// module's distinct outside sources, so the same layer reading another network's previous layer matches), the
// constraints it was transformed and realized under (fan-in and fan-out limits, the resistor set, the largest
// resistance that sizes the lanes) and the process. The weights are not in the hash: they are the resistor cells,
// which a module library never holds for reuse (the patent: only the resistor masks change on retraining).

import { createHash } from 'node:crypto';
import type { ResistorProcess } from '../presets/processes.js';
import type { TNet } from '../tnet/types.js';

/** Version of a module's structure and hash (bumped when either changes meaning). */
export const MODULE_VERSION = 1;

/** What a module was transformed and realized under, beside its structure. */
export interface ModuleConstraints {
  readonly fanIn: number;
  readonly fanOut: number;
  readonly resistors: string;
  readonly rMaxOhm: number;
}

/** A module's T-network: its rows' structure, sources local (>= 0) or outside (-1 - rank among its distinct outside sources). */
export interface ModuleStructure {
  readonly version: number;
  readonly op: string;
  readonly neurons: number;
  /** Distinct signals the module reads from outside it. */
  readonly inputs: number;
  readonly block: number[];
  readonly activation: number[];
  /** Row pointers into `src`, local (rowPtr[0] = 0). */
  readonly rowPtr: number[];
  readonly src: number[];
  readonly constraints: ModuleConstraints;
  readonly process: string;
}

export interface ModuleRun {
  /** Rows [from, to) of the T-network. */
  readonly from: number;
  readonly to: number;
  /** Source layer name ('' for rows of no layer: buffers of network inputs). */
  readonly name: string;
  readonly hash: string;
  /** Name of the module's cell in the masks: M and the hash's first 16 hex digits. */
  readonly cell: string;
  /** The netlist's subcircuit of the layer (ohm_layer<k>), or null when the layer's rows are not one run. */
  readonly subcircuit: string | null;
  readonly structure: ModuleStructure;
}

/** The cell name of a module. */
export const moduleCell = (hash: string) => `M${hash.slice(0, 16)}`;

/** The name of row i's source layer ('' for none): what the masks' placement bands follow. */
export function layerName(net: TNet, i: number): string {
  const o = net.neurons.origin[i];
  return o >= 0 ? net.origins[o].name : '';
}

/**
 * Cuts the network into modules: runs of consecutive rows of one source layer name (the masks' layer bands), with
 * their structure and topology hash. `constraintsOf` gives a layer's constraints (a layer may set its own).
 */
export function networkModules(net: TNet, process: ResistorProcess, constraintsOf: (layer: string) => ModuleConstraints): ModuleRun[] {
  const n = net.neurons;
  const nIn = net.inputCount;
  // The netlist's layer subcircuits: one per origin in order of first appearance (circuit/layers.ts).
  const groupOfOrigin = new Map<number, number>();
  const runsOfOrigin = new Map<number, number>();
  for (let i = 0; i < n.count; i++) {
    if (!groupOfOrigin.has(n.origin[i])) groupOfOrigin.set(n.origin[i], groupOfOrigin.size);
    if (i === 0 || n.origin[i] !== n.origin[i - 1]) runsOfOrigin.set(n.origin[i], (runsOfOrigin.get(n.origin[i]) ?? 0) + 1);
  }
  const out: ModuleRun[] = [];
  let from = 0;
  for (let i = 1; i <= n.count; i++) {
    if (i < n.count && layerName(net, i) === layerName(net, from)) continue;
    out.push(moduleOf(net, nIn, from, i, process, constraintsOf(layerName(net, from)), groupOfOrigin, runsOfOrigin));
    from = i;
  }
  return out;
}

function moduleOf(net: TNet, nIn: number, from: number, to: number, process: ResistorProcess, constraints: ModuleConstraints, groupOfOrigin: Map<number, number>, runsOfOrigin: Map<number, number>): ModuleRun {
  const n = net.neurons;
  const outside = new Set<number>();
  for (let e = n.rowPtr[from]; e < n.rowPtr[to]; e++) {
    const s = n.src[e];
    if (s < nIn + from || s >= nIn + to) outside.add(s);
  }
  const rank = new Map([...outside].sort((a, b) => a - b).map((s, k) => [s, k]));
  const src: number[] = [];
  const rowPtr: number[] = [0];
  for (let i = from; i < to; i++) {
    for (let e = n.rowPtr[i]; e < n.rowPtr[i + 1]; e++) {
      const s = n.src[e];
      src.push(rank.has(s) ? -1 - rank.get(s)! : s - nIn - from);
    }
    rowPtr.push(src.length);
  }
  const o = n.origin[from];
  const structure: ModuleStructure = {
    version: MODULE_VERSION,
    op: o >= 0 ? net.origins[o].op : '',
    neurons: to - from,
    inputs: outside.size,
    block: [...n.block.subarray(from, to)],
    activation: [...n.activation.subarray(from, to)],
    rowPtr,
    src,
    constraints,
    process: process.name,
  };
  const hash = createHash('sha256').update(JSON.stringify({ structure, process })).digest('hex');
  // A layer split into several runs (rows of other layers between them) has no subcircuit of its own rows.
  const subcircuit = runsOfOrigin.get(o) === 1 ? `ohm_layer${groupOfOrigin.get(o)!}` : null;
  return { from, to, name: layerName(net, from), hash, cell: moduleCell(hash), subcircuit, structure };
}
