// The recurrent lowering (src/lower/recurrent.ts, src/lower/time.ts) is exact: for every recurrent fixture the
// compiled, clocked T-network (after fan-in pyramids, fan-out trees and signal scaling) reproduces the fixture's
// float64 torch/numpy reference within 1e-9 of the output scale, under fan-in/fan-out (3, 5), (16, 16) and
// (100, 100). A model whose output is the whole sequence (Y) is compared at every time step (its outputs are read at
// every tick); one whose output is the last step, at the last tick. Tolerance: the lowering is a re-association of
// the reference's float64 sums (errors observed ~1e-15), so 1e-9 leaves six orders of margin and still catches a
// wrong weight or a wrong tick.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { readTnetJson, writeTnetJson } from '../../src/io/tnet-json.js';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importModel } from '../../src/import/index.js';
import { compileGraph } from '../../src/transform/pipeline.js';
import { evaluateTnet } from '../../src/tnet/evaluate.js';
import { BLOCK } from '../../src/tnet/blocks.js';
import { verifyTnet } from '../../src/tnet/verify.js';
import { neuronLabel } from '../../src/tnet/types.js';
import { FIXTURES, maxAbs, maxAbsDiff, runCli } from '../helpers.js';

const DIR = join(FIXTURES, 'recurrent');
const index = JSON.parse(readFileSync(join(DIR, 'index.json'), 'utf8')) as { models: string[] };
interface Fixture { model: string; inputs: number[][]; outputs: number[][]; opTypes: string[]; recurrent: unknown[]; inputShape: number[] }
const load = (name: string) => JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as Fixture;
// Recurrent fixtures whose ONNX file has a static shape (lstm_dyn_seq needs --input-shape; its own test below).
const RECURRENT = index.models.filter((m) => load(m).recurrent.length > 0 && m !== 'lstm_dyn_seq');
const LIMITS: [number, number][] = [[3, 5], [16, 16], [100, 100]];

describe.each(RECURRENT)('recurrent lowering of %s', (name) => {
  const fx = load(name);
  const graph = importModel(join(DIR, fx.model));
  const scale = maxAbs(fx.outputs);
  it.each(LIMITS)('is exact within 1e-9 of the output scale under fan-in %i, fan-out %i', (fanIn, fanOut) => {
    const { tnet } = compileGraph(graph, { fanIn, fanOut, calibration: fx.inputs });
    verifyTnet(tnet, { fanIn, fanOut });
    expect(tnet.clock).not.toBeNull();
    expect(tnet.clock!.ticks).toBe(fx.inputShape[0]);
    const got = evaluateTnet(tnet, fx.inputs).outputs;
    expect(got[0].length).toBe(fx.outputs[0].length);
    expect(maxAbsDiff(got, fx.outputs) / scale).toBeLessThan(1e-9);
  });
});

