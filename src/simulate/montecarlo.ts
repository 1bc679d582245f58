// Monte Carlo over resistor tolerance (patent "Example Error Analysis": 20 randomly modified networks averaged over
// the test set). Trials run in parallel on worker threads; trial t always uses the generator seeded by (seed, t), and
// results are placed by trial index, so the same seed gives the same figures whatever the number of workers.

import { API_MESSAGES as AM } from '../messages/index.js';
import { requireRealized } from '../realize/realize.js';
import { usageError } from '../errors.js';
import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Realized } from '../realize/realize.js';
import { runTrial, type ErrorFigures, type TrialSpec } from './realized.js';

export interface Distribution {
  readonly mean: number;
  readonly p5: number;
  readonly p95: number;
  /** Largest error (for agreement: the smallest). */
  readonly worst: number;
}

export interface MonteCarloResult {
  readonly trials: ErrorFigures[];
  readonly mse: Distribution;
  readonly maxAbsError: Distribution;
  readonly classAgreement: Distribution;
  /** Task accuracy over the trials (with labels), else null. */
  readonly accuracy: Distribution | null;
}

/** Percentile with linear interpolation between order statistics (type 7). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

function distribution(values: number[], worstIsMax: boolean): Distribution {
  const s = [...values].sort((a, b) => a - b);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { mean, p5: percentile(s, 0.05), p95: percentile(s, 0.95), worst: worstIsMax ? s[s.length - 1] : s[0] };
}

export function aggregate(trials: ErrorFigures[]): MonteCarloResult {
  return {
    trials,
    mse: distribution(trials.map((t) => t.mse), true),
    maxAbsError: distribution(trials.map((t) => t.maxAbsError), true),
    classAgreement: distribution(trials.map((t) => t.classAgreement), false),
    accuracy: trials.length > 0 && trials[0].accuracy !== null ? distribution(trials.map((t) => t.accuracy!), false) : null,
  };
}

export interface MonteCarloOptions extends TrialSpec {
  readonly trials: number;
  /** Worker threads; default and at most min(trials, CPU count). 1 runs in this thread. */
  readonly workers?: number;
  /** Called after each finished trial (for progress display). */
  readonly onTrial?: () => void;
}

/** Where the worker's module lives: next to this one, as .js in dist/, or behind a tsx bootstrap from sources. */
function workerEntry(): URL {
  const here = new URL(import.meta.url);
  return new URL(here.pathname.endsWith('.ts') ? './montecarlo-worker-dev.mjs' : './montecarlo-worker.js', here);
}

export async function monteCarlo(r: Realized, samples: readonly ArrayLike<number>[], reference: readonly ArrayLike<number>[], opts: MonteCarloOptions): Promise<MonteCarloResult> {
  requireRealized(r);
  if (typeof opts !== 'object' || opts === null || !Number.isSafeInteger(opts.trials) || opts.trials < 0) throw usageError(AM.badArgument('monteCarlo', 'options with a whole number of trials'));
  return aggregate(await monteCarloTrials(r, samples, reference, opts, 0, opts.trials));
}

/**
 * Trials from..to-1 of a Monte Carlo run (a shard of it, issue 18): trial t is the same whichever range computes it,
 * so the trials of shards concatenated in order are the trials of the whole run.
 */
export async function monteCarloTrials(r: Realized, samples: readonly ArrayLike<number>[], reference: readonly ArrayLike<number>[], opts: MonteCarloOptions, from: number, to: number): Promise<ErrorFigures[]> {
  requireRealized(r);
  if (typeof opts !== 'object' || opts === null || !Number.isSafeInteger(opts.trials) || opts.trials < 0) throw usageError(AM.badArgument('monteCarlo', 'options with a whole number of trials'));
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || to < from || to > opts.trials) throw usageError(AM.badArgument('monteCarloTrials', 'a trial range 0 <= from <= to <= trials'));
  if (!Array.isArray(samples) || !Array.isArray(reference) || samples.length !== reference.length) throw usageError(AM.badArgument('monteCarlo', 'the samples and their reference outputs as arrays of one length'));
  const T = to - from;
  // More threads than cores run no faster and each copies the network: use at most the CPU count (results do not
  // depend on the number of workers).
  const workers = Math.max(1, Math.min(opts.workers ?? cpus().length, cpus().length, T));
  const spec: TrialSpec = { toleranceRel: opts.toleranceRel, distribution: opts.distribution, seed: opts.seed, classThreshold: opts.classThreshold, converters: opts.converters, labels: opts.labels };
  const results: ErrorFigures[] = new Array(T);
  if (workers === 1 || T <= 1) {
    for (let t = 0; t < T; t++) {
      results[t] = runTrial(r, samples, reference, from + t, spec);
      opts.onTrial?.();
      // Let signals (Ctrl-C) and progress drawing through between trials.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return results;
  }
  const url = workerEntry();
  const plain = { samples: samples.map((s) => Float64Array.from(s)), reference: reference.map((s) => Float64Array.from(s)) };
  const chunks = Array.from({ length: workers }, (_, w) => [from + Math.floor((w * T) / workers), from + Math.floor(((w + 1) * T) / workers)] as const);
  await Promise.all(chunks.map(([a, b]) => new Promise<void>((resolve, reject) => {
    const worker = new Worker(url, { workerData: { realized: r, ...plain, from: a, to: b, spec } });
    worker.on('message', (msg: { trial?: true; results?: ErrorFigures[] }) => {
      if (msg.trial) {
        opts.onTrial?.();
        return;
      }
      msg.results!.forEach((res, k) => (results[a - from + k] = res));
      resolve();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`Monte Carlo worker exited with code ${code}`)));
  })));
  return results;
}
