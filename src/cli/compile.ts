// `ohmnet compile <model> -o <dir>`: the T-transformation, writing summary.json and tnet.json atomically.

import { writeFileSync } from 'node:fs';
import { importModel } from '../import/index.js';
import { writeOutputDir, type FileWriter } from '../io/output-dir.js';
import { writeTnetJson } from '../io/tnet-json.js';
import { summarize, type Summary } from '../report/summary.js';
import { formatTable, groupDigits } from '../report/table.js';
import { compileGraph } from '../transform/pipeline.js';
import { compileOptionsFrom, type CompileFlags } from './compile-flags.js';
import type { CliIO } from './context.js';
import { importOptionsFrom, type ModelFlags } from './options.js';

export interface CompileCommandFlags extends ModelFlags, CompileFlags {
  output: string;
  json?: boolean;
  force?: boolean;
}

function human(s: Summary, dir: string): string {
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
  lines.push('', `wrote ${dir}/summary.json and ${dir}/tnet.json`);
  return lines.join('\n');
}

export function compileCommand(model: string, flags: CompileCommandFlags, io: CliIO): number {
  const graph = importModel(model, importOptionsFrom(flags));
  const compiled = compileGraph(graph, compileOptionsFrom(flags, graph));
  const summary = summarize(graph, compiled, model);
  const files = new Map<string, FileWriter>([
    ['summary.json', (p) => writeFileSync(p, `${JSON.stringify(summary, null, 2)}\n`)],
    ['tnet.json', (p) => writeTnetJson(p, compiled.tnet)],
  ]);
  writeOutputDir(flags.output, files, flags.force ?? false);
  io.out(flags.json ? JSON.stringify(summary, null, 2) : human(summary, flags.output));
  return 0;
}
