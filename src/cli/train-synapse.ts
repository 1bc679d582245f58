// `ohmnet train --synapse lut:FILE --data train.json [--validation v.json] [--test t.json] -o weights.json`: trains a
// network of the circuit's non-linear synapses on the cells' SPICE look-up table (src/synapse/train.ts; issue 16,
// docs/synapse.md "Training"), prints the learning curve, the accuracies, the Newton figures, the interpolation costs
// and (with --monte-carlo) the test accuracy under device mismatch per area scale, and writes the weight levels as
// JSON (src/synapse/weights-file.ts).

import { basename } from 'node:path';
import { inputError, isOhmnetError, usageError } from '../errors.js';
import { readTextFile } from '../util/read-file.js';
import { checkOutputFile, writeFileAtomic } from '../io/atomic.js';
import { readSampleFile } from '../io/sample-file.js';
import { SYNAPSE_TRAIN_MESSAGES as SM } from '../messages/synapse-train.js';
import { TRAIN_MESSAGES as TM } from '../messages/train.js';
import { SYNAPSE_TRAIN_DEFAULTS as D } from '../presets/defaults.js';
import { formatTable } from '../report/table.js';
import { decksSha256 } from '../synapse/characterize.js';
import { SynapseLut } from '../synapse/lut.js';
import { checkNetwork, monteCarloAccuracy, trainSynapseNetwork, type SynapseSetFigures, type SynapseTrainOptions } from '../synapse/train.js';
import { readWeightsFile, serializeWeights } from '../synapse/weights-file.js';
import { renderSynapseReport } from '../synapse/report.js';
import { shellQuote } from '../util/format.js';
import type { LabelledSet } from '../train/shard.js';
import type { CliIO } from './context.js';
import { parseIntOption, parseNumberOption } from './options.js';

/** The options `train` has only for --synapse: flag, attribute (= the API option), help. */
export const SYNAPSE_TRAIN_FLAGS: readonly { flag: string; option: string; help: string; choices?: readonly string[] }[] = [
  { flag: '--synapse <spec>', option: 'synapse', help: 'train a network of the circuit\'s non-linear synapses instead of a model: lut:FILE, a look-up table ohmnet characterize wrote; -o then gets the weight levels as JSON (docs/synapse.md)' },
  { flag: '--validation <file>', option: 'validation', help: 'with --synapse: labelled validation samples; the weights of the best validation accuracy (read every 50 iterations) are kept' },
  { flag: '--iterations <n>', option: 'iterations', help: `with --synapse: optimizer steps (default ${D.iterations})` },
  { flag: '--hidden <sizes>', option: 'hidden', help: `with --synapse: hidden layer sizes, comma-separated (default ${D.hidden.join(',')})` },
  { flag: '--weights <file>', option: 'weights', help: 'with --synapse: start from these weight levels (a file train --synapse wrote) instead of seeded random levels' },
  { flag: '--area-scale <x>', option: 'areaScale', help: `with --synapse: cell area scale of the mismatch noise while training (default ${D.areaScale}; the current spread scales as 1/sqrt(area))` },
  { flag: '--monte-carlo <n>', option: 'monteCarlo', help: 'with --synapse and --test: the test accuracy over this many mismatch draws (chips) at each --area-scales (default 0: none; the seed: 200)' },
  { flag: '--area-scales <list>', option: 'areaScales', help: `with --monte-carlo: cell area scales, comma-separated (default ${D.areaScales.join(',')})` },
  { flag: '--gradient <kind>', option: 'gradient', help: 'with --synapse: exact (through the v = H(z) loop; default) or eq6 (the seed\'s Eq. 6 as printed, without the loop factor)', choices: ['exact', 'eq6'] },
  { flag: '--current-scale-a <amperes>', option: 'currentScaleA', help: `with --synapse: the logits are the output currents divided by this (default ${D.currentScaleA}; the seed's 50e-6 suits larger currents than our cells')` },
  { flag: '--input-high-a <amperes>', option: 'inputHighA', help: 'with --synapse: input current of a feature equal to 1 (features in [0, 1]; default half the table\'s largest current)' },
  { flag: '--bias-a <amperes>', option: 'biasA', help: 'with --synapse: the constant input current of the bias synapses (default as --input-high-a)' },
];

/** The train options that apply to an ONNX model only. */
const MODEL_ONLY = ['epochs', 'optimizer', 'loss', 'workers', 'grid', 'weightNoise', 'signalNoise', 'l1', 'l2', 'l1Negative', 'rangePenalty', 'labelColumn'];

export interface SynapseTrainFlags {
  [flag: string]: unknown;
  synapse?: string;
  data?: string;
  test?: string;
  output?: string;
  json?: boolean;
}

function lutOf(spec: string): { curves: SynapseLut; file: string } {
  const m = /^lut:(.+)$/.exec(spec);
  if (!m) throw usageError(SM.badSynapseSpec(spec));
  return { curves: SynapseLut.fromFile(m[1]!, decksSha256), file: m[1]! };
}

