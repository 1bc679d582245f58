// `ohmnet compile <model> -o <dir>`: flags -> the flow (compile, realize, measure, Monte Carlo, SPICE with --verify)
// -> summary.json, tnet.json, resistors.csv, netlist.cir, testbench.cir (netlist.cir run on samples by ngspice -b)
// and report.html, written atomically.

import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onCleanupResource } from '../util/cleanup.js';
import { fsReason, OUTPUT_MESSAGES } from '../messages/index.js';
import { gzipSync } from 'node:zlib';
import { DEFAULTS } from '../presets/defaults.js';
import { inputError, usageError } from '../errors.js';
import { si } from './energy.js';
import { fullSummary, openRun, runStages, type FlowOptions, type StageName } from '../flow/index.js';
import type { Graph } from '../ir/ops.js';
import { reportDataOf, testbenchOf } from '../flow/outputs.js';
import { importModel } from '../import/index.js';
import { prepareOutputDir, writePreparedDir, type FileWriter, type PreparedOutput } from '../io/output-dir.js';
import { writeBomCsv, writeResistorsCsv } from '../io/resistors-csv.js';
import { writeResistorsBin } from '../io/resistors-bin.js';
import { OUTPUTS, outputsFor, parseOutputs, type OutputName } from '../io/outputs.js';
import { connectionCount } from '../tnet/types.js';
import { eng } from '../spice/eng.js';
import { writeTnetJson } from '../io/tnet-json.js';
import { writeLines } from '../io/stream.js';
import { renderReport } from '../report/html.js';
import { VERSION, type FullSummary } from '../report/summary.js';
import { projectDoc } from '../project/project.js';
import type { Run } from '../flow/run.js';
import { formatTable, groupDigits } from '../report/table.js';
import { netlistLines } from '../spice/emit.js';
import type { SpiceVerification } from '../spice/verify.js';
import type { CliIO } from './context.js';
import { failedChecks, verdictLines } from '../report/verdicts.js';
import { VERDICT_MESSAGES as VM } from '../messages/verdicts.js';
import { debugHooks, modelInfo, realizationLines } from './flow-options.js';
import { flowOptionsFrom } from './option-table.js';
import { energyRequest, withEnergy, type EnergyRequest } from './compile-energy.js';
import { shellQuote } from '../util/format.js';
import { importOptionsFrom, type ModelFlags } from './options.js';
import { progressFor } from './progress.js';
import { formatSpiceVerification } from './verify.js';
import { maskFiles, masksDoc, type MasksRun } from '../layout/stage.js';
import { PROCESS_PRESETS } from '../presets/processes.js';
import { resolveProcess } from '../layout/process.js';
import { LIBRARY_MESSAGES, MASK_MESSAGES as MM } from '../messages/index.js';
import { drawRun, masksLines } from './masks.js';

export interface CompileCommandFlags extends ModelFlags {
  [flag: string]: unknown;
  output?: string;
  json?: boolean;
  force?: boolean;
  verify?: boolean;
  debug?: string;
  outputs?: string;
  energy?: string;
  rateHz?: string;
  masks?: boolean;
  process?: string;
  reuse?: string;
  library?: string;
}

