// Resistance -> shape, on the process's grid (integer database units of 1 nm), and the drawn shape's resistance:
// what the masks realize. Every figure is in integer database units (DBU, 0.001 um) so the geometry KLayout reads back
// is exactly the one computed here.
//
// Planar (presets/processes.ts): a body of width w folded into an even number n >= 2 of vertical legs at pitch
// p = w + body spacing (both heads at the bottom), a path along the centre line:
//   (x_0, b - w/2 - e) up to (x_0, b + h), across to x_1, down to b, across to x_2, up ... down to (x_{n-1}, b - w/2)
// with leg height h and an extension e of the first leg (0 <= e < n * grid: the residual the grid leaves on h).
// Centre-line length L = 2 (h + w/2) + (n - 2) h + (n - 1) p + e, corners 2 (n - 1), and
//   R = Rs (L / w - 0.44 corners) + 2 Rhead          (a square corner conducts as 0.56 of a square).
// n is the smallest even count whose legs fit in maxLegUm; a resistance below the two-leg minimum (h = w) cannot be
// drawn. The snapping error is below Rs * grid / (2 w) per resistor (h is floored, e rounds the rest).
// Hole: one cylinder of diameter d (a multiple of twice the grid, so its radius is on the grid), R = rho t / (pi d^2/4),
// d within [minDiameterUm, maxDiameterUm].

import { inputError } from '../errors.js';
import { MASK_MESSAGES as MM } from '../messages/index.js';
import type { HoleProcess, PlanarProcess, ResistorProcess } from '../presets/processes.js';

/** Database units per micrometre (the masks' UNITS: 1 DBU = 1 nm). */
export const DBU_PER_UM = 1000;

/** A corner square conducts as this many squares (Hastings, The Art of Analog Layout, section 5.1). */
export const CORNER_SQUARES = 0.56;

export const toDbu = (um: number): number => Math.round(um * DBU_PER_UM);

export interface PlanarShape {
  readonly kind: 'planar';
  /** Number of legs (even, >= 2). */
  readonly legs: number;
  /** Leg height h and first-leg extension e, DBU. */
  readonly legDbu: number;
  readonly extraDbu: number;
  /** The drawn resistance, ohms. */
  readonly ohm: number;
}

export interface HoleShape {
  readonly kind: 'hole';
  /** Hole diameter, DBU. */
  readonly diameterDbu: number;
  readonly ohm: number;
}

export type ResistorShape = PlanarShape | HoleShape;

/** The planar figures in DBU. */
export interface PlanarFrame {
  readonly grid: number;
  readonly w: number;
  readonly pitch: number;
  readonly maxLeg: number;
  readonly head: number;
}

export function planarFrame(p: PlanarProcess): PlanarFrame {
  const w = toDbu(p.body.minWidthUm);
  return { grid: toDbu(p.gridUm), w, pitch: w + toDbu(p.body.minSpacingUm), maxLeg: toDbu(p.maxLegUm), head: toDbu(p.headLengthUm) };
}

/** Centre-line length (DBU) and corners of a serpentine of n legs of height h, first leg extended by e. */
export function serpentineLength(f: PlanarFrame, n: number, h: number, e: number): { length: number; corners: number } {
  return { length: 2 * (h + f.w / 2) + (n - 2) * h + (n - 1) * f.pitch + e, corners: 2 * (n - 1) };
}

/** Resistance of a body of centre-line length `length` DBU with `corners` square corners, width w DBU. */
export function planarOhm(p: PlanarProcess, length: number, corners: number, w: number): number {
  return p.sheetOhmPerSq * (length / w - (1 - CORNER_SQUARES) * corners) + 2 * p.headOhm;
}

/** The smallest resistance the planar process draws: two legs of height w. */
export function planarMinOhm(p: PlanarProcess): number {
  const f = planarFrame(p);
  const s = serpentineLength(f, 2, f.w, 0);
  return planarOhm(p, s.length, s.corners, f.w);
}

