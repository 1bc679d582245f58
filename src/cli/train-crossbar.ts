// `ohmnet train --target crossbar --data train.json -o xbar.json`: on-line training of a single layer on a memristor
// crossbar, pulse by pulse, as the seed's circuit does it (crossbar/online.ts; docs/crossbar.md, "Devices and on-line
// training"). No model argument: the layer is the data's features (plus a bias row) by its classes. Features are
// min-max scaled to [0, 1] over the training set (the row DACs' range; test features outside it are clipped); without
// --test the data is split into two halves, seeded (the seed's 75/75 Iris set-up). Writes the trained conductances
// and the weights they stand for as JSON, and prints the accuracy.

import { readFileSync } from 'node:fs';
import { inputError, isOhmnetError, OhmnetError, usageError, type Namer } from '../errors.js';
import { checkOutputFile, writeFileAtomic } from '../io/atomic.js';
import { readSampleFile } from '../io/sample-file.js';
import { MEMRISTOR_MESSAGES as MM } from '../messages/memristors.js';
import { TRAIN_MESSAGES as TM } from '../messages/train.js';
import { MEMRISTOR_PRESETS, NO_VARIATION, type MemristorModel } from '../presets/memristors.js';
import { validateModel } from '../crossbar/devices.js';
import { ONLINE_DEFAULTS, splitHalves, trainOnline, type OnlineData, type OnlineOptions } from '../crossbar/online.js';
import type { CliIO } from './context.js';
import { attributeOf, flagNamer } from './option-table.js';
import { parseIntOption, parseNumberOption } from './options.js';

/** The crossbar target's own options of `train` (flag, API option, help); --data, --test, --label-column, --output,
 * --lr, --momentum, --seed and --json are train's. */
export const CROSSBAR_TRAIN_FLAGS: readonly { flag: string; option: string; help: string; choices?: readonly string[] }[] = [
  { flag: '--target <name>', option: 'target', help: 'onnx (default: fine-tune the model and write ONNX) or crossbar (on-line training of one layer on a memristor crossbar, pulse by pulse; no model argument; writes the conductances as JSON; docs/crossbar.md)', choices: ['onnx', 'crossbar'] },
  { flag: '--device <model>', option: 'deviceModel', help: `crossbar: the memristor model, ${Object.keys(MEMRISTOR_PRESETS).join(', ')} (default vteam), or a JSON file of a model record` },
  { flag: '--iterations <n>', option: 'iterations', help: `crossbar: 0.1 s iterations of 1,000 pulse slots (default ${ONLINE_DEFAULTS.iterations})` },
  { flag: '--read-window <s>', option: 'readWindowS', help: `crossbar: T_rd, seconds (default ${ONLINE_DEFAULTS.readWindowS})` },
  { flag: '--write-window <s>', option: 'writeWindowS', help: `crossbar: T_write, seconds (default ${ONLINE_DEFAULTS.writeWindowS}); T_rd + T_write fit the 1e-4 s slot` },
  { flag: '--max-pulse <s>', option: 'updatePulseMaxS', help: 'crossbar: longest update pulse, seconds (default: the write window; longer exits 2)' },
  { flag: '--hidden <n>', option: 'hidden', help: 'crossbar: hidden neurons (default 0: one layer; n > 0: the seed\'s two synaptic grids, features -> n -> classes)' },
  { flag: '--weight-max <w>', option: 'weightMax', help: `crossbar: the weight of a pair at full conductance difference (default ${ONLINE_DEFAULTS.weightMax})` },
  { flag: '--adaptive-lr', option: 'adaptiveLearningRate', help: 'crossbar: the adaptive learning-rate module (bold driver, once per iteration)' },
  { flag: '--lr-increase <a>', option: 'lrIncrease', help: `crossbar: its amplifier gain when the error fell (default ${ONLINE_DEFAULTS.lrIncrease})` },
  { flag: '--lr-decrease <b>', option: 'lrDecrease', help: `crossbar: its multiplier constant when the error rose (default ${ONLINE_DEFAULTS.lrDecrease})` },
  { flag: '--d2d <rel>', option: 'd2dRel', help: 'crossbar: device-to-device variation, relative sigma (default 0)' },
  { flag: '--c2c <rel>', option: 'c2cRel', help: 'crossbar: cycle-to-cycle variation per write pulse, relative sigma (default 0)' },
  { flag: '--read-disturb <ds>', option: 'readDisturbPerRead', help: 'crossbar: state drift per read cycle (default 0: non-destructive reads)' },
];

