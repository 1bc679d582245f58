// `ohmnet submit --slurm|--k8s --shards N --job-dir DIR [...] -- <run|verify ...>`: writes the scheduler's files for a
// sharded run into DIR (src/scale/submit.ts) and, for Slurm without --dry-run, submits the array and the dependent
// merge job with sbatch (docs/scale.md).

import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { usageError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { k8sManifests, slurmScripts, type SubmitOptions } from '../scale/submit.js';
import type { CliIO } from './context.js';

export interface SubmitFlags {
  slurm?: boolean;
  k8s?: boolean;
  shards?: string;
  jobDir?: string;
  dryRun?: boolean;
  partition?: string;
  account?: string;
  timeLimit?: string;
  image?: string;
  pvc?: string;
  parallelism?: string;
}

const onPath = (cmd: string) => (process.env.PATH ?? '').split(delimiter).some((d) => d !== '' && existsSync(join(d, cmd)));

function positive(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw usageError(`${flag} '${v}' must be a positive integer`);
  return Number(v);
}

export function submitCommand(job: readonly string[], flags: SubmitFlags, io: CliIO): number {
  if (Boolean(flags.slurm) === Boolean(flags.k8s)) throw usageError('submit needs one scheduler: give --slurm or --k8s');
  if (flags.shards === undefined) throw usageError('submit needs --shards N (how many shards)');
  if (!flags.jobDir) throw usageError('submit needs --job-dir DIR: a directory every node sees, for the scripts and the shard files');
  const parallelism = positive('--parallelism', flags.parallelism);
  const o: SubmitOptions = {
    job, shards: positive('--shards', flags.shards)!, dir: resolve(flags.jobDir),
    ...(flags.partition ? { partition: flags.partition } : {}), ...(flags.account ? { account: flags.account } : {}),
    ...(flags.timeLimit ? { timeLimit: flags.timeLimit } : {}), ...(flags.image ? { image: flags.image } : {}),
    ...(flags.pvc ? { pvc: flags.pvc } : {}), ...(parallelism !== undefined ? { parallelism } : {}),
  };
  if (flags.k8s) {
    const m = k8sManifests(o);
    mkdirSync(o.dir, { recursive: true });
    writeFileAtomic(join(o.dir, 'shards.yaml'), m.shards);
    writeFileAtomic(join(o.dir, 'merge.yaml'), m.merge);
    io.out(`wrote ${join(o.dir, 'shards.yaml')} (Indexed Job, ${o.shards} completions) and ${join(o.dir, 'merge.yaml')}: kubectl apply -f shards.yaml, kubectl wait --for=condition=complete job/ohmnet-shards, then kubectl apply -f merge.yaml`);
    return 0;
  }
  const s = slurmScripts(o);
  if (!flags.dryRun && !onPath('sbatch')) throw usageError('sbatch is not on PATH: run submit on a Slurm login node, or give --dry-run to only write the scripts');
  mkdirSync(o.dir, { recursive: true });
  writeFileAtomic(join(o.dir, 'array.sbatch'), s.array);
  writeFileAtomic(join(o.dir, 'merge.sbatch'), s.merge);
  writeFileAtomic(join(o.dir, 'submit.sh'), s.submit);
  chmodSync(join(o.dir, 'submit.sh'), 0o755);
  if (flags.dryRun) {
    io.out(`wrote ${join(o.dir, 'array.sbatch')} (array 0-${o.shards - 1}), merge.sbatch and submit.sh (not submitted: --dry-run)`);
    return 0;
  }
  const sbatch = (args: string[]): string => {
    const r = spawnSync('sbatch', ['--parsable', ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw usageError(`sbatch failed (${(r.stderr || r.error?.message || `exit ${String(r.status)}`).trim().split('\n')[0]}); the scripts are in ${o.dir}`);
    return r.stdout.trim().split(';')[0];
  };
  const arrayId = sbatch([join(o.dir, 'array.sbatch')]);
  const mergeId = sbatch([`--dependency=afterok:${arrayId}`, join(o.dir, 'merge.sbatch')]);
  io.out(`submitted the shard array as job ${arrayId} (${o.shards} tasks) and the merge as job ${mergeId} (afterok:${arrayId}); result: ${join(o.dir, 'merged.json')}`);
  return 0;
}
