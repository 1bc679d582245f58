// `ohmnet merge SHARDS... -o OUT`: the shard files of one sharded run -> the unsharded result (src/scale/shard.ts).
// Nothing is written unless every shard of one run is given once.

import { usageError } from '../errors.js';
import { checkOutputFile, writeFileAtomic } from '../io/atomic.js';
import { mergeShardFiles } from '../scale/shard.js';
import type { CliIO } from './context.js';

export function mergeCommand(shards: readonly string[], flags: { output?: string }, io: CliIO): number {
  if (!flags.output) throw usageError('merge needs --output FILE for the merged summary');
  checkOutputFile(flags.output);
  const m = mergeShardFiles(shards);
  writeFileAtomic(flags.output, `${JSON.stringify(m.summary)}\n`);
  const what = m.job === 'montecarlo' ? `${m.summary.trials} Monte Carlo trials` : `SPICE on ${m.summary.samples} samples: ${m.summary.passed ? 'agree' : 'DISAGREE'}`;
  io.out(`merged ${shards.length} shard${shards.length === 1 ? '' : 's'} (${what}) into ${flags.output}`);
  // A merged SPICE verification that disagrees is a failed verdict (exit 1), as for the unsharded verify.
  if (m.job === 'spice' && !m.summary.passed) return 1;
  return 0;
}
