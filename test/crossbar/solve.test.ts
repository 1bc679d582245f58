// The crossbar solver (src/crossbar/solve.ts) against badcrossbar's README example, an independent dense solve of
// the nodal equations written here from the circuit, Kirchhoff's current law, and the iterative solver against the
// exact one.

import { describe, expect, it } from 'vitest';
import {
  crossbarFromResistances,
  kclResidualRel,
  solveCrossbar,
  solveCrossbarNodes,
  voltageSets,
  deviceCurrents,
  BandedCholesky,
} from '../../src/crossbar/solve.js';
import { nestedDissection, SparseLdl } from '../../src/crossbar/solve-sparse.js';
import { isOhmnetError } from '../../src/errors.js';
import { Rng } from '../../src/util/random.js';

// badcrossbar README (joksas/badcrossbar, "Example"): 3 word lines x 5 bit lines, four input sets, r_i = 0.5 ohm.
const README_V = [
  [1.5, 4.1, 2.6, 2.1],
  [2.3, 4.5, 1.1, 0.8],
  [1.7, 4.0, 3.3, 1.1],
];
const README_R = [
  [345, 903, 755, 257, 646],
  [652, 401, 508, 166, 454],
  [442, 874, 190, 244, 635],
];

const relErr = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

/** Dense Gaussian elimination with partial pivoting of the full 2mn nodal system, assembled from the circuit element by element. */
function denseReference(r: number[][], v: number[], rw: number, rb: number): { w: number[][]; b: number[][] } {
  const m = r.length;
  const n = r[0].length;
  const N = 2 * m * n;
  const A = Array.from({ length: N }, () => new Array<number>(N + 1).fill(0));
  const W = (i: number, j: number) => i * n + j;
  const B = (i: number, j: number) => m * n + i * n + j;
  // stamp a conductance between nodes a and b (-1: a known voltage `fixed` on that side)
  const stamp = (a: number, b: number, g: number, fixed = 0) => {
    if (a >= 0) A[a][a] += g;
    if (b >= 0) A[b][b] += g;
    if (a >= 0 && b >= 0) {
      A[a][b] -= g;
      A[b][a] -= g;
    } else if (a >= 0) A[a][N] += g * fixed;
    else if (b >= 0) A[b][N] += g * fixed;
  };
  for (let i = 0; i < m; i++) {
    stamp(-1, W(i, 0), 1 / rw, v[i]);
    for (let j = 0; j + 1 < n; j++) stamp(W(i, j), W(i, j + 1), 1 / rw);
  }
  for (let j = 0; j < n; j++) {
    stamp(B(m - 1, j), -1, 1 / rb, 0);
    for (let i = 0; i + 1 < m; i++) stamp(B(i, j), B(i + 1, j), 1 / rb);
  }
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) stamp(W(i, j), B(i, j), 1 / r[i][j]);
  for (let c = 0; c < N; c++) {
    let piv = c;
    for (let k = c + 1; k < N; k++) if (Math.abs(A[k][c]) > Math.abs(A[piv][c])) piv = k;
    [A[c], A[piv]] = [A[piv], A[c]];
    for (let k = c + 1; k < N; k++) {
      const f = A[k][c] / A[c][c];
      if (f !== 0) for (let q = c; q <= N; q++) A[k][q] -= f * A[c][q];
    }
  }
  const x = new Array<number>(N).fill(0);
  for (let c = N - 1; c >= 0; c--) {
    let s = A[c][N];
    for (let q = c + 1; q < N; q++) s -= A[c][q] * x[q];
    x[c] = s / A[c][c];
  }
  return {
    w: Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => x[W(i, j)])),
    b: Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => x[B(i, j)])),
  };
}

function randomArray(rows: number, cols: number, seed: number, rMin = 1e4, rMax = 1e5): { r: number[][]; v: number[][] } {
  const g = new Rng(seed);
  const rnd = () => g.next();
  const r = Array.from({ length: rows }, () => Array.from({ length: cols }, () => rMin + (rMax - rMin) * rnd()));
  const v = Array.from({ length: rows }, () => [rnd() - 0.5, rnd()]);
  return { r, v };
}

