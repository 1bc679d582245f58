// Quantization-aware training onto the realization's own grid: after `fineTune` with grid 'resistors', every weight
// and bias of the trained graph is a value of the pair table realize() uses (realize/pairs.ts), and realizing the
// trained model (feedback fixed at the grid's R_f, a signal limit no signal reaches, so no rescaling moves a weight)
// picks for every connection exactly the resistor pair the training grid chose: training and realization agree
// weight for weight. The patent's grids are presets, refused for a set that cannot realize them.

import { describe, expect, it } from 'vitest';
import { runFlow } from '../../src/flow/index.js';
import { BLOCK } from '../../src/tnet/blocks.js';
import { bestOption, PairTableCache } from '../../src/realize/pairs.js';
import { seriesValues } from '../../src/realize/series.js';
import { checkGridRealizable, GRID_PRESETS, valueGrid } from '../../src/train/grid.js';
import { fineTune } from '../../src/train/index.js';
import { Rng } from '../../src/util/random.js';
import { G } from './graphs.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from '../helpers.js';

const load = (f: string) => {
  const j = JSON.parse(readFileSync(join(FIXTURES, 'train', f), 'utf8')) as { inputs: number[][]; labels: number[] };
  return { samples: j.inputs.map((x) => Float64Array.from(x)), labels: j.labels };
};
const train = load('iris_train.json');
const test = load('iris_test.json');

function mlp() {
  const g = new G(new Rng(21), [4]);
  g.dense(4, 8);
  g.act({ type: 'relu' });
  g.dense(8, 3);
  return g.graph();
}

describe('quantization-aware training on the resistor grid', () => {
  it('trains onto the pair table realize() uses; realization picks the same pair for every weight and bias', async () => {
    const float = await fineTune(mlp(), train, { epochs: 150, learningRate: 0.03, test });
    const opts = { resistors: 'E24', toleranceRel: 0.01 } as const;
    const q = await fineTune(float.graph, train, { ...opts, grid: 'resistors', epochs: 5, learningRate: 0.005, test });
    const rf = q.grid!.rFeedbackOhm!;
    const table = new PairTableCache(seriesValues('E24', 1e5, 1e6), 0.01).get(rf);
    const onGrid = (w: number) => table.value[bestOption(table, w)] === w;
    const params = q.graph.nodes.flatMap((n) => (n.kind === 'dense' ? [...n.weight.data, ...n.bias!] : []));
    expect(params.every(onGrid)).toBe(true);
    expect(q.history[q.history.length - 1].test!.accuracy).toBeGreaterThan(0.9);

    const run = await runFlow(q.graph, { ...opts, rFeedbackOhm: rf, signalLimitV: 1000, calibration: train.samples }, ['realize']);
    const r = run.requireRealization().realized;
    const n = r.tnet.neurons;
    const tnetParams: number[] = [];
    let pairs = 0;
    for (let i = 0; i < n.count; i++) {
      if (n.block[i] !== BLOCK.neuron) continue;
      expect(r.rFeedbackOhm[i]).toBe(rf);
      expect(r.gain[i]).toBe(1);
      for (let e = n.rowPtr[i]; e < n.rowPtr[i + 1]; e++) {
        const k = bestOption(table, n.weight[e]);
        expect(table.value[k]).toBe(n.weight[e]);
        expect([r.rPlusOhm[e], r.rMinusOhm[e]]).toEqual([table.rPlus[k], table.rMinus[k]]);
        // The circuit's weight is the grid value up to the normalizer's residual conductance mismatch.
        expect(Math.abs(r.weight[e] - n.weight[e])).toBeLessThan(2e-3 * Math.max(1, Math.abs(n.weight[e])));
        tnetParams.push(n.weight[e]);
        pairs++;
      }
      const kb = bestOption(table, n.bias[i]);
      expect([r.rBiasPlusOhm[i], r.rBiasMinusOhm[i]]).toEqual([table.rPlus[kb], table.rMinus[kb]]);
      tnetParams.push(n.bias[i]);
    }
    // The T-network holds the trained weights themselves (direct construction, no rescaling).
    expect(pairs).toBe(4 * 8 + 8 * 3);
    expect([...tnetParams].sort((a, b) => a - b)).toEqual([...params].sort((a, b) => a - b));
  }, 60_000);
});

