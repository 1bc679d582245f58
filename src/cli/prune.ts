// `ohmnet prune <model> --method <m> --max-accuracy-drop <x> --test <labelled file> -o <pruned.onnx>`: the source
// network's accuracy loop (transform/prune-source.ts): zero weights (magnitude) or units (structured) at increasing
// levels until the test accuracy drops by more than allowed, keep the last model that met it, write it as ONNX
// (io/onnx-export.ts). Prints one row per level tried (or the JSON of docs/pruning.md with --json).

import { isOhmnetError, OhmnetError, usageError, type Namer } from '../errors.js';
import { importModel } from '../import/index.js';
import { checkOutputFile, writeFileAtomic } from '../io/atomic.js';
import { exportOnnx } from '../io/onnx-export.js';
import { readSampleFile } from '../io/sample-file.js';
import { PRUNE_MESSAGES as PM } from '../messages/prune.js';
import { DEFAULTS } from '../presets/defaults.js';
import { formatTable } from '../report/table.js';
import { pruneSource, SOURCE_PRUNE_METHODS, type SourcePruneMethod, type SourcePruneResult } from '../transform/prune-source.js';
import type { CliIO } from './context.js';
import { flagNamer } from './option-table.js';
import { importOptionsFrom, parseNumberOption, type ModelFlags } from './options.js';

export interface PruneFlags extends ModelFlags {
  [flag: string]: unknown;
  method?: string;
  maxAccuracyDrop?: string;
  levels?: string;
  test?: string;
  labelColumn?: string;
  classThreshold?: string;
  output?: string;
  json?: boolean;
}

const FLAGS: Readonly<Record<string, string>> = { method: '--method', maxAccuracyDrop: '--max-accuracy-drop', levels: '--levels', test: '--test', outputFile: '-o FILE' };
const pruneNamer: Namer = (o) => FLAGS[o] ?? flagNamer(o);

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

export function pruneLines(r: SourcePruneResult, model: string, out: string): string[] {
  const rows = r.levels.map((l, i) => [
    String(l.fraction), String(l.zeroedWeights), String(l.zeroedUnits), `${l.nonZeroWeights} / ${l.totalWeights}`, pct(l.accuracy), pct(l.drop), i === r.kept ? 'kept' : l.withinDrop ? 'within' : 'beyond: stop',
  ]);
  const k = r.levels[r.kept];
  return [
    `${model}: ${r.method} pruning, accuracy on the ${r.on.set} set (${r.on.samples} samples): source ${pct(r.sourceAccuracy)}, allowed drop ${pct(r.maxAccuracyDrop)}`,
    formatTable(['level', 'weights zeroed', 'units zeroed', 'non-zero weights', 'accuracy', 'drop', ''], rows, [true, true, true, true, true, true, false]),
    `kept level ${k.fraction}: ${k.zeroedWeights} of ${k.totalWeights} weights zeroed (${pct(k.zeroedWeights / k.totalWeights)}), ${k.zeroedUnits} units; accuracy ${pct(k.accuracy)}`,
    `wrote ${out} (compile it like any model: zero weights are absent connections, zeroed units have no neurons)`,
  ];
}

async function prune(model: string, flags: PruneFlags, io: CliIO): Promise<number> {
  if (flags.output === undefined) throw usageError((n) => `give the pruned model's file with ${n('outputFile')}`);
  if (flags.method === undefined) throw usageError((n) => `give ${n('method')}: one of ${SOURCE_PRUNE_METHODS.join(', ')} (no default)`);
  if (!(SOURCE_PRUNE_METHODS as readonly string[]).includes(flags.method)) throw usageError(PM.unknownMethod(flags.method, SOURCE_PRUNE_METHODS));
  if (flags.maxAccuracyDrop === undefined) throw usageError((n) => `give ${n('maxAccuracyDrop')}: the largest accuracy drop allowed, e.g. 0.01 (no default)`);
  const maxAccuracyDrop = parseNumberOption('--max-accuracy-drop', flags.maxAccuracyDrop);
  if (!(maxAccuracyDrop >= 0 && maxAccuracyDrop <= 1)) throw usageError(PM.badAccuracyDrop(maxAccuracyDrop));
  if (flags.test === undefined) throw usageError(PM.accuracyNeedsLabels());
  const levels = flags.levels !== undefined ? flags.levels.split(',').map((t) => parseNumberOption('--levels', t.trim())) : [...DEFAULTS.pruneLevels];
  const classThreshold = flags.classThreshold !== undefined ? parseNumberOption('--class-threshold', flags.classThreshold) : DEFAULTS.classThreshold;
  checkOutputFile(flags.output);
  const graph = importModel(model, importOptionsFrom(flags));
  const test = readSampleFile(flags.test, graph.input.shape, flags.labelColumn);
  const r = pruneSource(graph, { name: 'test', samples: test.samples, labels: test.labels }, { method: flags.method as SourcePruneMethod, maxAccuracyDrop, levels, classThreshold });
  writeFileAtomic(flags.output, exportOnnx(r.graph));
  if (flags.json) {
    const { graph: _g, ...rest } = r;
    io.out(JSON.stringify({ model: model.split(/[\\/]/).pop(), levelsTried: levels, classThreshold, ...rest, output: flags.output.split(/[\\/]/).pop() }, null, 2));
  } else {
    io.out(pruneLines(r, model, flags.output).join('\n'));
  }
  return 0;
}

export async function pruneCommand(model: string, flags: PruneFlags, io: CliIO): Promise<number> {
  try {
    return await prune(model, flags, io);
  } catch (e) {
    if (isOhmnetError(e)) throw new OhmnetError(e.kind, e.messageWith(pruneNamer));
    throw e;
  }
}