describe('crossbar solver: badcrossbar README example', () => {
  const s = solveCrossbar(README_R, README_V, { interconnectOhm: 0.5 });
  it('reproduces the device current of [0][3][2] to 1e-12 relative', () => {
    // README prints ~0.00986 A; badcrossbar 1.1.0 computes 0.009856197822795886 A (issue 17; 0.009856197822795888
    // measured in shared/research/anchors.md: they differ in the 16th digit).
    expect(s.deviceCurrentsA[0][3][2]).toBeCloseTo(0.00986, 5);
    expect(relErr(s.deviceCurrentsA[0][3][2], 0.009856197822795886)).toBeLessThan(1e-12);
    expect(s.solver.method).toBe('sparse-ldl');
  });
  it('reproduces badcrossbar\'s output currents (printed to 9 digits in anchors.md)', () => {
    const expected = [
      [0.011585025, 0.009190642, 0.015115681, 0.025833208, 0.009811793],
      [0.027511479, 0.020013673, 0.034555728, 0.057632858, 0.021998285],
      [0.016499341, 0.009253888, 0.022471162, 0.029380425, 0.011366741],
      [0.009687362, 0.005493697, 0.009925952, 0.016978036, 0.006586208],
    ];
    for (let k = 0; k < 4; k++) for (let j = 0; j < 5; j++) expect(Math.abs(s.outputCurrentsA[k][j] - expected[k][j])).toBeLessThan(6e-10);
  });
  it('has badcrossbar\'s shapes and segment-current conventions', () => {
    expect(s.deviceCurrentsA.length).toBe(3);
    expect(s.deviceCurrentsA[0].length).toBe(5);
    expect(s.deviceCurrentsA[0][0].length).toBe(4);
    for (let k = 0; k < 4; k++)
      for (let i = 0; i < 3; i++) {
        // the first word-line segment carries the driver's current: (V - W[i][0]) / r
        expect(relErr(s.wordLineCurrentsA[i][0][k], (README_V[i][k] - s.wordLineVoltagesV[i][0][k]) / 0.5)).toBeLessThan(1e-9);
        for (let j = 1; j < 5; j++) expect(relErr(s.wordLineCurrentsA[i][j][k], (s.wordLineVoltagesV[i][j - 1][k] - s.wordLineVoltagesV[i][j][k]) / 0.5)).toBeLessThan(1e-8);
      }
    for (let k = 0; k < 4; k++)
      for (let j = 0; j < 5; j++) {
        expect(relErr(s.bitLineCurrentsA[2][j][k], s.bitLineVoltagesV[2][j][k] / 0.5)).toBeLessThan(1e-9);
        expect(s.bitLineCurrentsA[2][j][k]).toBe(s.outputCurrentsA[k][j]);
      }
  });
  it('satisfies KCL at every node to 1e-12 of the largest device current', () => {
    const a = crossbarFromResistances(README_R);
    const sets = voltageSets(README_V, 3);
    expect(kclResidualRel(a, sets, solveCrossbarNodes(a, sets, { interconnectOhm: 0.5 }))).toBeLessThan(1e-12);
  });
});

describe('crossbar solver: against a dense solve of the nodal equations', () => {
  const cases: Array<[number, number, number, number]> = [
    [4, 6, 1, 1],
    [7, 3, 2.5, 0.3],
    [1, 5, 10, 10],
    [5, 1, 10, 0.1],
    [1, 1, 3, 7],
  ];
  for (const [m, n, rw, rb] of cases)
    it(`${m} x ${n}, word ${rw} ohm, bit ${rb} ohm: exact and iterative to 1e-10`, () => {
      const { r, v } = randomArray(m, n, 100 * m + n, 100, 1000);
      const ref = denseReference(r, v.map((row) => row[0]), rw, rb);
      for (const solver of ['exact', 'iterative'] as const) {
        const s = solveCrossbar(r, v, { interconnectWordOhm: rw, interconnectBitOhm: rb, solver });
        for (let i = 0; i < m; i++)
          for (let j = 0; j < n; j++) {
            const scale = Math.max(...v.map((row) => Math.abs(row[0])));
            expect(Math.abs(s.wordLineVoltagesV[i][j][0] - ref.w[i][j]) / scale, solver).toBeLessThan(1e-10);
            expect(Math.abs(s.bitLineVoltagesV[i][j][0] - ref.b[i][j]) / scale, solver).toBeLessThan(1e-10);
          }
      }
    });
});

