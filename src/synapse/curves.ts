/**
 * The contract between a non-linear synapse's characterization and the network model trained on it (issue 16, C15;
 * Yuzuguler et al., seed 002, Eqs. 1-3 and 8).
 *
 * A synapse's DC output current is `s = F(z, w, v)`: z is the previous layer's aggregated current (the current the
 * previous soma mirrors into the synapse), w the weight (a discrete level of the weight generator; non-integer values
 * are interpolated between levels, which the backward pass needs for dF/dw), v the voltage of the node the synapse
 * drives (the next soma's input node). A soma turns its aggregated current into that node voltage: `v = H(z)`.
 *
 * Units: currents in amperes, voltages in volts, w in weight-level units (integers are the levels). Implementations:
 * the SPICE look-up tables (`lut.ts`, trilinear F, linear H) and, in tests only, analytic surrogates.
 */

/** F and its partial derivatives at one point (written into a caller's object: the training loop calls this in its
 * inner loop and must not allocate). */
export interface SynapsePoint {
  /** F(z, w, v), amperes. */
  sA: number;
  /** dF/dz (dimensionless: A/A). */
  dSdZ: number;
  /** dF/dw, amperes per weight level. */
  dSdW: number;
  /** dF/dv, siemens. */
  dSdV: number;
}

/** H and its derivative at one aggregated current. */
export interface SomaPoint {
  /** H(z), volts. */
  vV: number;
  /** dH/dz, ohms. */
  dVdZ: number;
}

export interface SynapseCurves {
  /** Supply voltage of the cells; the Newton iteration starts every node at vccV / 2 (seed 002). */
  readonly vccV: number;
  /** The weight levels the weight generator can produce, ascending integers (e.g. -4..4 for 9 levels). */
  readonly weightLevels: readonly number[];
  /** The ranges the tables cover; a query outside is clamped to the range (and a caller may count it). */
  readonly zRangeA: readonly [number, number];
  readonly vRangeV: readonly [number, number];
  synapse(zA: number, w: number, vV: number, out: SynapsePoint): void;
  soma(zA: number, out: SomaPoint): void;
  /**
   * Standard deviation of the synapse current from device mismatch at this point (SPICE Monte Carlo, Pelgrom
   * sigma = A_VT / sqrt(W L) per transistor), for cells of nominal size scaled in area by `areaScale` (the spread
   * scales as 1 / sqrt(areaScale)). Seed 002 Eq. 8 adds this noise to s in the forward pass only.
   */
  synapseSigmaA(zA: number, w: number, vV: number, areaScale: number): number;
}
