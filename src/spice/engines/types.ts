// The SPICE engine layer: DC operating points of one netlist for many input samples.
//
// Netlist conventions (SPEC): input voltage sources are named VIN<k> (k from 0) and their DC value is the last
// token of their line; outputs are nodes out<k>; the bias reference source is VREF. The netlist handed to an
// engine is a complete circuit (title line, elements, subcircuits, .end); the engine adds the analysis it needs.

export type EngineName = 'ngspice' | 'wasm';

export interface OperatingPointRequest {
  /** Complete netlist text (title line first, ends with .end); analysis cards and .control blocks are ignored. */
  readonly netlist: string;
  /** Per sample, the DC values of VIN0..VIN{n-1}. */
  readonly inputs: readonly (readonly number[])[];
  /** Node names to read, e.g. ['out0', 'out1'] (matched case-insensitively, as ngspice lower-cases names). */
  readonly probes: readonly string[];
  /** A bound on the whole call in milliseconds; default {@link defaultTimeoutMs}. */
  readonly timeoutMs?: number;
}

export interface OperatingPointResult {
  /** Per sample, one value per probe, in probe order. */
  readonly voltages: Float64Array[];
  readonly engine: EngineName;
  /** Wall time of the engine work (spawning or starting the engine included). */
  readonly seconds: number;
}

export interface SpiceEngine {
  readonly name: EngineName;
  operatingPoints(req: OperatingPointRequest): Promise<OperatingPointResult>;
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

/** The default time limit of one operatingPoints call: one minute plus a quarter second per sample. */
export function defaultTimeoutMs(samples: number): number {
  return 60_000 + 250 * samples;
}
