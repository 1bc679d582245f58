// The structured netlist IR: the realized network as nets, devices and cell instances with stable names. spice/emit.ts
// prints it as an ngspice netlist; resistors.csv, and later the transient simulator, energy accounting and the mask
// generator read the same names and nets, so a resistor is R12p3 everywhere.
//
// Large networks have tens of millions of devices: the circuit is not materialized; `block(i)` builds one block's
// devices on demand (a generator over all of them streams the netlist).

import type { ClockTiming } from './clock.js';

/** A two-terminal resistor between nets a and b. */
export interface Resistor {
  readonly kind: 'R';
  readonly name: string;
  readonly a: string;
  readonly b: string;
  readonly ohm: number;
}

/** An independent DC voltage source from pos to neg; its value a number or a global parameter (by name). */
export interface VoltageSource {
  readonly kind: 'V';
  readonly name: string;
  readonly pos: string;
  readonly neg: string;
  readonly dcV: number | ParamRef;
  /** A periodic waveform in place of the DC value (a clock, the enables of delays): printed as SPICE's PULSE. */
  readonly pulse?: Pulse;
}

/**
 * A periodic trapezoid (SPICE PULSE): `lowV` until `delayS`, then a rise over `riseS`, `widthS` at `highV`, a fall
 * over `fallS`, repeated every `periodS`.
 */
export interface Pulse {
  readonly lowV: number;
  readonly highV: number;
  readonly delayS: number;
  readonly riseS: number;
  readonly fallS: number;
  readonly widthS: number;
  readonly periodS: number;
}

/** A value given by an expression of global parameters, printed as {expr} (e.g. the rail -vrail). */
export interface ParamRef {
  readonly param: string;
}

/** An instance of a cell (subcircuit), pins in the cell's pin order, with parameter values. */
export interface Instance {
  readonly kind: 'X';
  readonly name: string;
  readonly pins: readonly string[];
  readonly cell: string;
  readonly params: readonly (readonly [string, number | ParamRef])[];
}

export type Device = Resistor | VoltageSource | Instance;

/** A cell of the library: a subcircuit definition with its pins, default parameters and SPICE body. */
export interface Cell {
  readonly name: string;
  /** Comment lines describing the cell (the model, its source). */
  readonly comment: readonly string[];
  readonly pins: readonly string[];
  readonly params: readonly (readonly [string, number])[];
  /** The body as SPICE element lines, written for ngspice. */
  readonly body: readonly string[];
}

/** One block of the network (a neuron with its stages): a comment naming what it realizes, and its devices. */
export interface BlockCircuit {
  readonly comment: string;
  readonly devices: readonly Device[];
}

/**
 * A layer of the network as a subcircuit: the blocks of one source layer (neurons of no source layer form one more
 * group). Its pins are the nets it reads from outside (network inputs, other layers' outputs) and vref when a block
 * has a bias, then the nets of its own that the rest of the network reads. Inside, nets keep their network-wide
 * names (in<k>, n<i>, ...), so a layer's body reads like the same lines of a flat netlist.
 */
export interface LayerCircuit {
  /** The subcircuit's name (ohm_layer<k>). */
  readonly name: string;
  /** The instance's name in the network subcircuit. */
  readonly instance: string;
  /** Comment lines naming the source layer and its size (free text; the printer makes each one line). */
  readonly comment: readonly string[];
  readonly pins: readonly string[];
  /** The blocks (neuron indices) of the layer, in network order; `Circuit.block(i)` builds each one's devices. */
  readonly blocks: ArrayLike<number>;
}

/** The whole network as one subcircuit: its pins (inputs, outputs, vref), the layer instances and the output taps. */
export interface NetworkCircuit {
  readonly name: string;
  /** The instance's name at the top level. */
  readonly instance: string;
  readonly pins: readonly string[];
  /**
   * False when the pins would exceed what ngspice reads on one .subckt line (layers.ts PIN_LIMIT, e.g. a network
   * of 3,072 inputs): the network's body (layer instances, loose blocks, output taps) is then at the top level.
   */
  readonly subcircuit: boolean;
  /** Blocks too wide for a subcircuit of their own (layers.ts), placed in the network's body. */
  readonly looseBlocks: ArrayLike<number>;
  /** Zero-volt sources tying out<k> to the signal that carries output k (inside the network subcircuit). */
  readonly outputs: readonly VoltageSource[];
}

export interface Circuit {
  /** The title line (free text; the printer makes it safe). */
  readonly title: string;
  /** Header comment lines (free text; the printer makes each one line). */
  readonly header: readonly string[];
  /** Simulator options (name, value: a number, or a word such as the integration method's name). */
  readonly options: readonly (readonly [string, number | string])[];
  /** Global parameters (.param name=value), used by name in the cells and elements: rails, reference, op-amp model. */
  readonly params: readonly (readonly [string, number])[];
  /** Nets that are global to every cell (supply rails of macro models). */
  readonly globals: readonly string[];
  readonly cells: readonly Cell[];
  /** Reference and supply sources (top level); a value written as {name} refers to a global parameter. */
  readonly supplies: readonly VoltageSource[];
  /** The input sources VIN<k>, in input order (top level). */
  readonly inputs: readonly VoltageSource[];
  readonly blockCount: number;
  block(i: number): BlockCircuit;
  /** The layer subcircuits, in order of their first block. */
  readonly layers: readonly LayerCircuit[];
  /** The network subcircuit, instantiated once at the top level between the inputs, outputs and reference. */
  readonly network: NetworkCircuit;
  /** A clocked network's timing (clock.ts; the sources VCLK and VEN<v> are among the supplies), or null. */
  readonly timing: ClockTiming | null;
}
