// The T-network evaluator's activation table: every ACT code has its own rule, and a code outside the table is an
// internal error (verifyTnet refuses such a network first), never silently one of the known functions.

import { describe, expect, it } from 'vitest';
import { OhmnetError } from '../../src/errors.js';
import { applyTnetActivation, evaluateTnet } from '../../src/tnet/evaluate.js';
import { ACT, ACTIVATIONS, ROLE, type TNet } from '../../src/tnet/types.js';

describe('applyTnetActivation', () => {
  it('applies the rule of every ACT code', () => {
    // a = ceiling / amplitude, b = slope, at v = -1.5 and 0.75.
    const a = 2;
    const b = 3;
    const want: Record<(typeof ACTIVATIONS)[number], (v: number) => number> = {
      identity: (v) => v,
      relu: (v) => Math.max(0, v),
      clippedRelu: (v) => Math.min(a, Math.max(0, v)),
      sigmoid: (v) => a / (1 + Math.exp(-b * v)),
      tanh: (v) => a * Math.tanh(b * v),
      // The smooth blocks from their textbook forms (the evaluator uses expm1/log1p: equal within rounding).
      eluNeg: (v) => a * (Math.exp(Math.min(b * v, 0)) - 1),
      softplus: (v) => a * Math.log(1 + Math.exp(b * v)),
      softsign: (v) => (a * b * v) / (1 + Math.abs(b * v)),
    };
    for (const name of ACTIVATIONS) {
      for (const v of [-1.5, 0.75, 5]) {
        const got = applyTnetActivation(ACT[name], a, b, v);
        expect(Math.abs(got - want[name](v))).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(got)));
      }
    }
  });

  it('refuses a code outside the table with an internal error, not as tanh', () => {
    let caught: unknown;
    try {
      applyTnetActivation(ACTIVATIONS.length, 1, 1, 0.5);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(Error);
    expect(caught).not.toBeInstanceOf(OhmnetError);
    expect((caught as Error).message).toBe(`the evaluator has no rule for activation code ${ACTIVATIONS.length}`);
  });
});

describe('evaluateTnet', () => {
  it('refuses a sample of the wrong length with a one-line input error', () => {
    const net: TNet = {
      inputShape: [2], inputCount: 2, inputGain: 1, railV: null, clock: null, outputShape: [1], tail: null,
      origins: [{ name: 'fc', op: 'Gemm' }],
      outputSignal: Int32Array.of(2), outputScale: Float64Array.of(1),
      neurons: {
        count: 1, block: Uint8Array.of(0), activation: Uint8Array.of(ACT.identity), paramA: Float64Array.of(0),
        paramB: Float64Array.of(0), bias: Float64Array.of(0), rowPtr: Int32Array.of(0, 2), src: Int32Array.of(0, 1),
        weight: Float64Array.of(1, -1), role: Uint8Array.of(ROLE.compute), origin: Int32Array.of(0), unit: Int32Array.of(0),
      },
    };
    expect(evaluateTnet(net, [[3, 1]]).outputs[0][0]).toBe(2);
    let caught: unknown;
    try {
      evaluateTnet(net, [[3, 1], [1, 2, 3]]);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(OhmnetError);
    expect((caught as OhmnetError).kind).toBe('input');
    expect((caught as OhmnetError).message).toBe('sample 1 has 3 values; the network takes 2');
  });
});
