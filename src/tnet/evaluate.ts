// The T-network interpreter: every block settles to its function of its sources (a summing neuron to
// act(sum w x + b)), clipped to the supply rails; one forward sweep per sample, or per clock tick of a clocked
// network (delays read their source's value from earlier ticks; a multiplier multiplies its two sources). Samples are evaluated together, signal-major (all samples of one signal are contiguous), in the row order
// of each block, so the arithmetic per sample is the same as a one-sample sweep. Blocks are read through their block
// code (blocks.ts).

import { API_MESSAGES as AM } from '../messages/index.js';
import { checkTnetShape } from './verify.js';
import { inputError } from '../errors.js';
import { TNET_MESSAGES as TNM } from '../messages/index.js';
import { softmax } from '../ir/kernels.js';
import { reportCall } from '../util/instrument.js';
import { BLOCK, BLOCKS } from './blocks.js';
import { ACT, analogLength, sampleLength, type TNet } from './types.js';

export interface TnetEvalOptions {
  /** Override the weights (same CSR layout), e.g. realized resistor-pair weights. */
  readonly weight?: Float64Array;
  /** Override the biases. */
  readonly bias?: Float64Array;
  /** Clip every neuron output to +-rails (default: the network's railV; null disables). */
  readonly railV?: number | null;
  /**
   * The amplifier stages' output limits of the realized circuit (circuit/build.ts) instead of the T-network's
   * activation-then-rails: each op-amp output stays headroomV inside its limits (a macro op-amp's swing). ReLU
   * [h, S-h], clipped ReLU [h, min(A, S)-h], identity [-S+h, S-h], and a sigmoid/tanh block's input (the stages
   * before it) within +-(S-h); S is the rail (railV above). Absent: the T-network's semantics.
   */
  readonly swing?: { readonly headroomV: number };
  /** Collect per-signal extrema (for the signal-limit pass and reports). */
  readonly collectStats?: boolean;
  /**
   * Called after each clock tick's sweep with every signal's value (signal-major: signal s of sample k at
   * `values[s * samples + k]`, inputs then neurons); the buffer is reused by the next tick.
   */
  readonly onTick?: (tick: number, values: Float64Array, samples: number) => void;
}

export interface SignalStats {
  /** Per signal (inputs then neurons): min and max output over the samples (inputs: physical voltage). */
  readonly min: Float64Array;
  readonly max: Float64Array;
  /** Per neuron: max |pre-activation| (the summator output before the activation). */
  readonly preMaxAbs: Float64Array;
  /** Number of neuron outputs (over all samples) driven beyond a rail by more than 1e-12 relative (then clipped). */
  readonly railHits: number;
  /** The neuron that exceeded the rails by the most before clipping, and by how much (0 if none). */
  readonly worstRailExcess: { neuron: number; excessV: number };
}

export interface TnetEvaluation {
  /** Per sample, the analog outputs times their readout scales: the network's value in source units. */
  readonly analog: Float64Array[];
  /** Per sample, the final outputs (the digital tail, e.g. softmax, applied to `analog`). */
  readonly outputs: Float64Array[];
  readonly stats?: SignalStats;
}

/** An activation code of the ACT table. */
type ActCode = (typeof ACT)[keyof typeof ACT];

/**
 * One activation applied to a pre-activation value. The switch is exhaustive over ACT: a new code fails to compile
 * here until it has a rule. A code outside ACT cannot come from a verified network (verifyTnet rejects it), so it is a
 * bug, not an input error, and must not silently become one of the known functions.
 */