describe('crossbar solver: ideal lines', () => {
  const { r, v } = randomArray(6, 9, 7);
  it('zero interconnect gives I = G V exactly', () => {
    const s = solveCrossbar(r, v, { interconnectOhm: 0 });
    expect(s.solver.method).toBe('ideal');
    for (let k = 0; k < 2; k++)
      for (let j = 0; j < 9; j++) {
        let ideal = 0;
        for (let i = 0; i < 6; i++) {
          expect(s.deviceCurrentsA[i][j][k]).toBe(v[i][k] / r[i][j] === 0 ? 0 : v[i][k] * (1 / r[i][j]));
          ideal += v[i][k] * (1 / r[i][j]);
        }
        expect(relErr(s.outputCurrentsA[k][j], ideal)).toBeLessThan(1e-14);
      }
  });
  it('ideal word lines with resistive bit lines (and the reverse) match the limit of the full solve', () => {
    for (const [rw, rb] of [
      [0, 2],
      [2, 0],
    ]) {
      const s = solveCrossbar(r, v, { interconnectWordOhm: rw, interconnectBitOhm: rb });
      expect(s.solver.method).toBe('chains');
      expect(s.solver.residualRel).toBeLessThan(1e-14);
      // a segment of 1e-7 ohm instead of 0: the full solve converges to the chains' solution as r -> 0
      const near = solveCrossbar(r, v, { interconnectWordOhm: rw || 1e-7, interconnectBitOhm: rb || 1e-7, solver: 'exact' });
      for (let i = 0; i < 6; i++) for (let j = 0; j < 9; j++) for (let k = 0; k < 2; k++) expect(relErr(s.deviceCurrentsA[i][j][k], near.deviceCurrentsA[i][j][k])).toBeLessThan(1e-7);
      const a = crossbarFromResistances(r);
      const sets = voltageSets(v, 6);
      expect(kclResidualRel(a, sets, solveCrossbarNodes(a, sets, { interconnectWordOhm: rw, interconnectBitOhm: rb }))).toBeLessThan(1e-11);
    }
  });
  it('an open device (Infinity ohms) carries no current', () => {
    const r2 = r.map((row) => [...row]);
    r2[2][3] = Infinity;
    const s = solveCrossbar(r2, v, { interconnectOhm: 1 });
    expect(s.deviceCurrentsA[2][3].map(Math.abs)).toEqual([0, 0]);
  });
});

describe('crossbar solver: iterative against exact', () => {
  it('64 x 48 and 40 x 96 arrays (both band orderings) (10-100 kOhm, 1 ohm segments): device currents within 1e-9 relative of the largest, KCL to 1e-10 (exact) and 1e-9 (iterative)', () => {
    for (const [m, n] of [
      [64, 48],
      [40, 96],
    ]) {
      const { r, v } = randomArray(m, n, m + n);
      const a = crossbarFromResistances(r);
      const sets = voltageSets(v, m);
      const ex = solveCrossbarNodes(a, sets, { interconnectOhm: 1, solver: 'exact' });
      const it = solveCrossbarNodes(a, sets, { interconnectOhm: 1, solver: 'iterative' });
      expect(it.method).toBe('pcg-line');
      expect(it.residualRel).toBeLessThan(1e-13);
      for (let k = 0; k < 2; k++) {
        const de = deviceCurrents(a, ex, k);
        const di = deviceCurrents(a, it, k);
        let scale = 0;
        let worst = 0;
        for (let p = 0; p < de.length; p++) {
          scale = Math.max(scale, Math.abs(de[p]));
          worst = Math.max(worst, Math.abs(de[p] - di[p]));
        }
        expect(worst / scale).toBeLessThan(1e-9);
      }
      expect(kclResidualRel(a, sets, ex)).toBeLessThan(1e-10);
      expect(kclResidualRel(a, sets, it)).toBeLessThan(1e-9);
    }
  });
});

