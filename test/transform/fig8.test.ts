// The patent's FIG. 8: a dense 8-to-4 layer (activation F) with N_I = 4 and N_O = 2.
// Patent: input layer of 2 x 8 = 16 neurons (two copies of the inputs), a hidden layer of 2 x 16 / 4 = 8 linear
// neurons, an output layer of 4 neurons with F; 40 connections; three layers (ceil(log_4 8) + ceil(log_2 4) - 1 = 3).
// ohmnet builds the same three layers: 16 fan-out buffers (the two input copies), 8 partial sums, 4 outputs. It counts
// 56 connections, because it also counts the 16 links that drive the input copies from the 8 network inputs, which
// the patent's figure leaves implicit (its copies are the input layer). See docs/transform.md.

import { describe, expect, it } from 'vitest';
import type { Graph } from '../../src/ir/ops.js';
import { evaluate } from '../../src/reference/evaluate.js';
import { evaluateTnet } from '../../src/tnet/evaluate.js';
import { tnetStats } from '../../src/tnet/stats.js';
import { compileGraph } from '../../src/transform/pipeline.js';
import { Rng } from '../../src/util/random.js';
import { maxAbsDiff } from '../helpers.js';

function dense8to4(): Graph {
  const rng = new Rng(8);
  const w = Float64Array.from({ length: 32 }, () => rng.uniform(-1, 1));
  const b = Float64Array.from({ length: 4 }, () => rng.uniform(-0.1, 0.1));
  return {
    name: 'fig7', origin: 'test', input: { name: 'x', shape: [8] }, output: 'y',
    nodes: [
      { kind: 'dense', name: 'dense', inputs: ['x'], output: 'h', sourceOp: 'Gemm', weight: { shape: [4, 8], data: w }, bias: b },
      { kind: 'activation', name: 'F', inputs: ['h'], output: 'y', sourceOp: 'Relu', fn: { type: 'relu' } },
    ],
  };
}

describe('patent FIG. 8: dense 8-to-4 with N_I = 4, N_O = 2', () => {
  const graph = dense8to4();
  const rng = new Rng(80);
  const samples = Array.from({ length: 20 }, () => Float64Array.from({ length: 8 }, () => rng.uniform(0, 1)));
  const c = compileGraph(graph, { fanIn: 4, fanOut: 2, signalLimitV: 5, calibration: samples });
  const s = tnetStats(c.tnet);

  it('has three neuron layers, as ceil(log_NI K) + ceil(log_NO L) - 1 = 2 + 2 - 1', () => {
    expect(s.layers).toBe(3);
  });

  it('has 16 input copies (buffers), 8 partial sums and 4 output neurons', () => {
    expect(s.neuronsByKind.buffer).toBe(16);
    expect(s.neuronsByKind.partialSum).toBe(8);
    expect(s.neuronsByKind.compute).toBe(4);
    expect(s.neurons).toBe(28);
  });

  it('has 40 connections behind the input copies, as the patent counts, plus 16 that drive the copies', () => {
    expect(s.connections).toBe(56);
    const n = c.tnet.neurons;
    let fromInputs = 0;
    for (let e = 0; e < n.rowPtr[n.count]; e++) if (n.src[e] < c.tnet.inputCount) fromInputs++;
    expect(fromInputs).toBe(16);
    expect(s.connections - fromInputs).toBe(40);
  });

  it('is equivalent to the layer', () => {
    expect(maxAbsDiff(evaluateTnet(c.tnet, samples).outputs, evaluate(graph, samples).outputs)).toBeLessThanOrEqual(1e-12);
  });

  it('reports the construction as a trapezium', () => {
    expect(s.maxFanIn).toBe(4);
    expect(s.maxFanOut).toBe(2);
  });
});
