// The trained Iris network (fixtures/synapse-iris/trained-seed1.json, written by `ohmnet train --synapse` with its
// defaults on fixtures/synapse/ptm65.lut.json) as a transistor-level ngspice netlist, bias synapses included
// (src/synapse/spice-agreement.ts), against the LUT model it was trained on, on the first 10 test samples.
// Tolerance on the currents: 0.4 uA. bench/synapse-spice.ts measured 0.268 uA on the outputs and 0.193 uA on the
// hidden neurons over all 30 test samples, the tables' interpolation error (0.046 uA worst per synapse off the
// grid, syn-cells' test) summed over up to 11 synapses and two layers.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ngspiceAvailable } from '../../src/spice/engines/index.js';
import { loadSynapseLut } from '../../src/synapse/characterize.js';
import { spiceAgreement } from '../../src/synapse/spice-agreement.js';
import { readWeightsFile } from '../../src/synapse/weights-file.js';

const here = (p: string) => new URL(`../../${p}`, import.meta.url).pathname;

describe.skipIf(!ngspiceAvailable())('trained synapse network: SPICE vs the LUT model', () => {
  it('agrees in class on 10 test samples, currents within 0.4 uA', async () => {
    const wf = readWeightsFile(here('fixtures/synapse-iris/trained-seed1.json'));
    const set = JSON.parse(readFileSync(here('fixtures/synapse-iris/test.json'), 'utf8')) as { inputs: number[][]; labels: number[] };
    const lut = loadSynapseLut(here('fixtures/synapse/ptm65.lut.json'));
    const a = await spiceAgreement(lut, wf.network, wf.encoding, set.inputs.slice(0, 10), set.labels.slice(0, 10));
    expect(a.samples).toBe(10);
    expect(a.classAgreement).toBe(10);
    expect(a.spiceCorrect).toBe(a.modelCorrect);
    expect(a.maxOutputDiffA).toBeLessThan(0.4e-6);
    expect(a.maxHiddenDiffA).toBeLessThan(0.4e-6);
  }, 120_000);
});
