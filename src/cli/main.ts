// The `ohmnet` command line: wires the subcommands and maps errors to exit codes (SPEC "Interfaces").

import { Command, CommanderError, Option } from 'commander';
import { EXIT, isOhmnetError } from '../errors.js';
import { processIO, type CliIO } from './context.js';
import { onOutputWritten } from '../io/output-dir.js';
import { interruptedMessage, SIGNAL_EXIT } from './signals.js';

export { interruptedMessage, SIGNAL_EXIT };
import { addOptionGroups, flagNamer } from './option-table.js';
import { runCleanups } from '../util/cleanup.js';
import { verifyCommand } from './verify.js';
import { compileCommand } from './compile.js';
import { inspectCommand } from './inspect.js';
import { runCommand } from './run.js';
import { demoCommand } from './demo.js';
import { energyCommand } from './energy.js';
import { pruneCommand } from './prune.js';
import { crossbarSolveCommand } from './crossbar.js';
import { characterizeCommand } from './characterize.js';
import { CROSSBAR_DEFAULTS, DEFAULTS } from '../presets/defaults.js';
import { trainCommand, TRAIN_FLAGS, TRAIN_REALIZE_SPECS } from './train.js';
import { CROSSBAR_TRAIN_FLAGS } from './train-crossbar.js';
import { SYNAPSE_TRAIN_FLAGS } from './train-synapse.js';
import { sdkCommand } from './sdk.js';
import { mergeCommand } from './merge.js';
import { submitCommand } from './submit.js';
import { libraryCommand } from './library.js';
import { CONFIG_FILE, configToFlags, findConfig, loadConfig, resolveConfigPaths } from '../config/load.js';
import { sep } from 'node:path';
import { PROJECT_FILE, type LoadedProject } from '../project/project.js';
import { projectOfArgument } from './project.js';
import { DEFAULT_REPORT, reportCommand } from './report.js';
import { VERSION } from '../report/summary.js';

function configOption(cmd: Command): Command {
  return cmd.addOption(new Option('--config <file>', 'read options from this JSON file (default: ./ohmnet.config.json if present); flags override it'));
}

function modelOptions(cmd: Command): Command {
  return configOption(cmd)
    .addOption(new Option('--input-shape <dims>', 'per-sample input shape (e.g. 1,8,8) when the model leaves it dynamic'))
    .addOption(new Option('--max-tensor-elements <n>', 'refuse tensors with more elements than this (default 268435456)'));
}

/**
 * The command's flags with the config file's values filled in where the command line gave none. A config key applies
 * to the commands that have that option; `output` (a directory) applies to compile and demo only.
 */
const USING_CONFIG = 'using config ';

function withConfig<T extends object>(cmd: Command, flags: T, io: CliIO): T {
  const explicit = (flags as { config?: string }).config;
  const path = findConfig(explicit);
  if (!path) return flags;
  const config = resolveConfigPaths(loadConfig(path), path);
  // The config in use is named on the terminal (issue 10: a stray ohmnet.config.json used to act unseen).
  const shown = explicit ?? `.${sep}${CONFIG_FILE}`;
  io.err(`${USING_CONFIG}${shown}`);
  const merged: Record<string, unknown> = { ...(flags as Record<string, unknown>), config: shown };
  const known = new Set(cmd.options.map((o) => o.attributeName()));
  for (const [k, v] of Object.entries(configToFlags(config))) {
    if (k === 'layers') {
      merged[k] = v;
      continue;
    }
    if (!known.has(k) || (k === 'output' && (cmd.name() === 'run' || cmd.name() === 'report' || cmd.name() === 'train' || cmd.name() === 'sdk' || cmd.name() === 'characterize'))) continue;
    if (cmd.getOptionValueSource(k) !== 'cli') merged[k] = v;
  }
  return merged as T;
}

/** A model file's flags with the config file's values; a compiled project's flags as given (see cli/project.ts). */
function modelOrProject<T extends object>(cmd: Command, arg: string, flags: T, io: CliIO): { flags: T; project: LoadedProject | null } {
  const project = projectOfArgument(cmd, arg);
  return project ? { flags, project } : { flags: withConfig(cmd, flags, io), project: null };
}

/** Commander's output: usage errors become one line, like every other ohmnet error. */
function output(io: CliIO) {
  return {
    writeOut: (s: string) => io.out(s.trimEnd()),
    writeErr: (s: string) => io.err(s.trimEnd()),
    outputError: (s: string, write: (t: string) => void) => write(`ohmnet: ${s.trim().replace(/\s*\n\s*/g, ' ')} (see --help)`),
  };
}

