// Layer-graph forms the fixtures do not cover, on hand-written Keras-2-style configs (the TF.js model.json form, read
// in memory): a layer called twice (shared weights), channels_first convolution and pooling against the same layers
// channels-last on the transposed input, a Subtract, ReLU's negative_slope, a Sequential whose first layer carries
// batch_input_shape, and the one-line refusals of the converter (unknown inbound layer, two outputs, return_state).
// The expected values are computed here by hand (plain loops), independently of the importer.

import { describe, expect, it } from 'vitest';
import { importTfjs } from '../../src/import/tfjs.js';
import { evaluate } from '../../src/reference/evaluate.js';

interface Weight { name: string; shape: number[]; values: number[] }

/** A model.json text and its one shard, from a topology and weights. */
function model(topology: unknown, weights: Weight[]): { json: string; shard: Uint8Array } {
  const values = weights.flatMap((w) => w.values);
  const shard = new Uint8Array(new Float32Array(values).buffer);
  const json = JSON.stringify({ format: 'layers-model', modelTopology: topology, weightsManifest: [{ paths: ['w.bin'], weights: weights.map((w) => ({ name: w.name, shape: w.shape, dtype: 'float32' })) }] });
  return { json, shard };
}
const load = (m: { json: string; shard: Uint8Array }) => importTfjs(m.json, () => m.shard, 'model.json');
const functional = (layers: unknown[], output: [string, number, number]) => ({
  class_name: 'Model',
  config: { name: 'm', layers, input_layers: [['x', 0, 0]], output_layers: [output] },
  keras_version: 'tfjs-layers 4.22.0',
});
const input = (shape: number[]) => ({ class_name: 'InputLayer', name: 'x', config: { name: 'x', batch_input_shape: [null, ...shape] }, inbound_nodes: [] });
const dense = (name: string, units: number, calls: string[][], extra: Record<string, unknown> = {}) => ({
  class_name: 'Dense', name, config: { name, units, use_bias: false, activation: 'linear', ...extra }, inbound_nodes: calls.map((c) => c.map((n) => [n, 0, 0, {}])),
});
/** Dense without bias: y[o] = sum_i W[i, o] x[i] (Keras kernel [in, out]). */
const apply = (W: number[], out: number, x: number[]) => Array.from({ length: out }, (_, o) => x.reduce((s, v, i) => s + W[i * out + o] * v, 0));

