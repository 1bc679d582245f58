/**
 * An ANALYTIC SURROGATE of the non-linear synapse and soma curves (issue 16). It is NOT a circuit and no result of
 * ohmnet rests on it: it exists so the network model, the exact gradient and the training loop can be tested on a
 * smooth F with a real v-dependence (so the loop factor 1 - H' sum dF/dv matters) independently of the SPICE look-up
 * tables (lut.ts), and its derivatives are exact, which a finite-difference check of the model needs.
 *
 * Shapes (chosen to behave like the seed's Fig. 2, not fitted to anything):
 *   H(z) = Vcc tanh(0.5 softplus(z / 40 uA))            soma: rectifying, saturating at Vcc
 *   F(z, w, v) = A(z) [q(w) gp(v) - 1.1 q(-w) gn(v)]    synapse: pmos half sources for w > 0, nmos half sinks for w < 0
 *   A(z) = 10 uA tanh(softplus((z - 20 uA) / 20 uA))   the input (previous soma) drive, saturating
 *   q(w) = p(w)^1.2, p(w) = (w + sqrt(w^2 + 0.25)) / 2  a smooth, non-linear ramp in the weight level
 *   gp(v) = tanh((Vcc - v) / 0.15) (1 + 0.25 (Vcc - v)) pmos current source: triode near Vcc, channel-length slope
 *   gn(v) = tanh(v / 0.15) (1 + 0.25 v)                 nmos current sink: triode near 0
 * so dF/dv <= 0 everywhere and H' > 0: the loop factor is >= 1, and large near the rails.
 * Currents are tens of microamperes (a synapse gives up to ~40 uA), the scale of the seed's 50e-6 logit divisor.
 * Mismatch spread: sigma = (3 % of the active half's current + 80 nA) / sqrt(areaScale).
 */

import type { SomaPoint, SynapseCurves, SynapsePoint } from './curves.js';

const softplus = (x: number) => (x > 30 ? x : Math.log1p(Math.exp(x)));
const logistic = (x: number) => 1 / (1 + Math.exp(-x));
const sech2 = (x: number) => {
  const t = Math.tanh(x);
  return 1 - t * t;
};

const IH = 40e-6;
const IA = 10e-6;
const Z0 = 20e-6;
const IU = 20e-6;
const EPS2 = 0.25;
const VS = 0.15;
const CLM = 0.25;
const NMOS = 1.1;

function p(w: number): number {
  return (w + Math.sqrt(w * w + EPS2)) / 2;
}
function dp(w: number): number {
  return (1 + w / Math.sqrt(w * w + EPS2)) / 2;
}
function q(w: number): number {
  return Math.pow(p(w), 1.2);
}
function dq(w: number): number {
  return 1.2 * Math.pow(p(w), 0.2) * dp(w);
}

export class SurrogateCurves implements SynapseCurves {
  readonly vccV: number;
  readonly weightLevels: readonly number[];
  readonly zRangeA: readonly [number, number] = [-300e-6, 300e-6];
  readonly vRangeV: readonly [number, number];

  constructor(vccV = 1.2, maxLevel = 4) {
    this.vccV = vccV;
    this.vRangeV = [0, vccV];
    this.weightLevels = Array.from({ length: 2 * maxLevel + 1 }, (_, k) => k - maxLevel);
  }

  private drive(z: number): { a: number; da: number } {
    const u = (z - Z0) / IU;
    const s = softplus(u);
    return { a: IA * Math.tanh(s), da: (IA * sech2(s) * logistic(u)) / IU };
  }

  private halves(v: number): { gp: number; dgp: number; gn: number; dgn: number } {
    const up = (this.vccV - v) / VS;
    const gp = Math.tanh(up) * (1 + CLM * (this.vccV - v));
    const dgp = -(sech2(up) / VS) * (1 + CLM * (this.vccV - v)) - CLM * Math.tanh(up);
    const un = v / VS;
    const gn = NMOS * Math.tanh(un) * (1 + CLM * v);
    const dgn = NMOS * ((sech2(un) / VS) * (1 + CLM * v) + CLM * Math.tanh(un));
    return { gp, dgp, gn, dgn };
  }

  synapse(zA: number, w: number, vV: number, out: SynapsePoint): void {
    const { a, da } = this.drive(zA);
    const { gp, dgp, gn, dgn } = this.halves(vV);
    const qp = q(w);
    const qn = q(-w);
    const m = qp * gp - qn * gn;
    out.sA = a * m;
    out.dSdZ = da * m;
    out.dSdW = a * (dq(w) * gp + dq(-w) * gn);
    out.dSdV = a * (qp * dgp - qn * dgn);
  }

  soma(zA: number, out: SomaPoint): void {
    const u = zA / IH;
    const s = softplus(u);
    out.vV = this.vccV * Math.tanh(0.5 * s);
    out.dVdZ = (this.vccV * sech2(0.5 * s) * 0.5 * logistic(u)) / IH;
  }

  synapseSigmaA(zA: number, w: number, vV: number, areaScale: number): number {
    const { a } = this.drive(zA);
    const { gp, gn } = this.halves(vV);
    return (0.03 * a * (q(w) * gp + q(-w) * gn) + 80e-9) / Math.sqrt(areaScale);
  }
}
