// The behavioural transient (simulate/transient.ts, issue 12): a single-pole neuron's step response against the
// analytic exponential and the slew-limited ramp; the transient's final values against the DC behavioural simulation
// (simulate/realized.ts simulateRealized with the same preset) on the Iris MLP and the digits CNN; latency grows when
// the gain-bandwidth falls; the quiescent energy is exactly Iq (V+ - V-) per op-amp over the latency; clocked networks
// are refused.

import { describe, expect, it } from 'vitest';
import { importModel } from '../../src/import/index.js';
import { realize, type Realized } from '../../src/realize/realize.js';
import { noiseGain } from '../../src/realize/circuit.js';
import { seriesValues } from '../../src/realize/series.js';
import { simulateRealized } from '../../src/simulate/realized.js';
import { simulateTransient, type TransientResult } from '../../src/simulate/transient.js';
import { parseOpampPreset, binasLanes } from '../../src/simulate/energy.js';
import { NeuronBuilder } from '../../src/tnet/builder.js';
import { ACT, ROLE, type TNet } from '../../src/tnet/types.js';
import { compileGraph } from '../../src/transform/pipeline.js';
import { OPAMP_FAST, OPAMP_GENERIC, OPAMP_MICROPOWER, type DynamicOpamp } from '../../src/presets/opamps.js';
import { loadFixture } from '../helpers.js';

const E96 = { setOhm: seriesValues('E96', 1e5, 1e6), setName: 'E96 100k..1M', feedback: 'min-error' as const, feedbackPer: 'layer' as const, toleranceRel: 0, vRefV: 1 };

/** One input, one identity neuron of weight 1: a non-inverting summing amplifier of noise gain ~2. */
function singleNeuron(railV: number): Realized {
  const b = new NeuronBuilder(1);
  const y = b.add({ activation: ACT.identity, role: ROLE.compute, origin: -1, unit: 0, bias: 0 }, [0], [1]);
  const net: TNet = { inputShape: [1], inputCount: 1, inputGain: 1, neurons: b.finish(), outputSignal: Int32Array.of(y), outputScale: Float64Array.of(1), outputShape: [1], tail: null, origins: [], railV, clock: null };
  return realize(net, { ...E96, feedback: 'fixed', rFeedbackOhm: 1e6 });
}

/** The neuron's output over time for a step 0 -> x (every accepted step). */
function stepResponse(r: Realized, op: DynamicOpamp, x: number, errorToleranceV: number): { t: number[]; v: number[] } {
  const t: number[] = [];
  const v: number[] = [];
  simulateTransient(r, [{ initial: [0], patterns: [[x]] }], { opamp: op, latencyToleranceV: 1e-3, errorToleranceV, settleToleranceV: 1e-9, onStep: (ts, values, lanes) => {
    t.push(ts);
    v.push(values[1 * lanes]);
  } });
  return { t, v };
}

describe('a single-pole neuron', () => {
  const r = singleNeuron(2.5);
  it('follows the analytic exponential T (1 - exp(-2 pi GBW t / noise gain)) within the integrator\'s error', () => {
    const op = parseOpampPreset('generic:slew=1e15');
    const target = simulateRealized(r, [[1]], op).analog[0][0];
    const omega = (2 * Math.PI * op.gbwHz) / noiseGain(r, 0);
    const { t, v } = stepResponse(r, op, 1, 1e-6);
    expect(t.length).toBeGreaterThan(20);
    let worst = 0;
    t.forEach((ts, k) => (worst = Math.max(worst, Math.abs(v[k] - target * (1 - Math.exp(-omega * ts))))));
    // Local error 1e-6 V per step; on a contracting system the global error stays below the sum of the local ones.
    expect(worst).toBeLessThan(1e-6 * t.length);
    expect(worst).toBeLessThan(3e-5);
    // Second order: ten times tighter local error, about 10^(2/3) ~ 4.6 times more accurate globally (at least 3).
    const fine = stepResponse(r, op, 1, 1e-7);
    let fineWorst = 0;
    fine.t.forEach((ts, k) => (fineWorst = Math.max(fineWorst, Math.abs(fine.v[k] - target * (1 - Math.exp(-omega * ts))))));
    expect(fineWorst).toBeLessThan(worst / 3);
    expect(Math.abs(v[v.length - 1] - target)).toBeLessThan(1e-8);
  });

  it('ramps at the slew rate, then settles exponentially from where the linear rate falls below it', () => {
    const sr = 1e5; // 0.1 V/us
    const op = parseOpampPreset(`generic:slew=${sr}`);
    const target = simulateRealized(r, [[1]], op).analog[0][0];
    const omega = (2 * Math.PI * op.gbwHz) / noiseGain(r, 0);
    const knee = sr / omega; // distance from the target where the linear rate equals the slew rate
    const t1 = (target - knee) / sr;
    const analytic = (ts: number) => (ts < t1 ? sr * ts : target - knee * Math.exp(-omega * (ts - t1)));
    const { t, v } = stepResponse(r, op, 1, 1e-6);
    let worst = 0;
    t.forEach((ts, k) => (worst = Math.max(worst, Math.abs(v[k] - analytic(ts)))));
    expect(worst).toBeLessThan(1e-4);
    // Halfway up the ramp the output moves at exactly the slew rate.
    const k = t.findIndex((ts) => ts > t1 / 2);
    expect((v[k + 1] - v[k]) / (t[k + 1] - t[k])).toBeCloseTo(sr, -1);
  });
});

