// `ohmnet verify <model> --spice`: flags -> the flow up to the spice stage (compile, realize, netlist solved by a
// SPICE engine on the first --samples samples of the test set, or the calibration set) -> the agreement figures.
// Exit code 1 when a verdict fails: SPICE and the behavioural simulation disagree beyond the tolerance (1e-4 of the
// rails; with macro op-amps the behavioural simulation models their DC transfer), or inputs lie beyond the calibration
// range or the rails.

import { usageError } from '../errors.js';
import { openRun, runStages, verifyVerdicts } from '../flow/index.js';
import { failedChecks, verdictLines } from '../report/verdicts.js';
import { VERDICT_MESSAGES as VM } from '../messages/verdicts.js';
import { importModel } from '../import/index.js';
import { formatTable } from '../report/table.js';
import type { SpiceVerification } from '../spice/verify.js';
import type { CliIO } from './context.js';
import { modelInfo } from './flow-options.js';
import { flowOptionsFrom } from './option-table.js';
import { importOptionsFrom, type ModelFlags } from './options.js';
import { progressFor } from './progress.js';
import { applyProjectMasks, importProjectModel, projectFlowOptions } from './project.js';
import type { LoadedProject } from '../project/project.js';

export interface VerifyFlags extends ModelFlags {
  [flag: string]: unknown;
  spice?: boolean;
  json?: boolean;
}

export function formatSpiceVerification(v: SpiceVerification & { on?: string }): string[] {
  const lines = [
    `SPICE (${v.engine}, ${v.opamp.kind} op-amps${v.opamp.kind === 'macro' ? `, A0 ${v.opamp.gain}` : ''}) on ${v.samples} ${v.on ? `${v.on} ` : ''}samples, ${v.seconds.toFixed(2)} s:`,
    `  max |SPICE - behavioural realized| ${v.maxVsBehaviouralV.toExponential(3)} V (tolerance ${v.toleranceV.toExponential(1)} V): ${v.passed ? 'agree' : 'DISAGREE'}`,
    `  max |SPICE - source model| ${v.maxVsSource.toExponential(3)}; class agreement with the source ${(100 * v.classAgreementVsSource).toFixed(1)}%, with the behavioural network ${(100 * v.classAgreementVsBehavioural).toFixed(1)}%`,
  ];
  lines.push(`  behavioural simulation: ${v.behaviouralModel}${v.opampEffectV !== null ? `; the macro model moves the outputs by up to ${v.opampEffectV.toExponential(3)} V from ideal op-amps` : ''}`);
  if (v.transient) lines.push(`  transient: ${v.transient.ticks} ticks per sample, tick ${v.transient.tickS} s; every output compared at the end of every tick (${v.transient.comparedTicks} ticks, ${v.transient.runs} run${v.transient.runs === 1 ? '' : 's'})`);
  if (v.perOutput.length <= 32) {
    lines.push(formatTable(['output', '|SPICE - behavioural| (V)', '|SPICE - source|'], v.perOutput.map((p) => [`out${p.output}`, p.maxVsBehaviouralV.toExponential(3), p.maxVsSource.toExponential(3)]), [false, true, true]).split('\n').map((l) => `  ${l}`).join('\n'));
  }
  return lines;
}

/** `project`: a compiled project the argument named (cli/project.ts), whose model and options are used. */
export async function verifyCommand(model: string, flags: VerifyFlags, io: CliIO, project: LoadedProject | null = null): Promise<number> {
  if (!flags.spice) throw usageError('nothing to verify: pass --spice to cross-validate the netlist with a SPICE engine');
  const graph = project ? importProjectModel(project) : importModel(model, importOptionsFrom(flags));
  const given = flowOptionsFrom(flags, graph, ['compile', 'test', 'realize', 'verdict', 'spice']);
  const options = project ? { ...projectFlowOptions(project, graph), ...given } : given;
  const run = openRun(graph, options, { model: modelInfo(project ? project.modelPath : model), progress: progressFor(io, flags.json) });
  run.config = project ? project.doc.config : typeof flags.config === 'string' ? flags.config : null;
  if (project) await applyProjectMasks(run, project);
  await runStages(run, ['spice']);
  const v = run.spice!;
  const { seconds: _s, ...figures } = v;
  const verdicts = verifyVerdicts(run);
  io.out(flags.json ? JSON.stringify({ verdicts, ...figures }, null, 2) : ['verdicts:', ...verdictLines(verdicts).map((l) => `  ${l}`), '', ...formatSpiceVerification(v)].join('\n'));
  const failed = failedChecks(verdicts);
  if (failed.length > 0) {
    io.err(VM.failed(failed));
    return 1;
  }
  return 0;
}
