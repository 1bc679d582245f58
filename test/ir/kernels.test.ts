// The shared index maps of ir/kernels.ts against expectations that do not reuse its formulas: small cases worked by
// hand (and, for the average-pool divisor, PyTorch 1.13's values), and seeded property tests against brute force
// written another way (windows read an explicitly padded grid; wiring maps go through multi-index coordinates).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyActivation, avgPoolDivisor, batchNormScale, concatIndex, forEachConvTap, forEachTap, groupIndex, groupMembers,
  padIndex, poolWindow, softmax, transposeIndex, window2d, type Window2d,
} from '../../src/ir/kernels.js';
import { windowOutputSize } from '../../src/ir/shapes.js';
import { sizeOf } from '../../src/ir/tensor.js';

const RUNS = { seed: 20240609, numRuns: 300 };

function coords(i: number, shape: readonly number[]): number[] {
  const c = new Array<number>(shape.length);
  for (let a = shape.length - 1; a >= 0; a--) {
    c[a] = i % shape[a];
    i = Math.floor(i / shape[a]);
  }
  return c;
}

function flat(c: readonly number[], shape: readonly number[]): number {
  return c.reduce((acc, v, a) => acc * shape[a] + v, 0);
}

function taps(g: Window2d, oh: number, ow: number): [number, number, number, number][] {
  const out: [number, number, number, number][] = [];
  forEachTap(g, oh, ow, (ih, iw, kh, kw) => out.push([ih, iw, kh, kw]));
  return out;
}

/** An N-d (N = 1, 2) sliding-window problem, as a node would carry it. */
interface Geometry {
  spatial: number[];
  kernel: number[];
  strides: number[];
  dilations: number[];
  pads: number[];
  ceilMode: boolean;
  out: number[];
}

const geometry = (maxDilation: number, ceil = fc.boolean()) => fc.integer({ min: 1, max: 2 }).chain((n) => fc.record({
  spatial: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: n, maxLength: n }),
  kernel: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: n, maxLength: n }),
  strides: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: n, maxLength: n }),
  dilations: fc.array(fc.integer({ min: 1, max: maxDilation }), { minLength: n, maxLength: n }),
  pads: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 2 * n, maxLength: 2 * n }),
  ceilMode: ceil,
})).map((p): Geometry => ({
  ...p,
  out: p.spatial.map((s, i) => windowOutputSize(s, p.kernel[i], p.strides[i], p.pads[i], p.pads[i + p.spatial.length], p.dilations[i], p.ceilMode)),
})).filter((p) => p.out.every((o) => o >= 1));

/**
 * Brute force: lay the input out in an explicitly padded grid (-1 marks padding) and read the window of output
 * position `o` (flat over the output's spatial shape) at padded coordinates o * stride + k * dilation. Positions past
 * the padded grid (ceil mode) are outside everything. Returns, in kernel order, [input spatial index, kernel index]
 * of the taps on real elements, and the counts of window positions on real elements and inside the padded grid.
 */
function bruteWindow(p: Geometry, o: number): { taps: [number, number][]; real: number; padded: number } {
  const n = p.spatial.length;
  const paddedShape = p.spatial.map((s, i) => s + p.pads[i] + p.pads[i + n]);
  const grid = new Int32Array(sizeOf(paddedShape)).fill(-1);
  for (let i = 0; i < sizeOf(p.spatial); i++) grid[flat(coords(i, p.spatial).map((c, a) => c + p.pads[a]), paddedShape)] = i;
  const oc = coords(o, p.out);
  const result: [number, number][] = [];
  let padded = 0;
  for (let k = 0; k < sizeOf(p.kernel); k++) {
    const kc = coords(k, p.kernel);
    const pc = kc.map((v, a) => oc[a] * p.strides[a] + v * p.dilations[a]);
    if (pc.some((v, a) => v >= paddedShape[a])) continue;
    padded++;
    const at = grid[flat(pc, paddedShape)];
    if (at >= 0) result.push([at, k]);
  }
  return { taps: result, real: result.length, padded };
}

function geometryOf(p: Geometry, channels = 1): Window2d {
  return window2d([channels, ...p.spatial], [channels, ...p.out], p.kernel, p.strides, p.pads, p.dilations);
}

