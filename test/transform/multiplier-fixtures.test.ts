// Issue 11, "multiplier blocks for feed-forward models too": the tensor-product fixtures of fixtures/recurrent/ (SiLU,
// HardSwish at opsets 13 and 14, a squeeze-and-excitation block, small EfficientNet-B0 and MobileNetV3-small) compile
// exactly. For each, the T-network matches the fixture's float64 reference (the file's own truth for folded exports)
// within 1e-9 of the output scale under fan-in/fan-out (100, 100) and a small limit, through the library and the CLI;
// every Mul of two signal tensors becomes one multiplier per output element (no more: the count is computed from the
// graph), and the multipliers survive the fan-in, fan-out and signal-limit passes with their verifier rules.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importOnnxFile } from '../../src/import/onnx.js';
import { inferShapes } from '../../src/ir/shapes.js';
import { sizeOf } from '../../src/ir/tensor.js';
import type { Graph } from '../../src/ir/ops.js';
import { readTnetJson } from '../../src/io/tnet-json.js';
import { BLOCK } from '../../src/tnet/blocks.js';
import { evaluateTnet } from '../../src/tnet/evaluate.js';
import { verifyTnet } from '../../src/tnet/verify.js';
import { compileGraph } from '../../src/transform/pipeline.js';
import { FIXTURES, maxAbs, maxAbsDiff, runCli } from '../helpers.js';

const DIR = join(FIXTURES, 'recurrent');
const TOL = 1e-9;

interface Fixture {
  model: string;
  opTypes: string[];
  inputs: number[][];
  outputs: number[][];
  fileOutputs?: number[][];
}

/**
 * Small limits per model: (5, 5) where it compiles in a second or so, (16, 16) for the two CNNs. Through the CLI every
 * model compiles under the small limit in `run --stage tnet`; the full `compile` (realization, netlist, report) runs
 * on the four small models (the CNNs' realize half a million resistors and take a minute on a loaded machine).
 */
const CASES: { name: string; small: number; full: boolean; multipliers?: number }[] = [
  { name: 'silu_mlp', small: 5, full: true, multipliers: 6 },
  { name: 'hardswish_mlp_op13', small: 5, full: true, multipliers: 6 },
  { name: 'hardswish_mlp_op14', small: 5, full: true, multipliers: 6 },
  // x [8, 6, 6] times the gate s [8, 1, 1]: one multiplier per element of x.
  { name: 'se_block', small: 5, full: true, multipliers: 288 },
  { name: 'efficientnet_b0_small', small: 16, full: false },
  { name: 'mobilenet_v3_small_small', small: 16, full: false },
];

/** Multipliers the graph needs: one per output element of each Mul between two activations. */
function productsOf(graph: Graph): number {
  const shapes = inferShapes(graph, { maxTensorElements: Number.MAX_SAFE_INTEGER });
  return graph.nodes.filter((n) => n.kind === 'binary' && n.op === 'mul').reduce((k, n) => k + sizeOf(shapes.get(n.output)!), 0);
}

const tmp = mkdtempSync(join(tmpdir(), 'ohmnet-mul-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.each(CASES)('$name', ({ name, small, full, multipliers }) => {
  const fx = JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as Fixture;
  const truth = fx.fileOutputs ?? fx.outputs;
  const scale = maxAbs(truth);
  const path = join(DIR, fx.model);
  const graph = importOnnxFile(path);
  const needed = productsOf(graph);

  it('has products of two activations for the multipliers', () => {
    expect(needed).toBeGreaterThan(0);
    if (multipliers !== undefined) expect(needed).toBe(multipliers);
  });

  it.each([100, small])(`compiles exactly (within ${TOL} of the output scale) under fan-in = fan-out = %i, one multiplier per product`, (limit) => {
    const c = compileGraph(graph, { fanIn: limit, fanOut: limit, calibration: fx.inputs });
    verifyTnet(c.tnet, { fanIn: limit, fanOut: limit });
    const ev = evaluateTnet(c.tnet, fx.inputs);
    expect(maxAbsDiff(ev.outputs, truth) / scale).toBeLessThanOrEqual(TOL);
    expect(c.tnet.neurons.block.filter((b) => b === BLOCK.multiplier).length).toBe(needed);
    expect(c.logical.neurons.block.filter((b) => b === BLOCK.multiplier).length).toBe(needed);
  }, 60_000);

  const samples = join(tmp, `${name}.inputs.json`);
  writeFileSync(samples, JSON.stringify({ inputs: fx.inputs }));

  it(`compiles exactly through the CLI (run --stage tnet, fan-in = fan-out = ${small})`, async () => {
    const r = await runCli(['run', path, '--stage', 'tnet', '--inputs', samples, '--calibration', samples, '--fan-in', String(small), '--fan-out', String(small), '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const got = (JSON.parse(r.stdout) as { outputs: number[][] }).outputs;
    expect(maxAbsDiff(got, truth) / scale).toBeLessThanOrEqual(TOL);
  }, 120_000);

  it.runIf(full)('compiles exactly through the CLI compile: tnet.json against the reference, multipliers counted apart in summary.json', async () => {
    const out = join(tmp, name);
    const r = await runCli(['compile', path, '--calibration', samples, '--fan-in', String(small), '--fan-out', String(small), '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const net = readTnetJson(join(out, 'tnet.json'));
    expect(maxAbsDiff(evaluateTnet(net, fx.inputs).outputs, truth) / scale).toBeLessThanOrEqual(TOL);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.tnet.blocks.multiplier).toBe(needed);
    expect(summary.tnet.neurons + needed).toBe(net.neurons.count);
    expect(summary.realization.multiplierCells.reduce((k: number, c: { count: number }) => k + c.count, 0)).toBe(needed);
    expect(summary.equivalence.calibration.maxAbsError / scale).toBeLessThanOrEqual(TOL);
    const netlist = readFileSync(join(out, 'netlist.cir'), 'utf8');
    expect(netlist.match(/^X\d+ \S+ \S+ n\d+ ohm_mul k=/gm)?.length).toBe(needed);
  }, 180_000);
});