export interface CrossbarTrainFlags {
  [flag: string]: unknown;
  data?: string;
  test?: string;
  labelColumn?: string;
  output?: string;
  json?: boolean;
}

const OWN: Record<string, string> = Object.fromEntries([
  ...CROSSBAR_TRAIN_FLAGS.map((f) => [f.option, f.flag.split(' ')[0]]),
  ['learningRate', '--lr'],
  ['momentum', '--momentum'],
  ['seed', '--seed'],
  ['data', '--data'],
  ['output', '--output'],
  ['labelColumn', '--label-column'],
  ['slotS', 'the 1e-4 s pulse slot'],
  ['classes', 'the number of classes'],
]);
export const crossbarTrainNamer: Namer = (o) => OWN[o] ?? flagNamer(o);
const namer = crossbarTrainNamer;

export async function trainCrossbarCommand(model: string | undefined, flags: CrossbarTrainFlags, io: CliIO): Promise<number> {
  try {
    return run(model, flags, io);
  } catch (e) {
    if (isOhmnetError(e)) throw new OhmnetError(e.kind, e.messageWith(namer));
    throw e;
  }
}

/** The number of features per sample of a JSON or CSV sample file (the crossbar target has no model to give it). */
function featureCount(path: string, labelColumn: string | undefined): number {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return 1; // readSampleFile names the problem
  }
  const t = text.replace(/^\uFEFF/, '').trimStart();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      const j = JSON.parse(t) as unknown;
      const inputs = Array.isArray(j) ? j : (j as { inputs?: unknown }).inputs;
      const first = Array.isArray(inputs) ? inputs[0] : undefined;
      return Array.isArray(first) ? first.flat(Infinity).length : 1;
    } catch {
      return 1;
    }
  }
  const header = t.split(/\r?\n/, 1)[0] ?? '';
  return Math.max(1, header.split(',').length - (labelColumn !== undefined ? 1 : 0));
}

function read(path: string, what: string, labelColumn: string | undefined, features?: number): OnlineData {
  const f = readSampleFile(path, [features ?? featureCount(path, labelColumn)], labelColumn);
  if (!f.labels) throw usageError(TM.noLabels(what));
  return { inputs: f.samples.map((s) => Array.from(s)), labels: f.labels };
}

/** A device model from a JSON file (a preset's record with the user's figures); validated by trainOnline. */
function modelFile(path: string): MemristorModel {
  if (!path.toLowerCase().endsWith('.json')) throw usageError(MM.unknownModel(path, Object.keys(MEMRISTOR_PRESETS)));
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw inputError(MM.badModelFile(path, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'it cannot be read'));
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw inputError(MM.badModelFile(path, 'it is not valid JSON'));
  }
  const m = doc as MemristorModel;
  validateModel(m);
  return { ...m, name: typeof m.name === 'string' ? m.name : path, source: typeof m.source === 'string' ? m.source : `the user's file ${path}`, choices: Array.isArray(m.choices) ? m.choices : [] };
}

function options(flags: CrossbarTrainFlags): Partial<OnlineOptions> & { deviceModel: OnlineOptions['deviceModel'] } {
  const o: Record<string, unknown> = {};
  const num = (option: string, flag: string) => {
    const v = flags[attributeOf(flag)];
    if (v !== undefined) o[option] = parseNumberOption(flag.split(' ')[0]!, String(v));
  };
  for (const f of CROSSBAR_TRAIN_FLAGS) {
    if (['target', 'deviceModel', 'adaptiveLearningRate', 'd2dRel', 'c2cRel', 'readDisturbPerRead'].includes(f.option)) continue;
    if (f.option === 'iterations' || f.option === 'hidden') {
      const v = flags[attributeOf(f.flag)];
      if (v !== undefined) o[f.option] = parseIntOption(f.flag.split(' ')[0]!, String(v), f.option === 'hidden' ? 0 : 1);
    } else num(f.option, f.flag);
  }
  num('learningRate', '--lr <x>');
  num('momentum', '--momentum <x>');
  if (flags.seed !== undefined) o.seed = parseIntOption('--seed', String(flags.seed), 0, 2 ** 32 - 1);
  if (flags.adaptiveLr) o.adaptiveLearningRate = true;
  const name = flags.device === undefined ? 'vteam' : String(flags.device);
  const deviceModel = MEMRISTOR_PRESETS[name] ?? modelFile(name);
  const variation = { ...NO_VARIATION };
  const v = (key: 'd2dRel' | 'c2cRel' | 'readDisturbPerRead', flag: string) => {
    const x = flags[attributeOf(flag)];
    if (x !== undefined) variation[key] = parseNumberOption(flag.split(' ')[0]!, String(x));
  };
  v('d2dRel', '--d2d <rel>');
  v('c2cRel', '--c2c <rel>');
  v('readDisturbPerRead', '--read-disturb <ds>');
  return { ...o, deviceModel, variation };
}

