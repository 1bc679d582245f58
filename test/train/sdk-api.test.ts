// The SDK loop and the training report from the library API (src/index.ts): sdkLoop returns a row per iteration and
// the learning curve of every fine-tuning round (with the test set after each epoch), and renderTrainingReport makes
// the page of them, its learning-curve section holding those figures.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importModel, renderTrainingReport, sdkLoop } from '../../src/index.js';
import { pct } from '../../src/report/html/format.js';
import { FIXTURES } from '../helpers.js';

const load = (f: string) => {
  const j = JSON.parse(readFileSync(join(FIXTURES, 'train', f), 'utf8')) as { inputs: number[][]; labels: number[] };
  return { samples: j.inputs.map((x) => Float64Array.from(x)), labels: j.labels };
};

describe('sdkLoop (API)', () => {
  it('returns the iterations and each round\'s learning curve, which the training report shows', async () => {
    const graph = importModel(join(FIXTURES, 'iris_mlp.onnx'));
    const train = load('iris_train.json');
    const test = load('iris_test.json');
    const r = await sdkLoop(graph, {
      flow: { resistors: 'E6', toleranceRel: 0.05, trials: 5 }, train, test, minAccuracy: 1, maxErrorV: 1e-6,
      maxIterations: 1, epochsPerIteration: 2, learningRate: 0.0005, seed: 1, workers: 1,
    });
    expect(r.met).toBe(false);
    expect(r.rows.map((x) => x.iteration)).toEqual([0, 1]);
    expect(r.rounds).toHaveLength(1);
    expect(r.rounds[0].history.map((h) => h.epoch)).toEqual([1, 2]);
    expect(r.rounds[0].history.every((h) => h.test !== null && h.testNoisy !== null)).toBe(true);
    const html = await renderTrainingReport({ model: 'iris_mlp.onnx', command: null, facts: [], runs: r.rounds.map((x) => ({ label: `round ${x.iteration}`, history: x.history })), sdk: r.rows });
    const curves = html.slice(html.indexOf('<section id="learning-curves">'));
    for (const h of r.rounds[0].history) expect(curves).toContain(`<td class="num">${pct(h.test!.accuracy)}</td>`);
  }, 60_000);
});
