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
import { ACT, ACTIVATIONS, isSmoothAct, neuronLabel, originLabel, ROLE, ROLES, type TNet } from '../tnet/types.js';
import { BLOCK, BLOCKS } from '../tnet/blocks.js';
import { usageError } from '../errors.js';
import { SM } from '../messages/index.js';
import { CLOCK_HIGH_V, CLOCK_NET, clockTiming, enableNet, enableTicks, tidyTime, validTick, type ClockTiming } from './clock.js';
import { DELAY_OUT, DELAY_OUT_CELL, SAMPLE_HOLD_CELL, SAMPLE_HOLD_PAIR } from './cells.js';
import { noiseGain } from '../realize/circuit.js';
import { signalDepths } from '../tnet/compact.js';
import { ELU_NEG, ELU_NEG_CELL, MULTIPLIER, MULTIPLIER_CELL, opampCell, opampParams, OPAMP_CELL, SIGMOID, SIGMOID_CELL, SOFTPLUS, SOFTPLUS_CELL, SOFTSIGN, SOFTSIGN_CELL, TANH, TANH_CELL } from './cells.js';
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
  const e = n.rowPtr[i];
  const [a, b] = [n.src[e], n.src[e + 1]].map((s) => signalNet(net, s));
  const comment = `multiplier ${i}: ${ROLES[n.role[i]]}${originLabel(r.tnet, i)}, k ${num(n.paramA[i])} x ${a} x ${b}`;
  return { comment, devices: [{ kind: 'X', name: el.summator(i), pins: [a, b, `n${i}`], cell: MULTIPLIER_CELL, params: [['k', n.paramA[i]], ['lo', RAIL_LO], ['hi', RAIL_HI]] }] };
}

/**
 * A delay block of k ticks: k sample-and-hold pairs in a chain (instances X<i>h1 .. X<i>h<k>, nets n<i>h<j>), each
 * clocked by the global clock, and the output cell X<i>: w x the last stage while the enable of the block's first
 * valid tick is high, the initial value (bias) before. No resistors; w and bias are the realized (= nominal) values.
 */
function delayCircuit(r: Realized, i: number): BlockCircuit {
  const net = r.tnet;
  const n = net.neurons;
  const e = n.rowPtr[i];
  const k = n.paramA[i];
  const from = signalNet(net, n.src[e]);
  const what = n.src[e] < net.inputCount ? `network input ${n.src[e]}` : neuronLabel(net, n.src[e] - net.inputCount);
  const v = validTick(net, i);
  const comment = `delay ${i}: ${ROLES[n.role[i]]}${originLabel(r.tnet, i)}, `
    + `${num(r.weight[e])} x ${from} (${what}) ${k} tick${k === 1 ? '' : 's'} earlier, initial value ${num(r.bias[i])} until tick ${v} (enable ${enableNet(v)})`;
  const d: Device[] = [];
  let prev = from;
  for (let j = 1; j <= k; j++) {
    d.push({ kind: 'X', name: `X${i}h${j}`, pins: [prev, `n${i}h${j}`, CLOCK_NET], cell: SAMPLE_HOLD_CELL, params: [] });
    prev = `n${i}h${j}`;
  }
  d.push({ kind: 'X', name: el.summator(i), pins: [prev, enableNet(v), `n${i}`], cell: DELAY_OUT_CELL, params: [['w', r.weight[e]], ['bias', r.bias[i]], ['lo', RAIL_LO], ['hi', RAIL_HI]] });
  return { comment, devices: d };
}

/** A block's circuit by its kind. */
export function blockCircuit(r: Realized, i: number, rail: number): BlockCircuit {
  const block = r.tnet.neurons.block[i];
  if (block === BLOCK.neuron) return neuronCircuit(r, i, rail);
  if (block === BLOCK.multiplier) return multiplierCircuit(r, i);
  if (block === BLOCK.delay) return delayCircuit(r, i);
  throw usageError(SM.blockWithoutCircuit(BLOCKS[block] ?? String(block), neuronLabel(r.tnet, i)));
}

