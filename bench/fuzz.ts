// Benchmark (issue 20): the long fuzz run, 10^5 seeded cases over the CLI's input files with the generators of
// test/import/fuzz-cases.ts (the npm test suite runs a few thousand of the same). Prints the counts by outcome per kind
// (ok: exit 0; refused: exit 2 with one line; bad: anything else, listed), the most frequent refusals and the
// slowest case, for docs/benchmarks.md.
//   npx tsx bench/fuzz.ts [cases, default 100000] [seed, default 20261122]

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { KINDS, makeCase, runCase, type CaseResult, type FuzzKind } from '../test/import/fuzz-cases.js';

const total = Number(process.argv[2] ?? 100_000);
const seed = Number(process.argv[3] ?? 20261122);
/** Share of the cases per kind (the same mix as the test suite). */
const SHARE: Record<FuzzKind, number> = { 'onnx-bytes': 3, 'onnx-mutation': 8, 'onnx-graph': 8, 'onnx-field': 6, samples: 4, config: 3, 'keras-bytes': 2, 'keras-config': 2.5, 'tfjs-json': 2.5 };
const CASE_LIMIT_MS = 5000;

const dir = mkdtempSync(join(tmpdir(), 'ohmnet-bench-fuzz-'));
const shareSum = KINDS.reduce((s, k) => s + SHARE[k], 0);
const counts = new Map<FuzzKind, { ok: number; refused: number; bad: number; ms: number }>();
const refusals = new Map<string, number>();
const bad: CaseResult[] = [];
let slowest: CaseResult | null = null;
const start = performance.now();

/** A refusal's message with names and numbers blanked, so messages of one kind count together. */
function pattern(stderr: string): string {
  return stderr.trim().replace(/'[^']*'/g, "'…'").replace(/\[[^\]]*\]/g, '[…]').replace(/-?\d+(\.\d+)?(e[+-]?\d+)?/g, 'N').slice(0, 110);
}

try {
  let done = 0;
  for (const kind of KINDS) {
    const n = Math.round((total * SHARE[kind]) / shareSum);
    const c = { ok: 0, refused: 0, bad: 0, ms: 0 };
    counts.set(kind, c);
    for (let i = 0; i < n; i++) {
      let r: CaseResult;
      try {
        r = await runCase(makeCase(kind, seed, i), dir, CASE_LIMIT_MS);
      } catch (e) {
        // A generator or harness failure is reported with the case, not a reason to stop the run.
        r = { id: `${kind}#${i}@${seed}`, kind, commands: [], ms: 0, problem: `the harness threw ${(e as Error).stack ?? String(e)}`, outcome: 'bad' };
      }
      c[r.outcome]++;
      c.ms += r.ms;
      if (r.outcome === 'bad') bad.push(r);
      if (r.outcome === 'refused') {
        const p = pattern(r.commands[r.commands.length - 1].stderr);
        refusals.set(p, (refusals.get(p) ?? 0) + 1);
      }
      if (!slowest || r.ms > slowest.ms) slowest = r;
      if (++done % 5000 === 0) process.stderr.write(`${done} cases, ${((performance.now() - start) / 1000).toFixed(0)} s\n`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const seconds = (performance.now() - start) / 1000;
console.log(`${total} cases (seed ${seed}) in ${seconds.toFixed(0)} s`);
console.log('kind            cases      ok  refused  bad  mean ms');
for (const [kind, c] of counts) {
  const n = c.ok + c.refused + c.bad;
  console.log(`${kind.padEnd(14)} ${String(n).padStart(6)} ${String(c.ok).padStart(7)} ${String(c.refused).padStart(8)} ${String(c.bad).padStart(4)} ${(c.ms / Math.max(n, 1)).toFixed(1).padStart(8)}`);
}
if (slowest) console.log(`slowest case: ${slowest.id}, ${slowest.ms.toFixed(0)} ms (${slowest.outcome}; ${slowest.commands.map((c) => `${c.args[0]} exit ${c.code}`).join(', ')})`);
console.log('most frequent refusals:');
for (const [p, k] of [...refusals].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${String(k).padStart(7)}  ${p}`);
if (bad.length > 0) {
  console.log(`${bad.length} cases broke the contract:`);
  for (const r of bad.slice(0, 50)) console.log(`  ${r.id}: ${r.problem}`);
  process.exitCode = 1;
}
