// The library API as the README shows it, through the package entry point.

import { describe, expect, it } from 'vitest';
import { compileGraph, evaluate, evaluateTnet, importModel, inspectGraph, summarize } from '../src/index.js';
import { FIXTURES } from './helpers.js';

describe('README library example', () => {
  it('imports, evaluates, compiles and summarizes', () => {
    const graph = importModel(`${FIXTURES}/iris_mlp.onnx`);
    const { outputs } = evaluate(graph, [[0.2, 0.5, 0.1, 0.05]]);
    expect(inspectGraph(graph).totals).toEqual({ layers: 6, parameters: 403, macs: 368 });
    const compiled = compileGraph(graph, { fanIn: 16, fanOut: 16, signalLimitV: 5 });
    const tnetOut = evaluateTnet(compiled.tnet, [[0.2, 0.5, 0.1, 0.05]]).outputs;
    tnetOut[0].forEach((v, j) => expect(Math.abs(v - outputs[0][j])).toBeLessThan(1e-12));
    expect(summarize(graph, compiled, null).equivalence.maxAbsError).toBeLessThan(1e-9);
  });
});
