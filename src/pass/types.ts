// Passes as values (ARCHITECTURE.md conventions 1-4; MLIR's pass manager, onnx/optimizer's Pass): a pass has a name,
// says whether it is exact or lossy and which constraints its output honours, and runs as a function of its input
// and a shared context. The ordered list of passes is built from the options in transform/pipeline.ts; the manager
// (manager.ts) runs them, verifies after each, records what each did, and under --debug checks each against the
// network before it and dumps its output.

import type { Graph } from '../ir/ops.js';
import type { TNet } from '../tnet/types.js';
import type { VerifyOptions } from '../tnet/verify.js';

export interface PassResult<T> {
  readonly value: T;
  /** Whether the pass changed anything (a pass that may fire zero times says so). */
  readonly changed: boolean;
  /** What it did, in words, for reports. */
  readonly notes: string[];
  /** Figures a pass measures, e.g. a lossy pass's error; keys name their unit. */
  readonly metrics?: Readonly<Record<string, number>>;
}

/** The two IRs a pass reads or writes. */
export type IrKind = 'graph' | 'tnet';
export type IrValue<K extends IrKind> = K extends 'graph' ? Graph : TNet;

/** What every pass may read: the data the network is calibrated on, and a cache of analyses. */
export interface PassContext {
  /** Calibration samples (flattened per sample) in model units. */
  readonly calibration: readonly ArrayLike<number>[];
  readonly analyses: AnalysisCache;
}

export interface Pass<I extends IrKind = IrKind, O extends IrKind = IrKind> {
  readonly name: string;
  readonly from: I;
  readonly to: O;
  /** Exact passes keep the network's function (to float64 rounding); lossy ones report what they change. */
  readonly exact: boolean;
  /** The structural constraints the output honours, checked by verifyTnet after the pass (T-network outputs). */
  readonly guarantees: VerifyOptions;
  run(input: IrValue<I>, ctx: PassContext): PassResult<IrValue<O>>;
}

/** What the manager records of each pass (part of summary.json: no wall times, so files stay byte-identical). */
export interface PassRecord {
  readonly pass: string;
  readonly exact: boolean;
  readonly changed: boolean;
  readonly notes: string[];
  /** Neurons and connections of the output (null for a source-graph pass). */
  readonly neurons: number | null;
  readonly connections: number | null;
  readonly metrics: Readonly<Record<string, number>>;
}

/**
 * Analyses computed once and shared, keyed by the IR value they describe (LLVM's AnalysisManager, without
 * invalidation: IR values are immutable, so a new value is a new key). A pass that evaluates its output on the
 * calibration data (the signal-limit proof) stores the evaluation here and later stages reuse it.
 */
export class AnalysisCache {
  private readonly byValue = new WeakMap<object, Map<string, unknown>>();
  get<T>(value: object, key: string): T | undefined {
    return this.byValue.get(value)?.get(key) as T | undefined;
  }
  set<T>(value: object, key: string, result: T): T {
    let m = this.byValue.get(value);
    if (!m) this.byValue.set(value, (m = new Map()));
    m.set(key, result);
    return result;
  }
  getOrCompute<T>(value: object, key: string, compute: () => T): T {
    const hit = this.get<T>(value, key);
    return hit !== undefined ? hit : this.set(value, key, compute());
  }
}
