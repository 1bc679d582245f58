/**
 * The network model of a non-linear synapse circuit (issue 16, C15; Yuzuguler et al., seed 002, Eqs. 1-6 and 8).
 *
 * Layers of synapses and somas: neuron j of layer l sums the currents of its synapses on its aggregating node,
 * z_j = sum_i F(z_i, w_ij, v_j) (Eqs. 1-2), and its soma sets v_j = H(z_j) (Eq. 3); the pair is solved per neuron by
 * Newton's method (newton.ts, Eq. 4). The next layer's synapses take z_j as their input (the soma mirrors it), so the
 * "activation" passed between layers is the aggregated current. The last layer's aggregated currents, divided by
 * `currentScaleA` (the seed's 50e-6), are the logits.
 *
 * Input encoding (ours; the seed does not say): each feature x in [0, 1] (the sample files hold min-max scaled
 * features) becomes the input current z = x * inputHighA, an input soma's aggregated current in the table's z range.
 * Features outside [0, 1] are clamped. Each neuron has one extra synapse whose input current is the constant biasA
 * ("For a bias, the input current is constant"): its weight level is the bias.
 *
 * Backward (exact, ours): with D_j = 1 - H'(z_j) sum_i dF_ij/dv_j the loop factor, the implicit function theorem on
 * z_j - sum_i F(z_i, w_ij, H(z_j)) = 0 gives dz_j/dw_ij = (dF_ij/dw) / D_j and dz_j/dz_i = (dF_ij/dz) / D_j. So with
 * delta_j = dC/dz_j:  delta_i^{l-1} = sum_j (delta_j / D_j) dF_ij/dz  (the seed's Eq. 5, which keeps the factor) and
 * dC/dw_ij = (delta_j / D_j) dF_ij/dw. The seed's Eq. 6 prints dC/dw_ij = delta_j dF_ij/dw without 1/D_j: exact only
 * where dF/dv = 0. It is kept here as gradient 'eq6' for comparison (test/synapse/model-gradient.test.ts shows it
 * fails the finite-difference check); 'exact' is the default.
 *
 * Mismatch (Eq. 8): s~ = F + sigma(z, w, v) * xi with xi ~ N(0, 1) per synapse and sigma the SPICE Monte Carlo current
 * spread at that point (SynapseCurves.synapseSigmaA). During training xi is drawn afresh per sample and pass (the
 * seed's regularizer); a Monte Carlo "chip" draws xi once per synapse and keeps it for every sample (a chip's
 * mismatch is fixed). The backward pass ignores the noise, as the seed does. Soma mismatch is not modelled (the seed
 * sizes the somas large for that reason; the curves carry no soma spread).
 */

import type { SomaPoint, SynapseCurves, SynapsePoint } from './curves.js';
import { newCounters, newSolution, solveNeuron, type EvalCounters, type NewtonOptions, type NeuronSolution } from './newton.js';

/** A network of non-linear synapses: layer l has sizes[l+1] neurons, each with sizes[l] synapses and one bias synapse. */
export interface SynapseNetwork {
  /** Neurons per layer, inputs first: [4, 10, 10, 3] for the seed's Iris network. */
  readonly sizes: readonly number[];
  /** weights[l][j * (sizes[l] + 1) + i]: weight level of neuron j's synapse from input i; i = sizes[l] is the bias. */
  readonly weights: Float64Array[];
}

/** How sample features become currents and where the logits come from. */
export interface SynapseEncoding {
  /** Input current of a feature equal to 1, amperes (x in [0, 1] -> x * inputHighA). */
  readonly inputHighA: number;
  /** The constant input current of every bias synapse, amperes. */
  readonly biasA: number;
  /** Logits = last layer's aggregated currents / currentScaleA (seed: 50e-6). */
  readonly currentScaleA: number;
}

/** One sample's forward pass: every layer's solved nodes and the partials the backward pass needs. */
export interface ForwardTrace {
  /** inputs[l]: the currents into layer l's synapses (sizes[l] values and the bias current). */
  readonly inputs: Float64Array[];
  /** z[l], v[l], loop[l]: layer l's aggregated currents, node voltages and loop factors D_j. */
  readonly z: Float64Array[];
  readonly v: Float64Array[];
  readonly loop: Float64Array[];
  /** dSdZ[l], dSdW[l]: per synapse (laid out as the weights), noise-free, at the solved point. */
  readonly dSdZ: Float64Array[];
  readonly dSdW: Float64Array[];
  /** Newton figures of this pass: the largest iteration count and residual over all neurons, and non-converged ones. */
  maxIterations: number;
  maxResidualV: number;
  totalIterations: number;
  unconverged: number;
}

export type GradientKind = 'exact' | 'eq6';

/** Scratch state of one model (no allocation per sample). */
export class SynapseModel {
  readonly curves: SynapseCurves;
  readonly sizes: readonly number[];
  readonly encoding: SynapseEncoding;
  readonly newton: NewtonOptions;
  readonly counters: EvalCounters = newCounters();
  private readonly sp: SynapsePoint = { sA: 0, dSdZ: 0, dSdW: 0, dSdV: 0 };
  private readonly hp: SomaPoint = { vV: 0, dVdZ: 0 };
  private readonly sol: NeuronSolution = newSolution();
  readonly trace: ForwardTrace;
  /** delta[l][j] = dC/dz_j of layer l (scratch of the backward pass). */
  private readonly delta: Float64Array[];

