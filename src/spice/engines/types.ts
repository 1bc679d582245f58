// The SPICE engine layer: DC operating points of one netlist for many input samples, and transient runs of one
// netlist driven by piecewise-linear (or pulse) waveforms.
//
// Netlist conventions (SPEC): input voltage sources are named VIN<k> (k from 0) and their DC value is the last
// token of their line; outputs are nodes out<k>; the bias reference source is VREF. The netlist handed to an
// engine is a complete circuit (title line, elements, subcircuits, .end) holding only what ohmnet's emitter writes
// (see ALLOWED_CARDS in deck.ts: no .include, .lib, .control or analysis cards); the engine adds the analysis.

export type EngineName = 'ngspice' | 'wasm';

export interface OperatingPointRequest {
  /** Complete netlist text (title line first, ends with .end); see the module comment for what it may hold. */
  readonly netlist: string;
  /** Per sample, the DC values of VIN0..VIN{n-1}; at least one sample. */
  readonly inputs: readonly (readonly number[])[];
  /** Node names to read, e.g. ['out0', 'out1'] (matched case-insensitively, as ngspice lower-cases names). */
  readonly probes: readonly string[];
  /**
   * A bound on the whole call in milliseconds, any positive finite value (limits beyond Node's 24.8-day timer
   * are re-armed, see deadline.ts); default {@link defaultTimeoutMs}.
   */
  readonly timeoutMs?: number;
}

export interface OperatingPointResult {
  /** Per sample, one value per probe, in probe order. */
  readonly voltages: Float64Array[];
  readonly engine: EngineName;
  /** Wall time of the engine work (spawning or starting the engine included). */
  readonly seconds: number;
}

/**
 * A source waveform of a transient run, in volts and seconds.
 * - `dc`: constant.
 * - `pwl`: piecewise linear through (time, value) points, times >= 0 and strictly increasing; before the first
 *   point the source holds the first value, after the last the last value (ngspice's PWL).
 * - `pulse`: ngspice's PULSE(low high delay rise fall width period): low until `delayS`, then a trapezoid
 *   (rise, `widthS` at high, fall) repeated every `periodS`. Rise and fall must be > 0 and
 *   rise + width + fall <= period. This is how a clock is written.
 */
export type Waveform =
  | { readonly kind: 'dc'; readonly value: number }
  | { readonly kind: 'pwl'; readonly points: readonly (readonly [timeS: number, value: number])[] }
  | {
      readonly kind: 'pulse';
      readonly low: number;
      readonly high: number;
      readonly delayS: number;
      readonly riseS: number;
      readonly fallS: number;
      readonly widthS: number;
      readonly periodS: number;
    };

export interface TransientRequest {
  /** Complete netlist text, as for operatingPoints. */
  readonly netlist: string;
  /** One waveform per input source VIN0..VIN{n-1} (the netlist's DC values are replaced). */
  readonly inputs: readonly Waveform[];
  /**
   * Waveforms for other top-level voltage sources of the netlist, by name (case-insensitive), e.g. a clock
   * `{ VCLK: { kind: 'pulse', ... } }` or a ramped supply. Sources not named keep their netlist definition.
   */
  readonly sources?: Readonly<Record<string, Waveform>>;
  /** Node names to read, as for operatingPoints; at least one. */
  readonly probes: readonly string[];
  /**
   * Top-level voltage sources whose branch current to report (e.g. ['VDD'] for the supply current, which energy
   * needs). ngspice's sign: positive current flows into the source's + node from the circuit, through the source,
   * out of its - node; a supply delivering power reads negative.
   */
  readonly currents?: readonly string[];
  /** End of the run in seconds (> 0). The run starts at 0 from the DC operating point of the t = 0 values. */
  readonly stopTimeS: number;
  /** Largest internal time step in seconds (ngspice's TMAX), > 0 and <= stopTimeS; at most 1e7 steps per run. */
  readonly maxStepS: number;
  /**
   * Times at which to read probes and currents, in [0, stopTimeS], any order; at least one. Each read time is made
   * a time point of the solution (a breakpoint, see deck.ts), so a value just after a clock edge is the solver's
   * value there, not an interpolation across the edge.
   */
  readonly readTimesS: readonly number[];
  /** A bound on the whole call in milliseconds; default {@link defaultTransientTimeoutMs}. */
  readonly timeoutMs?: number;
}

export interface TransientResult {
  /** The read times, in request order. */
  readonly timesS: Float64Array;
  /** Per read time, one voltage per probe, in probe order. */
  readonly voltages: Float64Array[];
  /** Per read time, one branch current (A) per entry of `currents`, in request order (empty rows if none). */
  readonly currents: Float64Array[];
  /**
   * Per read time, per entry of `currents`, the charge (C) through the source from 0 to that time: the
   * trapezoidal integral of the current over the solver's time points. Supply energy from t_a to t_b is
   * -V (q(t_b) - q(t_a)) for a constant supply V.
   */
  readonly charges: Float64Array[];
  readonly engine: EngineName;
  /** Wall time of the engine work (spawning or starting the engine included). */
  readonly seconds: number;
}

export interface SpiceEngine {
  readonly name: EngineName;
  operatingPoints(req: OperatingPointRequest): Promise<OperatingPointResult>;
  transient(req: TransientRequest): Promise<TransientResult>;
  /** Frees the engine's resources (the wasm engine's worker thread). Safe to call twice. */
  dispose?(): Promise<void> | void;
}

export interface EngineOptions {
  /**
   * How the samples are run: 'sweep' (default; one DC sweep over all samples, one matrix ordering) or 'alter'
   * (alter the VIN sources and run `op` per sample). Both give the same operating points.
   */
  readonly method?: 'sweep' | 'alter';
  /**
   * Where to look for the ngspice program: a PATH-style list of directories. Default: the PATH environment
   * variable. Tests pass a PATH without ngspice to check the "not installed" error.
   */
  readonly searchPath?: string;
}

/**
 * The default time limit of one operatingPoints call: one minute, plus per sample a quarter second and 50 us per
 * netlist line. Measured: the digits CNN's netlist (~55 k lines) takes ngspice ~0.5 s per sample (~9 us per line) on
 * an idle machine; a fixed limit failed a 7 k-neuron CNN that needed 90 s. The size term keeps ~5x margin as the
 * netlist grows; a user's --spice-timeout replaces the whole formula.
 */
export function defaultTimeoutMs(samples: number, netlistLines = 0): number {
  return 60_000 + samples * (250 + Math.ceil(netlistLines / 20));
}

/** Lines of a netlist text (newlines counted without splitting the string). */
export function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** The default time limit of one transient call: one minute plus 10 ms per thousand largest steps. */
export function defaultTransientTimeoutMs(stopTimeS: number, maxStepS: number): number {
  return 60_000 + Math.round(stopTimeS / maxStepS / 100);
}
