// The training report (`ohmnet train --report`, `ohmnet sdk --report`; report/html/training.ts): a self-contained page
// whose learning-curve section holds the run's own figures (the same numbers --json prints, per epoch: training loss
// as trained, nominal train and test loss and accuracy, test under one noise draw) and a chart of them that vega
// renders without a warning; the SDK page adds its iteration table and one curve per fine-tuning round. A report path
// that cannot be written is refused before any work (exit 2, no model written).

import { existsSync, mkdtempSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { learningCurveSpec, renderChart } from '../../src/report/plots.js';
import { num, pct } from '../../src/report/html/format.js';
import { FIXTURES, runCli } from '../helpers.js';

const MODEL = join(FIXTURES, 'iris_mlp.onnx');
const TRAIN = join(FIXTURES, 'train', 'iris_train.json');
const TEST = join(FIXTURES, 'train', 'iris_test.json');

interface Figures { loss: number; accuracy: number }
interface Row { epoch: number; trainLoss: number; train: Figures; test: Figures | null; testNoisy: Figures | null }

/** The body rows of the learning-curve table, as cell texts. */
function curveRows(html: string): string[][] {
  const section = html.slice(html.indexOf('<section id="learning-curves">'));
  const body = section.slice(section.indexOf('<table class="curves">'), section.indexOf('</table>'));
  return [...body.matchAll(/<tr>(.*?)<\/tr>/g)].slice(1).map((m) => [...m[1].matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => c[1]));
}

const expected = (h: Row) => [String(h.epoch), num(h.trainLoss, 4), num(h.train.loss, 4), pct(h.train.accuracy), num(h.test!.loss, 4), pct(h.test!.accuracy), num(h.testNoisy!.loss, 4), pct(h.testNoisy!.accuracy)];

describe('training report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ohmnet-train-report-'));

  it('ohmnet train --report: the learning curves of the run, nominal and under noise, with its numbers', async () => {
    const report = join(dir, 'train.html');
    const r = await runCli(['train', MODEL, '--data', TRAIN, '--test', TEST, '-o', join(dir, 't.onnx'), '--epochs', '3', '--lr', '0.01', '--weight-noise', '0.05', '--signal-noise', '0.02', '--report', report, '--json']);
    expect(r.code).toBe(0);
    const history = (JSON.parse(r.stdout) as { history: Row[] }).history;
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('<section id="learning-curves">');
    expect(html).toContain('data-plot="learning-curves"');
    expect(html).not.toMatch(/<script/);
    expect(curveRows(html)).toEqual(history.map(expected));
    // The chart's series: both panels, the noisy test set included.
    const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));
    for (const label of ['loss per epoch', 'accuracy per epoch', 'train, as trained', 'test, one noise draw']) expect(svg).toContain(label);
  }, 60_000);

  it('ohmnet sdk --report: the iterations and every fine-tuning round\'s curve', async () => {
    const report = join(dir, 'sdk.html');
    const r = await runCli(['sdk', MODEL, '--data', TRAIN, '--test', TEST, '--calibration', TRAIN, '--trials', '10', '--resistors', 'E6', '--tolerance', '0.05',
      '--min-accuracy', '1.0', '--max-error', '1e-6', '--budget', '2', '--epochs', '2', '-o', join(dir, 's.onnx'), '--report', report, '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { rows: { iteration: number; realized: number }[]; rounds: { iteration: number; history: Row[] }[] };
    expect(j.rounds.map((x) => x.iteration)).toEqual([1, 2]);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('<section id="sdk">');
    expect(html).toContain('<section id="learning-curves">');
    // One table row per epoch of every round, labelled by its round; the numbers are the rounds' (weight noise at the
    // tolerance is the loop's noise mode, so the noisy test figures are there).
    expect(curveRows(html)).toEqual(j.rounds.flatMap((x) => x.history.map((h) => [`round ${x.iteration}`, ...expected(h)])));
    const sdkTable = html.slice(html.indexOf('<section id="sdk">'), html.indexOf('<section id="learning-curves">'));
    for (const row of j.rows) expect(sdkTable).toContain(pct(row.realized));
  }, 120_000);

  it('is deterministic: the same run gives the same bytes', async () => {
    const report = join(dir, 'again.html');
    const args = ['train', MODEL, '--data', TRAIN, '--test', TEST, '-o', join(dir, 'again.onnx'), '--epochs', '2', '--signal-noise', '0.02', '--report', report];
    expect((await runCli(args)).code).toBe(0);
    const first = readFileSync(report);
    expect((await runCli(args)).code).toBe(0);
    expect(readFileSync(report).equals(first)).toBe(true);
  }, 60_000);

  it('the chart renders without a vega warning', async () => {
    const pts = (s: string, f: (e: number) => number) => [1, 2, 3].map((e) => ({ epoch: e, series: s, value: f(e) }));
    const c = await renderChart(learningCurveSpec([...pts('train', (e) => 1 / e), ...pts('test', (e) => 1.2 / e)], [...pts('train', (e) => 80 + e), ...pts('test, one noise draw', (e) => 70 + e)], [0, 2]), 'curves');
    expect(c.warnings).toEqual([]);
    expect(c.svg).toContain('<svg');
  });

  it('refuses a report path it cannot write before training (exit 2, no model)', async () => {
    const blocked = join(dir, 'a-directory');
    mkdirSync(blocked);
    const out = join(dir, 'never.onnx');
    const r = await runCli(['train', MODEL, '--data', TRAIN, '-o', out, '--report', blocked]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });
});
