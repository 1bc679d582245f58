// `ohmnet run <model> --inputs <file>`: evaluates the source model (float64 reference) on samples.

import { importModel } from '../import/index.js';
import { writeFileAtomic } from '../io/atomic.js';
import { readSamples } from '../io/samples.js';
import { evaluate } from '../reference/evaluate.js';
import type { CliIO } from './context.js';
import { importOptionsFrom, type ModelFlags } from './options.js';

export interface RunFlags extends ModelFlags {
  inputs: string;
  json?: boolean;
  output?: string;
}

export interface RunResult {
  /** Which network produced the outputs. */
  readonly stage: 'source';
  /** Per-sample output shape. */
  readonly outputShape: number[];
  /** One flattened output per sample. */
  readonly outputs: number[][];
}

export function runCommand(model: string, flags: RunFlags, io: CliIO): number {
  const graph = importModel(model, importOptionsFrom(flags));
  const samples = readSamples(flags.inputs, graph.input.shape);
  const ev = evaluate(graph, samples);
  const result: RunResult = { stage: 'source', outputShape: ev.outputShape, outputs: ev.outputs.map((o) => Array.from(o)) };
  const text = JSON.stringify(result);
  if (flags.output) writeFileAtomic(flags.output, `${text}\n`);
  if (flags.json) {
    io.out(text);
  } else if (!flags.output) {
    result.outputs.forEach((o, i) => {
      const best = o.length > 1 ? `  argmax ${o.indexOf(Math.max(...o))}` : '';
      io.out(`sample ${i}: ${o.map((v) => v.toPrecision(6)).join(' ')}${best}`);
    });
  } else {
    io.out(`wrote ${result.outputs.length} outputs to ${flags.output}`);
  }
  return 0;
}