function human(s: FullSummary, spice: SpiceVerification | null, dir: string, written: readonly string[]): string {
  const t = s.tnet;
  const eq = (e: FullSummary['equivalence']['calibration']) => `equivalence on ${e.samples} ${e.on} samples: max |error| ${e.maxAbsError.toExponential(2)}, mean ${e.meanAbsError.toExponential(2)}${e.railHits > 0 ? `; ${groupDigits(e.railHits)} neuron outputs beyond the rails` : ''}`;
  const lines = [
    'verdicts:', ...verdictLines(s.verdicts).map((l) => `  ${l}`), '',
    `${s.model.file ?? s.model.name}: ${s.source.layers} layers, ${groupDigits(s.source.parameters)} parameters, ${groupDigits(s.source.macs)} MACs`,
    `constraints: fan-in ${s.constraints.fanIn}, fan-out ${s.constraints.fanOut}, signal limit ${s.constraints.signalLimit} V`,
    `T-network: ${t.layers} layers, ${groupDigits(t.neurons)} neurons, ${t.blocks.multiplier > 0 ? `${groupDigits(t.blocks.multiplier)} multipliers, ` : ''}${groupDigits(t.connections)} connections (max fan-in ${t.maxFanIn}, max fan-out ${t.maxFanOut}, max |signal| ${t.maxAbsSignal.toPrecision(4)} V)`,
    eq(s.equivalence.calibration),
  ];
  if (s.equivalence.test) lines.push(eq(s.equivalence.test));
  if (s.digitalTail) lines.push(`digital tail: ${s.digitalTail.kind} over axes [${s.digitalTail.axes.join(', ')}] of the analog outputs`);
  if (s.construction.approx) lines.push(`approximation: p=${s.construction.approx.levels} (${s.construction.approx.method}), relative weight-matrix error ${s.construction.approx.relativeMatrixError.toExponential(3)}`);
  lines.push('');
  // Multipliers are blocks of their own, not neurons: a column only when the network has any.
  const mult = t.blocks.multiplier > 0;
  const rows = s.layers.map((l) => [l.name, l.op, l.construction, groupDigits(l.neurons.total), ...(mult ? [l.multipliers > 0 ? groupDigits(l.multipliers) : ''] : []), groupDigits(l.connections), l.maxFanIn, l.maxFanOut, l.signalRangeV ? `${l.signalRangeV[0].toFixed(3)}..${l.signalRangeV[1].toFixed(3)}` : '']);
  lines.push(formatTable(['layer', 'op', 'construction', 'neurons', ...(mult ? ['multipliers'] : []), 'connections', 'fan-in', 'fan-out', 'signal (V)'], rows, [false, false, false, true, ...(mult ? [true] : []), true, true, true, false]));
  lines.push('', ...realizationLines(s.realization));
  if (s.accuracy) {
    const a = s.accuracy;
    const p = (v: number) => `${(100 * v).toFixed(1)}%`;
    lines.push(`accuracy on ${a.samples} ${a.on} samples: source ${p(a.source)}, T-network ${p(a.tnet)}, realized ${p(a.realized)}${a.monteCarlo ? `, Monte Carlo mean ${p(a.monteCarlo.mean)} (p5 ${p(a.monteCarlo.p5)}, worst ${p(a.monteCarlo.worst)})` : ''}`);
  }
  if (spice) lines.push('', ...formatSpiceVerification(spice));
  if (s.energy) {
    const e = s.energy;
    const g = e.gating!;
    lines.push('', `energy (op-amp ${e.opamp.name}, ${e.opamp.part}; every figure rests on this model) on the ${e.on} samples: latency p50 ${si(e.latencyS.p50, 's')}, max ${si(e.latencyS.max, 's')}; energy per inference ${si(e.energyPerInferenceJ.mean, 'J')}, with power gating ${si(g.energyPerInferenceJ.mean, 'J')}; per MAC ${si(e.energyPerMacJ, 'J')} / ${si(g.energyPerMacJ, 'J')}${e.powerW !== null && g.powerW !== null ? `; at ${si(e.rateHz!, 'Hz')} ${si(e.powerW, 'W')} / ${si(g.powerW, 'W')} gated` : ''}`);
  }
  lines.push('', `wrote ${dir}/: ${written.join(', ')}`);
  return lines.join('\n');
}

/**
 * The command line of a CLI run for summary.json: `ohmnet` and the arguments, each quoted for a POSIX shell when it
 * needs it. The output directory is written OUT_DIR, so the same compile into another directory gives the same bytes.
 */
export function commandLine(argv: readonly string[]): string {
  const args = argv.map((a, i) => {
    if (i > 0 && (argv[i - 1] === '-o' || argv[i - 1] === '--output')) return 'OUT_DIR';
    if (/^--output=/.test(a)) return '--output=OUT_DIR';
    return shellQuote(a);
  });
  return ['ohmnet', ...args].join(' ');
}

/** The project document of a compile (the sample sets that came from files, by path). */
function projectOf(run: Run, model: string, dir: string, sources: CompileSources, spice: boolean, energy: EnergyRequest | null, masksProcess: string | null) {
  const fileOf = (set: Run['sets']['calibration'] | null) => (set && set.origin.kind === 'file' ? { path: set.origin.path, labelColumn: sources.labelColumn } : null);
  return projectDoc(dir, run.options, {
    model, inputShape: sources.inputShape, maxTensorElements: sources.maxTensorElements, config: run.config,
    calibration: fileOf(run.sets.calibration), test: fileOf(run.sets.test), spice, command: run.command,
    ...(energy ? { energy: { opampPreset: energy.opamp.name, rateHz: energy.rateHz ?? null } } : {}),
    ...(masksProcess !== null ? { masks: { process: masksProcess, isFile: !(masksProcess in PROCESS_PRESETS) } } : {}),
  }, VERSION);
}

