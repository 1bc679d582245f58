// `ohmnet energy` (issue 12): the figures on the Iris MLP, as text and JSON, naming the op-amp model; bad input is one
// line on stderr and exit 2 (negative slew rate, a rate faster than the network settles, a tolerance of 0, an unknown
// preset, no preset).

import { describe, expect, it } from 'vitest';
import { loadFixture, runCli } from '../helpers.js';

const iris = loadFixture('iris_mlp').path;

describe('ohmnet energy', () => {
  it('prints latency percentiles, energy per inference and per MAC, power at the rate, per-layer figures and the op-amp model', async () => {
    const r = await runCli(['energy', iris, '--opamp-preset', 'fast', '--samples', '4', '--rate-hz', '50e3']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/op-amp model: fast \(Analog Devices AD8605\): GBW 10.0 MHz/);
    expect(r.stdout).toMatch(/rests on this op-amp model; the patent gives no op-amp currents/);
    expect(r.stdout).toMatch(/signal limit 2.5 V/);
    expect(r.stdout).toMatch(/latency \(every output within 0.01 V of DC and the class fixed\): mean [\d.]+ us/);
    expect(r.stdout).toMatch(/energy per inference \(to the latency\): mean [\d.]+ [nu]J/);
    expect(r.stdout).toMatch(/energy per MAC: [\d.]+ [pn]J/);
    expect(r.stdout).toMatch(/at 50.0 kHz \(period 20.0 us\): average power [\d.]+ mW/);
    expect(r.stdout).toMatch(/\/net\/net.4\/Gemm\s+Gemm\s+3\s+3/);
  });

  it('--json carries the same figures and the op-amp record', async () => {
    const r = await runCli(['energy', iris, '--opamp-preset', 'micropower', '--samples', '3', '--json', '--latency-tolerance-v', '0.02']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.opamp.part).toBe('Analog Devices ADA4505-2');
    expect(j.latencyToleranceV).toBe(0.02);
    expect(j.samples).toBe(3);
    expect(j.latencyS.p50).toBeGreaterThan(1e-5);
    expect(j.energyPerMacJ).toBeCloseTo(j.energyPerInferenceJ.mean / j.macs, 25);
    expect(j.powerW).toBeNull();
    expect(j.layers).toHaveLength(3);
  });

  it('--gating prints the schedule, the figures with and without gating and a passing check', async () => {
    const r = await runCli(['energy', iris, '--opamp-preset', 'fast', '--samples', '4', '--rate-hz', '20e3', '--gating']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/power gating \(schedule: each layer off at 1.25 x/);
    expect(r.stdout).toMatch(/held by a sample-and-hold/);
    expect(r.stdout).toMatch(/energy per inference: [\d.]+ nJ without gating, [\d.]+ nJ with gating/);
    expect(r.stdout).toMatch(/at 20.0 kHz: average power [\d.]+ mW without gating, [\d.]+ mW with gating/);
    expect(r.stdout).toMatch(/gating check: PASS on 4 samples/);
    expect(r.stdout).toMatch(/active set after each switch: 0 s\.\.[\d.]+ us: layers 0, 1, 2; .*next switch: none/);
  });

  it('a schedule that gates layers too early fails its check: exit 1', async () => {
    const r = await runCli(['energy', iris, '--opamp-preset', 'fast', '--samples', '4', '--gating', '--gate-margin', '0.3']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/gating check: FAIL on 4 samples .*raise --gate-margin/);
  });

  const bad: [string, string[], RegExp][] = [
    ['a negative slew rate', ['--opamp-preset', 'fast:slew=-1e6'], /--opamp-preset fast: slew=-1e6 is not a positive finite number/],
    ['a rate faster than the network settles', ['--opamp-preset', 'fast', '--rate-hz', '10e6'], /--rate-hz 1e\+7 Hz leaves 0.1 us per inference, but \d+ of 2 samples had not settled/],
    ['a tolerance of 0', ['--opamp-preset', 'fast', '--latency-tolerance-v', '0'], /--latency-tolerance-v 0 V must be a positive voltage/],
    ['an unknown preset', ['--opamp-preset', 'lm741'], /unknown op-amp preset 'lm741'; give --opamp-preset one of generic, micropower, fast/],
    ['no preset', [], /energy needs an op-amp model: pass --opamp-preset/],
    ['a signal limit beyond the supplies', ['--opamp-preset', 'fast', '--signal-limit', '5'], /signal limit 5 V does not fit the supplies of op-amp preset fast.*lower --signal-limit to at most 2.5 V/],
    ['a negative rate', ['--opamp-preset', 'fast', '--rate-hz', '-5'], /--rate-hz -5 must be a positive inference rate/],
    ['a gate margin of 0', ['--opamp-preset', 'fast', '--gating', '--gate-margin', '0'], /--gate-margin 0 must be a positive factor/],
    ['a gate margin without gating', ['--opamp-preset', 'fast', '--gate-margin', '2'], /--gate-margin sets the power-gating schedule; add --gating/],
  ];
  for (const [what, args, message] of bad) {
    it(`refuses ${what}: one line, exit 2`, async () => {
      const r = await runCli(['energy', iris, '--samples', '2', ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    });
  }
});
