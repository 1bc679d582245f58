// Pass: signal limit (patent "signal limit": every signal stays within +-S, S = 5 V in the patent's examples).
// Exact rescaling on calibration data: identity, ReLU and clipped-ReLU neurons are positively homogeneous, so a neuron
// whose output exceeds S gets its input weights and bias multiplied by g = S / max|output| (a clipped ReLU's ceiling
// too) and every consumer divides its weight from that neuron by g: no consumer sees a difference. Sigmoid and tanh
// neurons take the gain of an over-range summator into B, and an amplitude A above S is scaled down the same way.
// Inputs above S are scaled by one input gain (the DAC range); outputs keep a readout scale. Afterwards every neuron
// is rail-limited at S, and the calibration data is re-run to prove no signal reaches beyond the rails.

import { inputError } from '../errors.js';
import { evaluateTnet } from '../simulate/evaluate.js';
import { ACT, neuronLabel, type TNet } from '../tnet/types.js';
import type { PassResult } from '../lower/fold-batchnorm.js';

export interface SignalReport {
  /** Largest |signal| over neurons and inputs on the calibration data, after rescaling (<= S). */
  readonly maxAbsSignalV: number;
  readonly neuronsRescaled: number;
  readonly inputGain: number;
}

function maxAbs(min: Float64Array, max: Float64Array, s: number): number {
  return Math.max(Math.abs(min[s]), Math.abs(max[s]));
}

export function rescaleSignals(net: TNet, calibration: readonly ArrayLike<number>[], limitV: number): PassResult<TNet> & { report: SignalReport } {
  const n = net.neurons;
  const nIn = net.inputCount;
  const ev = evaluateTnet(net, calibration, { railV: null, collectStats: true });
  const st = ev.stats!;
  const gain = new Float64Array(nIn + n.count).fill(1);
  let inputMax = 0;
  for (let s = 0; s < nIn; s++) inputMax = Math.max(inputMax, maxAbs(st.min, st.max, s));
  const inputGain = inputMax > limitV ? (net.inputGain * limitV) / inputMax : net.inputGain;
  gain.fill(inputGain / net.inputGain, 0, nIn);

  const weight = new Float64Array(n.weight);
  const bias = new Float64Array(n.bias);
  const paramA = new Float64Array(n.paramA);
  const paramB = new Float64Array(n.paramB);
  let rescaled = 0;
  for (let i = 0; i < n.count; i++) {
    const code = n.activation[i];
    const out = maxAbs(st.min, st.max, nIn + i);
    // h scales the summator (weights and bias), g the output.
    let h: number;
    let g: number;
    if (code === ACT.sigmoid || code === ACT.tanh) {
      const pre = st.preMaxAbs[i];
      h = pre > limitV ? limitV / pre : 1;
      paramB[i] /= h;
      // The amplitude is a bound for every input, not only the calibration data: scale on A itself.
      g = n.paramA[i] > limitV ? limitV / n.paramA[i] : 1;
      paramA[i] *= g;
    } else {
      g = out > limitV ? limitV / out : 1;
      h = g;
      if (code === ACT.clippedRelu) paramA[i] *= g;
    }
    if (g !== 1 || h !== 1) rescaled++;
    bias[i] *= h;
    for (let e = n.rowPtr[i]; e < n.rowPtr[i + 1]; e++) weight[e] = (weight[e] * h) / gain[n.src[e]];
    gain[nIn + i] = g;
  }
  const outputScale = net.outputScale.map((sc, k) => sc / gain[net.outputSignal[k]]);
  const scaled: TNet = { ...net, inputGain, neurons: { ...n, weight, bias, paramA, paramB }, outputScale, railV: limitV };

  // Proof on the calibration data: with rails in place, nothing reaches them (up to float64 rounding of S).
  const check = evaluateTnet(scaled, calibration, { railV: null, collectStats: true }).stats!;
  let maxSignal = 0;
  let worst = -1;
  for (let s = 0; s < nIn + n.count; s++) {
    const v = maxAbs(check.min, check.max, s);
    if (v > maxSignal) {
      maxSignal = v;
      worst = s;
    }
  }
  if (maxSignal > limitV * (1 + 1e-12)) {
    const who = worst < nIn ? `input ${worst}` : neuronLabel(scaled, worst - nIn);
    throw inputError(`the signal limit ${limitV} V cannot be met: ${who} reaches ${maxSignal.toPrecision(6)} V, ${(maxSignal - limitV).toPrecision(3)} V over; raise --signal-limit`);
  }
  return {
    value: scaled,
    changed: rescaled > 0 || inputGain !== net.inputGain,
    notes: [`signal limit ${limitV} V: ${rescaled} neurons rescaled, input gain ${inputGain}`],
    report: { maxAbsSignalV: Math.min(maxSignal, limitV), neuronsRescaled: rescaled, inputGain },
  };
}