/** The files a run reads: the output directory may be none of them and contain none of them. */
function inputsOf(model: string, flags: CompileCommandFlags): string[] {
  return [model, ...['calibration', 'test', 'resistors', 'config', 'reuse', 'library'].map((k) => flags[k]).filter((v): v is string => typeof v === 'string' && existsSync(v))];
}

export async function compileCommand(model: string, flags: CompileCommandFlags, io: CliIO): Promise<number> {
  if (!flags.output) throw usageError('compile needs an output directory: pass -o DIR (or "output" in the config file)');
  parseOutputs(flags.outputs); // a bad --outputs is refused before any work
  // The output directory is checked and locked before any work (issue 10: a second demo used to compute first).
  const out = prepareOutputDir(flags.output, flags.force ?? false, inputsOf(model, flags));
  try {
    const stage = progressFor(io, flags.json).stage('import');
    const graph = importModel(model, importOptionsFrom(flags));
    stage.done();
    const label = typeof flags.labelColumn === 'string' ? flags.labelColumn : null;
    return await compileGraphCommand(graph, model, flowOptionsFrom(flags, graph, ['compile', 'test', 'realize', 'verdict', 'spice']), flags, io, out, {
      inputShape: graph.input.shape.length > 0 && flags.inputShape !== undefined ? [...graph.input.shape] : null,
      maxTensorElements: importOptionsFrom(flags).maxTensorElements ?? null,
      labelColumn: label,
    });
  } finally {
    out.release();
  }
}

/** What the project file needs beyond the run: how the model was imported, the label column of the sample files. */
export interface CompileSources {
  readonly inputShape: number[] | null;
  readonly maxTensorElements: number | null;
  readonly labelColumn: string | null;
}

/** The compile command on an imported graph with its flow options, into a prepared output directory (compile, demo). */
export async function compileGraphCommand(graph: Graph, model: string, options: FlowOptions, flags: CompileCommandFlags, io: CliIO, out: PreparedOutput, sources: CompileSources = { inputShape: null, maxTensorElements: null, labelColumn: null }): Promise<number> {
  const progress = progressFor(io, flags.json);
  const run = openRun(graph, options, { model: modelInfo(model), progress, debug: debugHooks(flags.debug) });
  run.config = typeof flags.config === 'string' ? flags.config : null;
  run.command = io.argv ? commandLine(io.argv) : null;
  const energyReq = energyRequest(flags, options.signalLimitV ?? DEFAULTS.signalLimitV);
  // Masks: the realization becomes the drawn one before anything measures it (the simulated circuit is the drawn one).
  let masks: MasksRun | null = null;
  if (!flags.masks && (flags.process !== undefined || flags.reuse !== undefined)) throw usageError(MM.processWithoutMasks());
  if (!flags.masks && flags.library !== undefined) throw usageError(LIBRARY_MESSAGES.libraryWithoutMasks());
  if (flags.masks) {
    if (typeof flags.process !== 'string') throw usageError(MM.masksNeedProcess());
    masks = await drawRun(run, resolveProcess(flags.process), typeof flags.reuse === 'string' ? flags.reuse : null, typeof flags.library === 'string' ? flags.library : null);
  }
  const stages: StageName[] = ['measure', 'montecarlo', ...(flags.verify ? ['spice' as const] : [])];
  await runStages(run, stages);
  if (flags.debug) writeFileSync(`${flags.debug}/passes.json`, `${JSON.stringify({ passes: run.requireCompiled().passes, timingsMs: run.requireCompiled().timings }, null, 1)}\n`);
  let summary = fullSummary(run);
  if (energyReq) {
    const bar = progress.stage('transient and energy');
    summary = withEnergy(summary, run, energyReq);
    bar.done();
  }
  // The masks are written first, into a directory beside the output (the output's writers move them in), so the
  // report shows their areas and modules; a refusal while drawing them leaves nothing behind.
  const maskBar = masks ? progress.stage('masks') : null;
  const staged = masks ? stageMasks(masks, run, out) : null;
  maskBar?.done();
  try {
    return await writeCompileOutputs(run, model, flags, io, out, sources, summary, energyReq, progress, masks, staged);
  } finally {
    staged?.remove();
  }
}

