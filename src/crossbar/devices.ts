// Memristor devices under voltage pulses (issue 17): the state equations of the models in presets/memristors.ts,
// integrated under a rectangular pulse (amplitude, duration), the conductance a read sees, the read cycle of the
// seed's protocol (FIG. 4: two halves of T_rd, the second of reversed polarity), device-to-device variation (each
// device's own rate and conductance scale, drawn once from a seeded Rng) and cycle-to-cycle variation (each write
// pulse's state change scaled by its own draw), and a read-disturb drift.
//
// Integration, per model (docs/crossbar.md, "Devices and on-line training"):
// - linear ion drift with the Joglekar p = 1 window: exact. With x = w/D, k = mu_v R_on / D^2 and i = v / R(x),
//   dx/dt = k i 4x(1 - x), so Phi(x) = R_off ln x - R_on ln(1 - x) obeys dPhi/dt = 4 k v: a pulse adds 4 k v t to Phi
//   and x is recovered by Newton's method on the logit u = ln(x / (1 - x)) (Phi is concave and increasing in u, so
//   Newton converges monotonically). The state is stored as u, so it never rounds onto the bounds 0 or 1.
// - VTEAM with a rectangular window: the rate is constant under a pulse, so exact (then clipped to [w_on, w_off]).
// - threshold (Pershin and Di Ventra): the rate is constant under a pulse, so exact (then clipped to [R_on, R_off]).
// - Yakopcic: classical Runge-Kutta with n = ceil(|g(V)| t / 0.002) sub-steps (at most 0.002 of state per step),
//   then clipped to [0, 1].

import { inputError } from '../errors.js';
import { MEMRISTOR_MESSAGES as MM } from '../messages/memristors.js';
import { NO_VARIATION, type DeviceVariation, type LinearIonDriftModel, type MemristorModel, type ThresholdModel, type VteamModel, type YakopcicModel } from '../presets/memristors.js';
import { Rng } from '../util/random.js';

/** Largest state change of one Runge-Kutta sub-step of the Yakopcic model. */
const YAKOPCIC_MAX_STEP = 0.002;

const COMMON_FIELDS = ['initialState', 'readV', 'setV', 'resetV'] as const;
/** The numeric parameters of each model kind (each must be present and finite). */
const NUMERIC_FIELDS: Readonly<Record<MemristorModel['kind'], readonly string[]>> = {
  'linear-ion-drift': ['rOnOhm', 'rOffOhm', 'thicknessM', 'mobilityM2PerVS', ...COMMON_FIELDS],
  vteam: ['rOnOhm', 'rOffOhm', 'wOnM', 'wOffM', 'kOffMPerS', 'kOnMPerS', 'alphaOff', 'alphaOn', 'vOffV', 'vOnV', ...COMMON_FIELDS],
  yakopcic: ['a1A', 'a2A', 'bPerV', 'vpV', 'vnV', 'ap', 'an', 'xp', 'xn', 'alphaP', 'alphaN', 'eta', ...COMMON_FIELDS],
  threshold: ['rOnOhm', 'rOffOhm', 'alphaOhmPerVS', 'betaOhmPerVS', 'vtV', ...COMMON_FIELDS],
};

/** Checks a model's parameters: every figure finite, the signs and ranges the equations need, the read below the
 * switching thresholds (threshold models) and the writes beyond them. Throws a one-line input error. */
