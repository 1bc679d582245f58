// `ohmnet run <model> --inputs <file>`: evaluates the source model (float64 reference) on samples.

import { importModel } from '../import/index.js';
import { writeFileAtomic } from '../io/atomic.js';
import { readSamples } from '../io/samples.js';
import { evaluate } from '../reference/evaluate.js';
import { evaluateTnet } from '../simulate/evaluate.js';
import { compileGraph } from '../transform/pipeline.js';
import { usageError } from '../errors.js';
import { compileOptionsFrom, type CompileFlags } from './compile-flags.js';
import type { CliIO } from './context.js';
import { importOptionsFrom, type ModelFlags } from './options.js';

export interface RunFlags extends ModelFlags, CompileFlags {
  inputs: string;
  stage?: string;
  json?: boolean;
  output?: string;
}

export const STAGES = ['source', 'tnet'] as const;
export type Stage = (typeof STAGES)[number];

export interface RunResult {
  /** Which network produced the outputs: the source model (float64 reference) or the compiled T-network. */
  readonly stage: Stage;
  /** Per-sample output shape. */
  readonly outputShape: number[];
  /** One flattened output per sample. */
  readonly outputs: number[][];
}

export function runCommand(model: string, flags: RunFlags, io: CliIO): number {
  const graph = importModel(model, importOptionsFrom(flags));
  const samples = readSamples(flags.inputs, graph.input.shape);
  const stage = (flags.stage ?? 'source') as Stage;
  if (!STAGES.includes(stage)) throw usageError(`--stage '${flags.stage}' is not one of ${STAGES.join(', ')}`);
  let outputs: Float64Array[];
  let outputShape: number[];
  if (stage === 'source') {
    const ev = evaluate(graph, samples);
    outputs = ev.outputs;
    outputShape = ev.outputShape;
  } else {
    const compiled = compileGraph(graph, compileOptionsFrom(flags, graph));
    outputs = evaluateTnet(compiled.tnet, samples).outputs;
    outputShape = evaluate(graph, samples.slice(0, 1)).outputShape;
  }
  const result: RunResult = { stage, outputShape, outputs: outputs.map((o) => Array.from(o)) };
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
