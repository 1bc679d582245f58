// Messages of the reference evaluator and of lowering: values the source graph cannot compute, or that the evaluator
// was asked for wrongly.

import { formatShape, type Shape } from './format.js';

/** Evaluating and lowering the source graph. */
export const EVALUATE_MESSAGES = {
  noSuchTensor: (tensor: string) => `the graph has no tensor named '${tensor}'`,
  sampleLength: (sample: number, got: number, shape: Shape, want: number) =>
    `sample ${sample} has ${got} values; the model input ${formatShape(shape)} needs ${want}`,
  nonFiniteInput: (sample: number, index: number, value: unknown) =>
    `sample ${sample} value ${index} is ${String(value)}, not a finite number; give finite input values`,
  nonFiniteResult: (node: string, op: string, value: number, index: number, sample: number) =>
    `node '${node}' (${op}) computes ${value} at element ${index} for sample ${sample}; a circuit cannot realize a non-finite value: fix the model (e.g. an AveragePool window wholly in the padding with count_include_pad = 0 divides 0 by 0)`,
  emptyAverage: (node: string, op: string) =>
    `node '${node}' (${op}) has a window wholly in the padding with count_include_pad = 0, whose average is 0/0; reduce the padding or set count_include_pad = 1`,
  // Lowering to the T-network (lower/to-tnet.ts): ops with no analog block yet.
  innerSoftmax: (node: string) =>
    `node '${node}' is a Softmax inside the network; ohmnet leaves only a final Softmax to a digital tail and has no analog softmax block`,
} as const;
