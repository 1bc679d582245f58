// The patent's XOR example (FIG. 6C and its table TABLE-US-00001): E24 over 100k..1M, R_f = 1M.
// Every weight the patent realizes with a non-zero value gets exactly the patent's (R-, R+) pair. The five biases
// (-0.002 .. 0) have no non-zero realization in E24 closer than 0 (the smallest is 1/0.91M - 1/1M = 0.099): the
// patent realizes 0 with (0.1 MΩ, 0.1 MΩ); ohmnet with an open circuit (the same value, without two resistors).

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importModel } from '../../src/import/index.js';
import { normalizerOhm } from '../../src/realize/circuit.js';
import { realize } from '../../src/realize/realize.js';
import { seriesValues } from '../../src/realize/series.js';
import { compileGraph } from '../../src/transform/pipeline.js';
import { loadFixture, runCli } from '../helpers.js';

// [name, target, R- (MΩ), R+ (MΩ), realized] from the patent's table.
const TABLE: [string, number, number, number, number][] = [
  ['N1_w1', -0.9824321, 0.36, 0.56, -0.992063], ['N1_w2', 0.976517, 0.56, 0.36, 0.992063], ['N1_bias', -0.00204677, 0.1, 0.1, 0],
  ['N2_w1', 1.0066702, 0.43, 0.3, 1.007752], ['N2_w2', -1.0101418, 0.18, 0.22, -1.010101], ['N2_bias', -0.00045485, 0.1, 0.1, 0],
  ['N3_w1', 1.0357606, 0.91, 0.47, 1.028758], ['N3_w2', 1.0072469, 0.43, 0.3, 1.007752], ['N3_bias', -0.00483723, 0.1, 0.1, 0],
  ['N4_w1', -0.07376373, 0.91, 1.0, -0.098901], ['N4_w2', -0.7682612, 0.3, 0.39, -0.769231], ['N4_bias', 0, 0.1, 0.1, 0],
  ['N5_w1', 1.0029935, 0.43, 0.3, 1.007752], ['N5_w2', -1.1994369, 0.3, 0.47, -1.205674], ['N5_bias', -0.00147767, 0.1, 0.1, 0],
];

describe("the patent's XOR network, E24 100k..1M, R_f = 1M", () => {
  const fx = loadFixture('xor');
  const graph = importModel(fx.path);
  const compiled = compileGraph(graph, { fanIn: 100, fanOut: 100, signalLimitV: 5, calibration: fx.inputs });
  const net = compiled.tnet;
  const r = realize(net, { setOhm: seriesValues('E24', 1e5, 1e6), setName: 'E24', feedback: 'fixed', rFeedbackOhm: 1e6, feedbackPer: 'layer', toleranceRel: 0, vRefV: 1 });

  it('compiles to the five neurons N1..N5 with the patent weights (float32)', () => {
    expect(net.neurons.count).toBe(5);
    expect(net.inputGain).toBe(1);
    expect(Array.from(net.neurons.weight)).toEqual(TABLE.filter((t) => !t[0].endsWith('bias')).map((t) => Math.fround(t[1])));
  });

  it('realizes every non-zero-valued weight with exactly the patent pair', () => {
    const n = net.neurons;
    const weights = TABLE.filter((t) => !t[0].endsWith('bias'));
    weights.forEach(([name, , rMinus, rPlus, value], e) => {
      expect([name, r.rMinusOhm[e] / 1e6, r.rPlusOhm[e] / 1e6]).toEqual([name, rMinus, rPlus]);
      // The patent's realized value assumes an exact normalizer: R_f/R+ - R_f/R-.
      expect(1e6 / r.rPlusOhm[e] - 1e6 / r.rMinusOhm[e]).toBeCloseTo(value, 6);
      // The circuit's normalizer is built of E24 values (buildable), so G+ and G- differ by what their rounding
      // leaves; the realized weight is the differential amplifier's exact gain for that mismatch,
      // R_f/R+ (G-/G+) - R_f/R-.
      const i = [...Array(n.count).keys()].find((k) => e >= n.rowPtr[k] && e < n.rowPtr[k + 1])!;
      let gp = 1 / r.rFeedbackOhm[i] + 1 / normalizerOhm(r.rNormPlusOhm[i], r.normPlusCount[i], r.rNormPlus2Ohm[i]);
      let gm = 1 / r.rFeedbackOhm[i] + 1 / normalizerOhm(r.rNormMinusOhm[i], r.normMinusCount[i], r.rNormMinus2Ohm[i]);
      for (let k = n.rowPtr[i]; k < n.rowPtr[i + 1]; k++) {
        gp += 1 / r.rPlusOhm[k];
        gm += 1 / r.rMinusOhm[k];
      }
      // One or two E24 values per side (or two against one) leave at most 2.9e-4 here; one value alone left up to ~5%.
      expect(Math.abs(gm / gp - 1)).toBeLessThan(1e-3);
      expect(r.weight[e]).toBeCloseTo((1e6 / r.rPlusOhm[e]) * (gm / gp) - 1e6 / r.rMinusOhm[e], 12);
    });
    expect(n.rowPtr[n.count]).toBe(weights.length);
  });

  it('realizes the biases as 0 (open circuits), the value the patent\'s (0.1, 0.1) pairs give', () => {
    for (let i = 0; i < 5; i++) {
      expect(r.rBiasPlusOhm[i]).toBe(Infinity);
      expect(r.rBiasMinusOhm[i]).toBe(Infinity);
      expect(r.bias[i]).toBe(0);
    }
  });

  it('the CLI writes the same pairs to resistors.csv', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ohmnet-xor-')), 'out');
    const res = await runCli(['compile', fx.path, '-o', out, '--resistors', 'E24', '--r-min', '100k', '--r-max', '1M', '--r-feedback', '1M', '--calibration', fx.path.replace('.onnx', '.json')]);
    expect(res.code).toBe(0);
    const rows = readFileSync(join(out, 'resistors.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')).filter((c) => c[2] === 'weight');
    expect(rows.map((c) => [Number(c[6]) / 1e6, Number(c[7]) / 1e6])).toEqual(TABLE.filter((t) => !t[0].endsWith('bias')).map((t) => [t[3], t[2]]));
  });
});
