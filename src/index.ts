// The public library API of ohmnet: everything the CLI does is a typed function exported here.

export { importModel } from './import/index.js';
export type { ImportOptions } from './import/index.js';
export { importOnnx, importOnnxFile, DEFAULT_MAX_TENSOR_ELEMENTS } from './import/onnx.js';
export { evaluate, evaluateNode, applyActivation } from './reference/evaluate.js';
export type { Evaluation, EvaluateOptions } from './reference/evaluate.js';
export type * from './ir/ops.js';
export { parameterCount } from './ir/ops.js';
export type { Tensor, Shape } from './ir/tensor.js';
export { inferShapes, inferNodeShape, macsOf } from './ir/shapes.js';
export { validateGraph } from './ir/validate.js';
export { inspectGraph } from './report/inspect.js';
export type { InspectReport, LayerRow } from './report/inspect.js';
export { readSamples } from './io/samples.js';
export { OhmnetError, EXIT, isOhmnetError } from './errors.js';
export { main } from './cli/main.js';
export { compileGraph, resolveOptions } from './transform/pipeline.js';
export type { CompileOptions, Compiled, ResolvedOptions, PassRecord } from './transform/pipeline.js';
export { evaluateTnet } from './simulate/evaluate.js';
export type { TnetEvaluation, TnetEvalOptions, SignalStats } from './simulate/evaluate.js';
export { verifyTnet, TnetInvariantError } from './tnet/verify.js';
export { tnetStats } from './tnet/stats.js';
export type * from './tnet/types.js';
export { summarize } from './report/summary.js';
export type { Summary, LayerSummary, Equivalence } from './report/summary.js';
export { writeTnetJson, readTnetJson } from './io/tnet-json.js';
export { lowerToTnet } from './lower/to-tnet.js';
export { foldBatchNorm } from './lower/fold-batchnorm.js';
