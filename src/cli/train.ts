// `ohmnet train <model> --data train.json -o out.onnx`: fine-tunes the model's weights on a labelled sample set
// (train/index.ts fineTune) with the hardware-aware modes (a weight grid, weight and signal noise, penalties), prints
// the learning curve (one row per epoch, on the training set and --test), and writes the trained model as ONNX
// (io/onnx-export.ts): same graph, new weights, compiled as usual.

import { isOhmnetError, OhmnetError, usageError, type Namer } from '../errors.js';
import { importModel } from '../import/index.js';
import { exportOnnx } from '../io/onnx-export.js';
import { checkOutputFile, writeFileAtomic } from '../io/atomic.js';
import { readSampleFile, type SampleFile } from '../io/sample-file.js';
import { TRAIN_MESSAGES as TM } from '../messages/train.js';
import { formatTable } from '../report/table.js';
import { fineTune, GRID_NAMES, type FineTuneOptions } from '../train/index.js';
import type { EpochRow, LabelledSet } from '../train/train.js';
import type { CliIO } from './context.js';
import { flagNamer, OPTION_TABLE, attributeOf } from './option-table.js';
import { importOptionsFrom, parseIntOption, parseNumberOption, type ModelFlags } from './options.js';
import { progressFor } from './progress.js';
import { shellQuote } from '../util/format.js';
import { renderTrainingReport } from '../report/html/training.js';
import { SYNAPSE_TRAIN_DEFAULTS, TRAIN_DEFAULTS } from '../presets/defaults.js';
import { trainCrossbarCommand } from './train-crossbar.js';
import { SYNAPSE_TRAIN_FLAGS, trainSynapseCommand } from './train-synapse.js';

export interface TrainFlags extends ModelFlags {
  [flag: string]: unknown;
  data?: string;
  test?: string;
  labelColumn?: string;
  output?: string;
  report?: string;
  json?: boolean;
}

/** The train command's own options: flag, attribute (= the API option), help. */
export const TRAIN_FLAGS: readonly { flag: string; option: string; help: string; choices?: readonly string[] }[] = [
  { flag: '--epochs <n>', option: 'epochs', help: `passes over the training set (default ${TRAIN_DEFAULTS.epochs})` },
  { flag: '--batch-size <n>', option: 'batchSize', help: `samples per optimizer step (default ${TRAIN_DEFAULTS.batchSize}; with --synapse ${SYNAPSE_TRAIN_DEFAULTS.batchSize})` },
  { flag: '--lr <x>', option: 'learningRate', help: `learning rate (default ${TRAIN_DEFAULTS.learningRate}; with --synapse ${SYNAPSE_TRAIN_DEFAULTS.learningRate}, the seed's)` },
  { flag: '--optimizer <name>', option: 'optimizer', help: 'adam (default) or sgd (with --momentum)', choices: ['adam', 'sgd'] },
  { flag: '--momentum <x>', option: 'momentum', help: `SGD momentum in [0, 1) (default ${TRAIN_DEFAULTS.momentum}; with --target crossbar the momentum module's alpha, default 0)` },
  { flag: '--loss <name>', option: 'loss', help: 'mse or cross-entropy (default: cross-entropy with 2+ outputs, on the logits before a final softmax; mse with one output)', choices: ['mse', 'cross-entropy'] },
  { flag: '--seed <n>', option: 'seed', help: 'seed of the shuffling and of every noise draw (default 1)' },
  { flag: '--workers <n>', option: 'workers', help: 'worker threads (default 1; the result does not depend on it)' },
  { flag: '--grid <name>', option: 'grid', help: 'quantization-aware training onto a weight grid: resistors (the exact grid the --resistors set and R_f realize), ternary {-1,0,1} or two-nominal {-3,-0.75,0,0.75,3} (the patent\'s; the set must realize them)', choices: GRID_NAMES },
  { flag: '--weight-noise <rel>', option: 'weightNoiseRel', help: 'relative weight noise in the forward pass, e.g. the resistor tolerance 0.01 (default 0)' },
  { flag: '--signal-noise <rel>', option: 'signalNoiseRel', help: 'relative noise on every summator output in the forward pass (default 0)' },
  { flag: '--l1 <x>', option: 'l1', help: 'L1 penalty on the weights (default 0)' },
  { flag: '--l2 <x>', option: 'l2', help: 'L2 penalty on the weights (default 0)' },
  { flag: '--l1-negative <x>', option: 'l1Negative', help: 'L1 penalty on negative weights only (Binas: 1e-6) (default 0)' },
  { flag: '--range-penalty <A>', option: 'rangePenalty', help: 'the patent\'s weight-range penalty A * sum over layers of max|w| / mean|w| (default 0)' },
];

