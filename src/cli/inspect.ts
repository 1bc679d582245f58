// `ohmnet inspect <model>`: the model's format and origin, and its per-layer table; for an ONNX model with nodes
// ohmnet refuses, every refused node (by op, in graph order) beside the source nodes, without failing.

import { importModel, scanModel } from '../import/index.js';
import { groupRefusals } from '../import/onnx-refusals.js';
import { inspectGraph } from '../report/inspect.js';
import { formatTable, groupDigits } from '../report/table.js';
import type { CliIO } from './context.js';
import { importOptionsFrom, type ModelFlags } from './options.js';

export interface InspectFlags extends ModelFlags {
  json?: boolean;
}

const shape = (s: number[]) => `[${s.join(',')}]`;

export function inspectCommand(model: string, flags: InspectFlags, io: CliIO): number {
  const scan = scanModel(model);
  const refusals = scan.onnx?.refusals ?? [];
  if (scan.onnx && refusals.length > 0) {
    const s = scan.onnx;
    const why = new Map(refusals.map((r) => [r.node, r.why]));
    if (flags.json) {
      io.out(JSON.stringify({
        model, format: scan.format, opset: s.opset, producer: s.producer, compilable: false,
        refused: groupRefusals(refusals), nodes: s.nodes.map((n) => ({ name: n.name, op: n.op, refused: why.get(n.name) ?? null })),
      }, null, 2));
      return 0;
    }
    io.out(`${model}: onnx opset ${s.opset}${s.producer ? `, producer ${s.producer}` : ''}`);
    io.out(`not compilable: ${refusals.length} of ${s.nodes.length} nodes are refused (compile stops with exit 2)\n`);
    for (const g of groupRefusals(refusals)) io.out(`${g.op} (${g.nodes.length}): ${g.why}\n  ${g.nodes.join(', ')}`);
    io.out('');
    io.out(formatTable(['node', 'op', 'status'], s.nodes.map((n) => [n.name, n.op, why.has(n.name) ? 'refused' : ''])));
    return 0;
  }
  const report = { format: scan.format, ...inspectGraph(importModel(model, importOptionsFrom(flags))) };
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
