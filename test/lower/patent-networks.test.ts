// Issue 11: the structure of the patent's two smallest recurrent examples (IndRNN battery, Capnobase PPG) compiled
// with N_I = N_O = 100 and S = 5, as bench/recurrent-patent.ts prints it (docs/benchmarks.md, "Recurrent networks:
// the patent's examples"). A change in the recurrent lowering or in the fan-in/fan-out passes that changes a count
// or the exactness fails here. Counting rules: bench/patent-networks.ts.

import { describe, expect, it } from 'vitest';
import { buildPatentNetwork, delayStages, PATENT_NETWORKS, patentLayerRule } from '../../bench/patent-networks.js';

const network = (key: string) => PATENT_NETWORKS.find((n) => n.key === key)!;

describe('the patent\'s recurrent examples at N_I = N_O = 100, S = 5', () => {
  it('IndRNN battery: 101 summators, 100 unit delays, 2,000 connections, 2 layers, exact', () => {
    const r = buildPatentNetwork(network('indrnn'));
    expect(r.ticks).toBe(20);
    expect(r.inputWidth).toBe(18);
    const f = r.final;
    expect(f.summators).toBe(101);
    expect(f.summatorsByRole).toMatchObject({ compute: 100, linear: 1, partialSum: 0, buffer: 0 });
    expect(f.multipliers).toBe(0);
    expect(f.delaysByTicks).toEqual({ 1: 100 });
    // 100 units x (18 inputs + 1 recurrent) + the Dense(1) summator's 100
    expect(f.connections).toBe(2000);
    expect(f.delayInputs).toBe(100);
    expect(f.layers).toBe(2);
    expect(f.maxFanIn).toBeLessThanOrEqual(100);
    expect(f.maxFanOut).toBeLessThanOrEqual(100);
    // The patent's 201 under "summators + delays".
    expect(f.summators + f.delays).toBe(r.network.patent.neurons);
    expect(patentLayerRule(r.graph).value).toBe(2);
    expect(r.relError).toBeLessThan(1e-9);
  });

  it('Capnobase PPG: 329 summators (the patent\'s 329), 144 multipliers, 115 unit delays, 9,512 connections, 13 layers, exact', () => {
    const r = buildPatentNetwork(network('capnobase'));
    expect(r.ticks).toBe(600);
    expect(r.inputWidth).toBe(1);
    const f = r.final;
    // 16 Conv1D filters + 2 LSTM(24) x 6 summators per unit + Dense(24) + Dense(1) = 329
    expect(f.summators).toBe(329);
    expect(f.summators).toBe(r.network.patent.neurons);
    expect(f.summatorsByRole).toMatchObject({ compute: 280, linear: 49, partialSum: 0, buffer: 0 });
    expect(f.multipliers).toBe(2 * 24 * 3);
    // 19 unit delays of the Conv1D's delay line (one input channel) + 2 per LSTM unit (H and C)
    expect(f.delaysByTicks).toEqual({ 1: 19 + 2 * 2 * 24 });
    expect(f.connections).toBe(9512);
    expect(f.multiplierInputs).toBe(288);
    expect(f.delayInputs).toBe(115);
    expect(f.layers).toBe(13);
    expect([f.maxFanIn, f.maxFanOut]).toEqual([48, 97]);
    // No fan-in or fan-out tree was needed: the T-network is the logical one.
    expect(r.logical).toEqual(f);
    expect(patentLayerRule(r.graph).value).toBe(r.network.patent.layers);
    expect(r.relError).toBeLessThan(1e-9);
  });

  // Not asked for by the "smallest two", but the only one of the small ones in which the fan-in and fan-out
  // limits fire (IndRNN and Capnobase need no tree): pins the pyramids and buffer trees of an LSTM stack.
  it('BMS: pyramids for the 128-input gates of layer 2, buffer trees for the 256- and 257-way fan-outs, exact', () => {
    const r = buildPatentNetwork(network('bms'));
    const f = r.final;
    expect(r.logical.summators).toBe(2 * 64 * 6 + 2);
    expect(r.logical.maxFanIn).toBe(128);
    expect(r.logical.maxFanOut).toBe(257);
    // one partial sum per layer-2 gate (64 + 64 = 128 inputs > 100); 2 buffers per signal driving 256 or 257 blocks:
    // 8 inputs, and per layer the delayed H (its own 256 gates) and layer 1's H (its delay + layer 2's 256 gates)
    expect(f.summatorsByRole).toMatchObject({ compute: 640, linear: 130, partialSum: 256, buffer: 2 * (8 + 64 + 64 + 64) });
    expect(f.summators).toBe(1426);
    expect(f.multipliers).toBe(384);
    expect(f.delaysByTicks).toEqual({ 1: 256 });
    expect(r.logical.connections).toBe(51712);
    // each partial sum and each buffer adds one connection
    expect(f.connections).toBe(51712 + 256 + 400);
    expect([r.logical.layers, f.layers]).toEqual([11, 14]);
    expect([f.maxFanIn, f.maxFanOut]).toEqual([100, 100]);
    expect(patentLayerRule(r.graph).value).toBe(r.network.patent.layers);
    expect(r.relError).toBeLessThan(1e-9);
  });

  it('splits a delay line into the patent\'s 10-, 5- and 1-tick stages', () => {
    expect(delayStages(19)).toEqual([10, 5, 1, 1, 1, 1]);
    expect(delayStages(0)).toEqual([]);
  });
});