describe('crossbar solver: auto', () => {
  it('is exact up to 128 x 128 devices and iterative beyond', () => {
    for (const [m, n, method] of [
      [128, 128, 'sparse-ldl'],
      [129, 128, 'pcg-line'],
    ] as const) {
      const a = crossbarFromResistances(Array.from({ length: m }, () => new Array<number>(n).fill(5e4)));
      expect(solveCrossbarNodes(a, [new Float64Array(m).fill(0.1)], { interconnectOhm: 1 }).method).toBe(method);
    }
  });
});

describe('crossbar solver: the two direct factorizations', () => {
  it('nested dissection orders every node once', () => {
    for (const [m, n] of [
      [1, 1],
      [1, 40],
      [33, 2],
      [17, 29],
    ]) {
      const o = nestedDissection(m, n);
      expect(new Set(o).size).toBe(2 * m * n);
      expect(Math.min(...o)).toBe(0);
      expect(Math.max(...o)).toBe(2 * m * n - 1);
    }
  });
  it('sparse L D L^T (nested dissection) and banded Cholesky agree to 1e-12 on 48 x 40 and 9 x 70', () => {
    for (const [m, n, rw, rb] of [
      [48, 40, 1, 1],
      [9, 70, 0.2, 3],
    ]) {
      const { r, v } = randomArray(m, n, m * n);
      const a = crossbarFromResistances(r);
      const b = new Float64Array(2 * m * n);
      for (let i = 0; i < m; i++) b[i * n] = v[i][0] / rw;
      const x1 = new SparseLdl(m, n, a.conductancesS, 1 / rw, 1 / rb, 2 ** 30).solve(b);
      const x2 = new BandedCholesky(a, 1 / rw, 1 / rb).solve(b);
      let worst = 0;
      for (let p = 0; p < x1.length; p++) worst = Math.max(worst, Math.abs(x1[p] - x2[p]));
      expect(worst).toBeLessThan(1e-12);
    }
  });
});

describe('crossbar solver: bad input', () => {
  const bad: Array<[string, () => unknown, RegExp]> = [
    ['empty array', () => solveCrossbar([], [[1]]), /non-empty list of rows/],
    ['empty row', () => solveCrossbar([[]], [[1]]), /non-empty list of rows/],
    ['ragged rows', () => solveCrossbar([[1, 2], [3]], [[1], [1]]), /row 1 has 1 entries but row 0 has 2/],
    ['zero resistance', () => solveCrossbar([[0]], [[1]]), /resistances\[0\]\[0\] is 0/],
    ['negative resistance', () => solveCrossbar([[5, -1]], [[1]]), /resistances\[0\]\[1\] is -1/],
    ['NaN resistance', () => solveCrossbar([[NaN]], [[1]]), /is NaN/],
    ['voltage rows', () => solveCrossbar([[1], [2]], [[1]]), /voltages has 1 rows but the array has 2 word lines/],
    ['NaN voltage', () => solveCrossbar([[1]], [[NaN]]), /voltages\[0\]\[0\] is NaN/],
    ['negative interconnect', () => solveCrossbar([[1]], [[1]], { interconnectOhm: -1 }), /interconnectOhm -1 must be a finite resistance >= 0/],
    ['banded factor beyond 2 GiB (512 x 512)', () => new BandedCholesky(crossbarFromResistances(Array.from({ length: 512 }, () => new Array<number>(512).fill(1e4))), 1, 1), /would need 4\.0 GiB for its factor; use solver iterative/],
    ['unknown solver', () => solveCrossbar([[1]], [[1]], { interconnectOhm: 1, solver: 'lu' as never }), /solver 'lu' is not one of auto, exact, iterative/],
  ];
  for (const [name, f, re] of bad)
    it(name, () => {
      let err: unknown;
      try {
        f();
      } catch (e) {
        err = e;
      }
      expect(isOhmnetError(err)).toBe(true);
      expect((err as Error).message).toMatch(re);
      expect((err as Error).message).not.toContain('\n');
    });
});
