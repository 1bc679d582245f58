// The compile options as CLI flags, shared by `compile` and `run --stage tnet` so both build the same network.

import { Command, Option } from 'commander';
import { usageError } from '../errors.js';
import type { Graph } from '../ir/ops.js';
import { readSamples } from '../io/samples.js';
import type { CompileOptions } from '../transform/pipeline.js';
import { parseResistance } from '../realize/series.js';
import type { RealizationOptions } from '../realize/stage.js';
import type { ToleranceDistribution } from '../simulate/realized.js';
import { parseOpamp, type OpampModel } from '../spice/models.js';
import type { EngineKind } from '../spice/engines/index.js';
import { parseIntOption, parseNumberOption } from './options.js';

export interface CompileFlags {
  fanIn?: string;
  fanOut?: string;
  signalLimit?: string;
  inputRange?: string;
  calibration?: string;
  calibrationSamples?: string;
  seed?: string;
  approx?: string;
  approxMethod?: string;
}

export function addCompileFlags(cmd: Command): Command {
  return cmd
    .addOption(new Option('--fan-in <n>', 'maximum inputs per analog neuron, N_I (default 100)'))
    .addOption(new Option('--fan-out <n>', 'maximum neurons one signal may drive, N_O (default 100)'))
    .addOption(new Option('--signal-limit <volts>', 'every signal stays within +-this on the calibration data (default 5)'))
    .addOption(new Option('--calibration <file>', 'calibration samples (JSON or CSV, like --inputs) for signal scaling and the equivalence check'))
    .addOption(new Option('--input-range <lo,hi>', 'without --calibration: draw calibration samples uniformly from this range (default 0,1)'))
    .addOption(new Option('--calibration-samples <n>', 'without --calibration: how many samples to draw (default 100)'))
    .addOption(new Option('--seed <n>', 'seed of every random draw: uniform calibration samples, Monte Carlo, optimal-set search (default 1)'))
    .addOption(new Option('--approx <p>', 'approximate construction (Layer2TNNX_Approx) sharing the first p pyramid levels; the error is reported'))
    .addOption(new Option('--approx-method <m>', 'with --approx: patent (the seed\'s ratio rule) or svd (best rank-1 block)').choices(['patent', 'svd']));
}

function parseRange(text: string): [number, number] {
  const parts = text.split(',');
  if (parts.length !== 2) throw usageError(`--input-range '${text}' is not lo,hi (e.g. 0,1)`);
  return [parseNumberOption('--input-range', parts[0]), parseNumberOption('--input-range', parts[1])];
}

export function compileOptionsFrom(flags: CompileFlags, graph: Graph): CompileOptions {
  if (flags.approxMethod !== undefined && flags.approx === undefined) throw usageError('--approx-method needs --approx <p>');
  return {
    ...(flags.fanIn !== undefined ? { fanIn: parseIntOption('--fan-in', flags.fanIn) } : {}),
    ...(flags.fanOut !== undefined ? { fanOut: parseIntOption('--fan-out', flags.fanOut) } : {}),
    ...(flags.signalLimit !== undefined ? { signalLimitV: parseNumberOption('--signal-limit', flags.signalLimit) } : {}),
    ...(flags.inputRange !== undefined ? { inputRange: parseRange(flags.inputRange) } : {}),
    ...(flags.calibration !== undefined ? { calibration: readSamples(flags.calibration, graph.input.shape) } : {}),
    ...(flags.calibrationSamples !== undefined ? { calibrationSamples: parseIntOption('--calibration-samples', flags.calibrationSamples) } : {}),
    ...(flags.seed !== undefined ? { seed: parseIntOption('--seed', flags.seed) } : {}),
    ...(flags.approx !== undefined
      ? { approx: { levels: parseIntOption('--approx', flags.approx), method: (flags.approxMethod ?? 'patent') as 'patent' | 'svd' } }
      : {}),
  };
}

export interface RealizationFlags {
  resistors?: string;
  rMin?: string;
  rMax?: string;
  rFeedback?: string;
  feedbackPer?: string;
  tolerance?: string;
  toleranceDist?: string;
  vRef?: string;
  trials?: string;
  workers?: string;
  dacBits?: string;
  adcBits?: string;
  classThreshold?: string;
  seed?: string;
}

