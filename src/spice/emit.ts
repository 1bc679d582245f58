// Netlist emission (SPEC C7, patent FIG. 18 / FIG. 24D and "Example Process for Generating Schematic Models"): the
// realized T-network as an ngspice netlist. Every neuron is a differential summing amplifier: its weight resistor
// pairs, bias pair to VREF, feedback and ground resistors R_f, normalizing resistor, and an op-amp instance whose
// output limits realize the activation (ReLU: lo = 0; clipped ReLU: hi = ceiling; otherwise the rails). Sigmoid and
// tanh neurons add a block A/(1+exp(-B v)) or A tanh(B v) after the summator; a weight-reduction gain stage is a
// non-inverting amplifier. One .subckt per block kind; comments map every neuron to its source layer and unit.
//
// Conventions (SPEC "Interfaces"): inputs are sources VIN<k> whose DC value is the last token of their line, in
// physical volts (inputGain x model input); the analog outputs are nodes out<k> (model output k = readout scale x
// v(out<k>), listed in the header); the bias reference is VREF. Node names: in<k> inputs, n<i> neuron outputs,
// n<i>p / n<i>m the op-amp inputs, f<i> the amplifier's linear output (where R_f connects), s<i> summator outputs of
// two-stage neurons, g<i> / f<i>g the gain stage's feedback nodes, a<i> its output before a sigmoid/tanh block.

import type { Realized } from '../realize/realize.js';
import { ACT, ACTIVATIONS, ROLES, type TNet } from '../tnet/types.js';
import { writeLines } from '../io/stream.js';
import { opampSubckt, type OpampModel } from './models.js';

export interface NetlistOptions {
  readonly opamp: OpampModel;
  /** A name for the title line. */
  readonly title?: string;
  /** Initial DC values of VIN<k> in physical volts (default 0); engines alter them per sample. */
  readonly inputVoltages?: ArrayLike<number>;
}

/** Shortest round-trip text of a number (exact for the float64 value). */
function num(v: number): string {
  return String(v);
}

function nodeOf(net: TNet, signal: number): string {
  return signal < net.inputCount ? `in${signal}` : `n${signal - net.inputCount}`;
}

/** Output limits of a neuron's final stage: the activation's, within the rails. */
function limits(net: TNet, i: number, rail: number): [number, number] {
  const a = net.neurons.activation[i];
  if (a === ACT.relu) return [0, rail];
  if (a === ACT.clippedRelu) return [0, Math.min(net.neurons.paramA[i], rail)];
  return [-rail, rail];
}

/** The netlist as text (for SPICE runs of networks that fit in memory). */
export function emitNetlist(r: Realized, options: NetlistOptions): string {
  return `${Array.from(netlistLines(r, options)).join('\n')}\n`;
}

/** Writes the netlist to a file line by line (a MobileNet-sized netlist does not fit in one string). */
export function writeNetlist(path: string, r: Realized, options: NetlistOptions): void {
  writeLines(path, netlistLines(r, options));
}

