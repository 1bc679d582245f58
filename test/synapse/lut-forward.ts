// A minimal forward pass of a network of the synapse cells on the look-up tables, for the SPICE agreement test
// (issue 16; the trained model's own forward pass is src/synapse/model.ts): per neuron, the operating point
// v = H(sum_i F(z_i, w_ij, v)) by Newton from Vcc/2 (seed 002 Eq. 4), safeguarded by bisection (g(v) = v - H(z(v))
// rises with v since dF/dv <= 0 and H' >= 0, so its root is bracketed by [0, Vcc]).

import type { SynapseCurves } from '../../src/synapse/curves.js';
import type { CellNetwork } from '../../src/synapse/transistor-netlist.js';

export interface LutForward {
  z: number[][];
  v: number[][];
  maxIterations: number;
  maxResidualV: number;
}

export function lutForward(c: SynapseCurves, net: CellNetwork, inputsA: readonly number[], tolV = 1e-9): LutForward {
  const sp = { sA: 0, dSdZ: 0, dSdW: 0, dSdV: 0 };
  const so = { vV: 0, dVdZ: 0 };
  const z: number[][] = [[...inputsA]];
  const vs: number[][] = [[]];
  let maxIterations = 0;
  let maxResidualV = 0;
  for (let l = 1; l < net.layerSizes.length; l++) {
    const zl: number[] = [];
    const vl: number[] = [];
    for (let j = 0; j < net.layerSizes[l]; j++) {
      const sum = (v: number) => {
        let s = 0;
        let ds = 0;
        for (let i = 0; i < net.layerSizes[l - 1]; i++) {
          c.synapse(z[l - 1][i], net.weights[l - 1][i][j], v, sp);
          s += sp.sA;
          ds += sp.dSdV;
        }
        return [s, ds];
      };
      let lo = 0;
      let hi = c.vccV;
      let v = c.vccV / 2;
      let it = 0;
      let g = Infinity;
      for (; it < 100; it++) {
        const [s, ds] = sum(v);
        c.soma(s, so);
        g = v - so.vV;
        if (Math.abs(g) <= tolV) break;
        if (g > 0) hi = v;
        else lo = v;
        const d = 1 - so.dVdZ * ds;
        let next = v - g / d;
        if (!(next > lo && next < hi)) next = (lo + hi) / 2;
        v = next;
      }
      maxIterations = Math.max(maxIterations, it);
      maxResidualV = Math.max(maxResidualV, Math.abs(g));
      const [s] = sum(v);
      zl.push(s);
      vl.push(v);
    }
    z.push(zl);
    vs.push(vl);
  }
  return { z, v: vs, maxIterations, maxResidualV };
}
