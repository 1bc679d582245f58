// Commands on a compiled project (issue 10): `run`, `verify` and `report` take a project directory (or its
// ohmnet.project.json) instead of a model file, and then use exactly what `compile` resolved. Flags given on top may
// change what is measured and how (PROJECT_OVERRIDES: the test set, Monte Carlo, converters, SPICE); a flag that
// would change the circuit is refused, so a project never silently stops describing the circuit it names. A config
// file does not apply to a project (the project holds the options the config gave at compile time).

import type { Command } from 'commander';
import { usageError } from '../errors.js';
import type { FlowOptions } from '../flow/options.js';
import type { Graph } from '../ir/ops.js';
import { importModel } from '../import/index.js';
import { readSampleFile } from '../io/sample-file.js';
import { PROJECT_MESSAGES as PM } from '../messages/project.js';
import { loadProject, projectFileOf, type LoadedProject } from '../project/project.js';
import { flagNamer, PROJECT_OVERRIDES } from './option-table.js';
import type { Run } from '../flow/run.js';
import { resolveProcess } from '../layout/process.js';
import { drawRun } from './masks.js';

/** Flags of the commands themselves, allowed with a project. */
const COMMAND_FLAGS = new Set(['json', 'spice', 'inputs', 'stage', 'output', 'force', 'shard']);

/** How a flag reads in a message: its long form (--fan-in). */
function flagName(cmd: Command, attribute: string): string {
  return cmd.options.find((o) => o.attributeName() === attribute)?.long ?? flagNamer(attribute);
}

/**
 * The project a command's argument names, loaded and checked (every file present and unchanged), or null when the
 * argument is a model file. Refuses --config and every flag given on the command line that would change the circuit.
 */
export function projectOfArgument(cmd: Command, arg: string): LoadedProject | null {
  const file = projectFileOf(arg);
  if (file === null) return null;
  if (cmd.getOptionValueSource('config') === 'cli') throw usageError(PM.configWithProject(arg));
  const refused = cmd.options
    .map((o) => o.attributeName())
    .filter((k) => cmd.getOptionValueSource(k) === 'cli' && !PROJECT_OVERRIDES.has(k) && !COMMAND_FLAGS.has(k));
  if (refused.length > 0) throw usageError(PM.circuitOption(refused.map((k) => flagName(cmd, k)), arg));
  return loadProject(file);
}

/** The project's model, imported with the import options it was compiled with. */
export function importProjectModel(p: LoadedProject): Graph {
  const m = p.doc.model;
  return importModel(p.modelPath, { ...(m.inputShape ? { inputShape: m.inputShape } : {}), ...(m.maxTensorElements !== null ? { maxTensorElements: m.maxTensorElements } : {}) });
}

/** The compiled options with the project's sample sets read (the options a compile of the project used). */
export function projectFlowOptions(p: LoadedProject, graph: Graph): FlowOptions {
  const read = (s: LoadedProject['calibration']) => (s ? readSampleFile(s.path, graph.input.shape, s.labelColumn ?? undefined) : undefined);
  const calibration = read(p.calibration);
  const test = read(p.test);
  return { ...p.options, ...(calibration ? { calibration } : {}), ...(test ? { test } : {}) };
}

/** A project compiled with --masks: the run's realization becomes the drawn one, as compile's was (else nothing). */
export async function applyProjectMasks(run: Run, p: LoadedProject): Promise<void> {
  if (p.masksProcess !== null) await drawRun(run, resolveProcess(p.masksProcess), null);
}