/** Features per sample of a JSON sample file (its first sample's length), to read it without a model's shape. */
function widthOf(path: string): number {
  let doc: { inputs?: unknown[] };
  try {
    doc = JSON.parse(readTextFile(path, { maxBytes: 256 * 1024 * 1024, what: 'a sample file', hint: 'give fewer samples' })) as { inputs?: unknown[] };
  } catch (e) {
    if (isOhmnetError(e)) throw e;
    throw inputError(SM.samplesNotJson(path));
  }
  const first = Array.isArray(doc?.inputs) ? doc.inputs[0] : undefined;
  if (!Array.isArray(first) || first.length === 0) throw inputError(SM.samplesNotJson(path));
  return first.length;
}

function setOf(path: string, inputs: number | null, what: string): LabelledSet {
  const f = readSampleFile(path, [inputs ?? widthOf(path)]);
  if (!f.labels) throw usageError(TM.noLabels(what));
  return { samples: f.samples, labels: f.labels };
}

function listOf(flag: string, text: string, int: boolean): number[] {
  const parts = text.split(',').map((s) => s.trim());
  return parts.map((p) => (int ? parseIntOption(flag, p, 1) : parseNumberOption(flag, p)));
}

function optionsOf(flags: SynapseTrainFlags): SynapseTrainOptions & { monteCarlo: number; areaScales?: number[] } {
  const o: Record<string, unknown> = {};
  const s = (k: string) => (flags[k] === undefined ? undefined : String(flags[k]));
  if (s('iterations') !== undefined) o.iterations = parseIntOption('--iterations', s('iterations')!, 0);
  if (s('batchSize') !== undefined) o.batchSize = parseIntOption('--batch-size', s('batchSize')!, 1);
  if (s('seed') !== undefined) o.seed = parseIntOption('--seed', s('seed')!, 0, 2 ** 32 - 1);
  if (s('lr') !== undefined) o.learningRate = parseNumberOption('--lr', s('lr')!);
  if (s('momentum') !== undefined) o.momentum = parseNumberOption('--momentum', s('momentum')!);
  if (s('hidden') !== undefined) o.hidden = listOf('--hidden', s('hidden')!, true);
  if (s('areaScale') !== undefined) o.areaScale = parseNumberOption('--area-scale', s('areaScale')!);
  if (s('gradient') !== undefined) o.gradient = s('gradient');
  for (const [k, flag] of [['currentScaleA', '--current-scale-a'], ['inputHighA', '--input-high-a'], ['biasA', '--bias-a']] as const) {
    if (s(k) !== undefined) o[k] = parseNumberOption(flag, s(k)!);
  }
  if (o.inputHighA !== undefined && o.biasA === undefined) o.biasA = o.inputHighA;
  const monteCarlo = s('monteCarlo') !== undefined ? parseIntOption('--monte-carlo', s('monteCarlo')!, 0) : 0;
  if (s('areaScales') !== undefined) o.areaScales = listOf('--area-scales', s('areaScales')!, false);
  return { ...(o as SynapseTrainOptions), monteCarlo, ...(o.areaScales ? { areaScales: o.areaScales as number[] } : {}) };
}

const count = (f: SynapseSetFigures) => `${f.correct}/${f.samples}`;

