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
export function allOptions(given: readonly number[], rFeedbackOhm: number, rErr: number): { value: Float64Array; penalty: Float64Array; rPlus: Float64Array; rMinus: Float64Array } {
  // The run merge below needs the set ascending; sets may come in any order (the patent lists its 12-value set unsorted).
  const set = isAscending(given) ? given : [...given].sort((a, b) => a - b);
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
  // For each R+ (row i), the values R_f/R+ - R_f/R- rise with R- (the set ascends): n sorted runs, merged.
  const order = mergeRuns(n, n, 1, value, (a, b) => penalty[a] - penalty[b] || cond[a] - cond[b] || a - b);
  return { value: gather(value, order), penalty: gather(penalty, order), rPlus: gather(rPlus, order), rMinus: gather(rMinus, order) };
}

function isAscending(a: readonly number[]): boolean {
  for (let i = 1; i < a.length; i++) if (!(a[i - 1] <= a[i])) return false;
  return true;
}

/** a[index[0]], a[index[1]], ... (a plain loop: Float64Array.from with a map function is several times slower). */
function gather(a: Float64Array, index: ArrayLike<number>): Float64Array {
  const out = new Float64Array(index.length);
  for (let i = 0; i < index.length; i++) out[i] = a[index[i]];
  return out;
}

/**
 * The order of `runs` ascending runs of `length` indices each (run r holds r*length .. r*length+length-1, each run
 * already in order) plus `extra` single indices after them, merged by `key` ascending and `tie` among equal keys (a
 * total order): a
 * heap-based k-way merge, O(N log k) comparisons instead of a comparison sort's O(N log N) of the N = runs*length
 * options. The result is the permutation a comparison sort by (key, tie) gives. A pair table of E192 over 100 Ω..1 MΩ
 * has 590k options, and the R_f search builds one table per candidate.
 */
export function mergeRuns(runs: number, length: number, extra: number, key: Float64Array, tie: (a: number, b: number) => number): Int32Array {
  const total = runs * length + extra;
  const order = new Int32Array(total);
  const k = runs + extra;
  // Each heap entry is a run (or a single extra index): its head element and where the run ends.
  const head = new Int32Array(k);
  const end = new Int32Array(k);
  for (let r = 0; r < runs; r++) {
    head[r] = r * length;
    end[r] = r * length + length;
  }
  for (let x = 0; x < extra; x++) {
    head[runs + x] = runs * length + x;
    end[runs + x] = runs * length + x + 1;
  }
  const heap = new Int32Array(k);
  let size = 0;
  const less = (p: number, q: number) => {
    const a = head[heap[p]];
    const b = head[heap[q]];
    const d = key[a] - key[b];
    return d < 0 || (d === 0 && tie(a, b) < 0);
  };
  const swap = (p: number, q: number) => {
    const t = heap[p];
    heap[p] = heap[q];
    heap[q] = t;
  };
  const down = (p: number) => {
    for (;;) {
      const l = 2 * p + 1;
      const r = l + 1;
      let m = p;
      if (l < size && less(l, m)) m = l;
      if (r < size && less(r, m)) m = r;
      if (m === p) return;
      swap(p, m);
      p = m;
    }
  };
  for (let r = 0; r < k; r++) if (end[r] > head[r]) heap[size++] = r;
  for (let p = (size >> 1) - 1; p >= 0; p--) down(p);
  for (let out = 0; out < total; out++) {
    const r = heap[0];
    order[out] = head[r]++;
    if (head[r] === end[r]) heap[0] = heap[--size];
    down(0);
  }
  return order;
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
  const pick = (a: Float64Array) => gather(a, keep);
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

/**
 * Pair tables of one resistor set and tolerance, built once per R_f and shared by realization and reports. The cache
 * holds at most `maxOptions` options in all (least recently used tables go first), so a search over many R_f values of
 * a large set does not keep gigabytes of tables; a table built again is the same table.
 */
export class PairTableCache {
  private readonly cache = new Map<number, PairTable>();
  private held = 0;
  constructor(readonly set: readonly number[], readonly toleranceRel: number, readonly maxOptions = 8_000_000) {}
  get(rFeedbackOhm: number): PairTable {
    let t = this.cache.get(rFeedbackOhm);
    if (t) {
      // Most recently used last.
      this.cache.delete(rFeedbackOhm);
      this.cache.set(rFeedbackOhm, t);
      return t;
    }
    t = buildPairTable(this.set, rFeedbackOhm, this.toleranceRel);
    this.cache.set(rFeedbackOhm, t);
    this.held += t.value.length;
    for (const [rf, old] of this.cache) {
      if (this.held <= this.maxOptions || old === t) break;
      this.cache.delete(rf);
      this.held -= old.value.length;
    }
    return t;
  }
}
