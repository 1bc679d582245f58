// The SPICE engine layer: DC operating points of one netlist for many input samples, and transient runs driven by
// piecewise-linear or pulse waveforms, with two engines: `ngspice` (Debian's ngspice program, when on PATH) and
// `wasm` (ngspice compiled to WebAssembly, from npm). Both run through one request runner (runner.ts).

import { usageError } from '../../errors.js';
import { SM } from '../../messages/index.js';
import { createNgspiceEngine, findNgspice } from './ngspice.js';
import type { EngineOptions, SpiceEngine } from './types.js';
import { createWasmEngine } from './wasm.js';

export type {
  EngineName,
  EngineOptions,
  OperatingPointRequest,
  OperatingPointResult,
  SpiceEngine,
  TransientRequest,
  TransientResult,
  Waveform,
} from './types.js';
export { defaultTimeoutMs, defaultTransientTimeoutMs } from './types.js';
export { ALLOWED_CARDS } from './deck.js';
export { MAX_STEPS } from './transient.js';
export { NgspiceEngine } from './ngspice.js';
export { WasmEngine } from './wasm.js';

export type EngineKind = 'wasm' | 'ngspice' | 'auto';

/** True when the ngspice program is on the search path (PATH unless options.searchPath is given). */
export function ngspiceAvailable(options: EngineOptions = {}): boolean {
  return findNgspice(options.searchPath ?? process.env.PATH) !== undefined;
}

/**
 * An engine of the given kind. `auto` takes the ngspice program when it is available (faster on large
 * circuits, see bench/spice-engines.ts), else the wasm build, which needs nothing but npm.
 * Throws an OhmnetError (exit code 2) for `ngspice` when the program is missing.
 */
export async function createEngine(kind: EngineKind, options: EngineOptions = {}): Promise<SpiceEngine> {
  switch (kind) {
    case 'ngspice':
      return createNgspiceEngine(options);
    case 'wasm':
      return createWasmEngine(options);
    case 'auto':
      return ngspiceAvailable(options) ? createNgspiceEngine(options) : createWasmEngine(options);
    default:
      throw usageError(SM.unknownEngine(String(kind)));
  }
}
