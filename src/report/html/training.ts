// The training report (`ohmnet train --report`, `ohmnet sdk --report`): one self-contained page, in report.html's
// style, with the learning curves of the run (patent FIG. 1C's loop made visible): per epoch the training loss as
// trained (with the grid and the noise), the nominal loss and accuracy on the training and test sets, and with a noise
// mode the test set under one seeded noise draw; for the SDK loop every fine-tuning round on one epoch axis, beside
// the table of its iterations. The figures are the run's own (train/train.ts EpochRow), never recomputed here; the
// same run gives the same bytes (no timestamps).

import { VERSION } from '../summary.js';
import { learningCurveSpec, renderChart, type CurvePoint } from '../plots.js';
import { escapeHtml as esc, facts, figure, note, num, numCell as n, pct, table } from './format.js';
import { htmlPage } from './shell.js';

// The shapes of train/train.ts EpochRow and train/sdk.ts SdkRow, restated so that report/ does not import train/
// (train/ reaches report/ through flow/: folders import only downwards).
interface SetFigures {
  readonly loss: number;
  readonly accuracy: number;
}

/** One row of a learning curve (train/train.ts EpochRow). */
export interface EpochRow {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly train: SetFigures;
  readonly test: SetFigures | null;
  readonly testNoisy: SetFigures | null;
}

/** One iteration of the SDK loop (train/sdk.ts SdkRow). */
export interface SdkRow {
  readonly iteration: number;
  readonly step: string;
  readonly source: number;
  readonly realized: number;
  readonly monteCarloP5: number | null;
  readonly maxErrorV: number;
  readonly resistors: number;
  readonly meets: boolean;
}

/** One training run (a `train` command, or one round of the SDK loop). */
export interface TrainingRun {
  readonly label: string;
  readonly history: readonly EpochRow[];
}

export interface TrainingReportData {
  /** What was trained (the model file) and from which command. */
  readonly model: string;
  readonly command: string | null;
  /** The run's facts: data sets, loss, options, grid (label, value). */
  readonly facts: readonly (readonly [string, string])[];
  readonly runs: readonly TrainingRun[];
  /** The SDK loop's iterations, or null for `train`. */
  readonly sdk: readonly SdkRow[] | null;
}

/** The learning-curve section's body: the chart and the per-epoch table. */
export async function learningCurves(runs: readonly TrainingRun[]): Promise<string> {
  const loss: CurvePoint[] = [];
  const acc: CurvePoint[] = [];
  const rounds: number[] = [];
  let offset = 0;
  const rows: (string | ReturnType<typeof n>)[][] = [];
  const test = runs.some((r) => r.history.some((h) => h.test));
  const noisy = runs.some((r) => r.history.some((h) => h.testNoisy));
  for (const r of runs) {
    rounds.push(offset);
    for (const h of r.history) {
      const e = offset + h.epoch;
      loss.push({ epoch: e, series: 'train, as trained', value: h.trainLoss }, { epoch: e, series: 'train', value: h.train.loss });
      acc.push({ epoch: e, series: 'train', value: 100 * h.train.accuracy });
      if (h.test) {
        loss.push({ epoch: e, series: 'test', value: h.test.loss });
        acc.push({ epoch: e, series: 'test', value: 100 * h.test.accuracy });
      }
      if (h.testNoisy) {
        loss.push({ epoch: e, series: 'test, one noise draw', value: h.testNoisy.loss });
        acc.push({ epoch: e, series: 'test, one noise draw', value: 100 * h.testNoisy.accuracy });
      }
      rows.push([
        ...(runs.length > 1 ? [r.label] : []), n(String(h.epoch)), n(num(h.trainLoss, 4)), n(num(h.train.loss, 4)), n(pct(h.train.accuracy)),
        ...(test ? [n(h.test ? num(h.test.loss, 4) : '-'), n(h.test ? pct(h.test.accuracy) : '-')] : []),
        ...(noisy ? [n(h.testNoisy ? num(h.testNoisy.loss, 4) : '-'), n(h.testNoisy ? pct(h.testNoisy.accuracy) : '-')] : []),
      ]);
    }
    offset += r.history.length;
  }
  if (offset === 0) return note('No epoch was trained (0 epochs, or the goal was met before any fine-tuning).');
  const chart = await renderChart(learningCurveSpec(loss, acc, rounds), 'curves');
  const head = [
    ...(runs.length > 1 ? ['round'] : []), n('epoch'), n('train loss, as trained'), n('train loss'), n('train accuracy'),
    ...(test ? [n('test loss'), n('test accuracy')] : []), ...(noisy ? [n('test loss, noise'), n('test accuracy, noise')] : []),
  ];
  const caption = 'Per epoch: the mean training loss of its batches as trained (on the weight grid, with the weight and signal noise), the nominal loss and accuracy (grid weights, no noise) on the training set'
    + (test ? ' and on the test set' : '') + (noisy ? ', and the test set under one seeded draw of the same noise' : '')
    + (runs.length > 1 ? '. Rounds of the SDK loop follow one another on the epoch axis (dashed rules where a round starts).' : '.');
  return [figure('learning-curves', chart.svg, esc(caption)), table(head, rows, [], 'curves')].join('\n');
}

function sdkTable(rows: readonly SdkRow[]): string {
  const p = (v: number | null) => (v === null ? '-' : pct(v));
  return table(
    [n('iteration'), 'model', n('source accuracy'), n('realized accuracy'), n('Monte Carlo p5'), n('max |error| (V)'), n('resistors'), 'goal'],
    rows.map((r) => [n(String(r.iteration)), r.step, n(p(r.source)), n(p(r.realized)), n(p(r.monteCarloP5)), n(num(r.maxErrorV)), r.resistors, r.meets ? 'met' : 'missed']),
  );
}

/** Renders the training report page. Deterministic: the same data gives the same bytes. */
export async function renderTrainingReport(data: TrainingReportData): Promise<string> {
  const sections: { id: string; title: string; body: string }[] = [
    { id: 'run', title: 'The run', body: facts(data.facts.map(([k, v]) => [k, { text: v }] as const)) + (data.command ? `\n<pre class="command"><code>${esc(data.command)}</code></pre>` : '') },
  ];
  if (data.sdk) sections.push({ id: 'sdk', title: 'SDK loop iterations', body: sdkTable(data.sdk) });
  sections.push({ id: 'learning-curves', title: 'Learning curves', body: await learningCurves(data.runs) });
  const title = `ohmnet ${data.sdk ? 'SDK loop' : 'training'} report: ${data.model}`;
  return htmlPage({
    title, generator: `ohmnet ${VERSION}`, subtitleHtml: `ohmnet ${esc(VERSION)}`,
    sections: sections.map((s) => ({ id: s.id, toc: s.title })),
    bodyHtml: sections.map((s) => `<section id="${s.id}">\n<h2>${esc(s.title)}</h2>\n${s.body}\n</section>`).join('\n\n'),
  });
}
