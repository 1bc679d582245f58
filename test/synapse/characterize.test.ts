// The characterization (src/synapse/characterize.ts, issue 16) against ngspice itself: the committed LUT reproduces
// the nominal synapse at 40 random off-grid points within 0.1 uA (0.8 % of the table's largest |F|, 12.9 uA; observed
// 0.046 uA, the worst near v = 0 where the nmos half leaves saturation) and the soma within 1 mV (observed below
// 0.001 mV); near z = 0 the soma within 5 mV from 30 nA (observed 2.4 mV at 30 nA, 0.8 mV at 50 nA); the
// Monte Carlo spread of the table agrees with a fresh 64-draw Monte Carlo at one point within the sampling error
// (ratio in [0.6, 1.5]: 16 and 64 draws give about 18 % and 9 % standard error). (The end-to-end run on the
// smallest grid is in characterize-cli.test.ts.) Needs the ngspice binary (required where OHMNET_REQUIRE_NGSPICE=1).

import { describe, expect, it } from 'vitest';
import { ngspiceAvailable } from '../../src/spice/engines/index.js';
import { pelgromSigmaV, SYNAPSE_DEVICES, SYNAPSE_MISMATCH_DEVICES, WEIGHT_LEVELS } from '../../src/synapse/cells.js';
import { characterizationDecks, decksSha256, mismatchDraws, resolveGrid, spiceSynapsePoints } from '../../src/synapse/characterize.js';
import { SynapseLut } from '../../src/synapse/lut.js';
import { Rng } from '../../src/util/random.js';

const FILE = 'fixtures/synapse/ptm65.lut.json';
const run = ngspiceAvailable() || process.env.OHMNET_REQUIRE_NGSPICE === '1';

describe('characterization decks', () => {
  it('are deterministic in the grid and seed; the draws have the Pelgrom spread', () => {
    const g = resolveGrid({});
    expect(characterizationDecks(g)).toEqual(characterizationDecks(g));
    expect(decksSha256(g)).not.toBe(decksSha256({ ...g, seed: 2 }));
    const d = mismatchDraws({ ...g, mcDraws: 200 });
    SYNAPSE_MISMATCH_DEVICES.forEach((n, j) => {
      const sig = pelgromSigmaV(SYNAPSE_DEVICES.find((x) => x.name === n)!);
      const sd = Math.sqrt(d.reduce((s, r) => s + r[j] * r[j], 0) / d.length);
      expect(sd / sig).toBeGreaterThan(0.8);
      expect(sd / sig).toBeLessThan(1.2);
    });
  });
});

describe.runIf(run)('characterization against ngspice', () => {
  const lut = SynapseLut.fromFile(FILE, decksSha256);

  it('the LUT reproduces ngspice at 40 off-grid points: F within 0.1 uA, H within 1 mV', async () => {
    const rng = new Rng(5);
    const pts = Array.from({ length: 40 }, () => ({ zA: rng.uniform(0, 100e-6), w: WEIGHT_LEVELS[Math.floor(rng.next() * 9)], vV: rng.uniform(0, 1.1) }));
    const r = await spiceSynapsePoints(pts);
    const o = { sA: 0, dSdZ: 0, dSdW: 0, dSdV: 0 };
    const h = { vV: 0, dVdZ: 0 };
    let worstF = 0;
    let worstH = 0;
    pts.forEach((p, i) => {
      lut.synapse(p.zA, p.w, p.vV, o);
      lut.soma(p.zA, h);
      worstF = Math.max(worstF, Math.abs(o.sA - r.sA[i]));
      worstH = Math.max(worstH, Math.abs(h.vV - r.hV[i]));
    });
    expect(worstF).toBeLessThanOrEqual(0.1e-6);
    expect(worstH).toBeLessThanOrEqual(1e-3);
    // Not trivially: the points span both halves and several microamperes.
    expect(Math.max(...r.sA)).toBeGreaterThan(5e-6);
    expect(Math.min(...r.sA)).toBeLessThan(-4e-6);
  }, 120_000);

  it('the soma table follows the diode near z = 0: within 5 mV from 30 nA (observed 2.4 mV at 30 nA)', async () => {
    const zs = [0.03e-6, 0.05e-6, 0.15e-6, 0.5e-6];
    const r = await spiceSynapsePoints(zs.map((z) => ({ zA: z, w: 0, vV: 0.5 })));
    const h = { vV: 0, dVdZ: 0 };
    zs.forEach((z, i) => {
      lut.soma(z, h);
      expect(Math.abs(h.vV - r.hV[i])).toBeLessThanOrEqual(5e-3);
    });
    expect(r.hV[0]).toBeGreaterThan(0.3);
  }, 120_000);

  it('the table spread matches a fresh 64-draw Monte Carlo at z = 30 uA, w = 3, v = 0.55 V', async () => {
    const rng = new Rng(99);
    const sig = SYNAPSE_MISMATCH_DEVICES.map((n) => pelgromSigmaV(SYNAPSE_DEVICES.find((d) => d.name === n)!));
    const pts = Array.from({ length: 64 }, () => ({ zA: 30e-6, w: 3, vV: 0.55, dvtV: sig.map((s) => s * rng.normal()) }));
    const r = await spiceSynapsePoints(pts);
    const mean = r.sA.reduce((a, b) => a + b, 0) / r.sA.length;
    const sd = Math.sqrt(r.sA.reduce((a, b) => a + (b - mean) ** 2, 0) / (r.sA.length - 1));
    const ratio = lut.synapseSigmaA(30e-6, 3, 0.55, 1) / sd;
    expect(ratio).toBeGreaterThan(0.6);
    expect(ratio).toBeLessThan(1.5);
  }, 120_000);
});
