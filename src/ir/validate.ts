// Validator for the source-graph IR: structure (topological order, single producer per tensor), finite parameters,
// and consistent shapes. Importers call it last, so every Graph handed to later stages has passed it.

import { inputError } from '../errors.js';
import { M } from '../messages/index.js';
import type { Graph, Node } from './ops.js';
import { inferShapes, type ShapeOptions } from './shapes.js';
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
    default:
      return [];
  }
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
    default:
      return [];
  }
}

/** Checks the graph and returns the shape of every activation. Throws an input error naming the first problem. */
export function validateGraph(graph: Graph, options: ShapeOptions): Map<string, number[]> {
  const { shape } = graph.input;
  if (shape.length < 1 || shape.some((d) => !Number.isInteger(d) || d < 1)) throw inputError(M.noInputShape(graph.input.name));
  const names = new Set<string>();
  for (const node of graph.nodes) {
    if (names.has(node.name)) throw inputError(`node name '${node.name}' is used twice; the graph is malformed`);
    names.add(node.name);
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
    if (node.kind === 'activation' && node.fn.type === 'clip' && !(node.fn.min <= node.fn.max)) {
      throw inputError(M.badNodeShape(node.name, node.sourceOp, `clip min ${node.fn.min} is above max ${node.fn.max}`));
    }
  }
  return inferShapes(graph, options);
}
