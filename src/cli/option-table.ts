// Every command-line option of the flow, once: its flag, its help, which library option (API name) it sets and how
// its text is parsed. Commands add the groups they take; the same table renders library messages' option names as
// flags (the CLI's Namer), so `fanIn 1 is not possible` reads `--fan-in 1 ...` on the terminal. The config file's
// keys are the flags in camelCase (commander's attribute names); config/types.ts declares them for the schema, and
// test/config keeps the two in step.

import { Command, Option } from 'commander';
import type { Graph } from '../ir/ops.js';
import type { Namer } from '../errors.js';
import type { FlowOptions, LayerOptions } from '../flow/options.js';
import type { LayerConfig } from '../config/types.js';
import { DEFAULTS } from '../presets/defaults.js';
import { readSampleFile } from '../io/sample-file.js';
import { parseResistance } from '../realize/series.js';
import { parseIntOption, parseNumberOption } from './options.js';
import { usageError } from '../errors.js';
import type { PruneStep } from '../transform/prune.js';

/** compile: T-transformation and calibration; test: the held-out set (not for run, which measures on --inputs);
 * verdict: the thresholds of the verdicts (compile, verify). */
export type OptionGroup = 'compile' | 'test' | 'realize' | 'verdict' | 'spice';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface ParseContext {
  readonly graph: Graph;
  /** --label-column, for CSV sample files. */
  readonly labelColumn?: string;
}

export interface OptionSpec {
  readonly group: OptionGroup;
  /** Commander's flag spec, e.g. '--fan-in <n>'. */
  readonly flag: string;
  readonly help: string;
  readonly choices?: readonly string[];
  /** The library options this flag sets (for naming them in messages). */
  readonly keys: readonly string[];
  /** Sets the library options from the flag's text. */
  readonly apply?: (text: string, into: Mutable<FlowOptions>, ctx: ParseContext) => void;
}

const int = (flag: string, min?: number, max?: number) => (t: string) => parseIntOption(flag, t, min, max);
const number = (flag: string) => (t: string) => parseNumberOption(flag, t);

function parseRange(text: string): [number, number] {
  const parts = text.split(',');
  if (parts.length !== 2) throw usageError(`--input-range '${text}' is not lo,hi (e.g. 0,1)`);
  return [parseNumberOption('--input-range', parts[0]), parseNumberOption('--input-range', parts[1])];
}

