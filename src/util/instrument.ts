// Instrumentation: the expensive analyses (the float64 reference, the T-network evaluator, netlist emission) report
// each call here, so tests can prove that one command computes each of them once per sample set (issue 9). No
// listener is installed in normal runs; a call then costs one size check.

export type InstrumentedCall = 'reference' | 'tnet' | 'netlist';

export interface CallEvent {
  readonly call: InstrumentedCall;
  /** What was evaluated or emitted (the graph, the T-network, the realized network). */
  readonly target: object;
  /** The samples, when the call evaluates samples. */
  readonly samples?: readonly ArrayLike<number>[];
  /** For the T-network evaluator: whether weights were overridden (a realized or perturbed network). */
  readonly overridden?: boolean;
}

const listeners = new Set<(e: CallEvent) => void>();

export function reportCall(e: CallEvent): void {
  if (listeners.size === 0) return;
  for (const l of listeners) l(e);
}

/** Listens to instrumented calls until the returned function is called. */
export function onCall(listener: (e: CallEvent) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
