// `ohmnet compile <model> -o <dir>`: the T-transformation, writing summary.json and tnet.json atomically.

import { writeFileSync } from 'node:fs';
import { usageError } from '../errors.js';
import { importModel } from '../import/index.js';
import { writeOutputDir, type FileWriter } from '../io/output-dir.js';
import { writeTnetJson } from '../io/tnet-json.js';
import { summarize } from '../report/summary.js';
import { formatTable, groupDigits } from '../report/table.js';
import { compileGraph } from '../transform/pipeline.js';
import { writeResistorsCsv } from '../io/resistors-csv.js';
import { realizeCompiled, type RealizationSummary } from '../realize/stage.js';
import { addRealization, type FullSummary } from '../report/summary.js';
import { writeNetlist } from '../spice/emit.js';
import { renderReport } from '../report/html.js';
import { inspectGraph } from '../report/inspect.js';
import type { Compiled } from '../transform/pipeline.js';
import type { RealizationSummary as RSummary } from '../realize/stage.js';
import type { SpiceOptions } from './compile-flags.js';
import { progressFor } from './progress.js';
import { compileOptionsFrom, realizationOptionsFrom, spiceOptionsFrom, type CompileFlags, type RealizationFlags, type SpiceFlags } from './compile-flags.js';
import { formatSpiceVerification, spiceCheck } from './verify.js';
import type { SpiceVerification } from '../spice/verify.js';
import type { CliIO } from './context.js';
import { importOptionsFrom, type ModelFlags } from './options.js';

export interface CompileCommandFlags extends ModelFlags, CompileFlags, RealizationFlags, SpiceFlags {
  output?: string;
  json?: boolean;
  force?: boolean;
  verify?: boolean;
}

function humanRealization(r: RealizationSummary): string[] {
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const lines = [
    `realization: ${r.series}, R_f ${r.feedback.mode} per ${r.feedback.per}, ${groupDigits(r.resistors)} resistors (${r.distinctValues} distinct values), weight error mean ${r.weightError.mean.toExponential(2)}, max ${r.weightError.max.toExponential(2)}`,
    `  nominal: output MSE ${r.nominal.mse.toExponential(3)}, max |error| ${r.nominal.maxAbsError.toExponential(3)}, class agreement ${pct(r.nominal.classAgreement)}${r.converters.dacBits || r.converters.adcBits ? ` (DAC ${r.converters.dacBits ?? '-'} bits, ADC ${r.converters.adcBits ?? '-'} bits)` : ''}`,
  ];
  if (r.monteCarlo) {
    const m = r.monteCarlo;
    lines.push(`  Monte Carlo (${m.trials} trials, tolerance ${r.toleranceRel} ${r.toleranceDistribution}): MSE mean ${m.mse.mean.toExponential(3)} [p5 ${m.mse.p5.toExponential(2)}, p95 ${m.mse.p95.toExponential(2)}, worst ${m.mse.worst.toExponential(2)}], class agreement mean ${pct(m.classAgreement.mean)} (worst ${pct(m.classAgreement.worst)})`);
  }
  return lines;
}

function human(s: FullSummary, spice: SpiceVerification | null, dir: string): string {
  const t = s.tnet;
  const lines = [
    `${s.model.file}: ${s.source.layers} layers, ${groupDigits(s.source.parameters)} parameters, ${groupDigits(s.source.macs)} MACs`,
    `constraints: fan-in ${s.constraints.fanIn}, fan-out ${s.constraints.fanOut}, signal limit ${s.constraints.signalLimit} V`,
    `T-network: ${t.layers} layers, ${groupDigits(t.neurons)} neurons, ${groupDigits(t.connections)} connections (max fan-in ${t.maxFanIn}, max fan-out ${t.maxFanOut}, max |signal| ${t.maxAbsSignal.toPrecision(4)} V)`,
    `equivalence on ${s.equivalence.samples} calibration samples: max |error| ${s.equivalence.maxAbsError.toExponential(2)}, mean ${s.equivalence.meanAbsError.toExponential(2)}`,
  ];
  if (s.digitalTail) lines.push(`digital tail: ${s.digitalTail.kind} over axes [${s.digitalTail.axes.join(', ')}] of the analog outputs`);
  if (s.construction.approx) lines.push(`approximation: p=${s.construction.approx.levels} (${s.construction.approx.method}), relative weight-matrix error ${s.construction.approx.relativeMatrixError.toExponential(3)}`);
  lines.push('');
  const rows = s.layers.map((l) => [l.name, l.op, l.construction, groupDigits(l.neurons.total), groupDigits(l.connections), l.maxFanIn, l.maxFanOut, l.signalRangeV ? `${l.signalRangeV[0].toFixed(3)}..${l.signalRangeV[1].toFixed(3)}` : '']);
  lines.push(formatTable(['layer', 'op', 'construction', 'neurons', 'connections', 'fan-in', 'fan-out', 'signal (V)'], rows, [false, false, false, true, true, true, true, false]));
  lines.push('', ...humanRealization(s.realization));
  if (spice) lines.push('', ...formatSpiceVerification(spice));
  lines.push('', `wrote ${dir}/: summary.json, tnet.json, resistors.csv, netlist.cir, report.html`);
  return lines.join('\n');
}