export const OPTION_TABLE: readonly OptionSpec[] = [
  // --- T-transformation and sample sets
  { group: 'compile', flag: '--fan-in <n>', help: `maximum inputs per analog neuron, N_I (default ${DEFAULTS.fanIn})`, keys: ['fanIn'], apply: (t, o) => (o.fanIn = int('--fan-in')(t)) },
  { group: 'compile', flag: '--fan-out <n>', help: `maximum neurons one signal may drive, N_O (default ${DEFAULTS.fanOut})`, keys: ['fanOut'], apply: (t, o) => (o.fanOut = int('--fan-out')(t)) },
  { group: 'compile', flag: '--signal-limit <volts>', help: `every signal stays within +-this on the calibration data (default ${DEFAULTS.signalLimitV})`, keys: ['signalLimitV'], apply: (t, o) => (o.signalLimitV = number('--signal-limit')(t)) },
  { group: 'compile', flag: '--signal-headroom <fraction>', help: `fraction of the signal limit kept free on the calibration data, a margin for unseen inputs, e.g. 0.2 (default ${DEFAULTS.signalHeadroomRel})`, keys: ['signalHeadroomRel'], apply: (t, o) => (o.signalHeadroomRel = number('--signal-headroom')(t)) },
  { group: 'compile', flag: '--calibration <file>', help: 'calibration samples (JSON or CSV, like --inputs) for signal scaling', keys: ['calibration'], apply: (t, o, c) => (o.calibration = readSampleFile(t, c.graph.input.shape, c.labelColumn)) },
  { group: 'test', flag: '--test <file>', help: 'held-out test samples (JSON or CSV; with labels: JSON "labels" or a CSV --label-column) on which equivalence, realization, Monte Carlo and SPICE are measured (default: the calibration samples)', keys: ['test'], apply: (t, o, c) => (o.test = readSampleFile(t, c.graph.input.shape, c.labelColumn)) },
  { group: 'compile', flag: '--label-column <name>', help: 'CSV sample files: the column (header name or 0-based index) that holds each sample\'s class label', keys: ['labelColumn'] },
  { group: 'compile', flag: '--input-range <lo,hi>', help: `without --calibration: draw calibration samples uniformly from this range (default ${DEFAULTS.inputRange.join(',')})`, keys: ['inputRange'], apply: (t, o) => (o.inputRange = parseRange(t)) },
  { group: 'compile', flag: '--calibration-samples <n>', help: `without --calibration: how many samples to draw (default ${DEFAULTS.calibrationSamples})`, keys: ['calibrationSamples'], apply: (t, o) => (o.calibrationSamples = int('--calibration-samples', 1)(t)) },
  { group: 'compile', flag: '--seed <n>', help: `seed of every random draw: uniform calibration samples, Monte Carlo, optimal-set search (default ${DEFAULTS.seed})`, keys: ['seed'], apply: (t, o) => (o.seed = int('--seed', 0)(t)) },
  { group: 'compile', flag: '--approx <p>', help: 'approximate construction (Layer2TNNX_Approx) sharing the first p pyramid levels; the error is reported', keys: ['approx'], apply: (t, o) => (o.approx = { levels: int('--approx')(t), method: o.approx?.method ?? 'patent' }) },
  { group: 'compile', flag: '--sigmoid-block <A,B|patent>', help: 'fixed constants of every sigmoid block A/(1+exp(-B v)), folded exactly into the neighbouring weights: patent (A = -0.1, B = 11.3) or A,B (default: chosen per neuron)', keys: ['sigmoidBlock'], apply: (t, o) => (o.sigmoidBlock = t) },
  { group: 'compile', flag: '--tanh-block <A,B|patent>', help: 'fixed constants of every tanh block A tanh(B v): patent (A = 0.1, B = -10.1) or A,B (default: chosen per neuron)', keys: ['tanhBlock'], apply: (t, o) => (o.tanhBlock = t) },
  { group: 'compile', flag: '--approx-method <m>', help: 'with --approx: patent (the seed\'s ratio rule) or svd (best rank-1 block)', choices: ['patent', 'svd'], keys: ['approxMethod'] },
  { group: 'compile', flag: '--prune <steps>', help: 'pruning and knowledge extraction (docs/pruning.md), comma-separated: weights (needs --prune-weight-below), biases (needs --prune-bias-below), dead, extract (on the calibration set), rank (needs --prune-rank-by and --prune-rank-max-error), fold; summary.json gains a pruning section', keys: ['prune'], apply: (t, o) => (o.prune = t.split(',').map((x) => x.trim()).filter((x) => x !== '') as PruneStep[]) },
  { group: 'compile', flag: '--prune-weight-below <x>', help: 'with --prune weights: remove connections with |w| below x (a weight ratio)', keys: ['pruneWeightBelowAbs'], apply: (t, o) => (o.pruneWeightBelowAbs = number('--prune-weight-below')(t)) },
  { group: 'compile', flag: '--prune-bias-below <x>', help: 'with --prune biases: realize biases with |b| below x (model signal units) as 0', keys: ['pruneBiasBelowAbs'], apply: (t, o) => (o.pruneBiasBelowAbs = number('--prune-bias-below')(t)) },
  { group: 'compile', flag: '--prune-rank-by <m>', help: 'with --prune rank: rank neurons by their use on the calibration set: activity (fraction of samples nonzero), mean-abs (mean |output|) or current (mean |output| x driven |w|)', keys: ['pruneRankBy'], apply: (t, o) => (o.pruneRankBy = t) },
  { group: 'compile', flag: '--prune-rank-max-error <x>', help: 'with --prune rank: remove the lowest-ranked neurons while the max |output change| on the calibration set stays within x (model signal units)', keys: ['pruneRankMaxErrorAbs'], apply: (t, o) => (o.pruneRankMaxErrorAbs = number('--prune-rank-max-error')(t)) },
  { group: 'compile', flag: '--prune-resistor-area-um2 <a>', help: 'with --prune: the area of one resistor (um^2, your process\'s figure; needs --prune-opamp-area-um2): summary.json pruning gains an area estimate', keys: ['pruneResistorAreaUm2'], apply: (t, o) => (o.pruneResistorAreaUm2 = number('--prune-resistor-area-um2')(t)) },
  { group: 'compile', flag: '--prune-opamp-area-um2 <a>', help: 'with --prune: the area of one op-amp (um^2, your process\'s figure; needs --prune-resistor-area-um2)', keys: ['pruneOpampAreaUm2'], apply: (t, o) => (o.pruneOpampAreaUm2 = number('--prune-opamp-area-um2')(t)) },
  { group: 'realize', flag: '--prune-open-above <ohm>', help: 'patent claims (FIG. 30C): remove every weight or bias resistor above this, e.g. 900k; the change is measured (summary.json pruning)', keys: ['pruneOpenAboveOhm'], apply: (t, o) => (o.pruneOpenAboveOhm = parseResistance(t, '--prune-open-above')) },
  { group: 'realize', flag: '--prune-conductor-below <ohm>', help: 'patent claims (FIG. 30B): replace every weight or bias resistor below this by a conductor of --prune-conductor-ohm', keys: ['pruneConductorBelowOhm'], apply: (t, o) => (o.pruneConductorBelowOhm = parseResistance(t, '--prune-conductor-below')) },
  { group: 'realize', flag: '--prune-conductor-ohm <ohm>', help: 'with --prune-conductor-below: the conductor\'s resistance (a wire is not 0 ohms; no default)', keys: ['pruneConductorOhm'], apply: (t, o) => (o.pruneConductorOhm = parseResistance(t, '--prune-conductor-ohm')) },
  { group: 'compile', flag: '--debug <dir>', help: 'check every pass against the network before it on the calibration data, and write the network after each pass and the pass timings into this directory', keys: ['debug'] },
  // --- realization and measurement
  { group: 'realize', flag: '--resistors <set>', help: `resistor set: E6, E12, E24, E48, E96, E192 (IEC 60063), optimal:N (the patent's search) or a file of values (default ${DEFAULTS.resistors})`, keys: ['resistors'], apply: (t, o) => (o.resistors = t) },
  { group: 'realize', flag: '--r-min <ohm>', help: 'smallest resistor, e.g. 100k (default 100k)', keys: ['rMinOhm'], apply: (t, o) => (o.rMinOhm = parseResistance(t, '--r-min')) },
  { group: 'realize', flag: '--r-max <ohm>', help: 'largest resistor, e.g. 1M (default 1M)', keys: ['rMaxOhm'], apply: (t, o) => (o.rMaxOhm = parseResistance(t, '--r-max')) },
  {
    group: 'realize', flag: '--r-feedback <r>', keys: ['feedback', 'rFeedbackOhm'],
    help: 'feedback resistor R_f: min-error (default: per layer, fewest gain stages then least weight error), patent (set value closest to R_min * w_max) or a value such as 1M',
    apply: (t, o) => {
      if (t === 'min-error' || t === 'patent') o.feedback = t;
      else o.rFeedbackOhm = parseResistance(t, '--r-feedback');
    },
  },
  { group: 'realize', flag: '--feedback-per <scope>', help: 'choose R_f per layer (default) or per neuron', choices: ['layer', 'neuron'], keys: ['feedbackPer'], apply: (t, o) => (o.feedbackPer = t as 'layer' | 'neuron') },
  { group: 'realize', flag: '--tolerance <fraction>', help: 'relative resistor tolerance, e.g. 0.01 (default 0: nominal values); used in pair selection and Monte Carlo', keys: ['toleranceRel'], apply: (t, o) => (o.toleranceRel = number('--tolerance')(t)) },
  { group: 'realize', flag: '--tolerance-dist <d>', help: 'tolerance distribution for Monte Carlo: gaussian (sigma = tolerance, default) or uniform (+-tolerance)', choices: ['gaussian', 'uniform'], keys: ['toleranceDistribution'], apply: (t, o) => (o.toleranceDistribution = t as 'gaussian' | 'uniform') },
  { group: 'realize', flag: '--v-ref <volts>', help: `bias reference voltage V_ref (default ${DEFAULTS.vRefV})`, keys: ['vRefV'], apply: (t, o) => (o.vRefV = number('--v-ref')(t)) },
  { group: 'realize', flag: '--trials <n>', help: `Monte Carlo trials over resistor tolerance (default ${DEFAULTS.trialsWithTolerance} when --tolerance > 0)`, keys: ['trials'], apply: (t, o) => (o.trials = int('--trials', 0)(t)) },
  { group: 'realize', flag: '--workers <n>', help: 'worker threads for Monte Carlo (default and at most: the CPU count; results do not depend on it)', keys: ['workers'], apply: (t, o) => (o.workers = int('--workers', 1)(t)) },
  { group: 'realize', flag: '--dac-bits <n>', help: 'simulate an n-bit input DAC (over the calibration input range)', keys: ['dacBits'], apply: (t, o) => (o.dacBits = int('--dac-bits', 1, 32)(t)) },
  { group: 'realize', flag: '--adc-bits <n>', help: 'simulate an n-bit output ADC (over the rails, -S..+S)', keys: ['adcBits'], apply: (t, o) => (o.adcBits = int('--adc-bits', 1, 32)(t)) },
  { group: 'realize', flag: '--class-threshold <x>', help: `class of a single-output model: output > x (default ${DEFAULTS.classThreshold})`, keys: ['classThreshold'], apply: (t, o) => (o.classThreshold = number('--class-threshold')(t)) },
  // --- verdict thresholds (docs/cli.md#verdicts)
  { group: 'verdict', flag: '--max-output-error <volts>', help: 'verdict: largest |realized - source| at any analog output of the nominal circuit, in volts (default 1% of the signal limit)', keys: ['maxOutputErrorV'], apply: (t, o) => (o.maxOutputErrorV = number('--max-output-error')(t)) },
  { group: 'verdict', flag: '--min-accuracy <fraction>', help: 'verdict: smallest task accuracy (0..1) of the realized circuit and of Monte Carlo p5, with labels (default: the source model\'s accuracy minus 0.02)', keys: ['minAccuracy'], apply: (t, o) => (o.minAccuracy = number('--min-accuracy')(t)) },
  { group: 'verdict', flag: '--min-agreement <fraction>', help: `verdict: smallest class agreement (0..1) with the source of the realized circuit and of Monte Carlo p5 (default ${DEFAULTS.minAgreement})`, keys: ['minAgreement'], apply: (t, o) => (o.minAgreement = number('--min-agreement')(t)) },
  { group: 'verdict', flag: '--allow-out-of-range', help: 'verdict: inputs of the evaluated set beyond the calibration range or the rails are counted but do not fail', keys: ['allowOutOfRange'], apply: (t, o) => (o.allowOutOfRange = t === 'true') },
  // --- SPICE
  { group: 'spice', flag: '--opamp <model>', help: 'op-amp model in the netlist: ideal (gain 1e9) or macro (finite gain, GBW, swing, Iq), with overrides, e.g. macro:gain=1e6,gbw=10e6 (default ideal)', keys: ['opamp'], apply: (t, o) => (o.opamp = t) },
  { group: 'spice', flag: '--engine <engine>', help: 'SPICE engine: ngspice (the binary on PATH), wasm (ngspice in WebAssembly, from npm) or auto (ngspice if installed; default)', choices: ['ngspice', 'wasm', 'auto'], keys: ['engine'], apply: (t, o) => (o.engine = t as 'ngspice' | 'wasm' | 'auto') },
  { group: 'spice', flag: '--samples <n>', help: `SPICE verification: how many samples of the test set (or the calibration set) to simulate (default ${DEFAULTS.spiceSamples})`, keys: ['spiceSamples'], apply: (t, o) => (o.spiceSamples = int('--samples', 1, 100_000)(t)) },
  { group: 'spice', flag: '--spice-partition <neurons>', help: 'solve the netlist in partitions of at most this many neurons, cut where layers end, each driven by the voltages SPICE solved before it (large networks; default: the whole netlist at once)', keys: ['spicePartitionNeurons'], apply: (t, o) => (o.spicePartitionNeurons = int('--spice-partition', 1, 2 ** 31 - 1)(t)) },
  { group: 'spice', flag: '--spice-timeout <seconds>', help: 'time limit of one SPICE run (default 60 s plus, per sample, 0.25 s and 50 us per netlist line)', keys: ['spiceTimeoutMs'], apply: (t, o) => (o.spiceTimeoutMs = 1000 * number('--spice-timeout')(t)) },
];

