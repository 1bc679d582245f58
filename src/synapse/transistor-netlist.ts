// A network of the non-linear synapse cells as one transistor-level ngspice netlist (issue 16; seed 002 Fig. 1a):
// input currents as current sources into the input somas, one WGEN (on the shared reference ladder) and one synapse
// per weight, one soma per neuron; a 0 V source in series with each soma reads the neuron's aggregated current z.
// `spiceNetworkOutputs` solves the operating point for each input sample in one ngspice run (`alter` the inputs,
// `op`, write) and returns every layer's currents; `spiceNetworkTransient` runs a step between two inputs for the
// delay and the supply current (docs/benchmarks.md "Non-linear synapses").

import { inputError } from '../errors.js';
import { SYNAPSE_MESSAGES as YM } from '../messages/synapse.js';
import { cellsText, pelgromSigmaV, SYNAPSE_DEVICES, SYNAPSE_MISMATCH_DEVICES, VCC_V, WEIGHT_LEVELS, weightControls, WGEN_TAPS } from './cells.js';
import { Rng } from '../util/random.js';
import { LADDER_LINE } from './characterize.js';
import { runNgspiceDeck } from './run-ngspice.js';

/** A network of the cells: layer sizes (inputs first) and integer weight levels, weights[l][i][j] from neuron i of
 * layer l to neuron j of layer l + 1. */
export interface CellNetwork {
  readonly layerSizes: readonly number[];
  readonly weights: readonly (readonly (readonly number[])[])[];
}

const rail = (b: boolean) => (b ? 'vcc' : '0');

/** Checks the shape and that every weight is a level of the cells (one-line errors). */
export function checkCellNetwork(net: CellNetwork): void {
  const s = net.layerSizes;
  if (s.length < 2 || s.some((n) => !Number.isInteger(n) || n < 1)) throw inputError(YM.badLayers('give at least two layer sizes, whole numbers >= 1'));
  if (net.weights.length !== s.length - 1) throw inputError(YM.badLayers(`${s.length} layer sizes need ${s.length - 1} weight matrices, got ${net.weights.length}`));
  net.weights.forEach((m, l) => {
    if (m.length !== s[l] || m.some((row) => row.length !== s[l + 1])) throw inputError(YM.badLayers(`weight matrix ${l} must be ${s[l]} x ${s[l + 1]}`));
    for (const row of m) for (const w of row) if (!WEIGHT_LEVELS.includes(w)) throw inputError(YM.badWeight(w, WEIGHT_LEVELS));
  });
}

/** Node names: layer l's neuron j drives (or, for l = 0, is fed at) n{l}_{j}; its soma sits at s{l}_{j}. */
const node = (l: number, j: number) => `n${l}_${j}`;
const somaNode = (l: number, j: number) => (l === 0 ? node(0, j) : `s${l}_${j}`);

/** Device mismatch of one simulated chip: each synapse's four DC devices get threshold shifts drawn with Pelgrom's
 * sigma (A_VT = 3 mV um) for devices scaled in area by `areaScale` (sigma / sqrt(areaScale)), seeded. */
export interface ChipMismatch {
  readonly seed: number;
  readonly areaScale?: number;
}

/** The network's circuit (without analysis): cells, supply, ladder, input sources at `inputsA`, the neurons; with
 * `mismatch`, one chip's threshold shifts on every synapse (drawn in the order layer, source neuron, target neuron). */
export function networkCircuit(net: CellNetwork, inputsA: readonly number[], mismatch?: ChipMismatch): string[] {
  checkCellNetwork(net);
  const rng = mismatch ? new Rng(mismatch.seed) : undefined;
  const sig = SYNAPSE_MISMATCH_DEVICES.map((n) => pelgromSigmaV(SYNAPSE_DEVICES.find((d) => d.name === n)!) / Math.sqrt(mismatch?.areaScale ?? 1));
  const s = net.layerSizes;
  if (inputsA.length !== s[0]) throw inputError(YM.badLayers(`an input sample needs ${s[0]} currents, got ${inputsA.length}`));
  const lines = [`* ohmnet: transistor-level network ${s.join('-')} of the non-linear synapse cells`, cellsText().trimEnd(), `vcc vcc 0 ${VCC_V}`, LADDER_LINE];
  const taps = Array.from({ length: WGEN_TAPS }, (_, i) => `t${i}`).join(' ');
  inputsA.forEach((x, j) => lines.push(`iin${j} vcc ${node(0, j)} ${x}`, `xsoma0_${j} ${node(0, j)} ap0_${j} vcc soma`));
  // Draws in a fixed order (layer, source, target), independent of how the lines are emitted.
  const shifts = rng ? net.weights.map((m) => m.map((row) => row.map(() => sig.map((sd) => Number((sd * rng.normal()).toPrecision(6)))))) : undefined;
  for (let l = 1; l < s.length; l++) {
    for (let j = 0; j < s[l]; j++) {
      lines.push(`va${l}_${j} ${node(l, j)} ${somaNode(l, j)} 0`, `xsoma${l}_${j} ${somaNode(l, j)} ap${l}_${j} vcc soma`);
      for (let i = 0; i < s[l - 1]; i++) {
        const w = net.weights[l - 1][i][j];
        const c = weightControls(w);
        const id = `${l}_${i}_${j}`;
        // The decoder's outputs are logic levels: the rails.
        lines.push(
          `xwg${id} ${taps} ${c.select.map(rail).join(' ')} ${c.select.map((b) => rail(!b)).join(' ')} wa${id} vcc wgen`,
          `xs${id} ${somaNode(l - 1, i)} ap${l - 1}_${i} wa${id} ${rail(c.enP)} ${rail(!c.enP)} ${rail(c.enN)} ${rail(!c.enN)} ${node(l, j)} vcc syn${
            shifts ? ` params: ${SYNAPSE_MISMATCH_DEVICES.map((n, k) => `dv${n}=${shifts[l - 1][i][j][k]}`).join(' ')}` : ''
          }`,
        );
      }
    }
  }
  return lines;
}