export function applyTnetActivation(code: number, a: number, b: number, v: number): number {
  const c = code as ActCode;
  switch (c) {
    case ACT.identity:
      return v;
    case ACT.relu:
      return v > 0 ? v : 0;
    case ACT.clippedRelu:
      return v < 0 ? 0 : v > a ? a : v;
    case ACT.sigmoid:
      return a / (1 + Math.exp(-b * v));
    case ACT.tanh:
      return a * Math.tanh(b * v);
    case ACT.eluNeg: {
      const x = b * v;
      return x > 0 ? 0 : a * Math.expm1(x);
    }
    case ACT.softplus: {
      // log(1 + exp(x)) without overflow: x + log1p(exp(-x)) for x > 0.
      const x = b * v;
      return a * (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));
    }
    case ACT.softsign: {
      const x = b * v;
      return (a * x) / (1 + Math.abs(x));
    }
  }
  const unknown: never = c;
  throw new Error(`the evaluator has no rule for activation code ${String(unknown)}`);
}

/** An activation as the circuit's amplifier stages realize it: limits narrowed by headroom h within the rails. */
function swingActivation(code: number, a: number, b: number, v: number, rail: number, h: number): number {
  const clamp = (x: number, lo: number, hi: number) => (x < lo ? lo : x > hi ? hi : x);
  switch (code) {
    case ACT.relu:
      return clamp(v, h, rail - h);
    case ACT.clippedRelu:
      return clamp(v, h, (a < rail ? a : rail) - h);
    default:
      // identity: the limits; sigmoid/tanh: the block's input is the limited output of the stages before it.
      return applyTnetActivation(code, a, b, clamp(v, h - rail, rail - h));
  }
}

/**
 * The digital side of the network: output voltages (one per analog output) times their readout scales give the
 * analog outputs in model units, and the digital tail (a final softmax), if any, gives the final outputs.
 */
export function readout(net: TNet, volts: ArrayLike<number>): { analog: Float64Array; output: Float64Array } {
  const nOut = net.outputSignal.length;
  const analog = Float64Array.from(volts, (v, k) => net.outputScale[k % nOut] * v);
  return { analog, output: finalOutputs(net, analog) };
}

/** The digital tail (a final softmax), if any, applied to analog outputs in model units. */
export function finalOutputs(net: TNet, analog: Float64Array): Float64Array {
  return net.tail ? softmax(analog, net.outputShape, net.tail.axes) : analog;
}

