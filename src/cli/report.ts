// `ohmnet report PROJECT [-o report.html]`: re-renders the report of a compiled project. The project's model and
// options are loaded (cli/project.ts), the stages the report shows are computed again (measure, Monte Carlo, and
// SPICE when compile ran it), and the report is written atomically: for the same project, byte for byte the
// report.html compile wrote (every output is a function of the model, the options and the seed).

import { usageError } from '../errors.js';
import { fullSummary, openRun, runStages, type StageName } from '../flow/index.js';
import { energyRequest, withEnergy } from './compile-energy.js';
import { reportDataOf } from '../flow/outputs.js';
import { checkOutputFile, writeFileAtomic } from '../io/atomic.js';
import type { LoadedProject } from '../project/project.js';
import { renderReport } from '../report/html.js';
import type { CliIO } from './context.js';
import { modelInfo } from './flow-options.js';
import { progressFor } from './progress.js';
import { readMasksForReport } from './masks.js';
import { applyProjectMasks, importProjectModel, projectFlowOptions } from './project.js';

export interface ReportFlags {
  [flag: string]: unknown;
  output?: string;
  json?: boolean;
}

/** The report's file when -o is not given: report.html in the current directory. */
export const DEFAULT_REPORT = 'report.html';

export async function reportCommand(arg: string, project: LoadedProject | null, flags: ReportFlags, io: CliIO): Promise<number> {
  if (!project) throw usageError(`'${arg}' is not a compiled project: ohmnet report takes a directory written by ohmnet compile (or its ohmnet.project.json)`);
  const file = flags.output ?? DEFAULT_REPORT;
  // The output file is checked before any work: only a regular file or a new path is written.
  checkOutputFile(file);
  const progress = progressFor(io, flags.json);
  const import_ = progress.stage('import');
  const graph = importProjectModel(project);
  import_.done();
  const run = openRun(graph, projectFlowOptions(project, graph), { model: modelInfo(project.modelPath), progress });
  run.config = project.doc.config;
  // The report shows the command line of the compile it re-renders, not this one.
  run.command = typeof project.doc.command === 'string' ? project.doc.command : null;
  await applyProjectMasks(run, project);
  const stages: StageName[] = ['measure', 'montecarlo', ...(project.doc.spice ? ['spice' as const] : [])];
  await runStages(run, stages);
  const e = project.doc.energy;
  const energyReq = e ? energyRequest({ energy: e.opampPreset, rateHz: e.rateHz ?? undefined }, run.requireCompiled().options.signalLimitV) : null;
  const summary = energyReq ? withEnergy(fullSummary(run), run, energyReq) : fullSummary(run);
  const stage = progress.stage('report');
  // A project compiled with --masks: the masks section from its masks.json (and the KLayout check, when run).
  const masks = project.masksProcess !== null ? readMasksForReport(project.dir) : {};
  const html = await renderReport({ ...reportDataOf(run, summary), ...masks });
  stage.done();
  writeFileAtomic(file, html);
  io.out(flags.json ? JSON.stringify(summary, null, 2) : `wrote ${file} (the report of ${project.file})`);
  return 0;
}
