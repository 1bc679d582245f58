// Energy figures (simulate/energy.ts, issue 12): Binas's arithmetic through the energy-per-MAC function, the op-amp
// presets by name with overrides and their refusals, Binas's protocol, and the figures of a run with and without a rate.

import { describe, expect, it } from 'vitest';
import { importModel } from '../../src/import/index.js';
import { realize } from '../../src/realize/realize.js';
import { seriesValues } from '../../src/realize/series.js';
import { inspectGraph } from '../../src/report/inspect.js';
import { binasLanes, energyPerMacFromPowerJ, energyPerMacJ, estimateEnergy, GATED_OPAMP, parseOpampPreset } from '../../src/simulate/energy.js';
import { simulateTransient } from '../../src/simulate/transient.js';
import { compileGraph } from '../../src/transform/pipeline.js';
import { DYNAMIC_OPAMPS, OPAMP_MICROPOWER, PATENT_SUPPLIES } from '../../src/presets/opamps.js';
import { loadFixture } from '../helpers.js';

describe('energy per MAC', () => {
  it("reproduces Binas's arithmetic: 200 uW x 15 us / 25,100 MAC = 0.1195 pJ per MAC", () => {
    expect(energyPerMacFromPowerJ(200e-6, 15e-6, 25_100)).toBeCloseTo(0.1195e-12, 16);
    expect(energyPerMacJ(3e-9, 25_100)).toBeCloseTo(3e-9 / 25_100, 20);
    // The rate: 25,100 MAC x 66 kHz = 1.66e9 MAC/s (Binas's "1.7 trillion" is 1.7 billion), at 0.12 pJ ~ 200 uW.
    expect(25_100 * 66e3).toBeCloseTo(1.6566e9, -6);
    expect(0.1195e-12 * 25_100 * 66e3).toBeCloseTo(198e-6, 6);
    expect(() => energyPerMacJ(1e-9, 0)).toThrow(/multiply-accumulate count/);
  });
});

describe('op-amp presets with dynamics', () => {
  it('name the part and its source; overrides change only what they name', () => {
    for (const op of Object.values(DYNAMIC_OPAMPS)) {
      expect(op.kind).toBe('macro');
      expect(op.source.length).toBeGreaterThan(10);
      expect(op.slewRateVPerS).toBeGreaterThan(0);
      expect(op.supplyPlusV).toBeGreaterThan(0);
    }
    expect(OPAMP_MICROPOWER.gbwHz).toBe(50e3);
    const o = parseOpampPreset('micropower:gbw=100e3,supply=op1');
    expect(o.gbwHz).toBe(100e3);
    expect(o.supplyPlusV).toBe(PATENT_SUPPLIES.op1.supplyPlusV);
    expect(o.supplyMinusV).toBe(0);
    expect(o.iqA).toBe(OPAMP_MICROPOWER.iqA);
    expect(o.name).toBe('micropower:gbw=100e3,supply=op1');
    expect(o.assumptions.join(' ')).toMatch(/OP1/);
  });

  it('refuses an unknown preset, an unknown parameter, a negative slew rate and reversed supplies, on one line', () => {
    expect(() => parseOpampPreset('lm741')).toThrow(/unknown op-amp preset 'lm741'.*generic, micropower, fast/);
    expect(() => parseOpampPreset('fast:bandwidth=1')).toThrow(/no parameter 'bandwidth'/);
    expect(() => parseOpampPreset('fast:slew=-5e6')).toThrow(/slew=-5e6 is not a positive finite number/);
    expect(() => parseOpampPreset('fast:vplus=-1')).toThrow(/positive supply/);
    expect(() => parseOpampPreset('fast:supply=op2')).toThrow(/supply=op2/);
    expect(() => parseOpampPreset('constructor')).toThrow(/unknown op-amp preset/);
  });
});

