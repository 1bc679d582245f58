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
import { readFileSync } from 'node:fs';
import { checkOutputFile, writeFileAtomic } from '../io/atomic.js';
import { runStages as runFlowStages } from '../flow/index.js';
import type { Run } from '../flow/run.js';
import { headOf } from '../flow/samples.js';
import { canonicalJson, parseShard, sha256, spiceShardRange, SHARD_FORMAT, SHARD_VERSION, type ShardSpec, type SpiceShardFile } from '../scale/shard.js';
import { SHARD_MESSAGES as SHM } from '../messages/shard.js';
import { solvePartitioned } from '../spice/partition.js';
import { readout } from '../tnet/evaluate.js';

export interface VerifyFlags extends ModelFlags {
  [flag: string]: unknown;
  spice?: boolean;
  json?: boolean;
  shard?: string;
  output?: string;
}

/** Samples per SPICE chunk of a partitioned run (solvePartitioned's default): shards cut at whole chunks. */
const CHUNK_SAMPLES = 10;
/** Flags that do not change a shard's figures (where it is written, how it is printed, the shard itself). */
const NOT_RESULT_FLAGS = new Set(['shard', 'output', 'json', 'workers', 'config']);

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
  const shard = flags.shard !== undefined ? parseShard(String(flags.shard)) : null;
  if (shard && !flags.output) throw usageError(SHM.shardNeedsOutput());
  if (flags.output) checkOutputFile(flags.output);
  const graph = project ? importProjectModel(project) : importModel(model, importOptionsFrom(flags));
  const given = flowOptionsFrom(flags, graph, ['compile', 'test', 'realize', 'verdict', 'spice']);
  const options = project ? { ...projectFlowOptions(project, graph), ...given } : given;
  const run = openRun(graph, options, { model: modelInfo(project ? project.modelPath : model), progress: progressFor(io, flags.json) });
  run.config = project ? project.doc.config : typeof flags.config === 'string' ? flags.config : null;
  if (project) await applyProjectMasks(run, project);
  if (shard) {
    if (options.spicePartitionNeurons === undefined || options.spicePartitionNeurons === null) throw usageError(SHM.spiceShardNeedsPartition());
    const hashFile = (f: unknown) => (typeof f === 'string' ? sha256(readFileSync(f)) : null);
    const opts: Record<string, unknown> = Object.fromEntries(Object.entries(flags).filter(([k, v]) => !NOT_RESULT_FLAGS.has(k) && v !== undefined));
    const doc = await spiceShard(run, shard, {
      modelSha256: sha256(readFileSync(project ? project.modelPath : model)),
      inputsSha256: sha256(canonicalJson({ test: hashFile(flags.test), calibration: hashFile(flags.calibration) })),
      optionsSha256: sha256(canonicalJson(project ? { project: projectFlowOptions(project, graph), ...opts } : opts)),
    });
    writeFileAtomic(flags.output!, `${JSON.stringify(doc)}\n`);
    io.out(`wrote SPICE shard ${shard.index}/${shard.count} (samples ${doc.from}..${doc.to - 1} of ${doc.samples}) to ${flags.output!}`);
    return 0;
  }
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

/** One shard of a partitioned SPICE verification: its whole chunks of samples solved, with what the merge compares. */
async function spiceShard(run: Run, shard: ShardSpec, id: SpiceShardFile['run']): Promise<SpiceShardFile> {
  await runFlowStages(run, ['realize']);
  const s = run.options.spice;
  const set = headOf(run.evaluation, s.samples);
  const S = set.samples.length;
  const [from, to] = spiceShardRange(S, CHUNK_SAMPLES, shard);
  const full = run.netlistEvaluation(run.evaluation);
  const ideal = s.opamp.kind === 'macro' ? run.realizedEvaluation(run.evaluation) : null;
  const reference = run.reference(run.evaluation).final;
  const realized = run.requireRealization().realized;
  const net = realized.tnet;
  const sol = await solvePartitioned(realized, set.samples.slice(from, to), s.engine, { maxNeurons: s.partitionNeurons!, chunkSamples: CHUNK_SAMPLES, netlist: run.netlistOptions() }, s.timeoutMs ?? undefined);
  const results = sol.voltages.map((v, k) => ({
    voltages: Array.from(v), spiceOut: Array.from(readout(net, v).output),
    behaviouralAnalog: Array.from(full.analog[from + k]), behaviouralOutputs: Array.from(full.outputs[from + k]),
    idealAnalog: ideal ? Array.from(ideal.analog[from + k]) : null, reference: Array.from(reference[from + k]),
  }));
  const info = {
    on: set.name, opamp: s.opamp, toleranceV: null, classThreshold: run.options.measure.classThreshold,
    railV: net.railV, outputScale: Array.from(net.outputScale),
    partitions: { count: sol.partitions, maxNeurons: s.partitionNeurons!, largestNeurons: sol.largestNeurons, largestInputs: sol.largestInputs },
  };
  return { format: SHARD_FORMAT, version: SHARD_VERSION, job: 'spice', run: id, shard, samples: S, chunkSamples: CHUNK_SAMPLES, from, to, info, engine: results.length > 0 ? sol.engine : null, results };
}