export function validateModel(m: MemristorModel): void {
  if (m === null || typeof m !== 'object' || !['linear-ion-drift', 'vteam', 'yakopcic', 'threshold'].includes((m as { kind?: unknown }).kind as string)) {
    throw inputError(MM.notModel(typeof m === 'object' && m !== null && typeof (m as { name?: unknown }).name === 'string' ? `'${m.name}'` : 'the device model'));
  }
  const name = typeof m.name === 'string' ? m.name : String(m.kind);
  for (const field of NUMERIC_FIELDS[m.kind]) {
    const v = (m as unknown as Record<string, unknown>)[field];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw inputError(MM.notFinite(name, field, v as number));
  }
  if (m.kind === 'yakopcic' && m.eta !== 1 && m.eta !== -1) throw inputError(MM.wrongSign(name, 'eta', m.eta, '1 or -1'));
  const positive = (field: string, v: number) => {
    if (!(v > 0)) throw inputError(MM.notPositive(name, field, v));
  };
  const state = (field: string, v: number) => {
    if (!(v >= 0 && v <= 1)) throw inputError(MM.badState(name, field, v));
  };
  positive('readV', m.readV);
  state('initialState', m.initialState);
  if (m.kind === 'linear-ion-drift' || m.kind === 'vteam' || m.kind === 'threshold') {
    positive('rOnOhm', m.rOnOhm);
    positive('rOffOhm', m.rOffOhm);
    if (m.rOnOhm >= m.rOffOhm) throw inputError(MM.invertedRange(name, m.rOnOhm, m.rOffOhm));
  }
  if (m.kind === 'linear-ion-drift') {
    positive('thicknessM', m.thicknessM);
    positive('mobilityM2PerVS', m.mobilityM2PerVS);
    if (!(m.setV > 0)) throw inputError(MM.wrongSign(name, 'setV', m.setV, '> 0 (a positive current dopes the film)'));
    if (!(m.resetV < 0)) throw inputError(MM.wrongSign(name, 'resetV', m.resetV, '< 0'));
  } else if (m.kind === 'vteam') {
    if (!(m.wOffM > m.wOnM)) throw inputError(MM.wrongSign(name, 'wOffM', m.wOffM, `> wOnM (${m.wOnM})`));
    positive('kOffMPerS', m.kOffMPerS);
    if (!(m.kOnMPerS < 0)) throw inputError(MM.wrongSign(name, 'kOnMPerS', m.kOnMPerS, '< 0'));
    positive('alphaOff', m.alphaOff);
    positive('alphaOn', m.alphaOn);
    positive('vOffV', m.vOffV);
    if (!(m.vOnV < 0)) throw inputError(MM.wrongSign(name, 'vOnV', m.vOnV, '< 0'));
    const threshold = Math.min(m.vOffV, -m.vOnV);
    if (m.readV >= threshold) throw inputError(MM.readAboveThreshold(name, m.readV, threshold));
    if (!(m.setV < m.vOnV)) throw inputError(MM.writeBelowThreshold(name, 'setV', m.setV, m.vOnV));
    if (!(m.resetV > m.vOffV)) throw inputError(MM.writeBelowThreshold(name, 'resetV', m.resetV, m.vOffV));
  } else if (m.kind === 'threshold') {
    if (!(m.alphaOhmPerVS >= 0)) throw inputError(MM.wrongSign(name, 'alphaOhmPerVS', m.alphaOhmPerVS, '>= 0'));
    positive('betaOhmPerVS', m.betaOhmPerVS);
    positive('vtV', m.vtV);
    // alpha > 0 drifts below threshold too, but f is odd in V, so the read's +V/-V pair still cancels
    if (m.readV >= m.vtV) throw inputError(MM.readAboveThreshold(name, m.readV, m.vtV));
    if (!(m.setV < -m.vtV)) throw inputError(MM.writeBelowThreshold(name, 'setV', m.setV, -m.vtV));
    if (!(m.resetV > m.vtV)) throw inputError(MM.writeBelowThreshold(name, 'resetV', m.resetV, m.vtV));
  } else {
    for (const f of ['a1A', 'a2A', 'bPerV', 'vpV', 'vnV', 'ap', 'an', 'alphaP', 'alphaN'] as const) positive(f, m[f]);
    for (const f of ['xp', 'xn'] as const) {
      if (!(m[f] >= 0 && m[f] < 1)) throw inputError(MM.badState(name, f, m[f]));
    }
    const threshold = Math.min(m.vpV, m.vnV);
    if (m.readV >= threshold) throw inputError(MM.readAboveThreshold(name, m.readV, threshold));
    const up = m.eta === 1 ? m.setV : m.resetV;
    const down = m.eta === 1 ? m.resetV : m.setV;
    if (!(up > m.vpV)) throw inputError(MM.writeBelowThreshold(name, m.eta === 1 ? 'setV' : 'resetV', up, m.vpV));
    if (!(down < -m.vnV)) throw inputError(MM.writeBelowThreshold(name, m.eta === 1 ? 'resetV' : 'setV', down, -m.vnV));
  }
}

