// SPICE cross-validation of the behavioural transient (issue 12): the same transient in ngspice's `.tran` (either
// engine, spice/engines/), with a macro op-amp subcircuit that carries the behavioural model's dynamics, and the
// figures read back from it the way the behavioural transient reads its own: output waveforms, latency and energy.
//
// The transient op-amp cell (replacing the netlist's DC macro cell, whose pole is a linear RC with no slew limit):
//   Rin inp inn                     differential input resistance (as the DC cell)
//   Bint 0 pole I = Is sclamp(x)    the single-pole integrator's charging current, x = (A0 v(inp,inn) - v(pole)) /
//   Cp pole 0 C                       (1e6 Is), C = A0 / (2 pi 1e6 GBW), Is = SR C: for |x| << 1 it is the DC cell's
//                                     Gp/Rp/Cp (pole at GBW/A0), and |dv/dt| never exceeds SR. sclamp is a smooth
//                                     clamp to +-1, (sqrt((x+1)^2+e^2) - sqrt((x-1)^2+e^2))/2 with e = 0.02: exactly 0
//                                     at 0 (the DC point is the DC cell's), within e/2 of the hard clamp at the corners,
//                                     and C-infinity, so Newton converges where a hard clamp's corner would not.
//   (in Bint too)                   the output held within the supplies: a current G (v - V+) beyond V+ (and the
//                                     mirror below V-), G = Is / 1 mV (Is at 1 mV overshoot); exactly zero inside the
//                                     supplies. Linear beyond the rail, not quadratic: with (v - V+)^2 ngspice's
//                                     operating point of the digits CNN (1,386 op-amps, 14 of them at a rail) failed
//                                     Newton and gmin stepping and crawled through source stepping for over 10 minutes;
//                                     with the linear clamp it converges directly.
//   Ebuf mid 0 pole 0 1, Rout mid fb  the output stage inside the feedback loop (as the DC cell)
//   Bout outi 0 V = limits(v(fb)), Vsense outi out 0   the output limits (as the DC cell), its current sensed
//   Iq vdd vss                      the quiescent current between the supplies
//   Bsrc vdd 0, Bsnk 0 vss          the output current (through Rout, and the load through Vsense) mirrored into the
//                                     supplies: sourced current drawn from VDD, sunk current returned into VSS. The
//                                     node voltages do not depend on it (VDD and VSS are ideal); the supply energy does.
// VDD and VSS are the preset's supplies (the DC netlist's are the signal limit). The energy is measured from the
// sources: every top-level source (VDD, VSS, VREF, VIN<k>) delivers -V q(t), q the charge ngspice integrates.
//
// The behavioural model is dv/dt = clamp(2 pi f_cl (T - v), +-SR); in the cell, with the feedback of the neuron,
// dv/dt = SR sclamp((2 pi GBW v_d - (2 pi GBW / A0) v) / SR), the same equation up to the closed-loop pole's 1/A0
// and the clamp's rounding. The run: the inputs step from the previous pattern to the pattern within `edgeS`, from
// the previous pattern's DC point (Binas's protocol, as the behavioural transient); the output voltages, charges and
// currents at `reads` equally spaced times; latency and energy from those reads with the same definitions as
// transient.ts (linear interpolation of crossing times and of the charges).

import type { DynamicOpamp } from '../presets/opamps.js';
import type { Realized } from '../realize/realize.js';
import { emitNetlist } from './emit.js';
import type { SpiceEngine } from './engines/index.js';
import { readout } from '../tnet/evaluate.js';
import { DEFAULTS } from '../presets/defaults.js';
import { classOf } from '../simulate/realized.js';

/** The smoothing width of the slew clamp (in units of the slew rate): the rate is within e/2 of the hard clamp. */
export const SLEW_SMOOTHING = 0.02;
/** The supply clamp's overshoot at which it carries the whole slewing current, volts. */
export const RAIL_OVERSHOOT_V = 1e-3;