describe('the patent\'s grids', () => {
  it('two nominals {1, 4} ohm realize exactly {-3, -0.75, 0, 0.75, 3}; E12 100k..1M does not', () => {
    expect(() => checkGridRealizable('two-nominal', GRID_PRESETS['two-nominal'].values, [1, 4], '{1, 4}')).not.toThrow();
    // Every option of R_f = 4 and R_f = 1 over {1, 4}: exactly the grid.
    const t4 = new PairTableCache([1, 4], 0).get(4);
    const t1 = new PairTableCache([1, 4], 0).get(1);
    expect([...new Set([...t4.value, ...t1.value])].sort((a, b) => a - b)).toEqual([-3, -0.75, 0, 0.75, 3]);
    expect(() => checkGridRealizable('two-nominal', GRID_PRESETS['two-nominal'].values, seriesValues('E12', 1e5, 1e6), 'E12')).toThrow(/weight -3 cannot be realized/);
  });
  it('ternary rounds to the nearest of {-1, 0, 1}', () => {
    const out = new Float64Array(5);
    valueGrid(GRID_PRESETS.ternary.values).quantize(Float64Array.from([-2, -0.6, 0.4, 0.5, 3]), out, false);
    expect([...out]).toEqual([-1, -1, 0, 0, 1]);
  });
});

describe('quantization-aware training of a recurrent cell on the resistor grid', () => {
  it('an RNN\'s W, R and its summed bias Wb + Rb land on the grid, and realization picks the trained pair for each', async () => {
    const { recurrentNode } = await import('./graphs.js');
    const g = new G(new Rng(23), [4, 3]);
    const cell = recurrentNode(g.rng, { cell: 'rnn', I: 3, H: 4, activations: ['tanh'], produces: 'hidden' });
    g.nodes.push(cell);
    g.push({ kind: 'reshape', shape: [4], inputs: [cell.output] } as never);
    g.dense(4, 2);
    const rng = new Rng(8);
    const samples = Array.from({ length: 60 }, () => Float64Array.from({ length: 12 }, () => rng.normal()));
    const set = { samples, labels: samples.map((x) => (x[0] + x[3] + x[6] + x[9] > 0 ? 1 : 0)) };
    const opts = { resistors: 'E24', toleranceRel: 0.01 } as const;
    const q = await fineTune(g.graph(), set, { ...opts, grid: 'resistors', epochs: 3, learningRate: 0.01 });
    const rf = q.grid!.rFeedbackOhm!;
    const table = new PairTableCache(seriesValues('E24', 1e5, 1e6), 0.01).get(rf);
    const near = (w: number) => Math.abs(table.value[bestOption(table, w)] - w) <= 1e-12 * Math.max(1, Math.abs(w));
    const rnn = q.graph.nodes[0] as typeof cell & { kind: 'recurrent' };
    expect([...rnn.weight.data, ...rnn.recurrence.data].every(near)).toBe(true);
    expect(Array.from(rnn.inputBias, (b, k) => b + rnn.recurrenceBias[k]).every(near)).toBe(true);

    const run = await runFlow(q.graph, { ...opts, rFeedbackOhm: rf, signalLimitV: 1000, calibration: set.samples }, ['realize']);
    const r = run.requireRealization().realized;
    const n = r.tnet.neurons;
    let pairs = 0;
    for (let i = 0; i < n.count; i++) {
      if (n.block[i] !== BLOCK.neuron) continue;
      for (let e = n.rowPtr[i]; e < n.rowPtr[i + 1]; e++) {
        const k = bestOption(table, n.weight[e]);
        expect(Math.abs(table.value[k] - n.weight[e])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(n.weight[e])));
        expect([r.rPlusOhm[e], r.rMinusOhm[e]]).toEqual([table.rPlus[k], table.rMinus[k]]);
        pairs++;
      }
      const kb = bestOption(table, n.bias[i]);
      expect(Math.abs(table.value[kb] - n.bias[i])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(n.bias[i])));
    }
    // The RNN's 4 units (3 inputs + 4 recurrent each) and the readout's 2 x 4.
    expect(pairs).toBe(4 * (3 + 4) + 2 * 4);
  }, 60_000);
});
