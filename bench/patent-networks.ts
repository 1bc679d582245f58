// The patent's recurrent example networks (issue 11, "Targets from the patent"), compiled with N_I = N_O = 100 and
// S = 5, and the counting rules their figures are compared under. Shared by bench/recurrent-patent.ts (which prints
// the figures) and test/lower/patent-networks.test.ts (which pins the two smallest, so a lowering regression shows).
//
// The networks are the committed fixtures fixtures/recurrent/patent_*.onnx (random weights, architectures chosen in
// fixtures/make_recurrent.py: input widths 18, 1, 8 and 13 per step, 20, 600, 30 and 50 ticks). Calibration: the
// fixture's own inputs (3 samples each), which are also the inputs of the exactness check.
//
// Counting rules (ours):
//   summators    rows of block kind `neuron` (a summator with its activation: one op-amp neuron), split by role
//   multipliers  rows of block kind `multiplier`
//   delays       rows of block kind `delay`, by their delay in ticks (paramA)
//   connections  resistor-bearing connections = summator inputs (CSR entries of `neuron` rows; a bias is not a
//                connection). Multiplier inputs (2 each, no resistor: weights fixed at 1) and delay inputs (1 each)
//                are counted separately, never in `connections`.
//   layers       the longest chain of blocks one clock tick must settle through: inputs and delay outputs are held
//                values (depth 0); a summator or multiplier is one more than its deepest source; a delay is no
//                layer (it cuts the loop and the delay line). Counted over every block, so the chain into a state
//                delay counts as well as the chain to the outputs. The input layer is not counted.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importOnnxFile } from '../src/import/onnx.js';
import type { Graph } from '../src/ir/ops.js';
import { BLOCK } from '../src/tnet/blocks.js';
import { evaluateTnet } from '../src/tnet/evaluate.js';
import { tnetStats } from '../src/tnet/stats.js';
import { ROLES, type RoleName, type TNet } from '../src/tnet/types.js';
import { compileGraph, type Compiled } from '../src/transform/pipeline.js';

export const RECURRENT_FIXTURES = join(fileURLToPath(new URL('..', import.meta.url)), 'fixtures', 'recurrent');

/** The patent's figures for one example network (seed-targets.md, C4 "Patent example networks"). */
export interface PatentFigures {
  readonly layers: number;
  readonly neurons: number;
  readonly connections: number;
  /** How the patent states the figures ("~" when it gives a range with an example value). */
  readonly approx: boolean;
}

export interface PatentNetwork {
  readonly key: 'indrnn' | 'capnobase' | 'bms' | 'mosfet';
  readonly fixture: string;
  readonly title: string;
  readonly architecture: string;
  readonly patent: PatentFigures;
}

export const PATENT_NETWORKS: readonly PatentNetwork[] = [
  { key: 'indrnn', fixture: 'patent_indrnn_battery', title: 'IndRNN battery (BMS SOH)', architecture: 'input 18, IndRNN(100) ReLU, Dense(1); 20 ticks', patent: { layers: 4, neurons: 201, connections: 2300, approx: true } },
  { key: 'capnobase', fixture: 'patent_capnobase_ppg', title: 'Capnobase PPG', architecture: 'input 1, Conv1D(16, k = 20) ReLU, 2 x LSTM(24), Dense(24) ReLU, Dense(1); 600 ticks', patent: { layers: 17, neurons: 329, connections: 15448, approx: false } },
  { key: 'bms', fixture: 'patent_bms', title: 'BMS SOC+SOH', architecture: 'input 8, 2 x LSTM(64), Dense(2); 30 ticks', patent: { layers: 9, neurons: 1271, connections: 51776, approx: true } },
  { key: 'mosfet', fixture: 'patent_mosfet', title: 'MOSFET RUL', architecture: 'input 13, 4 x LSTM(64), Dense(64) ReLU, Dense(1); 50 ticks', patent: { layers: 18, neurons: 3137, connections: 123200, approx: true } },
];

/** The compile options of every row: the patent's N_I = N_O = 100 and S = 5. */
export const PATENT_OPTIONS = { fanIn: 100, fanOut: 100, signalLimitV: 5 } as const;