/** Checks a variation record (relative sigmas in [0, 0.5), read disturb in [0, 0.01]). */
export function validateVariation(v: DeviceVariation): void {
  if (v === null || typeof v !== 'object') throw inputError(MM.badVariation('d2dRel', Number.NaN));
  for (const f of ['d2dRel', 'c2cRel'] as const) {
    if (!(Number.isFinite(v[f]) && v[f] >= 0 && v[f] < 0.5)) throw inputError(MM.badVariation(f, v[f]));
  }
  if (!(Number.isFinite(v.readDisturbPerRead) && v.readDisturbPerRead >= 0 && v.readDisturbPerRead <= 0.01)) {
    throw inputError(MM.badDisturb(v.readDisturbPerRead));
  }
}

/** A set of devices of one model: each with its own state, its own rate and conductance scale (device-to-device
 * variation), and one seeded generator for the per-pulse (cycle-to-cycle) draws. */
export interface DeviceArray {
  readonly model: MemristorModel;
  readonly variation: DeviceVariation;
  readonly count: number;
  /** The model's own state variable: the logit of x for linear ion drift, the normalised state s otherwise. */
  readonly raw: Float64Array;
  readonly rateScale: Float64Array;
  readonly conductanceScale: Float64Array;
  readonly rng: Rng;
}

/** Device-to-device factors are 1 + sigma N(0, 1), floored at 0.1 so no device has a zero or negative rate. */
function factor(rng: Rng, sigma: number): number {
  return sigma > 0 ? Math.max(0.1, 1 + sigma * rng.normal()) : 1;
}

const sigmoid = (u: number) => (u >= 0 ? 1 / (1 + Math.exp(-u)) : Math.exp(u) / (1 + Math.exp(u)));
const logit = (x: number) => Math.log(x) - Math.log1p(-x);
const softplus = (z: number) => Math.log1p(Math.exp(-Math.abs(z))) + Math.max(z, 0);

/** Creates `count` devices at the model's initial state. The same seed gives the same devices. */
export function createDevices(model: MemristorModel, count: number, variation: DeviceVariation = NO_VARIATION, seed = 1): DeviceArray {
  validateModel(model);
  validateVariation(variation);
  const rng = new Rng(seed);
  const raw = new Float64Array(count);
  const rateScale = new Float64Array(count);
  const conductanceScale = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    rateScale[i] = factor(rng, variation.d2dRel);
    conductanceScale[i] = factor(rng, variation.d2dRel);
  }
  const arr: DeviceArray = { model, variation, count, raw, rateScale, conductanceScale, rng };
  for (let i = 0; i < count; i++) setState(arr, i, model.initialState);
  return arr;
}

/** Largest |logit| the linear-ion-drift state is kept within (x within 1e-300 of a bound). */
const U_LIMIT = 690;

/** The normalised state s in [0, 1] of device i (s = 1 the most conductive end). */
export function stateOf(arr: DeviceArray, i: number): number {
  return arr.model.kind === 'linear-ion-drift' ? sigmoid(arr.raw[i]!) : arr.raw[i]!;
}

/** Sets device i's normalised state (programming it directly, e.g. to an initial value). */
export function setState(arr: DeviceArray, i: number, s: number): void {
  const c = Math.min(1, Math.max(0, s));
  arr.raw[i] = arr.model.kind === 'linear-ion-drift' ? Math.max(-U_LIMIT, Math.min(U_LIMIT, logit(c))) : c;
}

/** The conductance (I / V) of device i at voltage v, siemens. */
export function conductanceS(arr: DeviceArray, i: number, vV: number): number {
  const m = arr.model;
  const scale = arr.conductanceScale[i]!;
  if (m.kind === 'yakopcic') {
    const x = arr.raw[i]!;
    const a = vV >= 0 ? m.a1A : m.a2A;
    const perV = vV === 0 ? m.bPerV : Math.sinh(m.bPerV * vV) / vV;
    return scale * a * x * perV;
  }
  const s = stateOf(arr, i);
  return scale / (m.rOnOhm * s + m.rOffOhm * (1 - s));
}