function realizedFixture(name: string, op: DynamicOpamp) {
  const fx = loadFixture(name);
  const graph = importModel(fx.path);
  const compiled = compileGraph(graph, { calibration: fx.inputs, signalLimitV: Math.min(op.supplyPlusV, -op.supplyMinusV) });
  return { fx, r: realize(compiled.tnet, E96) };
}

/** The final signal values of every lane (the last onStep) and the DC simulation's analog outputs. */
function finalVsDc(r: Realized, samples: number[][], op: DynamicOpamp): { worst: number; res: TransientResult } {
  let last: Float64Array | null = null;
  let lanes = 0;
  const res = simulateTransient(r, binasLanes(samples, 3), { opamp: op, latencyToleranceV: 0.01, settleToleranceV: 1e-9, lanesPerBatch: samples.length, onStep: (_t, values, l) => {
    last = values;
    lanes = l;
  } });
  const dc = simulateRealized(r, samples, op);
  const net = r.tnet;
  let worst = 0;
  samples.forEach((_x, k) => net.outputSignal.forEach((s, j) => (worst = Math.max(worst, Math.abs(last![s * lanes + k] * net.outputScale[j] - dc.analog[k][j]) / Math.abs(net.outputScale[j])))));
  return { worst, res };
}

describe('the transient ends at the DC operating point', () => {
  it('Iris MLP, every preset: final outputs within 1e-6 of S of simulateRealized', () => {
    for (const op of [OPAMP_GENERIC, OPAMP_MICROPOWER, OPAMP_FAST]) {
      const { fx, r } = realizedFixture('iris_mlp', op);
      const { worst } = finalVsDc(r, fx.inputs.slice(0, 8), op);
      expect(worst).toBeLessThan(1e-6 * r.tnet.railV!);
    }
  });

  it('digits CNN (fast preset): final outputs within 1e-6 of S of simulateRealized', () => {
    const { fx, r } = realizedFixture('digits_cnn', OPAMP_FAST);
    const { worst, res } = finalVsDc(r, fx.inputs.slice(0, 3), OPAMP_FAST);
    expect(worst).toBeLessThan(1e-6 * r.tnet.railV!);
    // The wavefront: layers settle in order, the last one with the outputs.
    const lat = res.inferences[0][0];
    expect(lat.layerSettleS[lat.layerSettleS.length - 1]).toBeLessThanOrEqual(lat.toleranceLatencyS * (1 + 1e-9));
  });
});

describe('latency and energy', () => {
  const { fx, r } = realizedFixture('iris_mlp', OPAMP_GENERIC);
  const lanes = binasLanes(fx.inputs.slice(0, 8), 1);
  const run = (op: DynamicOpamp) => simulateTransient(r, lanes, { opamp: op, latencyToleranceV: 0.01 });
  it('grows when the gain-bandwidth falls (single pole: about as 1/GBW while no op-amp slews)', () => {
    const fast = run(parseOpampPreset('generic:slew=1e12'));
    const slow = run(parseOpampPreset('generic:slew=1e12,gbw=0.5e6'));
    fast.inferences.forEach((l, k) => {
      const ratio = slow.inferences[k][0].latencyS / l[0].latencyS;
      expect(ratio).toBeGreaterThan(3.8);
      expect(ratio).toBeLessThan(4.2);
    });
  });

  it('the quiescent energy to the latency is opamps x Iq x (V+ - V-) x latency; the resistors burn less than the sources give', () => {
    const res = run(OPAMP_GENERIC);
    for (const [x] of res.inferences) {
      const expected = res.opamps * OPAMP_GENERIC.iqA * (OPAMP_GENERIC.supplyPlusV - OPAMP_GENERIC.supplyMinusV) * x.latencyS;
      expect(Math.abs(x.toOutput.quiescentJ - expected) / expected).toBeLessThan(1e-9);
      expect(x.toOutput.resistorJ).toBeLessThan(x.toOutput.outputStageJ + x.toOutput.inputsJ + x.toOutput.referenceJ);
      expect(x.toOutput.resistorJ).toBeGreaterThan(0);
      expect(x.latencyS).toBeGreaterThanOrEqual(x.classLatencyS);
    }
  });

  it('with a period, each window runs to the period and the energy over it exceeds the energy to the output', () => {
    const res = simulateTransient(r, lanes.slice(0, 2), { opamp: OPAMP_GENERIC, latencyToleranceV: 0.01, periodS: 100e-6 });
    for (const [x] of res.inferences) {
      expect(x.windowS).toBeCloseTo(100e-6, 12);
      expect(x.window.totalJ).toBeGreaterThan(x.toOutput.totalJ);
    }
  });

  it('refuses a clocked network and a signal limit beyond the supplies', () => {
    const clocked = { ...r, tnet: { ...r.tnet, clock: { ticks: 2, readTicks: [1] } } };
    expect(() => simulateTransient(clocked, lanes, { opamp: OPAMP_GENERIC, latencyToleranceV: 0.01 })).toThrow(/feed-forward networks only/);
    expect(() => simulateTransient(r, lanes, { opamp: OPAMP_FAST, latencyToleranceV: 0.01 })).toThrow(/signal limit 5 V does not fit the supplies/);
  });
});
