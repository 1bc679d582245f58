// The cell library: one subcircuit per block kind (SPEC "Interfaces"), each with its pins, parameters and SPICE body:
// the op-amp of a summing neuron, the sigmoid and tanh blocks, the signal multiplier.
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
export const MULTIPLIER_CELL = 'ohm_mul';

const LIMITS: readonly (readonly [string, number])[] = [['lo', -5], ['hi', 5]];

/**
 * The op-amp model's global parameters (.param cards): the cell's body uses them by name, so a designer changes the
 * model in one place. ideal: opamp_gain; macro: also opamp_gbw (Hz), opamp_headroom (V), opamp_rin, opamp_rout (ohm)
 * and opamp_iq (A).
 */
export function opampParams(m: OpampModel): (readonly [string, number])[] {
  if (m.kind === 'ideal') return [['opamp_gain', m.gain]];
  return [['opamp_gain', m.gain], ['opamp_gbw', m.gbwHz], ['opamp_headroom', m.swingHeadroomV], ['opamp_rin', m.rinOhm], ['opamp_rout', m.routOhm], ['opamp_iq', m.iqA]];
}

/** The op-amp cell of a model; its body reads the model's values from the global parameters of opampParams. */
export function opampCell(m: OpampModel): Cell {
  const pins = ['inp', 'inn', 'fb', 'out'];
  if (m.kind === 'ideal') {
    return {
      name: OPAMP_CELL, pins, params: LIMITS,
      comment: [`ideal op-amp: controlled source of gain opamp_gain (${m.gain}), output limited to [lo, hi] (ReLU/clipping/rails)`],
      body: ['Eamp fb 0 inp inn {opamp_gain}', 'Bout out 0 V = max({lo}, min({hi}, v(fb)))'],
    };
  }
  // Transconductance into 1 MΩ gives A0 at DC; the capacitor puts the pole at GBW / A0: C = A0 / (2 pi 1e6 GBW),
  // with 2 pi 1e6 written out (ngspice 39's parameter expressions have no pi).
  return {
    name: OPAMP_CELL, pins, params: LIMITS,
    comment: [
      `macro op-amp: A0 opamp_gain (${m.gain}), GBW opamp_gbw (${m.gbwHz} Hz; pole at ${m.gbwHz / m.gain} Hz), swing [lo+opamp_headroom, hi-opamp_headroom] (headroom ${m.swingHeadroomV} V),`,
      `Rin opamp_rin (${m.rinOhm} ohm), Rout opamp_rout (${m.routOhm} ohm), Iq opamp_iq (${m.iqA} A) from the supply rails vdd/vss`,
    ],
    body: [
      'Rin inp inn {opamp_rin}',
      'Gp 0 pole inp inn {1e-6*opamp_gain}',
      'Rp pole 0 1e6',
      `Cp pole 0 {opamp_gain/(${2 * Math.PI * 1e6}*opamp_gbw)}`,
      'Ebuf mid 0 pole 0 1',
      'Rout mid fb {opamp_rout}',
      'Bout out 0 V = max({lo+opamp_headroom}, min({hi-opamp_headroom}, v(fb)))',
      'Iq vdd vss {opamp_iq}',
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

/**
 * The signal multiplier k * v(a) * v(b) (patent FIG. 20), behavioural, its output limited to [lo, hi] (the rails, as
 * an op-amp's output stage is): an ideal multiplier, whose gain error and offsets are not modelled yet.
 */
export const MULTIPLIER: Cell = {
  name: MULTIPLIER_CELL, pins: ['a', 'b', 'out'], params: [['k', 1], ['lo', -5], ['hi', 5]],
  comment: ['signal multiplier k v(a) v(b) (patent FIG. 20, behavioural, ideal), output limited to [lo, hi] (the rails)'],
  body: ['Bmul out 0 V = max({lo}, min({hi}, {k}*v(a)*v(b)))'],
};