/** The nominal conductance range of a model (d2d scale 1) at its read amplitude, siemens. */
export function conductanceRange(m: MemristorModel): { readonly minS: number; readonly maxS: number } {
  if (m.kind === 'yakopcic') return { minS: 0, maxS: (m.a1A * Math.sinh(m.bPerV * m.readV)) / m.readV };
  return { minS: 1 / m.rOffOhm, maxS: 1 / m.rOnOhm };
}

function lidPhi(m: LinearIonDriftModel, u: number): number {
  return -m.rOffOhm * softplus(-u) + m.rOnOhm * softplus(u);
}

/** Linear ion drift: the new logit after v for t seconds (exact; see the file header). */
function lidAdvance(m: LinearIonDriftModel, u0: number, vV: number, tS: number, rate: number): number {
  const k = (m.mobilityM2PerVS * m.rOnOhm) / (m.thicknessM * m.thicknessM);
  const target = lidPhi(m, u0) + 4 * k * rate * vV * tS;
  // stop once Phi(u) is within a few rounding units of the target (Phi cannot be evaluated closer than that)
  const tolerance = 4 * Number.EPSILON * Math.max(1, Math.abs(target));
  let u = u0;
  for (let it = 0; it < 100; it++) {
    const f = lidPhi(m, u) - target;
    if (Math.abs(f) <= tolerance) break;
    const d = m.rOffOhm * sigmoid(-u) + m.rOnOhm * sigmoid(u);
    u -= f / d;
    if (u > U_LIMIT || u < -U_LIMIT) return Math.max(-U_LIMIT, Math.min(U_LIMIT, u));
  }
  return u;
}

/** VTEAM: ds/dt under v (s = (w_off - w) / (w_off - w_on)). */
function vteamRate(m: VteamModel, vV: number): number {
  let dw = 0;
  if (vV > m.vOffV) dw = m.kOffMPerS * Math.pow(vV / m.vOffV - 1, m.alphaOff);
  else if (vV < m.vOnV) dw = m.kOnMPerS * Math.pow(vV / m.vOnV - 1, m.alphaOn);
  return -dw / (m.wOffM - m.wOnM);
}

/** Threshold model: ds/dt under v (s = (R_off - R) / (R_off - R_on)), Pershin and Di Ventra's f(V). */
function thresholdRate(m: ThresholdModel, vV: number): number {
  // f(V) = beta V + (alpha - beta)(|V + V_t| - |V - V_t|) / 2, written piecewise so it is exactly alpha V inside
  const vt = m.vtV;
  const f = vV > vt ? m.betaOhmPerVS * (vV - vt) + m.alphaOhmPerVS * vt : vV < -vt ? m.betaOhmPerVS * (vV + vt) - m.alphaOhmPerVS * vt : m.alphaOhmPerVS * vV;
  return -f / (m.rOffOhm - m.rOnOhm);
}

/** Yakopcic g(V), eq. (3) of the 2011 letter. */
function yakopcicG(m: YakopcicModel, vV: number): number {
  if (vV > m.vpV) return m.ap * (Math.exp(vV) - Math.exp(m.vpV));
  if (vV < -m.vnV) return -m.an * (Math.exp(-vV) - Math.exp(m.vnV));
  return 0;
}

/** Yakopcic f(x) for the direction of motion, eqs. (4)-(5) of the 2011 letter. */
function yakopcicF(m: YakopcicModel, x: number, positive: boolean): number {
  if (positive) return x >= m.xp ? Math.exp(-m.alphaP * (x - m.xp)) * ((m.xp - x) / (1 - m.xp) + 1) : 1;
  return x <= 1 - m.xn ? Math.exp(m.alphaN * (x + m.xn - 1)) * (x / (1 - m.xn)) : 1;
}

