// `ohmnet merge SHARDS... -o OUT`: the shard files of one sharded run -> the unsharded result (src/scale/shard.ts).
// Nothing is written unless every shard of one run is given once.

import { usageError } from '../errors.js';
import { checkOutputFile, writeFileAtomic } from '../io/atomic.js';
import { mergeShardFiles } from '../scale/shard.js';
import type { CliIO } from './context.js';

export function mergeCommand(shards: readonly string[], flags: { output?: string }, io: CliIO): number {
  if (!flags.output) throw usageError('merge needs --output FILE for the merged summary');
  checkOutputFile(flags.output);
  const summary = mergeShardFiles(shards);
  writeFileAtomic(flags.output, `${JSON.stringify(summary)}\n`);
  io.out(`merged ${shards.length} shard${shards.length === 1 ? '' : 's'} (${summary.trials} Monte Carlo trials) into ${flags.output}`);
  return 0;
}
