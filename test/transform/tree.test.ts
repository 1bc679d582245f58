// Tree planning (pyramids and fan-out trees): every item used once, arity <= N, minimal depth, near-minimal count.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planTree } from '../../src/transform/tree.js';

function depthOf(plan: ReturnType<typeof planTree>, n: number): number {
  const depth = new Map<number, number>();
  plan.groups.forEach((g, gi) => depth.set(n + gi, 1 + Math.max(...g.map((id) => (id < n ? 0 : depth.get(id)!)))));
  return Math.max(0, ...plan.top.map((id) => (id < n ? 0 : depth.get(id)!)));
}

describe('planTree', () => {
  it('leaves small sets alone', () => {
    expect(planTree(4, 4)).toEqual({ groups: [], top: [0, 1, 2, 3] });
  });

  it('splits 8 into one full group of 4 and one of 2 for N = 4 (2 groups, like the patent)', () => {
    const p = planTree(8, 4);
    expect(p.groups).toEqual([[0, 1, 2, 3], [4, 5]]);
    expect(p.top).toEqual([8, 9, 6, 7]);
  });

  it('holds its properties for every n <= 3000 and N in 2..120 (property test)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 2, max: 120 }), (n, N) => {
      const p = planTree(n, N);
      const used = new Map<number, number>();
      for (const g of p.groups) {
        expect(g.length).toBeGreaterThanOrEqual(2);
        expect(g.length).toBeLessThanOrEqual(N);
        for (const id of g) used.set(id, (used.get(id) ?? 0) + 1);
      }
      for (const id of p.top) used.set(id, (used.get(id) ?? 0) + 1);
      expect(p.top.length).toBeLessThanOrEqual(N);
      for (let id = 0; id < n + p.groups.length; id++) expect(used.get(id)).toBe(1);
      const levels = n <= N ? 0 : Math.ceil(Math.log(n) / Math.log(N) - 1e-12) - 1;
      expect(depthOf(p, n)).toBe(levels);
      const lowerBound = n <= N ? 0 : Math.ceil((n - N) / (N - 1));
      expect(p.groups.length).toBeGreaterThanOrEqual(lowerBound);
      expect(p.groups.length).toBeLessThanOrEqual(lowerBound + Math.max(0, levels - 1));
    }), { numRuns: 400, seed: 3 });
  });
});
