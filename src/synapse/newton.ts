/**
 * The operating point of one neuron of a non-linear synapse network (issue 16, C15; Yuzuguler et al., seed 002, Eq. 4
 * and Appendix A).
 *
 * A neuron j's synapses drive its aggregating node: z_j = sum_i F(z_i, w_ij, v_j) (KCL, Eq. 2) and the soma sets the
 * node voltage v_j = H(z_j) (Eq. 3). The loop is solved for v_j as the root of N(v) = v - H(sum_i F(z_i, w_ij, v))
 * by Newton's method, N'(v) = 1 - H'(z) sum_i dF/dv (Eq. 4), starting at Vcc/2 as the seed does.
 *
 * Safeguard (ours; the seed caps the iterations at 5 instead): the root is kept bracketed in the table's voltage range.
 * N is continuous, N(vMin) <= 0 <= N(vMax) whenever H maps into the range, so a Newton step that leaves the bracket (or
 * a non-positive N', which the physical cells never give: dF/dv <= 0 and H' >= 0 make N' >= 1), or one that did not
 * halve the residual, is followed by a bisection step. On the piecewise-linear look-up tables (trilinear F, linear H) Newton is exact once the iterate is in
 * the root's cell, so it stops in a few steps; the bracket makes it converge from anywhere.
 */

import type { SomaPoint, SynapseCurves, SynapsePoint } from './curves.js';

/** Newton settings. */
export interface NewtonOptions {
  /** Stop once |v - H(z)| <= this, volts. */
  readonly toleranceV: number;
  /** Give up after this many updates (the result is then flagged not converged). */
  readonly maxIterations: number;
}

/** Evaluation counters (the seed's interpolation cost: 11 reads, 10 mul/div, 20 add/sub per F; 3, 2, 4 per H). */
export interface EvalCounters {
  synapseEvals: number;
  somaEvals: number;
  sigmaEvals: number;
}

export function newCounters(): EvalCounters {
  return { synapseEvals: 0, somaEvals: 0, sigmaEvals: 0 };
}

/** One neuron's solved operating point. The per-synapse partials are written into the caller's arrays. */
export interface NeuronSolution {
  vV: number;
  zA: number;
  /** H'(z) at the solution, ohms. */
  dVdZ: number;
  /** sum_i dF/dv at the solution, siemens. */
  sumDSdV: number;
  /** The loop factor D = 1 - H'(z) sum_i dF/dv: dz/d(anything entering F) = (dF/d(it)) / D. */
  loop: number;
  /** Newton updates taken (0: Vcc/2 already met the tolerance). */
  iterations: number;
  /** |v - H(z)| at the returned point, volts. */
  residualV: number;
  converged: boolean;
}

export function newSolution(): NeuronSolution {
  return { vV: 0, zA: 0, dVdZ: 0, sumDSdV: 0, loop: 1, iterations: 0, residualV: 0, converged: false };
}

/**
 * Solves one neuron. Inputs: the previous layer's currents zIn[0..n) (the bias input included), the neuron's weights
 * w[wOff + i], and optionally standard-normal mismatch draws xi[xiOff + i] (the synapse current becomes
 * F + sigma(z, w, v) * xi, Eq. 8, with the current spread from the curves at area scale `areaScale`; the Newton slope
 * ignores d sigma / dv, the bracket keeps it convergent). On return dSdZ[dOff + i] and dSdW[dOff + i] hold dF/dz and
 * dF/dw of every synapse at the solution (noise-free partials: the seed's backward pass ignores the noise).
 */
export function solveNeuron(
  curves: SynapseCurves,
  zIn: ArrayLike<number>,
  n: number,
  w: ArrayLike<number>,
  wOff: number,
  xi: ArrayLike<number> | null,
  xiOff: number,
  areaScale: number,
  opts: NewtonOptions,
  dSdZ: Float64Array,
  dSdW: Float64Array,
  dOff: number,
  sp: SynapsePoint,
  hp: SomaPoint,
  counters: EvalCounters,
  out: NeuronSolution,
): NeuronSolution {
  let lo = curves.vRangeV[0];
  let hi = curves.vRangeV[1];
  let v = Math.min(hi, Math.max(lo, curves.vccV / 2));
  let iterations = 0;
  let lastR = Infinity;
  for (;;) {
    let z = 0;
    let sumV = 0;
    for (let i = 0; i < n; i++) {
      curves.synapse(zIn[i]!, w[wOff + i]!, v, sp);
      z += sp.sA;
      sumV += sp.dSdV;
      dSdZ[dOff + i] = sp.dSdZ;
      dSdW[dOff + i] = sp.dSdW;
      if (xi) {
        const x = xi[xiOff + i]!;
        if (x !== 0) z += x * curves.synapseSigmaA(zIn[i]!, w[wOff + i]!, v, areaScale);
      }
    }
    counters.synapseEvals += n;
    if (xi) counters.sigmaEvals += n;
    curves.soma(z, hp);
    counters.somaEvals++;
    const r = v - hp.vV;
    const loop = 1 - hp.dVdZ * sumV;
    const done = Math.abs(r) <= opts.toleranceV;
    if (done || iterations >= opts.maxIterations) {
      out.vV = v;
      out.zA = z;
      out.dVdZ = hp.dVdZ;
      out.sumDSdV = sumV;
      out.loop = loop;
      out.iterations = iterations;
      out.residualV = Math.abs(r);
      out.converged = done;
      return out;
    }
    if (r < 0) lo = v;
    else hi = v;
    let next = v - r / loop;
    // Bisect when Newton leaves the bracket, or when it stalls (the residual did not halve: on piecewise-linear
    // tables Newton can cycle between two cells around a kink, and the noise term's slope is not in N').
    if (!(loop > 0) || !(next > lo && next < hi) || Math.abs(r) > 0.5 * lastR) next = 0.5 * (lo + hi);
    lastR = Math.abs(r);
    v = next;
    iterations++;
  }
}
