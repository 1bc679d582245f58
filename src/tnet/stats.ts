// Counts and extents of a T-network for reports: blocks by kind, summing neurons by role and activation (a multiplier or
// a delay is a block, not a neuron: counted in `blocks` only), connections, fan-in/fan-out, depth.

import { signalDepths } from './compact.js';
import { ACTIVATIONS, ROLES, type ActivationName, type RoleName, type TNet } from './types.js';
import { BLOCK, BLOCKS, type BlockName } from './blocks.js';
import { fanOutCounts } from './verify.js';

export interface TnetStats {
  /** Neuron layers: the depth of the deepest output (inputs are layer 0, not counted). */
  readonly layers: number;
  /** Summing neurons (blocks of kind neuron). */
  readonly neurons: number;
  /** Rows by block kind: summing neurons, multipliers, delays. */
  readonly blocks: Record<BlockName, number>;
  readonly neuronsByKind: Record<RoleName, number>;
  readonly neuronsByActivation: Record<ActivationName, number>;
  readonly connections: number;
  readonly maxFanIn: number;
  readonly maxFanOut: number;
}

export function tnetStats(net: TNet): TnetStats {
  const n = net.neurons;
  const byRole = Object.fromEntries(ROLES.map((r) => [r, 0])) as Record<RoleName, number>;
  const byAct = Object.fromEntries(ACTIVATIONS.map((a) => [a, 0])) as Record<ActivationName, number>;
  const blocks = Object.fromEntries(BLOCKS.map((b) => [b, 0])) as Record<BlockName, number>;
  let maxFanIn = 0;
  for (let i = 0; i < n.count; i++) {
    blocks[BLOCKS[n.block[i]]]++;
    if (n.block[i] === BLOCK.neuron) {
      byRole[ROLES[n.role[i]]]++;
      byAct[ACTIVATIONS[n.activation[i]]]++;
    }
    maxFanIn = Math.max(maxFanIn, n.rowPtr[i + 1] - n.rowPtr[i]);
  }
  const depth = signalDepths(net);
  let layers = 0;
  for (const s of net.outputSignal) layers = Math.max(layers, depth[s]);
  const fo = fanOutCounts(net);
  let maxFanOut = 0;
  for (const c of fo) maxFanOut = Math.max(maxFanOut, c);
  return { layers, neurons: blocks.neuron, blocks, neuronsByKind: byRole, neuronsByActivation: byAct, connections: n.rowPtr[n.count], maxFanIn, maxFanOut };
}