export function addRealizationFlags(cmd: Command): Command {
  return cmd
    .addOption(new Option('--resistors <set>', 'resistor set: E6, E12, E24, E48, E96, E192 (IEC 60063), optimal:N (the patent\'s search) or a file of values (default E96)'))
    .addOption(new Option('--r-min <ohm>', 'smallest resistor, e.g. 100k (default 100k)'))
    .addOption(new Option('--r-max <ohm>', 'largest resistor, e.g. 1M (default 1M)'))
    .addOption(new Option('--r-feedback <r>', 'feedback resistor R_f: min-error (default: per layer, fewest gain stages then least weight error), patent (set value closest to R_min * w_max) or a value such as 1M'))
    .addOption(new Option('--feedback-per <scope>', 'choose R_f per layer (default) or per neuron').choices(['layer', 'neuron']))
    .addOption(new Option('--tolerance <fraction>', 'relative resistor tolerance, e.g. 0.01 (default 0: nominal values); used in pair selection and Monte Carlo'))
    .addOption(new Option('--tolerance-dist <d>', 'tolerance distribution for Monte Carlo: gaussian (sigma = tolerance, default) or uniform (+-tolerance)').choices(['gaussian', 'uniform']))
    .addOption(new Option('--v-ref <volts>', 'bias reference voltage V_ref (default 1)'))
    .addOption(new Option('--trials <n>', 'Monte Carlo trials over resistor tolerance (default 100 when --tolerance > 0)'))
    .addOption(new Option('--workers <n>', 'worker threads for Monte Carlo (default: CPU count; results do not depend on it)'))
    .addOption(new Option('--dac-bits <n>', 'simulate an n-bit input DAC (over the calibration input range)'))
    .addOption(new Option('--adc-bits <n>', 'simulate an n-bit output ADC (over the rails, -S..+S)'))
    .addOption(new Option('--class-threshold <x>', 'class of a single-output model: output > x (default 0.5)'));
}

export function realizationOptionsFrom(flags: RealizationFlags): RealizationOptions {
  let rFeedback: RealizationOptions['rFeedback'];
  if (flags.rFeedback !== undefined) {
    rFeedback = flags.rFeedback === 'min-error' || flags.rFeedback === 'patent' ? flags.rFeedback : parseResistance(flags.rFeedback, '--r-feedback');
  }
  return {
    ...(flags.resistors !== undefined ? { resistors: flags.resistors } : {}),
    ...(flags.rMin !== undefined ? { rMinOhm: parseResistance(flags.rMin, '--r-min') } : {}),
    ...(flags.rMax !== undefined ? { rMaxOhm: parseResistance(flags.rMax, '--r-max') } : {}),
    ...(rFeedback !== undefined ? { rFeedback } : {}),
    ...(flags.feedbackPer !== undefined ? { feedbackPer: flags.feedbackPer as 'layer' | 'neuron' } : {}),
    ...(flags.tolerance !== undefined ? { toleranceRel: parseNumberOption('--tolerance', flags.tolerance) } : {}),
    ...(flags.toleranceDist !== undefined ? { toleranceDistribution: flags.toleranceDist as ToleranceDistribution } : {}),
    ...(flags.vRef !== undefined ? { vRefV: parseNumberOption('--v-ref', flags.vRef) } : {}),
    ...(flags.trials !== undefined ? { trials: parseIntOption('--trials', flags.trials, 0) } : {}),
    ...(flags.workers !== undefined ? { workers: parseIntOption('--workers', flags.workers, 1) } : {}),
    ...(flags.dacBits !== undefined ? { dacBits: parseIntOption('--dac-bits', flags.dacBits, 1, 32) } : {}),
    ...(flags.adcBits !== undefined ? { adcBits: parseIntOption('--adc-bits', flags.adcBits, 1, 32) } : {}),
    ...(flags.classThreshold !== undefined ? { classThreshold: parseNumberOption('--class-threshold', flags.classThreshold) } : {}),
    ...(flags.seed !== undefined ? { seed: parseIntOption('--seed', flags.seed, 0) } : {}),
  };
}

export interface SpiceFlags {
  opamp?: string;
  engine?: string;
  samples?: string;
  spiceTimeout?: string;
}

export function addSpiceFlags(cmd: Command): Command {
  return cmd
    .addOption(new Option('--opamp <model>', 'op-amp model in the netlist: ideal (gain 1e9) or macro (finite gain, GBW, swing, Iq), with overrides, e.g. macro:gain=1e6,gbw=10e6 (default ideal)'))
    .addOption(new Option('--engine <engine>', 'SPICE engine: ngspice (the binary on PATH), wasm (ngspice in WebAssembly, from npm) or auto (ngspice if installed; default)').choices(['ngspice', 'wasm', 'auto']))
    .addOption(new Option('--samples <n>', 'SPICE verification: how many calibration samples to simulate (default 20)'))
    .addOption(new Option('--spice-timeout <seconds>', 'time limit of one SPICE run (default 60 s plus 0.25 s per sample)'));
}

export interface SpiceOptions {
  readonly opamp: OpampModel;
  readonly engine: EngineKind;
  readonly samples: number;
  readonly timeoutMs?: number;
}

export function spiceOptionsFrom(flags: SpiceFlags): SpiceOptions {
  return {
    opamp: parseOpamp(flags.opamp ?? 'ideal'),
    engine: (flags.engine ?? 'auto') as EngineKind,
    samples: flags.samples !== undefined ? parseIntOption('--samples', flags.samples, 1, 100_000) : 20,
    ...(flags.spiceTimeout !== undefined ? { timeoutMs: 1000 * parseNumberOption('--spice-timeout', flags.spiceTimeout) } : {}),
  };
}
