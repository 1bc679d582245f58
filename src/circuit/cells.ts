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
export const ELU_NEG_CELL = 'ohm_elu_neg';
export const SOFTPLUS_CELL = 'ohm_softplus';
export const SOFTSIGN_CELL = 'ohm_softsign';
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
 * The ELU's negative branch A (exp(min(B v, 0)) - 1), behavioural (bounded by |A|, as the tanh block): Elu(alpha) is
 * a ReLU neuron plus this block with A = alpha, B = 1, summed by the next layer's summator.
 */
export const ELU_NEG: Cell = {
  name: ELU_NEG_CELL, pins: ['in', 'out'], params: [['A', 1], ['B', 1]],
  comment: ['ELU negative-branch block A (exp(min(B v, 0))-1) (behavioural)'],
  body: ['Belu out 0 V = {A}*(exp(min({B}*v(in), 0))-1)'],
};

/** The softplus block A log(1+exp(B v)), behavioural, its output limited to [lo, hi] (the rails: it is unbounded). */
export const SOFTPLUS: Cell = {
  name: SOFTPLUS_CELL, pins: ['in', 'out'], params: [['A', 1], ['B', 1], ['lo', -5], ['hi', 5]],
  comment: ['softplus block A log(1+exp(B v)) (behavioural), output limited to [lo, hi] (the rails)'],
  body: ['Bsoftplus out 0 V = max({lo}, min({hi}, {A}*ln(1+exp({B}*v(in)))))'],
};

/** The softsign block A (B v)/(1+|B v|), behavioural (bounded by |A|, as the tanh block). */
export const SOFTSIGN: Cell = {
  name: SOFTSIGN_CELL, pins: ['in', 'out'], params: [['A', 1], ['B', 1]],
  comment: ['softsign block A (B v)/(1+|B v|) (behavioural)'],
  body: ['Bsoftsign out 0 V = {A}*{B}*v(in)/(1+abs({B}*v(in)))'],
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

export const SAMPLE_HOLD_CELL = 'ohm_sh';
export const DELAY_OUT_CELL = 'ohm_delay_out';

/**
 * The sample-and-hold pair of a delay stage (docs/spice.md "The delay cell"): ideal elements both engines simulate.
 * Hold capacitors of `holdF`, charged through voltage-controlled switches of `onOhm` (tracking time constant
 * onOhm x holdF = 1 ns) that are `offOhm` when open (holding: 1000 s, so a held value drifts by ~1e-9 of its
 * difference to the input per microsecond); ideal unity buffers (E sources) after each capacitor. With the clock at
 * 0 / 1 V, the master switch closes above 0.8 V and opens below 0.7 V, the slave's closes below 0.2 V and opens above
 * 0.3 V: the two are never closed together, so no signal passes a stage within one clock phase.
 */
export const SAMPLE_HOLD = { holdF: 1e-9, onOhm: 1, offOhm: 1e12, masterOnV: 0.8, masterOffV: 0.7, slaveOnV: 0.2, slaveOffV: 0.3 } as const;

/** The sample-and-hold pair: master tracks `in` while the clock `phi` is high, slave tracks the master while low. */
export const SAMPLE_HOLD_PAIR: Cell = {
  name: SAMPLE_HOLD_CELL, pins: ['in', 'out', 'phi'], params: [],
  comment: [
    `delay stage: master/slave sample-and-hold pair (patent FIG. 21), hold capacitors ${SAMPLE_HOLD.holdF} F, switches ${SAMPLE_HOLD.onOhm} ohm on / ${SAMPLE_HOLD.offOhm} ohm off, unity buffers;`,
    `the master tracks in while phi > ${SAMPLE_HOLD.masterOnV} V (holds below ${SAMPLE_HOLD.masterOffV} V), the slave tracks the master while phi < ${SAMPLE_HOLD.slaveOnV} V (holds above ${SAMPLE_HOLD.slaveOffV} V):`,
    'out changes only at the falling clock edge and holds for one clock period',
  ],
  body: [
    'Sm in m phi 0 ohm_sw_master',
    `Cm m 0 ${SAMPLE_HOLD.holdF}`,
    'Em mb 0 m 0 1',
    'Ss mb s 0 phi ohm_sw_slave',
    `Cs s 0 ${SAMPLE_HOLD.holdF}`,
    'Es out 0 s 0 1',
    // sw: on above vt + vh, off below vt - vh. The slave's control is -phi: on while -phi > -0.2 (phi < 0.2).
    `.model ohm_sw_master sw vt=${(SAMPLE_HOLD.masterOnV + SAMPLE_HOLD.masterOffV) / 2} vh=${round((SAMPLE_HOLD.masterOnV - SAMPLE_HOLD.masterOffV) / 2)} ron=${SAMPLE_HOLD.onOhm} roff=${SAMPLE_HOLD.offOhm}`,
    `.model ohm_sw_slave sw vt=${-(SAMPLE_HOLD.slaveOnV + SAMPLE_HOLD.slaveOffV) / 2} vh=${round((SAMPLE_HOLD.slaveOffV - SAMPLE_HOLD.slaveOnV) / 2)} ron=${SAMPLE_HOLD.onOhm} roff=${SAMPLE_HOLD.offOhm}`,
  ],
};

/** Decimal rounding of a threshold difference (0.8 - 0.7 is 0.10000000000000009 in float64). */
function round(v: number): number {
  return Math.round(v * 1e9) / 1e9;
}

/**
 * The output of a delay: w x v(q) (the last stage's slave) once the enable `en` is high, the initial value `bias`
 * before (en 0 V: the delay's source is not valid yet), limited to [lo, hi] (the rails). en is exactly 0 or 1 V
 * outside its edges, so the blend bias + en (w q - bias) is the one or the other.
 */
export const DELAY_OUT: Cell = {
  name: DELAY_OUT_CELL, pins: ['q', 'en', 'out'], params: [['w', 1], ['bias', 0], ['lo', -5], ['hi', 5]],
  comment: ['delay output: w v(q) while en = 1 V, the initial value bias while en = 0 V, limited to [lo, hi] (the rails)'],
  body: ['Bd out 0 V = max({lo}, min({hi}, {bias} + v(en)*({w}*v(q) - {bias})))'],
};
