// `compile --prune` (issue 13): a pruned circuit goes through compile, SPICE verification and the report like any
// other, summary.json gains its pruning section, and bad pruning options are one-line errors with exit 2.

import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { importModel } from '../../src/import/index.js';
import { evaluate } from '../../src/reference/evaluate.js';
import { accuracyOf } from '../../src/simulate/realized.js';
import { FIXTURES, loadFixture, maxAbs, maxAbsDiff, runCli } from '../helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'ohmnet-prune-'));
const xor = loadFixture('xor');
const xorSamples = xor.path.replace('.onnx', '.json');

describe('compile --prune', () => {
  it('the XOR network pruned exactly on its calibration set passes compile --verify with SPICE (ngspice) and the report shows the steps', async () => {
    const out = join(tmp, 'xor');
    const r = await runCli(['compile', xor.path, '--prune', 'dead,extract,fold', '--calibration', xorSamples, '--verify', '--engine', 'ngspice', '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.verdicts.every((v: { pass: boolean }) => v.pass)).toBe(true);
    expect(s.spice.passed).toBe(true);
    const p = s.pruning;
    expect(p.options).toEqual({ steps: ['dead', 'extract', 'fold'], weightBelowAbs: null, biasBelowAbs: null, rankBy: null, rankMaxErrorAbs: null, fanIn: 100, fanOut: 100 });
    expect(p.extractionOn).toEqual({ set: 'calibration', samples: 24 });
    // N4 goes (never active); N1, N2 are never negative on [0,1]^2 and become identity; one folds into N3's place.
    expect(p.before.neurons).toBe(5);
    expect(p.after.neurons).toBeLessThan(5);
    expect(p.after.resistors).toBeLessThan(p.before.resistors);
    expect(s.tnet.neurons).toBe(p.after.neurons);
    const constant = p.steps.find((x: { pass: string }) => x.pass === 'extract-constant');
    expect(constant).toMatchObject({ removedNeurons: 1, removedConnections: 3, exact: true });
    for (const step of p.steps) expect(step.error.maxAbsOutputError).toBeLessThanOrEqual(1e-12);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('Pruning and knowledge extraction');
    expect(html).toContain('extract-constant');
  });

  it('is deterministic: two pruned compiles give byte-identical summary.json and netlists', async () => {
    const a = join(tmp, 'det-a');
    const b = join(tmp, 'det-b');
    const flags = ['--prune', 'weights,biases,dead,extract,fold', '--prune-weight-below', '0.1', '--prune-bias-below', '0.005', '--prune-open-above', '900k', '--calibration', xorSamples];
    await runCli(['compile', xor.path, ...flags, '-o', a]);
    await runCli(['compile', xor.path, ...flags, '-o', b]);
    for (const f of ['summary.json', 'netlist.cir', 'tnet.json']) expect(readFileSync(join(a, f))).toEqual(readFileSync(join(b, f)));
    const s = JSON.parse(readFileSync(join(a, 'summary.json'), 'utf8'));
    // Every value used is in the file: the steps and their thresholds, the resistor rule.
    expect(s.pruning.options).toMatchObject({ weightBelowAbs: 0.1, biasBelowAbs: 0.005 });
    expect(s.pruning.resistorRules.openAboveOhm).toBe(900000);
    // weights < 0.1: N4's -0.07376373 goes (the only one), so N4 is caught by prune-weights before extraction.
    expect(s.pruning.steps.find((x: { pass: string }) => x.pass === 'prune-weights').removedConnections).toBe(1);
  });

  it('rank removes N4 within its bound and the area estimate is the user\'s figures times the realized counts', async () => {
    const out = join(tmp, 'xor-rank-area');
    const r = await runCli(['compile', xor.path, '--prune', 'rank', '--prune-rank-by', 'activity', '--prune-rank-max-error', '0', '--prune-resistor-area-um2', '120', '--prune-opamp-area-um2', '2500', '--calibration', xorSamples, '-o', out]);
    expect(r.code).toBe(0);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const p = s.pruning;
    // N4 is 0 on every calibration sample: activity 0, mean 0, removed at no output change (bound 0).
    expect(p.steps[0]).toMatchObject({ pass: 'prune-rank', exact: false, removedNeurons: 1 });
    expect(p.steps[0].error.maxAbsOutputError).toBeLessThanOrEqual(1e-12);
    expect(p.options).toMatchObject({ rankBy: 'activity', rankMaxErrorAbs: 0 });
    const fig = (c: { resistors: number; opAmps: number }) => ({ resistorsUm2: 120 * c.resistors, opAmpsUm2: 2500 * c.opAmps, totalUm2: 120 * c.resistors + 2500 * c.opAmps });
    expect(p.area).toEqual({ source: 'user-supplied', resistorAreaUm2: 120, opampAreaUm2: 2500, before: fig(p.before), after: fig(p.after), ratio: fig(p.before).totalUm2 / fig(p.after).totalUm2 });
    expect(p.area.ratio).toBeGreaterThan(1);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('Area estimate from the user');
  });

  it('a lossy step (biases) reports its error; the equivalence verdict judges against the unpruned source', async () => {
    const out = join(tmp, 'xor-biases');
    const r = await runCli(['compile', xor.path, '--prune', 'biases', '--prune-bias-below', '0.005', '--calibration', xorSamples, '-o', out]);
    expect(r.code).toBe(1);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.pruning.steps[0]).toMatchObject({ pass: 'prune-biases', exact: false, removedBiasPairs: 4, removedResistors: 8 });
    expect(s.pruning.steps[0].error.maxAbsOutputError).toBeGreaterThan(0);
    expect(s.verdicts.find((v: { check: string }) => v.check === 'equivalence').pass).toBe(false);
    // The project keeps the pruning: `run` on the compiled directory evaluates the pruned network, not the source.
    const run = await runCli(['run', out, '--inputs', xorSamples, '--stage', 'tnet', '--json']);
    expect(run.code).toBe(0);
    const got = JSON.parse(run.stdout).outputs as number[][];
    const source = evaluate(importModel(xor.path), xor.inputs).outputs;
    expect(maxAbsDiff(got, source)).toBeCloseTo(s.pruning.steps[0].error.maxAbsOutputError, 12);
    // The step counts the pairs it removed (8 resistors); the realized circuit also re-balances its normalizing
    // resistors (both op-amp inputs must see equal conductance), so its own count falls by less.
    expect(s.pruning.after.resistors).toBeLessThan(s.pruning.before.resistors);
  });

  it('the claims\' resistor rules on the realized circuit: pairs above R_max removed, resistors below R_min made conductors; SPICE solves the changed circuit and the change is reported', async () => {
    const open = join(tmp, 'xor-open');
    const r = await runCli(['compile', xor.path, '--prune-open-above', '500k', '--calibration', xorSamples, '--verify', '--engine', 'ngspice', '-o', open]);
    const s = JSON.parse(readFileSync(join(open, 'summary.json'), 'utf8'));
    expect(r.code).toBe(0);
    const rr = s.pruning.resistorRules;
    expect(rr).toMatchObject({ openAboveOhm: 500000, conductorBelowOhm: null, conductorOhm: null, conductors: 0, on: 'calibration', samples: 24 });
    expect(rr.opened).toBe(2 * rr.connectionsRemoved);
    expect(rr.connectionsRemoved).toBeGreaterThan(0);
    expect(s.pruning.before.resistors - s.pruning.after.resistors).toBe(rr.opened);
    expect(rr.maxAbsOutputError).toBeGreaterThan(0);
    expect(s.spice.passed).toBe(true); // the netlist is the changed circuit: SPICE agrees with its behavioural model
    // No resistor of E96 100k..1M is above 1M: the rule must not fire.
    const none = join(tmp, 'xor-open-none');
    await runCli(['compile', xor.path, '--prune-open-above', '1M', '--calibration', xorSamples, '-o', none]);
    const n = JSON.parse(readFileSync(join(none, 'summary.json'), 'utf8'));
    expect(n.pruning.resistorRules).toMatchObject({ opened: 0, connectionsRemoved: 0, maxAbsOutputError: 0 });
    // A conductor (1 ohm) for every resistor below 150k: a huge weight; the verdicts fail honestly (exit 1).
    const cond = join(tmp, 'xor-conductor');
    const c = await runCli(['compile', xor.path, '--prune-conductor-below', '150k', '--prune-conductor-ohm', '1', '--calibration', xorSamples, '-o', cond]);
    expect(c.code).toBe(1);
    const cs = JSON.parse(readFileSync(join(cond, 'summary.json'), 'utf8'));
    expect(cs.pruning.resistorRules.conductors).toBeGreaterThan(0);
    expect(cs.pruning.resistorRules.maxAbsOutputError).toBeGreaterThan(0.1);
    expect(cs.verdicts.find((v: { check: string }) => v.check === 'realization-error').pass).toBe(false);
  });

  it.each([
    [['--prune-conductor-below', '150k'], /--prune-conductor-below needs the conductor's resistance: give --prune-conductor-ohm/],
    [['--prune-conductor-ohm', '1'], /--prune-conductor-ohm is given without --prune-conductor-below/],
    [['--prune-conductor-below', '900k', '--prune-conductor-ohm', '1', '--prune-open-above', '500k'], /is not below --prune-open-above/],
    [['--prune', 'weights'], /--prune step 'weights' needs its threshold: give --prune-weight-below/],
    [['--prune', 'weights', '--prune-weight-below', '-0.1'], /--prune-weight-below -0.1 must be a finite number >= 0/],
    [['--prune', 'dead', '--prune-bias-below', '0.1'], /--prune-bias-below is given but the --prune steps do not include 'biases'/],
    [['--prune', 'dead,everything'], /--prune step 'everything' is not one of weights, biases, dead, extract, rank, fold/],
    [['--prune', 'rank', '--prune-rank-max-error', '0.01'], /--prune step 'rank' needs its threshold: give --prune-rank-by/],
    [['--prune', 'rank', '--prune-rank-by', 'activity'], /--prune step 'rank' needs its threshold: give --prune-rank-max-error/],
    [['--prune', 'rank', '--prune-rank-by', 'power', '--prune-rank-max-error', '0.01'], /--prune-rank-by 'power' is not one of activity, mean-abs, current/],
    [['--prune', 'rank', '--prune-rank-by', 'activity', '--prune-rank-max-error', '-1'], /--prune-rank-max-error -1 must be a finite number >= 0/],
    [['--prune', 'dead', '--prune-rank-by', 'activity'], /--prune-rank-by is given but the --prune steps do not include 'rank'/],
    [['--prune', 'dead', '--prune-resistor-area-um2', '100'], /the area estimate needs both figures: give --prune-resistor-area-um2 and --prune-opamp-area-um2/],
    [['--prune', 'dead', '--prune-resistor-area-um2', '0', '--prune-opamp-area-um2', '1'], /--prune-resistor-area-um2 0 must be a positive, finite area/],
    [['--prune-resistor-area-um2', '1', '--prune-opamp-area-um2', '1'], /the area estimate is part of the pruning summary: give --prune steps too/],
  ])('refuses %j with one line, exit 2, and no output directory', async (flags, re) => {
    const out = join(tmp, `bad-${flags.join('')}`);
    const r = await runCli(['compile', xor.path, ...flags, '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(re);
    expect(existsSync(out)).toBe(false);
  });
});

describe('ohmnet prune (source network, accuracy loop)', () => {
  const wine = join(FIXTURES, 'wine');
  const test = join(wine, 'test.json');

  it('structured: keeps the last level within the drop, writes ONNX that onnxruntime evaluates like the pruned graph; the pruned model compiles with SPICE verification', async () => {
    const out = join(tmp, 'wine-structured.onnx');
    const r = await runCli(['prune', join(wine, 'model.onnx'), '--method', 'structured', '--max-accuracy-drop', '0.02', '--levels', '0.25,0.5,0.75', '--test', test, '-o', out, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.levelsTried).toEqual([0.25, 0.5, 0.75]);
    expect(j.on).toEqual({ set: 'test', samples: 54 });
    // Every level up to the first beyond the drop is tried; the loop stops there.
    const last = j.levels[j.levels.length - 1];
    expect(j.levels.slice(0, j.kept + 1).every((l: { withinDrop: boolean }) => l.withinDrop)).toBe(true);
    if (j.kept < j.levels.length - 1) expect(last.withinDrop).toBe(false);
    const kept = j.levels[j.kept];
    expect(kept.zeroedUnits).toBe(Math.floor(kept.fraction * 16)); // the hidden layer's 16 units; the output layer is kept
    // The written file: onnxruntime's classes give the reported accuracy, and its outputs match the re-imported graph.
    const samples = JSON.parse(readFileSync(test, 'utf8')) as { inputs: number[][]; labels: number[] };
    const session = await ort.InferenceSession.create(readFileSync(out));
    const batch = Float32Array.from(samples.inputs.flat());
    const res = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', batch, [samples.inputs.length, 13]) });
    const y = res[session.outputNames[0]].data as Float32Array;
    const rows = samples.inputs.map((_, k) => Array.from(y.subarray(3 * k, 3 * k + 3)));
    const graph = importModel(out);
    // The zeroed hidden units are removed from the file, with the output layer's columns for them.
    expect(kept.removedUnits).toBe(kept.zeroedUnits);
    const dense = graph.nodes.filter((n) => n.kind === 'dense').map((n) => (n.kind === 'dense' ? n.weight.shape : []));
    expect(dense).toEqual([[16 - kept.zeroedUnits, 13], [3, 16 - kept.zeroedUnits]]);
    const ref = evaluate(graph, samples.inputs).outputs;
    expect(maxAbsDiff(rows, ref)).toBeLessThanOrEqual(1e-4 * Math.max(1, maxAbs(ref)));
    expect(accuracyOf(rows, samples.labels, 0.5)).toBeCloseTo(kept.accuracy, 12);
    // Compile, SPICE and the report like any model: the zeroed units have no neurons.
    const dir = join(tmp, 'wine-compiled');
    const c = await runCli(['compile', out, '--calibration', test, '--verify', '--engine', 'ngspice', '-o', dir]);
    expect(c.code).toBe(0);
    const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(s.spice.passed).toBe(true);
    expect(s.tnet.neurons).toBe(16 - kept.zeroedUnits + 3);
    expect(existsSync(join(dir, 'report.html'))).toBe(true);
  });

  it('magnitude: zeroes the smallest weights globally', async () => {
    const out = join(tmp, 'wine-magnitude.onnx');
    const r = await runCli(['prune', join(wine, 'model.onnx'), '--method', 'magnitude', '--max-accuracy-drop', '0.05', '--levels', '0.5', '--test', test, '-o', out, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.levels[0]).toMatchObject({ fraction: 0.5, zeroedWeights: 128, nonZeroWeights: 128, totalWeights: 256 });
    const g = importModel(out);
    const zeros = g.nodes.flatMap((n) => (n.kind === 'dense' ? [...n.weight.data] : [])).filter((v) => v === 0).length;
    expect(zeros).toBe(128);
  });

  it.each([
    [['--method', 'magnitude', '--max-accuracy-drop', '0.01'], /an accuracy threshold needs a labelled test set: give --test/],
    [['--method', 'magnitude', '--max-accuracy-drop', '0.01', '--test', xorSamples], /an accuracy threshold needs a labelled test set/],
    [['--method', 'magnitude', '--max-accuracy-drop', '-0.01', '--test', 'T'], /--max-accuracy-drop -0.01 must be a fraction from 0 to 1/],
    [['--method', 'random', '--max-accuracy-drop', '0.01', '--test', 'T'], /--method 'random' is not one of magnitude, structured/],
    [['--method', 'structured', '--max-accuracy-drop', '0', '--levels', '0.9', '--test', 'T'], /no structured pruning level keeps the accuracy within 0 of the source's: the first level \(0.9\) already drops it by/],
    [['--method', 'magnitude', '--max-accuracy-drop', '0.01', '--levels', '0.5,0.2', '--test', 'T'], /--levels '0.5,0.2' must be fractions strictly between 0 and 1 in ascending order/],
  ])('refuses %j with one line, exit 2, and no file written', async (flags, re) => {
    const out = join(tmp, `bad-prune-${flags.join('')}.onnx`.replace(/[/\\]/g, '_'));
    const args = flags.map((f) => (f === 'T' ? test : f));
    const model = args.includes(xorSamples) ? xor.path : join(wine, 'model.onnx');
    const r = await runCli(['prune', model, ...args, '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(re);
    expect(existsSync(out)).toBe(false);
  });
});
