// Weight -> resistor pair selection (patent "Example {Rn, Rp, Rni, Rpi} Search Algorithm", XOR example).
// A weight is realized as w = R_f/R+ - R_f/R- with R+ and R- from the resistor set; its cost is
//     |w - (R_f/R+ - R_f/R-)| + (R_f/R+ + R_f/R-) * r_err
// (the quantization error plus the expected error from resistor tolerance r_err). An open circuit (no resistors)
// realizes exactly 0 with no tolerance error, so it is one more option.
//
// Every option is a cone |w - v| + p with apex v and height p. Options whose cone never touches the lower envelope
// (another option is at least as good even at their own apex) are dropped; for the rest, sorted by v, the best option
// for any w is one of the two options whose apexes bracket w. So each weight costs one binary search over a table
// that is built once per R_f, instead of a scan over all n^2 pairs.

export interface PairTable {
  readonly rFeedbackOhm: number;
  readonly rErr: number;
  /** Apexes (realized weights), ascending; the non-dominated options only. */
  readonly value: Float64Array;
  /** Expected tolerance error (R_f/R+ + R_f/R-) * r_err of each option. */
  readonly penalty: Float64Array;
  /** R+ and R- of each option in ohms; Infinity for the open circuit. */
  readonly rPlus: Float64Array;
  readonly rMinus: Float64Array;
  /** Largest |value| any option reaches (the weight range the set covers with this R_f). */
  readonly maxAbs: number;
}

/** All n^2 pair options plus the open circuit, sorted by (value, penalty, total conductance): before pruning. */
export function allOptions(set: readonly number[], rFeedbackOhm: number, rErr: number): { value: Float64Array; penalty: Float64Array; rPlus: Float64Array; rMinus: Float64Array } {
  const n = set.length;
  const count = n * n + 1;
  const value = new Float64Array(count);
  const penalty = new Float64Array(count);
  const cond = new Float64Array(count);
  const rPlus = new Float64Array(count);
  const rMinus = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const gp = rFeedbackOhm / set[i];
    for (let j = 0; j < n; j++) {
      const gm = rFeedbackOhm / set[j];
      value[k] = gp - gm;
      cond[k] = gp + gm;
      penalty[k] = cond[k] * rErr;
      rPlus[k] = set[i];
      rMinus[k] = set[j];
      k++;
    }
  }
  value[k] = 0;
  penalty[k] = 0;
  cond[k] = 0;
  rPlus[k] = Infinity;
  rMinus[k] = Infinity;
  // Ties broken toward lower penalty, then fewer siemens (larger resistors: less current and noise), then the order.
  const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => value[a] - value[b] || penalty[a] - penalty[b] || cond[a] - cond[b] || a - b);
  return {
    value: Float64Array.from(order, (i) => value[i]),
    penalty: Float64Array.from(order, (i) => penalty[i]),
    rPlus: Float64Array.from(order, (i) => rPlus[i]),
    rMinus: Float64Array.from(order, (i) => rMinus[i]),
  };
}

/** Indices of the options on the lower envelope of the cones |w - v| + p (input sorted by value). */
export function envelope(value: Float64Array, penalty: Float64Array): number[] {
  const n = value.length;
  // Best cone from the left at each apex: min over k < j of v_j - v_k + p_k = v_j + min(p_k - v_k).
  const fromLeft = new Float64Array(n);
  let best = Infinity;
  for (let j = 0; j < n; j++) {
    fromLeft[j] = value[j] + best;
    best = Math.min(best, penalty[j] - value[j]);
  }
  const keep: number[] = [];
  best = Infinity;
  const fromRight = new Float64Array(n);
  for (let j = n - 1; j >= 0; j--) {
    fromRight[j] = best - value[j];
    best = Math.min(best, penalty[j] + value[j]);
  }
  for (let j = 0; j < n; j++) {
    // Keep an option only if it is strictly better at its own apex than every earlier option (ties go to the first)
    // and not worse than any later one.
    if (penalty[j] < fromLeft[j] && penalty[j] <= fromRight[j]) keep.push(j);
  }
  return keep;
}

export function buildPairTable(set: readonly number[], rFeedbackOhm: number, rErr: number): PairTable {
  const all = allOptions(set, rFeedbackOhm, rErr);
  const keep = envelope(all.value, all.penalty);
  const pick = (a: Float64Array) => Float64Array.from(keep, (i) => a[i]);
  const value = pick(all.value);
  return {
    rFeedbackOhm,
    rErr,
    value,
    penalty: pick(all.penalty),
    rPlus: pick(all.rPlus),
    rMinus: pick(all.rMinus),
    maxAbs: Math.max(Math.abs(value[0]), Math.abs(value[value.length - 1])),
  };
}

/** Index of the option minimizing |w - v| + p. */
export function bestOption(t: PairTable, w: number): number {
  const v = t.value;
  let lo = 0;
  let hi = v.length - 1;
  if (w <= v[0]) return 0;
  if (w >= v[hi]) return hi;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (v[mid] <= w) lo = mid;
    else hi = mid;
  }
  const costLo = w - v[lo] + t.penalty[lo];
  const costHi = v[hi] - w + t.penalty[hi];
  return costHi < costLo ? hi : lo;
}

/** Cost of realizing w with the table: quantization error plus expected tolerance error. */
export function optionCost(t: PairTable, w: number, k: number): number {
  return Math.abs(w - t.value[k]) + t.penalty[k];
}

/** Pair tables of one resistor set and tolerance, built once per R_f and shared by realization and reports. */
export class PairTableCache {
  private readonly cache = new Map<number, PairTable>();
  constructor(readonly set: readonly number[], readonly toleranceRel: number) {}
  get(rFeedbackOhm: number): PairTable {
    let t = this.cache.get(rFeedbackOhm);
    if (!t) {
      t = buildPairTable(this.set, rFeedbackOhm, this.toleranceRel);
      this.cache.set(rFeedbackOhm, t);
    }
    return t;
  }
}
