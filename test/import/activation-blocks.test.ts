// Issue 19's smooth activation blocks Elu, Selu, Softplus and Softsign, end to end on a tiny Gemm -> activation ->
// Gemm model built here: the import against onnxruntime (an independent implementation, float32: tolerance 1e-5
// relative to the output scale), the compiled analog network exact against ohmnet's float64 reference of the imported
// graph (1e-9 relative: the tnet's blocks compute the same functions: Elu/Selu as a ReLU plus the ELU's negative
// branch, each block A f(B v) rescaled to the signal limit), and the SPICE netlist (behavioural B-source cells) against the behavioural realized network
// on both engines (1e-6 V: the engines' own convergence, ideal op-amps). The ONNX writer's Elu/Selu/Softplus/Softsign
// read back to the same model (1e-6: float32 attributes).

import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { importOnnx } from '../../src/import/onnx.js';
import { exportOnnx } from '../../src/io/onnx-export.js';
import { evaluate } from '../../src/reference/evaluate.js';
import { realize } from '../../src/realize/realize.js';
import { seriesValues } from '../../src/realize/series.js';
import { ngspiceAvailable } from '../../src/spice/engines/index.js';
import { emitNetlist } from '../../src/spice/emit.js';
import { DEFAULT_IDEAL, parseOpamp } from '../../src/spice/models.js';
import { verifySpice } from '../../src/spice/verify.js';
import { compileGraph } from '../../src/transform/pipeline.js';
import { evaluateTnet } from '../../src/tnet/evaluate.js';
import { Rng } from '../../src/util/random.js';
import { maxAbs, maxAbsDiff } from '../helpers.js';
import { modelBytes, type AttrValue, type ModelSpec } from './build.js';

const rng = new Rng(1919);
const vals = (n: number, r = 1) => Array.from({ length: n }, () => Math.fround(rng.uniform(-r, r)));
const W1 = vals(4 * 6, 1.2);
const B1 = vals(6, 0.5);
const W2 = vals(6 * 2, 1);

/** x [1, 4] -> Gemm (6) -> op -> Gemm (2): pre-activations of both signs, so every branch of the blocks is used. */
function model(op: string, attrs: Record<string, AttrValue> = {}): ModelSpec {
  return {
    opset: 13, input: { dims: [1, 4] }, output: 'y',
    nodes: [
      { op: 'Gemm', inputs: ['x', 'w1', 'b1'], outputs: ['h'], attrs: { transB: 1 } },
      { op, inputs: ['h'], outputs: ['a'], attrs },
      { op: 'Gemm', inputs: ['a', 'w2'], outputs: ['y'], attrs: { transB: 1 } },
    ],
    inits: [{ name: 'w1', dims: [6, 4], values: W1 }, { name: 'b1', dims: [6], values: B1 }, { name: 'w2', dims: [2, 6], values: W2 }],
  };
}

const CASES: { name: string; spec: ModelSpec }[] = [
  { name: 'Elu (default alpha 1)', spec: model('Elu') },
  { name: 'Elu alpha 0.3', spec: model('Elu', { alpha: { float: 0.3 } }) },
  { name: 'Elu alpha 0 (a ReLU)', spec: model('Elu', { alpha: { float: 0 } }) },
  { name: 'Elu alpha -0.5', spec: model('Elu', { alpha: { float: -0.5 } }) },
  { name: 'Selu (default alpha, gamma)', spec: model('Selu') },
  { name: 'Selu alpha 0.7, gamma 1.3', spec: model('Selu', { alpha: { float: 0.7 }, gamma: { float: 1.3 } }) },
  { name: 'Softplus', spec: model('Softplus') },
  { name: 'Softsign', spec: model('Softsign') },
];

// Inputs up to 3: pre-activations up to about 8, above the default signal limit, so the rescaling pass acts.
const samples = Array.from({ length: 12 }, () => Float64Array.from(vals(4, 3)));
const HAS_NGSPICE = ngspiceAvailable();

