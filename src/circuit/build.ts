// Builds the structured netlist (types.ts) of a realized network: every neuron's circuit as realize/circuit.ts
// defines it, with its element names, plus the reference, supplies, input sources and output taps.
//
// Net names: in<k> inputs, n<i> neuron outputs, n<i>p / n<i>m the op-amp inputs, f<i> the amplifier's linear output
// (where R_f connects), s<i> summator outputs of two-stage neurons, g<i> / f<i>g the gain stage's feedback nodes,
// a<i> its output before a sigmoid/tanh block, vref the bias reference, vdd/vss the supplies of macro op-amps.
//
// Hierarchy: the blocks of each source layer form a subcircuit (ohm_layer<k>, layers.ts groups them), the layers
// and the output taps form the network subcircuit (ohm_network, pins in<k>, out<k>, vref), instantiated once at the
// top level between the input sources VIN<k> and the reference VREF. The nets keep their names inside the
// subcircuits, so v(out<k>), VIN<k> and VREF are where they were in a flat netlist. The rails, the reference and the
// op-amp model's values are global parameters (vrail, vref, opamp_*), used by name.

import { requireRealized } from '../realize/realize.js';
import type { OpampModel } from '../presets/opamps.js';
import { neuronElement as el } from '../realize/circuit.js';
import type { Realized } from '../realize/realize.js';
import { ACT, ACTIVATIONS, neuronLabel, ROLE, ROLES, type TNet } from '../tnet/types.js';
import { BLOCK, BLOCKS } from '../tnet/blocks.js';
import { usageError } from '../errors.js';
import { SM } from '../messages/index.js';
import { MULTIPLIER, MULTIPLIER_CELL, opampCell, opampParams, OPAMP_CELL, SIGMOID, SIGMOID_CELL, TANH, TANH_CELL } from './cells.js';
import { layerCircuits, NETWORK_CELL, PIN_LIMIT, signalNet } from './layers.js';
import type { BlockCircuit, Cell, Circuit, Device, ParamRef, VoltageSource } from './types.js';

export interface CircuitOptions {
  readonly opamp: OpampModel;
  /** A name for the title line. */
  readonly title?: string;
  /** Initial DC values of VIN<k> in physical volts (default 0); engines alter them per sample. */
  readonly inputVoltages?: ArrayLike<number>;
  /** Most pins of one subcircuit (default layers.ts PIN_LIMIT); a wider layer is split into parts. */
  readonly pinLimit?: number;
}

export { signalNet };

/** The global parameters of the rails and the reference (op-amp model values: cells.ts opampParams). */
export const PARAM = { rail: 'vrail', vref: 'vref' } as const;
const RAIL_HI: ParamRef = { param: PARAM.rail };
const RAIL_LO: ParamRef = { param: `-${PARAM.rail}` };

/** Output limits of a neuron's final stage: the activation's, within the rails (the rails by parameter name). */
function limits(net: TNet, i: number, rail: number): [number | ParamRef, number | ParamRef] {
  const a = net.neurons.activation[i];
  if (a === ACT.relu) return [0, RAIL_HI];
  if (a === ACT.clippedRelu) return [0, net.neurons.paramA[i] < rail ? net.neurons.paramA[i] : RAIL_HI];
  return [RAIL_LO, RAIL_HI];
}

/**
 * What a buffer copies: the signal at the root of its fan-out tree (a buffer may copy another buffer of the same
 * tree), named by its net and what it is, e.g. "n5 (neuron 5: compute of Gemm '/l1/Gemm' unit 3)" or
 * "in2 (network input 2)"; then the buffer it copies directly, when that is another buffer.
 */