export function evaluateTnet(net: TNet, samples: readonly ArrayLike<number>[], options: TnetEvalOptions = {}): TnetEvaluation {
  checkTnetShape(net);
  if (!Array.isArray(samples)) throw inputError(AM.badArgument('evaluateTnet', 'an array of samples'));
  reportCall({ call: 'tnet', target: net, samples, overridden: options.weight !== undefined || options.bias !== undefined });
  const S = samples.length;
  const n = net.neurons;
  const nIn = net.inputCount;
  const weight = options.weight ?? n.weight;
  const bias = options.bias ?? n.bias;
  const rail = options.railV === undefined ? net.railV : options.railV;
  const swing = options.swing;
  const ticks = net.clock?.ticks ?? 1;
  const readTicks = net.clock?.readTicks ?? [0];
  const want = sampleLength(net);
  for (let k = 0; k < S; k++) {
    if (samples[k].length !== want) throw inputError(TNM.sampleLength(k, samples[k].length, want));
  }
  const vals = new Float64Array((nIn + n.count) * S);
  const stats = options.collectStats;
  const preMaxAbs = stats ? new Float64Array(n.count) : null;
  const min = stats ? new Float64Array(nIn + n.count).fill(Infinity) : null;
  const max = stats ? new Float64Array(nIn + n.count).fill(-Infinity) : null;
  let railHits = 0;
  let worst = { neuron: -1, excessV: 0 };
  const acc = new Float64Array(S);
  const nOut = net.outputSignal.length;
  const analog = Array.from({ length: S }, () => new Float64Array(analogLength(net)));
  let read = 0;
  // Delays: a ring of their source's values over the last paramA ticks, per sample.
  const delays: number[] = [];
  for (let i = 0; i < n.count; i++) {
    const block = n.block[i];
    if (block === BLOCK.delay) delays.push(i);
    else if (block !== BLOCK.neuron && block !== BLOCK.multiplier) throw new Error(`the evaluator has no rule for block kind ${BLOCKS[block] ?? block}`);
  }
  const history = delays.map((i) => new Float64Array(n.paramA[i] * S));
  // Clips one block output to the rails, counting real excursions, and stores it.
  const put = (i: number, k: number, y: number): void => {
    if (preMaxAbs && Math.abs(y) > preMaxAbs[i] && n.block[i] !== BLOCK.neuron) preMaxAbs[i] = Math.abs(y);
    if (rail !== null && (y > rail || y < -rail)) {
      // A signal scaled to exactly S may round one ulp over: clip it, but count only real excursions.
      const excess = Math.abs(y) - rail;
      if (excess > rail * 1e-12) {
        railHits++;
        if (excess > worst.excessV) worst = { neuron: i, excessV: excess };
      }
      y = y > 0 ? rail : -rail;
    }
    vals[(nIn + i) * S + k] = y;
  };
  for (let t = 0; t < ticks; t++) {
    for (let k = 0; k < S; k++) {
      const x = samples[k];
      for (let j = 0; j < nIn; j++) vals[j * S + k] = net.inputGain * x[t * nIn + j];
    }
    // A delay's output at tick t depends only on earlier ticks: every delay settles before the sweep.
    delays.forEach((i, d) => {
      const steps = n.paramA[i];
      const valid = t - steps >= n.paramB[i];
      const w = weight[n.rowPtr[i]];
      const slot = ((t - steps) % steps) * S;
      for (let k = 0; k < S; k++) put(i, k, valid ? w * history[d][slot + k] : bias[i]);
    });
    for (let i = 0; i < n.count; i++) {
      const block = n.block[i];
      if (block === BLOCK.delay) continue;
      if (block === BLOCK.multiplier) {
        const e = n.rowPtr[i];
        const a0 = n.src[e] * S;
        const a1 = n.src[e + 1] * S;
        const c = n.paramA[i];
        for (let k = 0; k < S; k++) put(i, k, c * vals[a0 + k] * vals[a1 + k]);
        continue;
      }
      acc.fill(bias[i]);
      for (let e = n.rowPtr[i]; e < n.rowPtr[i + 1]; e++) {
        const w = weight[e];
        const base = n.src[e] * S;
        for (let k = 0; k < S; k++) acc[k] += w * vals[base + k];
      }
      const code = n.activation[i];
      const a = n.paramA[i];
      const b = n.paramB[i];
      for (let k = 0; k < S; k++) {
        const v = acc[k];
        if (preMaxAbs && Math.abs(v) > preMaxAbs[i]) preMaxAbs[i] = Math.abs(v);
        put(i, k, swing ? swingActivation(code, a, b, v, rail ?? Infinity, swing.headroomV) : applyTnetActivation(code, a, b, v));
      }
    }
    delays.forEach((i, d) => {
      const base = n.src[n.rowPtr[i]] * S;
      const slot = (t % n.paramA[i]) * S;
      history[d].set(vals.subarray(base, base + S), slot);
    });
    if (min && max) {
      for (let s = 0; s < nIn + n.count; s++) {
        let lo = min[s];
        let hi = max[s];
        for (let k = 0; k < S; k++) {
          const v = vals[s * S + k];
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        min[s] = lo;
        max[s] = hi;
      }
    }
    options.onTick?.(t, vals, S);
    if (read < readTicks.length && readTicks[read] === t) {
      for (let k = 0; k < S; k++) for (let o = 0; o < nOut; o++) analog[k][read * nOut + o] = net.outputScale[o] * vals[net.outputSignal[o] * S + k];
      read++;
    }
  }
  const outputs = analog.map((y) => finalOutputs(net, y));
  if (!min || !max) return { analog, outputs };
  if (S === 0) {
    min.fill(0);
    max.fill(0);
  }
  return { analog, outputs, stats: { min, max, preMaxAbs: preMaxAbs!, railHits, worstRailExcess: worst } };
}
