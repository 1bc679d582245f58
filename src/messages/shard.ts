// Messages of sharded runs and their merge (src/scale/shard.ts, issue 18). Options are named through the Namer.

import type { Namer } from '../errors.js';

export const SHARD_MESSAGES = {
  badShard: (text: string) => (n: Namer) =>
    `${n('shard')} '${text}' must be INDEX/COUNT with 0 <= INDEX < COUNT, e.g. 0/4 for the first of four shards`,
  shardNeedsJob: () => (n: Namer) =>
    `${n('shard')} shards Monte Carlo trials: give the realized stage with a tolerance and trials (the job to split), and ${n('outputFile')} for the shard file`,
  shardNeedsOutput: () => (n: Namer) =>
    `${n('shard')} writes a shard file: give ${n('outputFile')}`,
  spiceShardNeedsPartition: () => (n: Namer) =>
    `a SPICE shard solves whole chunks of samples partition by partition: give ${n('spicePartitionNeurons')} (the same for every shard)`,
  notShardFile: (file: string, why: string) =>
    `${file} is not an ohmnet shard file (${why}); pass the files written with the shard option`,
  differentRuns: (a: string, b: string, field: string) =>
    `${a} and ${b} are shards of different runs (their ${field} differ); merge only the shards of one run`,
  duplicateShard: (index: number, a: string, b: string) =>
    `shard ${index} is given twice (${a} and ${b}); pass each shard once`,
  missingShards: (missing: readonly number[], count: number) =>
    `shard${missing.length === 1 ? '' : 's'} ${missing.join(', ')} of ${count} ${missing.length === 1 ? 'is' : 'are'} missing; pass every shard's file`,
} as const;
