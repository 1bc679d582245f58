// docs/img/synapse-lut.svg: the committed LUT's curves (src/synapse/lut-plot.ts), for docs/synapse.md. Run with
// `npx tsx scripts/make-synapse-figure.ts` after scripts/make-synapse-lut.ts.

import { writeFileAtomic } from '../src/io/atomic.js';
import { renderChart } from '../src/report/plots.js';
import { loadSynapseLut } from '../src/synapse/characterize.js';
import { lutCurvesSpec } from '../src/synapse/lut-plot.js';

const lut = loadSynapseLut('fixtures/synapse/ptm65.lut.json');
const chart = await renderChart(lutCurvesSpec(lut.data, 0.55), 'synapse-lut');
if (chart.warnings.length > 0) throw new Error(chart.warnings.join('; '));
writeFileAtomic('docs/img/synapse-lut.svg', chart.svg);