/** Commander's attribute name of a flag spec ('--fan-in <n>' -> fanIn). */
export function attributeOf(flag: string): string {
  return flag.replace(/^--/, '').split(' ')[0].replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Adds the options of the given groups to a command. */
export function addOptionGroups(cmd: Command, groups: readonly OptionGroup[]): Command {
  for (const spec of OPTION_TABLE) {
    if (!groups.includes(spec.group)) continue;
    const opt = new Option(spec.flag, spec.help);
    cmd.addOption(spec.choices ? opt.choices(spec.choices) : opt);
  }
  return cmd;
}

/** The library options given by a command's flags (strings as commander parsed them), in table order. */
export function flowOptionsFrom(flags: Readonly<Record<string, unknown>>, graph: Graph, groups: readonly OptionGroup[]): FlowOptions {
  const out: Mutable<FlowOptions> = {};
  const ctx: ParseContext = { graph, ...(typeof flags.labelColumn === 'string' ? { labelColumn: flags.labelColumn } : {}) };
  for (const spec of OPTION_TABLE) {
    if (!groups.includes(spec.group) || !spec.apply) continue;
    const v = flags[attributeOf(spec.flag)];
    if (v !== undefined) spec.apply(String(v), out, ctx);
  }
  if (flags.approxMethod !== undefined) {
    if (!out.approx) throw usageError('--approx-method needs --approx <p>');
    out.approx = { ...out.approx, method: flags.approxMethod as 'patent' | 'svd' };
  }
  if (flags.layers !== undefined && (groups.includes('compile') || groups.includes('realize'))) out.layers = layerOptionsFrom(flags.layers as Readonly<Record<string, LayerConfig>>);
  return out;
}

/** The config file's per-layer options (keys as LayerConfig: the flags' names) as library options. */
export function layerOptionsFrom(layers: Readonly<Record<string, LayerConfig>>): Record<string, LayerOptions> {
  const out: Record<string, LayerOptions> = {};
  for (const [name, l] of Object.entries(layers)) {
    const key = (k: string) => `layers.${name}.${k}`;
    const rf = l.rFeedback;
    out[name] = {
      ...(l.fanIn !== undefined ? { fanIn: l.fanIn } : {}),
      ...(l.fanOut !== undefined ? { fanOut: l.fanOut } : {}),
      ...(l.resistors !== undefined ? { resistors: l.resistors } : {}),
      ...(l.rMin !== undefined ? { rMinOhm: parseResistance(String(l.rMin), key('rMin')) } : {}),
      ...(l.rMax !== undefined ? { rMaxOhm: parseResistance(String(l.rMax), key('rMax')) } : {}),
      ...(rf === 'min-error' || rf === 'patent' ? { feedback: rf } : rf !== undefined ? { rFeedbackOhm: parseResistance(String(rf), key('rFeedback')) } : {}),
      ...(l.tolerance !== undefined ? { toleranceRel: l.tolerance } : {}),
    };
  }
  return out;
}

/**
 * With a compiled project, the flags that may be given on top: what a command measures and how (test set, Monte
 * Carlo, converters, SPICE) and the command's own flags. Every other flow flag would change the compiled circuit
 * and is refused (cli/project.ts).
 */
export const PROJECT_OVERRIDES: ReadonlySet<string> = new Set([
  'test', 'labelColumn', 'maxOutputError', 'minAccuracy', 'minAgreement', 'allowOutOfRange', 'trials', 'workers', 'toleranceDist', 'dacBits', 'adcBits', 'classThreshold', 'opamp', 'engine', 'samples', 'spiceTimeout', 'spicePartition',
]);

/** Options of the commands themselves (not of the flow) that library messages name. */
const COMMAND_FLAGS: readonly (readonly [string, string])[] = [
  ['force', '--force'], ['output', '-o DIR'], ['outputFile', '-o FILE'], ['inputs', '--inputs'],
  ['maxTensorElements', '--max-tensor-elements'], ['inputShape', '--input-shape'], ['config', '--config'], ['outputs', '--outputs'],
  ['masks', '--masks'], ['process', '--process'], ['reuse', '--reuse'], ['library', '--library'],
  ['shard', '--shard'], ['shards', '--shards'], ['jobDir', '--job-dir'], ['image', '--image'], ['pvc', '--pvc'], ['parallelism', '--parallelism'],
];

const FLAG_OF = new Map<string, string>([...OPTION_TABLE.flatMap((s) => s.keys.map((k) => [k, s.flag.split(' ')[0]] as const)), ...COMMAND_FLAGS]);

/** Library option names rendered as the CLI's flags. */
export const flagNamer: Namer = (option) => FLAG_OF.get(option) ?? option;
