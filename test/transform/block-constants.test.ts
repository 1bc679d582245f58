// Fixed block constants (presets/blocks.ts, transform/block-constants.ts): with the patent's sigmoid (A = -0.1,
// B = 11.3) and tanh (A = 0.1, B = -10.1) blocks every sigmoid/tanh neuron carries exactly those constants, the network
// stays exact (within 1e-9 of the output scale; the folding is a re-scaling, errors ~1e-15), every summator stays
// within the rails on the calibration data, and constants no summator can drive are refused naming the neuron.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importModel } from '../../src/import/index.js';
import { PATENT_SIGMOID, PATENT_TANH } from '../../src/presets/blocks.js';
import { evaluateTnet } from '../../src/tnet/evaluate.js';
import { ACT } from '../../src/tnet/types.js';
import { verifyTnet } from '../../src/tnet/verify.js';
import { compileGraph } from '../../src/transform/pipeline.js';
import { FIXTURES, maxAbs, maxAbsDiff, runCli } from '../helpers.js';

const DIR = join(FIXTURES, 'recurrent');
const load = (name: string) => JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as { model: string; inputs: number[][]; outputs: number[][] };

describe.each(['lstm_seq_bf', 'gru_lbr0', 'gru_lbr1', 'rnn_tanh_last_bf'])('the patent blocks on %s', (name) => {
  const fx = load(name);
  const graph = importModel(join(DIR, fx.model));
  it('fixes every sigmoid and tanh block and stays exact and within the rails', () => {
    const c = compileGraph(graph, { fanIn: 16, fanOut: 16, calibration: fx.inputs, sigmoidBlock: PATENT_SIGMOID, tanhBlock: PATENT_TANH });
    verifyTnet(c.tnet, { fanIn: 16, fanOut: 16 });
    const n = c.tnet.neurons;
    let fixed = 0;
    for (let i = 0; i < n.count; i++) {
      if (n.activation[i] === ACT.sigmoid) expect([n.paramA[i], n.paramB[i]]).toEqual([-0.1, 11.3]);
      if (n.activation[i] === ACT.tanh) expect([n.paramA[i], n.paramB[i]]).toEqual([0.1, -10.1]);
      if (n.activation[i] === ACT.sigmoid || n.activation[i] === ACT.tanh) fixed++;
    }
    expect(fixed).toBeGreaterThan(0);
    expect(c.passes.map((p) => p.pass)).toContain('block-constants');
    const ev = evaluateTnet(c.tnet, fx.inputs, { collectStats: true });
    expect(ev.stats!.railHits).toBe(0);
    for (let i = 0; i < n.count; i++) expect(ev.stats!.preMaxAbs[i]).toBeLessThanOrEqual(5 * (1 + 1e-12));
    expect(maxAbsDiff(ev.outputs, fx.outputs) / maxAbs(fx.outputs)).toBeLessThan(1e-9);
  });
});

describe('block constants from the CLI', () => {
  const fx = load('lstm_seq_bf');
  const inputs = join(DIR, 'lstm_seq_bf.json');
  it('run --stage tnet with the patent blocks gives the reference outputs', async () => {
    const r = await runCli(['run', join(DIR, fx.model), '--stage', 'tnet', '--inputs', inputs, '--calibration', inputs, '--sigmoid-block', 'patent', '--tanh-block', '-0.5,2', '--json']);
    expect(r.stderr).toBe('');
    expect(maxAbsDiff((JSON.parse(r.stdout) as { outputs: number[][] }).outputs, fx.outputs) / maxAbs(fx.outputs)).toBeLessThan(1e-9);
  });
  it('refuses constants no summator within the rails can drive, naming the neuron (exit 2, one line)', async () => {
    const r = await runCli(['run', join(DIR, fx.model), '--stage', 'tnet', '--inputs', inputs, '--calibration', inputs, '--sigmoid-block', '1,0.001']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/fixed block constants cannot be met: neuron \d+ .* B = 0.001; choose a block with a larger \|B\| \(--sigmoid-block, --tanh-block\)/);
  });
  it('refuses a block that is not a preset or A,B', async () => {
    const r = await runCli(['run', join(DIR, fx.model), '--stage', 'tnet', '--inputs', inputs, '--tanh-block', 'steep']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--tanh-block 'steep' is not a block: give a preset \(patent\) or A,B/);
  });
});
