// The pass manager and the pass list: passes that must not fire do not (and return their input), the verifier runs
// after every pass, a deliberately broken exact pass is caught by the differential check under debug, a lossy pass
// has its error recorded instead, and every pass is recorded, timed and dumped in order.

import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importModel } from '../../src/import/index.js';
import { DifferentialCheckError, runPipeline } from '../../src/pass/manager.js';
import { AnalysisCache, type Pass } from '../../src/pass/types.js';
import type { TNet } from '../../src/tnet/types.js';
import { TnetInvariantError } from '../../src/tnet/verify.js';
import { fanOutPass } from '../../src/transform/fanout.js';
import { compileGraph, compilePasses, foldBatchNormPass, resolveOptions } from '../../src/transform/pipeline.js';
import { fanInPass } from '../../src/transform/pyramid.js';
import { signalLimitPass } from '../../src/transform/rescale-signals.js';
import { loadFixture, runCli } from '../helpers.js';

const iris = loadFixture('iris_mlp');
const graph = importModel(iris.path);
const ctx = () => ({ calibration: iris.inputs, analyses: new AnalysisCache() });

/** A pass that scales every weight by (1 + by), claiming to be exact or lossy (by = -1 stores zero weights). */
function nudge(exact: boolean, by: number): Pass<'tnet', 'tnet'> {
  return {
    name: exact ? 'nudge-exact' : 'nudge-lossy', from: 'tnet', to: 'tnet', exact, guarantees: {},
    run: (net) => {
      const weight = net.neurons.weight.map((w) => w * (1 + by));
      return { value: { ...net, neurons: { ...net.neurons, weight } }, changed: true, notes: ['scaled every weight'] };
    },
  };
}

describe('passes that must not fire', () => {
  const compiled = compileGraph(graph, { calibration: iris.inputs });
  const net = compiled.tnet;
  it('fold-batchnorm on a graph without batch norm', () => {
    const r = foldBatchNormPass.run(graph, ctx());
    expect(r.changed).toBe(false);
    expect(r.value).toBe(graph);
    expect(r.notes).toEqual([]);
  });
  it('fan-in and fan-out on a network within the limits', () => {
    for (const pass of [fanInPass(100), fanOutPass(100, 100)]) {
      const r = pass.run(net, ctx());
      expect(r.changed, pass.name).toBe(false);
      expect(r.value, pass.name).toBe(net);
    }
  });
  it('signal-limit on a network already scaled on the same data', () => {
    const r = signalLimitPass(5, {}).run(net, ctx());
    expect(r.changed).toBe(false);
    expect(r.value.neurons.weight).toEqual(net.neurons.weight);
    expect(r.value.inputGain).toBe(net.inputGain);
  });
  it('fire where they should (fan-in 3 and fan-out 3 on the same network)', () => {
    expect(fanInPass(3).run(net, ctx()).changed).toBe(true);
    expect(fanOutPass(100, 3).run(net, ctx()).changed).toBe(true);
  });
});

describe('the manager', () => {
  const o = resolveOptions(graph, { fanIn: 4, fanOut: 4, calibration: iris.inputs });
  const passes = compilePasses(o);

  it('records every pass in order, exact or lossy, with sizes, and times each', () => {
    const r = runPipeline(passes, graph, ctx(), { verify: true, debug: null });
    expect(r.records.map((p) => p.pass)).toEqual(['fold-batchnorm', 'lower', 'fan-in', 'fan-out', 'signal-limit']);
    expect(r.records.every((p) => p.exact)).toBe(true);
    expect(r.records[0].neurons).toBe(null);
    expect(r.records.at(-1)!.neurons).toBe((r.value as TNet).neurons.count);
    expect(r.timings.map((t) => t.pass)).toEqual(r.records.map((p) => p.pass));
    expect(r.timings.every((t) => t.ms >= 0)).toBe(true);
  });

  it('passes the differential check with the real pipeline, and dumps every pass', () => {
    const dumped: string[] = [];
    const r = runPipeline(passes, graph, ctx(), { verify: true, debug: { differential: true, toleranceRel: 1e-9, dump: (i, p) => dumped.push(`${i}:${p.name}`) } });
    expect(dumped).toEqual(['0:fold-batchnorm', '1:lower', '2:fan-in', '3:fan-out', '4:signal-limit']);
    for (const p of r.records) expect(p.metrics.differentialMaxAbsError).toBeLessThan(1e-12);
  });

  it('catches a deliberately broken exact pass, naming it', () => {
    const broken = [...passes.slice(0, 3), nudge(true, 1e-6), ...passes.slice(3)];
    expect(() => runPipeline(broken, graph, ctx(), { verify: true, debug: { differential: true, toleranceRel: 1e-9 } })).toThrow(DifferentialCheckError);
    try {
      runPipeline(broken, graph, ctx(), { verify: true, debug: { differential: true, toleranceRel: 1e-9 } });
    } catch (e) {
      expect((e as DifferentialCheckError).pass).toBe('nudge-exact');
      expect((e as DifferentialCheckError).maxAbsError).toBeGreaterThan(1e-9);
    }
    // Without debug the check does not run (it costs two evaluations per pass).
    expect(() => runPipeline(broken, graph, ctx(), { verify: true, debug: null })).not.toThrow();
  });

  it('records a lossy pass\'s error instead of failing', () => {
    const lossy = [...passes.slice(0, 3), nudge(false, 1e-3), ...passes.slice(3)];
    const r = runPipeline(lossy, graph, ctx(), { verify: true, debug: { differential: true, toleranceRel: 1e-9 } });
    const rec = r.records.find((p) => p.pass === 'nudge-lossy')!;
    expect(rec.exact).toBe(false);
    expect(rec.metrics.differentialMaxAbsError).toBeGreaterThan(1e-9);
  });

  it('verifies after every pass: a pass that stores a zero weight fails with the rule it broke', () => {
    const zero: Pass<'tnet', 'tnet'> = { ...nudge(true, -1), name: 'zero' };
    const bad = [...passes.slice(0, 3), zero];
    expect(() => runPipeline(bad, graph, ctx(), { verify: true, debug: null })).toThrow(TnetInvariantError);
    expect(() => runPipeline(bad, graph, ctx(), { verify: false, debug: null })).not.toThrow();
  });

  it('refuses a pass list whose IRs do not chain', () => {
    expect(() => runPipeline([passes[2]], graph, ctx(), { verify: true, debug: null })).toThrow(/reads a tnet but the pipeline holds a graph/);
  });
});

describe('--debug DIR from the command line', () => {
  it('checks every pass and writes each one\'s output and the timings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ohmnet-debug-'));
    const r = await runCli(['compile', iris.path, '-o', join(dir, 'out'), '--calibration', join(iris.path.replace(/\.onnx$/, '.json')), '--fan-in', '4', '--debug', join(dir, 'dbg')]);
    expect(r.code).toBe(0);
    expect(readdirSync(join(dir, 'dbg')).sort()).toEqual(['00-fold-batchnorm.graph.json', '01-lower.tnet.json', '02-fan-in.tnet.json', '03-fan-out.tnet.json', '04-signal-limit.tnet.json', 'passes.json']);
    const p = JSON.parse(readFileSync(join(dir, 'dbg', 'passes.json'), 'utf8'));
    expect(p.passes.map((x: { pass: string }) => x.pass)).toEqual(['fold-batchnorm', 'lower', 'fan-in', 'fan-out', 'signal-limit']);
    expect(p.timingsMs).toHaveLength(5);
  });
});