/** Every layer's aggregated currents (A) for one sample: z[0] the inputs, z[L] the outputs. */
export interface NetworkCurrents {
  readonly z: number[][];
  /** Supply current drawn from vcc, A (static: the cells' DC current). */
  readonly supplyA: number;
}

const OPTIONS = '.options gmin=1e-12 abstol=1e-14 reltol=1e-4';

/** The .op deck of the network for a list of samples (one `alter` + `op` + `wrdata op<k>.txt` per sample): the
 * transistor-level netlist of a trained network, runnable as `ngspice -b deck.cir`. Each op<k>.txt holds one row: a
 * dummy scale, then i(va<l>_<j>) for every layer l >= 1 and neuron j (the aggregated currents, A), then i(vcc). */
export function networkOpDeck(net: CellNetwork, samplesA: readonly (readonly number[])[], mismatch?: ChipMismatch): { deck: string; files: string[]; vectors: string[] } {
  if (samplesA.length === 0) throw inputError(YM.badLayers('give at least one input sample'));
  for (const x of samplesA) for (const v of x) if (!(v >= 0 && v <= 1e-3)) throw inputError(YM.badInputCurrent(v, 1e-3));
  const s = net.layerSizes;
  const lines = networkCircuit(net, samplesA[0], mismatch);
  const vecs: string[] = [];
  for (let l = 1; l < s.length; l++) for (let j = 0; j < s[l]; j++) vecs.push(`i(va${l}_${j})`);
  vecs.push('i(vcc)');
  lines.push(OPTIONS, '.control', 'set wr_singlescale');
  const files: string[] = [];
  samplesA.forEach((x, k) => {
    if (x.length !== s[0]) throw inputError(YM.badLayers(`an input sample needs ${s[0]} currents, got ${x.length}`));
    x.forEach((v, j) => lines.push(`alter iin${j} dc = ${v}`));
    lines.push('op', `wrdata op${k}.txt ${vecs.join(' ')}`);
    files.push(`op${k}.txt`);
  });
  lines.push('quit', '.endc', '.end');
  return { deck: lines.join('\n') + '\n', files, vectors: vecs };
}

/** The operating point of the network for each sample, in one ngspice run. */
export async function spiceNetworkOutputs(net: CellNetwork, samplesA: readonly (readonly number[])[], timeoutMs = 600_000, mismatch?: ChipMismatch): Promise<NetworkCurrents[]> {
  if (samplesA.length === 0) return [];
  const s = net.layerSizes;
  const { deck, files, vectors: vecs } = networkOpDeck(net, samplesA, mismatch);
  const out = await runNgspiceDeck(`network ${s.join('-')}`, deck, files, timeoutMs);
  return out.map((rows, k) => {
    const r = rows[0];
    if (!r || r.length !== 1 + vecs.length) throw inputError(YM.ngspiceOutput(`network ${s.join('-')}`, `sample ${k}: ${r?.length ?? 0} values, expected ${1 + vecs.length}`));
    const z: number[][] = [[...samplesA[k]]];
    let at = 1;
    for (let l = 1; l < s.length; l++) z.push(Array.from({ length: s[l] }, () => r[at++]));
    return { z, supplyA: -r[at] };
  });
}

/** A step between two input samples: outputs and supply current over time. */
export interface NetworkStep {
  readonly timeS: number[];
  /** Output layer currents over time, [neuron][time]. */
  readonly outputsA: number[][];
  readonly supplyA: number[];
}

/**
 * .tran of the network: inputs at `fromA` until `stepAtS`, then (with a 10 ps edge) at `toA`, for `stopS`, printed
 * every `printS` (the delay of docs/benchmarks.md).
 */
export async function spiceNetworkTransient(
  net: CellNetwork,
  fromA: readonly number[],
  toA: readonly number[],
  o: { stepAtS: number; stopS: number; printS: number },
  timeoutMs = 600_000,
): Promise<NetworkStep> {
  const s = net.layerSizes;
  const lines = networkCircuit(net, fromA).map((l) => {
    const m = /^iin(\d+) vcc (\S+) /.exec(l);
    if (!m) return l;
    const j = Number(m[1]);
    return `iin${j} vcc ${m[2]} pwl(0 ${fromA[j]} ${o.stepAtS} ${fromA[j]} ${o.stepAtS + 1e-11} ${toA[j]})`;
  });
  const L = s.length - 1;
  const vecs = [...Array.from({ length: s[L] }, (_, j) => `i(va${L}_${j})`), 'i(vcc)'];
  lines.push(OPTIONS, '.control', 'set wr_singlescale', `tran ${o.printS} ${o.stopS} 0 ${o.printS}`, `linearize ${vecs.join(' ')}`, `wrdata tran.txt ${vecs.join(' ')}`, 'quit', '.endc', '.end');
  const [rows] = await runNgspiceDeck(`network ${s.join('-')} step`, lines.join('\n') + '\n', ['tran.txt'], timeoutMs);
  return {
    timeS: rows.map((r) => r[0]),
    outputsA: Array.from({ length: s[L] }, (_, j) => rows.map((r) => r[1 + j])),
    supplyA: rows.map((r) => -r[1 + s[L]]),
  };
}
