// `ohmnet sdk <model> --data train.json --test test.json --min-accuracy A | --max-error E -o final.onnx`: the patent's
// SDK loop (FIG. 1C; train/sdk.ts): compile, realize and measure (Monte Carlo with --tolerance), and while the circuit
// misses the goal fine-tune with the hardware-aware modes, up to --budget rounds. Prints a row per iteration and writes
// the final model as ONNX.

import { isOhmnetError, OhmnetError, usageError, type Namer } from '../errors.js';
import { importModel } from '../import/index.js';
import { exportOnnx } from '../io/onnx-export.js';
import { checkOutputFile, writeFileAtomic } from '../io/atomic.js';
import { readSampleFile } from '../io/sample-file.js';
import { TRAIN_MESSAGES as TM } from '../messages/train.js';
import { formatTable } from '../report/table.js';
import { sdkLoop, SDK_DEFAULTS, type SdkRow } from '../train/sdk.js';
import type { CliIO } from './context.js';
import { flagNamer, flowOptionsFrom } from './option-table.js';
import { importOptionsFrom, parseIntOption, parseNumberOption, type ModelFlags } from './options.js';
import { progressFor } from './progress.js';
import { DEFAULTS } from '../presets/defaults.js';
import { compileCommand } from './compile.js';
import { shellQuote } from '../util/format.js';
import { renderTrainingReport } from '../report/html/training.js';

export interface SdkFlags extends ModelFlags {
  [flag: string]: unknown;
  data?: string;
  test?: string;
  output?: string;
  circuit?: string;
  force?: boolean;
  minAccuracy?: string;
  maxError?: string;
  budget?: string;
  epochs?: string;
  lr?: string;
  report?: string;
  json?: boolean;
}

const OWN: Record<string, string> = { minAccuracy: '--min-accuracy', maxErrorV: '--max-error', data: '--data', test: '--test', output: '--output', learningRate: '--lr' };
const sdkNamer: Namer = (o) => OWN[o] ?? flagNamer(o);

export async function sdkCommand(model: string, flags: SdkFlags, io: CliIO): Promise<number> {
  try {
    return await sdk(model, flags, io);
  } catch (e) {
    if (isOhmnetError(e)) throw new OhmnetError(e.kind, e.messageWith(sdkNamer));
    throw e;
  }
}

export function sdkTable(rows: readonly SdkRow[]): string {
  const pct = (v: number | null) => (v === null ? '-' : `${(100 * v).toFixed(1)}%`);
  return formatTable(
    ['iteration', 'model', 'source acc', 'realized acc', 'Monte Carlo p5', 'max |error| (V)', 'resistors', 'goal'],
    rows.map((r) => [r.iteration, r.step, pct(r.source), pct(r.realized), pct(r.monteCarloP5), r.maxErrorV.toPrecision(3), r.resistors, r.meets ? 'met' : 'missed']),
    [true, false, true, true, true, true, true, false],
  );
}

async function sdk(model: string, flags: SdkFlags, io: CliIO): Promise<number> {
  if (!flags.output) throw usageError(TM.noOutput());
  if (!flags.data) throw usageError(TM.noData());
  if (!flags.test) throw usageError(TM.noTest());
  checkOutputFile(flags.output);
  if (flags.report) checkOutputFile(flags.report);
  const minAccuracy = flags.minAccuracy === undefined ? undefined : parseNumberOption('--min-accuracy', String(flags.minAccuracy));
  const maxErrorV = flags.maxError === undefined ? undefined : parseNumberOption('--max-error', String(flags.maxError));
  const learningRate = flags.lr === undefined ? SDK_DEFAULTS.learningRate : parseNumberOption('--lr', String(flags.lr));
  if (!(learningRate > 0)) throw usageError(TM.badLearningRate(learningRate));
  const graph = importModel(model, importOptionsFrom(flags));
  const label = typeof flags.labelColumn === 'string' ? flags.labelColumn : undefined;
  const data = readSampleFile(flags.data, graph.input.shape, label);
  const test = readSampleFile(flags.test, graph.input.shape, label);
  if (!data.labels) throw usageError(TM.noLabels('training (--data)'));
  if (!test.labels) throw usageError(TM.noLabels('test (--test)'));
  const { test: _t, ...flow } = flowOptionsFrom(flags, graph, ['compile', 'test', 'realize']);
  const goal = [minAccuracy !== undefined ? `accuracy >= ${minAccuracy}${(flow.toleranceRel ?? 0) > 0 ? ' at Monte Carlo p5' : ' realized'}` : '', maxErrorV !== undefined ? `max |error| <= ${maxErrorV} V` : ''].filter(Boolean).join(', ');
  const result = await sdkLoop(graph, {
    flow,
    train: { samples: data.samples, labels: data.labels },
    test: { samples: test.samples, labels: test.labels },
    ...(minAccuracy !== undefined ? { minAccuracy } : {}),
    ...(maxErrorV !== undefined ? { maxErrorV } : {}),
    maxIterations: flags.budget === undefined ? SDK_DEFAULTS.maxIterations : parseIntOption('--budget', String(flags.budget), 0),
    epochsPerIteration: flags.epochs === undefined ? SDK_DEFAULTS.epochsPerIteration : parseIntOption('--epochs', String(flags.epochs), 1),
    learningRate,
    seed: flow.seed ?? DEFAULTS.seed,
    workers: flow.workers ?? 1,
    progress: progressFor(io, flags.json),
  });
  writeFileAtomic(flags.output, exportOnnx(result.graph));
  if (flags.report) {
    writeFileAtomic(flags.report, await renderTrainingReport({
      model, command: io.argv ? ['ohmnet', ...io.argv.map(shellQuote)].join(' ') : null,
      facts: [
        ['training set', `${data.samples.length} samples of ${flags.data}`],
        ['test set', `${test.samples.length} samples of ${flags.test}`],
        ['goal', goal],
        ['result', `${result.met ? 'goal met' : 'goal missed within the budget'} after ${result.rows.length - 1} fine-tuning round${result.rows.length === 2 ? '' : 's'}`],
        ['final model', flags.output],
        ...(result.rFeedbackOhm !== null ? [['R_f of the final model', `${result.rFeedbackOhm} ohm`] as [string, string]] : []),
      ],
      runs: result.rounds.map((r) => ({ label: `round ${r.iteration}`, history: r.history })),
      sdk: result.rows,
    }));
  }
  if (flags.json) io.out(JSON.stringify({ output: flags.output, met: result.met, rFeedbackOhm: result.rFeedbackOhm, rows: result.rows, rounds: result.rounds }, null, 2));
  else {
    io.out([
      `SDK loop on ${test.samples.length} test samples of ${flags.test} (goal: ${goal})`,
      sdkTable(result.rows),
      `${result.met ? 'goal met' : 'goal missed within the budget'}; wrote ${flags.output}${result.rFeedbackOhm !== null ? ` (compile it with --r-feedback ${result.rFeedbackOhm} and the same resistor options)` : ''}`,
    ].join('\n'));
  }
  let code = result.met ? 0 : 1;
  if (flags.circuit) {
    // The final circuit: compile of the written model with the loop's options (and its R_f), as `compile` writes it.
    const { output: _o, circuit, json: _j, report: _r, ...rest } = flags;
    const c = await compileCommand(flags.output, { ...rest, output: circuit, ...(result.rFeedbackOhm !== null ? { rFeedback: String(result.rFeedbackOhm) } : {}), ...(flags.calibration === undefined ? { calibration: flags.data } : {}) }, { ...io, out: flags.json ? () => undefined : io.out });
    code = Math.max(code, c);
  }
  return code;
}
