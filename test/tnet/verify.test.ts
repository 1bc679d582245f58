// verifyTnet: a valid network passes, and every rule it enforces has a network that breaks exactly that rule.

import { describe, expect, it } from 'vitest';
import { BLOCKS } from '../../src/tnet/blocks.js';
import { ACT, ROLE, type NeuronArrays, type TNet } from '../../src/tnet/types.js';
import { TnetInvariantError, verifyTnet } from '../../src/tnet/verify.js';

/** Two inputs, neuron 0 = relu(x0 - x1 + 0.5), neuron 1 = tanh(2 n0 + x1), output = n1. */
function valid(): TNet {
  return {
    inputShape: [2], inputCount: 2, inputGain: 1, railV: 5, clock: null, outputShape: [1], tail: null,
    origins: [{ name: 'fc', op: 'Gemm' }],
    outputSignal: Int32Array.of(3), outputScale: Float64Array.of(1),
    neurons: {
      count: 2,
      block: Uint8Array.of(0, 0),
      activation: Uint8Array.of(ACT.relu, ACT.tanh),
      paramA: Float64Array.of(0, 1),
      paramB: Float64Array.of(0, 1),
      bias: Float64Array.of(0.5, 0),
      rowPtr: Int32Array.of(0, 2, 4),
      src: Int32Array.of(0, 1, 2, 1),
      weight: Float64Array.of(1, -1, 2, 1),
      role: Uint8Array.of(ROLE.compute, ROLE.compute),
      origin: Int32Array.of(0, 0),
      unit: Int32Array.of(0, 0),
    },
  };
}

/** The neuron arrays with their fields assignable, so a case can replace one array. */
type MutableNeurons = { -readonly [K in keyof NeuronArrays]: NeuronArrays[K] };

type Edit = (net: TNet, n: MutableNeurons) => TNet | void;

function broken(edit: Edit): TNet {
  const net = valid();
  const n: MutableNeurons = { ...net.neurons };
  const copy: TNet = { ...net, neurons: n };
  return edit(copy, n) ?? copy;
}

function ruleOf(net: TNet, opts: Parameters<typeof verifyTnet>[1] = {}): string | null {
  try {
    verifyTnet(net, opts);
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(TnetInvariantError);
    return (e as TnetInvariantError).rule;
  }
}

describe('verifyTnet', () => {
  it('passes a valid network, with and without constraints', () => {
    expect(ruleOf(valid())).toBe(null);
    expect(ruleOf(valid(), { fanIn: 2, fanOut: 2 })).toBe(null);
  });

  const cases: [string, string, Edit, Parameters<typeof verifyTnet>[1]?][] = [
    ['array-lengths', 'a per-neuron array of the wrong length', (_, n) => void (n.bias = Float64Array.of(0.5))],
    ['csr', 'rowPtr not starting at 0', (_, n) => void (n.rowPtr = Int32Array.of(1, 2, 4))],
    ['csr', 'src shorter than rowPtr says', (_, n) => void (n.src = Int32Array.of(0, 1, 2))],
    ['csr', 'a negative row length', (_, n) => void (n.rowPtr = Int32Array.of(0, 3, 2)) ],
    ['input-gain', 'a zero input gain', (net) => ({ ...net, inputGain: 0 })],
    ['rails', 'negative rails', (net) => ({ ...net, railV: -1 })],
    ['inputs', 'no inputs', (net) => ({ ...net, inputCount: 0 })],
    ['clock', 'a clock with no ticks', (net) => ({ ...net, clock: { ticks: 0, readTicks: [0] } })],
    ['clock', 'a clock read at no tick', (net) => ({ ...net, clock: { ticks: 3, readTicks: [] } })],
    ['clock', 'read ticks out of order', (net) => ({ ...net, clock: { ticks: 3, readTicks: [2, 1] } })],
    ['block', 'an unknown block code', (_, n) => void (n.block = Uint8Array.of(0, BLOCKS.length))],
    ['activation', 'an unknown activation code', (_, n) => void (n.activation = Uint8Array.of(ACT.relu, 99))],
    ['role', 'an unknown role code', (_, n) => void (n.role = Uint8Array.of(0, 99))],
    ['origin', 'an origin index past the table', (_, n) => void (n.origin = Int32Array.of(0, 5))],
    ['finite', 'a NaN bias', (_, n) => void (n.bias = Float64Array.of(NaN, 0))],
    ['finite', 'an infinite weight', (_, n) => void (n.weight = Float64Array.of(1, Infinity, 2, 1))],
    ['activation-params', 'a clipped ReLU with ceiling 0', (_, n) => {
      n.activation = Uint8Array.of(ACT.clippedRelu, ACT.tanh);
      n.paramA = Float64Array.of(0, 1);
    }],
    ['activation-params', 'a tanh with slope 0', (_, n) => void (n.paramB = Float64Array.of(0, 0))],
    ['fan-in', 'two inputs where N_I is 1', () => undefined, { fanIn: 1 }],
    ['topological-order', 'a neuron reading itself', (_, n) => void (n.src = Int32Array.of(0, 1, 3, 1))],
    ['topological-order', 'a neuron reading a later neuron', (_, n) => void (n.src = Int32Array.of(3, 1, 2, 1))],
    ['duplicate-source', 'one signal read twice by a summator', (_, n) => void (n.src = Int32Array.of(0, 0, 2, 1))],
    ['zero-weight', 'a stored zero weight', (_, n) => void (n.weight = Float64Array.of(1, 0, 2, 1))],
    ['outputs', 'an output signal that does not exist', (net) => ({ ...net, outputSignal: Int32Array.of(9) })],
    ['outputs', 'a zero readout scale', (net) => ({ ...net, outputScale: Float64Array.of(0) })],
    ['outputs', 'signal and scale lists of different lengths', (net) => ({ ...net, outputScale: Float64Array.of(1, 1) })],
    ['fan-out', 'input 1 driving two neurons where N_O is 1', () => undefined, { fanOut: 1 }],
    ['dangling', 'a neuron that feeds no output', (net) => ({ ...net, outputSignal: Int32Array.of(2) })],
  ];
  it.each(cases)("rule '%s': %s", (rule, _what, edit, opts) => {
    expect(ruleOf(broken(edit), opts ?? {})).toBe(rule);
  });

  it('covers every rule verify.ts can raise today', () => {
    // The rules of block kinds that do not exist yet (arity, a stateful block without a clock, an activation on a
    // block without one) become testable with the multiplier and delay blocks.
    const src = (verifyTnet.toString().match(/fail\('([a-z-]+)'/g) ?? []).map((m) => m.slice(6, -1));
    const tested = new Set(cases.map((c) => c[0]));
    const untestable = new Set(['arity']);
    for (const r of new Set(src)) expect(tested.has(r) || untestable.has(r), r).toBe(true);
  });
});
