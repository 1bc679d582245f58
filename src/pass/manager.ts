// The pass manager: runs an ordered list of passes, verifies every T-network a pass produces (verifyTnet with the
// constraints the pass guarantees), records what each pass did and how long it took, and with a debug hook also
// compares each pass's output with its input on the calibration data (an exact pass must agree within a stated
// tolerance; a lossy pass's error is recorded) and hands every intermediate IR to a dump callback.

import type { Graph } from '../ir/ops.js';
import { validateGraph } from '../ir/validate.js';
import { evaluate } from '../reference/evaluate.js';
import { evaluateTnet } from '../tnet/evaluate.js';
import type { TNet } from '../tnet/types.js';
import { verifyTnet } from '../tnet/verify.js';
import type { IrKind, Pass, PassContext, PassRecord } from './types.js';

export interface DebugHooks {
  /** Compare every pass's output with its input on the calibration samples. */
  readonly differential: boolean;
  /** An exact pass fails the check when max |after - before| exceeds this, relative to max |before| (floor 1). */
  readonly toleranceRel: number;
  /** Receives every pass's output (index in the pipeline, pass, value). */
  readonly dump?: (index: number, pass: Pass, value: Graph | TNet) => void;
}

export interface ManagerOptions {
  /** Run the IR verifier after every pass (default true). */
  readonly verify: boolean;
  readonly debug: DebugHooks | null;
}

export interface PassTiming {
  readonly pass: string;
  readonly ms: number;
}

export interface PipelineResult {
  readonly value: Graph | TNet;
  readonly records: PassRecord[];
  /** The output of every pass by name (the last one wins if a name repeats). */
  readonly outputs: ReadonlyMap<string, Graph | TNet>;
  readonly timings: PassTiming[];
}

/** Thrown under --debug when an exact pass changes what the network computes. */
export class DifferentialCheckError extends Error {
  constructor(readonly pass: string, readonly maxAbsError: number, readonly bound: number) {
    super(`pass '${pass}' changed the network's outputs by ${maxAbsError.toExponential(3)} on the calibration data, more than ${bound.toExponential(1)}: a bug in that pass`);
    this.name = 'DifferentialCheckError';
  }
}

function outputsOf(kind: IrKind, value: Graph | TNet, samples: readonly ArrayLike<number>[]): Float64Array[] {
  return kind === 'graph' ? evaluate(value as Graph, samples).outputs : evaluateTnet(value as TNet, samples, { railV: null }).outputs;
}

function maxAbsDiff(a: readonly Float64Array[], b: readonly Float64Array[]): { diff: number; scale: number } {
  let diff = 0;
  let scale = 0;
  a.forEach((row, k) => {
    for (let j = 0; j < row.length; j++) {
      diff = Math.max(diff, Math.abs(row[j] - b[k][j]));
      scale = Math.max(scale, Math.abs(row[j]));
    }
  });
  return { diff, scale };
}

export function runPipeline(passes: readonly Pass[], input: Graph | TNet, ctx: PassContext, options: ManagerOptions): PipelineResult {
  let value = input;
  let kind: IrKind = 'neurons' in input ? 'tnet' : 'graph';
  const records: PassRecord[] = [];
  const timings: PassTiming[] = [];
  const outputs = new Map<string, Graph | TNet>();
  let before: Float64Array[] | null = null;
  passes.forEach((pass, index) => {
    if (pass.from !== kind) throw new Error(`pass '${pass.name}' reads a ${pass.from} but the pipeline holds a ${kind}`);
    if (options.debug?.differential && before === null) before = outputsOf(kind, value, ctx.calibration);
    const t0 = performance.now();
    const r = pass.run(value as never, ctx);
    timings.push({ pass: pass.name, ms: performance.now() - t0 });
    value = r.value;
    kind = pass.to;
    if (options.verify) {
      if (kind === 'tnet') verifyTnet(value as TNet, pass.guarantees);
      else validateGraph(value as Graph, { maxTensorElements: Number.MAX_SAFE_INTEGER });
    }
    const metrics: Record<string, number> = { ...(r.metrics ?? {}) };
    if (options.debug?.differential && before !== null) {
      const after = outputsOf(kind, value, ctx.calibration);
      const { diff, scale } = maxAbsDiff(before, after);
      metrics.differentialMaxAbsError = diff;
      const bound = options.debug.toleranceRel * Math.max(scale, 1);
      if (pass.exact && !(diff <= bound)) throw new DifferentialCheckError(pass.name, diff, bound);
      before = after;
    }
    options.debug?.dump?.(index, pass, value);
    const net = kind === 'tnet' ? (value as TNet) : null;
    records.push({
      pass: pass.name, exact: pass.exact, changed: r.changed, notes: r.notes,
      neurons: net ? net.neurons.count : null, connections: net ? net.neurons.rowPtr[net.neurons.count] : null, metrics,
    });
    outputs.set(pass.name, value);
  });
  if (records.length === 0) throw new Error('the pipeline has no passes');
  return { value, records, outputs, timings };
}