describe("Binas's protocol and the figures", () => {
  it('precedes every sample by another one of the set, deterministically', () => {
    const xs = [[0], [1], [2], [3]];
    const a = binasLanes(xs, 7);
    expect(a.map((l) => l.patterns[0])).toEqual(xs);
    a.forEach((l, k) => expect(l.initial).not.toBe(xs[k]));
    expect(binasLanes(xs, 7).map((l) => l.initial)).toEqual(a.map((l) => l.initial));
    expect(Array.from(binasLanes([[5, 6]], 1)[0].initial)).toEqual([0, 0]);
  });

  const fx = loadFixture('iris_mlp');
  const graph = importModel(fx.path);
  const compiled = compileGraph(graph, { calibration: fx.inputs, signalLimitV: 2.5 });
  const r = realize(compiled.tnet, { setOhm: seriesValues('E96', 1e5, 1e6), setName: 'E96', feedback: 'min-error', feedbackPer: 'layer', toleranceRel: 0, vRefV: 1 });
  const macs = inspectGraph(graph).totals.macs;
  const samples = fx.inputs.slice(0, 6);

  it('gives latency percentiles, energy per inference and per MAC, per-layer figures and the op-amp model', () => {
    const f = estimateEnergy(r, samples, { opamp: DYNAMIC_OPAMPS.fast, latencyToleranceV: 0.01, macs });
    expect(f.opamp.name).toBe('fast');
    expect(f.dependsOnOpampModel).toMatch(/rests on the op-amp model/);
    expect(f.samples).toBe(6);
    expect(f.latencyS.p50).toBeGreaterThan(0);
    expect(f.latencyS.max).toBeGreaterThanOrEqual(f.latencyS.p90);
    expect(f.energyPerMacJ).toBeCloseTo(f.energyPerInferenceJ.mean / macs, 25);
    expect(f.layers.map((l) => l.layer)).toEqual(['/net/net.0/Gemm', '/net/net.2/Gemm', '/net/net.4/Gemm']);
    expect(f.layers[0].settleS.max).toBeLessThanOrEqual(f.layers[2].settleS.max);
    expect(f.powerW).toBeNull();
  });

  it('at a rate: the average power is the window energy times the rate; a rate faster than the settling is refused', () => {
    const f = estimateEnergy(r, samples, { opamp: DYNAMIC_OPAMPS.fast, latencyToleranceV: 0.01, macs, rateHz: 100e3 });
    expect(f.powerW!).toBeCloseTo(f.energyPerPeriodJ! * 100e3, 15);
    // Without gating every op-amp draws Iq over the whole period at least.
    expect(f.powerW!).toBeGreaterThan(f.opamps * 1e-3 * 5);
    expect(() => estimateEnergy(r, samples, { opamp: DYNAMIC_OPAMPS.fast, latencyToleranceV: 0.01, macs, rateHz: 10e6 })).toThrow(/rateHz 1e\+7 Hz leaves 0.1 us per inference, but \d+ of 6 samples had not settled/);
    expect(() => estimateEnergy(r, samples, { opamp: DYNAMIC_OPAMPS.fast, latencyToleranceV: 0, macs })).toThrow(/latencyToleranceV 0 V must be a positive voltage/);
    expect(() => estimateEnergy(r, samples, { opamp: DYNAMIC_OPAMPS.fast, latencyToleranceV: 0.01, macs, rateHz: -1 })).toThrow(/rateHz -1 must be a positive/);
  });

  it('power gating: layers off once they and their consumers settled, outputs unchanged within the tolerance on every sample, less energy', () => {
    const f = estimateEnergy(r, samples, { opamp: DYNAMIC_OPAMPS.fast, latencyToleranceV: 0.01, macs, rateHz: 20e3, gateMarginRel: 1.25 });
    const g = f.gating!;
    expect(g.gatedOpamp).toBe(GATED_OPAMP);
    expect(g.check.passed).toBe(true);
    expect(g.check.samples).toBe(6);
    expect(g.check.maxDeviationV).toBeLessThanOrEqual(0.01);
    // The schedule: a layer stays on until it and every layer it feeds have settled (x margin), on every sample.
    g.layers.forEach((l, j) => {
      expect(l.offS).toBeCloseTo(1.25 * Math.max(l.settledS, l.consumersSettledS), 15);
      expect(l.settledS).toBe(Math.max(0, f.layers[j].settleS.max));
      expect(l.sampleAndHold).toBe(true);
    });
    expect(g.layers[0].consumersSettledS).toBe(g.layers[1].settledS);
    expect(g.layers[2].consumersSettledS).toBe(0);
    // The active set over time: every layer at the switch, then fewer; a layer is off from its off-time on (the off
    // set and the active set are disjoint), and none is powered after the last off-time until the next switch.
    expect(g.activeSet[0]).toMatchObject({ fromS: 0, layers: [0, 1, 2] });
    for (const a of g.activeSet) g.layers.forEach((l, j) => expect(a.layers.includes(j)).toBe(l.offS > a.fromS));
    expect(g.activeSet[g.activeSet.length - 1]).toMatchObject({ toS: Infinity, layers: [] });
    // Less energy per inference and far less power at a rate (every op-amp off for most of the period).
    expect(f.energyPerInferenceGatedJ!).toBeLessThan(f.energyPerInferenceJ.mean);
    expect(g.powerW!).toBeLessThan(0.2 * f.powerW!);
    expect(g.energyParts.quiescentJ).toBeLessThan(f.energyParts.quiescentJ);
  });

  it('gating a layer too early changes the outputs and the check fails', () => {
    const ok = estimateEnergy(r, samples, { opamp: DYNAMIC_OPAMPS.fast, latencyToleranceV: 0.01, macs, gateMarginRel: 1.25 });
    const off = ok.gating!.layers.map((l) => l.offS);
    off[0] = 0.2 * ok.gating!.layers[0].settledS; // the first hidden layer held long before it has settled
    const bad = estimateEnergy(r, samples, { opamp: DYNAMIC_OPAMPS.fast, latencyToleranceV: 0.01, macs, gateOffS: off });
    expect(bad.gating!.check.passed).toBe(false);
    expect(bad.gating!.check.failedSamples.length).toBeGreaterThan(0);
    expect(bad.gating!.check.maxDeviationV).toBeGreaterThan(0.01);
    expect(() => estimateEnergy(r, samples, { opamp: DYNAMIC_OPAMPS.fast, latencyToleranceV: 0.01, macs, gateMarginRel: 0 })).toThrow(/gateMarginRel 0 must be a positive factor/);
  });

  it('a gated layer is powered again at the next inference: a sequence of patterns at a rate stays exact', () => {
    const period = 1 / 20e3;
    const free = simulateTransient(r, [{ initial: samples[0], patterns: [samples[1], samples[2], samples[3]] }], { opamp: DYNAMIC_OPAMPS.fast, latencyToleranceV: 0.01, periodS: period });
    const settle = free.layers.map((_, l) => Math.max(...free.inferences[0].map((x) => x.layerSettleS[l])));
    const off = free.layers.map((layer, l) => 1.25 * Math.max(settle[l], ...layer.feeds.map((c) => settle[c])));
    const gated = simulateTransient(r, [{ initial: samples[0], patterns: [samples[1], samples[2], samples[3]] }], { opamp: DYNAMIC_OPAMPS.fast, latencyToleranceV: 0.01, periodS: period, gateOffS: off });
    expect(gated.inferences[0]).toHaveLength(3);
    gated.inferences[0].forEach((x, w) => {
      expect(x.endDeviationV).toBeLessThanOrEqual(0.01);
      expect(x.endClassHeld).toBe(true);
      expect(x.latencyS).toBeLessThan(off[2]);
      // Every inference pays the quiescent current from its switch until the layers are off: powered again.
      expect(x.window.quiescentJ).toBeGreaterThan(0.5 * free.inferences[0][w].toOutput.quiescentJ);
      expect(x.window.quiescentJ).toBeLessThan(0.5 * free.inferences[0][w].window.quiescentJ);
    });
  });
});
