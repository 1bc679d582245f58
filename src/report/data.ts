// What the HTML report is made from: everything `compile` computed, gathered in one value.

import type { PairTableCache } from '../realize/pairs.js';
import type { Realized } from '../realize/realize.js';
import type { ErrorFigures } from '../simulate/realized.js';
import type { TNet } from '../tnet/types.js';
import type { InspectReport } from './inspect.js';
import type { FullSummary } from './summary.js';
import type { MasksDoc } from '../layout/stage.js';

/** The KLayout check's result (scripts/klayout/check.rb's JSON), counted for the report. */
export interface MasksCheck {
  readonly resistors: number;
  readonly drc: readonly { readonly rule: string; readonly layer: string; readonly valueUm: number; readonly violations: number }[];
  readonly neuron: number;
  readonly terminals: number;
  readonly instances: number;
}

export interface ReportData {
  /** Everything summary.json holds: source totals, constraints, T-network stats, per-layer table, equivalence,
   * realization (incl. Monte Carlo aggregates) and SPICE agreement (null without --verify). */
  readonly summary: FullSummary;
  /** The source model's per-layer table (as `ohmnet inspect`). */
  readonly inspect: InspectReport;
  /** The T-network: neurons with their origin (source layer), weights (CSR), activations. */
  readonly tnet: TNet;
  /** The realized network: per-connection R+/R- and realized weights, R_f per neuron, the resistor set used. */
  readonly realized: Realized;
  /** Per-trial Monte Carlo figures (MSE, max |error|, class agreement), or null when no tolerance was simulated. */
  readonly monteCarloTrials: readonly ErrorFigures[] | null;
  /** Every option of the run, resolved (flag names as keys, as `--help` spells them), for the options table. */
  readonly options: Readonly<Record<string, string | number | boolean | null>>;
  /** The pair tables realization built (its resistor set and tolerance), so the report's achievable-weight charts
   * reuse them; when absent the report builds one cache of its own (one table per distinct R_f). */
  readonly pairTables?: PairTableCache;
  /** The masks (compile --masks: masks.json's content), or absent. */
  readonly masks?: MasksDoc | null;
  /** The KLayout check of those masks when known (check.json beside them), or absent. */
  readonly masksCheck?: MasksCheck | null;
}
