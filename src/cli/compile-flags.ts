// The compile options as CLI flags, shared by `compile` and `run --stage tnet` so both build the same network.

import { Command, Option } from 'commander';
import { usageError } from '../errors.js';
import type { Graph } from '../ir/ops.js';
import { readSamples } from '../io/samples.js';
import type { CompileOptions } from '../transform/pipeline.js';
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
    .addOption(new Option('--seed <n>', 'seed of the calibration sampler (default 1)'))
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
