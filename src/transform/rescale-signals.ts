// Pass: signal limit (patent "signal limit": every signal stays within +-S, S = 5 V in the patent's examples).
// Exact rescaling on calibration data: identity, ReLU and clipped-ReLU neurons are positively homogeneous, so a neuron
// whose output exceeds S gets its input weights and bias multiplied by g = S / max|output| (a clipped ReLU's ceiling
// too) and every consumer divides its weight from that neuron by g: no consumer sees a difference. Sigmoid and tanh
// neurons take the gain of an over-range summator into B, and an amplitude A above S is scaled down the same way.
// Inputs above S are scaled by one input gain (the DAC range); outputs keep a readout scale. Afterwards every neuron
// is rail-limited at S, and the calibration data is re-run with the rails in place to prove no signal reaches beyond
// them. A multiplier k x y takes its output's gain into k; a delay carries its source's scale. That proof run is the T-network's evaluation on the calibration set: the pass leaves it in the analysis
// cache (CALIBRATION_EVALUATION) for the stages that report on the same data.

import { inputError } from '../errors.js';
import { TRANSFORM_MESSAGES as TM } from '../messages/index.js';
import { evaluateTnet, type TnetEvaluation } from '../tnet/evaluate.js';
import { BLOCK } from '../tnet/blocks.js';
import { ACT, isSmoothAct, neuronLabel, type TNet } from '../tnet/types.js';
import type { AnalysisCache, Pass, PassResult } from '../pass/types.js';
import type { VerifyOptions } from '../tnet/verify.js';

/** Analysis key: the network's evaluation (with rails and signal statistics) on the calibration samples. */
export const CALIBRATION_EVALUATION = 'evaluation:calibration';

export interface SignalReport {
  /** Largest |signal| over neurons and inputs on the calibration data, after rescaling (<= S). */
  readonly maxAbsSignalV: number;
  readonly neuronsRescaled: number;
  readonly inputGain: number;
}

function maxAbs(min: Float64Array, max: Float64Array, s: number): number {
  return Math.max(Math.abs(min[s]), Math.abs(max[s]));
}

/**
 * Rescales so every signal stays within +-S on the calibration data, and within S (1 - headroomRel) where the scale
 * comes from data (a margin for unseen inputs whose signals exceed the calibration set's); the rails stay at S.
 */