/** The transient op-amp cell of a preset (see the header); same pins and parameters as the DC cell (circuit/cells.ts). */
export function transientOpampCell(op: DynamicOpamp): string[] {
  const c = op.gain / (2 * Math.PI * 1e6 * op.gbwHz);
  const is = op.slewRateVPerS * c;
  const e2 = SLEW_SMOOTHING * SLEW_SMOOTHING;
  const x = `((${op.gain}*v(inp,inn)-v(pole))/${1e6 * is})`;
  const grail = is / RAIL_OVERSHOOT_V;
  const rout = op.routOhm > 0 ? op.routOhm : 1e-3;
  const io = `((v(mid)-v(fb))/${rout}+i(Vsense))`;
  return [
    `* transient macro op-amp ${op.name} (${op.part}): A0 ${op.gain}, GBW ${op.gbwHz} Hz, slew ${op.slewRateVPerS} V/s (smooth clamp, e ${SLEW_SMOOTHING}),`,
    `* supplies ${op.supplyMinusV} V .. ${op.supplyPlusV} V (output held within them), Iq ${op.iqA} A, output current mirrored into VDD/VSS`,
    '.subckt ohm_opamp inp inn fb out params: lo=-5 hi=5',
    `Rin inp inn ${op.rinOhm}`,
    // One source for the integrator and the supply clamp (B-source evaluation is most of ngspice's time per step).
    `Bint 0 pole I = ${is / 2}*(sqrt((${x}+1)*(${x}+1)+${e2})-sqrt((${x}-1)*(${x}-1)+${e2}))-${grail}*(max(v(pole)-(${op.supplyPlusV}),0)-max((${op.supplyMinusV})-v(pole),0))`,
    `Cp pole 0 ${c}`,
    'Ebuf mid 0 pole 0 1',
    `Rout mid fb ${rout}`,
    'Bout outi 0 V = max({lo+opamp_headroom}, min({hi-opamp_headroom}, v(fb)))',
    'Vsense outi out 0',
    `Iq vdd vss ${op.iqA}`,
    `Bsrc vdd 0 I = max(${io},0)`,
    `Bsnk 0 vss I = max(-${io},0)`,
    '.ends ohm_opamp',
  ];
}

/**
 * The netlist of a realized network for the SPICE transient: the DC netlist with the preset as its macro model, the
 * op-amp cell replaced by transientOpampCell, VDD/VSS at the preset's supplies, and options for a transient
 * (relative tolerance 1e-6: the DC netlist's 1e-9 is for operating points and makes `.tran` take needlessly small steps).
 */
export function transientSpiceNetlist(r: Realized, op: DynamicOpamp): string {
  const lines = emitNetlist(r, { opamp: op }).split('\n');
  const start = lines.findIndex((l) => l.startsWith('.subckt ohm_opamp '));
  const end = lines.findIndex((l) => l === '.ends ohm_opamp');
  if (start < 0 || end < start) throw new Error('internal: the netlist has no macro op-amp cell');
  const out = [...lines.slice(0, start), ...transientOpampCell(op), ...lines.slice(end + 1)];
  return out
    .map((l) => (l.startsWith('.options ') ? '.options reltol=1e-6 vntol=1e-9 abstol=1e-12 method=gear' : l))
    .map((l) => (/^VDD vdd 0 /.test(l) ? `VDD vdd 0 DC ${op.supplyPlusV}` : /^VSS vss 0 /.test(l) ? `VSS vss 0 DC ${op.supplyMinusV}` : l))
    .join('\n');
}

export interface SpiceTransientOptions {
  readonly opamp: DynamicOpamp;
  readonly latencyToleranceV: number;
  /** End of the run, seconds (long enough for the network to settle: its last read is taken as the DC value). */
  readonly stopTimeS: number;
  /** Equally spaced read times from 0 to the stop time (default 400). */
  readonly reads?: number;
  /** Rise time of the input step, seconds (default 1e-3 / (2 pi GBW)). */
  readonly edgeS?: number;
  readonly classThreshold?: number;
  readonly timeoutMs?: number;
}

export interface SpiceTransientRun {
  readonly timesS: Float64Array;
  /** Per read time, the analog output voltages v(out<k>). */
  readonly outputs: Float64Array[];
  /** The outputs at the stop time (the run's DC value). */
  readonly finalOutputs: Float64Array;
  readonly latencyS: number;
  readonly toleranceLatencyS: number;
  readonly classLatencyS: number;
  /** Supply, reference and input energy from the switch to the latency, and to the stop time, joules. */
  readonly energyToOutputJ: number;
  readonly energyWindowJ: number;
  /** The supply rails' share (VDD + VSS) to the latency. */
  readonly supplyToOutputJ: number;
  readonly engine: string;
  readonly seconds: number;
}

/** The last time a sequence of (t, outside-margin) readings was outside (> 0), interpolated linearly; 0 if never. */
function lastOutsideOf(t: Float64Array, outside: (k: number) => number): number {
  for (let k = t.length - 1; k >= 0; k--) {
    const o = outside(k);
    if (o > 0) {
      if (k === t.length - 1) return Infinity;
      const o1 = outside(k + 1);
      return t[k] + ((t[k + 1] - t[k]) * o) / (o - o1);
    }
  }
  return 0;
}

/** Linear interpolation of per-read values at time x. */
function at(t: Float64Array, y: ArrayLike<number>, x: number): number {
  if (x <= t[0]) return y[0];
  for (let k = 1; k < t.length; k++) if (t[k] >= x) return y[k - 1] + ((x - t[k - 1]) / (t[k] - t[k - 1])) * (y[k] - y[k - 1]);
  return y[t.length - 1];
}

