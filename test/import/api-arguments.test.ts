// Issue 20, library API: bad arguments to the importer, the IR validator and the sample reader throw OhmnetError
// (an input or usage error naming the argument), never a TypeError from deep inside.

import { describe, expect, it } from 'vitest';
import { importModel } from '../../src/import/index.js';
import { importOnnx, importOnnxFile, parseShapeOption } from '../../src/import/onnx.js';
import { inferNodeShape, inferShapes, macsOf } from '../../src/ir/shapes.js';
import { validateGraph } from '../../src/ir/validate.js';
import { readSamples } from '../../src/io/samples.js';
import { loadConfig } from '../../src/config/load.js';
import { isOhmnetError } from '../../src/errors.js';
import type { Graph, Node } from '../../src/ir/ops.js';
import { loadFixture } from '../helpers.js';
import { modelBytes } from './build.js';

/** The call must throw an OhmnetError whose message matches `re`. */
function expectOhmnetError(call: () => unknown, re: RegExp): void {
  let thrown: unknown = null;
  try {
    call();
  } catch (e) {
    thrown = e;
  }
  expect(isOhmnetError(thrown), `threw ${String(thrown)}`).toBe(true);
  expect((thrown as Error).message).toMatch(re);
}

const bad = <T>(v: unknown) => v as T;
const relu: ModelBytes = modelBytes({ output: 'y', nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'] }] });
type ModelBytes = Uint8Array;

describe('importer arguments', () => {
  it.each([
    ['null', null], ['a string', 'model.onnx'], ['an object', {}], ['a number array', [1, 2, 3]], ['undefined', undefined],
  ])('importOnnx(%s) is an OhmnetError', (_, v) => {
    expectOhmnetError(() => importOnnx(bad<Uint8Array>(v), 'm'), /importOnnx needs the model bytes as a Uint8Array/);
  });

  it('importModel and importOnnxFile of a non-string or empty path', () => {
    for (const v of [null, 42, {}, undefined]) expectOhmnetError(() => importModel(bad<string>(v)), /the model path must be a string/);
    expectOhmnetError(() => importOnnxFile(''), /a file path must be a non-empty string/);
  });

  it('bad import options', () => {
    expectOhmnetError(() => importOnnx(relu, 'm', bad(null)), /the import options must be an object, got null/);
    expectOhmnetError(() => importOnnx(relu, 'm', bad('x')), /the import options must be an object/);
    for (const v of [0, -1, 1.5, NaN, Infinity, '10']) expectOhmnetError(() => importOnnx(relu, 'm', { maxTensorElements: bad<number>(v) }), /maxTensorElements must be a positive integer/);
    expectOhmnetError(() => importOnnx(relu, 'm', { inputShape: bad('4') }), /inputShape is string/);
    expectOhmnetError(() => importOnnx(relu, 'm', { inputShape: [] }), /inputShape is an array with no dimensions/);
    expectOhmnetError(() => importOnnx(relu, 'm', { inputShape: [0] }), /inputShape has the dimension 0/);
    expectOhmnetError(() => importOnnx(relu, 'm', { inputShape: [bad<number>('4')] }), /inputShape has the dimension 4/);
    expectOhmnetError(() => parseShapeOption(bad<string>(42)), /inputShape '42' is not a list of positive integers/);
    // A label that is not a string is only a label.
    expect(importOnnx(relu, bad<string>(7)).nodes).toHaveLength(1);
  });
});

describe('validateGraph and shape functions on malformed graphs', () => {
  const fc = (): Node => ({
    kind: 'dense', name: 'fc', inputs: ['x'], output: 'y', sourceOp: 'Gemm',
    weight: { shape: [2, 4], data: new Float64Array(8) }, bias: null,
  });
  const graph = (nodes: unknown[]): Graph => bad<Graph>({ name: 'g', input: { name: 'x', shape: [4] }, output: 'y', nodes, origin: 'test' });
  const opts = { maxTensorElements: 1 << 20 };

  it('accepts a well-formed graph', () => {
    expect(validateGraph(graph([fc()]), opts).get('y')).toEqual([2]);
  });

  it('a weight shorter than its shape is refused', () => {
    const n = { ...fc(), weight: { shape: [2, 4], data: new Float64Array(7) } };
    expectOhmnetError(() => validateGraph(graph([n]), opts), /node 'fc' weight\.data must be a Float64Array of 8 values, got a Float64Array of 7/);
  });

  it.each([
    ['null graph', null, /graph must be an object, got null/],
    ['nodes not an array', { ...graph([]), nodes: 3 }, /nodes must be an object, got 3/],
    ['no input shape', { ...graph([]), input: { name: 'x' } }, /input\.shape must be an array/],
    ['unknown kind', graph([{ ...fc(), kind: 'lstm' }]), /nodes\[0\]\.kind must be one of dense, conv/],
    ['a node that is null', graph([null]), /nodes\[0\] must be an object, got null/],
    ['inputs not an array', graph([{ ...fc(), inputs: 'x' }]), /node 'fc' inputs must be an object/],
    ['weight data a plain array', graph([{ ...fc(), weight: { shape: [2, 4], data: new Array(8).fill(0) } }]), /weight\.data must be a Float64Array/],
    ['a fractional shape', graph([{ ...fc(), weight: { shape: [2, 4.5], data: new Float64Array(9) } }]), /weight\.shape values must be integers, got 4\.5/],
    ['an activation without fn', graph([{ kind: 'activation', name: 'a', inputs: ['x'], output: 'y', sourceOp: 'Relu' }]), /node 'a' fn must be an object/],
    ['a clip without bounds', graph([{ kind: 'activation', name: 'a', inputs: ['x'], output: 'y', sourceOp: 'Clip', fn: { type: 'clip' } }]), /node 'a' fn\.min must be a number/],
    ['an output nobody produces', { ...graph([fc()]), output: 'z' }, /the graph output reads 'z', which no node produces/],
  ])('%s', (_, g, re) => {
    expectOhmnetError(() => validateGraph(g as Graph, opts), re as RegExp);
    expectOhmnetError(() => inferShapes(g as Graph, opts), re as RegExp);
  });

  it('bad options', () => {
    expectOhmnetError(() => validateGraph(graph([fc()]), bad(undefined)), /the shape options must be an object/);
    expectOhmnetError(() => validateGraph(graph([fc()]), { maxTensorElements: -5 }), /maxTensorElements must be a positive integer/);
  });

  it('inferNodeShape and macsOf check their arguments', () => {
    expectOhmnetError(() => inferNodeShape(bad<Node>({ kind: 'dense' }), [[4]]), /name must be a non-empty string/);
    expectOhmnetError(() => inferNodeShape(fc(), bad([4])), /node 'fc' input shape 0 must be an array/);
    expectOhmnetError(() => macsOf(fc(), bad(null), [2]), /input shape 0 must be an array/);
    expect(macsOf(fc(), [4], [2])).toBe(8);
    expect(inferNodeShape(fc(), [[4]])).toEqual([2]);
  });
});

describe('readSamples and loadConfig arguments', () => {
  const samples = loadFixture('tiny_mlp').path.replace('.onnx', '.json');

  it('a non-string path or a bad shape', () => {
    expectOhmnetError(() => readSamples(bad<string>(null), [3]), /a file path must be a non-empty string, got object/);
    expectOhmnetError(() => readSamples(samples, bad(null)), /readSamples needs the per-sample input shape/);
    expectOhmnetError(() => readSamples(samples, [0]), /readSamples needs the per-sample input shape/);
    expectOhmnetError(() => loadConfig(bad<string>(undefined)), /loadConfig needs the config file's path as a string/);
    expect(readSamples(samples, [3]).length).toBeGreaterThan(0);
  });
});