describe('sliding windows', () => {
  it('views a 1-D window as the 2-D one with a height of 1', () => {
    const g = window2d([3, 7], [4, 5], [3], [2], [1, 2], [2]);
    expect(g).toEqual({ C: 3, H: 1, W: 7, OH: 1, OW: 5, kH: 1, kW: 3, sH: 1, sW: 2, dH: 1, dW: 2, pT: 0, pL: 1, pB: 0, pR: 2 });
    const g2 = window2d([2, 5, 6], [2, 3, 4], [3, 2], [2, 1], [1, 0, 2, 1], [1, 2]);
    expect([g2.H, g2.W, g2.OH, g2.OW, g2.kH, g2.kW, g2.sH, g2.sW, g2.dH, g2.dW]).toEqual([5, 6, 3, 4, 3, 2, 2, 1, 1, 2]);
    expect([g2.pT, g2.pL, g2.pB, g2.pR]).toEqual([1, 0, 2, 1]);
  });

  it('skips padding taps (hand-worked: length 5, kernel 3, stride 2, pads 1/1)', () => {
    const g = window2d([1, 5], [1, 3], [3], [2], [1, 1], [1]);
    // Window starts at -1, 1, 3: the first loses its left tap, the last its right one.
    expect(taps(g, 0, 0)).toEqual([[0, 0, 0, 1], [0, 1, 0, 2]]);
    expect(taps(g, 0, 1)).toEqual([[0, 1, 0, 0], [0, 2, 0, 1], [0, 3, 0, 2]]);
    expect(taps(g, 0, 2)).toEqual([[0, 3, 0, 0], [0, 4, 0, 1]]);
  });

  it('spaces taps by the dilation (hand-worked: length 7, kernel 3, dilation 2, pad 2 before)', () => {
    const g = window2d([1, 7], [1, 5], [3], [1], [2, 0], [2]);
    expect(taps(g, 0, 0)).toEqual([[0, 0, 0, 1], [0, 2, 0, 2]]);
    expect(taps(g, 0, 4)).toEqual([[0, 2, 0, 0], [0, 4, 0, 1], [0, 6, 0, 2]]);
  });

  it('visits exactly the real elements of each window, in kernel order (property, with ceil mode)', () => {
    fc.assert(fc.property(geometry(3), (p) => {
      const g = geometryOf(p);
      for (let o = 0; o < sizeOf(p.out); o++) {
        const oh = Math.floor(o / g.OW);
        const got = taps(g, oh, o % g.OW).map(([ih, iw, kh, kw]): [number, number] => [ih * g.W + iw, kh * g.kW + kw]);
        expect(got).toEqual(bruteWindow(p, o).taps);
      }
    }), RUNS);
  });

  it('pool windows are the taps offset by the channel', () => {
    fc.assert(fc.property(geometry(3), fc.integer({ min: 1, max: 3 }), (p, C) => {
      const g = geometryOf(p, C);
      const per = sizeOf(p.out);
      for (let o = 0; o < C * per; o++) {
        const c = Math.floor(o / per);
        expect(poolWindow(g, o)).toEqual(bruteWindow(p, o % per).taps.map(([i]) => c * sizeOf(p.spatial) + i));
      }
    }), RUNS);
  });
});

describe('average-pool divisor', () => {
  // PyTorch 1.13: F.avg_pool1d([1, 2, 3, 4], 3, 2, 1, ceil_mode=True) gives [1, 3, 2] with count_include_pad and
  // [1.5, 3, 4] without: the last window (start 3) covers input 3, the end pad and a position past both.
  it('matches PyTorch on a 1-D ceil-mode window that runs past the end padding', () => {
    const g = window2d([1, 4], [1, 3], [3], [2], [1, 1], [1]);
    const x = [1, 2, 3, 4];
    const avg = (o: number, include: boolean) => poolWindow(g, o).reduce((s, k) => s + x[k], 0) / avgPoolDivisor(g, o, include);
    expect([0, 1, 2].map((o) => avgPoolDivisor(g, o, true))).toEqual([3, 3, 2]);
    expect([0, 1, 2].map((o) => avg(o, true))).toEqual([1, 3, 2]);
    expect([0, 1, 2].map((o) => avgPoolDivisor(g, o, false))).toEqual([2, 3, 1]);
    expect([0, 1, 2].map((o) => avg(o, false))).toEqual([1.5, 3, 4]);
  });

  // PyTorch 1.13: F.avg_pool2d(arange(1, 10).reshape(3, 3), 2, 2, 1, ceil_mode=True): [[0.25, 1.25], [2.75, 7]] with
  // count_include_pad, [[1, 2.5], [5.5, 7]] without.
  it('matches PyTorch on a 2-D window with padding', () => {
    const g = window2d([1, 3, 3], [1, 2, 2], [2, 2], [2, 2], [1, 1, 1, 1], [1, 1]);
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    const avg = (o: number, include: boolean) => poolWindow(g, o).reduce((s, k) => s + x[k], 0) / avgPoolDivisor(g, o, include);
    expect([0, 1, 2, 3].map((o) => avg(o, true))).toEqual([0.25, 1.25, 2.75, 7]);
    expect([0, 1, 2, 3].map((o) => avg(o, false))).toEqual([1, 2.5, 5.5, 7]);
  });

  it('is 0 without count_include_pad for a window wholly in the padding', () => {
    const g = window2d([1, 3], [1, 5], [1], [1], [1, 1], [1]);
    expect(avgPoolDivisor(g, 0, false)).toBe(0);
    expect(avgPoolDivisor(g, 0, true)).toBe(1);
    expect(avgPoolDivisor(g, 2, false)).toBe(1);
  });

  it('counts the real elements, or the positions inside the padded extent (property, with ceil mode)', () => {
    fc.assert(fc.property(geometry(1), (p) => {
      const g = geometryOf(p);
      for (let o = 0; o < sizeOf(p.out); o++) {
        const b = bruteWindow(p, o);
        expect(avgPoolDivisor(g, o, false)).toBe(b.real);
        expect(avgPoolDivisor(g, o, true)).toBe(b.padded);
      }
    }), RUNS);
  });
});