  constructor(curves: SynapseCurves, sizes: readonly number[], encoding: SynapseEncoding, newton: NewtonOptions) {
    this.curves = curves;
    this.sizes = sizes;
    this.encoding = encoding;
    this.newton = newton;
    const L = sizes.length - 1;
    const per = (f: (l: number) => number) => Array.from({ length: L }, (_, l) => new Float64Array(f(l)));
    this.trace = {
      inputs: per((l) => sizes[l]! + 1),
      z: per((l) => sizes[l + 1]!),
      v: per((l) => sizes[l + 1]!),
      loop: per((l) => sizes[l + 1]!),
      dSdZ: per((l) => sizes[l + 1]! * (sizes[l]! + 1)),
      dSdW: per((l) => sizes[l + 1]! * (sizes[l]! + 1)),
      maxIterations: 0,
      maxResidualV: 0,
      totalIterations: 0,
      unconverged: 0,
    };
    this.delta = per((l) => sizes[l + 1]!);
  }

  /** Synapses per layer (bias included), the layout of weights[l] and of a noise draw. */
  synapseCount(l: number): number {
    return this.sizes[l + 1]! * (this.sizes[l]! + 1);
  }

  /**
   * Forward pass of one sample (features x). `xi[l]` (optional) holds a standard-normal draw per synapse of layer l:
   * the mismatch noise at area scale `areaScale`. Returns the logits' source, the last layer's z (owned by the trace).
   */
  forward(net: SynapseNetwork, x: ArrayLike<number>, xi: readonly Float64Array[] | null = null, areaScale = 1): Float64Array {
    const t = this.trace;
    t.maxIterations = 0;
    t.maxResidualV = 0;
    t.totalIterations = 0;
    t.unconverged = 0;
    const L = this.sizes.length - 1;
    const in0 = t.inputs[0]!;
    const n0 = this.sizes[0]!;
    for (let i = 0; i < n0; i++) in0[i] = Math.min(1, Math.max(0, x[i]!)) * this.encoding.inputHighA;
    in0[n0] = this.encoding.biasA;
    for (let l = 0; l < L; l++) {
      const nIn = this.sizes[l]! + 1;
      const nOut = this.sizes[l + 1]!;
      const zIn = t.inputs[l]!;
      const w = net.weights[l]!;
      const z = t.z[l]!;
      for (let j = 0; j < nOut; j++) {
        const s = solveNeuron(this.curves, zIn, nIn, w, j * nIn, xi ? xi[l]! : null, j * nIn, areaScale, this.newton, t.dSdZ[l]!, t.dSdW[l]!, j * nIn, this.sp, this.hp, this.counters, this.sol);
        z[j] = s.zA;
        t.v[l]![j] = s.vV;
        t.loop[l]![j] = s.loop;
        t.totalIterations += s.iterations;
        if (s.iterations > t.maxIterations) t.maxIterations = s.iterations;
        if (s.residualV > t.maxResidualV) t.maxResidualV = s.residualV;
        if (!s.converged) t.unconverged++;
      }
      if (l + 1 < L) {
        const next = t.inputs[l + 1]!;
        next.set(z);
        next[nOut] = this.encoding.biasA;
      }
    }
    return t.z[L - 1]!;
  }

  /**
   * Backward pass of the last forward pass: `dLdZ` is dC/dz of the last layer's aggregated currents; adds dC/dw into
   * `grad` (laid out as the weights). 'exact' includes the loop factor 1/D_j in the weight gradient; 'eq6' is the
   * seed's Eq. 6 as printed (no 1/D_j there; Eq. 5's factor kept for the deltas).
   */
  backward(dLdZ: ArrayLike<number>, grad: Float64Array[], kind: GradientKind = 'exact'): void {
    const t = this.trace;
    const L = this.sizes.length - 1;
    const last = this.delta[L - 1]!;
    for (let j = 0; j < this.sizes[L]!; j++) last[j] = dLdZ[j]!;
    for (let l = L - 1; l >= 0; l--) {
      const nInReal = this.sizes[l]!;
      const nIn = nInReal + 1;
      const nOut = this.sizes[l + 1]!;
      const g = this.delta[l]!;
      const prev = l > 0 ? this.delta[l - 1]! : null;
      if (prev) prev.fill(0);
      const dZ = t.dSdZ[l]!;
      const dW = t.dSdW[l]!;
      const gl = grad[l]!;
      const loop = t.loop[l]!;
      for (let j = 0; j < nOut; j++) {
        const e = g[j]! / loop[j]!;
        const eW = kind === 'exact' ? e : g[j]!;
        const off = j * nIn;
        for (let i = 0; i < nIn; i++) gl[off + i] += eW * dW[off + i]!;
        if (prev) for (let i = 0; i < nInReal; i++) prev[i] += e * dZ[off + i]!;
      }
    }
  }
}

/** Softmax cross-entropy of logits z / scale against `label`; writes dC/dz into dLdZ and returns the loss. */
export function softmaxCrossEntropy(z: ArrayLike<number>, scaleA: number, label: number, dLdZ: Float64Array): number {
  const n = dLdZ.length;
  let max = -Infinity;
  for (let k = 0; k < n; k++) max = Math.max(max, z[k]! / scaleA);
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const e = Math.exp(z[k]! / scaleA - max);
    dLdZ[k] = e;
    sum += e;
  }
  for (let k = 0; k < n; k++) dLdZ[k] = (dLdZ[k]! / sum - (k === label ? 1 : 0)) / scaleA;
  return -(z[label]! / scaleA - max - Math.log(sum));
}

/** Index of the largest output (the first on a tie). */
export function argmax(z: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < z.length; k++) if (z[k]! > z[best]!) best = k;
  return best;
}

/** An all-zero gradient laid out as the network's weights. */
export function zeroGradient(sizes: readonly number[]): Float64Array[] {
  return Array.from({ length: sizes.length - 1 }, (_, l) => new Float64Array(sizes[l + 1]! * (sizes[l]! + 1)));
}
