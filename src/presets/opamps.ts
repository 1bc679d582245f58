// Op-amp models for the netlist and the simulators, as typed presets citing their sources (see spice/models.ts for
// how each becomes a subcircuit).

export interface IdealOpamp {
  readonly kind: 'ideal';
  /** Open-loop gain of the controlled source. Default 1e9. */
  readonly gain: number;
}

export interface MacroOpamp {
  readonly kind: 'macro';
  /** DC open-loop gain A0 (V/V). Default 2e5. */
  readonly gain: number;
  /** Gain-bandwidth product in Hz (one dominant pole at GBW/A0). Default 2e6. */
  readonly gbwHz: number;
  /** Output stays this far inside its limits (volts). Default 0 (rail-to-rail output). */
  readonly swingHeadroomV: number;
  /** Differential input resistance in ohms. Default 1e12. */
  readonly rinOhm: number;
  /** Output resistance in ohms. Default 50. */
  readonly routOhm: number;
  /** Quiescent supply current per amplifier in amperes. Default 5e-4. */
  readonly iqA: number;
}

export type OpampModel = IdealOpamp | MacroOpamp;

/** The ideal model: a gain of 1e9 keeps a neuron's closed-loop error (noise gain / A0) below 1e-7 for the networks
 * ohmnet builds (noise gains up to ~100); not a real part. */
export const DEFAULT_IDEAL: IdealOpamp = { kind: 'ideal', gain: 1e9 };

/**
 * A general-purpose op-amp of the class the patent's FIG. 18 names (Analog Devices AD824, a quad JFET-input op-amp
 * with rail-to-rail output): gain-bandwidth 2 MHz and 500 µA quiescent current per amplifier, as the AD824 data sheet
 * headlines; open-loop gain 2e5 V/V (the data sheet's large-signal gain is of order 1e5..1e6 V/V depending on load:
 * the conservative end is taken); input resistance 1e12 Ω (JFET input); output resistance 50 Ω (a typical CMOS
 * output stage, not a data-sheet figure). Source: Analog Devices, AD824 data sheet.
 */
export const DEFAULT_MACRO: MacroOpamp = { kind: 'macro', gain: 2e5, gbwHz: 2e6, swingHeadroomV: 0, rinOhm: 1e12, routOhm: 50, iqA: 5e-4 };
