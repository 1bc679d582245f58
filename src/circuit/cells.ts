// The cell library: one subcircuit per block kind (SPEC "Interfaces"), each with its pins, parameters and SPICE body.
// The op-amp cell realizes the neuron's activation with its output stage (lo = 0: ReLU, the unipolar output of the
// patent's OP3 neuron; hi: a clipped ReLU's ceiling; otherwise the rails), from the chosen op-amp model.
//
// The feedback resistor connects to `fb`, the amplifier's linear output; `out` is the output stage, a limiter after it.
// At DC this is equivalent to limiting inside the loop (a clamped summing amplifier settles at the clamp either way),
// and it keeps the high-gain loop linear: a hard limiter inside a loop of gain 1e9 defeats Newton's method (ngspice's
// gmin and source stepping fail on a 35-neuron MLP), while a unit-slope limiter after it converges at once.
//
// ideal: a voltage-controlled source of large gain, limited to [lo, hi].
// macro: finite open-loop gain A0, one pole at GBW/A0, output swing (the limits reduced by a headroom), input and
//   output resistance, quiescent supply current drawn from the global rails vdd/vss.

import type { OpampModel } from '../presets/opamps.js';
import type { Cell } from './types.js';

export const OPAMP_CELL = 'ohm_opamp';
export const SIGMOID_CELL = 'ohm_sigmoid';
export const TANH_CELL = 'ohm_tanh';

const LIMITS: readonly (readonly [string, number])[] = [['lo', -5], ['hi', 5]];

export function opampCell(m: OpampModel): Cell {
  const pins = ['inp', 'inn', 'fb', 'out'];
  if (m.kind === 'ideal') {
    return {
      name: OPAMP_CELL, pins, params: LIMITS,
      comment: [`ideal op-amp: controlled source of gain ${m.gain}, output limited to [lo, hi] (ReLU/clipping/rails)`],
      body: [`Eamp fb 0 inp inn ${m.gain}`, 'Bout out 0 V = max({lo}, min({hi}, v(fb)))'],
    };
  }
  // Transconductance into 1 MΩ gives A0 at DC; the capacitor puts the pole at GBW / A0.
  const cp = 1 / (2 * Math.PI * 1e6 * (m.gbwHz / m.gain));
  return {
    name: OPAMP_CELL, pins, params: LIMITS,
    comment: [
      `macro op-amp: A0 ${m.gain}, GBW ${m.gbwHz} Hz (pole at ${m.gbwHz / m.gain} Hz), swing [lo+${m.swingHeadroomV}, hi-${m.swingHeadroomV}],`,
      `Rin ${m.rinOhm} ohm, Rout ${m.routOhm} ohm, Iq ${m.iqA} A from the supply rails vdd/vss`,
    ],
    body: [
      `Rin inp inn ${m.rinOhm}`,
      `Gp 0 pole inp inn ${1e-6 * m.gain}`,
      'Rp pole 0 1e6',
      `Cp pole 0 ${cp}`,
      'Ebuf mid 0 pole 0 1',
      `Rout mid fb ${m.routOhm}`,
      `Bout out 0 V = max({lo}+${m.swingHeadroomV}, min({hi}-${m.swingHeadroomV}, v(fb)))`,
      `Iq vdd vss ${m.iqA}`,
    ],
  };
}

/** The sigmoid block A/(1+exp(-B v)) (patent FIG. 22), behavioural. */
export const SIGMOID: Cell = {
  name: SIGMOID_CELL, pins: ['in', 'out'], params: [['A', 1], ['B', 1]],
  comment: ['sigmoid block A/(1+exp(-B v)) (patent FIG. 22, behavioural)'],
  body: ['Bsig out 0 V = {A}/(1+exp(-{B}*v(in)))'],
};

/** The tanh block A tanh(B v) (patent FIG. 23), behavioural. */
export const TANH: Cell = {
  name: TANH_CELL, pins: ['in', 'out'], params: [['A', 1], ['B', 1]],
  comment: ['tanh block A tanh(B v) (patent FIG. 23, behavioural)'],
  body: ['Btanh out 0 V = {A}*tanh({B}*v(in))'],
};
