// Messages of the SPICE engines (src/spice/engines/).

/** How an engine is named in messages. */
export type EngineLabel = 'ngspice' | 'ngspice (wasm)';

export const SM = {
  ngspiceMissing: () =>
    `the ngspice engine needs the ngspice program, which is not on PATH; install Debian's ngspice (apt-get install ngspice) or use --engine wasm`,
  ngspiceNotRunnable: (why: string) =>
    `cannot run the ngspice program (${why}); reinstall Debian's ngspice or use --engine wasm`,
  unknownEngine: (kind: string) => `unknown SPICE engine '${kind}'; use ngspice, wasm or auto`,
  timeout: (engine: EngineLabel, samples: number, ms: number) =>
    `${engine} did not finish ${samples} operating point${samples === 1 ? '' : 's'} within the time limit of ${formatSeconds(ms)}; allow more time or simulate fewer samples`,
  badTimeout: (value: number) => `the SPICE time limit ${value} ms is not a positive number of milliseconds`,
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
  noProbes: () => `no nodes to read: give at least one probe (e.g. out0)`,
  badProbe: (probe: string) =>
    `'${probe}' is not a node name (no spaces, parentheses, commas, quotes or '=')`,
  missingProbe: (probe: string) => `node '${probe}' is not in the netlist; check the probe name (outputs are out0, out1, ...)`,
  notParsed: (engine: EngineLabel, reason: string) => `${engine} cannot read the netlist (${reason}); fix the netlist`,
  opFailed: (engine: EngineLabel, sample: number, reason: string) =>
    `${engine} could not find the operating point for sample ${sample} (${reason}); check the circuit for floating nodes and that input`,
  notFinite: (engine: EngineLabel, sample: number, probe: string, value: string) =>
    `${engine} gives ${value} for node '${probe}' at sample ${sample}; the circuit has no finite operating point there`,
  stopped: (engine: EngineLabel, sample: number, reason: string) =>
    `${engine} stopped before finishing sample ${sample} (${reason})`,
  wasmCrashed: (reason: string) =>
    `the wasm SPICE engine stopped unexpectedly (${reason}); the circuit may be too large for it: try --engine ngspice`,
} as const;

export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : Number(s.toPrecision(3))} s`;
}
