// `ohmnet run <model> --inputs <file>`: evaluates the source model (float64 reference) on samples.

import { importModel } from '../import/index.js';
import { writeFileAtomic } from '../io/atomic.js';
import { readSamples } from '../io/samples.js';
import { evaluate } from '../reference/evaluate.js';
import { evaluateTnet } from '../tnet/evaluate.js';
import { compileGraph } from '../transform/pipeline.js';
import { usageError } from '../errors.js';
import { realizeCompiled, type RealizationSummary } from '../realize/stage.js';
import { evaluateRealized } from '../simulate/realized.js';
import { compileOptionsFrom, realizationOptionsFrom, type CompileFlags, type RealizationFlags } from './compile-flags.js';
import type { CliIO } from './context.js';
import { importOptionsFrom, type ModelFlags } from './options.js';

export interface RunFlags extends ModelFlags, CompileFlags, RealizationFlags {
  inputs?: string;
  stage?: string;
  json?: boolean;
  output?: string;
}

export const STAGES = ['source', 'tnet', 'realized'] as const;
export type Stage = (typeof STAGES)[number];

export interface RunResult {
  /**
   * Which network produced the outputs: the source model (float64 reference), the compiled T-network, or the
   * realized network (nominal resistor values and converters).
   */
  readonly stage: Stage;
  /** Per-sample output shape. */
  readonly outputShape: number[];
  /** One flattened output per sample. */
  readonly outputs: number[][];
  /** With --stage realized: the realization's figures on these samples (incl. Monte Carlo with --tolerance). */
  readonly realization?: RealizationSummary;
}

export async function runCommand(model: string, flags: RunFlags, io: CliIO): Promise<number> {
  if (!flags.inputs) throw usageError('run needs samples: pass --inputs FILE (JSON {"inputs": [[...]]} or CSV)');
  const graph = importModel(model, importOptionsFrom(flags));
  const samples = readSamples(flags.inputs, graph.input.shape);
  const stage = (flags.stage ?? 'source') as Stage;
  if (!STAGES.includes(stage)) throw usageError(`--stage '${flags.stage}' is not one of ${STAGES.join(', ')}`);
  const outputShape = evaluate(graph, samples.slice(0, 1)).outputShape;
  let outputs: Float64Array[];
  let realization: RealizationSummary | undefined;
  if (stage === 'source') {
    outputs = evaluate(graph, samples).outputs;
  } else {
    const realizationOptions = stage === 'realized' ? realizationOptionsFrom(flags) : null;
    const compiled = compileGraph(graph, compileOptionsFrom(flags, graph));
    if (!realizationOptions) {
      outputs = evaluateTnet(compiled.tnet, samples).outputs;
    } else {
      const r = await realizeCompiled(graph, compiled, realizationOptions, samples);
      outputs = evaluateRealized(r.realized, samples, { weight: r.realized.weight, bias: r.realized.bias }, r.converters);
      realization = r.summary;
    }
  }
  const result: RunResult = { stage, outputShape, outputs: outputs.map((o) => Array.from(o)), ...(realization ? { realization } : {}) };
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
  if (realization && !flags.json) {
    const r = realization;
    io.out(`realized with ${r.series}: output MSE ${r.nominal.mse.toExponential(3)}, max |error| ${r.nominal.maxAbsError.toExponential(3)}, class agreement ${(100 * r.nominal.classAgreement).toFixed(1)}% on ${r.nominal.samples} samples`);
    if (r.monteCarlo) {
      const m = r.monteCarlo;
      io.out(`Monte Carlo, ${m.trials} trials, tolerance ${r.toleranceRel} ${r.toleranceDistribution}: MSE mean ${m.mse.mean.toExponential(3)} p5 ${m.mse.p5.toExponential(3)} p95 ${m.mse.p95.toExponential(3)} worst ${m.mse.worst.toExponential(3)}; class agreement mean ${(100 * m.classAgreement.mean).toFixed(2)}% worst ${(100 * m.classAgreement.worst).toFixed(2)}%`);
    }
  }
  return 0;
}
