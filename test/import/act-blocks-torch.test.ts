// Issue 19's smooth activations as torch 1.13 writes them (fixtures/make_act_blocks.py): nn.ELU, nn.SELU, nn.Softplus
// (beta 1: the Softplus op; beta 2: Mul, Softplus, Div by constants) and nn.Softsign (x / (1 + |x|): Abs, Add, Div,
// read as one Softsign block) in small MLPs with random weights. The imported
// graph's reference must match torch's float64 forward pass (1e-6 relative to the output scale: the file's Selu has
// ONNX's float32 constants, torch uses the float64 ones, a 3e-8 relative difference), and the compiled analog network
// must match that reference within 1e-9 (exact).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importModel } from '../../src/import/index.js';
import { evaluate } from '../../src/reference/evaluate.js';
import { compileGraph } from '../../src/transform/pipeline.js';
import { evaluateTnet } from '../../src/tnet/evaluate.js';
import { maxAbs, maxAbsDiff, ROOT } from '../helpers.js';

const DIR = join(ROOT, 'fixtures/act-blocks');
interface Case { name: string; model: string; inputs: number[][]; outputs: number[][] }
const { cases } = JSON.parse(readFileSync(join(DIR, 'cases.json'), 'utf8')) as { cases: Case[] };

describe.each(cases)('torch $name', (c) => {
  it('imports to torch\'s outputs and compiles exactly', () => {
    const graph = importModel(join(DIR, c.model));
    if (c.name === 'softsign') expect(graph.nodes.filter((n) => n.kind === 'activation' && n.fn.type === 'softsign').map((n) => n.sourceOp)).toEqual(['Softsign', 'Softsign']);
    const xs = c.inputs.map((x) => Float64Array.from(x));
    const ref = evaluate(graph, xs).outputs;
    const scale = Math.max(maxAbs(c.outputs), 1e-12);
    expect(maxAbsDiff(ref, c.outputs) / scale).toBeLessThanOrEqual(1e-6);
    const compiled = compileGraph(graph, { calibration: xs });
    expect(maxAbsDiff(evaluateTnet(compiled.tnet, xs).outputs, ref) / scale).toBeLessThanOrEqual(1e-9);
  });
});