function bufferSource(net: TNet, i: number): string {
  const n = net.neurons;
  const direct = n.src[n.rowPtr[i]];
  let s = direct;
  while (s >= net.inputCount && n.role[s - net.inputCount] === ROLE.buffer && n.rowPtr[s - net.inputCount + 1] - n.rowPtr[s - net.inputCount] === 1) {
    s = n.src[n.rowPtr[s - net.inputCount]];
  }
  const what = s < net.inputCount ? `network input ${s}` : neuronLabel(net, s - net.inputCount).replace(/^neuron (\d+) \((.*)\)$/, 'neuron $1: $2');
  return `${signalNet(net, s)} (${what})${direct !== s ? ` via buffer ${signalNet(net, direct)}` : ''}`;
}

/** Shortest round-trip text of a number (exact for the float64 value). */
const num = (v: number) => String(v);

/** A multiplier block: one instance of the multiplier cell, k v(a) v(b) within the rails, no resistors. */
function multiplierCircuit(r: Realized, i: number): BlockCircuit {
  const net = r.tnet;
  const n = net.neurons;
  const o = n.origin[i] >= 0 ? net.origins[n.origin[i]] : null;
  const e = n.rowPtr[i];
  const [a, b] = [n.src[e], n.src[e + 1]].map((s) => signalNet(net, s));
  const comment = `multiplier ${i}: ${ROLES[n.role[i]]}${o ? ` of ${o.op} '${o.name}'` : ''}${n.unit[i] >= 0 ? ` unit ${n.unit[i]}` : ''}, k ${num(n.paramA[i])} x ${a} x ${b}`;
  return { comment, devices: [{ kind: 'X', name: el.summator(i), pins: [a, b, `n${i}`], cell: MULTIPLIER_CELL, params: [['k', n.paramA[i]], ['lo', RAIL_LO], ['hi', RAIL_HI]] }] };
}

/** A block's circuit by its kind. */
function blockCircuit(r: Realized, i: number, rail: number): BlockCircuit {
  const block = r.tnet.neurons.block[i];
  if (block === BLOCK.neuron) return neuronCircuit(r, i, rail);
  if (block === BLOCK.multiplier) return multiplierCircuit(r, i);
  throw usageError(SM.blockWithoutCircuit(BLOCKS[block] ?? String(block), neuronLabel(r.tnet, i)));
}