export interface BlockCounts {
  readonly summators: number;
  readonly summatorsByRole: Record<RoleName, number>;
  readonly multipliers: number;
  readonly delays: number;
  /** Delays by their delay in ticks: {1: n} when every delay is a unit delay. */
  readonly delaysByTicks: Record<number, number>;
  /** Summator inputs: the resistor-bearing connections. */
  readonly connections: number;
  readonly multiplierInputs: number;
  readonly delayInputs: number;
  /** Summators with a nonzero bias (one bias resistor each; not in `connections`). */
  readonly biases: number;
  /** Longest chain of summators and multipliers within one tick (delays and inputs at depth 0; input layer not counted). */
  readonly layers: number;
  readonly maxFanIn: number;
  readonly maxFanOut: number;
}

/** Depth within one clock tick (see the header): inputs and delay outputs 0, any other block 1 + its deepest source. */
export function tickDepth(net: TNet): number {
  const n = net.neurons;
  const nIn = net.inputCount;
  const depth = new Int32Array(nIn + n.count);
  let max = 0;
  for (let i = 0; i < n.count; i++) {
    if (n.block[i] === BLOCK.delay) continue;
    let d = 0;
    // Sources of a non-delay block come earlier in the topological order (blocks.ts: only a delay reads later).
    for (let e = n.rowPtr[i]; e < n.rowPtr[i + 1]; e++) d = Math.max(d, depth[n.src[e]]);
    depth[nIn + i] = d + 1;
    max = Math.max(max, d + 1);
  }
  return max;
}

export function blockCounts(net: TNet): BlockCounts {
  const n = net.neurons;
  const byRole = Object.fromEntries(ROLES.map((r) => [r, 0])) as Record<RoleName, number>;
  const delaysByTicks: Record<number, number> = {};
  let summators = 0, multipliers = 0, delays = 0, connections = 0, multiplierInputs = 0, delayInputs = 0, biases = 0;
  for (let i = 0; i < n.count; i++) {
    const fanIn = n.rowPtr[i + 1] - n.rowPtr[i];
    if (n.block[i] === BLOCK.neuron) {
      summators++;
      byRole[ROLES[n.role[i]]]++;
      connections += fanIn;
      if (n.bias[i] !== 0) biases++;
    } else if (n.block[i] === BLOCK.multiplier) {
      multipliers++;
      multiplierInputs += fanIn;
    } else {
      delays++;
      delayInputs += fanIn;
      delaysByTicks[n.paramA[i]] = (delaysByTicks[n.paramA[i]] ?? 0) + 1;
    }
  }
  const s = tnetStats(net);
  return { summators, summatorsByRole: byRole, multipliers, delays, delaysByTicks, connections, multiplierInputs, delayInputs, biases, layers: tickDepth(net), maxFanIn: s.maxFanIn, maxFanOut: s.maxFanOut };
}

interface FixtureJson {
  readonly inputs: number[][];
  readonly outputs: number[][];
}

export interface PatentRow {
  readonly network: PatentNetwork;
  /** The imported source graph. */
  readonly graph: Graph;
  readonly compiled: Compiled;
  readonly ticks: number;
  readonly inputWidth: number;
  /** Before the fan-in/fan-out limits (the lowering's logical network). */
  readonly logical: BlockCounts;
  /** The compiled T-network (N_I = N_O = 100, S = 5). */
  readonly final: BlockCounts;
  /** max |T-network - reference| / max |reference| over the fixture's inputs (reference: the fixture's float64 outputs). */
  readonly relError: number;
  readonly samples: number;
  readonly compileSeconds: number;
}

