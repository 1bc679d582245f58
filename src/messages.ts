// Every user-facing error message, in one place so wording stays consistent and tests can match it.
// Each message says what is wrong and what to do about it, on one line.

import { formatShape, type Shape } from './ir/tensor.js';

export const SUPPORTED_ONNX_OPS = [
  'Add', 'AveragePool', 'BatchNormalization', 'Clip', 'Concat', 'Constant', 'Conv', 'Dropout', 'Flatten', 'Gemm',
  'GlobalAveragePool', 'HardSigmoid', 'Identity', 'LeakyRelu', 'MatMul', 'MaxPool', 'Mul', 'Pad', 'ReduceMean', 'Relu',
  'Reshape', 'Sigmoid', 'Softmax', 'Squeeze', 'Sub', 'Tanh', 'Transpose', 'Unsqueeze',
] as const;

export const M = {
  // --- files
  fileNotFound: (path: string) => `cannot read '${path}': no such file; check the path`,
  fileUnreadable: (path: string, why: string) => `cannot read '${path}': ${why}`,
  emptyFile: (path: string) => `'${path}' is empty (0 bytes); pass a model file exported from PyTorch or tf2onnx`,
  notOnnx: (path: string, why: string) =>
    `'${path}' is not a valid ONNX model (${why}); export it with torch.onnx.export or tf2onnx and try again`,
  unknownModelFormat: (path: string) =>
    `'${path}' has an unknown model format; ohmnet reads ONNX files (.onnx)`,
  noGraph: (path: string) => `'${path}' contains no graph; is it an ONNX model?`,
  oldOpset: (opset: number) => `the model uses ONNX opset ${opset}; ohmnet supports opset 9 and later: re-export with a newer opset`,
  externalData: (tensorName: string) =>
    `tensor '${tensorName}' stores its data in an external file, which ohmnet does not read; re-export with the weights embedded (e.g. onnx.save_model(m, f, save_as_external_data=False))`,
  unsupportedDataType: (tensorName: string, type: string) =>
    `tensor '${tensorName}' has data type ${type}; ohmnet reads float, double and integer tensors only`,
  tensorDataMismatch: (tensorName: string, shape: Shape, got: number) =>
    `tensor '${tensorName}' declares shape ${formatShape(shape)} but holds ${got} values; the file is corrupt`,
  tensorTooLarge: (what: string, shape: Shape, limit: number) =>
    `${what} has shape ${formatShape(shape)}, more than the limit of ${limit} elements; if this is intended, raise it with --max-tensor-elements`,
  nonFinite: (tensorName: string, index: number, value: number) =>
    `tensor '${tensorName}' contains ${value} at index ${index}; NaN or infinite weights cannot be realized: fix the trained model`,
  // --- graph structure
  inputCount: (n: number, names: string[]) =>
    `the model has ${n} inputs (${names.join(', ')}); ohmnet needs exactly one non-constant input`,
  outputCount: (n: number, names: string[]) =>
    `the model has ${n} outputs (${names.join(', ')}); ohmnet needs exactly one: cut the graph to one output before export`,
  noInputShape: (name: string) => `input '${name}' has no declared shape; pass --input-shape (per-sample, e.g. 1,8,8)`,
  dynamicInputShape: (name: string, dims: string) =>
    `input '${name}' has dynamic dimensions (${dims}); pass the per-sample shape with --input-shape, e.g. --input-shape 1,28,28`,
  inputShapeMismatch: (name: string, declared: string, given: Shape) =>
    `--input-shape ${formatShape(given)} does not fit input '${name}' declared as ${declared}`,
  badInputShapeOption: (text: string) =>
    `--input-shape '${text}' is not a list of positive integers; write it like 1,8,8 (per sample, without the batch dimension)`,
  unsupportedOp: (node: string, op: string) =>
    `node '${node}' uses op ${op}, which ohmnet does not support; supported: ${SUPPORTED_ONNX_OPS.join(', ')}`,
  unsupportedDomain: (node: string, op: string, domain: string) =>
    `node '${node}' uses op ${op} from domain '${domain}'; only the default ONNX domain is supported`,
  unsupportedAttr: (node: string, op: string, what: string) => `node '${node}' (${op}): ${what} is not supported`,
  needsConstant: (node: string, op: string, what: string) =>
    `node '${node}' (${op}): ${what} must be a constant (an initializer or Constant node); export with constant folding on`,
  batchAxis: (node: string, op: string, what: string) =>
    `node '${node}' (${op}) ${what}, which mixes samples of a batch; ohmnet compiles per-sample networks: re-export without it`,
  badNodeShape: (node: string, op: string, what: string) => `node '${node}' (${op}): ${what}`,
  undefinedInput: (node: string, tensor: string) =>
    `${node} reads '${tensor}', which no node produces; the graph is malformed`,
  duplicateTensor: (tensor: string) => `tensor '${tensor}' is produced twice; the graph is malformed`,
  cycle: (node: string) => `the graph has a cycle through node '${node}'; ohmnet needs a feed-forward graph`,
  // --- sample files
  inputsFileFormat: (path: string, why: string) =>
    `'${path}': ${why}; give JSON {"inputs": [[...], ...]} or CSV with one flattened sample per row`,
  sampleLength: (path: string, row: number, got: number, want: number, shape: Shape) =>
    `'${path}': sample ${row} has ${got} values, the model input ${formatShape(shape)} needs ${want}`,
  sampleNonFinite: (path: string, row: number, col: number) =>
    `'${path}': sample ${row} value ${col} is not a finite number`,
  noSamples: (path: string) => `'${path}' contains no samples`,
  // --- CLI
  badNumberOption: (flag: string, text: string, want: string) => `${flag} '${text}' is not ${want}`,
  outputExists: (path: string) => `'${path}' already exists; pass --force to overwrite it or choose another path`,
} as const;

// --- SPICE engines (src/spice/engines/)
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
