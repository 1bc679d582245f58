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

export interface RunFlags extends ModelFlags {
  [flag: string]: unknown;
  inputs?: string;
  stage?: string;
  json?: boolean;
  output?: string;
}

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
  if (flags.output) checkOutputFile(flags.output);
  const graph = project ? importProjectModel(project) : importModel(model, importOptionsFrom(flags));
  const inputs = readSampleFile(flags.inputs, graph.input.shape, typeof flags.labelColumn === 'string' ? flags.labelColumn : undefined);
  const given = flowOptionsFrom(flags, graph, ['compile', 'realize']);
  const options = { ...(project ? projectFlowOptions(project, graph) : {}), ...given, test: inputs };
  const run = openRun(graph, options, { model: modelInfo(project ? project.modelPath : model) });
  run.config = project ? project.doc.config : typeof flags.config === 'string' ? flags.config : null;
  if (project && stage === 'realized') await applyProjectMasks(run, project);
  const set = run.sets.test!;
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