/** Compiles one patent network with N_I = N_O = 100, S = 5 on its fixture inputs and measures it. */
export function buildPatentNetwork(network: PatentNetwork): PatentRow {
  const fx = JSON.parse(readFileSync(join(RECURRENT_FIXTURES, `${network.fixture}.json`), 'utf8')) as FixtureJson;
  const graph = importOnnxFile(join(RECURRENT_FIXTURES, `${network.fixture}.onnx`));
  const t0 = performance.now();
  const compiled = compileGraph(graph, { ...PATENT_OPTIONS, calibration: fx.inputs, verify: true });
  const compileSeconds = (performance.now() - t0) / 1000;
  const got = evaluateTnet(compiled.tnet, fx.inputs).outputs;
  let err = 0;
  let scale = 0;
  fx.outputs.forEach((ref, k) => ref.forEach((v, j) => {
    err = Math.max(err, Math.abs(got[k][j] - v));
    scale = Math.max(scale, Math.abs(v));
  }));
  return {
    network, graph, compiled, ticks: compiled.tnet.clock?.ticks ?? 1, inputWidth: compiled.tnet.inputCount,
    logical: blockCounts(compiled.logical), final: blockCounts(compiled.tnet),
    relError: err / scale, samples: fx.inputs.length, compileSeconds,
  };
}

/**
 * The patent's own neuron-counting rules as far as they can be reconstructed, each an exact match for one example
 * (none fits all four): the rule's value on our network, for every network.
 */
export const PATENT_NEURON_RULES: readonly { readonly name: string; readonly fits: string; readonly value: (r: PatentRow) => number }[] = [
  { name: 'summators before the fan limits', fits: 'Capnobase 329', value: (r) => r.logical.summators },
  { name: 'summators + delays before the fan limits', fits: 'IndRNN 201', value: (r) => r.logical.summators + r.logical.delays },
  { name: 'summators + pyramid partial sums + multipliers (no buffers, no delays)', fits: 'MOSFET 3,137', value: (r) => r.logical.summators + r.final.summatorsByRole.partialSum + r.final.multipliers },
  { name: 'summators + multipliers before the fan limits ("OP3 neurons and multipliers")', fits: 'none', value: (r) => r.logical.summators + r.logical.multipliers },
];

/** Stages of a delay line of `ticks` ticks built from the patent's delay periods 10, 5 and 1 (largest first). */
export function delayStages(ticks: number, periods: readonly number[] = [10, 5, 1]): number[] {
  const out: number[] = [];
  let left = ticks;
  for (const p of periods) while (left >= p) {
    out.push(p);
    left -= p;
  }
  return out;
}

/**
 * The patent's layer count as far as it can be reconstructed (a per-source-layer sum that fits BMS 9 = 2 x 4 + 1 and
 * MOSFET 18 = 4 x 4 + 2 at once, so the input layer is not counted and fan-in/fan-out tree levels are not counted):
 * LSTM 4, Dense 1, RNN 1, Conv1D over time 1 plus its delay line in series built of the patent's 1/5/10-tick delays
 * (K - 1 = 19 ticks = 10 + 5 + 1 + 1 + 1 + 1: 6 stages, which gives Capnobase's 17). Returns the sum and its terms.
 */
export function patentLayerRule(graph: Graph): { value: number; terms: string[] } {
  const terms: string[] = [];
  let value = 0;
  for (const n of graph.nodes) {
    if (n.kind === 'recurrent') {
      const v = n.cell === 'lstm' ? 4 : 1;
      value += v;
      terms.push(`${n.cell.toUpperCase()} ${v}`);
    } else if (n.kind === 'dense') {
      value += 1;
      terms.push('Dense 1');
    } else if (n.kind === 'conv') {
      const k = n.weight.shape[n.weight.shape.length - 1];
      const stages = delayStages(k - 1);
      value += 1 + stages.length;
      terms.push(`Conv1D 1 + delays ${stages.join('+')} (${stages.length})`);
    }
  }
  return { value, terms };
}

/** Candidate connection-counting rules (the patent does not state its own; none reproduces all four figures). */
export const PATENT_CONNECTION_RULES: readonly { readonly name: string; readonly value: (r: PatentRow) => number }[] = [
  { name: 'summator inputs before the fan limits', value: (r) => r.logical.connections },
  { name: 'summator inputs after the fan limits (ours)', value: (r) => r.final.connections },
  { name: 'summator inputs + biases, before the fan limits', value: (r) => r.logical.connections + r.logical.biases },
  { name: 'every block input (summators, multipliers, delays), before the fan limits', value: (r) => r.logical.connections + r.logical.multiplierInputs + r.logical.delayInputs },
];
