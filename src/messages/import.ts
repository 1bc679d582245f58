// Messages of the model importers and the source-graph IR: what is wrong with the model file and how to fix it.

import type { Namer } from '../errors.js';
import { formatShape, type Shape } from './format.js';

/** A list of numbers from a file, shortened so a hostile attribute of a million values still gives one short line. */
export function formatList(values: ArrayLike<number>, max = 8): string {
  const shown = Array.from({ length: Math.min(values.length, max) }, (_, i) => String(values[i]));
  return `[${shown.join(', ')}${values.length > max ? `, ... (${values.length} values)` : ''}]`;
}

/** A shape from a file, shortened like formatList. */
const shapeText = (shape: Shape) => (shape.length > 8 ? formatList(shape) : formatShape(shape));

/** Model files and graphs. */
export const IMPORT_MESSAGES = {
  emptyFile: (path: string) => `'${path}' is empty (0 bytes); pass a model file (ONNX from PyTorch or tf2onnx, a Keras .keras or .h5, a TF.js model.json)`,
  notOnnx: (path: string, why: string) =>
    `'${path}' is not a valid ONNX model (${why}); export it with torch.onnx.export or tf2onnx and try again`,
  unknownModelFormat: (path: string) =>
    `'${path}' has an unknown model format; ohmnet reads ONNX (.onnx), Keras (.keras, .h5) and TF.js (model.json) models`,
  noGraph: (path: string) => `'${path}' contains no graph; is it an ONNX model?`,
  oldOpset: (opset: number) => `the model uses ONNX opset ${opset}; ohmnet supports opset 7 and later: re-export with a newer opset`,
  externalData: (tensorName: string) =>
    `tensor '${tensorName}' stores its data in an external file, which ohmnet does not read; re-export with the weights embedded (e.g. onnx.save_model(m, f, save_as_external_data=False))`,
  unsupportedDataType: (tensorName: string, type: string) =>
    `tensor '${tensorName}' has data type ${type}; ohmnet reads FLOAT, DOUBLE, FLOAT16, BFLOAT16, INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32 and BOOL tensors`,
  badTensorDims: (tensorName: string, dims: Shape) =>
    `tensor '${tensorName}' declares dimensions ${shapeText(dims)}, which are not all sizes (non-negative integers); the file is corrupt`,
  tensorDataMismatch: (tensorName: string, shape: Shape, got: number) =>
    `tensor '${tensorName}' declares shape ${shapeText(shape)} but holds ${got} values; the file is corrupt`,
  tensorTooLarge: (what: string, shape: Shape, limit: number) => (o: Namer) =>
    `${what} has shape ${shapeText(shape)}, more than the limit of ${limit} elements; if this is intended, raise it with ${o('maxTensorElements')}`,
  derivedTooLarge: (node: string, op: string, what: string, count: number, limit: number) => (o: Namer) =>
    `node '${node}' (${op}) needs ${count} ${what} per sample, more than the limit of ${limit}; if this is intended, raise it with ${o('maxTensorElements')}`,
  rankTooHigh: (what: string, rank: number, max: number) => `${what} has ${rank} dimensions, more than the ${max} ohmnet handles`,
  nonFinite: (tensorName: string, index: number, value: number) =>
    `tensor '${tensorName}' contains ${value} at index ${index}; NaN or infinite weights cannot be realized: fix the trained model`,
  inputCount: (n: number, names: string[]) =>
    `the model has ${n} inputs (${names.join(', ')}); ohmnet needs exactly one non-constant input`,
  outputCount: (n: number, names: string[]) =>
    `the model has ${n} outputs (${names.join(', ')}); ohmnet needs exactly one: cut the graph to one output before export`,
  noInputShape: (name: string) => (o: Namer) => `input '${name}' has no declared shape; pass ${o('inputShape')} (per-sample, e.g. 1,8,8)`,
  dynamicInputShape: (name: string, dims: string) => (o: Namer) =>
    `input '${name}' has dynamic dimensions (${dims}); pass the per-sample shape with ${o('inputShape')}, e.g. 1,28,28`,
  badInputDim: (name: string, declared: string, index: number, value: number) => (o: Namer) =>
    `input '${name}' ${declared} declares dimension ${index} as ${value}, which is not a size (${value === 0 ? 'an empty tensor' : 'a negative number'}); fix the exported model${value < 0 ? `, or give the per-sample shape with ${o('inputShape')}` : ''}`,
  inputShapeMismatch: (name: string, declared: string, given: Shape) => (o: Namer) =>
    `${o('inputShape')} ${formatShape(given)} does not fit input '${name}' declared as ${declared}`,
  badInputShapeValue: (why: string) => (o: Namer) => `${o('inputShape')} ${why}; give the per-sample shape as positive integers, e.g. [1, 8, 8]`,
  badInputShapeText: (text: string) => (o: Namer) =>
    `${o('inputShape')} '${text.length > 40 ? `${text.slice(0, 40)}...` : text}' is not a list of positive integers; write it like 1,8,8 (per sample, without the batch dimension)`,
  badGraphValue: (path: string, want: string, got: string) => `the graph's ${path} must be ${want}, got ${got}`,
  badImportArgument: (what: string, got: string) => `${what}, got ${got}`,
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
  duplicateTensor: (tensor: string, first: string, second: string) =>
    `tensor '${tensor}' is assigned by ${first} and ${second.startsWith('again') ? second : `again by ${second}`}; ONNX assigns each name once (onnx.checker refuses this graph): fix the exporter or rename one`,
  duplicateNode: (node: string) => `node name '${node}' is used twice; the graph is malformed`,
  outOfOrder: (node: string, tensor: string, producer: string) =>
    `node '${node}' reads '${tensor}' before node '${producer}' produces it; ONNX nodes must be in topological order (onnx.checker refuses this graph): sort the graph, e.g. with onnx-simplifier`,
  cycle: (node: string) => `the graph has a cycle through node '${node}'; ohmnet needs a feed-forward graph`,
  refusedNodes: (groups: readonly { op: string; why: string; nodes: readonly string[] }[], supported: readonly string[] | null) => {
    const count = groups.reduce((n, g) => n + g.nodes.length, 0);
    const tail = supported ? `; supported ops: ${supported.join(', ')}` : '';
    if (count === 1) return `node '${groups[0].nodes[0]}' (${groups[0].op}): ${groups[0].why}${tail}`;
    const names = (ns: readonly string[]) => ns.slice(0, 6).map((n) => `'${n}'`).join(', ') + (ns.length > 6 ? ` and ${ns.length - 6} more` : '');
    return `the model has ${count} nodes ohmnet refuses (by op, in graph order): ${groups.map((g) => `${g.op} ${names(g.nodes)}: ${g.why}`).join('; ')}${tail}`;
  },
  notAnalog: (node: string, op: string, what: string, why: string) =>
    `node '${node}' (${op}) ${what}, which ohmnet cannot compile exactly: ${why}`,
  recurrentUnsupported: (node: string, op: string, what: string, fix: string) =>
    `node '${node}' (${op}): ${what} is not supported; ${fix}`,
  stateFromOutside: (node: string, op: string, what: string, input: string) =>
    `node '${node}' (${op}) takes its ${what} from the graph input '${input}', a state given from outside; ohmnet compiles a model with one input: export the state as a constant (an initializer) or leave it out (zeros)`,
  recurrentBatchAxis: (node: string, op: string, layout: number, want: number, got: number) =>
    `node '${node}' (${op}) has layout ${layout}, so the batch is axis ${want} of its input X, but the batch of that tensor is axis ${got}; the model mixes samples`,
  batchDependent: (node: string, op: string, what: string) =>
    `node '${node}' (${op}) ${what}, which depends on the batch size; ohmnet compiles per-sample networks and folds the batch size only into zero or constant initial states (ConstantOfShape, Expand): re-export with a fixed shape there`,
  streamOp: (node: string, op: string, why: string) =>
    `node '${node}' (${op}) works on a sequence in a recurrent model, but ${why}; the analog network computes one time step per clock tick, causally`,
  windowInPadding: (node: string, op: string, axis: number, position: number) =>
    `node '${node}' (${op}): output ${position} along spatial axis ${axis} is a window wholly in the padding, which has no ${op === 'MaxPool' ? 'maximum' : 'average'}; reduce the pads or grow the kernel`,
} as const;
