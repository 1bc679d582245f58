// Issue 20 item 11: the importer is linear. A 100k-node chain imports and inspects in seconds (bench/import-chain.ts
// prints the figures), and the two shapes that were quadratic (30k Dropout nodes with mask outputs: every node
// scanned every other node's inputs; 30k nodes named alike: every name tried every suffix before it) scale linearly.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import onnxProto from 'onnx-proto';
import { importOnnx } from '../../src/import/onnx.js';
import { runCli } from '../helpers.js';
import { chainBytes } from './build.js';

const { onnx } = onnxProto;
const tmp = mkdtempSync(join(tmpdir(), 'ohmnet-chain-'));

/** n Dropout nodes (each with a mask output nobody reads) or n Relu nodes all named 'same', then one Relu. */
function quadraticBefore(n: number, kind: 'dropout' | 'same-name'): Uint8Array {
  const node: onnxProto.onnx.INodeProto[] = [];
  let prev = 'x';
  for (let k = 0; k < n; k++) {
    node.push(kind === 'dropout'
      ? { opType: 'Dropout', name: `d${k}`, input: [prev], output: [`t${k}`, `mask${k}`] }
      : { opType: 'Relu', name: 'same', input: [prev], output: [`t${k}`] });
    prev = `t${k}`;
  }
  node.push({ opType: 'Relu', name: 'same', input: [prev], output: ['y'] });
  return onnx.ModelProto.encode(onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: kind, node,
      input: [{ name: 'x', type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 1 }, { dimValue: 4 }] } } } }],
      output: [{ name: 'y', type: { tensorType: { elemType: 1 } } }],
    },
  })).finish();
}

/** CPU milliseconds of one import (CPU, not wall time: the test machine is shared). */
function importCpuMs(bytes: Uint8Array): number {
  const start = process.cpuUsage();
  importOnnx(bytes, 'chain.onnx');
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

describe('import time is linear in the graph', () => {
  it('a 100k-node chain of Add-constant / Relu imports and inspects', async () => {
    const model = join(tmp, 'chain100k.onnx');
    writeFileSync(model, chainBytes(100_000, 'alternate'));
    const r = await runCli(['inspect', model]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/total\s+100000 layers/);
  }, 120_000);

  it.each(['dropout', 'same-name'] as const)('%s: 10x the nodes cost far less than 100x the time', (kind) => {
    importCpuMs(quadraticBefore(1000, kind)); // warm up the JIT
    const small = importCpuMs(quadraticBefore(3000, kind));
    const large = importCpuMs(quadraticBefore(30_000, kind));
    // Quadratic code gives a ratio near 100 (73 s at 30k before the fix); linear code near 10, with noise.
    expect(large / Math.max(small, 1)).toBeLessThan(35);
    expect(large).toBeLessThan(20_000);
  }, 120_000);
});
