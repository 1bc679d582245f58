// Seed 002's Table 1 figures for OUR cells (issue 16; docs/benchmarks.md "Non-linear synapses (issue 16)"): the
// input-to-output delay of a transistor-level 4-10-10-3 network (the Iris shape) with random weight levels, from a
// .tran step between two input samples; the energy per MAC from the supply current; the computational density from
// the delay and the cell areas (cells.ts AREA_RULE), for the network and projected, like seed 002, to 25.1 k
// synapses and 160 somas. Run once: `npx tsx bench/synapse-table1.ts`.
//
// Delay: from the input step until every output current stays within 2 % of its own change (|I(t) - I_end| <=
// 0.02 |I_end - I_start|, I_start and I_end from .op of the two samples). Energy per MAC: the average supply power
// over that window (Vcc times the supply current, which includes the input currents, the cells and the ladder)
// times the delay, divided by the synapses (one MAC each, seed 002 §IV). Density: synapses / (delay x area).

import { cellAreas, VCC_V } from '../src/synapse/cells.js';
import { spiceNetworkOutputs, spiceNetworkTransient, type CellNetwork } from '../src/synapse/transistor-netlist.js';
import { Rng } from '../src/util/random.js';

const sizes = [4, 10, 10, 3];
const rng = new Rng(16);
const lv = () => Math.floor(rng.next() * 9) - 4;
const net: CellNetwork = { layerSizes: sizes, weights: sizes.slice(1).map((n, l) => Array.from({ length: sizes[l] }, () => Array.from({ length: n }, lv))) };
const a = [10e-6, 40e-6, 5e-6, 30e-6];
const b = [40e-6, 8e-6, 35e-6, 12e-6];

const ops = await spiceNetworkOutputs(net, [a, b]);
const start = ops[0].z[3];
const end = ops[1].z[3];
const stepAtS = 5e-9;
const tr = await spiceNetworkTransient(net, a, b, { stepAtS, stopS: 65e-9, printS: 0.05e-9 }, 1_800_000);
/** The time after which every output stays within `rel` of its own change. */
const settleS = (rel: number) => {
  let t = stepAtS;
  for (let j = 0; j < sizes[3]; j++) {
    const band = rel * Math.abs(end[j] - start[j]);
    for (let k = tr.timeS.length - 1; k >= 0; k--) {
      if (Math.abs(tr.outputsA[j][k] - end[j]) > band) {
        t = Math.max(t, tr.timeS[Math.min(k + 1, tr.timeS.length - 1)]);
        break;
      }
    }
  }
  return t;
};
const settled = settleS(0.02);
const settled10 = settleS(0.1);
const settled50 = settleS(0.5);
const delayS = settled - stepAtS;
// Average supply power over the window (trapezoid).
let q = 0;
for (let k = 1; k < tr.timeS.length; k++) {
  const t0 = Math.max(tr.timeS[k - 1], stepAtS);
  const t1 = Math.min(tr.timeS[k], settled);
  if (t1 > t0) q += ((tr.supplyA[k] + tr.supplyA[k - 1]) / 2) * (t1 - t0);
}
const powerW = (VCC_V * q) / delayS;
const synapses = sizes.slice(1).reduce((s, n, l) => s + n * sizes[l], 0);
const somas = sizes.reduce((s, n) => s + n, 0);
const ar = cellAreas();
const areaUm2 = synapses * (ar.synapseUm2 + ar.wgenUm2) + somas * ar.somaUm2 + ar.ladderUm2;
const energyPerMacJ = (powerW * delayS) / synapses;
const density = synapses / delayS / areaUm2;
const projArea = 25.1e3 * (ar.synapseUm2 + ar.wgenUm2) + 160 * ar.somaUm2 + ar.ladderUm2;
const projDensity = 25.1e3 / delayS / projArea;

console.log(JSON.stringify({
  network: sizes.join('-'),
  weights: 'random levels, Rng(16)',
  synapses,
  somas,
  outputsStartA: start,
  outputsEndA: end,
  delayNs: delayS * 1e9,
  settleWithin10PercentNs: (settled10 - stepAtS) * 1e9,
  settleWithin50PercentNs: (settled50 - stepAtS) * 1e9,
  endOfRunDeviationRel: end.map((e, j) => Math.abs(tr.outputsA[j][tr.timeS.length - 1] - e) / Math.abs(e - start[j])),
  supplyStaticA: { a: ops[0].supplyA, b: ops[1].supplyA },
  averagePowerW: powerW,
  energyPerMacPJ: energyPerMacJ * 1e12,
  areasUm2: ar,
  networkAreaUm2: areaUm2,
  densityMacPerSUm2: density,
  projected: { synapses: 25.1e3, somas: 160, areaUm2: projArea, densityMacPerSUm2: projDensity },
}, null, 2));