describe('convolution taps', () => {
  it('reads the input channels of its group (hand-worked: 4 outputs, 2 groups, 1x1 kernel)', () => {
    // Input [4, 1, 1]: groups of 2 channels; outputs 0-1 read channels 0-1, outputs 2-3 read channels 2-3.
    const g = window2d([4, 1, 1], [4, 1, 1], [1, 1], [1, 1], [0, 0, 0, 0], [1, 1]);
    const list = (o: number) => {
      const out: [number, number][] = [];
      forEachConvTap(g, { M: 4, Cg: 2, group: 2 }, o, (xi, wi) => out.push([xi, wi]));
      return out;
    };
    expect(list(0)).toEqual([[0, 0], [1, 1]]);
    expect(list(1)).toEqual([[0, 2], [1, 3]]);
    expect(list(2)).toEqual([[2, 4], [3, 5]]);
    expect(list(3)).toEqual([[2, 6], [3, 7]]);
  });

  it('pairs every real input tap with its weight (property: groups, strides, pads, dilations)', () => {
    // Convolutions have no ceil mode.
    const conv = fc.record({ p: geometry(3, fc.constant(false)), groups: fc.integer({ min: 1, max: 3 }), Cg: fc.integer({ min: 1, max: 2 }), Mg: fc.integer({ min: 1, max: 2 }) });
    fc.assert(fc.property(conv, ({ p, groups, Cg, Mg }) => {
      const out = p.out;
      const M = Mg * groups;
      const g = window2d([Cg * groups, ...p.spatial], [M, ...out], p.kernel, p.strides, p.pads, p.dilations);
      const S = sizeOf(p.spatial);
      const K = sizeOf(p.kernel);
      const per = sizeOf(out);
      for (let o = 0; o < M * per; o++) {
        const m = Math.floor(o / per);
        const group = Math.floor(m / Mg);
        const want: [number, number][] = [];
        for (let c = 0; c < Cg; c++) {
          for (const [si, k] of bruteWindow(p, o % per).taps) want.push([(group * Cg + c) * S + si, (m * Cg + c) * K + k]);
        }
        const got: [number, number][] = [];
        forEachConvTap(g, { M, Cg, group: groups }, o, (xi, wi) => got.push([xi, wi]));
        expect(got).toEqual(want);
      }
    }), RUNS);
  });
});

const shapeArb = (maxRank: number) => fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: maxRank });

