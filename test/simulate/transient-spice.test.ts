// SPICE cross-validation of the behavioural transient (spice/transient-check.ts, issue 12): the same inference in
// ngspice's `.tran` (the Debian binary and the eecircuit-engine wasm build) with the transient macro op-amp cell (single
// pole, smooth slew clamp, output held within the supplies, output current mirrored into VDD/VSS), against the
// behavioural transient on the Iris MLP: output waveforms within 1e-3 of the signal limit after settling, latency and
// energy per inference within 5% (measured: below 1%; the difference is the slew clamp's rounding, the SPICE read grid
// of 400 points and ngspice's step control). The digits CNN is compared in bench/transient.ts.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importModel } from '../../src/import/index.js';
import { realize } from '../../src/realize/realize.js';
import { seriesValues } from '../../src/realize/series.js';
import { simulateTransient } from '../../src/simulate/transient.js';
import { compareTransients, spiceTransient, transientOpampCell, transientSpiceNetlist } from '../../src/spice/transient-check.js';
import { createEngine, ngspiceAvailable, type SpiceEngine } from '../../src/spice/engines/index.js';
import { compileGraph } from '../../src/transform/pipeline.js';
import { DYNAMIC_OPAMPS } from '../../src/presets/opamps.js';
import { loadFixture } from '../helpers.js';

const E96 = { setOhm: seriesValues('E96', 1e5, 1e6), setName: 'E96 100k..1M', feedback: 'min-error' as const, feedbackPer: 'layer' as const, toleranceRel: 0, vRefV: 1 };
const S = 2.5;
const fx = loadFixture('iris_mlp');
const r = realize(compileGraph(importModel(fx.path), { calibration: fx.inputs, signalLimitV: S }).tnet, E96);
const HAS_NGSPICE = ngspiceAvailable();
const engines: Record<string, SpiceEngine> = {};

beforeAll(async () => {
  engines.wasm = await createEngine('wasm');
  if (HAS_NGSPICE) engines.ngspice = await createEngine('ngspice');
});
afterAll(async () => {
  for (const e of Object.values(engines)) await e.dispose?.();
});

/** The behavioural transient of one inference with its output waveform at every accepted step. */
function behavioural(preset: string, prev: ArrayLike<number>, x: ArrayLike<number>) {
  const op = DYNAMIC_OPAMPS[preset];
  const times: number[] = [];
  const outputs: number[][] = [];
  const res = simulateTransient(r, [{ initial: prev, patterns: [x] }], {
    opamp: op, latencyToleranceV: 0.01,
    onStep: (t, v, lanes) => {
      times.push(t);
      outputs.push(Array.from(r.tnet.outputSignal, (s) => v[s * lanes]));
    },
  });
  const inf = res.inferences[0][0];
  return { op, times, outputs, latencyS: inf.latencyS, energyJ: inf.toOutput.totalJ };
}

describe('the transient op-amp cell', () => {
  it('carries the slew limit, the supply clamp and the supply-current mirrors; the netlist has the preset\'s supplies', () => {
    const cell = transientOpampCell(DYNAMIC_OPAMPS.fast).join('\n');
    expect(cell).toMatch(/^Bint 0 pole I = .*sqrt.*-[0-9.e+]+\*\(max\(v\(pole\)-\(2.5\),0\)-max\(\(-2.5\)-v\(pole\),0\)\)/m);
    expect(cell).toMatch(/^Bsrc vdd 0 I = max\(/m);
    expect(cell).toMatch(/^Bsnk 0 vss I = max\(/m);
    const netlist = transientSpiceNetlist(r, DYNAMIC_OPAMPS.fast);
    expect(netlist).toMatch(/^VDD vdd 0 DC 2.5$/m);
    expect(netlist).toMatch(/^VSS vss 0 DC -2.5$/m);
    expect(netlist.match(/^\.subckt ohm_opamp /gm)).toHaveLength(1);
  });
});

const CASES: { engine: 'ngspice' | 'wasm'; preset: string; pairs: [number, number][] }[] = [
  { engine: 'ngspice', preset: 'fast', pairs: [[1, 0], [0, 2]] },
  { engine: 'ngspice', preset: 'micropower', pairs: [[1, 0]] },
  { engine: 'wasm', preset: 'generic', pairs: [[1, 0]] },
];

describe.each(CASES)('$engine .tran, $preset preset, Iris MLP', ({ engine, preset, pairs }) => {
  const skip = engine === 'ngspice' && !HAS_NGSPICE;
  it.skipIf(skip)('agrees with the behavioural transient: waveforms after settling, latency, energy per inference', async () => {
    for (const [a, b] of pairs) {
      const beh = behavioural(preset, fx.inputs[a], fx.inputs[b]);
      const spice = await spiceTransient(engines[engine], r, fx.inputs[a], fx.inputs[b], { opamp: beh.op, latencyToleranceV: 0.01, stopTimeS: 2 * beh.times[beh.times.length - 1] });
      expect(spice.engine).toBe(engine);
      const agree = compareTransients(beh, spice);
      expect(agree.settledMaxDiffV, `sample ${b} after ${a}`).toBeLessThan(1e-3 * S);
      expect(Math.abs(agree.latencyRel), `sample ${b} after ${a}`).toBeLessThan(0.05);
      expect(Math.abs(agree.energyRel), `sample ${b} after ${a}`).toBeLessThan(0.05);
      // The supplies carry most of the energy (the rest: V_ref and the inputs).
      expect(spice.supplyToOutputJ).toBeGreaterThan(0.5 * spice.energyToOutputJ);
    }
  });
});