/** The realization options the resistor grid reads, as compile spells them. */
const REALIZE_FLAGS = ['--resistors <set>', '--r-min <ohm>', '--r-max <ohm>', '--r-feedback <r>', '--tolerance <fraction>', '--v-ref <volts>'];
export const TRAIN_REALIZE_SPECS = OPTION_TABLE.filter((s) => REALIZE_FLAGS.includes(s.flag));

const OWN: Record<string, string> = Object.fromEntries([...TRAIN_FLAGS.map((f) => [f.option, f.flag.split(' ')[0]]), ['data', '--data'], ['output', '--output'], ['labelColumn', '--label-column'], ['target', '--target'], ['report', '--report']]);
// The synapse training's options, and every train option by its attribute name too (weightNoise as --weight-noise).
const SYNAPSE_OWN: Record<string, string> = Object.fromEntries([...SYNAPSE_TRAIN_FLAGS, ...TRAIN_FLAGS].flatMap((f) => [[f.option, f.flag.split(' ')[0]], [attributeOf(f.flag), f.flag.split(' ')[0]]]).concat([['test', '--test']]));
const trainNamer: Namer = (o) => OWN[o] ?? SYNAPSE_OWN[o] ?? flagNamer(o);

export async function trainCommand(model: string | undefined, flags: TrainFlags, io: CliIO): Promise<number> {
  if (flags.target === 'crossbar' && flags.synapse !== undefined) throw usageError(TM.synapseWithCrossbar()(trainNamer));
  if (flags.target === 'crossbar' && flags.report !== undefined) throw usageError(TM.reportNotForCrossbar()(trainNamer));
  if (flags.target === 'crossbar') return trainCrossbarCommand(model, flags, io);
  try {
    if (flags.synapse !== undefined) {
      if (model !== undefined) throw usageError(TM.synapseWithModel(model));
      return await trainSynapseCommand(flags, io);
    }
    if (model === undefined) throw usageError(TM.noModel());
    return await train(model, flags, io);
  } catch (e) {
    if (isOhmnetError(e)) throw new OhmnetError(e.kind, e.messageWith(trainNamer));
    throw e;
  }
}

function labelled(f: SampleFile, what: string): LabelledSet {
  if (!f.labels) throw usageError(TM.noLabels(what));
  return { samples: f.samples, labels: f.labels };
}

function options(flags: TrainFlags): FineTuneOptions {
  const o: Record<string, unknown> = {};
  for (const f of TRAIN_FLAGS) {
    const v = flags[attributeOf(f.flag)];
    if (v === undefined) continue;
    const name = f.flag.split(' ')[0];
    if (f.option === 'optimizer' || f.option === 'loss' || f.option === 'grid') o[f.option] = String(v);
    else if (['epochs'].includes(f.option)) o[f.option] = parseIntOption(name, String(v), 0);
    else if (['batchSize', 'workers'].includes(f.option)) o[f.option] = parseIntOption(name, String(v), 1);
    else if (f.option === 'seed') o[f.option] = parseIntOption(name, String(v), 0, 2 ** 32 - 1);
    else o[f.option] = parseNumberOption(name, String(v));
  }
  const r: Record<string, unknown> = {};
  for (const spec of TRAIN_REALIZE_SPECS) {
    const v = flags[attributeOf(spec.flag)];
    if (v !== undefined) spec.apply!(String(v), r as never, { graph: null as never });
  }
  if (r.feedback !== undefined && r.rFeedbackOhm === undefined) throw usageError(TM.gridFeedbackValue(String(r.feedback)));
  return { ...o, ...r } as FineTuneOptions;
}