/** Min-max scaling of the features over the training set; test features are clipped to the range (the DACs'). */
function scale(train: OnlineData, test: OnlineData): { train: OnlineData; test: OnlineData; min: number[]; max: number[] } {
  const n = train.inputs[0]!.length;
  const min = Array.from({ length: n }, (_, j) => Math.min(...train.inputs.map((x) => x[j]!)));
  const max = Array.from({ length: n }, (_, j) => Math.max(...train.inputs.map((x) => x[j]!)));
  const f = (x: readonly number[]) => x.map((v, j) => (max[j]! > min[j]! ? Math.min(1, Math.max(0, (v - min[j]!) / (max[j]! - min[j]!))) : 0.5));
  return { train: { inputs: train.inputs.map(f), labels: train.labels }, test: { inputs: test.inputs.map(f), labels: test.labels }, min, max };
}

function run(model: string | undefined, flags: CrossbarTrainFlags, io: CliIO): number {
  if (model !== undefined) throw usageError(MM.modelWithCrossbar(model));
  if (!flags.output) throw usageError(MM.noCrossbarOutput());
  if (!flags.data) throw usageError(TM.noData());
  checkOutputFile(flags.output);
  const opts = options(flags);
  const label = typeof flags.labelColumn === 'string' ? flags.labelColumn : undefined;
  const data = read(flags.data, 'training (--data)', label);
  const features = data.inputs[0]!.length;
  const classes = Math.max(2, ...data.labels.map((l) => l + 1));
  let train: OnlineData;
  let test: OnlineData;
  if (flags.test) {
    train = data;
    test = read(flags.test, 'test (--test)', label, features);
  } else {
    ({ train, test } = splitHalves(data, classes, opts.seed ?? ONLINE_DEFAULTS.seed));
  }
  const scaled = scale(train, test);
  const r = trainOnline(scaled.train, scaled.test, classes, opts);
  const m = opts.deviceModel;
  const doc = {
    target: 'crossbar',
    deviceModel: m,
    variation: opts.variation,
    hidden: r.hidden,
    rows: 'per layer: its inputs in order (the features, or the previous layer\'s outputs), then the bias row (driven at +V_read)',
    columns: 'per layer: its outputs (the hidden neurons, or classes 0..n-1)',
    scaling: { min: scaled.min, max: scaled.max },
    layers: r.layers,
    train: { samples: train.inputs.length, accuracy: r.trainAccuracy },
    test: { samples: test.inputs.length, source: flags.test ? flags.test : `the other half of ${flags.data}`, accuracy: r.testAccuracy },
    iterationErrors: r.iterationErrors,
    learningRates: r.learningRates,
    pulses: r.pulses,
    saturatedPulses: r.saturatedPulses,
    circuitTimeS: r.circuitTimeS,
  };
  writeFileAtomic(flags.output, `${JSON.stringify(doc, null, 2)}\n`);
  if (flags.json) {
    io.out(JSON.stringify({ output: flags.output, deviceModel: m.name, trainAccuracy: r.trainAccuracy, testAccuracy: r.testAccuracy, test: doc.test, iterationErrors: r.iterationErrors, learningRates: r.learningRates }, null, 2));
    return 0;
  }
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  io.out(
    [
      `trained ${r.hidden > 0 ? `${features + 1} x ${r.hidden} and ${r.hidden + 1} x ${classes} crossbars` : `a ${features + 1} x ${classes} crossbar`} of ${m.name} pairs on-line (${r.circuitTimeS.toPrecision(3)} s of circuit time, ${r.pulses} update pulses, ${r.saturatedPulses} at the pulse-width limit)`,
      `train accuracy ${pct(r.trainAccuracy)} on ${train.inputs.length} samples; test accuracy ${pct(r.testAccuracy)} on ${test.inputs.length} samples (${doc.test.source})`,
      `wrote ${flags.output}`,
    ].join('\n'),
  );
  return 0;
}