/** The options the run actually used (defaults resolved), keyed by flag name, for the report's options table. */
function resolvedOptions(flags: CompileCommandFlags, compiled: Compiled, r: RSummary, spice: SpiceOptions): Record<string, string | number | boolean | null> {
  const o = compiled.options;
  const m = spice.opamp;
  return {
    'fan-in': o.fanIn,
    'fan-out': o.fanOut,
    'signal-limit': o.signalLimitV,
    calibration: flags.calibration ?? null,
    'input-range': o.calibrationSource === 'uniform' ? `${o.inputRange[0]},${o.inputRange[1]}` : null,
    'calibration-samples': o.calibration.length,
    seed: o.seed,
    approx: o.approx?.levels ?? null,
    'approx-method': o.approx?.method ?? null,
    resistors: r.series,
    'r-min': r.rangeOhm[0],
    'r-max': r.rangeOhm[1],
    'r-feedback': r.feedback.mode,
    'feedback-per': r.feedback.per,
    tolerance: r.toleranceRel,
    'tolerance-dist': r.toleranceDistribution,
    'v-ref': r.vRefV,
    trials: r.monteCarlo?.trials ?? 0,
    'dac-bits': r.converters.dacBits,
    'adc-bits': r.converters.adcBits,
    'class-threshold': flags.classThreshold !== undefined ? Number(flags.classThreshold) : 0.5,
    opamp: m.kind === 'ideal' ? `ideal (gain ${m.gain})` : `macro (A0 ${m.gain}, GBW ${m.gbwHz} Hz, headroom ${m.swingHeadroomV} V, Rin ${m.rinOhm}, Rout ${m.routOhm}, Iq ${m.iqA} A)`,
    verify: flags.verify ?? false,
    engine: flags.verify ? spice.engine : null,
    samples: flags.verify ? spice.samples : null,
  };
}

export async function compileCommand(model: string, flags: CompileCommandFlags, io: CliIO): Promise<number> {
  if (!flags.output) throw usageError('compile needs an output directory: pass -o DIR (or "output" in the config file)');
  const graph = importModel(model, importOptionsFrom(flags));
  const realizationOptions = realizationOptionsFrom(flags);
  const spiceOptions = spiceOptionsFrom(flags);
  const progress = progressFor(io, flags.json);
  let stage = progress.stage('T-transformation');
  const compiled = compileGraph(graph, compileOptionsFrom(flags, graph));
  stage.done();
  const { realized, summary: realization, trials } = await realizeCompiled(graph, compiled, realizationOptions, undefined, progress);
  let spice: SpiceVerification | null = null;
  if (flags.verify) {
    stage = progress.stage(`SPICE (${spiceOptions.samples} samples)`);
    spice = await spiceCheck(graph, compiled, realized, spiceOptions);
    stage.done();
  }
  const summary = addRealization(summarize(graph, compiled, model), realization, spice);
  stage = progress.stage('report');
  const html = await renderReport({
    summary, inspect: inspectGraph(graph), tnet: compiled.tnet, realized, monteCarloTrials: trials,
    options: resolvedOptions(flags, compiled, realization, spiceOptions),
  });
  stage.done();
  const files = new Map<string, FileWriter>([
    ['summary.json', (p) => writeFileSync(p, `${JSON.stringify(summary, null, 2)}\n`)],
    ['tnet.json', (p) => writeTnetJson(p, compiled.tnet)],
    ['resistors.csv', (p) => writeResistorsCsv(p, realized)],
    ['netlist.cir', (p) => writeNetlist(p, realized, { opamp: spiceOptions.opamp, title: `${graph.name} (${model})` })],
    ['report.html', (p) => writeFileSync(p, html)],
  ]);
  const out = flags.output;
  writeOutputDir(out, files, flags.force ?? false);
  io.out(flags.json ? JSON.stringify(summary, null, 2) : human(summary, spice, out));
  if (spice && !spice.passed) {
    io.err(`ohmnet: check failed: SPICE and the behavioural simulation differ by ${spice.maxVsBehaviouralV.toExponential(3)} V, more than ${spice.toleranceV.toExponential(1)} V`);
    return 1;
  }
  return 0;
}
