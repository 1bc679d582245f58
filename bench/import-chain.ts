// Benchmark (issue 20 item 11): import and `inspect` of long chains, to show the importer is linear. Chains of 10k and
// 100k nodes, Relu only and alternating Add-a-constant / Relu, each imported with importOnnx and inspected through
// the CLI entry point in-process (decode, structure checks, import, validation, shapes, the per-layer table).
// Each is also compiled (`ohmnet compile`, every stage and output file). Prints wall and CPU time of each.
//   npx tsx bench/import-chain.ts [sizes, default 10000,100000]

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { main } from '../src/cli/main.js';
import { importOnnx } from '../src/import/onnx.js';
import { chainBytes } from '../test/import/build.js';

const sizes = (process.argv[2] ?? '10000,100000').split(',').map(Number);
const dir = mkdtempSync(join(tmpdir(), 'ohmnet-bench-chain-'));

/** Wall and CPU milliseconds of `f`. */
async function timed(f: () => unknown): Promise<{ wallMs: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  await f();
  const used = process.cpuUsage(cpu);
  return { wallMs: performance.now() - t, cpuMs: (used.user + used.system) / 1000 };
}

const fmt = (t: { wallMs: number; cpuMs: number }) => `${(t.wallMs / 1000).toFixed(2)} s wall, ${(t.cpuMs / 1000).toFixed(2)} s CPU`;

// Warm the JIT on a small chain so the first row is not charged for compilation.
importOnnx(chainBytes(2000, 'alternate'), 'warmup');

try {
  for (const kind of ['relu', 'alternate'] as const) {
    for (const n of sizes) {
      const bytes = chainBytes(n, kind);
      const path = join(dir, `${kind}-${n}.onnx`);
      writeFileSync(path, bytes);
      const imp = await timed(() => importOnnx(bytes, path));
      let code = -1;
      let out = 0;
      const insp = await timed(async () => {
        code = await main(['inspect', path], { out: (s) => (out += s.length), err: (s) => process.stderr.write(`${s}\n`), interactive: false });
      });
      if (code !== 0) throw new Error(`inspect of the ${n}-node ${kind} chain exited ${code}`);
      // The whole compile: T-transformation, realization, summary, the report and every output file.
      const comp = await timed(async () => {
        code = await main(['compile', path, '-o', join(dir, `${kind}-${n}-out`)], { out: () => undefined, err: (s) => process.stderr.write(`${s}\n`), interactive: false });
      });
      if (code !== 0) throw new Error(`compile of the ${n}-node ${kind} chain exited ${code}`);
      console.log(`${kind.padEnd(9)} ${String(n).padStart(7)} nodes (${(bytes.length / 2 ** 20).toFixed(1)} MiB): import ${fmt(imp)}; inspect ${fmt(insp)} (${(out / 2 ** 20).toFixed(1)} MiB of table); compile ${fmt(comp)}`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