/** The netlist, one line at a time. */
export function* netlistLines(r: Realized, options: NetlistOptions): Generator<string> {
  const net = r.tnet;
  const n = net.neurons;
  const rail = net.railV ?? 5;
  const usesSigmoid = Array.prototype.some.call(n.activation, (a: number) => a === ACT.sigmoid);
  const usesTanh = Array.prototype.some.call(n.activation, (a: number) => a === ACT.tanh);
  const macro = options.opamp.kind === 'macro';

  yield* [`* ohmnet netlist${options.title ? `: ${options.title}` : ''}`];
  yield* [`* ${n.count} neurons, ${n.rowPtr[n.count]} connections; resistor set ${r.options.setName}; op-amp model ${options.opamp.kind}; rails +-${rail} V`];
  yield* [`* inputs: VIN<k> in volts = ${num(net.inputGain)} x model input k; reference VREF = ${num(r.options.vRefV)} V`];
  yield* [`* outputs: node out<k>; model output k = scale_k x v(out<k>)${net.tail ? `, then a digital ${net.tail.kind} over axes [${net.tail.axes.join(',')}]` : ''}`];
  for (let k = 0; k < net.outputSignal.length; k++) yield* [`*   out${k}: scale ${num(net.outputScale[k])}`];
  // Newton must converge to float64-level accuracy, not ngspice's default 0.1%: the neurons are piecewise linear, so
  // once every limiter is on the right segment the next iterate is exact and the tight tolerances cost nothing.
  yield* ['.options reltol=1e-9 vntol=1e-12 abstol=1e-15'];
  if (macro) yield* ['.global vdd vss'];
  yield* [...opampSubckt(options.opamp)];
  if (usesSigmoid) {
    yield* ['* sigmoid block A/(1+exp(-B v)) (patent FIG. 22, behavioural)'];
    yield* ['.subckt ohm_sigmoid in out params: A=1 B=1', 'Bsig out 0 V = {A}/(1+exp(-{B}*v(in)))', '.ends ohm_sigmoid'];
  }
  if (usesTanh) {
    yield* ['* tanh block A tanh(B v) (patent FIG. 23, behavioural)'];
    yield* ['.subckt ohm_tanh in out params: A=1 B=1', 'Btanh out 0 V = {A}*tanh({B}*v(in))', '.ends ohm_tanh'];
  }
  yield* [`VREF vref 0 DC ${num(r.options.vRefV)}`];
  if (macro) {
    yield* [`VDD vdd 0 DC ${num(rail)}`];
    yield* [`VSS vss 0 DC ${num(-rail)}`];
  }
  for (let k = 0; k < net.inputCount; k++) yield* [`VIN${k} in${k} 0 DC ${num(options.inputVoltages?.[k] ?? 0)}`];

  for (let i = 0; i < n.count; i++) {
    const o = n.origin[i] >= 0 ? net.origins[n.origin[i]] : null;
    const act = ACTIVATIONS[n.activation[i]];
    const actText = act === 'clippedRelu' ? `clipped ReLU (ceiling ${num(n.paramA[i])})` : act === 'sigmoid' || act === 'tanh' ? `${act} (A ${num(n.paramA[i])}, B ${num(n.paramB[i])})` : act;
    yield* [`* neuron ${i}: ${ROLES[n.role[i]]}${o ? ` of ${o.op} '${o.name}'` : ''}${n.unit[i] >= 0 ? ` unit ${n.unit[i]}` : ''}, ${actText}, R_f ${num(r.rFeedback[i])}${r.gain[i] !== 1 ? `, gain stage ${num(r.gain[i])}` : ''}`];
    const p = `n${i}p`;
    const m = `n${i}m`;
    const twoStage = r.gain[i] !== 1 || act === 'sigmoid' || act === 'tanh';
    const sum = twoStage ? `s${i}` : `n${i}`;
    yield* [`R${i}f f${i} ${m} ${num(r.rFeedback[i])}`];
    yield* [`R${i}g ${p} 0 ${num(r.rFeedback[i])}`];
    for (let e = n.rowPtr[i], k = 0; e < n.rowPtr[i + 1]; e++, k++) {
      if (r.rPlus[e] === Infinity) continue;
      const from = nodeOf(net, n.src[e]);
      yield* [`R${i}p${k} ${from} ${p} ${num(r.rPlus[e])}`];
      yield* [`R${i}m${k} ${from} ${m} ${num(r.rMinus[e])}`];
    }
    if (r.rBiasPlus[i] !== Infinity) {
      yield* [`R${i}bp vref ${p} ${num(r.rBiasPlus[i])}`];
      yield* [`R${i}bm vref ${m} ${num(r.rBiasMinus[i])}`];
    }
    if (r.rNormPlus[i] !== Infinity) yield* [`R${i}n ${p} 0 ${num(r.rNormPlus[i])}`];
    if (r.rNormMinus[i] !== Infinity) yield* [`R${i}n ${m} 0 ${num(r.rNormMinus[i])}`];
    const [lo, hi] = limits(net, i, rail);
    if (!twoStage) {
      yield* [`X${i} ${p} ${m} f${i} n${i} ohm_opamp lo=${num(lo)} hi=${num(hi)}`];
      continue;
    }
    // Summator stage: linear within the rails; the activation or the gain stage follows.
    yield* [`X${i} ${p} ${m} f${i} ${sum} ohm_opamp lo=${num(-rail)} hi=${num(rail)}`];
    let stageOut = sum;
    if (r.gain[i] !== 1) {
      const smooth = act === 'sigmoid' || act === 'tanh';
      const gOut = smooth ? `a${i}` : `n${i}`;
      yield* [`R${i}ga g${i} 0 ${num(r.rGainA[i])}`];
      yield* [`R${i}gb f${i}g g${i} ${num(r.rGainB[i])}`];
      yield* [`X${i}g ${sum} g${i} f${i}g ${gOut} ohm_opamp lo=${num(smooth ? -rail : lo)} hi=${num(smooth ? rail : hi)}`];
      stageOut = gOut;
    }
    if (act === 'sigmoid') yield* [`X${i}s ${stageOut} n${i} ohm_sigmoid A=${num(n.paramA[i])} B=${num(n.paramB[i])}`];
    if (act === 'tanh') yield* [`X${i}t ${stageOut} n${i} ohm_tanh A=${num(n.paramA[i])} B=${num(n.paramB[i])}`];
  }
  // Analog outputs: zero-volt sources tie out<k> to the signal that carries output k.
  for (let k = 0; k < net.outputSignal.length; k++) yield* [`Vout${k} out${k} ${nodeOf(net, net.outputSignal[k])} DC 0`];
  yield '.end';
}