/** The SPICE transient of one inference: `previous` settled, then `pattern` (see the header). */
export async function spiceTransient(engine: SpiceEngine, r: Realized, previous: ArrayLike<number>, pattern: ArrayLike<number>, o: SpiceTransientOptions): Promise<SpiceTransientRun> {
  const net = r.tnet;
  const op = o.opamp;
  const n = o.reads ?? 400;
  const stop = o.stopTimeS;
  const edge = o.edgeS ?? 1e-3 / (2 * Math.PI * op.gbwHz);
  const reads = Array.from({ length: n + 1 }, (_, k) => (k * stop) / n);
  const gIn = net.inputGain;
  const inputs = Array.from({ length: net.inputCount }, (_, j) => ({ kind: 'pwl' as const, points: [[0, gIn * previous[j]], [edge, gIn * pattern[j]]] as [number, number][] }));
  const probes = Array.from(net.outputSignal, (_, k) => `out${k}`);
  const sources = ['VDD', 'VSS', 'VREF', ...Array.from({ length: net.inputCount }, (_, j) => `VIN${j}`)];
  const volts = [op.supplyPlusV, op.supplyMinusV, r.options.vRefV, ...Array.from({ length: net.inputCount }, (_, j) => gIn * pattern[j])];
  const res = await engine.transient({
    netlist: transientSpiceNetlist(r, op), inputs, probes, currents: sources, stopTimeS: stop, maxStepS: stop / n, readTimesS: reads,
    ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
  });
  const t = res.timesS;
  // Energy delivered by every source up to each read: -V q (the sources are constant after the edge).
  const energy = Float64Array.from(res.charges, (q) => q.reduce((s, qj, j) => s - volts[j] * qj, 0));
  const supply = Float64Array.from(res.charges, (q) => -volts[0] * q[0] - volts[1] * q[1]);
  const final = res.voltages[res.voltages.length - 1];
  const thr = o.classThreshold ?? DEFAULTS.classThreshold;
  const cls = (v: Float64Array) => classOf(readout(net, v).output, thr);
  const dcClass = cls(final);
  const tol = o.latencyToleranceV;
  const dev = (k: number) => Math.max(...res.voltages[k].map((v, j) => Math.abs(v - final[j])));
  const tTol = lastOutsideOf(t, (k) => dev(k) - tol);
  // Binas's criterion: the class's margin (as transient.ts: the DC class against the best other, or the threshold).
  const margin = (k: number): number => {
    const y = readout(net, res.voltages[k]).output;
    if (y.length === 1) return dcClass === 1 ? y[0] - thr : thr - y[0];
    let other = -Infinity;
    for (let j = 0; j < y.length; j++) if (j !== dcClass && y[j] > other) other = y[j];
    const m = y[dcClass] - other;
    return m === 0 ? (cls(res.voltages[k]) === dcClass ? Number.MIN_VALUE : -Number.MIN_VALUE) : m;
  };
  const tClass = lastOutsideOf(t, (k) => -margin(k));
  const latency = Math.max(tTol, tClass);
  return {
    timesS: t, outputs: res.voltages, finalOutputs: final, latencyS: latency, toleranceLatencyS: tTol, classLatencyS: tClass,
    energyToOutputJ: at(t, energy, latency), energyWindowJ: energy[energy.length - 1], supplyToOutputJ: at(t, supply, latency),
    engine: res.engine, seconds: res.seconds,
  };
}

export interface TransientAgreement {
  /** Largest |behavioural - SPICE| output difference after the behavioural latency, volts, and over the whole run. */
  readonly settledMaxDiffV: number;
  readonly runMaxDiffV: number;
  /** Relative differences (SPICE - behavioural) / behavioural. */
  readonly latencyRel: number;
  readonly energyRel: number;
}

/**
 * Behavioural against SPICE: the behavioural outputs (accepted steps `times`, `outputs` per step, interpolated
 * linearly) at SPICE's read times, after the behavioural latency and over the run; latency and energy to the latency.
 */
export function compareTransients(
  behavioural: { readonly times: readonly number[]; readonly outputs: readonly ArrayLike<number>[]; readonly latencyS: number; readonly energyJ: number },
  spice: SpiceTransientRun,
): TransientAgreement {
  const bt = Float64Array.from(behavioural.times);
  let settled = 0;
  let run = 0;
  spice.timesS.forEach((tk, k) => {
    if (tk < bt[0]) return;
    const s = spice.outputs[k];
    let d = 0;
    for (let j = 0; j < s.length; j++) d = Math.max(d, Math.abs(at(bt, behavioural.outputs.map((o) => o[j]), tk) - s[j]));
    run = Math.max(run, d);
    if (tk >= behavioural.latencyS) settled = Math.max(settled, d);
  });
  return {
    settledMaxDiffV: settled, runMaxDiffV: run,
    latencyRel: (spice.latencyS - behavioural.latencyS) / behavioural.latencyS,
    energyRel: (spice.energyToOutputJ - behavioural.energyJ) / behavioural.energyJ,
  };
}
