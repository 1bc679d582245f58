// The exact gradient of the non-linear synapse model (src/synapse/model.ts) against central finite differences, on
// the analytic surrogate (src/synapse/surrogate.ts: smooth, exact partials, a real dF/dv). And the seed's Eq. 6 as
// printed (no loop factor 1/D_j) against the same differences: it disagrees wherever dF/dv is not ~0 (issue 16, C15).
//
// Tolerance: the Newton solve stops at |v - H(z)| <= 1e-13 V, so the loss is exact to ~1e-12 relative; central
// differences with h = 1e-5 levels have truncation error O(h^2 C''') ~ 1e-10 of the gradient's scale and rounding
// error ~ 1e-16 / h ~ 1e-11. So each component must agree within 1e-6 of the largest |gradient| component (margin 10^3
// over those errors; a missing factor 1/D_j with D_j >= 1.05 is an error of 5 % of that weight's component or more).

import { describe, expect, it } from 'vitest';
import { argmax, softmaxCrossEntropy, SynapseModel, zeroGradient, type GradientKind, type SynapseNetwork } from '../../src/synapse/model.js';
import { SurrogateCurves } from '../../src/synapse/surrogate.js';
import { SynapseLut } from '../../src/synapse/lut.js';
import type { SynapseCurves } from '../../src/synapse/curves.js';
import { Rng } from '../../src/util/random.js';

const curves = new SurrogateCurves();
const sizes = [4, 5, 3];
const encoding = { inputHighA: 75e-6, biasA: 75e-6, currentScaleA: 50e-6 };
const newton = { toleranceV: 1e-13, maxIterations: 100 };

function setup(seed: number) {
  const rng = new Rng(seed);
  // Weights between levels (never an integer), so dF/dw is the slope of one trilinear cell on the LUT.
  const net: SynapseNetwork = {
    sizes,
    weights: zeroGradient(sizes).map((w) => w.map(() => Math.floor(rng.uniform(-4, 4)) + 0.2 + 0.6 * rng.next())),
  };
  const samples = Array.from({ length: 4 }, () => Array.from({ length: 4 }, () => rng.next()));
  const labels = samples.map((_, k) => k % 3);
  return { net, samples, labels };
}

function lossOf(model: SynapseModel, net: SynapseNetwork, samples: number[][], labels: number[]): number {
  const d = new Float64Array(3);
  let c = 0;
  for (let k = 0; k < samples.length; k++) c += softmaxCrossEntropy(model.forward(net, samples[k]!), encoding.currentScaleA, labels[k]!, d);
  return c / samples.length;
}

function gradient(model: SynapseModel, net: SynapseNetwork, samples: number[][], labels: number[], kind: GradientKind): Float64Array[] {
  const g = zeroGradient(sizes);
  const d = new Float64Array(3);
  for (let k = 0; k < samples.length; k++) {
    const z = model.forward(net, samples[k]!);
    softmaxCrossEntropy(z, encoding.currentScaleA, labels[k]!, d);
    for (let j = 0; j < 3; j++) d[j] = d[j]! / samples.length;
    model.backward(d, g, kind);
  }
  return g;
}

function finiteDifferences(model: SynapseModel, net: SynapseNetwork, samples: number[][], labels: number[], h: number): Float64Array[] {
  return net.weights.map((w) =>
    w.map((_, i) => {
      const w0 = w[i]!;
      w[i] = w0 + h;
      const up = lossOf(model, net, samples, labels);
      w[i] = w0 - h;
      const down = lossOf(model, net, samples, labels);
      w[i] = w0;
      return (up - down) / (2 * h);
    }),
  );
}

const flat = (a: Float64Array[]) => a.flatMap((x) => [...x]);

