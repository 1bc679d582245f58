/**
 * A trained non-linear synapse network (model.ts layout, with bias synapses) as a transistor-level ngspice netlist,
 * and its agreement with the LUT model (issue 16: "SPICE of the trained transistor-level network agrees with the LUT
 * model's class"). The netlist is transistor-netlist.ts's networkCircuit (a WGEN and a synapse per weight, a soma
 * per neuron, the shared ladder) plus the bias synapses it lacks: per layer a constant current source biasA into its
 * own soma (as the inputs are fed) and from it one WGEN + synapse to every neuron of the next layer at the bias
 * weight. One .op per sample (alter of the input sources), in one ngspice run.
 */

import { weightControls, WGEN_TAPS } from './cells.js';
import type { SynapseCurves } from './curves.js';
import { argmax, SynapseModel, type SynapseEncoding, type SynapseNetwork } from './model.js';
import { runNgspiceDeck } from './run-ngspice.js';
import { networkCircuit } from './transistor-netlist.js';

const rail = (b: boolean) => (b ? 'vcc' : '0');

/** The netlist's lines (without analysis) for the first sample's input currents `inputsA`. */
export function trainedNetworkCircuit(net: SynapseNetwork, encoding: SynapseEncoding, inputsA: readonly number[]): string[] {
  const s = net.sizes;
  // transistor-netlist's layout: weights[l][i][j] from neuron i of layer l to neuron j of layer l + 1.
  const cellNet = { layerSizes: s, weights: net.weights.map((w, l) => Array.from({ length: s[l]! }, (_, i) => Array.from({ length: s[l + 1]! }, (_, j) => w[j * (s[l]! + 1) + i]!))) };
  const lines = networkCircuit(cellNet, inputsA);
  const taps = Array.from({ length: WGEN_TAPS }, (_, i) => `t${i}`).join(' ');
  for (let l = 0; l + 1 < s.length; l++) {
    lines.push(`ibias${l} vcc nb${l} ${encoding.biasA}`, `xsomab${l} nb${l} apb${l} vcc soma`);
    for (let j = 0; j < s[l + 1]!; j++) {
      const c = weightControls(net.weights[l]![j * (s[l]! + 1) + s[l]!]!);
      const id = `b${l}_${j}`;
      lines.push(
        `xwg${id} ${taps} ${c.select.map(rail).join(' ')} ${c.select.map((b) => rail(!b)).join(' ')} wa${id} vcc wgen`,
        `xs${id} nb${l} apb${l} wa${id} ${rail(c.enP)} ${rail(!c.enP)} ${rail(c.enN)} ${rail(!c.enN)} n${l + 1}_${j} vcc syn`,
      );
    }
  }
  return lines;
}

export interface SpiceAgreement {
  readonly samples: number;
  /** Samples whose SPICE class (largest output current) equals the LUT model's. */
  readonly classAgreement: number;
  readonly spiceCorrect: number;
  readonly modelCorrect: number;
  /** Largest |z_SPICE - z_model| over output and over hidden neurons, amperes. */
  readonly maxOutputDiffA: number;
  readonly maxHiddenDiffA: number;
  /** Smallest gap between the model's top two output currents, amperes. */
  readonly modelMinMarginA: number;
  readonly netlistLines: number;
}

/** Solves the network for each sample (features in [0, 1]) with ngspice and compares with the LUT model. */
export async function spiceAgreement(curves: SynapseCurves, net: SynapseNetwork, encoding: SynapseEncoding, samples: readonly ArrayLike<number>[], labels: readonly number[], timeoutMs = 1_800_000): Promise<SpiceAgreement> {
  const s = net.sizes;
  const L = s.length - 1;
  const inputsA = samples.map((x) => Array.from(x, (v) => Math.min(1, Math.max(0, v)) * encoding.inputHighA));
  const lines = trainedNetworkCircuit(net, encoding, inputsA[0]!);
  const vecs: string[] = [];
  for (let l = 1; l <= L; l++) for (let j = 0; j < s[l]!; j++) vecs.push(`i(va${l}_${j})`);
  lines.push('.options gmin=1e-12 abstol=1e-14 reltol=1e-4', '.control', 'set wr_singlescale');
  const files: string[] = [];
  inputsA.forEach((x, k) => {
    x.forEach((v, j) => lines.push(`alter iin${j} dc = ${v}`));
    lines.push('op', `wrdata op${k}.txt ${vecs.join(' ')}`);
    files.push(`op${k}.txt`);
  });
  lines.push('quit', '.endc', '.end');
  const out = await runNgspiceDeck(`network ${s.join('-')}`, lines.join('\n') + '\n', files, timeoutMs);
  const model = new SynapseModel(curves, s, encoding, { toleranceV: 1e-9, maxIterations: 50 });
  let agree = 0;
  let spiceCorrect = 0;
  let modelCorrect = 0;
  let maxOut = 0;
  let maxHidden = 0;
  let margin = Infinity;
  out.forEach((rows, k) => {
    const r = rows[0]!;
    const zOut = model.forward(net, samples[k]!);
    const spiceOut: number[] = [];
    let at = 1;
    for (let l = 1; l <= L; l++) {
      const zm = model.trace.z[l - 1]!;
      for (let j = 0; j < s[l]!; j++) {
        const zs = r[at++]!;
        const d = Math.abs(zs - zm[j]!);
        if (l === L) {
          maxOut = Math.max(maxOut, d);
          spiceOut.push(zs);
        } else maxHidden = Math.max(maxHidden, d);
      }
    }
    const sorted = [...zOut].sort((a, b) => b - a);
    margin = Math.min(margin, sorted[0]! - sorted[1]!);
    const cs = argmax(spiceOut);
    const cm = argmax(zOut);
    if (cs === cm) agree++;
    if (cs === labels[k]) spiceCorrect++;
    if (cm === labels[k]) modelCorrect++;
  });
  return { samples: out.length, classAgreement: agree, spiceCorrect, modelCorrect, maxOutputDiffA: maxOut, maxHiddenDiffA: maxHidden, modelMinMarginA: margin, netlistLines: lines.length };
}
