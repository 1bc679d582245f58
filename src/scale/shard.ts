// Sharded runs (issue 18): an embarrassingly parallel job (today: the Monte Carlo trials of a realized network) is cut
// into COUNT shards; shard INDEX computes its contiguous range of trials and writes a shard file (docs/scale.md); the
// merge checks that the files are every shard of one run and combines them into exactly the unsharded result. Trial t
// is seeded by (seed, t) whatever computes it, and the summary aggregates the trials in trial order, so the merged
// summary is byte-identical to the unsharded one.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inputError, usageError } from '../errors.js';
import { SHARD_MESSAGES as SM } from '../messages/shard.js';
import { aggregate } from '../simulate/montecarlo.js';
import type { ErrorFigures } from '../simulate/realized.js';
import { compareReadOut, type SpiceVerification } from '../spice/verify.js';
import type { OpampModel } from '../spice/models.js';

export const SHARD_FORMAT = 'ohmnet-shard';
export const SHARD_VERSION = 1;

export interface ShardSpec {
  readonly index: number;
  readonly count: number;
}

/** Parses "INDEX/COUNT" (0-based index). */
export function parseShard(text: string): ShardSpec {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw usageError(SM.badShard(text));
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index >= count) throw usageError(SM.badShard(text));
  return { index, count };
}

/** The contiguous range [from, to) of `total` items that shard index/count computes (sizes differ by at most 1). */
export function shardRange(total: number, s: ShardSpec): [number, number] {
  return [Math.floor((s.index * total) / s.count), Math.floor(((s.index + 1) * total) / s.count)];
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** JSON with object keys sorted (a canonical text to hash). */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x));
}

/** What identifies a run: the shards of one run carry the same values. */
export interface ShardRun {
  /** SHA-256 of the model file. */
  readonly modelSha256: string;
  /** SHA-256 of the sample file the trials are measured on. */
  readonly inputsSha256: string;
  /** SHA-256 of the canonical JSON of every option that affects the result (not the shard, output or worker count). */
  readonly optionsSha256: string;
}

/** The fields of the Monte Carlo summary that come from the run rather than from the trials. */
export interface MonteCarloRunInfo {
  readonly on: string;
  readonly samples: number;
  readonly seed: number;
}

export interface MonteCarloShardFile {
  readonly format: typeof SHARD_FORMAT;
  readonly version: typeof SHARD_VERSION;
  readonly job: 'montecarlo';
  readonly run: ShardRun;
  readonly shard: ShardSpec;
  /** Trials of the whole run, and this shard's range [from, to). */
  readonly trials: number;
  readonly from: number;
  readonly to: number;
  readonly info: MonteCarloRunInfo;
  /** Figures of trials from..to-1, in order. */
  readonly results: ErrorFigures[];
}

/** The merged (or unsharded) Monte Carlo summary: the realization's `monteCarlo` of summary.json. */
export interface MonteCarloSummary {
  readonly on: string;
  readonly samples: number;
  readonly trials: number;
  readonly seed: number;
  readonly mse: unknown;
  readonly maxAbsError: unknown;
  readonly classAgreement: unknown;
  readonly accuracy: unknown;
}

export function monteCarloSummary(info: MonteCarloRunInfo, trials: ErrorFigures[]): MonteCarloSummary {
  const mc = aggregate(trials);
  return { on: info.on, samples: info.samples, trials: trials.length, seed: info.seed, mse: mc.mse, maxAbsError: mc.maxAbsError, classAgreement: mc.classAgreement, accuracy: mc.accuracy };
}

/** The sample range [from, to) of a SPICE shard: whole chunks of `chunk` samples (the chunks fix the arithmetic). */
export function spiceShardRange(samples: number, chunk: number, s: ShardSpec): [number, number] {
  const [c0, c1] = shardRange(Math.ceil(samples / chunk), s);
  return [Math.min(samples, c0 * chunk), Math.min(samples, c1 * chunk)];
}

/** Per sample of a SPICE shard: what the comparison reads (volts at out<k>; analog values in source units). */
export interface SpiceSampleResult {
  readonly voltages: number[];
  readonly spiceOut: number[];
  readonly behaviouralAnalog: number[];
  readonly behaviouralOutputs: number[];
  readonly idealAnalog: number[] | null;
  readonly reference: number[];
}

/** The fields of the SPICE figures that come from the run rather than from the samples. */
export interface SpiceRunInfo {
  readonly on: string;
  readonly opamp: OpampModel;
  readonly toleranceV: number | null;
  readonly classThreshold: number;
  readonly railV: number | null;
  readonly outputScale: number[];
  readonly partitions: NonNullable<SpiceVerification['partitions']>;
}

export interface SpiceShardFile {
  readonly format: typeof SHARD_FORMAT;
  readonly version: typeof SHARD_VERSION;
  readonly job: 'spice';
  readonly run: ShardRun;
  readonly shard: ShardSpec;
  /** Samples of the whole run, the chunk size, and this shard's range [from, to) (whole chunks). */
  readonly samples: number;
  readonly chunkSamples: number;
  readonly from: number;
  readonly to: number;
  readonly info: SpiceRunInfo;
  /** The engine that solved this shard's samples (null for a shard without samples). */
  readonly engine: string | null;
  readonly results: SpiceSampleResult[];
}

export type ShardFile = MonteCarloShardFile | SpiceShardFile;