function planarShape(p: PlanarProcess, ohm: number, element: string): PlanarShape {
  const f = planarFrame(p);
  const minOhm = planarMinOhm(p);
  if (!(ohm >= minOhm)) throw inputError(MM.tooSmall(element, ohm, minOhm, p.name));
  // Centre-line length the resistance needs.
  const squaresFor = (corners: number) => (ohm - 2 * p.headOhm) / p.sheetOhmPerSq + (1 - CORNER_SQUARES) * corners;
  for (let n = 2; ; n += 2) {
    const corners = 2 * (n - 1);
    const length = squaresFor(corners) * f.w;
    // length = n h + w + (n - 1) p + e
    const hExact = (length - f.w - (n - 1) * f.pitch) / n;
    if (hExact > f.maxLeg) continue;
    let h = Math.floor(hExact / f.grid) * f.grid;
    // Only when a wide pitch leaves less than one width per leg at n legs (the drawn R is then a little above the
    // target, and reported as drawn).
    if (h < f.w) h = f.w;
    const rest = length - serpentineLength(f, n, h, 0).length;
    const e = Math.max(0, Math.round(rest / f.grid) * f.grid);
    const s = serpentineLength(f, n, h, e);
    return { kind: 'planar', legs: n, legDbu: h, extraDbu: e, ohm: planarOhm(p, s.length, s.corners, f.w) };
  }
}

/** Resistance of a hole of diameter d DBU. */
export function holeOhm(p: HoleProcess, diameterDbu: number): number {
  const d = diameterDbu * 1e-9;
  return (p.resistivityOhmM * p.thicknessM) / ((Math.PI * d * d) / 4);
}

function holeShape(p: HoleProcess, ohm: number, element: string): HoleShape {
  const step = 2 * toDbu(p.gridUm);
  const dMin = Math.ceil(toDbu(p.minDiameterUm) / step) * step;
  const dMax = Math.floor(toDbu(p.maxDiameterUm) / step) * step;
  const maxOhm = holeOhm(p, dMin);
  const minOhm = holeOhm(p, dMax);
  if (!(ohm >= minOhm)) throw inputError(MM.tooSmall(element, ohm, minOhm, p.name));
  if (!(ohm <= maxOhm)) throw inputError(MM.tooLarge(element, ohm, maxOhm, p.name));
  const dExact = Math.sqrt((4 * p.resistivityOhmM * p.thicknessM) / (Math.PI * ohm)) * 1e9;
  // The nearer of the two grid diameters around dExact in resistance.
  const lo = Math.max(dMin, Math.floor(dExact / step) * step);
  const hi = Math.min(dMax, lo + step);
  const d = Math.abs(holeOhm(p, lo) - ohm) <= Math.abs(holeOhm(p, hi) - ohm) ? lo : hi;
  return { kind: 'hole', diameterDbu: d, ohm: holeOhm(p, d) };
}

/** The shape that draws `ohm` in process p (`element` names the resistor in messages). */
export function shapeFor(p: ResistorProcess, ohm: number, element = 'a resistor'): ResistorShape {
  return p.kind === 'planar' ? planarShape(p, ohm, element) : holeShape(p, ohm, element);
}

/**
 * The drawn resistance of every value, memoized (a network uses few distinct set values): what the realization
 * takes as its resistors' values so the simulated circuit is the drawn one.
 */
export class ShapeCache {
  private readonly shapes = new Map<number, ResistorShape>();
  constructor(readonly process: ResistorProcess) {}
  shape(ohm: number, element?: string): ResistorShape {
    let s = this.shapes.get(ohm);
    if (!s) {
      s = shapeFor(this.process, ohm, element);
      this.shapes.set(ohm, s);
    }
    return s;
  }
  drawnOhm(ohm: number, element?: string): number {
    return ohm === Infinity ? Infinity : this.shape(ohm, element).ohm;
  }
}