describe.each(CASES)('$name', ({ spec }) => {
  it('imports, matches onnxruntime and compiles exactly', async () => {
    const bytes = modelBytes(spec);
    const graph = importOnnx(bytes, 'm.onnx');
    const ref = evaluate(graph, samples).outputs;
    const session = await ort.InferenceSession.create(bytes);
    const rt: number[][] = [];
    for (const x of samples) {
      const r = await session.run({ x: new ort.Tensor('float32', Float32Array.from(x), [1, 4]) });
      rt.push(Array.from(r.y.data as Float32Array));
    }
    const scale = Math.max(maxAbs(ref), 1e-12);
    expect(maxAbsDiff(ref, rt) / scale).toBeLessThanOrEqual(1e-5);
    const c = compileGraph(graph, { calibration: samples });
    expect(maxAbsDiff(evaluateTnet(c.tnet, samples).outputs, ref) / scale).toBeLessThanOrEqual(1e-9);
    // The ONNX writer's form of the activation reads back to the same function (float32 weights and attributes).
    const back = importOnnx(exportOnnx(graph), 'back.onnx');
    expect(back.nodes.map((n) => n.kind)).toEqual(graph.nodes.map((n) => n.kind));
    expect(maxAbsDiff(evaluate(back, samples).outputs, ref) / scale).toBeLessThanOrEqual(1e-6);
  });
});

describe('the softsign form x / (1 + |x|)', () => {
  const form = (absOf: string, one: number): ModelSpec => ({
    opset: 13, input: { dims: [1, 4] }, output: 'y',
    nodes: [
      { op: 'Gemm', inputs: ['x', 'w1', 'b1'], outputs: ['h'], attrs: { transB: 1 } },
      { op: 'Gemm', inputs: ['x', 'w1'], outputs: ['k'], attrs: { transB: 1 } },
      { op: 'Abs', inputs: [absOf], outputs: ['a'] },
      { op: 'Add', inputs: ['c', 'a'], outputs: ['d'] },
      { op: 'Div', inputs: ['h', 'd'], outputs: ['y'] },
    ],
    inits: [{ name: 'w1', dims: [6, 4], values: W1 }, { name: 'b1', dims: [6], values: B1 }, { name: 'c', dims: [], values: [one] }],
  });
  it('is one Softsign block when the Abs reads the numerator and the constant is 1', () => {
    const g = importOnnx(modelBytes(form('h', 1)), 'm.onnx');
    expect(g.nodes.filter((n) => n.kind === 'activation').map((n) => (n.kind === 'activation' ? n.fn.type : ''))).toEqual(['softsign']);
  });
  it.each([['another tensor', 'k', 1], ['a constant other than 1', 'h', 2]] as const)('stays a refused division with the Abs of %s', (_, absOf, one) => {
    expect(() => importOnnx(modelBytes(form(absOf, one)), 'm.onnx')).toThrow(/Div/);
  });
});

describe('SPICE', () => {
  const engines = HAS_NGSPICE ? (['ngspice', 'wasm'] as const) : (['wasm'] as const);
  it.each(['Elu', 'Selu', 'Softplus', 'Softsign'])('%s: the netlist agrees with the behavioural network on both engines', async (op) => {
    const graph = importOnnx(modelBytes(model(op)), 'm.onnx');
    const c = compileGraph(graph, { calibration: samples });
    const r = realize(c.tnet, { setOhm: seriesValues('E96', 1e4, 1e6), setName: 'E96 10k..1M', feedback: 'min-error', rFeedbackOhm: 1e5, feedbackPer: 'layer', toleranceRel: 0, vRefV: 1 });
    const cell = { Elu: 'ohm_elu_neg', Selu: 'ohm_elu_neg', Softplus: 'ohm_softplus', Softsign: 'ohm_softsign' }[op]!;
    expect(emitNetlist(r, { opamp: DEFAULT_IDEAL, title: op })).toContain(`.subckt ${cell} `);
    for (const engine of engines) {
      const v = await verifySpice(graph, r, { engine, opamp: DEFAULT_IDEAL, samples: samples.slice(0, 6), toleranceV: 1e-6 });
      expect(v.maxVsBehaviouralV).toBeLessThanOrEqual(1e-6);
      expect(v.passed).toBe(true);
    }
  });
  it('Selu and Softplus with the macro op-amp (finite gain 1e5): the netlist agrees with the finite-gain behavioural model', async () => {
    for (const op of ['Selu', 'Softplus']) {
      const graph = importOnnx(modelBytes(model(op)), 'm.onnx');
      const c = compileGraph(graph, { calibration: samples });
      const r = realize(c.tnet, { setOhm: seriesValues('E96', 1e4, 1e6), setName: 'E96 10k..1M', feedback: 'min-error', rFeedbackOhm: 1e5, feedbackPer: 'layer', toleranceRel: 0, vRefV: 1 });
      const v = await verifySpice(graph, r, { engine: HAS_NGSPICE ? 'ngspice' : 'wasm', opamp: parseOpamp('macro:gain=1e5'), samples: samples.slice(0, 6) });
      expect(v.passed).toBe(true);
      expect(v.maxVsBehaviouralV).toBeLessThan(1e-6);
    }
  });
});