/** The SPICE figures of the whole run (verify's JSON without the verdicts and the seconds). */
export function spiceSummary(info: SpiceRunInfo, engine: string, results: readonly SpiceSampleResult[]): Omit<SpiceVerification, 'seconds'> & { on: string } {
  const f = (rows: (number[] | null)[]) => rows.map((r) => Float64Array.from(r ?? []));
  const ideal = info.opamp.kind === 'macro' && results.every((r) => r.idealAnalog !== null) ? { ideal: { analog: f(results.map((r) => r.idealAnalog)), outputs: [] } } : {};
  const v = compareReadOut(
    { railV: info.railV, outputScale: info.outputScale, clock: null },
    { opamp: info.opamp, samples: results.map(() => []), classThreshold: info.classThreshold, ...(info.toleranceV !== null ? { toleranceV: info.toleranceV } : {}) },
    { behavioural: { analog: f(results.map((r) => r.behaviouralAnalog)), outputs: f(results.map((r) => r.behaviouralOutputs)) }, reference: f(results.map((r) => r.reference)), ...ideal },
    { voltages: f(results.map((r) => r.voltages)), engine, seconds: 0 },
    f(results.map((r) => r.spiceOut)),
  );
  const { seconds: _s, ...figures } = { ...v, partitions: info.partitions, on: info.on };
  return figures;
}

function readShard(file: string): ShardFile {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw inputError(SM.notShardFile(file, (e as { code?: string }).code === 'ENOENT' ? 'it does not exist' : 'not JSON'));
  }
  const d = doc as Partial<MonteCarloShardFile> & Partial<SpiceShardFile>;
  if (typeof d !== 'object' || d === null || d.format !== SHARD_FORMAT) throw inputError(SM.notShardFile(file, `no "format": "${SHARD_FORMAT}"`));
  if (d.version !== SHARD_VERSION) throw inputError(SM.notShardFile(file, `version ${String(d.version)}, this ohmnet reads version ${SHARD_VERSION}`));
  if (d.job !== 'montecarlo' && d.job !== 'spice') throw inputError(SM.notShardFile(file, `job '${String(d.job)}' is not montecarlo or spice`));
  const total = d.job === 'montecarlo' ? d.trials : d.samples;
  const ok = d.run && d.shard && d.info && Array.isArray(d.results) && Number.isSafeInteger(total) && Number.isSafeInteger(d.shard.index) && Number.isSafeInteger(d.shard.count)
    && d.shard.count >= 1 && d.shard.index >= 0 && d.shard.index < d.shard.count
    && Number.isSafeInteger(d.from) && Number.isSafeInteger(d.to) && d.results.length === d.to! - d.from! && (d.job === 'montecarlo' || (Number.isSafeInteger(d.chunkSamples) && d.chunkSamples! >= 1));
  if (!ok) throw inputError(SM.notShardFile(file, 'fields missing or inconsistent'));
  const [from, to] = d.job === 'montecarlo' ? shardRange(total!, d.shard!) : spiceShardRange(total!, d.chunkSamples!, d.shard!);
  if (from !== d.from || to !== d.to) throw inputError(SM.notShardFile(file, 'its range is not its shard\'s'));
  return d as ShardFile;
}

/** The merged result: the Monte Carlo summary, or the SPICE figures. */
export type MergedResult = { readonly job: 'montecarlo'; readonly summary: MonteCarloSummary } | { readonly job: 'spice'; readonly summary: ReturnType<typeof spiceSummary> };

/**
 * Merges the shard files of one run into the unsharded result. Refuses files of different runs or options, a shard
 * given twice and a missing shard (nothing is merged then).
 */
export function mergeShardFiles(files: readonly string[]): MergedResult {
  if (files.length === 0) throw usageError('merge needs the shard files: pass every shard file of one run');
  const shards = files.map((f) => ({ file: f, doc: readShard(f) }));
  const first = shards[0];
  const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);
  const total = (d: ShardFile) => (d.job === 'montecarlo' ? d.trials : d.samples);
  for (const s of shards.slice(1)) {
    const checks: [string, unknown, unknown][] = [
      ['jobs', first.doc.job, s.doc.job],
      ['model files', first.doc.run.modelSha256, s.doc.run.modelSha256],
      ['sample files', first.doc.run.inputsSha256, s.doc.run.inputsSha256],
      ['options', first.doc.run.optionsSha256, s.doc.run.optionsSha256],
      ['shard counts', first.doc.shard.count, s.doc.shard.count],
      ['trial or sample counts', total(first.doc), total(s.doc)],
      ['run figures', first.doc.info, s.doc.info],
    ];
    for (const [field, a, b] of checks) if (!same(a, b)) throw inputError(SM.differentRuns(first.file, s.file, field));
  }
  const count = first.doc.shard.count;
  const byIndex = new Array<(typeof shards)[number] | undefined>(count);
  for (const s of shards) {
    const prev = byIndex[s.doc.shard.index];
    if (prev) throw inputError(SM.duplicateShard(s.doc.shard.index, prev.file, s.file));
    byIndex[s.doc.shard.index] = s;
  }
  const missing = [...byIndex.keys()].filter((i) => !byIndex[i]);
  if (missing.length > 0) throw inputError(SM.missingShards(missing, count));
  if (first.doc.job === 'montecarlo') {
    return { job: 'montecarlo', summary: monteCarloSummary(first.doc.info, byIndex.flatMap((s) => (s!.doc as MonteCarloShardFile).results)) };
  }
  const engines = [...new Set(shards.map((s) => (s.doc as SpiceShardFile).engine).filter((e): e is string => typeof e === 'string'))];
  if (engines.length > 1) {
    const a = shards.find((s) => (s.doc as SpiceShardFile).engine === engines[0])!;
    const b = shards.find((s) => (s.doc as SpiceShardFile).engine === engines[1])!;
    throw inputError(SM.differentRuns(a.file, b.file, 'SPICE engines'));
  }
  return { job: 'spice', summary: spiceSummary(first.doc.info, engines[0] ?? 'none', byIndex.flatMap((s) => (s!.doc as SpiceShardFile).results)) };
}