/** A staging directory of the masks' files, written before the report (removed once the output is written). */
function stageMasks(masks: MasksRun, run: Run, out: PreparedOutput): { dir: string; names: string[]; remove: () => void } {
  let dir: string;
  try {
    dir = mkdtempSync(join(out.parent, '.ohmnet-masks-'));
  } catch (e) {
    throw inputError(OUTPUT_MESSAGES.cannotWrite(out.dir, fsReason(e)));
  }
  const unregister = onCleanupResource({ kind: 'path', path: dir });
  const remove = () => {
    rmSync(dir, { recursive: true, force: true });
    unregister();
  };
  const files = maskFiles(masks, run.requireRealization());
  try {
    for (const [name, write] of files) write(join(dir, name));
  } catch (e) {
    remove();
    throw e;
  }
  return { dir, names: files.map(([name]) => name), remove };
}

async function writeCompileOutputs(run: Run, model: string, flags: CompileCommandFlags, io: CliIO, out: PreparedOutput, sources: CompileSources, summary: FullSummary, energyReq: EnergyRequest | null, progress: ReturnType<typeof progressFor>, masks: MasksRun | null, staged: { dir: string; names: string[] } | null): Promise<number> {
  const stage = progress.stage('report');
  const html = await renderReport({ ...reportDataOf(run, summary), masks: masks ? masksDoc(masks) : null });
  stage.done();
  const realized = run.requireRealization().realized;
  const net = realized.tnet;
  const chosen = outputsFor(parseOutputs(flags.outputs), connectionCount(net) + net.neurons.count);
  if (chosen.switchedToBinary) io.err(`the resistor table has over ${groupDigits(DEFAULTS.resistorsCsvMaxRows)} rows: writing resistors.bin instead of resistors.csv (docs/formats.md; --outputs chooses)`);
  // The masks first: summary.json then carries their figures (and a re-spin's list).
  const withMasks = () => (masks ? { ...summary, masks: masksDoc(masks) } : summary);
  const writers: Record<OutputName, FileWriter> = {
    tnet: (p) => writeTnetJson(p, run.requireCompiled().tnet),
    resistors: (p) => writeResistorsCsv(p, realized),
    'resistors-bin': (p) => writeResistorsBin(p, realized),
    bom: (p) => writeBomCsv(p, run.realization!.stats.billOfMaterials, eng),
    // SPICE emitted the netlist already: write that text instead of emitting it again.
    netlist: (p) => (run.hasNetlistText() ? writeFileSync(p, run.netlistText()) : writeLines(p, netlistLines(realized, run.netlistOptions()))),
    'netlist-gz': (p) => (run.hasNetlistText() ? writeFileSync(p, gzipSync(Buffer.from(run.netlistText(), 'utf8'))) : writeLines(p, netlistLines(realized, run.netlistOptions()), { gzip: true })),
    testbench: (p) => writeFileSync(p, testbenchOf(run)),
    report: (p) => writeFileSync(p, html),
    project: (p) => writeFileSync(p, `${JSON.stringify(projectOf(run, model, out.dir, sources, flags.verify === true, energyReq, masks ? String(flags.process) : null), null, 2)}\n`),
  };
  const files = new Map<string, FileWriter>([
    ...(staged ? staged.names.map((name): [string, FileWriter] => [name, (p) => renameSync(join(staged.dir, name), p)]) : []),
    ['summary.json', (p) => writeFileSync(p, `${JSON.stringify(withMasks(), null, 2)}\n`)],
  ]);
  for (const name of Object.keys(OUTPUTS) as OutputName[]) if (chosen.names.has(name)) files.set(OUTPUTS[name], writers[name]);
  const writing = progress.stage('writing');
  writePreparedDir(out, files);
  writing.done();
  io.out(flags.json ? JSON.stringify(withMasks(), null, 2) : `${human(summary, run.spice, out.dir, [...files.keys()])}${masks ? `\n${masksLines(masksDoc(masks)).join('\n')}` : ''}`);
  // Every output file is written (the report shows why), but a failed verdict is exit code 1.
  const failed = failedChecks(summary.verdicts);
  if (failed.length > 0) {
    io.err(VM.failed(failed));
    return 1;
  }
  return 0;
}