export function rescaleSignals(net: TNet, calibration: readonly ArrayLike<number>[], limitV: number, headroomRel = 0): PassResult<TNet> & { report: SignalReport; evaluation: TnetEvaluation } {
  const target = limitV * (1 - headroomRel);
  const n = net.neurons;
  const nIn = net.inputCount;
  const ev = evaluateTnet(net, calibration, { railV: null, collectStats: true });
  const st = ev.stats!;
  const gain = new Float64Array(nIn + n.count).fill(1);
  let inputMax = 0;
  for (let s = 0; s < nIn; s++) inputMax = Math.max(inputMax, maxAbs(st.min, st.max, s));
  // Within 1e-12 of the target is within: a network scaled before is not scaled again by a rounding error.
  const over = (v: number) => v > target * (1 + 1e-12);
  const inputGain = over(inputMax) ? (net.inputGain * target) / inputMax : net.inputGain;
  gain.fill(inputGain / net.inputGain, 0, nIn);

  const weight = new Float64Array(n.weight);
  const bias = new Float64Array(n.bias);
  const paramA = new Float64Array(n.paramA);
  const paramB = new Float64Array(n.paramB);
  let rescaled = 0;
  // First every block's output gain g (and a summator's input gain h), then the weights: a delay reads a signal later
  // in the order, so its consumers' weights need gains not yet known in one forward sweep.
  const inGain = new Float64Array(n.count).fill(1);
  const delays: number[] = [];
  for (let i = 0; i < n.count; i++) {
    const code = n.activation[i];
    const out = maxAbs(st.min, st.max, nIn + i);
    // h scales the summator (weights and bias), g the output.
    let h: number;
    let g: number;
    if (n.block[i] === BLOCK.delay) {
      delays.push(i);
      continue;
    } else if (n.block[i] === BLOCK.multiplier) {
      g = over(out) ? target / out : 1;
      h = 1;
    } else if (code === ACT.sigmoid || code === ACT.tanh) {
      const pre = st.preMaxAbs[i];
      h = over(pre) ? target / pre : 1;
      paramB[i] /= h;
      // The amplitude is a bound for every input, not only the calibration data: scale on A itself.
      g = Math.abs(n.paramA[i]) > limitV ? limitV / Math.abs(n.paramA[i]) : 1;
      paramA[i] *= g;
    } else if (isSmoothAct(code)) {
      // eluNeg, softplus, softsign: A f(B v) as sigmoid/tanh, B/h undoes the summator's gain h and A g scales the
      // output exactly (g A f((B/h)(h v)) = g (A f(B v))): none is homogeneous, so h and g are independent. softplus
      // is unbounded above, so its g comes from the output's calibration range; eluNeg and softsign are bounded by |A|
      // for every input, so their g comes from A, as a tanh's.
      const pre = st.preMaxAbs[i];
      h = over(pre) ? target / pre : 1;
      paramB[i] /= h;
      g = code !== ACT.softplus ? (Math.abs(n.paramA[i]) > limitV ? limitV / Math.abs(n.paramA[i]) : 1) : over(out) ? target / out : 1;
      paramA[i] *= g;
    } else {
      g = over(out) ? target / out : 1;
      h = g;
      if (code === ACT.clippedRelu) paramA[i] *= g;
    }
    if (g !== 1 || h !== 1) rescaled++;
    inGain[i] = h;
    gain[nIn + i] = g;
  }
  carryDelayScales(net, gain);
  for (const i of delays) {
    inGain[i] = gain[nIn + i];
    if (gain[nIn + i] !== 1) rescaled++;
  }
  for (let i = 0; i < n.count; i++) {
    const from = n.rowPtr[i];
    if (n.block[i] === BLOCK.multiplier) {
      paramA[i] = (n.paramA[i] * gain[nIn + i]) / (gain[n.src[from]] * gain[n.src[from + 1]]);
      continue;
    }
    const h = inGain[i];
    bias[i] *= h;
    for (let e = from; e < n.rowPtr[i + 1]; e++) weight[e] = (weight[e] * h) / gain[n.src[e]];
  }
  const outputScale = net.outputScale.map((sc, k) => sc / gain[net.outputSignal[k]]);
  const scaled: TNet = { ...net, inputGain, neurons: { ...n, weight, bias, paramA, paramB }, outputScale, railV: limitV };

  // Proof on the calibration data: with the rails in place, no neuron output is driven beyond them (up to float64
  // rounding of S), and no input exceeds S.
  const check = evaluateTnet(scaled, calibration, { collectStats: true });
  const cs = check.stats!;
  let maxSignal = 0;
  let worstInput = -1;
  for (let s = 0; s < nIn + n.count; s++) {
    const v = maxAbs(cs.min, cs.max, s);
    if (v > maxSignal) maxSignal = v;
    if (s < nIn && v > limitV * (1 + 1e-12) && worstInput < 0) worstInput = s;
  }
  if (cs.railHits > 0 || worstInput >= 0) {
    const who = worstInput >= 0 ? `input ${worstInput}` : neuronLabel(scaled, cs.worstRailExcess.neuron);
    const excess = worstInput >= 0 ? maxAbs(cs.min, cs.max, worstInput) - limitV : cs.worstRailExcess.excessV;
    throw inputError(TM.signalLimitUnmet(limitV, who, excess));
  }
  return {
    value: scaled,
    changed: rescaled > 0 || inputGain !== net.inputGain,
    notes: [`signal limit ${limitV} V${headroomRel > 0 ? ` (calibration signals within ${target} V: headroom ${headroomRel})` : ''}: ${rescaled} neurons rescaled, input gain ${inputGain}`],
    report: { maxAbsSignalV: Math.min(maxSignal, limitV), neuronsRescaled: rescaled, inputGain },
    evaluation: check,
  };
}

/**
 * Sets each delay's entry of `gain` (per signal: inputs, then blocks) to its source's: a delay carries its source's
 * scale (a unity sample-and-hold chain stays unity), a chain of delays its root's. Used by every pass that rescales
 * block outputs (the signal limit, fixed block constants).
 */
export function carryDelayScales(net: TNet, gain: Float64Array): void {
  const n = net.neurons;
  const nIn = net.inputCount;
  const root = (i: number, depth: number): number => {
    const s = n.src[n.rowPtr[i]];
    if (s < nIn || n.block[s - nIn] !== BLOCK.delay || depth > n.count) return gain[s];
    return root(s - nIn, depth + 1);
  };
  for (let i = 0; i < n.count; i++) if (n.block[i] === BLOCK.delay) gain[nIn + i] = root(i, 0);
}

/** The signal-limit pass (data-dependent: it scales on the calibration samples of the context). */
export function signalLimitPass(limitV: number, guarantees: VerifyOptions, headroomRel = 0): Pass<'tnet', 'tnet'> {
  return {
    name: 'signal-limit', from: 'tnet', to: 'tnet', exact: true, guarantees,
    run: (net, ctx) => {
      const r = rescaleSignals(net, ctx.calibration, limitV, headroomRel);
      ctx.analyses.set(r.value, CALIBRATION_EVALUATION, r.evaluation);
      ctx.analyses.set(r.value, SIGNAL_REPORT, r.report);
      return { value: r.value, changed: r.changed, notes: r.notes, metrics: { maxAbsSignalV: r.report.maxAbsSignalV, neuronsRescaled: r.report.neuronsRescaled, inputGain: r.report.inputGain } };
    },
  };
}

/** Analysis key: the signal-limit pass's SignalReport of the network it produced. */
export const SIGNAL_REPORT = 'signal-report';

/** The calibration evaluation the signal-limit pass left for `net`, if it produced it. */
export function calibrationEvaluation(analyses: AnalysisCache, net: TNet): TnetEvaluation | undefined {
  return analyses.get<TnetEvaluation>(net, CALIBRATION_EVALUATION);
}
