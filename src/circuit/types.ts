// The structured netlist IR: the realized network as nets, devices and cell instances with stable names. spice/emit.ts
// prints it as an ngspice netlist; resistors.csv, and later the transient simulator, energy accounting and the mask
// generator read the same names and nets, so a resistor is R12p3 everywhere.
//
// Large networks have tens of millions of devices: the circuit is not materialized; `block(i)` builds one block's
// devices on demand (a generator over all of them streams the netlist).

/** A two-terminal resistor between nets a and b. */
export interface Resistor {
  readonly kind: 'R';
  readonly name: string;
  readonly a: string;
  readonly b: string;
  readonly ohm: number;
}

/** An independent DC voltage source from pos to neg. */
export interface VoltageSource {
  readonly kind: 'V';
  readonly name: string;
  readonly pos: string;
  readonly neg: string;
  readonly dcV: number;
}

/** An instance of a cell (subcircuit), pins in the cell's pin order, with parameter values. */
export interface Instance {
  readonly kind: 'X';
  readonly name: string;
  readonly pins: readonly string[];
  readonly cell: string;
  readonly params: readonly (readonly [string, number])[];
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

export interface Circuit {
  /** The title line (free text; the printer makes it safe). */
  readonly title: string;
  /** Header comment lines (free text; the printer makes each one line). */
  readonly header: readonly string[];
  /** Simulator options (name, value). */
  readonly options: readonly (readonly [string, number])[];
  /** Nets that are global to every cell (supply rails of macro models). */
  readonly globals: readonly string[];
  readonly cells: readonly Cell[];
  /** Reference and supply sources. */
  readonly supplies: readonly VoltageSource[];
  /** The input sources VIN<k>, in input order. */
  readonly inputs: readonly VoltageSource[];
  readonly blockCount: number;
  block(i: number): BlockCircuit;
  /** Zero-volt sources tying out<k> to the signal that carries output k. */
  readonly outputs: readonly VoltageSource[];
}
