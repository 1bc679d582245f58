// Records resistors.csv and netlist.cir for every fixture model under the option sets the tests use, brotli-compressed, into
// test/golden/realization/. test/golden/realization.test.ts compiles the same models again and compares the element
// values with these files: a refactor must change the shape of the code, not the circuits it builds. Run it only to
// accept an intended change of the circuits (and say why in the commit):
//   npx tsx scripts/record-realization-golden.ts
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { main } from '../src/cli/main.js';
import { GOLDEN_CASES, GOLDEN_DIR, goldenArgs } from '../test/golden/realization-cases.js';

const quiet = { out: () => {}, err: (t: string) => process.stderr.write(t), interactive: false };
for (const c of GOLDEN_CASES) {
  const dir = mkdtempSync(join(tmpdir(), 'ohmnet-golden-'));
  const out = join(dir, 'out');
  const code = await main(goldenArgs(c, out), quiet);
  // Exit 1 is a failed verdict (the files are written): the golden records circuits, not verdicts, as the test does.
  if (code !== 0 && code !== 1) throw new Error(`${c.id}: compile exited ${code}`);
  for (const f of ['resistors.csv', 'netlist.cir']) writeFileSync(join(GOLDEN_DIR, `${c.id}.${f}.br`), brotliCompressSync(readFileSync(join(out, f)), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  rmSync(dir, { recursive: true, force: true });
  console.log(`recorded ${c.id}`);
}
