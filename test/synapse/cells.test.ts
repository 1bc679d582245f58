// The synapse cells (src/synapse/cells.ts, issue 16): the netlist text is deterministic, the weight decoder maps
// every level to one ladder tap and at most one half, the ladder divides Vcc at the designed taps, Pelgrom's sigma and
// the area rule give the documented numbers.

import { describe, expect, it } from 'vitest';
import {
  AVT_V_UM,
  cellAreas,
  cellsText,
  ladderResistorsOhm,
  LADDER_TOTAL_OHM,
  pelgromSigmaV,
  SYNAPSE_DEVICES,
  SYNAPSE_MISMATCH_DEVICES,
  VCC_V,
  WEIGHT_LEVELS,
  weightControls,
  WGEN_TAPS_V,
} from '../../src/synapse/cells.js';

describe('synapse cells', () => {
  it('has 9 weight levels -4..4 (2^(4-1) + 1, the sign among the 4 bits)', () => {
    expect(WEIGHT_LEVELS).toEqual([-4, -3, -2, -1, 0, 1, 2, 3, 4]);
    expect(WEIGHT_LEVELS.length).toBe(2 ** (4 - 1) + 1);
  });

  it('decodes each level to one tap (w = +4: 0 V, w = -4: Vcc) and the half of its sign', () => {
    for (const w of WEIGHT_LEVELS) {
      const c = weightControls(w);
      expect(c.select.filter(Boolean)).toHaveLength(1);
      const tap = c.select.indexOf(true);
      expect(tap).toBe(4 - w);
      expect(c.enP).toBe(w > 0);
      expect(c.enN).toBe(w < 0);
    }
    expect(WGEN_TAPS_V[weightControls(4).select.indexOf(true)]).toBe(0);
    expect(WGEN_TAPS_V[weightControls(-4).select.indexOf(true)]).toBe(VCC_V);
    expect(() => weightControls(5)).toThrow(/not one of/);
    expect(() => weightControls(0.5)).toThrow(/not one of/);
  });

  it('ladder resistors sum to the total and divide Vcc at the taps within 1 mV (rounding to 1 ohm)', () => {
    const r = ladderResistorsOhm();
    expect(r).toHaveLength(8);
    expect(Math.abs(r.reduce((a, b) => a + b, 0) - LADDER_TOTAL_OHM)).toBeLessThanOrEqual(8);
    let acc = 0;
    const total = r.reduce((a, b) => a + b, 0);
    for (let k = 1; k < WGEN_TAPS_V.length; k++) {
      acc += r[k - 1];
      expect(Math.abs((VCC_V * acc) / total - WGEN_TAPS_V[k])).toBeLessThan(1e-3);
    }
  });

  it('Pelgrom sigma = A_VT / sqrt(W L): 3 mV um over the synapse devices', () => {
    expect(AVT_V_UM).toBe(3e-3);
    const n3 = SYNAPSE_DEVICES.find((d) => d.name === 'n3')!;
    expect(pelgromSigmaV(n3)).toBeCloseTo(3e-3 / Math.sqrt(0.2 * 0.5), 12);
    expect(SYNAPSE_MISMATCH_DEVICES).toEqual(['p3', 'p1', 'n3', 'n1']);
  });

  it('netlist text is deterministic and names the PTM 65 nm card', () => {
    const t = cellsText();
    expect(cellsText()).toBe(t);
    expect(t).toMatch(/PTM 65 nm bulk/);
    for (const s of ['.subckt syn ', '.subckt soma ', '.subckt ladder ', '.subckt wgen ']) expect(t).toContain(s);
    expect(t).toMatch(/level=54/);
  });

  it('areas follow the documented rule', () => {
    const a = cellAreas();
    // (W + 0.3)(L + 0.4) per device, doubled.
    const syn = 2 * SYNAPSE_DEVICES.reduce((s, d) => s + (d.wUm + 0.3) * (d.lUm + 0.4), 0);
    expect(a.synapseUm2).toBeCloseTo(syn, 12);
    expect(a.somaUm2).toBeCloseTo(2 * ((1.3 * 0.9) * 2 + 2.3 * 0.9), 12);
    expect(a.wgenUm2).toBeCloseTo(2 * 18 * (0.42 * 0.6), 12);
    expect(a.ladderUm2).toBeCloseTo(2 * 100 * 0.16, 12);
  });
});
