// compile --energy (issue 12): summary.json's energy section (latency percentiles, energy per inference without and
// with power gating, per MAC, power at the rate, per-layer and per-kind breakdown, the op-amp model, one inference's
// waveforms), the power-gating verdict and the report's time-and-energy section; bad input is one line and exit 2.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFixture, runCli } from '../helpers.js';

const iris = loadFixture('iris_mlp').path;
const tmp = mkdtempSync(join(tmpdir(), 'ohmnet-compile-energy-'));

describe('compile --energy', () => {
  it('writes the energy section, the gating verdict and the report section', async () => {
    const out = join(tmp, 'a');
    const r = await runCli(['compile', iris, '-o', out, '--signal-limit', '2.5', '--energy', 'fast', '--rate-hz', '20e3', '--trials', '0']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/energy \(op-amp fast, Analog Devices AD8605; every figure rests on this model\).*with power gating/);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const e = s.energy;
    expect(e.opamp.name).toBe('fast');
    expect(e.dependsOnOpampModel).toMatch(/rests on the op-amp model/);
    expect(e.samples).toBe(20);
    expect(e.latencyS.p50).toBeGreaterThan(0);
    expect(e.latencyS.p99).toBeLessThanOrEqual(e.latencyS.max);
    expect(e.energyPerInferenceGatedJ).toBeLessThan(e.energyPerInferenceJ.mean);
    expect(e.energyPerMacJ).toBeCloseTo(e.energyPerInferenceJ.mean / e.macs, 25);
    expect(e.rateHz).toBe(20e3);
    expect(e.gating.powerW).toBeLessThan(e.powerW);
    expect(e.layers).toHaveLength(3);
    expect(e.kinds.map((k: { kind: string }) => k.kind)).toContain('compute');
    expect(e.gating.check.passed).toBe(true);
    expect(e.waveform.timesS).toHaveLength(200);
    expect(e.waveform.outputsV).toHaveLength(3);
    expect(e.waveform.layerActivityV).toHaveLength(3);
    // With gating the power falls to the holds' and sources' share once every layer is off.
    expect(e.waveform.powerGatedW[199]).toBeLessThan(0.2 * e.waveform.powerW[199]);
    const v = s.verdicts.find((x: { check: string }) => x.check === 'power-gating');
    expect(v).toMatchObject({ pass: true, threshold: 0.01, unit: 'V', on: 'calibration', samples: 20 });
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<section id="energy">');
    expect(html).toMatch(/Every figure here rests on the op-amp model<\/strong> fast/);
    expect(html).toContain('energy-waveform');
    // The project records --energy: `report` re-renders the same page, energy section included.
    expect(JSON.parse(readFileSync(join(out, 'ohmnet.project.json'), 'utf8')).energy).toEqual({ opampPreset: 'fast', rateHz: 20e3 });
    const again = join(tmp, 'again.html');
    const rep = await runCli(['report', out, '-o', again]);
    expect(rep.code, rep.stderr).toBe(0);
    expect(readFileSync(again, 'utf8')).toBe(html);
  });

  const bad: [string, string[], RegExp][] = [
    ['an unknown preset', ['--energy', 'lm741'], /unknown op-amp preset 'lm741'; give --energy one of generic, micropower, fast/],
    ['a negative slew rate', ['--energy', 'fast:slew=-1'], /--energy fast: slew=-1 is not a positive finite number/],
    ['a signal limit beyond the supplies', ['--energy', 'fast'], /signal limit 5 V does not fit the supplies of op-amp preset fast/],
    ['a rate without --energy', ['--rate-hz', '1e3'], /compile --rate-hz is the inference rate of the energy figures; add --energy/],
  ];
  for (const [what, args, message] of bad) {
    it(`refuses ${what}: one line, exit 2`, async () => {
      const r = await runCli(['compile', iris, '-o', join(tmp, 'bad'), '--trials', '0', ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    });
  }
});
