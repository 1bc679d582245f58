// Validator for the source-graph IR: structure (field types, single assignment per tensor, topological order; see
// structure.ts), finite parameters, and consistent shapes. Importers call it last, so every Graph handed to later
// stages has passed it; library callers may pass any value and get an input error naming what is wrong.

import { inputError } from '../errors.js';
import { M } from '../messages/index.js';
import { isDiagonalRecurrence, type Graph, type Node } from './ops.js';
import { inferCheckedShapes, type ShapeOptions } from './shapes.js';
import { checkGraphValue, unknownKind } from './structure.js';
import { firstNonFinite } from './tensor.js';

function parameterArrays(node: Node): [string, Float64Array][] {
  switch (node.kind) {
    case 'dense':
    case 'conv':
      return [['weight', node.weight.data], ...(node.bias ? [['bias', node.bias] as [string, Float64Array]] : [])];
    case 'batchnorm':
      return [['scale', node.scale], ['bias', node.bias], ['mean', node.mean], ['variance', node.variance]];
    case 'constBinary':
      return [['constant', node.constant]];
    case 'recurrent':
      return [['W', node.weight.data], ['R', node.recurrence.data], ['Wb', node.inputBias], ['Rb', node.recurrenceBias], ['initial_h', node.initialH],
        ...(node.initialC ? [['initial_c', node.initialC] as [string, Float64Array]] : [])];
    case 'slice':
    case 'gather':
    case 'activation':
    case 'softmax':
    case 'maxpool':
    case 'avgpool':
    case 'reducemean':
    case 'reshape':
    case 'transpose':
    case 'concat':
    case 'binary':
    case 'pad':
      return [];
  }
  return unknownKind(node);
}

function scalarParameters(node: Node): [string, number][] {
  switch (node.kind) {
    case 'activation': {
      const f = node.fn;
      if (f.type === 'leakyRelu') return [['alpha', f.alpha]];
      if (f.type === 'hardSigmoid') return [['alpha', f.alpha], ['beta', f.beta]];
      return [];
    }
    case 'batchnorm':
      return [['epsilon', node.epsilon]];
    case 'pad':
      return [['value', node.value]];
    case 'dense':
    case 'conv':
    case 'softmax':
    case 'maxpool':
    case 'avgpool':
    case 'reducemean':
    case 'reshape':
    case 'transpose':
    case 'concat':
    case 'binary':
    case 'constBinary':
    case 'slice':
    case 'gather':
    case 'recurrent':
      return [];
  }
  return unknownKind(node);
}


/** Checks the graph and returns the shape of every activation. Throws an input error naming the first problem. */
export function validateGraph(graph: Graph, options: ShapeOptions): Map<string, number[]> {
  const limit = checkGraphValue(graph, options);
  for (const node of graph.nodes) {
    for (const [what, data] of parameterArrays(node)) {
      const i = firstNonFinite(data);
      if (i >= 0) throw inputError(M.nonFinite(`${node.name}.${what}`, i, data[i]));
    }
    for (const [what, v] of scalarParameters(node)) {
      if (!Number.isFinite(v)) throw inputError(M.nonFinite(`${node.name}.${what}`, 0, v));
    }
    if (node.kind === 'batchnorm') {
      const bad = node.variance.findIndex((v) => v + node.epsilon <= 0);
      if (bad >= 0) throw inputError(M.badNodeShape(node.name, node.sourceOp, `variance + epsilon is not positive for channel ${bad}`));
    }
    if (node.kind === 'recurrent' && node.diagonalRecurrence && node.recurrence.shape.length === 2 && !isDiagonalRecurrence(node)) {
      throw inputError(M.badNodeShape(node.name, node.sourceOp, 'diagonalRecurrence is set but R has entries off its diagonal'));
    }
    if (node.kind === 'activation' && node.fn.type === 'clip' && !(node.fn.min <= node.fn.max)) {
      throw inputError(M.badNodeShape(node.name, node.sourceOp, `clip min ${node.fn.min} is above max ${node.fn.max}`));
    }
  }
  return inferCheckedShapes(graph, limit);
}

const validated = new WeakSet<object>();

/**
 * The guard of the library's entry points that take a Graph (compileGraph, evaluate, openRun, summarize): a value
 * that is not a valid graph is an OhmnetError naming what is wrong, never a TypeError deep inside. Each graph object
 * is validated once (graphs are immutable).
 */
export function requireGraph(graph: unknown): asserts graph is Graph {
  if (typeof graph === 'object' && graph !== null && validated.has(graph)) return;
  validateGraph(graph as Graph, { maxTensorElements: Number.MAX_SAFE_INTEGER });
  validated.add(graph as object);
}