describe('transpose', () => {
  it('hand-worked: a 2x3 matrix', () => {
    expect(Array.from(transposeIndex([2, 3], [1, 0]))).toEqual([0, 3, 1, 4, 2, 5]);
    expect(Array.from(transposeIndex([2, 3], [0, 1]))).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('output coordinate a is input coordinate perm[a] (property)', () => {
    const arb = shapeArb(4).chain((shape) => fc.tuple(fc.constant(shape), fc.shuffledSubarray(shape.map((_, i) => i), { minLength: shape.length, maxLength: shape.length })));
    fc.assert(fc.property(arb, ([shape, perm]) => {
      const outShape = perm.map((p) => shape[p]);
      const idx = transposeIndex(shape, perm);
      expect(idx.length).toBe(sizeOf(shape));
      for (let j = 0; j < idx.length; j++) {
        const y = coords(j, outShape);
        const x = new Array<number>(shape.length);
        perm.forEach((p, a) => (x[p] = y[a]));
        expect(idx[j]).toBe(flat(x, shape));
      }
    }), RUNS);
  });
});

describe('concat', () => {
  it('hand-worked: [2, 1] and [2, 2] along axis 1', () => {
    // Rows: a00 b00 b01 / a10 b10 b11; the inputs end to end are a00 a10 b00 b01 b10 b11.
    expect(Array.from(concatIndex([[2, 1], [2, 2]], 1))).toEqual([0, 2, 3, 1, 4, 5]);
    expect(Array.from(concatIndex([[1, 2], [2, 2]], 0))).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('finds each output element in the input that covers its axis coordinate (property)', () => {
    const arb = shapeArb(3).chain((shape) => fc.tuple(
      fc.constant(shape), fc.integer({ min: 0, max: shape.length - 1 }), fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }),
    ));
    fc.assert(fc.property(arb, ([shape, axis, sizes]) => {
      const shapes = sizes.map((d) => shape.map((s, a) => (a === axis ? d : s)));
      const outShape = shape.map((s, a) => (a === axis ? sizes.reduce((x, y) => x + y, 0) : s));
      const idx = concatIndex(shapes, axis);
      expect(idx.length).toBe(sizeOf(outShape));
      for (let j = 0; j < idx.length; j++) {
        const y = coords(j, outShape);
        let t = 0;
        let offset = 0;
        let base = 0;
        while (y[axis] >= offset + sizes[t]) {
          offset += sizes[t];
          base += sizeOf(shapes[t]);
          t++;
        }
        expect(idx[j]).toBe(base + flat(y.map((v, a) => (a === axis ? v - offset : v)), shapes[t]));
      }
    }), RUNS);
  });
});

describe('pad', () => {
  it('hand-worked: length 2 padded 1 before and 2 after; a 2x2 padded 1 on top', () => {
    expect(Array.from(padIndex([2], [1, 2]))).toEqual([-1, 0, 1, -1, -1]);
    expect(Array.from(padIndex([2, 2], [1, 0, 0, 0]))).toEqual([-1, -1, 0, 1, 2, 3]);
  });

  it('an output element is input element (y - pad_begin) when that lies inside the input (property)', () => {
    const arb = shapeArb(3).chain((shape) => fc.tuple(fc.constant(shape), fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 2 * shape.length, maxLength: 2 * shape.length })));
    fc.assert(fc.property(arb, ([shape, pads]) => {
      const n = shape.length;
      const outShape = shape.map((d, a) => d + pads[a] + pads[a + n]);
      const idx = padIndex(shape, pads);
      expect(idx.length).toBe(sizeOf(outShape));
      for (let j = 0; j < idx.length; j++) {
        const x = coords(j, outShape).map((v, a) => v - pads[a]);
        expect(idx[j]).toBe(x.every((v, a) => v >= 0 && v < shape[a]) ? flat(x, shape) : -1);
      }
    }), RUNS);
  });
});

describe('reduce groups', () => {
  it('hand-worked: rows and columns of a 2x3 matrix', () => {
    expect(groupIndex([2, 3], [1])).toEqual({ groups: Int32Array.from([0, 0, 0, 1, 1, 1]), count: 2 });
    expect(groupIndex([2, 3], [0])).toEqual({ groups: Int32Array.from([0, 1, 2, 0, 1, 2]), count: 3 });
    expect(groupIndex([2, 3], [0, 1])).toEqual({ groups: new Int32Array(6), count: 1 });
    expect(groupMembers([2, 3], [0])).toEqual([[0, 3], [1, 4], [2, 5]]);
  });

  it('numbers each element by its kept coordinates, row-major (property)', () => {
    const arb = shapeArb(4).chain((shape) => fc.tuple(fc.constant(shape), fc.subarray(shape.map((_, i) => i))));
    fc.assert(fc.property(arb, ([shape, axes]) => {
      const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
      const keptShape = kept.map((a) => shape[a]);
      const { groups, count } = groupIndex(shape, axes);
      expect(count).toBe(sizeOf(keptShape));
      for (let i = 0; i < groups.length; i++) {
        const c = coords(i, shape);
        expect(groups[i]).toBe(flat(kept.map((a) => c[a]), keptShape));
      }
      const members = groupMembers(shape, axes);
      expect(members.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: sizeOf(shape) }, (_, i) => i));
      members.forEach((m, gi) => m.forEach((i) => expect(groups[i]).toBe(gi)));
    }), RUNS);
  });
});

