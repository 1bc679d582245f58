// Verdicts: one pass/fail line per check against a stated threshold (issue 10), at the top of summary.json, the
// terminal output and the report. The builder is pure: the flow (flow/index.ts verdictsOf) measures the figures once
// and passes them here. A failed verdict makes compile and verify exit with code 1. Fields: docs/formats.md#verdicts.

import type { SetName } from './summary.js';

export type VerdictCheck =
  | 'equivalence' | 'signal-limit' | 'realization-error' | 'accuracy' | 'agreement'
  | 'monte-carlo-accuracy' | 'monte-carlo-agreement' | 'input-range' | 'spice' | 'power-gating';

export interface Verdict {
  readonly check: VerdictCheck;
  readonly pass: boolean;
  /** The measured figure, in `unit`. */
  readonly value: number;
  readonly threshold: number;
  /** 'max': the value must be at most the threshold; 'min': at least. */
  readonly bound: 'max' | 'min';
  readonly unit: 'V' | 'fraction' | 'count';
  /** The sample set measured, and how many of its samples. */
  readonly on: SetName;
  readonly samples: number;
  /** One line: what was measured and where the threshold came from. */
  readonly detail: string;
}

/** The figures the verdicts judge, measured by the flow. */
export interface VerdictInput {
  readonly signalLimitV: number;
  /** Per set: max |T-network - source| at the analog outputs in volts, and neuron outputs beyond the rails. */
  readonly equivalence: readonly { readonly on: SetName; readonly samples: number; readonly maxErrorV: number; readonly railHits: number }[];
  /** The nominal realized circuit on the evaluation set: max |realized - source| at the analog outputs in volts. */
  readonly realization: { readonly on: SetName; readonly samples: number; readonly maxErrorV: number; readonly classAgreement: number; readonly accuracy: number | null };
  /** The source model's accuracy on the evaluation set (with labels), else null. */
  readonly sourceAccuracy: number | null;
  readonly monteCarlo: { readonly trials: number; readonly agreementP5: number; readonly accuracyP5: number | null } | null;
  /** The evaluated set's inputs beyond the calibration set's per-feature range, and beyond the rails (+-S at the
   * network's inputs, after the input gain). */
  readonly inputs: { readonly on: SetName; readonly samples: number; readonly beyondCalibration: { readonly samples: number; readonly values: number }; readonly beyondRails: { readonly samples: number; readonly values: number } };
  readonly spice: { readonly on: SetName; readonly samples: number; readonly maxVsBehaviouralV: number; readonly toleranceV: number; readonly opamp: string } | null;
  readonly thresholds: {
    readonly maxOutputErrorV: number | null;
    readonly minAccuracy: number | null;
    readonly minAgreement: number;
    readonly allowOutOfRange: boolean;
  };
  readonly defaults: { readonly equivalenceSignalRel: number; readonly outputErrorSignalRel: number; readonly accuracyDropAllowed: number };
}

const max = (check: VerdictCheck, value: number, threshold: number, unit: Verdict['unit'], on: SetName, samples: number, detail: string): Verdict =>
  ({ check, pass: value <= threshold, value, threshold, bound: 'max', unit, on, samples, detail });
const min = (check: VerdictCheck, value: number, threshold: number, on: SetName, samples: number, detail: string): Verdict =>
  ({ check, pass: value >= threshold, value, threshold, bound: 'min', unit: 'fraction', on, samples, detail });

