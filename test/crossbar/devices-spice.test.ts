// The device models' pulse integration against ngspice (issue 17): each model's state equation written as a
// behavioural source charging a 1 F capacitor (dV/dt = the state's rate), driven by a two-level pulse train, integrated
// by ngspice's own step control (reltol 1e-9), and compared with src/crossbar/devices.ts (exact for linear ion drift,
// VTEAM and the threshold model, RK4 sub-steps for Yakopcic) at the end of each level. Tolerance 2e-6 in state:
// ngspice's .meas prints 7 significant digits. Skipped where ngspice is not installed.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyPulse, createDevices, setState, stateOf } from '../../src/crossbar/devices.js';
import { LINEAR_ION_DRIFT_HP, THRESHOLD_PERSHIN, VTEAM_MEMTORCH, YAKOPCIC_2011, type MemristorModel } from '../../src/presets/memristors.js';
import { ngspiceAvailable } from '../../src/spice/engines/index.js';

const HAS_NGSPICE = ngspiceAvailable();
const dir = mkdtempSync(join(tmpdir(), 'ohmnet-xbar-spice-'));

/** The state's rate ds/dt as an ngspice expression of V(in) and V(x) (x the normalised state). */
function rateExpression(m: MemristorModel): string {
  const v = 'V(in)';
  if (m.kind === 'linear-ion-drift') {
    const k = (m.mobilityM2PerVS * m.rOnOhm) / (m.thicknessM * m.thicknessM);
    return `${k}*${v}*4*V(x)*(1-V(x))/(${m.rOnOhm}*V(x)+${m.rOffOhm}*(1-V(x)))`;
  }
  if (m.kind === 'vteam') {
    const dw = `(${v} > ${m.vOffV} ? ${m.kOffMPerS}*pow(${v}/${m.vOffV}-1, ${m.alphaOff}) : (${v} < ${m.vOnV} ? ${m.kOnMPerS}*pow(${v}/${m.vOnV}-1, ${m.alphaOn}) : 0))`;
    return `-${dw}/${m.wOffM - m.wOnM}`;
  }
  if (m.kind === 'threshold') {
    const f = `(${v} > ${m.vtV} ? ${m.betaOhmPerVS}*(${v}-${m.vtV}) : (${v} < ${-m.vtV} ? ${m.betaOhmPerVS}*(${v}+${m.vtV}) : 0))`;
    return `-${f}/${m.rOffOhm - m.rOnOhm}`;
  }
  const g = `(${v} > ${m.vpV} ? ${m.ap}*(exp(${v})-exp(${m.vpV})) : (${v} < ${-m.vnV} ? ${-m.an}*(exp(-${v})-exp(${m.vnV})) : 0))`;
  const fp = `(V(x) >= ${m.xp} ? exp(${-m.alphaP}*(V(x)-${m.xp}))*((${m.xp}-V(x))/${1 - m.xp}+1) : 1)`;
  const fn = `(V(x) <= ${1 - m.xn} ? exp(${m.alphaN}*(V(x)+${m.xn - 1}))*(V(x)/${1 - m.xn}) : 1)`;
  return `${m.eta}*V(g)*(${m.eta}*${v} > 0 ? ${fp} : ${fn})`.replace('V(g)', `(${g})`);
}

function ngspiceStates(m: MemristorModel, s0: number, v1: number, t1: number, v2: number, t2: number): [number, number] {
  const step = Math.min(t1, t2) / 2000;
  const netlist = [
    `* ${m.name} state under ${v1} V for ${t1} s, then ${v2} V for ${t2} s`,
    `V1 in 0 PWL(0 ${v1} ${t1} ${v1} ${t1 + step / 100} ${v2} ${t1 + t2} ${v2})`,
    `Bx 0 x I = {${rateExpression(m)}}`,
    `Cx x 0 1 IC=${s0}`,
    '.options reltol=1e-9 abstol=1e-15 vntol=1e-12',
    `.tran ${step} ${t1 + t2} 0 ${step} uic`,
    `.meas tran s1 find v(x) at=${t1}`,
    `.meas tran s2 find v(x) at=${t1 + t2}`,
    '.end',
  ].join('\n');
  const file = join(dir, `${m.name}.cir`);
  writeFileSync(file, `${netlist}\n`);
  const r = spawnSync('ngspice', ['-b', file], { encoding: 'utf8', timeout: 60_000 });
  const find = (name: string) => Number(new RegExp(`^${name}\\s*=\\s*(\\S+)`, 'm').exec(r.stdout)?.[1]);
  return [find('s1'), find('s2')];
}

const cases: [MemristorModel, number, number, number, number, number][] = [
  [LINEAR_ION_DRIFT_HP, 0.2, 3, 0.05, -2, 0.05],
  [VTEAM_MEMTORCH, 0.2, VTEAM_MEMTORCH.setV, 1e-4, VTEAM_MEMTORCH.resetV, 2e-4],
  [YAKOPCIC_2011, 0.2, 0.18, 4e-3, -0.17, 6e-3],
  [THRESHOLD_PERSHIN, 0.2, THRESHOLD_PERSHIN.setV, 2e-4, THRESHOLD_PERSHIN.resetV, 1e-4],
];

describe.skipIf(!HAS_NGSPICE)('device pulses against ngspice', () => {
  it.each(cases.map((c) => [c[0].name, ...c] as const))('%s', (_name, m, s0, v1, t1, v2, t2) => {
    const d = createDevices(m, 1);
    setState(d, 0, s0);
    applyPulse(d, 0, v1, t1);
    const ours1 = stateOf(d, 0);
    applyPulse(d, 0, v2, t2);
    const ours2 = stateOf(d, 0);
    const [ng1, ng2] = ngspiceStates(m, s0, v1, t1, v2, t2);
    expect(Number.isFinite(ng1) && Number.isFinite(ng2)).toBe(true);
    expect(Math.abs(ours1 - s0)).toBeGreaterThan(0.01); // the pulses do move the state
    expect(Math.abs(ours1 - ng1)).toBeLessThan(2e-6);
    expect(Math.abs(ours2 - ng2)).toBeLessThan(2e-6);
  });
});