describe('softmax', () => {
  it('hand-worked: [0, ln 3] gives [1/4, 3/4]', () => {
    const y = softmax(Float64Array.from([0, Math.log(3)]), [2], [0]);
    expect(y[0]).toBeCloseTo(0.25, 15);
    expect(y[1]).toBeCloseTo(0.75, 15);
  });

  it('normalizes each group over the given axes only', () => {
    // [2, 2] over axis 1: each row separately; over axis 0: each column.
    const x = Float64Array.from([0, 0, Math.log(3), 0]);
    const rows = softmax(x, [2, 2], [1]);
    expect(Array.from(rows).map((v) => +v.toFixed(12))).toEqual([0.5, 0.5, 0.75, 0.25]);
    const cols = softmax(x, [2, 2], [0]);
    expect(Array.from(cols).map((v) => +v.toFixed(12))).toEqual([0.25, 0.5, 0.75, 0.5]);
  });

  it('does not overflow on large logits (the max is subtracted)', () => {
    const y = softmax(Float64Array.from([1000, 1000 + Math.log(3)]), [2], [0]);
    expect(y[0]).toBeCloseTo(0.25, 12);
    expect(y[1]).toBeCloseTo(0.75, 12);
  });

  it('sums to 1 in every group and is invariant under a shift of one group (property)', () => {
    const arb = shapeArb(3).chain((shape) => fc.tuple(
      fc.constant(shape), fc.subarray(shape.map((_, i) => i), { minLength: 1 }),
      fc.array(fc.double({ min: -30, max: 30, noNaN: true }), { minLength: sizeOf(shape), maxLength: sizeOf(shape) }),
    ));
    fc.assert(fc.property(arb, ([shape, axes, values]) => {
      const x = Float64Array.from(values);
      const y = softmax(x, shape, axes);
      const { groups, count } = groupIndex(shape, axes);
      const sums = new Float64Array(count);
      y.forEach((v, i) => (sums[groups[i]] += v));
      sums.forEach((s) => expect(s).toBeCloseTo(1, 12));
      const shifted = softmax(x.map((v, i) => (groups[i] === 0 ? v + 7 : v)), shape, axes);
      shifted.forEach((v, i) => expect(v).toBeCloseTo(y[i], 12));
    }), RUNS);
  });
});

describe('batch-norm scale and activations', () => {
  it('s = gamma / sqrt(var + eps)', () => {
    expect(Array.from(batchNormScale({ scale: Float64Array.from([2, 3, -1]), variance: Float64Array.from([3, 0, 8]), epsilon: 1 }))).toEqual([1, 3, -1 / 3]);
  });

  it('gives each activation its ONNX meaning (hand values)', () => {
    const cases: [Parameters<typeof applyActivation>[0], number, number][] = [
      [{ type: 'relu' }, -2, 0], [{ type: 'relu' }, 3, 3],
      [{ type: 'clip', min: 0, max: 6 }, 7, 6], [{ type: 'clip', min: 0, max: 6 }, -1, 0], [{ type: 'clip', min: 0, max: 6 }, 2.5, 2.5],
      [{ type: 'clip', min: -Infinity, max: 1 }, -50, -50], [{ type: 'clip', min: 1, max: Infinity }, 50, 50],
      [{ type: 'clip', min: 2, max: 2 }, -9, 2], [{ type: 'clip', min: 2, max: 2 }, 9, 2],
      [{ type: 'leakyRelu', alpha: 0.1 }, -2, -0.2], [{ type: 'leakyRelu', alpha: 0.1 }, 2, 2],
      [{ type: 'sigmoid' }, 0, 0.5], [{ type: 'tanh' }, 0, 0],
      [{ type: 'hardSigmoid', alpha: 0.2, beta: 0.5 }, 1, 0.7], [{ type: 'hardSigmoid', alpha: 0.2, beta: 0.5 }, 5, 1],
      [{ type: 'hardSigmoid', alpha: 0.2, beta: 0.5 }, -5, 0], [{ type: 'hardSigmoid', alpha: 0, beta: 0.3 }, 123, 0.3],
    ];
    for (const [fn, v, want] of cases) expect(applyActivation(fn, v)).toBeCloseTo(want, 15);
    expect(applyActivation({ type: 'sigmoid' }, Math.log(3))).toBeCloseTo(0.75, 15);
    expect(applyActivation({ type: 'tanh' }, Math.atanh(0.5))).toBeCloseTo(0.5, 15);
  });
});
