// The memristor models as behavioural ngspice subcircuits (issue 17: "a crossbar layer as an ngspice netlist with the
// device model"): the state is the voltage of an internal node x across a 1 F capacitor charged by a B-source equal to
// the model's ds/dt (so V(x) is the normalised state s of crossbar/devices.ts), held inside [0, 1] by switching the
// rate off at the bounds; the terminal current is a B-source of the model's I(V, s). Nominal devices (no variation).
// test/crossbar/devices-spice.test.ts integrates them in ngspice against devices.ts.

import type { MemristorModel } from '../presets/memristors.js';
import { validateModel } from './devices.js';

/** Shortest round-trip text of a number for a netlist. */
const n = (v: number) => String(v);

/** ds/dt as an ngspice expression of the terminal voltage `v` and the state `x`. */
export function stateRateExpression(m: MemristorModel, v: string, x: string): string {
  if (m.kind === 'linear-ion-drift') {
    const k = (m.mobilityM2PerVS * m.rOnOhm) / (m.thicknessM * m.thicknessM);
    return `${n(k)}*${v}*4*${x}*(1-${x})/(${n(m.rOnOhm)}*${x}+${n(m.rOffOhm)}*(1-${x}))`;
  }
  if (m.kind === 'vteam') {
    const dw = `(${v} > ${n(m.vOffV)} ? ${n(m.kOffMPerS)}*pow(${v}/${n(m.vOffV)}-1, ${n(m.alphaOff)}) : (${v} < ${n(m.vOnV)} ? ${n(m.kOnMPerS)}*pow(${v}/${n(m.vOnV)}-1, ${n(m.alphaOn)}) : 0))`;
    return `-${dw}/${n(m.wOffM - m.wOnM)}`;
  }
  if (m.kind === 'threshold') {
    const a = m.alphaOhmPerVS;
    const f = `(${v} > ${n(m.vtV)} ? ${n(m.betaOhmPerVS)}*(${v}-${n(m.vtV)})+${n(a * m.vtV)} : (${v} < ${n(-m.vtV)} ? ${n(m.betaOhmPerVS)}*(${v}+${n(m.vtV)})-${n(a * m.vtV)} : ${n(a)}*${v}))`;
    return `-${f}/${n(m.rOffOhm - m.rOnOhm)}`;
  }
  const g = `(${v} > ${n(m.vpV)} ? ${n(m.ap)}*(exp(${v})-exp(${n(m.vpV)})) : (${v} < ${n(-m.vnV)} ? ${n(-m.an)}*(exp(-${v})-exp(${n(m.vnV)})) : 0))`;
  const fp = `(${x} >= ${n(m.xp)} ? exp(${n(-m.alphaP)}*(${x}-${n(m.xp)}))*((${n(m.xp)}-${x})/${n(1 - m.xp)}+1) : 1)`;
  const fn = `(${x} <= ${n(1 - m.xn)} ? exp(${n(m.alphaN)}*(${x}+${n(m.xn - 1)}))*(${x}/${n(1 - m.xn)}) : 1)`;
  return `${n(m.eta)}*${g}*(${n(m.eta)}*${v} > 0 ? ${fp} : ${fn})`;
}

/** The terminal current I(V, s) as an ngspice expression. */
export function currentExpression(m: MemristorModel, v: string, x: string): string {
  if (m.kind === 'yakopcic') return `(${v} >= 0 ? ${n(m.a1A)} : ${n(m.a2A)})*${x}*sinh(${n(m.bPerV)}*${v})`;
  return `${v}/(${n(m.rOnOhm)}*${x}+${n(m.rOffOhm)}*(1-${x}))`;
}

/** A subcircuit name for a model: MEM_ and its name in upper case, non-alphanumerics as _. */
export function subcircuitName(m: MemristorModel): string {
  return `MEM_${m.name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** `.subckt MEM_<NAME> p n PARAMS: s0=<initial state>`: the model between p and n; the state on the internal node
 * x (instances: `X1 a b MEM_VTEAM PARAMS: s0=0.3`; `.tran ... uic` so the capacitor starts at s0). */
export function memristorSubcircuit(m: MemristorModel): string {
  validateModel(m);
  const rate = stateRateExpression(m, 'V(p,n)', 'V(x)');
  return [
    `* ${m.name}: ${m.source}`,
    `.subckt ${subcircuitName(m)} p n PARAMS: s0=${n(m.initialState)}`,
    `Brate 0 x I = {((${rate}) > 0 && V(x) >= 1) || ((${rate}) < 0 && V(x) <= 0) ? 0 : ${rate}}`,
    'Cx x 0 1 IC={s0}',
    'Rx x 0 1e15',
    `Bmem p n I = {${currentExpression(m, 'V(p,n)', 'V(x)')}}`,
    '.ends',
  ].join('\n');
}
