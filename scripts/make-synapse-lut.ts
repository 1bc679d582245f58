// Makes the committed synapse look-up table, fixtures/synapse/ptm65.lut.json: `ohmnet characterize`'s sweeps
// (src/synapse/characterize.ts) on the default grid. Run with `npx tsx scripts/make-synapse-lut.ts` (about a
// minute on 2 cores); the same as `ohmnet characterize -o fixtures/synapse/ptm65.lut.json`.

import { writeFileAtomic } from '../src/io/atomic.js';
import { characterize } from '../src/synapse/characterize.js';
import { serializeLut } from '../src/synapse/lut.js';

const out = process.argv[2] ?? 'fixtures/synapse/ptm65.lut.json';
const t0 = Date.now();
const lut = await characterize({ jobs: 2, onRun: (d, n) => process.stderr.write(`run ${d}/${n}\n`) });
writeFileAtomic(out, serializeLut(lut));
process.stderr.write(`wrote ${out} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
