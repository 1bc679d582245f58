// `ohmnet train --synapse lut:FILE` (src/cli/train-synapse.ts; issue 16) on the committed LUT of our cells
// (fixtures/synapse/ptm65.lut.json): a short run writes the weight levels and the accuracies; bad input (a LUT file
// that fails to load, a weights file off the levels, a model argument with --synapse) is one line, exit 2.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'ohmnet-syn-train-'));
const lut = join(ROOT, 'fixtures', 'synapse', 'ptm65.lut.json');
const iris = (s: string) => join(ROOT, 'fixtures', 'synapse-iris', `${s}.json`);
const base = ['train', '--synapse', `lut:${lut}`, '--data', iris('train'), '--validation', iris('validation'), '--test', iris('test')];

describe('ohmnet train --synapse', () => {
  it('trains, writes the weight levels and the accuracies, and a second run from them starts there', async () => {
    const out = join(tmp, 'w.json');
    const r = await runCli([...base, '--iterations', '4', '--hidden', '5', '--current-scale-a', '10e-6', '--input-high-a', '30e-6', '--monte-carlo', '2', '--area-scales', '1,1.5', '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/trained a 4-5-3 network of non-linear synapses on ptm65.lut.json with 90 samples/);
    expect(r.stdout).toMatch(/Newton \(from Vcc\/2, tolerance 1e-9 V\): at most \d+ updates/);
    expect(r.stdout).toMatch(/test accuracy under device mismatch \(2 chips per area scale/);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(doc.format).toBe('ohmnet-synapse-weights');
    expect(doc.sizes).toEqual([4, 5, 3]);
    expect(doc.encoding).toEqual({ inputHighA: 30e-6, biasA: 30e-6, currentScaleA: 10e-6 });
    expect(doc.weights[0]).toHaveLength(25);
    expect(doc.weights[1]).toHaveLength(18);
    for (const w of doc.weights.flat()) expect(doc.weightLevels).toContain(w);
    expect(doc.accuracy.test.samples).toBe(30);
    expect(doc.newton.trainSetUnconverged).toBe(0);
    expect(doc.monteCarlo.map((m: { areaScale: number }) => m.areaScale)).toEqual([1, 1.5]);
    const again = await runCli([...base, '--iterations', '0', '--weights', out, '-o', join(tmp, 'w2.json'), '--json']);
    expect(again.code).toBe(0);
    const j = JSON.parse(again.stdout);
    expect(j.accuracy.test).toEqual(doc.accuracy.test);
    expect(JSON.parse(readFileSync(join(tmp, 'w2.json'), 'utf8')).weights).toEqual(doc.weights);
  });

  const bad = async (args: string[], re: RegExp) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(re);
  };

  it('refuses a weights file with a weight off the levels', async () => {
    const w = join(tmp, 'off.json');
    const layer0 = Array.from({ length: 15 }, (_, k) => (k === 7 ? 1.5 : 0));
    writeFileSync(w, JSON.stringify({ format: 'ohmnet-synapse-weights', version: 1, sizes: [4, 3], weightLevels: [-4, -3, -2, -1, 0, 1, 2, 3, 4], encoding: { inputHighA: 3e-5, biasA: 3e-5, currentScaleA: 5e-5 }, weights: [layer0] }));
    await bad([...base, '--weights', w, '-o', join(tmp, 'x.json')], /weight 7 of layer 0 of the starting \(off.json\) weights is 1.5, not a level of the weight generator \(integers -4..4\)/);
  });

  it('refuses a LUT file that fails to load, an unknown spec, a model argument and model-only options', async () => {
    const notLut = join(tmp, 'not-lut.json');
    writeFileSync(notLut, '{"format": "something-else"}');
    await bad(['train', '--synapse', `lut:${notLut}`, '--data', iris('train'), '-o', join(tmp, 'x.json')], /not-lut.json/);
    const other = JSON.parse(readFileSync(lut, 'utf8'));
    other.netlistSha256 = '0'.repeat(64);
    const otherPath = join(tmp, 'other.lut.json');
    writeFileSync(otherPath, JSON.stringify(other));
    await bad(['train', '--synapse', `lut:${otherPath}`, '--data', iris('train'), '-o', join(tmp, 'x.json')], /different netlist|other netlist|netlist/);
    const coarse = JSON.parse(readFileSync(lut, 'utf8'));
    coarse.grid.nV = 4;
    const coarsePath = join(tmp, 'coarse.lut.json');
    writeFileSync(coarsePath, JSON.stringify(coarse));
    await bad(['train', '--synapse', `lut:${coarsePath}`, '--data', iris('train'), '-o', join(tmp, 'x.json')], /nV|coarse|points/);
    await bad(['train', '--synapse', 'spice:x', '--data', iris('train'), '-o', join(tmp, 'x.json')], /unknown synapse 'spice:x'; give --synapse lut:FILE/);
    await bad(['train', 'model.onnx', '--synapse', `lut:${lut}`, '--data', iris('train'), '-o', join(tmp, 'x.json')], /--synapse trains a network of the circuit's own synapses, not a model: drop the model argument 'model.onnx'/);
    await bad([...base, '--epochs', '3', '-o', join(tmp, 'x.json')], /--epochs applies to training a model, not to --synapse/);
    await bad([...base, '--lr', '-2', '-o', join(tmp, 'x.json')], /--lr -2 must be a positive finite number/);
    await bad(['train', '--data', iris('train'), '-o', join(tmp, 'x.onnx')], /train needs a model file to fine-tune .* or --synapse lut:FILE/);
  });
});
