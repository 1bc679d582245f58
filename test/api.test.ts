// The library API as docs/api.md shows it (through the package entry point), so the documented example stays true.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compileGraph, emitNetlist, evaluate, evaluateTnet, importModel, inspectGraph, parseOpamp, realizeCompiled, renderReport,
  summarize, verifySpice, addRealization,
} from '../src/index.js';
import { FIXTURES } from './helpers.js';

describe('docs/api.md example', () => {
  it('imports, compiles, realizes, emits, verifies and reports', async () => {
    const graph = importModel(join(FIXTURES, 'digits_cnn.onnx'));
    const digits = (JSON.parse(readFileSync(join(FIXTURES, 'digits_test.json'), 'utf8')) as { inputs: number[][] }).inputs;
    const reference = evaluate(graph, digits.slice(0, 5)).outputs;
    expect(inspectGraph(graph).totals).toEqual({ layers: 9, parameters: 1898, macs: 23936 });
    const compiled = compileGraph(graph, { fanIn: 32, fanOut: 32, signalLimitV: 5, calibration: digits });
    const tnetOut = evaluateTnet(compiled.tnet, digits.slice(0, 5)).outputs;
    tnetOut.forEach((y, k) => y.forEach((v, j) => expect(Math.abs(v - reference[k][j])).toBeLessThan(1e-12)));
    const summary = summarize(graph, compiled, 'fixtures/digits_cnn.onnx');
    const { realized, summary: realization, trials } = await realizeCompiled(graph, compiled, { resistors: 'E96', toleranceRel: 0.01, trials: 8 });
    expect(realization.monteCarlo!.classAgreement.mean).toBeGreaterThan(0.9);
    expect(emitNetlist(realized, { opamp: parseOpamp('ideal'), title: 'digits' })).toMatch(/^\* ohmnet netlist: digits/);
    const spice = await verifySpice(graph, realized, { engine: 'wasm', opamp: parseOpamp('ideal'), samples: digits.slice(0, 5) });
    expect(spice.passed).toBe(true);
    const html = await renderReport({ summary: addRealization(summary, realization, spice), inspect: inspectGraph(graph), tnet: compiled.tnet, realized, monteCarloTrials: trials, options: {} });
    expect(html).toMatch(/<section id="overview"/);
  });
});
