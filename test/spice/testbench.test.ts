// testbench.cir (issue 10: "ngspice -b testbench.cir exits 0 and prints every output"): compile writes it beside
// netlist.cir; the real ngspice binary runs it from another directory (the include is relative to the deck), and
// every printed output of every sample agrees with the behavioural simulation of the realized circuit.

import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runFlow } from '../../src/flow/index.js';
import { importModel } from '../../src/import/index.js';
import { testbenchText } from '../../src/spice/testbench.js';
import { FIXTURES, loadFixture, runCli } from '../helpers.js';

const NGSPICE = '/usr/bin/ngspice';
const tmp = mkdtempSync(join(tmpdir(), 'ohmnet-testbench-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The printed v(out<k>) per sample: "sample <s>" lines, then "v(out<k>) = <value>" lines. */
function printed(stdout: string): Map<number, Map<number, number>> {
  const out = new Map<number, Map<number, number>>();
  let cur: Map<number, number> | undefined;
  for (const line of stdout.split('\n')) {
    const s = /^sample (\d+)\s*$/.exec(line);
    if (s) out.set(Number(s[1]), (cur = new Map()));
    const v = /^v\(out(\d+)\) = (\S+)\s*$/.exec(line);
    if (v && cur) cur.set(Number(v[1]), Number(v[2]));
  }
  return out;
}

describe('testbench.cir', () => {
  it('compile writes it; ngspice -b runs it (moved to another folder), exits 0 and prints every output of every sample as the behavioural simulation expects', async () => {
    const fx = loadFixture('iris_mlp');
    const json = join(FIXTURES, 'iris_mlp.json');
    const out = join(tmp, 'iris');
    const count = 7;
    const r = await runCli(['compile', fx.path, '-o', out, '--calibration', json, '--test', json, '--samples', String(count), '--trials', '0']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/netlist\.cir, testbench\.cir, report\.html/);
    const deck = readFileSync(join(out, 'testbench.cir'), 'utf8');
    expect(deck).toMatch(/^\.include netlist\.cir$/m);
    expect(deck).toMatch(new RegExp(`samples: the first ${count} of \\d+ test samples \\(iris_mlp\\.json\\)`));
    // The folder can be moved: the include is relative to the deck, and ngspice runs from elsewhere.
    const moved = join(tmp, 'moved');
    cpSync(out, moved, { recursive: true });
    const run = spawnSync(NGSPICE, ['-b', join(moved, 'testbench.cir')], { cwd: tmp, encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    const values = printed(run.stdout);
    expect([...values.keys()]).toEqual(Array.from({ length: count }, (_, s) => s));

    // The behavioural realized circuit on the same samples (the same compile, in-process).
    const graph = importModel(fx.path);
    const flow = await runFlow(graph, { calibration: fx.inputs, test: fx.inputs }, ['realize']);
    const net = flow.requireRealization().realized.tnet;
    const behavioural = flow.realizedEvaluation(flow.evaluation);
    const expected = deck.split('\n').filter((l) => l.startsWith('* sample ')).map((l) => [...l.matchAll(/v\(out(\d+)\) = (\S+?)(,|$)/g)].map((m) => Number(m[2])));
    expect(expected).toHaveLength(count);
    // Tolerance 1e-4 V: the SPICE verification's own bar is 1e-4 of the signal limit (5e-4 V); the ideal op-amp's
    // finite gain (1e9) times a neuron's noise gain leaves ~1e-7..1e-6 V, and ngspice prints 12 digits here.
    for (let s = 0; s < count; s++) {
      const v = values.get(s)!;
      expect(v.size).toBe(net.outputSignal.length);
      for (let k = 0; k < net.outputSignal.length; k++) {
        const want = behavioural.analog[s][k] / net.outputScale[k];
        expect(expected[s][k]).toBe(want);
        expect(Math.abs(v.get(k)! - want)).toBeLessThanOrEqual(1e-4);
      }
    }
  }, 120_000);

  it('with --opamp macro, the expected values are the finite-gain behavioural simulation, and ngspice prints them', async () => {
    const fx = loadFixture('iris_mlp');
    const json = join(FIXTURES, 'iris_mlp.json');
    const out = join(tmp, 'iris-macro');
    const count = 5;
    const r = await runCli(['compile', fx.path, '-o', out, '--calibration', json, '--samples', String(count), '--trials', '0', '--opamp', 'macro:gain=1000']);
    expect(r.code, r.stderr).toBe(0);
    const deck = readFileSync(join(out, 'testbench.cir'), 'utf8');
    expect(deck).toMatch(/expected: .*macro op-amps at DC: open-loop gain A0 1000/);
    const run = spawnSync(NGSPICE, ['-b', join(out, 'testbench.cir')], { cwd: tmp, encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    const values = printed(run.stdout);
    const expected = deck.split('\n').filter((l) => l.startsWith('* sample ')).map((l) => [...l.matchAll(/v\(out(\d+)\) = (\S+?)(,|$)/g)].map((m) => Number(m[2])));
    expect(expected).toHaveLength(count);
    // A0 = 1000 moves the outputs by ~0.15 V from ideal op-amps; the expected values model it: agreement to the
    // 12 printed digits' order.
    for (let s = 0; s < count; s++) expected[s].forEach((want, k) => expect(Math.abs(values.get(s)!.get(k)! - want)).toBeLessThan(1e-9));
  }, 120_000);

  it('is deterministic and refuses an include path that could escape the folder', () => {
    const fx = loadFixture('xor');
    const net = { clock: null, inputCount: 2, outputSignal: Int32Array.of(6) } as never;
    const o = { samples: [{ inputsV: [0, 1], expectedV: [1] }] };
    expect(testbenchText(net, o)).toBe(testbenchText(net, o));
    expect(() => testbenchText(net, { ...o, netlistFile: '../netlist.cir' })).toThrow(/cannot include/);
    expect(() => testbenchText(net, { ...o, netlistFile: 'a b.cir' })).toThrow(/cannot include/);
    expect(() => testbenchText(net, { samples: [] })).toThrow(/at least one sample/);
    expect(fx.inputs.length).toBeGreaterThan(0);
  });
});
