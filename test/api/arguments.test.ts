// Issue 20, library API: every entry point past the importer throws only OhmnetError for bad arguments (null, the
// wrong kind of value, a damaged network), whether it returns a value or a promise; a sound call still works.

import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';
import { isOhmnetError } from '../../src/errors.js';
import { loadFixture } from '../helpers.js';

async function outcome(call: () => unknown): Promise<'ok' | 'ohmnet' | string> {
  try {
    await call();
    return 'ok';
  } catch (e) {
    return isOhmnetError(e) ? 'ohmnet' : `${(e as Error)?.name}: ${(e as Error)?.message}`;
  }
}

const fx = loadFixture('tiny_mlp');
const graph = api.importModel(fx.path);
const compiled = api.compileGraph(graph, { calibration: fx.inputs });
const realized = api.realize(compiled.tnet, { setOhm: api.seriesValues('E24', 1e5, 1e6), setName: 'E24', feedback: 'min-error', feedbackPer: 'layer', toleranceRel: 0, vRefV: 1 });
const garbage: unknown[] = [null, undefined, 0, 'x', {}, [], { neurons: {} }, { nodes: 'x', input: {} }];
/** A network whose connection reads a signal that does not exist. */
const damaged = { ...compiled.tnet, neurons: { ...compiled.tnet.neurons, src: Int32Array.from(compiled.tnet.neurons.src, () => 999) } };
const wrongLengths = { ...realized, rPlusOhm: new Float64Array(1) };

const calls: [string, (g: unknown) => unknown][] = [
  ['compileGraph(g)', (g) => api.compileGraph(g as never)],
  ['compileGraph(graph, g)', (g) => api.compileGraph(graph, g as never)],
  ['evaluate(g, samples)', (g) => api.evaluate(g as never, fx.inputs)],
  ['evaluate(graph, g)', (g) => api.evaluate(graph, g as never)],
  ['evaluateTnet(g, samples)', (g) => api.evaluateTnet(g as never, fx.inputs)],
  ['evaluateTnet(tnet, g)', (g) => api.evaluateTnet(compiled.tnet, g as never)],
  ['realize(g, options)', (g) => api.realize(g as never, realized.options)],
  ['realize(tnet, g)', (g) => api.realize(compiled.tnet, g as never)],
  ['emitNetlist(g, options)', (g) => api.emitNetlist(g as never, { opamp: api.DEFAULT_IDEAL })],
  ['buildCircuit(g, options)', (g) => api.buildCircuit(g as never, { opamp: api.DEFAULT_IDEAL })],
  ['evaluateRealized(g, ...)', (g) => api.evaluateRealized(g as never, fx.inputs, realized)],
  ['monteCarlo(g, ...)', (g) => api.monteCarlo(g as never, fx.inputs, fx.outputs, { trials: 1, toleranceRel: 0.01, distribution: 'gaussian', seed: 1, classThreshold: 0.5, converters: {} })],
  ['monteCarlo(realized, ..., g)', (g) => api.monteCarlo(realized, fx.inputs, fx.outputs, g as never)],
  ['verifySpice(g, realized, ...)', (g) => api.verifySpice(g as never, realized, { engine: 'wasm', opamp: api.DEFAULT_IDEAL, samples: fx.inputs.slice(0, 1) })],
  ['verifySpice(graph, g, ...)', (g) => api.verifySpice(graph, g as never, { engine: 'wasm', opamp: api.DEFAULT_IDEAL, samples: fx.inputs.slice(0, 1) })],
  ['verifySpice(graph, realized, g)', (g) => api.verifySpice(graph, realized, g as never)],
  ['summarize(g, compiled)', (g) => api.summarize(g as never, compiled, null)],
  ['summarize(graph, g)', (g) => api.summarize(graph, g as never, null)],
  ['openRun(g, {})', (g) => api.openRun(g as never, {})],
  ['openRun(graph, g)', (g) => api.openRun(graph, g as never)],
  ['realizeCompiled(g, compiled)', (g) => api.realizeCompiled(g as never, compiled)],
  ['writeTnetJson(path, g)', (g) => api.writeTnetJson('/tmp/ohmnet-never-written.json', g as never)],
  ['writeResistorsCsv(path, g)', (g) => api.writeResistorsCsv('/tmp/ohmnet-never-written.csv', g as never)],
  ['tnetStats via verifyTnet(g)', (g) => api.verifyTnet(g as never)],
];

describe('bad arguments give OhmnetError, never a TypeError', () => {
  it.each(calls)('%s', async (_name, call) => {
    for (const g of garbage) {
      const r = await outcome(() => call(g));
      expect(r === 'ok' || r === 'ohmnet', `${JSON.stringify(g) ?? String(g)}: ${r}`).toBe(true);
    }
  });

  it('a damaged network or realization is refused by name', async () => {
    expect(await outcome(() => api.evaluateTnet(damaged as never, fx.inputs))).toBe('ohmnet');
    expect(await outcome(() => api.realize(damaged as never, realized.options))).toBe('ohmnet');
    expect(await outcome(() => api.emitNetlist(wrongLengths as never, { opamp: api.DEFAULT_IDEAL }))).toBe('ohmnet');
    try {
      api.evaluateTnet(damaged as never, fx.inputs);
    } catch (e) {
      expect((e as Error).message).toMatch(/not one \(connection 0 reads signal 999, which does not exist\)/);
    }
  });

  it('unknown enum values are refused, not accepted', async () => {
    expect(await outcome(() => api.resolveRealizationOptions({ feedbackPer: 'chip' as never }))).toBe('ohmnet');
    expect(await outcome(() => api.resolveRealizationOptions({ toleranceDistribution: 'cauchy' as never }))).toBe('ohmnet');
    expect(await outcome(() => api.resolveFlowOptions({ approx: { levels: 1, method: 'magic' as never } }))).toBe('ohmnet');
    expect(await outcome(() => api.resolveFlowOptions({ engine: 'spectre' as never }))).toBe('ohmnet');
  });

  it('sound calls still work', async () => {
    expect(api.evaluateTnet(compiled.tnet, fx.inputs).outputs).toHaveLength(fx.inputs.length);
    expect(api.emitNetlist(realized, { opamp: api.DEFAULT_IDEAL })).toMatch(/\.end\n$/);
  });
});
