// `ohmnet inspect <model>`: the source model's per-layer table.

import { importModel } from '../import/index.js';
import { inspectGraph } from '../report/inspect.js';
import { formatTable, groupDigits } from '../report/table.js';
import type { CliIO } from './context.js';
import { importOptionsFrom, type ModelFlags } from './options.js';

export interface InspectFlags extends ModelFlags {
  json?: boolean;
}

const shape = (s: number[]) => `[${s.join(',')}]`;

export function inspectCommand(model: string, flags: InspectFlags, io: CliIO): number {
  const report = inspectGraph(importModel(model, importOptionsFrom(flags)));
  if (flags.json) {
    io.out(JSON.stringify(report, null, 2));
    return 0;
  }
  io.out(`${model}: ${report.origin}`);
  io.out(`input '${report.input.name}' ${shape(report.input.shape)} per sample -> output '${report.output.name}' ${shape(report.output.shape)}\n`);
  const rows = report.layers.map((l) => [l.name, l.op, l.inputShapes.map(shape).join(' '), shape(l.outputShape), groupDigits(l.parameters), groupDigits(l.macs)]);
  rows.push(['total', `${report.totals.layers} layers`, '', '', groupDigits(report.totals.parameters), groupDigits(report.totals.macs)]);
  io.out(formatTable(['layer', 'op', 'input', 'output', 'params', 'MACs'], rows, [false, false, false, false, true, true]));
  return 0;
}
