// Device models (issue 17): the read cycle leaves every device's state unchanged on each model (the seed's FIG. 4
// with the second half reversed; linear ion drift, which has no threshold, returns by the exact +V/-V cancellation,
// VTEAM and Yakopcic because the read is below their thresholds), write pulses move the state monotonically with
// the pulse's polarity and duration, the conductance stays in range, and bad parameters get one-line errors.

import { describe, expect, it } from 'vitest';
import {
  applyPulse,
  conductanceRange,
  conductanceS,
  createDevices,
  nominalRatePerS,
  readCycle,
  setState,
  stateOf,
  validateModel,
  writePulse,
} from '../../src/crossbar/devices.js';
import { isOhmnetError } from '../../src/errors.js';
import { LINEAR_ION_DRIFT_HP, MEMRISTOR_PRESETS, THRESHOLD_PERSHIN, VTEAM_MEMTORCH, YAKOPCIC_2011, type MemristorModel } from '../../src/presets/memristors.js';
import { Rng } from '../../src/util/random.js';

const models = Object.values(MEMRISTOR_PRESETS);
const T_RD = 2e-5;
const T_WRITE = 8e-5;

function errorOf(f: () => void): string {
  try {
    f();
  } catch (e) {
    expect(isOhmnetError(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe.each(models.map((m) => [m.name, m] as const))('device model %s', (_name, model) => {
  it('a read cycle leaves every state unchanged (200 random states and read voltages, 50 reads each)', () => {
    const rng = new Rng(7);
    const devices = createDevices(model, 200, { d2dRel: 0.2, c2cRel: 0.1, readDisturbPerRead: 0 }, 3);
    for (let i = 0; i < devices.count; i++) setState(devices, i, rng.uniform(0.001, 0.999));
    let worst = 0;
    for (let i = 0; i < devices.count; i++) {
      const s0 = stateOf(devices, i);
      const v = rng.uniform(-1, 1) * model.readV;
      for (let r = 0; r < 50; r++) readCycle(devices, i, v, T_RD);
      worst = Math.max(worst, Math.abs(stateOf(devices, i) - s0));
    }
    // linear ion drift: exact in exact arithmetic, the Newton inversion of Phi leaves a few ulp; the others: exact
    if (model.kind === 'linear-ion-drift') expect(worst).toBeLessThan(1e-12);
    else expect(worst).toBe(0);
  });

  it('half a read (one polarity only) does move a linear-ion-drift device: the reversal is what makes it non-destructive', () => {
    if (model.kind !== 'linear-ion-drift') return;
    const d = createDevices(model, 1);
    const s0 = stateOf(d, 0);
    applyPulse(d, 0, model.readV, T_RD / 2);
    expect(stateOf(d, 0) - s0).toBeGreaterThan(1e-8);
  });

  it('write pulses move the state monotonically with polarity and duration, and the conductance stays in range', () => {
    const range = conductanceRange(model);
    for (const direction of [1, -1] as const) {
      let previous = -1;
      for (const pulse of [1e-6, 5e-6, 2e-5, 4e-5, 8e-5]) {
        const d = createDevices(model, 1);
        setState(d, 0, 0.5);
        writePulse(d, 0, direction, pulse, T_WRITE);
        const moved = (stateOf(d, 0) - 0.5) * direction;
        expect(moved).toBeGreaterThan(previous);
        previous = moved;
      }
      expect(previous).toBeGreaterThan(0);
      // a long train of pulses saturates inside [0, 1] and inside the conductance range
      const d = createDevices(model, 1);
      let last = stateOf(d, 0);
      let backwards = 0;
      let sMin = 1;
      let sMax = 0;
      let gMin = Number.POSITIVE_INFINITY;
      let gMax = 0;
      for (let k = 0; k < (model.kind === 'linear-ion-drift' ? 10000 : 2000); k++) {
        writePulse(d, 0, direction, T_WRITE, T_WRITE);
        const s = stateOf(d, 0);
        if ((s - last) * direction < 0) backwards++;
        sMin = Math.min(sMin, s);
        sMax = Math.max(sMax, s);
        const g = conductanceS(d, 0, model.readV);
        gMin = Math.min(gMin, g);
        gMax = Math.max(gMax, g);
        last = s;
      }
      expect(backwards).toBe(0);
      expect(sMin).toBeGreaterThanOrEqual(0);
      expect(sMax).toBeLessThanOrEqual(1);
      expect(gMin).toBeGreaterThanOrEqual(range.minS * (1 - 1e-12));
      expect(gMax).toBeLessThanOrEqual(range.maxS * (1 + 1e-12));
      expect(direction > 0 ? last : 1 - last).toBeGreaterThan(0.8);
    }
  });

  it('programming is non-linear: the same set pulse gives different conductance steps at s = 0.3 and s = 0.8', () => {
    const pulse = Math.min(T_WRITE, 0.01 / nominalRatePerS(model, 1));
    const step = (s: number) => {
      const d = createDevices(model, 1);
      setState(d, 0, s);
      const g0 = conductanceS(d, 0, model.readV);
      writePulse(d, 0, 1, pulse, T_WRITE);
      return conductanceS(d, 0, model.readV) - g0;
    };
    const low = step(0.3);
    const high = step(0.8);
    expect(low).toBeGreaterThan(0);
    expect(high).toBeGreaterThan(0);
    expect(Math.max(low / high, high / low)).toBeGreaterThan(1.05);
  });

  it('the same seed gives the same devices and the same pulse responses; variation spreads them', () => {
    const variation = { d2dRel: 0.1, c2cRel: 0.1, readDisturbPerRead: 0 };
    const run = (seed: number) => {
      const d = createDevices(model, 20, variation, seed);
      for (let i = 0; i < 20; i++) writePulse(d, i, 1, 2e-5, T_WRITE);
      return Array.from({ length: 20 }, (_, i) => stateOf(d, i));
    };
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
    const spread = run(5);
    expect(Math.max(...spread) - Math.min(...spread)).toBeGreaterThan(0);
  });

  it('read disturb, when configured, moves the state by its amount per read', () => {
    const d = createDevices(model, 1, { d2dRel: 0, c2cRel: 0, readDisturbPerRead: 1e-3 });
    const s0 = stateOf(d, 0);
    for (let r = 0; r < 10; r++) readCycle(d, 0, model.readV, T_RD);
    expect(stateOf(d, 0) - s0).toBeCloseTo(1e-2, 10);
  });
});

describe('linear ion drift integration', () => {
  it('matches a fine explicit integration of dx/dt = k v/R(x) 4x(1-x) (independent check, 1e-6)', () => {
    const m = LINEAR_ION_DRIFT_HP;
    const d = createDevices(m, 1);
    setState(d, 0, 0.2);
    const v = 3;
    const t = 0.05;
    applyPulse(d, 0, v, t);
    const k = (m.mobilityM2PerVS * m.rOnOhm) / (m.thicknessM * m.thicknessM);
    let x = 0.2;
    const n = 200000;
    const h = t / n;
    const f = (y: number) => (k * v * 4 * y * (1 - y)) / (m.rOnOhm * y + m.rOffOhm * (1 - y));
    for (let i = 0; i < n; i++) {
      const k1 = f(x);
      const k2 = f(x + 0.5 * h * k1);
      const k3 = f(x + 0.5 * h * k2);
      const k4 = f(x + h * k3);
      x += (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4);
    }
    expect(Math.abs(stateOf(d, 0) - x)).toBeLessThan(1e-6);
    expect(stateOf(d, 0)).toBeGreaterThan(0.2);
  });
});

describe('VTEAM, Yakopcic and threshold-model thresholds', () => {
  it('a pulse just below threshold moves nothing, one beyond it moves the state', () => {
    const cases: [MemristorModel, number, number][] = [
      [VTEAM_MEMTORCH, VTEAM_MEMTORCH.vOffV * 0.999, VTEAM_MEMTORCH.vOffV * 1.01],
      [YAKOPCIC_2011, YAKOPCIC_2011.vpV * 0.999, YAKOPCIC_2011.vpV * 1.05],
      [THRESHOLD_PERSHIN, THRESHOLD_PERSHIN.vtV * 0.999, THRESHOLD_PERSHIN.vtV * 1.01],
    ];
    for (const [m, below, above] of cases) {
      const d = createDevices(m, 1);
      applyPulse(d, 0, below, 1);
      expect(stateOf(d, 0)).toBe(m.initialState);
      applyPulse(d, 0, above, 1e-5);
      expect(stateOf(d, 0)).not.toBe(m.initialState);
    }
  });
});

describe('the threshold model', () => {
  it('moves R at beta times the overdrive, towards R_off for V > V_t (Pershin and Di Ventra eq. (2))', () => {
    const m = THRESHOLD_PERSHIN;
    const d = createDevices(m, 1);
    setState(d, 0, 0.5);
    const r0 = 1 / conductanceS(d, 0, m.readV);
    applyPulse(d, 0, 1.7, 1e-5);
    const r1 = 1 / conductanceS(d, 0, m.readV);
    expect(r1 - r0).toBeCloseTo(m.betaOhmPerVS * (1.7 - m.vtV) * 1e-5, 6);
    applyPulse(d, 0, -1.7, 1e-5);
    expect(1 / conductanceS(d, 0, m.readV)).toBeCloseTo(r0, 6);
  });
});

describe('bad device parameters get one-line errors', () => {
  it('inverted conductance range, NaN, negative, a read above threshold, a pulse longer than the write window', () => {
    expect(errorOf(() => validateModel({ ...VTEAM_MEMTORCH, rOnOhm: 2000 }))).toMatch(/conductance range is inverted .* give rOnOhm below rOffOhm/);
    expect(errorOf(() => validateModel({ ...LINEAR_ION_DRIFT_HP, mobilityM2PerVS: Number.NaN }))).toMatch(/mobilityM2PerVS is NaN, not a finite number/);
    expect(errorOf(() => validateModel({ ...LINEAR_ION_DRIFT_HP, thicknessM: -1e-9 }))).toMatch(/thicknessM -1e-9 must be > 0/);
    expect(errorOf(() => validateModel({ ...YAKOPCIC_2011, readV: 0.2 }))).toMatch(/read amplitude 0.2 V is not below the switching threshold 0.15 V/);
    expect(errorOf(() => validateModel({ ...VTEAM_MEMTORCH, setV: -0.1 }))).toMatch(/does not pass the switching threshold/);
    expect(errorOf(() => validateModel({ ...THRESHOLD_PERSHIN, rOffOhm: 500 }))).toMatch(/conductance range is inverted/);
    expect(errorOf(() => validateModel({ ...THRESHOLD_PERSHIN, readV: 2 }))).toMatch(/not below the switching threshold 1.6 V/);
    expect(errorOf(() => createDevices({ ...YAKOPCIC_2011, a1A: Number.POSITIVE_INFINITY }, 1))).toMatch(/a1A is Infinity/);
    const d = createDevices(VTEAM_MEMTORCH, 1);
    const msg = errorOf(() => writePulse(d, 0, 1, 1e-4, T_WRITE));
    expect(msg).toMatch(/write pulse of 0.0001 s is longer than the write window T_write 0.00008 s; shorten the pulse or lengthen writeWindowS$/);
    expect(msg).not.toMatch(/\n/);
  });
});
