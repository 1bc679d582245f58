// Messages of the model importers and the source-graph IR: what is wrong with the model file and how to fix it.

import { formatShape, type Shape } from '../util/format.js';

/** Model files and graphs. */
export const IMPORT_MESSAGES = {
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
  inputCount: (n: number, names: string[]) =>
    `the model has ${n} inputs (${names.join(', ')}); ohmnet needs exactly one non-constant input`,
  outputCount: (n: number, names: string[]) =>
    `the model has ${n} outputs (${names.join(', ')}); ohmnet needs exactly one: cut the graph to one output before export`,
  noInputShape: (name: string) => `input '${name}' has no declared shape; pass --input-shape (per-sample, e.g. 1,8,8)`,
  dynamicInputShape: (name: string, dims: string) =>
    `input '${name}' has dynamic dimensions (${dims}); pass the per-sample shape with --input-shape, e.g. --input-shape 1,28,28`,
  inputShapeMismatch: (name: string, declared: string, given: Shape) =>
    `--input-shape ${formatShape(given)} does not fit input '${name}' declared as ${declared}`,
  unsupportedOp: (node: string, op: string, supported: readonly string[]) =>
    `node '${node}' uses op ${op}, which ohmnet does not support; supported: ${supported.join(', ')}`,
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
} as const;