describe('non-linear synapse model: exact gradient through the v = H(z) loop', () => {
  for (const seed of [1, 2, 3]) {
    it(`matches central finite differences on the surrogate (seed ${seed})`, () => {
      const model = new SynapseModel(curves, sizes, encoding, newton);
      const { net, samples, labels } = setup(seed);
      const fd = flat(finiteDifferences(model, net, samples, labels, 1e-5));
      const exact = flat(gradient(model, net, samples, labels, 'exact'));
      const scale = Math.max(...fd.map(Math.abs));
      expect(scale).toBeGreaterThan(1e-4);
      const worst = Math.max(...fd.map((v, i) => Math.abs(v - exact[i]!)));
      expect(worst).toBeLessThan(1e-6 * scale);
      // The check is not vacuous: the loop factors in this network are well away from 1.
      model.forward(net, samples[0]!);
      const loops = model.trace.loop.flatMap((x) => [...x]);
      expect(Math.max(...loops)).toBeGreaterThan(1.2);
      expect(Math.min(...loops)).toBeGreaterThanOrEqual(1);
      expect(argmax(model.trace.z[1]!)).toBeGreaterThanOrEqual(0);
    });
  }

  it("the seed's Eq. 6 as printed (no loop factor) disagrees with finite differences where dF/dv is not ~0", () => {
    const model = new SynapseModel(curves, sizes, encoding, newton);
    const { net, samples, labels } = setup(1);
    const fd = flat(finiteDifferences(model, net, samples, labels, 1e-5));
    const eq6 = flat(gradient(model, net, samples, labels, 'eq6'));
    const scale = Math.max(...fd.map(Math.abs));
    const worst = Math.max(...fd.map((v, i) => Math.abs(v - eq6[i]!)));
    // Wrong by far more than the exact gradient's 1e-6: the error is the missing factor, (D_j - 1) of the component.
    expect(worst).toBeGreaterThan(0.05 * scale);
    // Eq. 6 is each neuron's exact gradient times D_j (> 0): a per-neuron rescaling, so still a descent direction.
    const exact = flat(gradient(model, net, samples, labels, 'exact'));
    let dot = 0;
    for (let i = 0; i < exact.length; i++) dot += exact[i]! * eq6[i]!;
    expect(dot).toBeGreaterThan(0);
  });
});

// On the SPICE look-up table of our cells (fixtures/synapse/ptm65.lut.json: trilinear F, linear H, the interpolant's
// own derivatives). A trilinear interpolant is smooth only inside a cell: a difference whose step crosses a grid line
// (of w, or of any z or v downstream) picks up the other cell's slope. So the step is 1e-7 levels, which moves every
// node's z by ~1e-12 A and v by ~1e-9 V, far below the grid (3 uA in z, 50 mV in v, 1 level in w): on these seeds no
// step crosses a line, so inside a cell F is exactly trilinear and the difference is exact up to rounding (~1e-16 /
// 1e-7 = 1e-9 relative) and the Newton tolerance (1e-13 V). Tolerance: 1e-5 of the largest |gradient| component.
describe('non-linear synapse model on the SPICE LUT: exact gradient', () => {
  const lut = SynapseLut.fromFile(new URL('../../fixtures/synapse/ptm65.lut.json', import.meta.url).pathname);
  const lutEncoding = { inputHighA: 30e-6, biasA: 30e-6, currentScaleA: 10e-6 };
  const check = (curves: SynapseCurves, seed: number) => {
    const model = new SynapseModel(curves, sizes, lutEncoding, newton);
    const { net, samples, labels } = setup(seed);
    const loss = (m: SynapseModel) => {
      const d = new Float64Array(3);
      let c = 0;
      for (let k = 0; k < samples.length; k++) c += softmaxCrossEntropy(m.forward(net, samples[k]!), lutEncoding.currentScaleA, labels[k]!, d);
      return c / samples.length;
    };
    const fd = net.weights.flatMap((w) =>
      [...w].map((_, i) => {
        const w0 = w[i]!;
        w[i] = w0 + 1e-7;
        const up = loss(model);
        w[i] = w0 - 1e-7;
        const down = loss(model);
        w[i] = w0;
        return (up - down) / 2e-7;
      }),
    );
    const grad = (kind: GradientKind) => {
      const g = zeroGradient(sizes);
      const d = new Float64Array(3);
      for (let k = 0; k < samples.length; k++) {
        softmaxCrossEntropy(model.forward(net, samples[k]!), lutEncoding.currentScaleA, labels[k]!, d);
        for (let j = 0; j < 3; j++) d[j] = d[j]! / samples.length;
        model.backward(d, g, kind);
      }
      return flat(g);
    };
    const loops = samples.flatMap((x) => (model.forward(net, x), model.trace.loop.flatMap((a) => [...a])));
    return { fd, exact: grad('exact'), eq6: grad('eq6'), loops, converged: model.trace.unconverged === 0 };
  };
  for (const seed of [1, 2]) {
    it(`matches central finite differences inside one cell (seed ${seed}); Eq. 6 as printed does not`, () => {
      const { fd, exact, eq6, loops, converged } = check(lut, seed);
      expect(converged).toBe(true);
      const scale = Math.max(...fd.map(Math.abs));
      expect(scale).toBeGreaterThan(1e-3);
      expect(Math.max(...fd.map((v, i) => Math.abs(v - exact[i]!)))).toBeLessThan(1e-5 * scale);
      // Where the loop factor is away from 1 (dF/dv not ~0: synapses near triode), Eq. 6 is off by that factor.
      expect(Math.max(...loops)).toBeGreaterThan(1.05);
      expect(Math.max(...fd.map((v, i) => Math.abs(v - eq6[i]!)))).toBeGreaterThan(1e-2 * scale);
    });
  }
});