/** A neuron's circuit: summator, optional gain stage, optional sigmoid/tanh block. */
function neuronCircuit(r: Realized, i: number, rail: number): BlockCircuit {
  const net = r.tnet;
  const n = net.neurons;
  const o = n.origin[i] >= 0 ? net.origins[n.origin[i]] : null;
  const act = ACTIVATIONS[n.activation[i]];
  const actText = act === 'clippedRelu' ? `clipped ReLU (ceiling ${num(n.paramA[i])})` : isSmoothAct(n.activation[i]) ? `${act} (A ${num(n.paramA[i])}, B ${num(n.paramB[i])})` : act;
  // A buffer's origin is the layer it feeds (or none) and its unit an input's index: its comment names the signal it
  // copies instead (issue 10: "buffer of Gemm 'l2' unit 3" read as a copy of l2's unit 3).
  const what = n.role[i] === ROLE.buffer && n.rowPtr[i + 1] - n.rowPtr[i] === 1
    ? `buffer of ${bufferSource(net, i)}${o ? `, feeding ${o.op} '${o.name}'` : ''}`
    : `${ROLES[n.role[i]]}${originLabel(r.tnet, i)}`;
  const comment = `neuron ${i}: ${what}, ${actText}, R_f ${num(r.rFeedbackOhm[i])}${r.gain[i] !== 1 ? `, gain stage ${num(r.gain[i])}` : ''}`;
  const d: Device[] = [];
  const p = `n${i}p`;
  const m = `n${i}m`;
  const smooth = isSmoothAct(n.activation[i]);
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
  // Normalizers per side: the copies of the first value, then the second value.
  for (let c = 0; c < r.normPlusCount[i]; c++) d.push({ kind: 'R', name: el.normalizerPlus(i, c), a: p, b: '0', ohm: r.rNormPlusOhm[i] });
  if (r.rNormPlus2Ohm[i] !== Infinity) d.push({ kind: 'R', name: el.normalizerPlus2(i), a: p, b: '0', ohm: r.rNormPlus2Ohm[i] });
  for (let c = 0; c < r.normMinusCount[i]; c++) d.push({ kind: 'R', name: el.normalizerMinus(i, c), a: m, b: '0', ohm: r.rNormMinusOhm[i] });
  if (r.rNormMinus2Ohm[i] !== Infinity) d.push({ kind: 'R', name: el.normalizerMinus2(i), a: m, b: '0', ohm: r.rNormMinus2Ohm[i] });
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
  if (act === 'eluNeg') d.push({ kind: 'X', name: `X${i}e`, pins: [stageOut, `n${i}`], cell: ELU_NEG_CELL, params: [['A', n.paramA[i]], ['B', n.paramB[i]]] });
  if (act === 'softplus') d.push({ kind: 'X', name: `X${i}p`, pins: [stageOut, `n${i}`], cell: SOFTPLUS_CELL, params: [['A', n.paramA[i]], ['B', n.paramB[i]], ['lo', RAIL_LO], ['hi', RAIL_HI]] });
  if (act === 'softsign') d.push({ kind: 'X', name: `X${i}g`, pins: [stageOut, `n${i}`], cell: SOFTSIGN_CELL, params: [['A', n.paramA[i]], ['B', n.paramB[i]]] });
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
  const smoothCells = [...(n.activation.includes(ACT.eluNeg) ? [ELU_NEG] : []), ...(n.activation.includes(ACT.softplus) ? [SOFTPLUS] : []), ...(n.activation.includes(ACT.softsign) ? [SOFTSIGN] : [])];
  const multipliers = n.block.reduce((k, b) => k + (b === BLOCK.multiplier ? 1 : 0), 0);
  for (let i = 0; i < n.count; i++) if (n.block[i] !== BLOCK.neuron && n.block[i] !== BLOCK.multiplier && n.block[i] !== BLOCK.delay) blockCircuit(r, i, rail);
  const isDelay = (i: number) => n.block[i] === BLOCK.delay;
  const delays = n.block.reduce((k, b) => k + (b === BLOCK.delay ? 1 : 0), 0);
  const cells: Cell[] = [opampCell(options.opamp), ...(usesSigmoid ? [SIGMOID] : []), ...(usesTanh ? [TANH] : []), ...smoothCells, ...(multipliers > 0 ? [MULTIPLIER] : []), ...(delays > 0 ? [SAMPLE_HOLD_PAIR, DELAY_OUT] : [])];
  const supplies: VoltageSource[] = [{ kind: 'V', name: 'VREF', pos: 'vref', neg: '0', dcV: { param: PARAM.vref } }];
  if (macro) supplies.push({ kind: 'V', name: 'VDD', pos: 'vdd', neg: '0', dcV: RAIL_HI }, { kind: 'V', name: 'VSS', pos: 'vss', neg: '0', dcV: RAIL_LO });
  const timing = net.clock ? networkTiming(r, options.opamp) : null;
  const enables = net.clock ? enableTicks(net, isDelay) : [];
  if (net.clock && timing) supplies.push(...clockSources(net.clock.ticks, timing, enables));
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
    ...(net.clock && timing ? clockHeader(net.clock.ticks, net.clock.readTicks, timing, enables, delays) : []),
  ];
  return {
    title: `ohmnet netlist${options.title ? `: ${options.title}` : ''}`,
    header,
    // Newton must converge to float64-level accuracy, not ngspice's default 0.1%: the neurons are piecewise linear,
    // so once every limiter is on the right segment the next iterate is exact and the tight tolerances cost nothing.
    // A clocked network's transient: see TRANSIENT_OPTIONS.
    options: net.clock ? TRANSIENT_OPTIONS : [['reltol', 1e-9], ['vntol', 1e-12], ['abstol', 1e-15]],
    params: [[PARAM.rail, rail], [PARAM.vref, r.options.vRefV], ...opampParams(options.opamp)],
    globals: [...(macro ? ['vdd', 'vss'] : []), ...(net.clock ? [CLOCK_NET, ...enables.map(enableNet)] : [])],
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
    timing,
  };
}

