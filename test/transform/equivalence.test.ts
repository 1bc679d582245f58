// Differential test of the whole T-transformation on every fixture and the constraint pairs of issue 3:
// verifyTnet passes with the constraints, observed fan-in <= N_I and fan-out <= N_O, every signal within +-S on the
// calibration inputs, and the T-network outputs match the float64 source model within 1e-9 absolute. The
// construction is exact, so the observed error is float64 round-off of reordered sums (~1e-14 here); 1e-9 is the
// issue's bar, and far above round-off so a real mistake (a lost term, a wrong gain) cannot hide under it.

import { describe, expect, it } from 'vitest';
import { importModel } from '../../src/import/index.js';
import { evaluate } from '../../src/reference/evaluate.js';
import { evaluateTnet } from '../../src/tnet/evaluate.js';
import { tnetStats } from '../../src/tnet/stats.js';
import { verifyTnet } from '../../src/tnet/verify.js';
import { compileGraph } from '../../src/transform/pipeline.js';
import { loadFixture, maxAbsDiff, MODEL_FIXTURES } from '../helpers.js';

const PAIRS: [number, number][] = [[2, 2], [3, 5], [16, 16], [100, 100]];

describe.each(MODEL_FIXTURES)('%s', (name) => {
  const fx = loadFixture(name);
  const graph = importModel(fx.path);
  const reference = evaluate(graph, fx.inputs).outputs;

  it.each(PAIRS)('fan-in %i, fan-out %i, S = 5: constraints hold and outputs match within 1e-9', (fanIn, fanOut) => {
    const c = compileGraph(graph, { fanIn, fanOut, signalLimitV: 5, calibration: fx.inputs });
    verifyTnet(c.tnet, { fanIn, fanOut });
    const stats = tnetStats(c.tnet);
    expect(stats.maxFanIn).toBeLessThanOrEqual(fanIn);
    expect(stats.maxFanOut).toBeLessThanOrEqual(fanOut);
    // Without rails, to see the true signals: none may exceed S (up to float64 rounding of S itself).
    const free = evaluateTnet(c.tnet, fx.inputs, { railV: null, collectStats: true });
    let maxSignal = 0;
    for (let s = 0; s < free.stats!.min.length; s++) maxSignal = Math.max(maxSignal, -free.stats!.min[s], free.stats!.max[s]);
    expect(maxSignal).toBeLessThanOrEqual(5 * (1 + 1e-12));
    const railed = evaluateTnet(c.tnet, fx.inputs, { collectStats: true });
    expect(railed.stats!.railHits).toBe(0);
    expect(maxAbsDiff(railed.outputs, reference)).toBeLessThanOrEqual(1e-9);
  });

  it('a tight signal limit (0.25 V) is met by exact rescaling', () => {
    const c = compileGraph(graph, { fanIn: 16, fanOut: 16, signalLimitV: 0.25, calibration: fx.inputs });
    const free = evaluateTnet(c.tnet, fx.inputs, { railV: null, collectStats: true });
    for (let s = 0; s < free.stats!.min.length; s++) {
      expect(Math.max(-free.stats!.min[s], free.stats!.max[s])).toBeLessThanOrEqual(0.25 * (1 + 1e-12));
    }
    expect(maxAbsDiff(evaluateTnet(c.tnet, fx.inputs).outputs, reference)).toBeLessThanOrEqual(1e-9);
  });
});
