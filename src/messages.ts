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
