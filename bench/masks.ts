// Benchmark (issue 15): the masks of MobileNet v1 (32x32x3, random weights; bench/models.ts), fan-in/fan-out 100,
// S = 6, E96 100k..1M: the drawn realization (every resistance from its grid-snapped shape) and masks.gds streamed
// to disk, timed apart from the compile and the realization before them. Prints the times, the file size and the
// peak RSS of the whole process. Run once:
//   npx tsx bench/masks.ts [process] [outDir]        (process default sky130-res-xhigh)

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { compileGraph } from '../src/transform/pipeline.js';
import { realizeNetwork } from '../src/realize/stage.js';
import { resolveRealizationOptions } from '../src/realize/stage.js';
import { drawnRealization } from '../src/layout/drawn.js';
import { ShapeCache } from '../src/layout/geometry.js';
import { writeMasks } from '../src/layout/masks.js';
import { resolveProcess } from '../src/layout/process.js';
import { Rng } from '../src/util/random.js';
import { mobilenetV1 } from './models.js';

const processName = process.argv[2] ?? 'sky130-res-xhigh';
const out = process.argv[3] ?? mkdtempSync(join(tmpdir(), 'ohmnet-masks-bench-'));
const graph = mobilenetV1(1);
const rng = new Rng(2);
const inputs = Array.from({ length: 10 }, () => Float64Array.from({ length: 3 * 32 * 32 }, () => rng.uniform(0, 1)));
let t = performance.now();
const lap = (name: string) => {
  const now = performance.now();
  const s = (now - t) / 1000;
  process.stderr.write(`  ${name}: ${s.toFixed(1)} s, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB\n`);
  t = now;
  return s;
};
const compiled = compileGraph(graph, { fanIn: 100, fanOut: 100, signalLimitV: 6, calibration: inputs });
lap('T-transformation');
const options = resolveRealizationOptions({ resistors: 'E96' });
const realization = realizeNetwork(compiled.tnet, options, {});
lap('realization');
const shapes = new ShapeCache(resolveProcess(processName));
const drawn = drawnRealization(realization.realized, shapes);
const drawSeconds = lap('drawn realization');
const gds = join(out, 'masks.gds');
const report = writeMasks(gds, join(out, 'masks-cells.csv'), drawn.realized, shapes, { rMaxOhm: options.rMaxOhm });
const writeSeconds = lap('masks.gds');
const size = statSync(gds).size;
console.log(`MobileNet v1 32x32 masks in ${processName}: ${report.resistors.toLocaleString('en-US')} resistors, ${report.opamps.toLocaleString('en-US')} op-amps, ${report.cells.toLocaleString('en-US')} cells`);
console.log(`drawn realization ${drawSeconds.toFixed(1)} s, masks.gds ${writeSeconds.toFixed(1)} s (${(size / 1e9).toFixed(2)} GB), masks total ${(drawSeconds + writeSeconds).toFixed(1)} s`);
console.log(`snapping max ${drawn.snapping.maxRel.toExponential(2)} relative; area: resistors ${(report.resistorAreaUm2 / 1e6).toFixed(1)} mm^2, op-amps ${(report.opampAreaUm2 / 1e6).toFixed(1)} mm^2, ${report.widthUm.toFixed(0)} x ${report.heightUm.toFixed(0)} um`);
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB (whole process: compile, realization and masks)`);
if (process.argv[3] === undefined) rmSync(out, { recursive: true, force: true });