describe('recurrent block structure', () => {
  const count = (name: string) => {
    const { tnet } = compileGraph(importModel(join(DIR, load(name).model)), { fanIn: 1000, fanOut: 1000, calibration: load(name).inputs });
    const c = { neuron: 0, multiplier: 0, delay: 0 };
    tnet.neurons.block.forEach((b) => (b === BLOCK.neuron ? c.neuron++ : b === BLOCK.multiplier ? c.multiplier++ : c.delay++));
    return { ...c, readTicks: tnet.clock!.readTicks, ticks: tnet.clock!.ticks };
  };
  it('an LSTM unit is 4 gates, a cell sum, a tanh, 3 multipliers and 2 delays; the sequence is read at every tick', () => {
    // lstm_seq_bf: LSTM(3 -> 8) over 6 steps, output Y.
    const c = count('lstm_seq_bf');
    expect(c).toEqual({ neuron: 8 * 6, multiplier: 8 * 3, delay: 8 * 2, readTicks: [0, 1, 2, 3, 4, 5], ticks: 6 });
  });
  it('every block of a cell names its gate or state and unit (netlist comments, messages, tnet.json)', () => {
    const { tnet } = compileGraph(importModel(join(DIR, 'lstm_seq_bf.onnx')), { fanIn: 1000, fanOut: 1000, calibration: load('lstm_seq_bf').inputs });
    const labels = Array.from({ length: tnet.neurons.count }, (_, i) => neuronLabel(tnet, i).replace(/^neuron \d+ /, '').replace(/unit \d+/, 'unit U'));
    const kinds = [...new Set(labels)].sort();
    expect(kinds).toEqual([
      "(compute of LSTM '/rnn/LSTM' H = o * h(C) unit U)", "(compute of LSTM '/rnn/LSTM' f * C_prev unit U)", "(compute of LSTM '/rnn/LSTM' gate c~ unit U)",
      "(compute of LSTM '/rnn/LSTM' gate f unit U)", "(compute of LSTM '/rnn/LSTM' gate i unit U)", "(compute of LSTM '/rnn/LSTM' gate o unit U)",
      "(compute of LSTM '/rnn/LSTM' h(C) unit U)", "(compute of LSTM '/rnn/LSTM' i * c~ unit U)", "(linear of LSTM '/rnn/LSTM' cell C unit U)",
      "(linear of LSTM '/rnn/LSTM' state C_prev unit U)", "(linear of LSTM '/rnn/LSTM' state H_prev unit U)",
    ]);
    for (const k of kinds) expect(labels.filter((l) => l === k)).toHaveLength(8);
    const file = join(mkdtempSync(join(tmpdir(), 'ohmnet-parts-')), 'tnet.json');
    writeTnetJson(file, tnet);
    const back = readTnetJson(file);
    expect(back.origins).toEqual(tnet.origins);
  });

  it('an IndRNN unit has one recurrent connection, its own', () => {
    const { tnet } = compileGraph(importModel(join(DIR, 'indrnn_digits.onnx')), { fanIn: 1000, fanOut: 1000, calibration: load('indrnn_digits').inputs });
    const n = tnet.neurons;
    const delays = new Set<number>();
    n.block.forEach((b, i) => b === BLOCK.delay && delays.add(tnet.inputCount + i));
    for (let i = 0; i < n.count; i++) {
      if (n.block[i] !== BLOCK.neuron) continue;
      let fromDelays = 0;
      for (let e = n.rowPtr[i]; e < n.rowPtr[i + 1]; e++) if (delays.has(n.src[e])) fromDelays++;
      expect(fromDelays).toBeLessThanOrEqual(1);
    }
    expect(delays.size).toBeGreaterThan(0);
  });
  it('a Conv1D over time is a causal delay line shared by every filter; the LSTM after it starts when the first window is full', () => {
    // conv1d_lstm: 4 channels over 24 steps, Conv1d(4 -> 8, k = 5), LSTM(8 -> 16), last step.
    const c = count('conv1d_lstm');
    expect(c.delay).toBe(4 * 4 + 16 * 2);
    expect(c.readTicks).toEqual([23]);
  });
  it('a dilated Conv1D over time takes one delay per tap: chains of dilation-tick delays (multi-rate, one clock)', () => {
    // conv1d_dilated_gru: 3 channels over 20 steps, Conv1d(3 -> 6, k = 3, dilation 4) taps 0, 4, 8 ticks back; GRU(6 -> 8).
    const { tnet } = compileGraph(importModel(join(DIR, 'conv1d_dilated_gru.onnx')), { fanIn: 1000, fanOut: 1000, calibration: load('conv1d_dilated_gru').inputs });
    const byTicks = new Map<number, number>();
    tnet.neurons.block.forEach((b, i) => b === BLOCK.delay && byTicks.set(tnet.neurons.paramA[i], (byTicks.get(tnet.neurons.paramA[i]) ?? 0) + 1));
    expect(Object.fromEntries(byTicks)).toEqual({ 4: 3 * 2, 1: 8 });
    // The GRU's state is held until the conv's first window is full (tick 8).
    const starts = new Set<number>();
    tnet.neurons.block.forEach((b, i) => b === BLOCK.delay && tnet.neurons.paramA[i] === 1 && starts.add(tnet.neurons.paramB[i]));
    expect([...starts]).toEqual([8]);
  });
});

describe('ohmnet run --stage tnet on recurrent models', () => {
  it.each([['lstm_seq_bf', 3, 5], ['gru_lbr0', 16, 16], ['rnn_relu_attr', 100, 100]] as const)('%s under fan-in %i / fan-out %i matches the reference at every read tick', async (name, fanIn, fanOut) => {
    const fx = load(name);
    const inputs = join(DIR, `${name}.json`);
    const r = await runCli(['run', join(DIR, fx.model), '--stage', 'tnet', '--inputs', inputs, '--calibration', inputs, '--fan-in', String(fanIn), '--fan-out', String(fanOut), '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const got = (JSON.parse(r.stdout) as { outputs: number[][] }).outputs;
    expect(maxAbsDiff(got, fx.outputs) / maxAbs(fx.outputs)).toBeLessThan(1e-9);
  });
  it('a model with a dynamic sequence length compiles for the length --input-shape gives', async () => {
    const fx = load('lstm_dyn_seq');
    const inputs = join(DIR, 'lstm_dyn_seq.json');
    const r = await runCli(['run', join(DIR, fx.model), '--stage', 'tnet', '--inputs', inputs, '--calibration', inputs, '--input-shape', fx.inputShape.join(','), '--json']);
    expect(r.stderr).toBe('');
    const got = (JSON.parse(r.stdout) as { outputs: number[][] }).outputs;
    expect(maxAbsDiff(got, fx.outputs) / maxAbs(fx.outputs)).toBeLessThan(1e-9);
  });
});