/** The CLI's command tree (exported so tests can check that every option is documented and in the schema). */
export function buildProgram(io: CliIO, setCode: (c: number) => void): Command {
  const program = new Command('ohmnet')
    .description('Compile trained neural networks into analog circuits and prove the circuit computes the network.')
    .version(VERSION)
    .exitOverride()
    .configureOutput(output(io));

  modelOptions(
    program.command('inspect')
      .description('print the per-layer table of a model: ops, shapes, parameters, MACs')
      .argument('<model>', 'model file (.onnx, .keras, .h5, or a TF.js model.json)')
      .option('--json', 'print the table as JSON (fields: docs/formats.md#inspect)'),
  ).action(function (this: Command, model: string, flags) {
    setCode(inspectCommand(model, withConfig(this, flags, io), io));
  });

  addOptionGroups(modelOptions(
    program.command('compile')
      .description('compile the model into an analog T-network under fan-in, fan-out and signal limits, realize its weights with resistors; write summary.json, tnet.json, resistors.csv, netlist.cir, testbench.cir and report.html')
      .argument('<model>', 'model file (.onnx, .keras, .h5, or a TF.js model.json)')
      .option('-o, --output <dir>', 'output directory, written atomically (required)')
      .option('--force', 'replace the output directory if it exists')
      .option('--verify', 'also solve the netlist with SPICE on --samples calibration samples and compare (exit 1 on disagreement)')
      .option('--outputs <list>', 'which files to write besides summary.json, comma-separated: tnet, resistors, resistors-bin, bom, netlist, netlist-gz, testbench, report, project (default: all but resistors-bin and netlist-gz; resistors.bin replaces resistors.csv above 5,000,000 rows)')
      .option('--energy <preset>', 'also the behavioural transient with this op-amp preset (generic, micropower, fast, with overrides): latency, energy with and without power gating in summary.json and the report (exit 1 if gating changes an output)')
      .option('--rate-hz <hz>', 'with --energy: the inference rate of the average power')
      .option('--masks', 'also write masks.gds: the resistors drawn in --process, one op-amp cell and one resistor-array cell per neuron; the realization then uses the drawn resistances (docs/masks.md)')
      .option('--process <name|file>', 'resistor process of the masks: sky130-res-high, sky130-res-xhigh, ihp-rppd, ihp-rhigh, patent-hole-example, or a process file (.json, schema/process.schema.json)')
      .option('--reuse <dir>', 'with --masks: a previous output directory of the same network; the neuron cells and placement must stay byte-identical, the changed resistor cells are listed')
      .option('--library <dir>', 'with --masks: a module library (ohmnet library); each layer is one module cell, taken from the library when it holds its topology, and the report lists reused and new modules')
      .option('--json', 'print summary.json to stdout instead of the human summary'),
  ), ['compile', 'test', 'realize', 'verdict', 'spice']).action(async function (this: Command, model: string, flags) {
    setCode(await compileCommand(model, withConfig(this, flags, io), io));
  });

  modelOptions(
    program.command('prune')
      .description('prune the source network (magnitude or structured) until the test accuracy drops by more than allowed, keep the last model that met it and write it as ONNX (docs/pruning.md)')
      .argument('<model>', 'model file (.onnx, .keras, .h5, or a TF.js model.json)')
      .option('--method <m>', 'magnitude (the smallest |w| of all dense/conv weights) or structured (per layer the units of smallest weight norm)')
      .option('--max-accuracy-drop <fraction>', 'largest accuracy drop allowed from the source\'s, e.g. 0.01 (one percentage point)')
      .option('--test <file>', 'labelled test samples (JSON with "labels", or CSV with --label-column) the accuracy is measured on')
      .option('--label-column <name>', 'CSV sample files: the column that holds each sample\'s class label')
      .option('--levels <list>', `fractions of weights or units zeroed, tried in order (default ${DEFAULTS.pruneLevels.join(',')})`)
      .option('--class-threshold <x>', `class of a single-output model: output > x (default ${DEFAULTS.classThreshold})`)
      .option('-o, --output <file>', 'the pruned model, written as ONNX (required)')
      .option('--json', 'print the levels as JSON (docs/pruning.md)'),
  ).action(async function (this: Command, model: string, flags) {
    setCode(await pruneCommand(model, withConfig(this, flags, io), io));
  });

  configOption(
    program.command('characterize')
      .description('SPICE look-up tables of the non-linear synapse cells (issue 16): ngspice DC sweeps of the synapse F(z, w, v) per weight level with Monte Carlo mismatch copies, and of the soma H(z); writes the LUT file that train --synapse lut:FILE reads (docs/synapse.md)')
      .option('-o, --output <file>', 'the LUT file to write, JSON (required)')
      .option('--z-max-a <amperes>', 'top of the aggregated-current axis (default 100e-6)')
      .option('--z-points <n>', 'points of F\'s current axis (default 26, at least 8)')
      .option('--v-points <n>', 'points of F\'s node-voltage axis over [0, Vcc] (default 23, at least 8)')
      .option('--soma-points <n>', 'points of H\'s current axis (default 5001, at least 8)')
      .option('--mc-draws <n>', 'Monte Carlo draws per grid point for the mismatch spread (default 16)')
      .option('--seed <n>', 'seed of the Monte Carlo draws (default 1)')
      .option('--workers <n>', 'ngspice runs at once (default 1; the tables do not depend on it)')
      .option('--json', 'print the file\'s header (grid, hashes, WGEN levels) as JSON'),
  ).action(async function (this: Command, flags) {
    setCode(await characterizeCommand(withConfig(this, flags, io), io));
  });

  addOptionGroups(modelOptions(
    program.command('verify')
      .description('cross-validate: solve the realized network\'s netlist with SPICE and compare with the behavioural simulation and the source model (exit 1 on disagreement)')
      .argument('<model>', 'model file (.onnx, .keras, .h5, or a TF.js model.json), or a directory written by compile (its ohmnet.project.json: the compiled options are used)')
      .option('--spice', 'run the SPICE cross-validation')
      .option('--shard <i/N>', 'with --spice-partition: solve only shard i (0-based) of N of the samples (whole chunks of 10) and write the shard file to --output (combine with ohmnet merge; docs/scale.md)')
      .option('-o, --output <file>', 'with --shard: the shard file')
      .option('--json', 'print the figures as JSON'),
  ), ['compile', 'test', 'realize', 'verdict', 'spice']).action(async function (this: Command, model: string, flags) {
    const a = modelOrProject(this, model, flags, io);
    setCode(await verifyCommand(model, a.flags, io, a.project));
  });

  addOptionGroups(modelOptions(
    program.command('run')
      .description('evaluate the source model, the compiled T-network or the realized (resistor) network on input samples')
      .argument('<model>', 'model file (.onnx, .keras, .h5, or a TF.js model.json), or a directory written by compile (its ohmnet.project.json: the compiled options are used)')
      .option('--inputs <file>', 'samples (required): JSON {"inputs": [[...], ...]} or CSV, one flattened sample per row')
      .addOption(new Option('--stage <stage>', 'which network: source (float64 reference), tnet (compiled with the compile flags) or realized (with resistors; with --tolerance, Monte Carlo figures on the inputs)').choices(['source', 'tnet', 'realized']).default('source'))
      .option('-o, --output <file>', 'write the outputs as JSON {"outputs": [[...]]} to this file')
      .option('--shard <i/N>', 'with --stage realized and --tolerance: compute only shard i (0-based) of N of the Monte Carlo trials and write the shard file to --output (combine with ohmnet merge; docs/scale.md)')
      .option('--json', 'print the outputs as JSON'),
  ), ['compile', 'realize']).action(async function (this: Command, model: string, flags) {
    const a = modelOrProject(this, model, flags, io);
    setCode(await runCommand(model, a.flags, io, a.project));
  });

  program.command('merge')
    .description('combine the shard files of one sharded run (run --shard i/N) into exactly the unsharded Monte Carlo summary (docs/scale.md)')
    .argument('<shards...>', 'every shard file of the run, in any order')
    .option('-o, --output <file>', 'the merged summary, JSON (required)')
    .action(function (this: Command, shards: string[], flags: { output?: string }) {
      setCode(mergeCommand(shards, flags, io));
    });

  program.command('library')
    .description('module libraries of masks (docs/masks.md): add the modules of a compile with --masks --library, list a library, match a compile\'s modules against one')
    .argument('<action>', 'add, list or match')
    .argument('<library>', 'the library directory (add creates it)')
    .argument('[dir]', 'add, match: an output directory of compile --masks --library')
    .option('--json', 'print the result as JSON')
    .action(function (this: Command, action: string, library: string, dir: string | undefined, flags: { json?: boolean }) {
      setCode(libraryCommand(action, library, dir, flags, io));
    });

  program.command('submit')
    .description('write (and with --slurm submit) a scheduler job for a sharded run: one task per shard, then ohmnet merge (docs/scale.md)')
    .argument('<job...>', 'after --: the ohmnet run or verify command to shard, without --shard and -o')
    .option('--slurm', 'a Slurm job array (sbatch --array) and a merge job with --dependency=afterok; submitted with sbatch unless --dry-run')
    .option('--k8s', 'a Kubernetes Indexed Job (JOB_COMPLETION_INDEX) and a merge Job, written as shards.yaml and merge.yaml')
    .option('--shards <n>', 'how many shards (required)')
    .option('--job-dir <dir>', 'directory every node sees: the scripts, shard-<i>.json, merged.json and the logs (required)')
    .option('--dry-run', 'with --slurm: write the scripts, do not submit')
    .option('--partition <name>', 'Slurm partition (#SBATCH --partition)')
    .option('--account <name>', 'Slurm account (#SBATCH --account)')
    .option('--time-limit <t>', 'Slurm time limit per task (#SBATCH --time), e.g. 01:00:00')
    .option('--image <ref>', 'Kubernetes: the container image with ohmnet (required with --k8s)')
    .option('--pvc <claim>', 'Kubernetes: the PersistentVolumeClaim mounted at --job-dir in every pod (required with --k8s)')
    .option('--parallelism <n>', 'Kubernetes: pods at once (default: every shard)')
    .action(function (this: Command, job: string[], flags) {
      setCode(submitCommand(job, flags, io));
    });

  addOptionGroups(modelOptions(
    program.command('energy')
      .description('latency and energy per inference: the behavioural transient of the realized network with an op-amp model with dynamics (Binas\'s protocol per sample), energy per MAC, power at a rate, per-layer wavefront and energy')
      .argument('<model>', 'model file (.onnx)')
      .option('--opamp-preset <name>', 'op-amp model (required; every figure rests on it): generic, micropower or fast, with overrides, e.g. micropower:gbw=100e3,slew=0.01e6,supply=op3 (docs/energy.md)')
      .option('--rate-hz <hz>', 'inference rate: each sample gets 1/rate, the average power at that rate is printed (an error if a sample has not settled by then)')
      .option('--latency-tolerance-v <volts>', 'an output has settled once it stays within this of its DC value, in volts (default 0.01)')
      .option('--inputs <file>', 'samples to measure (JSON or CSV like --test; default: the test set, else the calibration set)')
      .option('--samples <n>', 'how many samples of the set to simulate (default the first 100)')
      .option('--gating', 'power gating: each layer switched off (outputs held) once it and its consumers have settled; the gated run is checked against the ungated outputs on every sample (exit 1 if it fails)')
      .option('--gate-margin <factor>', 'with --gating: the schedule\'s factor on the settling times (default 1.25; below 1 gates layers too early)')
      .option('--json', 'print the figures as JSON (docs/energy.md)'),
  ), ['compile', 'test', 'realize']).action(async function (this: Command, model: string, flags) {
    setCode(await energyCommand(model, withConfig(this, flags, io), io));
  });

  const trainCmd = modelOptions(
    program.command('train')
      .description('fine-tune the model\'s weights on labelled samples (quantization-, noise-aware training, weight penalties) and write the trained model as ONNX (docs/training.md); with --synapse lut:FILE, train a network of the circuit\'s non-linear synapses on their SPICE look-up table and write its weight levels (docs/synapse.md); with --target crossbar, train on a memristor crossbar pulse by pulse (docs/crossbar.md)')
      .argument('[model]', 'model file (.onnx, .keras, .h5, or a TF.js model.json); none with --synapse or --target crossbar')
      .option('--data <file>', 'training samples with labels (required): JSON {"inputs": [...], "labels": [...]} or CSV with --label-column')
      .option('--test <file>', 'held-out labelled samples: loss and accuracy per epoch')
      .option('--label-column <name>', 'CSV sample files: the column (header name or 0-based index) that holds each sample\'s class label')
      .option('-o, --output <file>', 'the trained model, ONNX (required); with --synapse the weight levels, with --target crossbar the conductances, JSON')
      .option('--report <file>', 'also write an HTML report of the run: the learning curves (loss and accuracy per epoch, nominal and under noise); with --synapse the table\'s curves, the training curve, the kept network, the accuracy under mismatch and the interpolation cost (not with --target crossbar)')
      .option('--json', 'print the learning curve as JSON'),
  );
  for (const f of TRAIN_FLAGS) trainCmd.addOption(f.choices ? new Option(f.flag, f.help).choices(f.choices) : new Option(f.flag, f.help));
  for (const s of TRAIN_REALIZE_SPECS) trainCmd.addOption(new Option(s.flag, `${s.help} (the --grid resistors grid)`));
  // --iterations and --hidden serve both --target crossbar and --synapse (each parses them its own way): added once.
  const trainFlagsSeen = new Set<string>();
  for (const f of [...CROSSBAR_TRAIN_FLAGS, ...SYNAPSE_TRAIN_FLAGS]) {
    const name = f.flag.split(' ')[0];
    if (trainFlagsSeen.has(name)) continue;
    trainFlagsSeen.add(name);
    const shared = name === '--iterations' || name === '--hidden';
    const help = shared ? `${f.help}; ${SYNAPSE_TRAIN_FLAGS.find((g) => g.flag.split(' ')[0] === name)!.help}` : f.help;
    trainCmd.addOption(f.choices ? new Option(f.flag, help).choices(f.choices) : new Option(f.flag, help));
  }
  trainCmd.action(async function (this: Command, model: string | undefined, flags) {
    setCode(await trainCommand(model, withConfig(this, flags, io), io));
  });

  addOptionGroups(modelOptions(
    program.command('sdk')
      .description('the patent\'s SDK loop: compile, realize, measure (Monte Carlo with --tolerance) and fine-tune with the hardware-aware modes until the circuit meets --min-accuracy or --max-error, or --budget runs out; a row per iteration; writes the final model as ONNX (exit 1 if the goal is missed)')
      .argument('<model>', 'model file (.onnx, .keras, .h5, or a TF.js model.json)')
      .option('--data <file>', 'training samples with labels (required)')
      .option('-o, --output <file>', 'the final model, ONNX (required)')
      .option('--circuit <dir>', 'also compile the final model into this directory (what compile writes, with the loop\'s R_f)')
      .option('--force', 'with --circuit: replace the directory if it exists')
      .option('--min-accuracy <fraction>', 'goal: realized accuracy on --test (Monte Carlo p5 with --tolerance), 0..1')
      .option('--max-error <volts>', 'goal: largest |output error| of the nominal realized circuit on --test, volts')
      .option('--budget <n>', 'fine-tuning rounds at most (default 3)')
      .option('--epochs <n>', 'epochs per fine-tuning round (default 3)')
      .option('--lr <x>', 'learning rate of the fine-tuning (default 0.0005)')
      .option('--report <file>', 'also write an HTML report of the loop: its iterations and the learning curves of every fine-tuning round')
      .option('--json', 'print the iterations as JSON'),
  ), ['compile', 'test', 'realize']).action(async function (this: Command, model: string, flags) {
    setCode(await sdkCommand(model, withConfig(this, flags, io), io));
  });

  program.command('report')
    .description(`re-render the report of a compiled project: the same report.html compile wrote, from its ${PROJECT_FILE}`)
    .argument('<project>', `a directory written by compile, or its ${PROJECT_FILE}`)
    .option('-o, --output <file>', `the report file (default ./${DEFAULT_REPORT})`)
    .option('--json', 'print summary.json to stdout instead of the line naming the report file')
    .action(async function (this: Command, arg: string, flags) {
      setCode(await reportCommand(arg, projectOfArgument(this, arg), flags, io));
    });

  addOptionGroups(configOption(
    program.command('demo')
      .description('compile the bundled digits CNN (trained on sklearn digits) with sensible options and write its report')
      .option('-o, --output <dir>', 'output directory (default ohmnet-demo)')
      .option('--force', 'replace the output directory if it exists')
      .option('--json', 'print summary.json to stdout instead of the human summary'),
  ), ['spice']).action(async function (this: Command, flags) {
    setCode(await demoCommand(withConfig(this, flags, io), io));
  });

  // Memristor crossbars (issue 17, docs/crossbar.md): `ohmnet crossbar solve`.
  const crossbar = program.command('crossbar').description('memristor crossbar arrays: the IR-drop solver (docs/crossbar.md)');
  configOption(
    crossbar.command('solve')
      .description('solve a crossbar with line resistance (IR drop) in badcrossbar\'s conventions: word lines driven at the left, bit lines grounded at the bottom, one interconnect segment per node; prints the output currents, with --json every device and segment current and node voltage')
      .option('--resistances <file>', 'device resistances in ohms, JSON [[...], ...]: one row per word line, one column per bit line (or an object with "resistances")')
      .option('--conductances <file>', 'instead of --resistances: device conductances in siemens, same layout')
      .option('--voltages <file>', 'applied voltages in volts, JSON: one row per word line, one column per input set (required)')
      .option('--interconnect <ohm>', 'resistance of every word- and bit-line segment in ohms, 0 for ideal lines (required unless both of the next two)')
      .option('--interconnect-word <ohm>', 'word-line segments only, ohms (overrides --interconnect)')
      .option('--interconnect-bit <ohm>', 'bit-line segments only, ohms (overrides --interconnect)')
      .option('--solver <name>', `exact (sparse L D L^T, nested dissection), iterative (line-preconditioned CG to relative residual ${CROSSBAR_DEFAULTS.toleranceRel}) or auto (exact up to ${CROSSBAR_DEFAULTS.autoExactMaxCells} devices, 128 x 128; default)`)
      .option('--json', 'print the solution as JSON: deviceCurrentsA, wordLineCurrentsA, bitLineCurrentsA [row][column][inputSet], outputCurrentsA [inputSet][column], wordLineVoltagesV, bitLineVoltagesV (docs/crossbar.md)'),
  ).action(function (this: Command, flags) {
    setCode(crossbarSolveCommand(withConfig(this, flags, io), io));
  });
  for (const cmd of crossbar.commands) cmd.exitOverride().configureOutput(output(io));

  for (const cmd of program.commands) cmd.exitOverride().configureOutput(output(io));
  return program;
}