/** `ohmnet train --synapse ...` (the caller has checked that --synapse is given and no model is). */
export async function trainSynapseCommand(flags: SynapseTrainFlags, io: CliIO): Promise<number> {
  for (const k of MODEL_ONLY) if (flags[k] !== undefined) throw usageError(SM.modelOnlyOption(k));
  if (!flags.output) throw usageError(SM.noWeightsOutput());
  if (!flags.data) throw usageError(TM.noData());
  checkOutputFile(flags.output);
  if (typeof flags.report === 'string') checkOutputFile(flags.report);
  const o = optionsOf(flags);
  const { curves, file } = lutOf(String(flags.synapse));
  const initial = typeof flags.weights === 'string' ? readWeightsFile(flags.weights) : undefined;
  if (initial) checkNetwork(initial.network, curves, `starting (${basename(flags.weights as string)})`);
  const data = setOf(flags.data, initial ? initial.network.sizes[0]! : null, 'training (--data)');
  const inputs = data.samples[0]?.length ?? 0;
  const validation = typeof flags.validation === 'string' ? setOf(flags.validation, inputs, 'validation (--validation)') : undefined;
  const test = flags.test ? setOf(flags.test, inputs, 'test (--test)') : undefined;
  if (o.monteCarlo > 0 && !test) throw usageError(SM.monteCarloNeedsTest());
  const result = trainSynapseNetwork(curves, data, {
    ...o,
    ...(initial ? { initial: initial.network, inputHighA: o.inputHighA ?? initial.encoding.inputHighA, biasA: o.biasA ?? initial.encoding.biasA, currentScaleA: o.currentScaleA ?? initial.encoding.currentScaleA } : {}),
    ...(validation ? { validation } : {}),
    ...(test ? { test } : {}),
  });
  const mc = o.monteCarlo > 0 && test ? monteCarloAccuracy(curves, result.network, result.encoding, test, { runs: o.monteCarlo, ...(o.areaScales ? { areaScales: o.areaScales } : {}), seed: result.options.seed }) : null;
  const lut = curves.data;
  const accuracy = {
    train: { correct: result.train.correct, samples: result.train.samples },
    ...(result.validation ? { validation: { correct: result.validation.correct, samples: result.validation.samples } } : {}),
    ...(result.test ? { test: { correct: result.test.correct, samples: result.test.samples } } : {}),
  };
  const newton = {
    trainingMaxIterations: result.trainingNewton.maxIterations,
    trainingMeanIterations: result.trainingNewton.meanIterations,
    trainingMaxResidualV: result.trainingNewton.maxResidualV,
    trainingUnconverged: result.trainingNewton.unconverged,
    trainSetMaxIterations: result.train.maxNewtonIterations,
    trainSetMaxResidualV: result.train.maxResidualV,
    trainSetUnconverged: result.train.unconverged,
  };
  const figures = {
    curves: { lut: basename(file), netlistSha256: lut.netlistSha256, decksSha256: lut.decksSha256, vccV: lut.vccV },
    training: { ...result.options, keptIteration: result.keptIteration },
    accuracy,
    newton,
    cost: result.cost,
    ...(mc ? { monteCarlo: mc.map((m) => ({ areaScale: m.areaScale, runs: m.correct.length, samples: m.samples, mean: m.mean, std: m.std, min: m.min, max: m.max })) } : {}),
  };
  const html = typeof flags.report === 'string'
    ? await renderSynapseReport({ lutFile: basename(file), lut, command: io.argv ? ['ohmnet', ...io.argv.map(shellQuote)].join(' ') : null, dataFile: basename(String(flags.data)), result, monteCarlo: mc })
    : null;
  writeFileAtomic(flags.output, serializeWeights(result.network, curves.weightLevels, result.encoding, figures));
  if (html !== null) writeFileAtomic(flags.report as string, html);
  if (flags.json) {
    io.out(JSON.stringify({ output: flags.output, ...figures, history: result.history }, null, 2));
    return 0;
  }
  const lines = [
    `trained a ${result.network.sizes.join('-')} network of non-linear synapses on ${basename(file)} with ${data.samples.length} samples of ${flags.data}: ${result.options.iterations} iterations, batch ${result.options.batchSize}, learning rate ${result.options.learningRate}, momentum ${result.options.momentum}, ${result.options.gradient} gradient`,
    formatTable(
      ['iteration', 'train loss (as trained)', 'train', ...(validation ? ['validation'] : [])],
      result.history.map((r) => [r.iteration, Number.isNaN(r.trainLossAsTrained) ? '-' : r.trainLossAsTrained.toPrecision(4), count(r.train), ...(r.validation ? [count(r.validation)] : [])]),
      [true, true, true, ...(validation ? [true] : [])],
    ),
    `kept the weights of iteration ${result.keptIteration}: train ${count(result.train)}${result.validation ? `, validation ${count(result.validation)}` : ''}${result.test ? `, test ${count(result.test)}` : ''} (noise-free)`,
    `Newton (from Vcc/2, tolerance ${result.options.newtonToleranceV} V): at most ${result.train.maxNewtonIterations} updates and residual ${result.train.maxResidualV.toExponential(2)} V on the training set, ${result.train.unconverged} neurons unconverged; while training (with mismatch noise) at most ${result.trainingNewton.maxIterations}, mean ${result.trainingNewton.meanIterations.toFixed(2)}, ${result.trainingNewton.unconverged} unconverged`,
    `interpolations: ${result.cost.synapseEvals} F, ${result.cost.sigmaEvals} sigma, ${result.cost.somaEvals} H lookups = ${result.cost.reads} reads, ${result.cost.mulDiv} mul/div, ${result.cost.addSub} add/sub at the seed's costs (a linear network: ${result.cost.conventional.reads} reads, ${result.cost.conventional.mulDiv} mul)`,
  ];
  if (mc) {
    lines.push(`test accuracy under device mismatch (${o.monteCarlo} chips per area scale, the same chips at every scale):`);
    lines.push(formatTable(['area scale', 'mean correct', '2 sigma', 'min', 'max'], mc.map((m) => [m.areaScale, `${m.mean.toFixed(2)}/${m.samples}`, (2 * m.std).toFixed(2), m.min, m.max]), [true, true, true, true, true]));
  }
  lines.push(`wrote ${flags.output}${typeof flags.report === 'string' ? ` and the report ${flags.report}` : ''}`);
  io.out(lines.join('\n'));
  return 0;
}