function yakopcicAdvance(m: YakopcicModel, x0: number, vV: number, tS: number, rate: number): number {
  const gv = m.eta * yakopcicG(m, vV) * rate;
  if (gv === 0 || tS <= 0) return x0;
  const positive = m.eta * vV > 0;
  const n = Math.max(1, Math.ceil((Math.abs(gv) * tS) / YAKOPCIC_MAX_STEP));
  const h = tS / n;
  const f = (x: number) => gv * yakopcicF(m, Math.min(1, Math.max(0, x)), positive);
  let x = x0;
  for (let k = 0; k < n; k++) {
    const k1 = f(x);
    const k2 = f(x + 0.5 * h * k1);
    const k3 = f(x + 0.5 * h * k2);
    const k4 = f(x + h * k3);
    x = Math.min(1, Math.max(0, x + (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4)));
  }
  return x;
}

/** Applies a rectangular pulse of v volts for t seconds to device i: the model's state equation, integrated as the
 * file header says. With `cycleToCycle`, the state change is scaled by 1 + c2c N(0, 1) (one draw per pulse). */
export function applyPulse(arr: DeviceArray, i: number, vV: number, tS: number, cycleToCycle = false): void {
  const m = arr.model;
  const rate = arr.rateScale[i]!;
  const before = arr.raw[i]!;
  let after: number;
  if (m.kind === 'linear-ion-drift') after = lidAdvance(m, before, vV, tS, rate);
  else if (m.kind === 'vteam') after = Math.min(1, Math.max(0, before + vteamRate(m, vV) * rate * tS));
  else if (m.kind === 'threshold') after = Math.min(1, Math.max(0, before + thresholdRate(m, vV) * rate * tS));
  else after = yakopcicAdvance(m, before, vV, tS, rate);
  if (cycleToCycle && arr.variation.c2cRel > 0 && after !== before) {
    const scale = Math.max(0, 1 + arr.variation.c2cRel * arr.rng.normal());
    if (m.kind === 'linear-ion-drift') {
      const s0 = sigmoid(before);
      setState(arr, i, s0 + (sigmoid(after) - s0) * scale);
      return;
    }
    after = Math.min(1, Math.max(0, before + (after - before) * scale));
  }
  arr.raw[i] = after;
}

/**
 * One read of device i at input voltage v (|v| at most the model's read amplitude), as the seed's FIG. 4 does it:
 * v for the first half of T_rd, -v for the second (seed-targets C16: the printed "-V_in in both halves" cannot return
 * the state, so the second half reverses the polarity). Returns the conductance the read saw at t = 0+ (the seed's
 * [0054]). For linear ion drift the pair cancels exactly (the file header); for VTEAM and Yakopcic the read is below
 * both thresholds and moves nothing. A read-disturb drift, when configured, then moves the state towards s = 1.
 */
export function readCycle(arr: DeviceArray, i: number, vV: number, readWindowS: number): number {
  const g = conductanceS(arr, i, vV === 0 ? arr.model.readV : vV);
  if (vV !== 0) {
    applyPulse(arr, i, vV, readWindowS / 2);
    applyPulse(arr, i, -vV, readWindowS / 2);
  }
  const d = arr.variation.readDisturbPerRead;
  if (d > 0) setState(arr, i, stateOf(arr, i) + d);
  return g;
}

/** A write of device i as the seed's FIG. 5 does it: the set (direction +1, towards R_on) or reset (-1) amplitude
 * for `pulseS`, then nothing until the end of the write window. A pulse longer than the window is an input error. */
export function writePulse(arr: DeviceArray, i: number, direction: 1 | -1, pulseS: number, writeWindowS: number): void {
  if (!(pulseS <= writeWindowS)) throw inputError(MM.pulseTooLong(pulseS, writeWindowS));
  if (!(pulseS > 0)) return;
  applyPulse(arr, i, direction > 0 ? arr.model.setV : arr.model.resetV, pulseS, true);
}

/** The nominal state change per second of a set (direction +1) or reset (-1) pulse at mid-range (s = 0.5) of a
 * nominal device: what the calculation module assumes when it turns a weight change into a pulse duration. */
export function nominalRatePerS(m: MemristorModel, direction: 1 | -1): number {
  const probe = createDevices(m, 1);
  setState(probe, 0, 0.5);
  const t = 1e-6;
  applyPulse(probe, 0, direction > 0 ? m.setV : m.resetV, t);
  return Math.abs(stateOf(probe, 0) - 0.5) / t;
}
