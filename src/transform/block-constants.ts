// Pass: fixed block constants (patent "basic function blocks", FIGS. 22-23). After the signal-limit pass every
// sigmoid neuron computes a sigma(b v) and every tanh neuron a tanh(b v) with its own a, b. A block of fixed constants
// A, B (a preset, presets/blocks.ts) computes the same function exactly when its summator's weights and bias are
// multiplied by b / B (then B v' = b v) and every reader of its output divides by A / a (the block's output is A / a
// times the neuron's): a summator's weight from it, a multiplier's coefficient, the readout scale; a delay carries the
// scale on to its own readers. A negative A or B is a sign folded the same way. The calibration data is re-run with
// the rails in place to prove the summators still stay within the signal limit (a B much smaller than b needs a
// summator output beyond the rails, and is refused naming the neuron).

import { inputError } from '../errors.js';
import { TRANSFORM_MESSAGES as TM } from '../messages/index.js';
import type { ActivationBlock } from '../presets/blocks.js';
import { BLOCK } from '../tnet/blocks.js';
import { evaluateTnet, type TnetEvaluation } from '../tnet/evaluate.js';
import { ACT, neuronLabel, type TNet } from '../tnet/types.js';
import type { Pass, PassResult } from '../pass/types.js';
import type { VerifyOptions } from '../tnet/verify.js';
import { CALIBRATION_EVALUATION, carryDelayScales, SIGNAL_REPORT, type SignalReport } from './rescale-signals.js';

export interface BlockConstants {
  readonly sigmoid: ActivationBlock | null;
  readonly tanh: ActivationBlock | null;
}

export function fixBlockConstants(net: TNet, blocks: BlockConstants, calibration: readonly ArrayLike<number>[]): PassResult<TNet> & { evaluation?: TnetEvaluation } {
  const n = net.neurons;
  const nIn = net.inputCount;
  if (!blocks.sigmoid && !blocks.tanh) return { value: net, changed: false, notes: [] };
  const gain = new Float64Array(nIn + n.count).fill(1);
  const weight = new Float64Array(n.weight);
  const bias = new Float64Array(n.bias);
  const paramA = new Float64Array(n.paramA);
  const paramB = new Float64Array(n.paramB);
  let changed = 0;
  const target = (i: number): ActivationBlock | null => {
    if (n.block[i] !== BLOCK.neuron) return null;
    if (n.activation[i] === ACT.sigmoid) return blocks.sigmoid;
    if (n.activation[i] === ACT.tanh) return blocks.tanh;
    return null;
  };
  for (let i = 0; i < n.count; i++) {
    const t = target(i);
    if (!t) continue;
    const h = n.paramB[i] / t.slopePerV;
    bias[i] *= h;
    for (let e = n.rowPtr[i]; e < n.rowPtr[i + 1]; e++) weight[e] *= h;
    paramA[i] = t.amplitudeV;
    paramB[i] = t.slopePerV;
    gain[nIn + i] = t.amplitudeV / n.paramA[i];
    changed++;
  }
  carryDelayScales(net, gain);
  for (let i = 0; i < n.count; i++) if (n.block[i] === BLOCK.delay) bias[i] *= gain[nIn + i];
  for (let i = 0; i < n.count; i++) {
    const from = n.rowPtr[i];
    if (n.block[i] === BLOCK.multiplier) {
      paramA[i] = n.paramA[i] / (gain[n.src[from]] * gain[n.src[from + 1]]);
      continue;
    }
    if (n.block[i] === BLOCK.delay) continue;
    for (let e = from; e < n.rowPtr[i + 1]; e++) weight[e] /= gain[n.src[e]];
  }
  const outputScale = net.outputScale.map((sc, k) => sc / gain[net.outputSignal[k]]);
  const value: TNet = { ...net, neurons: { ...n, weight, bias, paramA, paramB }, outputScale };
  // Proof on the calibration data: no summator is driven beyond the rails (its block input stays within S).
  const rail = net.railV;
  const evaluation = evaluateTnet(value, calibration, { collectStats: true });
  if (rail !== null) {
    const st = evaluation.stats!;
    for (let i = 0; i < n.count; i++) {
      if (target(i) && st.preMaxAbs[i] > rail * (1 + 1e-12)) throw inputError(TM.blockConstantsUnmet(neuronLabel(value, i), st.preMaxAbs[i], rail, paramB[i]));
    }
    if (st.railHits > 0) throw inputError(TM.signalLimitUnmet(rail, neuronLabel(value, st.worstRailExcess.neuron), st.worstRailExcess.excessV));
  }
  const what = [blocks.sigmoid ? `sigmoid A = ${blocks.sigmoid.amplitudeV}, B = ${blocks.sigmoid.slopePerV}` : null, blocks.tanh ? `tanh A = ${blocks.tanh.amplitudeV}, B = ${blocks.tanh.slopePerV}` : null].filter(Boolean).join('; ');
  if (changed === 0) return { value: net, changed: false, notes: [] };
  return { value, changed: true, notes: [`block constants (${what}): ${changed} blocks fixed, their weights folded into the neighbours`], evaluation };
}

/** The block-constants pass (after the signal limit: it keeps every summator within S, and proves it on calibration data). */
export function blockConstantsPass(blocks: BlockConstants, guarantees: VerifyOptions): Pass<'tnet', 'tnet'> {
  return {
    name: 'block-constants', from: 'tnet', to: 'tnet', exact: true, guarantees,
    run: (net, ctx) => {
      const r = fixBlockConstants(net, blocks, ctx.calibration);
      if (!r.changed || !r.evaluation) return r;
      // The stages after compilation read the final network's calibration evaluation and signal report.
      ctx.analyses.set(r.value, CALIBRATION_EVALUATION, r.evaluation);
      const before = ctx.analyses.get<SignalReport>(net, SIGNAL_REPORT);
      const st = r.evaluation.stats!;
      let maxAbs = 0;
      for (let s = 0; s < st.min.length; s++) maxAbs = Math.max(maxAbs, Math.abs(st.min[s]), Math.abs(st.max[s]));
      if (before) ctx.analyses.set(r.value, SIGNAL_REPORT, { ...before, maxAbsSignalV: Math.min(maxAbs, r.value.railV ?? maxAbs) });
      return { value: r.value, changed: r.changed, notes: r.notes };
    },
  };
}
