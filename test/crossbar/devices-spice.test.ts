// The device models against ngspice (issue 17): each model's behavioural subcircuit (crossbar/devices-spice.ts: the
// state on a 1 F capacitor charged by ds/dt, the terminal current a B-source of I(V, s)) driven by a set pulse, a reset
// pulse and a read, integrated by ngspice's own step control (reltol 1e-9), against src/crossbar/devices.ts (exact
// for linear ion drift, VTEAM and the threshold model, RK4 sub-steps for Yakopcic): the state at the end of each
// pulse within 2e-6 (ngspice's .meas prints 7 significant digits) and the read current within 1e-5 relative.
// Skipped where ngspice is not installed.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyPulse, conductanceS, createDevices, setState, stateOf } from '../../src/crossbar/devices.js';
import { memristorSubcircuit, subcircuitName } from '../../src/crossbar/devices-spice.js';
import { LINEAR_ION_DRIFT_HP, THRESHOLD_PERSHIN, VTEAM_MEMTORCH, YAKOPCIC_2011, type MemristorModel } from '../../src/presets/memristors.js';
import { ngspiceAvailable } from '../../src/spice/engines/index.js';

const HAS_NGSPICE = ngspiceAvailable();
const dir = mkdtempSync(join(tmpdir(), 'ohmnet-xbar-spice-'));

function ngspice(m: MemristorModel, s0: number, v1: number, t1: number, v2: number, t2: number): { s1: number; s2: number; iRead: number } {
  const step = Math.min(t1, t2) / 2000;
  const edge = step / 100;
  const tRead = t1 + t2 + 10 * step;
  const netlist = [
    `* ${m.name}: ${v1} V for ${t1} s, ${v2} V for ${t2} s, then a read at ${m.readV} V`,
    memristorSubcircuit(m),
    `V1 in 0 PWL(0 ${v1} ${t1} ${v1} ${t1 + edge} ${v2} ${t1 + t2} ${v2} ${t1 + t2 + edge} ${m.readV} ${tRead} ${m.readV})`,
    `X1 in 0 ${subcircuitName(m)} PARAMS: s0=${s0}`,
    '.options reltol=1e-9 abstol=1e-15 vntol=1e-12',
    `.tran ${step} ${tRead} 0 ${step} uic`,
    `.meas tran s1 find v(x1.x) at=${t1}`,
    `.meas tran s2 find v(x1.x) at=${t1 + t2}`,
    `.meas tran iread find i(V1) at=${t1 + t2 + 2 * edge}`, // at the read's start: a linear-ion-drift device drifts under a DC read
    '.end',
  ].join('\n');
  const file = join(dir, `${m.name}.cir`);
  writeFileSync(file, `${netlist}\n`);
  const r = spawnSync('ngspice', ['-b', file], { encoding: 'utf8', timeout: 60_000 });
  const find = (name: string) => Number(new RegExp(`^${name}\\s*=\\s*(\\S+)`, 'm').exec(r.stdout)?.[1]);
  return { s1: find('s1'), s2: find('s2'), iRead: -find('iread') };
}

const cases: [MemristorModel, number, number, number, number, number][] = [
  [LINEAR_ION_DRIFT_HP, 0.2, 3, 0.05, -2, 0.05],
  [VTEAM_MEMTORCH, 0.2, VTEAM_MEMTORCH.setV, 1e-4, VTEAM_MEMTORCH.resetV, 2e-4],
  [VTEAM_MEMTORCH, 0.8, VTEAM_MEMTORCH.setV, 1e-3, VTEAM_MEMTORCH.resetV, 1e-4], // the set saturates at s = 1
  [YAKOPCIC_2011, 0.2, 0.18, 4e-3, -0.17, 6e-3],
  [THRESHOLD_PERSHIN, 0.2, THRESHOLD_PERSHIN.setV, 2e-4, THRESHOLD_PERSHIN.resetV, 1e-4],
];

describe.skipIf(!HAS_NGSPICE)('device subcircuits against ngspice', () => {
  it.each(cases.map((c) => [c[0].name, c[1], ...c] as const))('%s from s = %s', (_name, _s, m, s0, v1, t1, v2, t2) => {
    const d = createDevices(m, 1);
    setState(d, 0, s0);
    applyPulse(d, 0, v1, t1);
    const ours1 = stateOf(d, 0);
    applyPulse(d, 0, v2, t2);
    const ours2 = stateOf(d, 0);
    const iOurs = m.readV * conductanceS(d, 0, m.readV);
    const ng = ngspice(m, s0, v1, t1, v2, t2);
    expect(Number.isFinite(ng.s1) && Number.isFinite(ng.s2) && Number.isFinite(ng.iRead)).toBe(true);
    expect(Math.abs(ours1 - s0)).toBeGreaterThan(0.01); // the pulses do move the state
    expect(Math.abs(ours1 - ng.s1)).toBeLessThan(2e-6);
    expect(Math.abs(ours2 - ng.s2)).toBeLessThan(2e-6);
    expect(Math.abs(ng.iRead - iOurs) / iOurs).toBeLessThan(1e-5);
  });
});
