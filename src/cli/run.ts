// `ohmnet run <model> --inputs <file>`: evaluates the source model (float64 reference), the compiled T-network or
// the realized network on the samples. The samples are the run's evaluation set: with --stage realized the
// realization's figures (and Monte Carlo with a tolerance) are measured on them.

import { usageError } from '../errors.js';
import { openRun, realizationSummary, runStages } from '../flow/index.js';
import { importModel } from '../import/index.js';
import { checkOutputFile, writeFileAtomic } from '../io/atomic.js';
import { readSampleFile } from '../io/sample-file.js';
import { inferShapes } from '../ir/shapes.js';
import type { RealizationSummary } from '../report/summary.js';
import type { CliIO } from './context.js';
import { modelInfo, realizationLines } from './flow-options.js';
import { applyProjectMasks, importProjectModel, projectFlowOptions } from './project.js';
import type { LoadedProject } from '../project/project.js';
import { flowOptionsFrom } from './option-table.js';
import { importOptionsFrom, type ModelFlags } from './options.js';
import { readFileSync } from 'node:fs';
import { canonicalJson, parseShard, sha256, shardRange, SHARD_FORMAT, SHARD_VERSION, type MonteCarloShardFile } from '../scale/shard.js';
import { SHARD_MESSAGES as SM } from '../messages/shard.js';
import { monteCarloTrials } from '../simulate/montecarlo.js';
import type { Run } from '../flow/run.js';

export interface RunFlags extends ModelFlags {
  [flag: string]: unknown;
  inputs?: string;
  stage?: string;
  json?: boolean;
  output?: string;
  shard?: string;
}

/** Flags that do not change a shard's figures (where it is written, how it is printed, threads, the shard itself). */
const NOT_RESULT_FLAGS = new Set(['shard', 'output', 'json', 'workers', 'config', 'inputs']);

export const STAGES = ['source', 'tnet', 'realized'] as const;
export type Stage = (typeof STAGES)[number];

export interface RunResult {
  /**
   * Which network produced the outputs: the source model (float64 reference), the compiled T-network, or the
   * realized network (nominal resistor values and converters).
   */
  readonly stage: Stage;
  /** Per-sample output shape. */
  readonly outputShape: number[];
  /** One flattened output per sample. */
  readonly outputs: number[][];
  /** With --stage realized: the realization's figures on these samples (incl. Monte Carlo with --tolerance). */
  readonly realization?: RealizationSummary;
}

/** `project`: a compiled project the argument named (cli/project.ts), whose model and options are used. */
export async function runCommand(model: string, flags: RunFlags, io: CliIO, project: LoadedProject | null = null): Promise<number> {
  if (!flags.inputs) throw usageError('run needs samples: pass --inputs FILE (JSON {"inputs": [[...]]} or CSV)');
  const stage = (flags.stage ?? 'source') as Stage;
  if (!STAGES.includes(stage)) throw usageError(`--stage '${flags.stage}' is not one of ${STAGES.join(', ')}`);
  // The output file is checked before any work: only a regular file or a new path is written.
  const shard = flags.shard !== undefined ? parseShard(String(flags.shard)) : null;
  if (shard && (stage !== 'realized' || !flags.output)) throw usageError(SM.shardNeedsJob());
  if (flags.output) checkOutputFile(flags.output);
  const graph = project ? importProjectModel(project) : importModel(model, importOptionsFrom(flags));
  const inputs = readSampleFile(flags.inputs, graph.input.shape, typeof flags.labelColumn === 'string' ? flags.labelColumn : undefined);
  const given = flowOptionsFrom(flags, graph, ['compile', 'realize']);
  const options = { ...(project ? projectFlowOptions(project, graph) : {}), ...given, test: inputs };
  const run = openRun(graph, options, { model: modelInfo(project ? project.modelPath : model) });
  run.config = project ? project.doc.config : typeof flags.config === 'string' ? flags.config : null;
  if (project && stage === 'realized') await applyProjectMasks(run, project);
  const set = run.sets.test!;
  if (shard) {
    const options: Record<string, unknown> = Object.fromEntries(Object.entries(flags).filter(([k, v]) => !NOT_RESULT_FLAGS.has(k) && v !== undefined));
    const doc = await monteCarloShard(run, shard, {
      modelSha256: sha256(readFileSync(project ? project.modelPath : model)),
      inputsSha256: sha256(readFileSync(flags.inputs)),
      optionsSha256: sha256(canonicalJson({ stage, ...options })),
    });
    writeFileAtomic(flags.output!, `${JSON.stringify(doc)}\n`);
    io.out(`wrote shard ${shard.index}/${shard.count} (trials ${doc.from}..${doc.to - 1} of ${doc.trials}) to ${flags.output!}`);
    return 0;
  }
  let outputs: readonly Float64Array[];
  let realization: RealizationSummary | undefined;
  if (stage === 'source') {
    outputs = run.reference(set).final;
  } else if (stage === 'tnet') {
    await runStages(run, ['compile']);
    outputs = run.tnetEvaluation(set).outputs;
  } else {
    await runStages(run, ['measure', 'montecarlo']);
    outputs = run.realizedOutputs(set);
    realization = realizationSummary(run);
  }
  const outputShape = inferShapes(graph, { maxTensorElements: Number.MAX_SAFE_INTEGER }).get(graph.output)!;
  const result: RunResult = { stage, outputShape, outputs: outputs.map((o) => Array.from(o)), ...(realization ? { realization } : {}) };
  const text = JSON.stringify(result);
  if (flags.output) writeFileAtomic(flags.output, `${text}\n`);
  if (flags.json) {
    io.out(text);
  } else if (!flags.output) {
    result.outputs.forEach((o, i) => {
      const best = o.length > 1 ? `  argmax ${o.indexOf(Math.max(...o))}` : '';
      io.out(`sample ${i}: ${o.map((v) => v.toPrecision(6)).join(' ')}${best}`);
    });
  } else {
    io.out(`wrote ${result.outputs.length} outputs to ${flags.output}`);
  }
  if (realization && !flags.json) io.out(realizationLines(realization).join('\n'));
  return 0;
}

/** The trials of one shard of the run's Monte Carlo (the realization measured, the trials of this shard's range). */
async function monteCarloShard(run: Run, shard: { index: number; count: number }, id: MonteCarloShardFile['run']): Promise<MonteCarloShardFile> {
  await runStages(run, ['measure']);
  const m = run.options.measure;
  if (m.trials === 0 || run.options.realization.toleranceRel === 0) throw usageError(SM.shardNeedsJob());
  const o = run.options.realization;
  const set = run.evaluation;
  const [from, to] = shardRange(m.trials, shard);
  const results = await monteCarloTrials(run.requireRealization().realized, set.samples, run.reference(set).final, {
    trials: m.trials, ...(m.workers !== null ? { workers: m.workers } : {}), seed: o.seed, toleranceRel: o.toleranceRel,
    distribution: o.toleranceDistribution, classThreshold: m.classThreshold, converters: run.converters, labels: set.labels,
  }, from, to);
  const info = { on: set.name, samples: set.samples.length, seed: o.seed };
  return { format: SHARD_FORMAT, version: SHARD_VERSION, job: 'montecarlo', run: id, shard, trials: m.trials, from, to, info, results };
}
