// `ohmnet submit --slurm` on a real Slurm (issue 18): the job array and its afterok merge job are submitted with sbatch
// to a single-node cluster (scripts/slurm-single-node.sh, started by .ci/run), and the merged Monte Carlo summary is
// byte-identical to the unsharded run's. Skipped unless sbatch is on PATH with a controller answering, or OHMNET_REQUIRE_SLURM=1
// (then a missing Slurm fails the test).

import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFixture, ROOT, runCli } from '../helpers.js';

// sbatch on PATH and a controller that answers (an installed but stopped Slurm skips, unless required).
const hasSbatch = spawnSync('sh', ['-c', 'command -v sbatch && sinfo -h']).status === 0;
const required = process.env.OHMNET_REQUIRE_SLURM === '1';

describe.skipIf(!hasSbatch && !required)('ohmnet submit --slurm on a single-node Slurm', () => {
  it('runs the array and the dependent merge; the merged summary equals the unsharded run', async () => {
    expect(hasSbatch, 'OHMNET_REQUIRE_SLURM=1 but sbatch is not on PATH or no Slurm controller answers (scripts/slurm-single-node.sh starts one)').toBe(true);
    const tmp = mkdtempSync(join(tmpdir(), 'ohmnet-slurm-'));
    const fx = loadFixture('iris_mlp');
    const inputs = join(tmp, 'inputs.json');
    writeFileSync(inputs, JSON.stringify({ inputs: fx.inputs }));
    // The tasks call `ohmnet` from PATH (sbatch passes the submitter's environment): this checkout's binary.
    mkdirSync(join(tmp, 'bin'));
    writeFileSync(join(tmp, 'bin', 'ohmnet'), `#!/bin/sh\nexec ${process.execPath} ${join(ROOT, 'bin', 'ohmnet.js')} "$@"\n`);
    chmodSync(join(tmp, 'bin', 'ohmnet'), 0o755);
    const dir = join(tmp, 'job');
    const job = ['run', fx.path, '--inputs', inputs, '--stage', 'realized', '--tolerance', '0.01', '--trials', '6', '--seed', '11'];
    const env = { ...process.env, PATH: `${join(tmp, 'bin')}:${process.env.PATH ?? ''}` };
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'ohmnet.js'), 'submit', '--slurm', '--shards', '3', '--job-dir', dir, '--', ...job], { env, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const m = /merge as job (\d+)/.exec(r.stdout);
    expect(m).not.toBeNull();
    // Wait for the merge job to leave the queue (the array first: afterok), then read its result.
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      const q = spawnSync('squeue', ['-h', '-j', m![1]], { encoding: 'utf8' });
      if (q.status === 0 && q.stdout.trim() === '' && existsSync(join(dir, 'merged.json'))) break;
      await new Promise((res) => setTimeout(res, 500));
    }
    expect(existsSync(join(dir, 'merged.json')), readFileSync(join(dir, `slurm-merge-${m![1]}.out`), { encoding: 'utf8', flag: 'a+' })).toBe(true);
    const whole = await runCli([...job, '--json']);
    expect(readFileSync(join(dir, 'merged.json'), 'utf8')).toBe(`${JSON.stringify(JSON.parse(whole.stdout).realization.monteCarlo)}\n`);
  }, 120_000);
});