describe('Keras layer graphs', () => {
  it('a layer called twice applies its weights twice (node index 1 reads node 0)', () => {
    const W = [0.5, -1, 0.25, 2, 1, -0.5, 0, 0.75, 1.5];
    const g = load(model(functional([input([3]), dense('d', 3, [['x'], ['d']])], ['d', 1, 0]), [{ name: 'd/kernel', shape: [3, 3], values: W }]));
    const x = [0.5, -0.25, 1];
    expect(g.nodes.map((n) => n.name)).toEqual(['d', 'd_call1']);
    const got = Array.from(evaluate(g, [x]).outputs[0]);
    const want = apply(W, 3, apply(W, 3, x));
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 6));
  });

  it('channels_first Conv2D and MaxPooling2D equal the channels_last ones on the transposed input', () => {
    const kernel = Array.from({ length: 2 * 2 * 2 * 3 }, (_, i) => Math.fround(Math.sin(i + 1)));
    const bias = [0.1, -0.2, 0.3];
    const layers = (fmt: string) => [
      input(fmt === 'channels_first' ? [2, 4, 5] : [4, 5, 2]),
      { class_name: 'Conv2D', name: 'c', config: { name: 'c', filters: 3, kernel_size: [2, 2], padding: 'same', data_format: fmt, activation: 'relu' }, inbound_nodes: [[['x', 0, 0, {}]]] },
      { class_name: 'MaxPooling2D', name: 'p', config: { name: 'p', pool_size: [2, 2], padding: 'valid', data_format: fmt }, inbound_nodes: [[['c', 0, 0, {}]]] },
    ];
    const weights = [{ name: 'c/kernel', shape: [2, 2, 2, 3], values: kernel }, { name: 'c/bias', shape: [3], values: bias }];
    const cf = load(model(functional(layers('channels_first'), ['p', 0, 0]), weights));
    const cl = load(model(functional(layers('channels_last'), ['p', 0, 0]), weights));
    const xCl = Array.from({ length: 4 * 5 * 2 }, (_, i) => Math.fround(Math.cos(3 * i)));
    // [H, W, C] -> [C, H, W]
    const xCf = Array.from({ length: 40 }, (_, k) => {
      const c = Math.floor(k / 20);
      const h = Math.floor((k % 20) / 5);
      const w = k % 5;
      return xCl[(h * 5 + w) * 2 + c];
    });
    const yCf = Array.from(evaluate(cf, [xCf]).outputs[0]);
    const yCl = Array.from(evaluate(cl, [xCl]).outputs[0]);
    // Output [C=3, 2, 2] vs [2, 2, C=3].
    expect(cf.nodes.map((n) => n.kind)).toEqual(['conv', 'activation', 'maxpool']);
    for (let c = 0; c < 3; c++) for (let p = 0; p < 4; p++) expect(yCf[c * 4 + p]).toBeCloseTo(yCl[p * 3 + c], 12);
  });

  it('Subtract, and ReLU with negative_slope, in a Sequential whose first layer holds batch_input_shape', () => {
    const W = [1, 2, 3, 4];
    const seq = { class_name: 'Sequential', config: { name: 's', layers: [
      { class_name: 'Dense', config: { name: 'd', units: 2, use_bias: false, batch_input_shape: [null, 2] } },
      { class_name: 'ReLU', config: { name: 'r', negative_slope: 0.25 } },
    ] } };
    const g = load(model(seq, [{ name: 'd/kernel', shape: [2, 2], values: W }]));
    expect(Array.from(evaluate(g, [[1, -1]]).outputs[0])).toEqual([-2 * 0.25, -2 * 0.25]);
    const sub = functional([input([2]), dense('a', 2, [['x']]), dense('b', 2, [['x']]), { class_name: 'Subtract', name: 's', config: { name: 's' }, inbound_nodes: [[['a', 0, 0, {}], ['b', 0, 0, {}]]] }], ['s', 0, 0]);
    const h = load(model(sub, [{ name: 'a/kernel', shape: [2, 2], values: W }, { name: 'b/kernel', shape: [2, 2], values: [1, 1, 1, 1] }]));
    expect(Array.from(evaluate(h, [[1, 2]]).outputs[0])).toEqual([1 + 6 - 3, 2 + 8 - 3]);
  });

  it.each([
    ['elu', (v: number) => (v > 0 ? v : Math.exp(v) - 1)],
    ['selu', (v: number) => 1.0507009873554805 * (v > 0 ? v : 1.6732632423543772 * (Math.exp(v) - 1))],
    ['softplus', (v: number) => Math.log(1 + Math.exp(v))],
    ['softsign', (v: number) => v / (1 + Math.abs(v))],
  ] as const)('the %s activation of a Dense layer', (fn, f) => {
    const W = [1, -0.5, 2, 0.75];
    const g = load(model(functional([input([2]), dense('d', 2, [['x']], { activation: fn })], ['d', 0, 0]), [{ name: 'd/kernel', shape: [2, 2], values: W }]));
    for (const x of [[0.5, -1.5], [-2, 0.25]]) {
      const want = apply(W, 2, x).map(f);
      Array.from(evaluate(g, [x]).outputs[0]).forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-12));
    }
  });

  it('the ELU layer with its alpha', () => {
    const layers = [input([2]), dense('d', 2, [['x']]), { class_name: 'ELU', name: 'e', config: { name: 'e', alpha: 0.5 }, inbound_nodes: [[['d', 0, 0, {}]]] }];
    const g = load(model(functional(layers, ['e', 0, 0]), [{ name: 'd/kernel', shape: [2, 2], values: [1, 0, 0, 1] }]));
    const got = Array.from(evaluate(g, [[1.5, -1]]).outputs[0]);
    expect(got[0]).toBe(1.5);
    expect(Math.abs(got[1] - 0.5 * (Math.exp(-1) - 1))).toBeLessThan(1e-15);
  });

  it.each([
    ['an inbound layer that does not exist', functional([input([2]), dense('d', 2, [['nope']])], ['d', 0, 0]), /reads 'nope', which no layer of the model produces/],
    ['two outputs', { ...functional([input([2]), dense('d', 2, [['x']])], ['d', 0, 0]), config: { name: 'm', layers: [input([2]), dense('d', 2, [['x']])], input_layers: [['x', 0, 0]], output_layers: [['d', 0, 0], ['x', 0, 0]] } }, /has 2 outputs/],
    ['return_state', functional([input([3, 2]), { class_name: 'LSTM', name: 'l', config: { name: 'l', units: 2, return_state: true }, inbound_nodes: [[['x', 0, 0, {}]]] }], ['l', 0, 0]), /return_state is not supported/],
    ['an activation with no analog block', functional([input([2]), dense('d', 2, [['x']], { activation: 'exponential' })], ['d', 0, 0]), /the activation exponential is not supported/],
  ])('%s is refused in one line', (_, topology, match) => {
    const m = model(topology, [{ name: 'd/kernel', shape: [2, 2], values: [1, 0, 0, 1] }, { name: 'l/kernel', shape: [2, 8], values: new Array(16).fill(0) }, { name: 'l/recurrent_kernel', shape: [2, 8], values: new Array(16).fill(0) }, { name: 'l/bias', shape: [8], values: new Array(8).fill(0) }]);
    expect(() => load(m)).toThrow(match);
    try {
      load(m);
    } catch (e) {
      expect((e as Error).message).not.toContain('\n');
    }
  });
});
