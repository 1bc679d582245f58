// Benchmark: the optimal resistor set search (src/realize/resistor-set.ts) for N = 8, 12, 20, 32 on the parameters of
// the patent's published 20-value set ("Example {R1, . . . , Rn} Search Algorithm": weight range [-5, 5],
// r_err 0.1 %, 100 kΩ..5 MΩ), against the value of that set (R_f = 1.763 MΩ). Prints one markdown table; run with
//   npx tsx bench/resistor-set.ts [seed]

import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { PATENT_SET_20_OHM, PATENT_SET_20_PARAMS as P, defaultRestarts, resistorSetValue, searchOptimalSet } from '../src/realize/resistor-set.js';

const seed = Number(process.argv[2] ?? 1);
const patent = resistorSetValue(PATENT_SET_20_OHM, P);
const mohm = (r: number) => (r / 1e6).toPrecision(4);

console.log(`Resistor set search: weight range [-${P.weightLimit}, ${P.weightLimit}], r_err ${P.toleranceRel}, R in [${mohm(P.rMinOhm)}, ${mohm(P.rMaxOhm)}] MΩ, seed ${seed}`);
console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, node ${process.version}`);
console.log('');
console.log('| N | restarts | search time | value (mean squared gap) | max gap | options | coverage | R_f | patent set value (R_f 1.763 MΩ) |');
console.log('|---|---|---|---|---|---|---|---|---|');
const sets: string[] = [];
for (const count of [8, 12, 20, 32]) {
  const t0 = performance.now();
  const r = searchOptimalSet({ count, rMinOhm: P.rMinOhm, rMaxOhm: P.rMaxOhm, weightLimit: P.weightLimit, toleranceRel: P.toleranceRel, seed });
  const seconds = (performance.now() - t0) / 1000;
  const v = r.value;
  const patentCell = count === PATENT_SET_20_OHM.length ? `${patent.value.toExponential(3)} (max gap ${patent.maxGap.toFixed(3)}, ${patent.options} options)` : '';
  console.log(`| ${count} | ${defaultRestarts(count)} | ${seconds.toFixed(2)} s | ${v.value.toExponential(3)} | ${v.maxGap.toFixed(3)} | ${v.options} | [${v.lowest.toFixed(3)}, ${v.highest.toFixed(3)}] | ${mohm(r.rFeedbackOhm)} MΩ | ${patentCell} |`);
  sets.push(`N = ${count} (MΩ): ${r.set.map(mohm).join(', ')}`);
}
console.log('');
for (const s of sets) console.log(s);