export function curveTable(history: readonly EpochRow[]): string {
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const noisy = history.some((r) => r.testNoisy);
  const test = history.some((r) => r.test);
  return formatTable(
    ['epoch', 'train loss (as trained)', 'train loss', 'train acc', ...(test ? ['test loss', 'test acc'] : []), ...(noisy ? ['test acc, one noise draw'] : [])],
    history.map((r) => [r.epoch, r.trainLoss.toPrecision(4), r.train.loss.toPrecision(4), pct(r.train.accuracy), ...(test ? [r.test!.loss.toPrecision(4), pct(r.test!.accuracy)] : []), ...(noisy ? [pct(r.testNoisy!.accuracy)] : [])]),
    [true, true, true, true, ...(test ? [true, true] : []), ...(noisy ? [true] : [])],
  );
}

async function train(model: string, flags: TrainFlags, io: CliIO): Promise<number> {
  if (!flags.output) throw usageError(TM.noOutput());
  if (!flags.data) throw usageError(TM.noData());
  checkOutputFile(flags.output);
  if (flags.report) checkOutputFile(flags.report);
  const opts = options(flags);
  if (opts.learningRate !== undefined && !(opts.learningRate > 0)) throw usageError(TM.badLearningRate(opts.learningRate));
  const graph = importModel(model, importOptionsFrom(flags));
  const label = typeof flags.labelColumn === 'string' ? flags.labelColumn : undefined;
  const data = labelled(readSampleFile(flags.data, graph.input.shape, label), 'training (--data)');
  const test = flags.test ? labelled(readSampleFile(flags.test, graph.input.shape, label), 'test (--test)') : undefined;
  const result = await fineTune(graph, data, { ...opts, ...(test ? { test } : {}), progress: progressFor(io, flags.json) });
  const bytes = exportOnnx(result.graph);
  const grid = result.grid;
  const html = flags.report ? await renderTrainingReport({
    model, command: io.argv ? ['ohmnet', ...io.argv.map(shellQuote)].join(' ') : null,
    facts: [
      ['training set', `${data.samples.length} samples of ${flags.data}`],
      ['test set', test ? `${test.samples.length} samples of ${flags.test}` : 'none'],
      ['loss', result.loss],
      ...TRAIN_FLAGS.filter((f) => flags[attributeOf(f.flag)] !== undefined).map((f) => [f.flag.split(' ')[0], String(flags[attributeOf(f.flag)])] as [string, string]),
      ['weight grid', grid ? (grid.name === 'resistors' ? `${grid.setName}, R_f ${grid.rFeedbackOhm} ohm` : `${grid.name} (${grid.setName} realizes it)`) : 'none (float)'],
      ['written model', flags.output],
    ],
    runs: [{ label: 'train', history: result.history }],
    sdk: null,
  }) : null;
  writeFileAtomic(flags.output, bytes);
  if (html !== null) writeFileAtomic(flags.report!, html);
  if (flags.json) {
    io.out(JSON.stringify({ output: flags.output, loss: result.loss, grid, history: result.history }, null, 2));
    return 0;
  }
  const lines = [
    `trained ${model} on ${data.samples.length} samples of ${flags.data} (${result.loss}${test ? `; test: ${test.samples.length} samples of ${flags.test}` : ''})`,
    curveTable(result.history),
  ];
  if (grid) {
    lines.push(grid.name === 'resistors'
      ? `weights on the realization grid of ${grid.setName} with R_f ${grid.rFeedbackOhm} ohm (|w| <= ${grid.maxAbs.toPrecision(4)}): compile with --resistors/--r-min/--r-max as here and --r-feedback ${grid.rFeedbackOhm} to realize them pair for pair`
      : `weights on the ${grid.name} grid (${grid.source}); the set ${grid.setName} realizes every value`);
  }
  lines.push(`wrote ${flags.output}${flags.report ? ` and the report ${flags.report}` : ''}`);
  io.out(lines.join('\n'));
  return 0;
}