/** A neuron's circuit: summator, optional gain stage, optional sigmoid/tanh block. */
function neuronCircuit(r: Realized, i: number, rail: number): BlockCircuit {
  const net = r.tnet;
  const n = net.neurons;
  const o = n.origin[i] >= 0 ? net.origins[n.origin[i]] : null;
  const act = ACTIVATIONS[n.activation[i]];
  const actText = act === 'clippedRelu' ? `clipped ReLU (ceiling ${num(n.paramA[i])})` : act === 'sigmoid' || act === 'tanh' ? `${act} (A ${num(n.paramA[i])}, B ${num(n.paramB[i])})` : act;
  // A buffer's origin is the layer it feeds (or none) and its unit an input's index: its comment names the signal it
  // copies instead (issue 10: "buffer of Gemm 'l2' unit 3" read as a copy of l2's unit 3).
  const what = n.role[i] === ROLE.buffer && n.rowPtr[i + 1] - n.rowPtr[i] === 1
    ? `buffer of ${bufferSource(net, i)}${o ? `, feeding ${o.op} '${o.name}'` : ''}`
    : `${ROLES[n.role[i]]}${o ? ` of ${o.op} '${o.name}'` : ''}${n.unit[i] >= 0 ? ` unit ${n.unit[i]}` : ''}`;
  const comment = `neuron ${i}: ${what}, ${actText}, R_f ${num(r.rFeedbackOhm[i])}${r.gain[i] !== 1 ? `, gain stage ${num(r.gain[i])}` : ''}`;
  const d: Device[] = [];
  const p = `n${i}p`;
  const m = `n${i}m`;
  const smooth = act === 'sigmoid' || act === 'tanh';
  const twoStage = r.gain[i] !== 1 || smooth;
  const sum = twoStage ? `s${i}` : `n${i}`;
  d.push({ kind: 'R', name: el.feedback(i), a: `f${i}`, b: m, ohm: r.rFeedbackOhm[i] });
  d.push({ kind: 'R', name: el.ground(i), a: p, b: '0', ohm: r.rFeedbackOhm[i] });
  for (let e = n.rowPtr[i], k = 0; e < n.rowPtr[i + 1]; e++, k++) {
    if (r.rPlusOhm[e] === Infinity) continue;
    const from = signalNet(net, n.src[e]);
    d.push({ kind: 'R', name: el.plus(i, k), a: from, b: p, ohm: r.rPlusOhm[e] });
    d.push({ kind: 'R', name: el.minus(i, k), a: from, b: m, ohm: r.rMinusOhm[e] });
  }
  if (r.rBiasPlusOhm[i] !== Infinity) {
    d.push({ kind: 'R', name: el.biasPlus(i), a: 'vref', b: p, ohm: r.rBiasPlusOhm[i] });
    d.push({ kind: 'R', name: el.biasMinus(i), a: 'vref', b: m, ohm: r.rBiasMinusOhm[i] });
  }
  for (let c = 0; c < r.normPlusCount[i]; c++) d.push({ kind: 'R', name: el.normalizerPlus(i, c), a: p, b: '0', ohm: r.rNormPlusOhm[i] });
  for (let c = 0; c < r.normMinusCount[i]; c++) d.push({ kind: 'R', name: el.normalizerMinus(i, c), a: m, b: '0', ohm: r.rNormMinusOhm[i] });
  const [lo, hi] = limits(net, i, rail);
  if (!twoStage) {
    d.push({ kind: 'X', name: el.summator(i), pins: [p, m, `f${i}`, `n${i}`], cell: OPAMP_CELL, params: [['lo', lo], ['hi', hi]] });
    return { comment, devices: d };
  }
  // Summator stage: linear within the rails; the activation or the gain stage follows.
  d.push({ kind: 'X', name: el.summator(i), pins: [p, m, `f${i}`, sum], cell: OPAMP_CELL, params: [['lo', RAIL_LO], ['hi', RAIL_HI]] });
  let stageOut = sum;
  if (r.gain[i] !== 1) {
    const gOut = smooth ? `a${i}` : `n${i}`;
    d.push({ kind: 'R', name: el.gainA(i), a: `g${i}`, b: '0', ohm: r.rGainAOhm[i] });
    d.push({ kind: 'R', name: el.gainB(i), a: `f${i}g`, b: `g${i}`, ohm: r.rGainBOhm[i] });
    d.push({ kind: 'X', name: el.gainStage(i), pins: [sum, `g${i}`, `f${i}g`, gOut], cell: OPAMP_CELL, params: [['lo', smooth ? RAIL_LO : lo], ['hi', smooth ? RAIL_HI : hi]] });
    stageOut = gOut;
  }
  if (act === 'sigmoid') d.push({ kind: 'X', name: `X${i}s`, pins: [stageOut, `n${i}`], cell: SIGMOID_CELL, params: [['A', n.paramA[i]], ['B', n.paramB[i]]] });
  if (act === 'tanh') d.push({ kind: 'X', name: `X${i}t`, pins: [stageOut, `n${i}`], cell: TANH_CELL, params: [['A', n.paramA[i]], ['B', n.paramB[i]]] });
  return { comment, devices: d };
}

