// What the commands share between parsing flags and formatting results: the flow's options from the flags, the
// model's display names, the pass manager's debug hooks for --debug, and the human lines of the realization figures.

import { writeFileSync } from 'node:fs';
import { usageError } from '../errors.js';
import { fsReason } from '../messages/index.js';
import { makeDirs } from '../util/fs.js';
import { basename, dirname, join, resolve } from 'node:path';
import type { Graph } from '../ir/ops.js';
import { writeTnetJson } from '../io/tnet-json.js';
import type { DebugHooks } from '../pass/manager.js';
import type { TNet } from '../tnet/types.js';
import type { ModelInfo } from '../flow/run.js';
import type { RealizationSummary } from '../report/summary.js';
import { groupDigits } from '../report/table.js';

/** The model file as files name it: its base name (a TF.js model.json with its directory, which names the model). */
export function modelInfo(path: string): ModelInfo {
  const base = basename(path);
  return { path, fileName: base.toLowerCase() === 'model.json' ? `${basename(dirname(resolve(path)))}/${base}` : base };
}

/** Debug hooks for --debug DIR: a differential check of every pass (1e-9 relative) and a dump of its output. */
export function debugHooks(dir: string | undefined): DebugHooks | null {
  if (dir === undefined) return null;
  try {
    makeDirs(dir);
  } catch (e) {
    throw usageError(`cannot create the debug directory '${dir}': ${fsReason(e)}; choose another --debug`);
  }
  return {
    differential: true,
    toleranceRel: 1e-9,
    dump: (index, pass, value) => {
      const stem = join(dir, `${String(index).padStart(2, '0')}-${pass.name}`);
      if (pass.to === 'tnet') writeTnetJson(`${stem}.tnet.json`, value as TNet);
      else {
        const g = value as Graph;
        writeFileSync(`${stem}.graph.json`, `${JSON.stringify({ name: g.name, input: g.input, output: g.output, nodes: g.nodes.map((n) => ({ name: n.name, kind: n.kind, sourceOp: n.sourceOp, inputs: n.inputs, output: n.output })) }, null, 1)}\n`);
      }
    },
  };
}

export const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

/** The realization's figures as terminal lines (compile and run --stage realized). */
export function realizationLines(r: RealizationSummary): string[] {
  const acc = (a: number | null) => (a === null ? '' : `, accuracy ${pct(a)}`);
  const lines = [
    `realization: ${r.series}, R_f ${r.feedback.mode} per ${r.feedback.per}, ${groupDigits(r.resistors)} resistors (${r.distinctValues} distinct values), weight error mean ${r.weightError.mean.toExponential(2)}, max ${r.weightError.max.toExponential(2)}${r.outsideRange > 0 ? `, ${groupDigits(r.outsideRange)} resistors OUTSIDE the range` : ""}`,
    `  nominal on ${r.nominal.samples} ${r.nominal.on} samples: output MSE ${r.nominal.mse.toExponential(3)}, max |error| ${r.nominal.maxAbsError.toExponential(3)}, class agreement ${pct(r.nominal.classAgreement)}${acc(r.nominal.accuracy)}${r.converters.dacBits || r.converters.adcBits ? ` (DAC ${r.converters.dacBits ?? '-'} bits, ADC ${r.converters.adcBits ?? '-'} bits)` : ''}`,
  ];
  if (r.monteCarlo) {
    const m = r.monteCarlo;
    lines.push(`  Monte Carlo (${m.trials} trials, tolerance ${r.toleranceRel} ${r.toleranceDistribution}) on ${m.samples} ${m.on} samples: MSE mean ${m.mse.mean.toExponential(3)} [p5 ${m.mse.p5.toExponential(2)}, p95 ${m.mse.p95.toExponential(2)}, worst ${m.mse.worst.toExponential(2)}], class agreement mean ${pct(m.classAgreement.mean)} (worst ${pct(m.classAgreement.worst)})${m.accuracy ? `, accuracy mean ${pct(m.accuracy.mean)} (p5 ${pct(m.accuracy.p5)}, worst ${pct(m.accuracy.worst)})` : ''}`);
  }
  return lines;
}
