// The pruning section of summary.json (docs/formats.md#pruning, docs/pruning.md): the options every step used, the
// circuit before and after (neurons, op-amps, resistors, connections of the realized circuit), and per pruning pass
// what it removed and the output error and accuracy of the network after it on the evaluation set.

import type { SetName } from './summary.js';

/**
 * Counts of one realized circuit. Op-amps: one per summing neuron and one per gain stage (multiplier cells apart);
 * connections: the T-network's less those realized open.
 */
export interface CircuitCounts {
  readonly neurons: number;
  readonly opAmps: number;
  readonly resistors: number;
  readonly connections: number;
}

export interface PruningStepSummary {
  readonly pass: string;
  /** Exact passes keep the function (extraction: exactly on the set `extractionOn` names); lossy ones do not. */
  readonly exact: boolean;
  readonly notes: readonly string[];
  readonly removedNeurons: number;
  readonly removedConnections: number;
  readonly removedBiasPairs: number;
  /** Resistors of what it removed: two per connection pair and bias pair, R_f and R_p of each removed neuron. */
  readonly removedResistors: number;
  /** ReLU neurons made identity (extract-linear). */
  readonly linearizedNeurons: number;
  /** The logical network after the pass (before the fan-in/fan-out trees). */
  readonly neurons: number;
  readonly connections: number;
  /** The network after the pass against the source, on the evaluation set: largest |output difference| in model
   * units at the analog outputs, and the task accuracy (null without labels). */
  readonly error: { readonly on: SetName; readonly samples: number; readonly maxAbsOutputError: number; readonly accuracy: number | null };
}

/** The claims' rules applied to the realized circuit's weight and bias resistors, and what they changed. */
export interface ResistorRulesSummary {
  readonly openAboveOhm: number | null;
  readonly conductorBelowOhm: number | null;
  readonly conductorOhm: number | null;
  readonly opened: number;
  readonly conductors: number;
  /** Connections and bias pairs whose both resistors were opened. */
  readonly connectionsRemoved: number;
  /** Largest |output with the rules - output without| of the realized network (model units) on the set. */
  readonly maxAbsOutputError: number;
  readonly on: SetName;
  readonly samples: number;
}

export interface AreaFigures { readonly resistorsUm2: number; readonly opAmpsUm2: number; readonly totalUm2: number }
export interface AreaEstimate {
  readonly source: 'user-supplied';
  readonly resistorAreaUm2: number;
  readonly opampAreaUm2: number;
  readonly before: AreaFigures;
  readonly after: AreaFigures;
  /** before.totalUm2 / after.totalUm2. */
  readonly ratio: number;
}

export interface PruningSummary {
  /** Every value the steps used: the steps run and their thresholds (null: step not asked for). */
  readonly options: { readonly steps: readonly string[]; readonly weightBelowAbs: number | null; readonly biasBelowAbs: number | null; readonly rankBy: string | null; readonly rankMaxErrorAbs: number | null; readonly fanIn: number; readonly fanOut: number };
  /** The set knowledge extraction measured constants and ReLU ranges on. */
  readonly extractionOn: { readonly set: SetName; readonly samples: number };
  /** The realized circuit compiled without pruning and with it (same options otherwise). */
  readonly before: CircuitCounts;
  readonly after: CircuitCounts;
  /** before / after, per figure (1: nothing removed). */
  readonly ratio: { readonly opAmps: number; readonly resistors: number; readonly connections: number };
  /** The source's accuracy on the evaluation set (null without labels), the baseline of each step's accuracy. */
  readonly sourceAccuracy: number | null;
  readonly steps: readonly PruningStepSummary[];
  /**
   * The area estimate from the user's figures per resistor and per op-amp (um^2), or null when none were given: the
   * realized circuit's resistors x resistorAreaUm2 + op-amps x opampAreaUm2, before and after (wiring not counted).
   */
  readonly area: AreaEstimate | null;
  /** The resistor rules on the realized circuit, or null when none were given. */
  readonly resistorRules: ResistorRulesSummary | null;
}