/** The structured netlist of a realized network. */
export function buildCircuit(r: Realized, options: CircuitOptions): Circuit {
  requireRealized(r);
  const net = r.tnet;
  const n = net.neurons;
  const rail = net.railV ?? 5;
  const macro = options.opamp.kind === 'macro';
  const usesSigmoid = n.activation.includes(ACT.sigmoid);
  const usesTanh = n.activation.includes(ACT.tanh);
  const multipliers = n.block.reduce((k, b) => k + (b === BLOCK.multiplier ? 1 : 0), 0);
  for (let i = 0; i < n.count; i++) if (n.block[i] !== BLOCK.neuron && n.block[i] !== BLOCK.multiplier) blockCircuit(r, i, rail);
  const cells: Cell[] = [opampCell(options.opamp), ...(usesSigmoid ? [SIGMOID] : []), ...(usesTanh ? [TANH] : []), ...(multipliers > 0 ? [MULTIPLIER] : [])];
  const supplies: VoltageSource[] = [{ kind: 'V', name: 'VREF', pos: 'vref', neg: '0', dcV: { param: PARAM.vref } }];
  if (macro) supplies.push({ kind: 'V', name: 'VDD', pos: 'vdd', neg: '0', dcV: RAIL_HI }, { kind: 'V', name: 'VSS', pos: 'vss', neg: '0', dcV: RAIL_LO });
  const pinLimit = options.pinLimit ?? PIN_LIMIT;
  const { layers, loose, usesVref } = layerCircuits(r, pinLimit);
  const networkPins = [...Array.from({ length: net.inputCount }, (_, k) => `in${k}`), ...Array.from(net.outputSignal, (_, k) => `out${k}`), ...(usesVref ? ['vref'] : [])];
  const subcircuit = networkPins.length <= pinLimit;
  const header = [
    `${n.count - multipliers} neurons${multipliers > 0 ? `, ${multipliers} multipliers (cell ${MULTIPLIER_CELL}, ideal)` : ''}, ${n.rowPtr[n.count]} connections; resistor set ${r.options.setName}; op-amp model ${options.opamp.kind}; rails +-${rail} V`,
    `inputs: VIN<k> in volts = ${num(net.inputGain)} x model input k; reference VREF = ${num(r.options.vRefV)} V`,
    `outputs: node out<k>; model output k = scale_k x v(out<k>)${net.tail ? `, then a digital ${net.tail.kind} over axes [${net.tail.axes.join(',')}]` : ''}`,
    ...Array.from(net.outputScale, (sc, k) => `  out${k}: scale ${num(sc)}`),
    `hierarchy: one subcircuit per layer (${layers.length}: ohm_layer<k>, instances Xlayer<k>; a layer of more than ${pinLimit} pins in parts ohm_layer<k>_<p>),`,
    subcircuit
      ? `  all in the network subcircuit ${NETWORK_CELL} (pins in<k>, out<k>${usesVref ? ', vref' : ''}), instantiated once at the top level as Xnet`
      : `  at the top level (the network's ${networkPins.length} pins exceed the ${pinLimit} of one subcircuit)`,
    ...(loose.length > 0 ? [`  ${loose.length} neurons too wide for a subcircuit of their own are in the network's body`] : []),
    'parameters: vrail (the rails are +-vrail), vref (the bias reference VREF), opamp_* (the op-amp model)',
  ];
  return {
    title: `ohmnet netlist${options.title ? `: ${options.title}` : ''}`,
    header,
    // Newton must converge to float64-level accuracy, not ngspice's default 0.1%: the neurons are piecewise linear,
    // so once every limiter is on the right segment the next iterate is exact and the tight tolerances cost nothing.
    options: [['reltol', 1e-9], ['vntol', 1e-12], ['abstol', 1e-15]],
    params: [[PARAM.rail, rail], [PARAM.vref, r.options.vRefV], ...opampParams(options.opamp)],
    globals: macro ? ['vdd', 'vss'] : [],
    cells,
    supplies,
    inputs: Array.from({ length: net.inputCount }, (_, k) => ({ kind: 'V', name: `VIN${k}`, pos: `in${k}`, neg: '0', dcV: options.inputVoltages?.[k] ?? 0 })),
    blockCount: n.count,
    block: (i) => blockCircuit(r, i, rail),
    layers,
    network: {
      name: NETWORK_CELL,
      instance: 'Xnet',
      pins: networkPins,
      subcircuit,
      looseBlocks: loose,
      outputs: Array.from(net.outputSignal, (s, k) => ({ kind: 'V', name: `Vout${k}`, pos: `out${k}`, neg: signalNet(net, s), dcV: 0 })),
    },
  };
}
