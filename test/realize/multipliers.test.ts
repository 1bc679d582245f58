// Realization of networks with multiplier blocks (issue 11): a multiplier row gets no resistors and no say in R_f;
// the bill of materials lists it as a multiplier cell with its coefficient; the behavioural and Monte Carlo
// simulations treat it as ideal (its realized weights are its exact ones, and no resistor draw is spent on it).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importOnnxFile } from '../../src/import/onnx.js';
import { realizeCompiled } from '../../src/flow/index.js';
import { realizationStats } from '../../src/realize/realize.js';
import { perturbedWeights } from '../../src/simulate/realized.js';
import { monteCarlo } from '../../src/simulate/montecarlo.js';
import { BLOCK } from '../../src/tnet/blocks.js';
import { compileGraph } from '../../src/transform/pipeline.js';
import { Rng } from '../../src/util/random.js';
import { FIXTURES } from '../helpers.js';

const fx = JSON.parse(readFileSync(join(FIXTURES, 'recurrent', 'se_block.json'), 'utf8')) as { model: string; inputs: number[][]; outputs: number[][] };
const graph = importOnnxFile(join(FIXTURES, 'recurrent', fx.model));

describe('se_block realized', async () => {
  const compiled = compileGraph(graph, { calibration: fx.inputs });
  const { realized: r, summary } = await realizeCompiled(graph, compiled, { resistors: 'E96' });
  const n = r.tnet.neurons;
  const isMul = (i: number) => n.block[i] === BLOCK.multiplier;
  const muls = Array.from({ length: n.count }, (_, i) => i).filter(isMul);

  it('has 288 multipliers, none with a resistor, R_f, gain stage, bias pair or normalizer', () => {
    expect(muls.length).toBe(288);
    for (const i of muls) {
      expect(Number.isNaN(r.rFeedbackOhm[i])).toBe(true);
      expect(r.gain[i]).toBe(1);
      expect(r.rBiasPlusOhm[i]).toBe(Infinity);
      expect(r.normPlusCount[i] + r.normMinusCount[i]).toBe(0);
      for (let e = n.rowPtr[i]; e < n.rowPtr[i + 1]; e++) {
        expect(r.rPlusOhm[e]).toBe(Infinity);
        expect(r.weight[e]).toBe(1);
      }
      expect(r.bias[i]).toBe(0);
    }
  });

  it('counts the multipliers as cells in the bill of materials, apart from the resistors and the neurons', () => {
    const st = realizationStats(r);
    expect(st.neurons).toBe(n.count - 288);
    expect(st.multiplierCells.reduce((k, c) => k + c.count, 0)).toBe(288);
    for (const c of st.multiplierCells) expect(muls.some((i) => n.paramA[i] === c.coefficient)).toBe(true);
    expect(st.billOfMaterials.reduce((k, b) => k + b.count, 0)).toBe(st.resistors);
    expect(st.openConnections).toBe(Array.from({ length: n.rowPtr[n.count] }, (_, e) => e).filter((e) => r.rPlusOhm[e] === Infinity).length - 2 * 288);
    expect(st.feedbackByLayer.every((l) => Number.isFinite(l.rFeedbackOhm))).toBe(true);
    expect(summary.multiplierCells).toEqual(st.multiplierCells);
  });

  it('keeps a multiplier ideal under resistor tolerance (no draws: the neurons draw as without it)', () => {
    const w = perturbedWeights(r, new Rng(5), 0.05, 'gaussian');
    for (const i of muls) {
      for (let e = n.rowPtr[i]; e < n.rowPtr[i + 1]; e++) expect(w.weight[e]).toBe(1);
      expect(w.bias[i]).toBe(0);
    }
    const nominal = perturbedWeights(r, null, 0, 'gaussian');
    let moved = 0;
    for (let e = 0; e < w.weight.length; e++) if (w.weight[e] !== nominal.weight[e]) moved++;
    expect(moved).toBeGreaterThan(0);
  });

  it('runs Monte Carlo trials to finite figures', async () => {
    const mc = await monteCarlo(r, fx.inputs, fx.outputs, { trials: 4, toleranceRel: 0.01, distribution: 'gaussian', seed: 3, classThreshold: 0.5, converters: {}, workers: 1 });
    expect(mc.trials.length).toBe(4);
    for (const t of mc.trials) expect(Number.isFinite(t.mse)).toBe(true);
  });
});
