// Issue 20 item 4: the importer refuses what onnx.checker refuses. A tensor name assigned twice (by two nodes, two
// initializers, or a node and an initializer or the graph input) would otherwise let the last writer win silently and
// compile a different network; a node reading a tensor assigned after it is a cycle or an ordering problem, and is
// reported as such. The IR validator applies the same rules to graphs built through the library API.

import { describe, expect, it } from 'vitest';
import { importOnnx } from '../../src/import/onnx.js';
import { validateGraph } from '../../src/ir/validate.js';
import type { Graph, Node } from '../../src/ir/ops.js';
import { isOhmnetError } from '../../src/errors.js';
import { modelBytes, type ModelSpec } from './build.js';

function refusal(spec: ModelSpec): string {
  try {
    importOnnx(modelBytes(spec), 'm.onnx');
  } catch (e) {
    if (isOhmnetError(e)) return e.message;
    throw e;
  }
  throw new Error('the model was accepted');
}

const two = { name: 'two', dims: [], values: [2] };

describe('tensor names are assigned once', () => {
  it('Identity(x)->y; Relu(x)->y; Mul(y, 2) is refused, not compiled as 2x', () => {
    const msg = refusal({
      output: 'z',
      nodes: [
        { op: 'Identity', name: 'id', inputs: ['x'], outputs: ['y'] },
        { op: 'Relu', name: 'relu', inputs: ['x'], outputs: ['y'] },
        { op: 'Mul', inputs: ['y', 'two'], outputs: ['z'] },
      ],
      inits: [two],
    });
    expect(msg).toMatch(/tensor 'y' is assigned by node 'id' and again by node 'relu'.*onnx\.checker/);
  });

  it('two Identities writing one name', () => {
    const msg = refusal({ output: 'y', nodes: [{ op: 'Identity', name: 'a', inputs: ['x'], outputs: ['y'] }, { op: 'Identity', name: 'b', inputs: ['x'], outputs: ['y'] }] });
    expect(msg).toMatch(/tensor 'y' is assigned by node 'a' and again by node 'b'/);
  });

  it('two initializers named alike', () => {
    const msg = refusal({ output: 'z', nodes: [{ op: 'Mul', inputs: ['x', 'c'], outputs: ['z'] }], inits: [{ name: 'c', dims: [], values: [2] }, { name: 'c', dims: [], values: [3] }] });
    expect(msg).toMatch(/tensor 'c' is assigned by an initializer and again by another initializer/);
  });

  it('a node output named like an initializer or like the graph input', () => {
    expect(refusal({ output: 'c', nodes: [{ op: 'Relu', name: 'r', inputs: ['x'], outputs: ['c'] }], inits: [two, { name: 'c', dims: [4] }] }))
      .toMatch(/tensor 'c' is assigned by an initializer and again by node 'r'/);
    expect(refusal({ output: 'x', nodes: [{ op: 'Relu', name: 'r', inputs: ['x'], outputs: ['x'] }] }))
      .toMatch(/tensor 'x' is assigned by the graph input and again by node 'r'/);
  });

  it('a Dropout mask named like another tensor', () => {
    const msg = refusal({ output: 'y', nodes: [{ op: 'Relu', name: 'r', inputs: ['x'], outputs: ['m'] }, { op: 'Dropout', name: 'd', inputs: ['m'], outputs: ['y', 'm'] }] });
    expect(msg).toMatch(/tensor 'm' is assigned by node 'r' and again by node 'd'/);
  });

  it('an initializer also listed as a graph input is legal (a default value), and the model imports', () => {
    const bytes = modelBytes({ output: 'z', nodes: [{ op: 'Mul', inputs: ['x', 'two'], outputs: ['z'] }], inits: [two] });
    expect(importOnnx(bytes, 'm.onnx').nodes).toHaveLength(1);
  });
});

describe('order and cycles', () => {
  it('a node reading a tensor produced later is an ordering problem, not a missing tensor', () => {
    const msg = refusal({ output: 'c', nodes: [{ op: 'Relu', name: 'late', inputs: ['b'], outputs: ['c'] }, { op: 'Relu', name: 'early', inputs: ['x'], outputs: ['b'] }] });
    expect(msg).toMatch(/node 'late' reads 'b' before node 'early' produces it; ONNX nodes must be in topological order/);
    expect(msg).not.toMatch(/which no node produces/);
  });

  it('a cycle is reported as a cycle, through a node on it', () => {
    const msg = refusal({
      output: 'd',
      nodes: [
        { op: 'Relu', name: 'head', inputs: ['x'], outputs: ['a'] },
        { op: 'Add', name: 'loop1', inputs: ['a', 'c'], outputs: ['b'] },
        { op: 'Relu', name: 'loop2', inputs: ['b'], outputs: ['c'] },
        { op: 'Relu', name: 'tail', inputs: ['c'], outputs: ['d'] },
      ],
    });
    expect(msg).toMatch(/the graph has a cycle through node 'loop[12]'/);
  });

  it('a node reading its own output is a cycle', () => {
    expect(refusal({ output: 'y', nodes: [{ op: 'Add', name: 'self', inputs: ['x', 'y'], outputs: ['y'] }] })).toMatch(/cycle through node 'self'/);
  });

  it('a tensor nobody produces is still named as such', () => {
    expect(refusal({ output: 'y', nodes: [{ op: 'Relu', name: 'r', inputs: ['ghost'], outputs: ['y'] }] })).toMatch(/node 'r' reads 'ghost', which no node produces/);
  });
});

describe('validateGraph applies the same rules to library graphs', () => {
  const relu = (name: string, input: string, output: string): Node => ({ kind: 'activation', name, inputs: [input], output, sourceOp: 'Relu', fn: { type: 'relu' } });
  const graph = (nodes: Node[], output: string): Graph => ({ name: 'g', input: { name: 'x', shape: [4] }, output, nodes, origin: 'test' });
  const message = (g: Graph) => {
    try {
      validateGraph(g, { maxTensorElements: 1 << 20 });
    } catch (e) {
      if (isOhmnetError(e)) return e.message;
      throw e;
    }
    return 'accepted';
  };

  it('refuses duplicate outputs, order problems and cycles', () => {
    expect(message(graph([relu('a', 'x', 'y'), relu('b', 'x', 'y')], 'y'))).toMatch(/tensor 'y' is assigned by node 'a' and again by node 'b'/);
    expect(message(graph([relu('a', 'b', 'c'), relu('b', 'x', 'b')], 'c'))).toMatch(/node 'a' reads 'b' before node 'b' produces it/);
    expect(message(graph([relu('a', 'c', 'b'), relu('b', 'b', 'c')], 'c'))).toMatch(/cycle through node '[ab]'/);
    expect(message(graph([relu('a', 'x', 'x')], 'x'))).toMatch(/tensor 'x' is assigned by the graph input/);
    expect(message(graph([relu('a', 'x', 'y'), relu('a', 'y', 'z')], 'z'))).toMatch(/node name 'a' is used twice/);
    expect(message(graph([relu('a', 'x', 'y')], 'y'))).toBe('accepted');
  });
});
