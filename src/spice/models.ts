// Op-amp models for the netlist, as named presets (SPEC C7). Each becomes one .subckt with pins (inp inn fb out) and
// the neuron's output limits as instance parameters (lo, hi): the output stage realizes ReLU (lo = 0, a unipolar output
// stage as in the patent's OP3 neuron), clipped ReLU (hi = the ceiling) and the supply rails.
//
// The feedback resistor connects to `fb`, the amplifier's linear output; `out` is the output stage, a limiter after it.
// At DC this is equivalent to limiting inside the loop (a clamped summing amplifier settles at the clamp either way),
// and it keeps the high-gain loop linear: a hard limiter inside a loop of gain 1e9 defeats Newton's method (ngspice's
// gmin and source stepping fail on a 35-neuron MLP), while a unit-slope limiter after it converges at once.
//
// ideal: a voltage-controlled source of large gain, limited to [lo, hi]. With gain 1e9 the closed-loop error of a
//   neuron is (noise gain)/1e9, below 1e-7 of the output for the networks ohmnet builds.
// macro: finite open-loop gain A0, gain-bandwidth product, output swing (the limits reduced by a headroom), input
//   resistance, output resistance and quiescent supply current. DC operating points depend on A0, the swing and the
//   resistances; the GBW pole matters for transient analysis. Defaults are those of a general-purpose CMOS op-amp
//   (e.g. the AD824 class the patent's FIG. 18 names: A0 ~ 1e5-1e6, GBW ~ 2 MHz, Iq ~ 0.5 mA per amplifier).

import { usageError } from '../errors.js';
import { DEFAULT_IDEAL, DEFAULT_MACRO, type OpampModel } from '../presets/opamps.js';

export type { IdealOpamp, MacroOpamp, OpampModel } from '../presets/opamps.js';
export { DEFAULT_IDEAL, DEFAULT_MACRO };

/** Parses --opamp: "ideal", "macro", or either with overrides, e.g. "macro:gain=1e6,gbw=10e6". */
export function parseOpamp(text: string): OpampModel {
  const [kind, rest] = text.split(':', 2);
  const base: OpampModel = kind === 'ideal' ? DEFAULT_IDEAL : kind === 'macro' ? DEFAULT_MACRO : (() => {
    throw usageError(`--opamp '${text}' is not a model; use ideal or macro, optionally with parameters, e.g. macro:gain=1e6`);
  })();
  if (!rest) return base;
  const keys: Record<string, string> = base.kind === 'ideal'
    ? { gain: 'gain' }
    : { gain: 'gain', gbw: 'gbwHz', headroom: 'swingHeadroomV', rin: 'rinOhm', rout: 'routOhm', iq: 'iqA' };
  const out: Record<string, number | string> = { ...base };
  for (const part of rest.split(',')) {
    const [k, v] = part.split('=');
    const key = keys[k?.trim() ?? ''];
    const value = Number(v);
    if (!key) throw usageError(`--opamp ${base.kind}: unknown parameter '${k}'; known: ${Object.keys(keys).join(', ')}`);
    if (!Number.isFinite(value) || value < 0 || (key !== 'swingHeadroomV' && value === 0)) throw usageError(`--opamp ${base.kind}: ${k}=${v} must be a positive number`);
    out[key] = value;
  }
  return out as unknown as OpampModel;
}

/** The .subckt definition of the op-amp model. */
export function opampSubckt(m: OpampModel): string[] {
  if (m.kind === 'ideal') {
    return [
      `* ideal op-amp: controlled source of gain ${m.gain}, output limited to [lo, hi] (ReLU/clipping/rails)`,
      `.subckt ohm_opamp inp inn fb out params: lo=-5 hi=5`,
      `Eamp fb 0 inp inn ${m.gain}`,
      `Bout out 0 V = max({lo}, min({hi}, v(fb)))`,
      `.ends ohm_opamp`,
    ];
  }
  // Transconductance into 1 MΩ gives A0 at DC; the capacitor puts the pole at GBW / A0.
  const cp = 1 / (2 * Math.PI * 1e6 * (m.gbwHz / m.gain));
  return [
    `* macro op-amp: A0 ${m.gain}, GBW ${m.gbwHz} Hz (pole at ${m.gbwHz / m.gain} Hz), swing [lo+${m.swingHeadroomV}, hi-${m.swingHeadroomV}],`,
    `* Rin ${m.rinOhm} ohm, Rout ${m.routOhm} ohm, Iq ${m.iqA} A from the supply rails vdd/vss`,
    `.subckt ohm_opamp inp inn fb out params: lo=-5 hi=5`,
    `Rin inp inn ${m.rinOhm}`,
    `Gp 0 pole inp inn ${1e-6 * m.gain}`,
    `Rp pole 0 1e6`,
    `Cp pole 0 ${cp}`,
    `Ebuf mid 0 pole 0 1`,
    `Rout mid fb ${m.routOhm}`,
    `Bout out 0 V = max({lo}+${m.swingHeadroomV}, min({hi}-${m.swingHeadroomV}, v(fb)))`,
    `Iq vdd vss ${m.iqA}`,
    `.ends ohm_opamp`,
  ];
}
