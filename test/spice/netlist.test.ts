// The netlist: a golden file for a small network (changes are reviewed, not accidental: set OHMNET_UPDATE_GOLDEN=1 to
// accept an intended change, or run `npm run golden:accept`), the conventions of SPEC "Interfaces", and the macro
// model's effect, modelled by the behavioural simulation (test/spice/finite-gain.test.ts has the rest).

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importModel } from '../../src/import/index.js';
import { realize, realizationStats } from '../../src/realize/realize.js';
import { seriesValues } from '../../src/realize/series.js';
import { emitNetlist } from '../../src/spice/emit.js';
import { DEFAULT_IDEAL, parseOpamp } from '../../src/spice/models.js';
import { verifySpice } from '../../src/spice/verify.js';
import { compileGraph } from '../../src/transform/pipeline.js';
import { loadFixture, ROOT } from '../helpers.js';

function realized(name: string, fixed = false) {
  const fx = loadFixture(name);
  const graph = importModel(fx.path);
  const compiled = compileGraph(graph, { calibration: fx.inputs });
  const r = realize(compiled.tnet, {
    setOhm: seriesValues('E24', 1e5, 1e6), setName: 'E24 100k..1M', feedback: fixed ? 'fixed' : 'min-error', rFeedbackOhm: 1e6, feedbackPer: 'layer', toleranceRel: 0, vRefV: 1,
  });
  return { fx, graph, compiled, r };
}

describe('netlist', () => {
  it('matches the golden netlist of the XOR network', () => {
    const { r } = realized('xor', true);
    const text = emitNetlist(r, { opamp: DEFAULT_IDEAL, title: 'xor (fixtures/xor.onnx)' });
    const golden = join(ROOT, 'test', 'golden', 'xor-ideal.cir');
    if (process.env.OHMNET_UPDATE_GOLDEN === '1' || !existsSync(golden)) writeFileSync(golden, text);
    expect(text).toBe(readFileSync(golden, 'utf8'));
  });

  it('follows the conventions: VIN<k> with the DC value last, out<k>, VREF, one .subckt per block kind, a comment per neuron', () => {
    const { fx, compiled, r } = realized('conv1d');
    const volts = fx.inputs[3].map((v) => v * compiled.tnet.inputGain);
    const text = emitNetlist(r, { opamp: DEFAULT_IDEAL, inputVoltages: volts });
    const lines = text.split('\n');
    const vin = lines.filter((l) => /^VIN\d+ /.test(l));
    expect(vin).toHaveLength(64);
    vin.forEach((l, k) => {
      expect(l.startsWith(`VIN${k} in${k} 0 `)).toBe(true);
      expect(Number(l.trim().split(/\s+/).pop())).toBe(volts[k]);
    });
    expect(lines.filter((l) => /^Vout\d+ out\d+ /.test(l))).toHaveLength(10);
    expect(lines.filter((l) => /^VREF vref 0 DC \{vref\}$/.test(l))).toHaveLength(1);
    expect(lines).toContain('.param vrail=5 vref=1 opamp_gain=1000000000');
    expect(lines.filter((l) => l.startsWith('.subckt ')).map((l) => l.split(' ')[1]).filter((c) => !/^ohm_(layer\d+(_\d+)?|network)$/.test(c)).sort()).toEqual(['ohm_opamp', 'ohm_sigmoid']);
    const n = compiled.tnet.neurons.count;
    expect(lines.filter((l) => /^\* neuron \d+: .* of .* '.*'/.test(l))).toHaveLength(n);
    // Every resistor of the realization is in the netlist: pairs, R_n and R_p per neuron, normalizers, gain stages.
    const st = realizationStats(r);
    expect(lines.filter((l) => /^R/.test(l))).toHaveLength(st.resistors);
    expect(text.trimEnd().endsWith('.end')).toBe(true);
  });

  it('is deterministic', () => {
    const a = realized('tiny_mlp');
    const b = realized('tiny_mlp');
    expect(emitNetlist(a.r, { opamp: DEFAULT_IDEAL })).toBe(emitNetlist(b.r, { opamp: DEFAULT_IDEAL }));
  });
});

describe('macro op-amp model', () => {
  it('agrees with the finite-gain behavioural model; its distance from ideal op-amps shrinks as the open-loop gain grows', async () => {
    const { fx, graph, r } = realized('iris_mlp');
    const samples = fx.inputs.slice(0, 20);
    const errs: number[] = [];
    for (const gain of [1e3, 1e4, 1e5, 1e6]) {
      const v = await verifySpice(graph, r, { engine: 'wasm', opamp: parseOpamp(`macro:gain=${gain}`), samples });
      expect(v.passed).toBe(true);
      expect(v.maxVsBehaviouralV).toBeLessThan(1e-8);
      errs.push(v.opampEffectV!);
    }
    // First-order finite-gain error is proportional to 1/A0: each tenfold gain cuts it by about ten.
    for (let k = 1; k < errs.length; k++) {
      expect(errs[k]).toBeLessThan(errs[k - 1]);
      expect(errs[k - 1] / errs[k]).toBeGreaterThan(5);
      expect(errs[k - 1] / errs[k]).toBeLessThan(20);
    }
    expect(errs[0]).toBeGreaterThan(5e-4);
  });
});