/**
 * Simulator options of a clocked network's transient (docs/spice.md "Tolerances"). Gear (BDF2) damps the delay
 * cells' 1 ns hold transients in a few steps even when a step is far longer than that time constant; the trapezoidal
 * default rings there (its step factor tends to -1). trtol scales the truncation-error bound, which would otherwise
 * follow reltol and force picosecond steps after every clock edge (a 3 us run of a 6-tick LSTM did not finish in 60 s
 * at reltol 1e-9): the steps are then set by TMAX (half a tick) and the breakpoints (every edge), and the values at
 * the read times are the settled network's, to Newton's accuracy. Newton's tolerances are 100 times looser than the
 * DC netlist's (1e-9): measured on the recurrent fixtures, reltol 1e-5 to 1e-9 all leave 4e-8 to 1.2e-7 V against the
 * behavioural simulation (the ideal op-amps' finite gain), and 1e-7 takes about 2.5 times less time than 1e-9.
 */
export const TRANSIENT_OPTIONS: readonly (readonly [string, number | string])[] = [['reltol', 1e-7], ['vntol', 1e-10], ['abstol', 1e-13], ['method', 'gear'], ['trtol', 1e6]];

/** The clock timing of a realized clocked network with an op-amp model (clock.ts clockTiming). */
export function networkTiming(r: Realized, opamp: OpampModel): ClockTiming {
  let gain = 1;
  if (opamp.kind === 'macro') for (let i = 0; i < r.tnet.neurons.count; i++) gain = Math.max(gain, noiseGain(r, i));
  let depth = 0;
  for (const d of signalDepths(r.tnet)) depth = Math.max(depth, d);
  return clockTiming(opamp, depth, gain);
}

/**
 * The clock VCLK (low for the first half of every tick, high for the second; it falls at every tick's start) and
 * one enable VEN<v> per first valid tick v of the delays (low for ticks 0 .. v-1 of every sample, high from tick v to
 * the sample's end, its edges one edge after the clock's, as the inputs'; DC 0 when v is beyond the sample).
 */
function clockSources(ticks: number, t: ClockTiming, enables: readonly number[]): VoltageSource[] {
  const e = t.edgeS;
  const out: VoltageSource[] = [{
    kind: 'V', name: 'VCLK', pos: CLOCK_NET, neg: '0', dcV: 0,
    pulse: { lowV: 0, highV: CLOCK_HIGH_V, delayS: tidyTime(t.tickS / 2), riseS: e, fallS: e, widthS: tidyTime(t.tickS / 2 - e), periodS: t.tickS },
  }];
  for (const v of enables) {
    out.push(v >= ticks
      ? { kind: 'V', name: `VEN${v}`, pos: enableNet(v), neg: '0', dcV: 0 }
      : { kind: 'V', name: `VEN${v}`, pos: enableNet(v), neg: '0', dcV: 0, pulse: { lowV: 0, highV: CLOCK_HIGH_V, delayS: tidyTime(v * t.tickS + e), riseS: e, fallS: e, widthS: tidyTime((ticks - v) * t.tickS - e), periodS: tidyTime(ticks * t.tickS) } });
  }
  return out;
}

function clockHeader(ticks: number, readTicks: readonly number[], t: ClockTiming, enables: readonly number[], delays: number): string[] {
  return [
    `clocked: one tick = one period of VCLK (${num(t.tickS)} s; 0 V in the first half, ${CLOCK_HIGH_V} V in the second, edges ${num(t.edgeS)} s); ${ticks} ticks per sample, outputs read at ticks [${readTicks.join(',')}]`,
    `  a run of several samples is their ticks one after another; VIN<k> are piecewise linear, one value per tick (set by the engine or testbench.cir; DC 0 here), ramping from ${num(t.edgeS)} to ${num(2 * t.edgeS)} s into each tick (after the clock has fallen)`,
    `  ${delays} delay${delays === 1 ? '' : 's'} (cells ${SAMPLE_HOLD_CELL} x k ticks, ${DELAY_OUT_CELL}): each output changes at the falling clock edge and holds for one tick;`,
    `  VEN<v> (${enables.length === 0 ? 'none' : enables.map((v) => `VEN${v}`).join(', ')}) is 0 V in ticks 0..v-1 of every sample (a delay valid from tick v outputs its initial value) and ${CLOCK_HIGH_V} V after`,
    `  read v(out<k>) at ${num(t.readS)} s into each tick (global tick g: g x ${num(t.tickS)} + ${num(t.readS)} s)`,
  ];
}
