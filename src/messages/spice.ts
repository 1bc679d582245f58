// Messages of SPICE: the engines (src/spice/engines/), the op-amp models (src/spice/models.ts) and the
// cross-validation of the netlist (src/spice/verify.ts).

import type { Namer } from '../errors.js';

/** How an engine is named in messages. */
export type EngineLabel = 'ngspice' | 'ngspice (wasm)';

export const SM = {
  blockWithoutCircuit: (block: string, label: string) =>
    `${label} is a ${block} block, which has no circuit in the netlist yet; only summing neurons and multipliers are emitted`,
  ngspiceMissing: () =>
    `the ngspice engine needs the ngspice program, which is not on PATH; install Debian's ngspice (apt-get install ngspice) or use --engine wasm`,
  ngspiceNotRunnable: (why: string) =>
    `cannot run the ngspice program (${why}); reinstall Debian's ngspice or use --engine wasm`,
  unknownEngine: (kind: string) => `unknown SPICE engine '${kind}'; use ngspice, wasm or auto`,
  timeout: (engine: EngineLabel, samples: number, ms: number) =>
    `${engine} did not finish ${samples} operating point${samples === 1 ? '' : 's'} within the time limit of ${formatSeconds(ms)}; allow more time or simulate fewer samples`,
  transientTimeout: (engine: EngineLabel, stopTimeS: number, ms: number) =>
    `${engine} did not finish the transient run to ${stopTimeS} s within the time limit of ${formatSeconds(ms)}; allow more time, a shorter run or a larger maximum step`,
  badTimeout: (value: number) => `the SPICE time limit ${value} ms is not a positive finite number of milliseconds`,
  emptyNetlist: () => `the netlist is empty; it needs a title line, the circuit and .end`,
  missingInputSource: (k: number, found: number[]) =>
    `the netlist has no input source VIN${k} (found ${found.length === 0 ? 'none' : found.map((i) => `VIN${i}`).join(', ')}); input sources must be VIN0, VIN1, ... without gaps`,
  duplicateInputSource: (k: number) => `the netlist defines input source VIN${k} twice`,
  badInputSource: (k: number, line: number) =>
    `input source VIN${k} on line ${line} has no nodes; write it like VIN${k} in${k} 0 DC 0`,
  sampleLength: (sample: number, got: number, want: number) =>
    `sample ${sample} has ${got} input value${got === 1 ? '' : 's'}, the netlist has ${want} input source${want === 1 ? '' : 's'}${want === 0 ? '' : want === 1 ? ' (VIN0)' : ` (VIN0..VIN${want - 1})`}`,
  sampleNonFinite: (sample: number, index: number, value: number) =>
    `sample ${sample} input ${index} is ${value}; input voltages must be finite numbers`,
  noSamples: () => `no samples to simulate: give at least one input sample`,
  noProbes: () => `no nodes to read: give at least one probe (e.g. out0)`,
  badProbe: (probe: string) =>
    `'${printable(probe)}' is not a node name (letters, digits, '_', '.', ':' and '#' only, e.g. out0 or x1.n3)`,
  forbiddenLine: (line: number, text: string, why: string) =>
    `line ${line} of the netlist ('${printable(text)}') is not allowed: ${why}`,
  forbiddenWhy: {
    include: () => `ohmnet runs only what its netlist holds, and an included file (which could run commands) is not checked; put its circuit in the netlist`,
    control: () => `ohmnet runs no command scripts from a netlist (the engine writes its own); remove the block`,
    analysis: () => `the engine adds its own analysis and output commands; remove the card`,
    card: () => `a netlist ohmnet runs may hold only the dot cards ohmnet writes (.options, .subckt, .ends, .param, .global, .func, .model, .ic, .nodeset, .end); remove it`,
    shell: () => `'shell' runs a command; rename the element`,
    start: () => `a line must be an element (starting with a letter), a dot card, a '+' continuation or a '*' comment`,
  },
  duplicateSource: (name: string, line: number) => `the netlist defines voltage source ${name} twice (again on line ${line}); rename one`,
  missingProbe: (probe: string) => `node '${probe}' is not in the netlist; check the probe name (outputs are out0, out1, ...)`,
  notParsed: (engine: EngineLabel, reason: string) => `${engine} cannot read the netlist (${reason}); fix the netlist`,
  opFailed: (engine: EngineLabel, sample: number, reason: string) =>
    `${engine} could not find the operating point for sample ${sample} (${reason}); check the circuit for floating nodes and that input`,
  notFinite: (engine: EngineLabel, sample: number, probe: string, value: string) =>
    `${engine} gives ${value} for node '${probe}' at sample ${sample}; the circuit has no finite operating point there`,
  stopped: (engine: EngineLabel, sample: number, reason: string) =>
    `${engine} stopped before finishing sample ${sample} (${reason})`,
  waveformCount: (got: number, want: number) =>
    `the transient request gives ${got} input waveform${got === 1 ? '' : 's'}, the netlist has ${want} input source${want === 1 ? '' : 's'}${want === 0 ? '' : want === 1 ? ' (VIN0)' : ` (VIN0..VIN${want - 1})`}; give one per source`,
  waveformKind: (source: string, kind: string) => `the waveform of ${source} has kind '${printable(kind)}'; use dc, pwl or pulse`,
  waveformValue: (source: string, what: string, value: number) =>
    `the waveform of ${source} has ${what} ${value}; waveform values and times must be finite numbers`,
  pwlEmpty: (source: string) => `the piecewise-linear waveform of ${source} has no points; give at least one (time, value) point`,
  pwlPoint: (source: string, i: number) => `point ${i} of the piecewise-linear waveform of ${source} is not a (time, value) pair`,
  pwlTimes: (source: string, i: number, t: number) =>
    `point ${i} of the piecewise-linear waveform of ${source} is at ${t} s; times must be >= 0 and strictly increasing`,
  pulseTime: (source: string, what: string, value: number) =>
    `the pulse of ${source} has ${what} ${value}; delay and width must be >= 0, rise, fall and period > 0`,
  pulsePeriod: (source: string) => `the pulse of ${source} is longer than its period (rise + width + fall > period); lengthen the period`,
  badStopTime: (value: number) => `the transient stop time ${value} s is not a positive finite number of seconds`,
  badMaxStep: (value: number, stop: number) =>
    `the transient maximum step ${value} s must be a positive number of seconds no larger than the stop time (${stop} s)`,
  tooManySteps: (stop: number, step: number, max: number) =>
    `a transient run to ${stop} s with a maximum step of ${step} s takes more than ${max} steps; use a larger maximum step or a shorter run`,
  badSourceName: (name: string) => `'${printable(name)}' is not a source name (a letter, then letters, digits or '_', e.g. VDD)`,
  tempDir: (dir: string, why: string) =>
    `cannot write ngspice's deck in a temporary directory under ${printable(dir)} (${why}); set TMPDIR to a writable directory with free space`,
  unknownSource: (name: string) =>
    `'${printable(name)}' is not a voltage source at the top level of the netlist; name a source such as VDD or VCLK`,
  inputInSources: (name: string) => `input source ${printable(name)} is driven by the request's input waveforms; do not name it among the other sources`,
  sourceTwice: (name: string) => `voltage source ${printable(name)} is given two waveforms; give one`,
  noReadTimes: () => `no read times: give at least one time at which to read the probes`,
  badReadTime: (i: number, t: number, stop: number) => `read time ${i} is ${t} s; read times must be within 0 .. ${stop} s (the stop time)`,
  tranFailed: (engine: EngineLabel, reason: string) =>
    `${engine} could not complete the transient run (${reason}); check the circuit for floating nodes and the waveforms for steps the circuit cannot follow`,
  tranStopped: (engine: EngineLabel, reason: string) => `${engine} stopped before finishing the transient run (${reason})`,
  tranNotFinite: (engine: EngineLabel, what: string, t: number, value: string) =>
    `${engine} gives ${value} for ${what} at ${t} s; the circuit has no finite solution there`,
  transientTooLarge: (engine: EngineLabel, times: number, chars: number, max: number) =>
    `the values of ${times} read times (about ${chars} characters of output) exceed what ${engine} can return in one run (${max}); read fewer times or nodes per run, or use the ngspice program`,
  transientNetlistTooLarge: (engine: EngineLabel, chars: number, max: number) =>
    `the transient deck has ${chars} characters, more than ${engine} takes in one run (${max}); use fewer waveform points`,
  wasmCrashed: (reason: string) =>
    `the wasm SPICE engine stopped unexpectedly (${reason}); the circuit may be too large for it: try --engine ngspice`,
  // Op-amp models (spice/models.ts).
  badOpamp: (text: string) => (n: Namer) =>
    `${n('opamp')} '${text}' is not a model; use ideal or macro, optionally with parameters, e.g. macro:gain=1e6`,
  unknownOpampParameter: (kind: string, key: string | undefined, known: readonly string[]) => (n: Namer) =>
    `${n('opamp')} ${kind}: unknown parameter '${key}'; known: ${known.join(', ')}`,
  badOpampParameter: (kind: string, key: string, value: string | undefined) => (n: Namer) =>
    `${n('opamp')} ${kind}: ${key}=${value} must be a positive number`,
  // Cross-validation (spice/verify.ts).
  verifyNoSamples: () => 'SPICE verification needs at least one sample',
  testbenchNoSamples: () => 'a testbench needs at least one sample',
  testbenchSampleLength: (sample: number, what: 'input voltages' | 'expected outputs', got: number, want: number) =>
    `testbench sample ${sample} has ${got} ${what}, the network has ${want}`,
  testbenchNoTiming: () => 'the testbench of a clocked network needs its clock timing (the netlist\'s tick period and edges)',
  testbenchBadInclude: (path: string) =>
    `the testbench cannot include '${printable(path)}': give a relative path of letters, digits, '_', '-', '.' and '/' (e.g. netlist.cir)`,
} as const;

/** User text inside a message: control characters shown as '?', at most 80 characters. */
function printable(text: string): string {
  const t = text.replace(/[\u0000-\u001f\u007f]/g, '?');
  return t.length > 80 ? `${t.slice(0, 77)}...` : t;
}

export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : Number(s.toPrecision(3))} s`;
}
