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

// ---------------------------------------------------------------------------------------------------------------------
// Op-amp models with dynamics (issue 12): the behavioural transient (simulate/transient.ts) and the energy figures
// (simulate/energy.ts) read these. Each is a macro model (its DC part is a MacroOpamp, so the DC simulation and the
// netlist can use it unchanged) plus what the transient needs: slew rate, supplies, output current limit. Every energy
// figure ohmnet gives rests on the preset the user chooses: the patent gives no op-amp currents (seed-targets C9).

/** A macro op-amp with its dynamics and supplies: what the behavioural transient and the energy figures read. */
export interface DynamicOpamp extends MacroOpamp {
  /** Preset name, e.g. "micropower". */
  readonly name: string;
  /** The part (or class) the figures come from, e.g. "Analog Devices ADA4505-2". */
  readonly part: string;
  /** Slew-rate limit of the output in V/s (1 V/us = 1e6 V/s). */
  readonly slewRateVPerS: number;
  /** Positive and negative supply rails in volts, relative to the signal ground (a single supply: supplyMinusV 0). */
  readonly supplyPlusV: number;
  readonly supplyMinusV: number;
  /** Output current the amplifier can source or sink, amperes (a transient that needs more is reported, not modelled). */
  readonly outputCurrentLimitA: number;
  /** Where the figures come from. */
  readonly source: string;
  /** Figures that are assumptions rather than data-sheet values. */
  readonly assumptions: readonly string[];
}

/**
 * The patent's supplies (seed-targets C9, "Supplies per block"): the OP1 neuron runs from a single +5 V supply, the OP3
 * neuron from +-2.5 V. The presets below state which they use; `supply=op1|op3` in an --opamp-preset override selects
 * them.
 */
export const PATENT_SUPPLIES = {
  op1: { supplyPlusV: 5, supplyMinusV: 0, source: 'patent: OP1 neuron, single +5 V supply' },
  op3: { supplyPlusV: 2.5, supplyMinusV: -2.5, source: 'patent: OP3 neuron, +-2.5 V supplies' },
} as const;

/**
 * Generic single-pole macro model: DEFAULT_MACRO's DC figures (the AD824 class of the patent's FIG. 18: GBW 2 MHz,
 * 500 uA per amplifier), slew rate 2 V/us, +-5 V supplies so the patent's 5 V signal limit fits. Assumptions: the slew
 * rate (typical of the class, not re-read from the AD824 data sheet here), the supplies (the AD824 runs from 3 V to
 * 30 V; +-5 V is a choice), the 10 mA output current limit.
 */
export const OPAMP_GENERIC: DynamicOpamp = {
  ...DEFAULT_MACRO, name: 'generic', part: 'generic single-pole (AD824 class)', slewRateVPerS: 2e6, supplyPlusV: 5, supplyMinusV: -5, outputCurrentLimitA: 10e-3,
  source: 'Analog Devices AD824 data sheet (GBW 2 MHz, 500 uA per amplifier); single-pole macro model',
  assumptions: ['slew rate 2 V/us (class typical)', 'supplies +-5 V (fits the 5 V signal limit)', 'output current limit 10 mA', 'A0 2e5, Rout 50 ohm (as DEFAULT_MACRO)'],
};

/**
 * Micropower class (~50 kHz / ~10 uA): Analog Devices ADA4505-1/-2/-4 ("10 uA, rail-to-rail I/O, zero input crossover
 * distortion amplifiers"). Data-sheet front page: supply current 10 uA per amplifier maximum (taken here: the
 * conservative figure), 1.8 V to 5 V single supply or +-0.9 V to +-2.5 V dual supplies, rail-to-rail input and output.
 * Supplies +-2.5 V: the data sheet's largest dual supply, and the patent's OP3 supplies. GBW 50 kHz and slew rate
 * 0.006 V/us are the data sheet's typical-characteristics figures as recalled (not re-read here). Assumptions: A0 1e5,
 * output 50 mV inside the rails at the light loads of 100 kOhm networks, 1 mA output current limit, Rout 1 kOhm.
 */
export const OPAMP_MICROPOWER: DynamicOpamp = {
  kind: 'macro', gain: 1e5, gbwHz: 50e3, swingHeadroomV: 0.05, rinOhm: 1e12, routOhm: 1e3, iqA: 10e-6,
  name: 'micropower', part: 'Analog Devices ADA4505-2', slewRateVPerS: 6e3, supplyPlusV: 2.5, supplyMinusV: -2.5, outputCurrentLimitA: 1e-3,
  source: 'Analog Devices ADA4505-1/ADA4505-2/ADA4505-4 data sheet (10 uA per amplifier max, +-0.9..+-2.5 V, rail-to-rail I/O)',
  assumptions: ['GBW 50 kHz and slew rate 0.006 V/us as recalled from the data sheet', 'A0 1e5', 'swing 50 mV inside the rails', 'output current limit 1 mA', 'Rout 1 kOhm'],
};

/**
 * Fast class (~10 MHz / ~1 mA): Analog Devices AD8605 (precision CMOS, rail-to-rail I/O). Data-sheet front page: wide
 * bandwidth 10 MHz, open-loop gain 1000 V/mV (A0 1e6), unity-gain stable, single supply 2.7 V to 5.5 V. Supplies
 * +-2.5 V (a 5 V supply split around the signal ground; the patent's OP3 supplies). Slew rate 5 V/us and supply
 * current 1 mA per amplifier (typical, at 5 V) are the specification table's figures as recalled (not re-read here).
 * Assumptions: output 50 mV inside the rails, 10 mA output current limit (the data sheet's short-circuit current is
 * higher), Rout 50 ohm.
 */
export const OPAMP_FAST: DynamicOpamp = {
  kind: 'macro', gain: 1e6, gbwHz: 10e6, swingHeadroomV: 0.05, rinOhm: 1e12, routOhm: 50, iqA: 1e-3,
  name: 'fast', part: 'Analog Devices AD8605', slewRateVPerS: 5e6, supplyPlusV: 2.5, supplyMinusV: -2.5, outputCurrentLimitA: 10e-3,
  source: 'Analog Devices AD8605/AD8606/AD8608 data sheet (10 MHz, 1000 V/mV, 2.7..5.5 V single supply)',
  assumptions: ['slew rate 5 V/us and 1 mA per amplifier as recalled from the specification table', 'swing 50 mV inside the rails', 'output current limit 10 mA', 'Rout 50 ohm'],
};

/** The op-amp presets with dynamics, by name (--opamp-preset). */
export const DYNAMIC_OPAMPS: Readonly<Record<string, DynamicOpamp>> = { generic: OPAMP_GENERIC, micropower: OPAMP_MICROPOWER, fast: OPAMP_FAST };

/** Defaults of the energy command and the transient (kept here until presets/defaults.ts takes them over). */
export const ENERGY_DEFAULTS = {
  /** Settling band of every output around its DC value: 10 mV (0.4% of a 2.5 V signal limit, ~1 LSB of 8 bits). */
  latencyToleranceV: 0.01,
  /** Samples of the set simulated: the first 100. */
  samples: 100,
  /** Power gating: a layer is switched off at 1.25 x the latest settling time of it and its consumers (a 25% margin
   * over the samples the schedule was measured on, for samples not among them). */
  gateMarginRel: 1.25,
  /** compile --energy: the first 20 samples of the evaluation set. */
  compileSamples: 20,
} as const;