export function buildVerdicts(v: VerdictInput): Verdict[] {
  const S = v.signalLimitV;
  const t = v.thresholds;
  const d = v.defaults;
  const out: Verdict[] = [];
  for (const e of v.equivalence) {
    out.push(max('equivalence', e.maxErrorV, d.equivalenceSignalRel * S, 'V', e.on, e.samples, `max |T-network - source| at the analog outputs; threshold ${d.equivalenceSignalRel} of S`));
  }
  for (const e of v.equivalence) {
    out.push(max('signal-limit', e.railHits, 0, 'count', e.on, e.samples, `neuron outputs driven beyond +-${S} V (then clipped)`));
  }
  const r = v.realization;
  const outErr = t.maxOutputErrorV ?? d.outputErrorSignalRel * S;
  out.push(max('realization-error', r.maxErrorV, outErr, 'V', r.on, r.samples, `max |nominal realized circuit - source| at the analog outputs; threshold ${t.maxOutputErrorV !== null ? 'maxOutputErrorV' : `${d.outputErrorSignalRel} of S (default)`}`));
  const accTh = t.minAccuracy ?? (v.sourceAccuracy !== null ? Math.max(0, v.sourceAccuracy - d.accuracyDropAllowed) : null);
  const accFrom = t.minAccuracy !== null ? 'minAccuracy' : `the source's accuracy minus ${d.accuracyDropAllowed} (default)`;
  const agrFrom = 'minAgreement';
  if (r.accuracy !== null && accTh !== null) out.push(min('accuracy', r.accuracy, accTh, r.on, r.samples, `task accuracy of the nominal realized circuit; threshold ${accFrom}`));
  out.push(min('agreement', r.classAgreement, t.minAgreement, r.on, r.samples, `class agreement of the nominal realized circuit with the source; threshold ${agrFrom}`));
  const mc = v.monteCarlo;
  if (mc) {
    if (mc.accuracyP5 !== null && accTh !== null) out.push(min('monte-carlo-accuracy', mc.accuracyP5, accTh, r.on, r.samples, `5th percentile of task accuracy over ${mc.trials} Monte Carlo trials; threshold ${accFrom}`));
    out.push(min('monte-carlo-agreement', mc.agreementP5, t.minAgreement, r.on, r.samples, `5th percentile of class agreement over ${mc.trials} Monte Carlo trials; threshold ${agrFrom}`));
  }
  out.push(inputRangeVerdict(v.inputs, S, t.allowOutOfRange));
  if (v.spice) out.push(spiceVerdict(v.spice));
  return out;
}

/** Inputs of the evaluated set beyond the calibration range or the rails: a count, failing unless allowed. */
export function inputRangeVerdict(i: VerdictInput['inputs'], S: number, allow: boolean): Verdict {
  const beyond = i.beyondCalibration.samples;
  const rails = i.beyondRails.samples;
  const count = Math.max(beyond, rails);
  return {
    check: 'input-range', pass: allow || count === 0, value: count, threshold: 0, bound: 'max', unit: 'count', on: i.on, samples: i.samples,
    detail: `samples with inputs beyond the calibration range: ${beyond} (${i.beyondCalibration.values} values), beyond the rails +-${S} V: ${rails} (${i.beyondRails.values} values)${allow ? '; allowed by allowOutOfRange' : ''}`,
  };
}

export function spiceVerdict(s: NonNullable<VerdictInput['spice']>): Verdict {
  return max('spice', s.maxVsBehaviouralV, s.toleranceV, 'V', s.on, s.samples, `max |SPICE - behavioural simulation| at the analog outputs (${s.opamp} op-amps${s.opamp === 'macro' ? '; the behavioural simulation models their open-loop gain A0, Rin, Rout and swing at DC' : ''})`);
}

/** The checks that failed, by name (for the terminal's last line). */
export function failedChecks(verdicts: readonly Verdict[]): string[] {
  return [...new Set(verdicts.filter((x) => !x.pass).map((x) => `${x.check} on ${x.on}`))];
}

/** One terminal line per verdict. */
export function verdictLines(verdicts: readonly Verdict[]): string[] {
  const fmt = (x: Verdict, n: number) => (x.unit === 'fraction' ? `${(100 * n).toFixed(1)}%` : x.unit === 'count' ? String(n) : `${n.toExponential(2)} V`);
  return verdicts.map((x) => `${x.pass ? 'PASS' : 'FAIL'}  ${x.check.padEnd(21)} ${fmt(x, x.value)} ${x.bound === 'max' ? '<=' : '>='} ${fmt(x, x.threshold)}  on ${x.samples} ${x.on} samples${x.pass && x.check === 'input-range' && x.value > 0 ? ' (allowed)' : ''}`);
}