let signalsInstalled = false;

/**
 * For the CLI run on the main thread (tests, helpers): Ctrl-C or a kill runs the cleanup registry (child processes
 * such as ngspice, temporary files and directories, locks) and exits. The installed binary runs the CLI in a worker
 * under cli/supervisor.ts instead, whose main thread handles signals even while the worker computes.
 */
export function installSignalCleanup(): void {
  if (signalsInstalled) return;
  signalsInstalled = true;
  let written: string | null = null;
  onOutputWritten((t) => (written = t));
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      runCleanups();
      process.stderr.write(`${interruptedMessage(sig, written)}\n`);
      process.exit(SIGNAL_EXIT[sig]);
    });
  }
}

/** Runs the CLI with the given arguments (without node and script); resolves to the exit code. */
export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  let code: number = EXIT.ok;
  // The "using config FILE" line waits for the command's first output, so a refused input stays one line on stderr:
  // the error then names the config file itself.
  let pending: string | null = null;
  const flush = () => {
    if (pending !== null) io.err(pending);
    pending = null;
  };
  const deferred: CliIO = {
    ...io,
    argv: io.argv ?? argv,
    out: (t) => {
      flush();
      io.out(t);
    },
    err: (t) => {
      if (t.startsWith(USING_CONFIG)) {
        pending = t;
        return;
      }
      flush();
      io.err(t);
    },
  };
  const program = buildProgram(deferred, (c) => {
    code = c;
  });
  const configNote = () => {
    const note = pending === null ? '' : ` (options from config ${pending.slice(USING_CONFIG.length)})`;
    pending = null;
    return note;
  };
  try {
    await program.parseAsync(argv, { from: 'user' });
    flush();
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are successful exits; everything else commander reports is a usage error.
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
      if (e.code === 'commander.executeSubCommandAsync') return EXIT.ok;
      pending = null;
      return EXIT.badInput;
    }
    if (isOhmnetError(e)) {
      io.err(`ohmnet: error: ${e.messageWith(flagNamer)}${configNote()}`);
      return e.exitCode;
    }
    flush();
    const debug = process.env.OHMNET_DEBUG === '1';
    io.err(`ohmnet: internal error: ${(e as Error)?.message ?? String(e)} (this is a bug in ohmnet; rerun with OHMNET_DEBUG=1 for details and please report it)`);
    if (debug && e instanceof Error && e.stack) io.err(e.stack);
    return EXIT.internal;
  }
}
