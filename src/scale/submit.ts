// Scheduler front-ends for sharded runs (issue 18): a Slurm job array (one task per shard, each running the shard
// command with its $SLURM_ARRAY_TASK_ID) with a merge job that depends on the whole array (afterok), and a Kubernetes
// Indexed Job (completionMode Indexed, one completion per shard, the shard command with $JOB_COMPLETION_INDEX) with a
// merge Job. The texts are pure functions of the options (golden-tested); the CLI writes and submits them.

import { usageError } from '../errors.js';

export interface SubmitOptions {
  /** The job's ohmnet arguments without the shard and output flags, e.g. ['run', 'model.onnx', '--stage', ...]. */
  readonly job: readonly string[];
  readonly shards: number;
  /** Directory on storage every node sees: the scripts, the shard files, the merged result, the logs. */
  readonly dir: string;
  /** How nodes call ohmnet (default 'ohmnet'). */
  readonly ohmnet?: string;
  /** Slurm: partition, account, time limit (e.g. 01:00:00). */
  readonly partition?: string;
  readonly account?: string;
  readonly timeLimit?: string;
  /** Kubernetes: the container image with ohmnet, the PersistentVolumeClaim mounted at `dir`, the Job's name. */
  readonly image?: string;
  readonly pvc?: string;
  readonly name?: string;
  /** Kubernetes: pods at once (default: all shards). */
  readonly parallelism?: number;
}

/** POSIX shell quoting: plain words stay as they are, anything else in single quotes. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

const JOBS = ['run', 'verify'];

function check(o: SubmitOptions): void {
  if (!Number.isSafeInteger(o.shards) || o.shards < 1) throw usageError((n) => `${n('shards')} must be a positive integer (the number of shards), got ${String(o.shards)}`);
  if (o.job.length === 0 || !JOBS.includes(o.job[0])) throw usageError(`the job to shard must be an ohmnet ${JOBS.join(' or ')} command after --, e.g. -- run model.onnx --inputs x.json --stage realized --tolerance 0.01`);
  for (const a of o.job) if (a === '--shard' || a.startsWith('--shard=') || a === '-o' || a === '--output' || a.startsWith('--output=')) throw usageError(`the job after -- must not give ${a}: submit adds the shard and its file to each task`);
  if (!o.dir) throw usageError((n) => `${n('jobDir')} is needed: a directory every node sees, for the shard files`);
  if (!/^[A-Za-z0-9_@%+=:,./-]+$/.test(o.dir)) throw usageError((n) => `${n('jobDir')} '${o.dir}' must be a path of letters, digits and _@%+=:,./- (it is written into shell scripts unquoted)`);
}

const shardPath = (dir: string, index: string) => `${dir}/shard-${index}.json`;

/** The shard command of task `index` (a shell word, e.g. "${SLURM_ARRAY_TASK_ID}"). */
export function shardCommand(o: SubmitOptions, index: string): string {
  return [o.ohmnet ?? 'ohmnet', ...o.job.map(shellQuote), '--shard', `"${index}/${o.shards}"`, '-o', `"${shardPath(o.dir, index)}"`].join(' ');
}

/** The merge command: every shard's file, in order. */
export function mergeCommand(o: SubmitOptions): string {
  const files = Array.from({ length: o.shards }, (_, i) => shellQuote(shardPath(o.dir, String(i))));
  return [o.ohmnet ?? 'ohmnet', 'merge', ...files, '-o', shellQuote(`${o.dir}/merged.json`)].join(' ');
}

export interface SlurmScripts {
  /** The job array: one task per shard. */
  readonly array: string;
  /** The merge job (submitted with --dependency=afterok:<array job id>). */
  readonly merge: string;
  /** The two sbatch calls, as a script a user can run. */
  readonly submit: string;
}

export function slurmScripts(o: SubmitOptions): SlurmScripts {
  check(o);
  const head = (name: string, log: string, extra: string[]) => [
    '#!/bin/bash',
    `#SBATCH --job-name=${name}`,
    ...extra,
    `#SBATCH --output=${log}`,
    ...(o.partition ? [`#SBATCH --partition=${o.partition}`] : []),
    ...(o.account ? [`#SBATCH --account=${o.account}`] : []),
    ...(o.timeLimit ? [`#SBATCH --time=${o.timeLimit}`] : []),
    'set -euo pipefail',
  ];
  const array = [...head('ohmnet-shards', `${o.dir}/slurm-%A_%a.out`, [`#SBATCH --array=0-${o.shards - 1}`]), `${shardCommand(o, '${SLURM_ARRAY_TASK_ID}')}`, ''].join('\n');
  const merge = [...head('ohmnet-merge', `${o.dir}/slurm-merge-%j.out`, []), mergeCommand(o), ''].join('\n');
  const submit = [
    '#!/bin/bash',
    '# Submits the shard array, then the merge job once every task has succeeded (afterok).',
    'set -euo pipefail',
    `array=$(sbatch --parsable ${shellQuote(`${o.dir}/array.sbatch`)})`,
    'array=${array%%;*}',
    `merge=$(sbatch --parsable --dependency=afterok:\${array} ${shellQuote(`${o.dir}/merge.sbatch`)})`,
    'echo "shards: job ${array}; merge: job ${merge%%;*}"',
    '',
  ].join('\n');
  return { array, merge, submit };
}

/** Kubernetes: the Indexed Job of the shards and the merge Job (apply it once the first is complete). */
export function k8sManifests(o: SubmitOptions): { readonly shards: string; readonly merge: string } {
  check(o);
  if (!o.image) throw usageError((n) => `${n('image')} is needed for Kubernetes: the container image with ohmnet`);
  if (!o.pvc) throw usageError((n) => `${n('pvc')} is needed for Kubernetes: the PersistentVolumeClaim every pod mounts at the job directory`);
  const parallelism = o.parallelism ?? o.shards;
  if (!Number.isSafeInteger(parallelism) || parallelism < 1) throw usageError((n) => `${n('parallelism')} must be a positive integer, got ${String(parallelism)}`);
  const name = o.name ?? 'ohmnet';
  const q = (s: string) => JSON.stringify(s);
  const job = (jobName: string, spec: string[], command: string) => [
    'apiVersion: batch/v1',
    'kind: Job',
    'metadata:',
    `  name: ${jobName}`,
    'spec:',
    ...spec,
    '  backoffLimit: 0',
    '  template:',
    '    spec:',
    '      restartPolicy: Never',
    '      containers:',
    '        - name: ohmnet',
    `          image: ${q(o.image!)}`,
    '          command: ["/bin/sh", "-c"]',
    `          args: [${q(command)}]`,
    '          volumeMounts:',
    '            - name: work',
    `              mountPath: ${q(o.dir)}`,
    '      volumes:',
    '        - name: work',
    '          persistentVolumeClaim:',
    `            claimName: ${q(o.pvc!)}`,
    '',
  ].join('\n');
  return {
    shards: job(`${name}-shards`, ['  completionMode: Indexed', `  completions: ${o.shards}`, `  parallelism: ${Math.min(parallelism, o.shards)}`], shardCommand(o, '${JOB_COMPLETION_INDEX}')),
    merge: job(`${name}-merge`, [], mergeCommand(o)),
  };
}
