// The multiplier and delay blocks: the evaluator's per-tick semantics, the verifier's rules, and the rebuilding passes
// (fan-in, fan-out, signal limit) keeping a delay's late source and a multiplier's coefficient exact.
import { describe, expect, it } from 'vitest';
import { BLOCK } from '../../src/tnet/blocks.js';
import { NeuronBuilder } from '../../src/tnet/builder.js';
import { evaluateTnet } from '../../src/tnet/evaluate.js';
import { ACT, ROLE, type TNet } from '../../src/tnet/types.js';
import { verifyTnet } from '../../src/tnet/verify.js';
import { limitFanOut } from '../../src/transform/fanout.js';
import { limitFanIn } from '../../src/transform/pyramid.js';
import { rescaleSignals } from '../../src/transform/rescale-signals.js';

// h(t) = x0(t) + 0.5 h(t-1) (h(-1) = 0.25), y(t) = 3 * h(t) * x1(t); read every tick.
function accumulator(ticks: number, validFrom = 0): TNet {
  const b = new NeuronBuilder(2);
  const spec = { activation: ACT.identity, role: ROLE.compute, origin: -1, unit: 0 };
  const d = b.add({ ...spec, block: BLOCK.delay, paramA: 1, paramB: validFrom, bias: 0.25 }, [3], [1]); // reads h (signal 3)
  const h = b.add({ ...spec, bias: 0 }, [0, d], [1, 0.5]);
  const y = b.add({ ...spec, block: BLOCK.multiplier, paramA: 3, bias: 0 }, [h, 1], [1, 1]);
  return {
    inputShape: [ticks, 2], inputCount: 2, inputGain: 1, neurons: b.finish(), outputSignal: Int32Array.of(h, y), outputScale: Float64Array.of(1, 1),
    outputShape: [ticks, 2], tail: null, origins: [], railV: null, clock: { ticks, readTicks: Array.from({ length: ticks }, (_, t) => t) },
  };
}

function reference(x: number[], ticks: number, validFrom = 0): number[] {
  const out: number[] = [];
  let h = 0.25;
  for (let t = 0; t < ticks; t++) {
    const prev = t - 1 >= validFrom ? h : 0.25;
    h = x[2 * t] + 0.5 * prev;
    out.push(h, 3 * h * x[2 * t + 1]);
  }
  return out;
}

describe('multiplier and delay blocks', () => {
  const sample = [1, 2, -0.5, 1, 0.75, -2, 2, 0.5];
  it('evaluates per tick: a delay reads its source one tick late, from its initial value first', () => {
    const net = accumulator(4);
    verifyTnet(net);
    const got = Array.from(evaluateTnet(net, [sample]).analog[0]);
    expect(got).toEqual(reference(sample, 4));
  });

  it('holds the initial value until the source is valid (a stream that starts late)', () => {
    const net = accumulator(4, 2);
    expect(Array.from(evaluateTnet(net, [sample]).analog[0])).toEqual(reference(sample, 4, 2));
  });

  it('delays by several ticks through the ring of past values', () => {
    const b = new NeuronBuilder(1);
    const spec = { activation: ACT.identity, role: ROLE.compute, origin: -1, unit: 0 };
    const d = b.add({ ...spec, block: BLOCK.delay, paramA: 3, paramB: 0, bias: -1 }, [0], [2]);
    const net: TNet = { inputShape: [6, 1], inputCount: 1, inputGain: 1, neurons: b.finish(), outputSignal: Int32Array.of(d), outputScale: Float64Array.of(1),
      outputShape: [6], tail: null, origins: [], railV: null, clock: { ticks: 6, readTicks: [0, 1, 2, 3, 4, 5] } };
    expect(Array.from(evaluateTnet(net, [[1, 2, 3, 4, 5, 6]]).analog[0])).toEqual([-1, -1, -1, 2, 4, 6]);
  });

  it('the verifier names a broken block rule', () => {
    const net = accumulator(3);
    const bad = (edit: (n: TNet['neurons']) => void) => {
      const n = { ...net.neurons, paramA: net.neurons.paramA.slice(), weight: net.neurons.weight.slice(), bias: net.neurons.bias.slice() };
      edit(n);
      return () => verifyTnet({ ...net, neurons: n });
    };
    expect(bad((n) => (n.paramA[0] = 1.5))).toThrow(/delay.*whole number/);
    expect(bad((n) => (n.weight[3] = 2))).toThrow(/multiplier.*weight 1/);
    expect(bad((n) => (n.bias[2] = 1))).toThrow(/multiplier.*bias/);
    expect(() => verifyTnet({ ...net, clock: null })).toThrow(/holds state between clock ticks/);
  });

  it('fan-in, fan-out and the signal limit keep the network exact', () => {
    const net = accumulator(4);
    const samples = [sample, sample.map((v) => -2 * v), sample.map((v) => v * 3 + 1)];
    const want = evaluateTnet(net, samples).analog;
    const narrow = limitFanOut(limitFanIn(net, 2).value, 2).value;
    verifyTnet(narrow, { fanIn: 2, fanOut: 2 });
    const scaled = rescaleSignals(narrow, samples, 1);
    expect(scaled.report.neuronsRescaled).toBeGreaterThan(0);
    verifyTnet(scaled.value);
    const got = evaluateTnet(scaled.value, samples).analog;
    for (let k = 0; k < samples.length; k++) for (let j = 0; j < want[k].length; j++) expect(got[k][j]).toBeCloseTo(want[k][j], 12);
    expect(scaled.evaluation.stats!.railHits).toBe(0);
  });
});
