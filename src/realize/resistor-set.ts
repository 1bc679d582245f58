// Optimal resistor sets (patent "Example Generation of Optimal Resistor Set", "Example Process for Choosing Resistor
// Set" and "Example {R1, . . . , Rn} Search Algorithm"): the value function of a set of N resistor nominals, and the
// iterative search for a set that minimizes it.
//
// Value function of a set with R+ = R- = R_f (R_f one of the set's elements when searching):
//   1. weight options: every pair (R+, R-) of set values gives w = R_f/R+ - R_f/R- with expected error
//      e = (R_f/R+ + R_f/R-) * r_err; the open circuit (w = 0, e = 0) is one more option (pairs.ts `allOptions`);
//   2. options outside [-wlim, wlim] are dropped;
//   3. options with e > thresholdFactor * r_err are dropped (the patent's "high threshold, e.g. 10 times r_err"; since
//      e = (R_f/R+ + R_f/R-) * r_err this is a limit of thresholdFactor on R_f/R+ + R_f/R-. With r_err = 0 every
//      e is 0 and nothing is dropped);
//   4. options worse than neighbouring options in terms of weight error are dropped (pairs.ts `envelope`: an option
//      goes when another realizes a weight closer to its value with lower total error |w - v| + e). Steps 2 and 3 come
//      first, as in the patent's list: an option outside the range cannot knock out one inside it (step 3 commutes
//      with step 4 anyway: whatever dominates an option has a lower error);
//   5. distances between neighbouring remaining options, INCLUDING the two end gaps from -wlim to the lowest option
//      and from the highest option to +wlim. Our choice (the patent says only "distances between neighboring
//      values"): without the end gaps a set whose options bunch up around 0 and never reach the ends of the range
//      would score well; with them, an uncovered part of the range counts as one large gap;
//   6. value = mean of the squared distances (the patent's "square mean"), lower is better. The gaps always add up
//      to 2 wlim, so the value is at least (2 wlim)^2 / (number of gaps)^2, reached by uniformly spaced options; and
//      adding an option (splitting a gap) never raises it: (S - 2ab) / (m + 1) <= S / m for gaps a + b split from
//      one gap of a sum S of m squared gaps. The patent also allows "maximum of the distances array": returned as
//      maxGap, not optimized.
//
// Adding a resistor to a set does NOT always lower the value: its new options can knock out (step 4) an old option
// and put a more accurate one slightly beside it, which may widen a gap. E.g. {1, 1.5, 2.2} with R_f = 2.2, wlim 1,
// r_err 0.001 has options 0, ±0.4667, ±0.7333 (value 0.12); adding 8.2 brings 2.2/1 - 2.2/8.2 = 0.7317 with error
// 0.0013, which beats 0.7333 (error 0.0037, 0.0016 away), and the end gap grows: value 0.1200018. With r_err = 0
// nothing is knocked out (only exact duplicates merge), and adding a resistor never raises the value.
//
// The search: start from a log-uniform set over [rMin, rMax] (the patent's "uniform" start cannot be [1, 1, ..., 1]
// when the set must be free of duplicates), then coordinate descent with a falling learning rate: at the start of
// every rate, try every element as R_f and keep the best; then alter each resistor by the rate (multiply by 1 + rate
// or divide by it) and keep the change when the value improves, over all resistors until no change helps; then lower
// the rate (LEARNING_RATES, 0.2 down to 0.001; the search ends when no step improves at 0.001). Steps are clamped to
// [rMin, rMax] and a step onto another element's value is skipped. A few restarts from seeded random log-uniform sets
// (util/random.ts; defaultRestarts) keep the best, so the same seed gives the same set. The result is rounded to 4
// significant digits (duplicates pushed one unit apart), polished by the same descent on that grid (one-unit steps),
// and its value is the value of the ROUNDED set.
//
// Because the options of a set come in mirrored pairs (R+ and R- swapped negates w and keeps e), the search evaluates
// only the half range [0, wlim]: the positive options plus the open circuit, whose envelope is exactly the positive
// part of the full envelope (an option from the other side of 0 that would dominate a positive one is itself beaten
// there by the open circuit), and the mean of squared gaps over [0, wlim] equals the one over [-wlim, wlim]. The two
// differ only when an exact tie in the envelope is broken differently on the two sides; the reported value always
// comes from `resistorSetValue`.

import { usageError } from '../errors.js';
import { REALIZE_MESSAGES as RM } from '../messages/index.js';
import { Rng } from '../util/random.js';
import { allOptions, envelope } from './pairs.js';
import { checkRange } from './series.js';
export { PATENT_SET_12, PATENT_SET_12_PARAMS, PATENT_SET_20, PATENT_SET_20_OHM, PATENT_SET_20_PARAMS } from '../presets/patent-sets.js';

export interface SetValueParams {
  /** R_f = R+ = R- of the neuron, in ohms (the same unit as the set). */
  rFeedbackOhm: number;
  /** wlim: the set must cover the weight range [-wlim, wlim]. */
  weightLimit: number;
  /** Relative resistor tolerance r_err, a fraction (0.001 = 0.1 %). */
  toleranceRel: number;
  /** Options whose expected error exceeds thresholdFactor * r_err are dropped; default 10. */
  thresholdFactor?: number;
}

export interface SetValue {
  /** Mean of the squared distances between neighbouring options, end gaps to -wlim and +wlim included. Lower is better. */
  value: number;
  /** Largest distance between neighbouring options (end gaps included). */
  maxGap: number;
  /** Number of options that remain (the open circuit w = 0 included). */
  options: number;
  /** Lowest and highest remaining option: the part of [-wlim, wlim] the set covers. */
  lowest: number;
  highest: number;
}

export interface SearchParams {
  /** N, the number of resistor nominals (2..200). */
  count: number;
  rMinOhm: number;
  rMaxOhm: number;
  weightLimit: number;
  toleranceRel: number;
  /** Seed of the random restarts (default 1); the same seed gives the same set. */
  seed?: number;
  thresholdFactor?: number;
  /** Random restarts after the deterministic log-uniform start (default: defaultRestarts(count)). */
  restarts?: number;
}

export interface SearchResult {
  /** The set in ohms, ascending, 4 significant digits, within [rMin, rMax]. */
  set: number[];
  /** The element of the set used as R_f = R+ = R-. */
  rFeedbackOhm: number;
  /** Value of the rounded set (resistorSetValue). */
  value: SetValue;
  /** Sweeps over all resistors, summed over every learning rate and restart. */
  iterations: number;
  /** Value-function evaluations, summed over every restart. */
  evaluations: number;
  /**
   * The value of the result as the search's fast evaluation tracked it (half range, incremental updates). Equal to
   * value.value up to floating-point rounding; kept so that tests can check the fast path against resistorSetValue.
   */
  searchValue: number;
}

/** Learning rates of the coordinate descent, from coarse to fine. */
export const LEARNING_RATES: readonly number[] = [0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001];

const MIN_COUNT = 2;
const MAX_COUNT = 200;
const DEFAULT_THRESHOLD = 10;
/**
 * Default number of random restarts: 10, fewer for large sets, where one descent costs about n^3 (n^2 options
 * times ~100 n evaluations): min(10, floor(1.2e6 / n^3)), i.e. 10 up to n = 49, 4 at 64, 1 at 100, none from 107 on.
 * Deterministic (a function of n only), so the result does not depend on the machine's speed.
 */
export function defaultRestarts(count: number): number {
  return Math.min(10, Math.floor(1.2e6 / count ** 3));
}

// ---------------------------------------------------------------------------------------------------------------------
// Validation.

function checkWeightLimit(wlim: number): void {
  if (!(Number.isFinite(wlim) && wlim > 0)) throw usageError(RM.badWeightLimit(wlim));
}

function checkTolerance(toleranceRel: number): void {
  if (Number.isNaN(toleranceRel) || !Number.isFinite(toleranceRel)) throw usageError(RM.toleranceNotNumber(toleranceRel));
  if (toleranceRel < 0) throw usageError(RM.toleranceNegative(toleranceRel));
}

function checkThreshold(t: number): void {
  if (!(Number.isFinite(t) && t > 0)) throw usageError(RM.badThresholdFactor(t));
}

function checkCount(count: number): void {
  if (!Number.isInteger(count) || count < MIN_COUNT || count > MAX_COUNT) {
    throw usageError(RM.badSetSize(count, MIN_COUNT, MAX_COUNT));
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Value function.

/** Gap statistics of ascending options within [-wlim, wlim], end gaps to -wlim and +wlim included. */
export function gapStats(points: ArrayLike<number>, wlim: number): { value: number; maxGap: number } {
  let prev = -wlim;
  let sum = 0;
  let maxGap = 0;
  for (let i = 0; i <= points.length; i++) {
    const p = i < points.length ? points[i] : wlim;
    const g = p - prev;
    sum += g * g;
    if (g > maxGap) maxGap = g;
    prev = p;
  }
  return { value: sum / (points.length + 1), maxGap };
}

/** The remaining weight options of a set (steps 1-4 of the value function), ascending. */
export function setOptions(set: readonly number[], params: SetValueParams): Float64Array {
  const { rFeedbackOhm, weightLimit: wlim, toleranceRel } = params;
  const thresholdFactor = params.thresholdFactor ?? DEFAULT_THRESHOLD;
  if (set.length === 0) throw usageError(RM.setEmptyGiveOne());
  for (const r of set) if (!(Number.isFinite(r) && r > 0)) throw usageError(RM.setValueNotPositive(r));
  if (!(Number.isFinite(rFeedbackOhm) && rFeedbackOhm > 0)) throw usageError(RM.feedbackNotPositive(rFeedbackOhm));
  checkWeightLimit(wlim);
  checkTolerance(toleranceRel);
  checkThreshold(thresholdFactor);
  const all = allOptions(set, rFeedbackOhm, toleranceRel);
  const limit = thresholdFactor * toleranceRel;
  const value: number[] = [];
  const penalty: number[] = [];
  for (let k = 0; k < all.value.length; k++) {
    const v = all.value[k];
    const p = all.penalty[k];
    if (v < -wlim || v > wlim || p > limit) continue;
    value.push(v);
    penalty.push(p);
  }
  const v = Float64Array.from(value);
  const keep = envelope(v, Float64Array.from(penalty));
  return Float64Array.from(keep, (i) => v[i]);
}

/** The patent's value function of a resistor set (see the top of this file). Lower is better. */
export function resistorSetValue(set: readonly number[], params: SetValueParams): SetValue {
  const points = setOptions(set, params);
  const { value, maxGap } = gapStats(points, params.weightLimit);
  return { value, maxGap, options: points.length, lowest: points[0], highest: points[points.length - 1] };
}

// ---------------------------------------------------------------------------------------------------------------------
// Fast evaluation for the search.

/** Positive weight options (plus the open circuit at index 0), sorted by (value, penalty); a, b index R+ and R-. */
class OptionList {
  readonly v: Float64Array;
  readonly p: Float64Array;
  readonly a: Int32Array;
  readonly b: Int32Array;
  m = 1;
  constructor(capacity: number) {
    this.v = new Float64Array(capacity);
    this.p = new Float64Array(capacity);
    this.a = new Int32Array(capacity).fill(-1);
    this.b = new Int32Array(capacity).fill(-1);
  }
}

/**
 * The search's state: the set (in any order; element `rf` serves as R_f), its value, and its sorted positive options
 * `cur`, so that altering one resistor (not R_f) costs O(n^2) linear work instead of a sort: the options without that
 * resistor stay sorted, and only its n - 1 new options are sorted and merged in. The options are computed with the
 * same arithmetic as pairs.ts `allOptions`, so they are bit-identical to the ones resistorSetValue sees.
 */
class Searcher {
  evaluations = 0;
  value = Infinity;
  private cur: OptionList;
  private base: OptionList;
  private tmp: OptionList;
  private best: OptionList;
  private readonly g: Float64Array;
  private readonly nv: Float64Array;
  private readonly np: Float64Array;
  private readonly na: Int32Array;
  private readonly nb: Int32Array;
  private readonly mv: Float64Array;
  private readonly mp: Float64Array;
  private readonly ma: Int32Array;
  private readonly mb: Int32Array;
  private readonly runs: Int32Array;
  private readonly rank: number[] = [];
  private readonly order: number[] = [];

  constructor(readonly set: Float64Array, public rf: number, private readonly wlim: number, private readonly toleranceRel: number, private readonly limit: number) {
    const n = set.length;
    const cap = (n * (n - 1)) / 2 + 1;
    this.cur = new OptionList(cap);
    this.base = new OptionList(cap);
    this.tmp = new OptionList(cap);
    this.best = new OptionList(cap);
    this.g = new Float64Array(n);
    this.nv = new Float64Array(cap);
    this.np = new Float64Array(cap);
    this.na = new Int32Array(cap);
    this.nb = new Int32Array(cap);
    this.mv = new Float64Array(cap);
    this.mp = new Float64Array(cap);
    this.ma = new Int32Array(cap);
    this.mb = new Int32Array(cap);
    this.runs = new Int32Array(n + 2);
    this.value = this.full(this.rf, this.cur);
  }

  /** Mean squared gap over [0, wlim] of a list (the open circuit at 0 first). */
  private score(list: OptionList): number {
    this.evaluations++;
    const keep = envelope(list.v.subarray(0, list.m), list.p.subarray(0, list.m));
    let prev = 0;
    let sum = 0;
    for (let k = 1; k < keep.length; k++) {
      const x = list.v[keep[k]];
      sum += (x - prev) * (x - prev);
      prev = x;
    }
    sum += (this.wlim - prev) * (this.wlim - prev);
    return sum / keep.length;
  }

  /** Sorts the collected new options nv[0..count) by (value, penalty) and returns the order. */
  private sortNew(count: number): number[] {
    const { nv, np, order } = this;
    order.length = count;
    for (let k = 0; k < count; k++) order[k] = k;
    return order.sort((x, y) => nv[x] - nv[y] || np[x] - np[y]);
  }

  /** Collects option (a, b) when it is positive, within wlim and below the error threshold. */
  private collect(count: number, a: number, b: number, gp: number, gm: number): number {
    const w = gp - gm;
    if (!(w > 0) || w > this.wlim) return count;
    const e = (gp + gm) * this.toleranceRel;
    if (e > this.limit) return count;
    this.nv[count] = w;
    this.np[count] = e;
    this.na[count] = a;
    this.nb[count] = b;
    return count + 1;
  }

  /**
   * All options of the set with element `rf` as R_f, into `out`; returns the value. With the set in ascending order,
   * the positive options of one R+ form a run ascending in value (R- grows, R_f/R- falls), so a bottom-up merge of
   * the runs sorts them without a comparison callback.
   */
  private full(rf: number, out: OptionList): number {
    const { set, g, runs } = this;
    const n = set.length;
    const rfv = set[rf];
    for (let i = 0; i < n; i++) g[i] = rfv / set[i];
    const rank = this.rank;
    for (let i = 0; i < n; i++) rank[i] = i;
    rank.sort((x, y) => set[x] - set[y]);
    let count = 0;
    let r = 0;
    runs[0] = 0;
    for (let i = 0; i < n; i++) {
      const a = rank[i];
      for (let j = i + 1; j < n; j++) count = this.collect(count, a, rank[j], g[a], g[rank[j]]);
      if (count > runs[r]) runs[++r] = count;
    }
    // Merge the r runs pairwise until one is left, between (nv, np, na, nb) and (mv, mp, ma, mb).
    let src = [this.nv, this.np, this.na, this.nb] as const;
    let dst = [this.mv, this.mp, this.ma, this.mb] as const;
    let runCount = r;
    while (runCount > 1) {
      let w = 0;
      for (let q = 0; q < runCount; q += 2) {
        const lo = runs[q];
        const mid = runs[q + 1];
        const hi = q + 2 <= runCount ? runs[q + 2] : mid;
        mergeRuns(src, lo, mid, hi, dst, lo);
        runs[w++] = lo;
      }
      runs[w] = runs[runCount];
      runCount = w;
      const t = src;
      src = dst;
      dst = t;
    }
    out.v.set(src[0].subarray(0, count), 1);
    out.p.set(src[1].subarray(0, count), 1);
    out.a.set(src[2].subarray(0, count), 1);
    out.b.set(src[3].subarray(0, count), 1);
    out.m = count + 1;
    return this.score(out);
  }

  /** The options of the current set with element i (not R_f) set to x: base (without i) merged with i's options. */
  private replaced(i: number, x: number, out: OptionList): number {
    const { set, g, base } = this;
    const n = set.length;
    const rfv = set[this.rf];
    for (let j = 0; j < n; j++) g[j] = rfv / set[j];
    const gi = rfv / x;
    let count = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      count = this.collect(count, i, j, gi, g[j]);
      count = this.collect(count, j, i, g[j], gi);
    }
    const order = this.sortNew(count);
    const { nv, np, na, nb } = this;
    // Merge: each new option goes after the base options that sort before or equal to it (binary search), the base
    // runs in between are copied in bulk.
    let k = 1; // base[0] and out[0] are the open circuit
    let m = 1;
    const copy = (from: number, to: number) => {
      if (to <= from) return;
      out.v.set(base.v.subarray(from, to), m);
      out.p.set(base.p.subarray(from, to), m);
      out.a.set(base.a.subarray(from, to), m);
      out.b.set(base.b.subarray(from, to), m);
      m += to - from;
    };
    for (let q = 0; q < count; q++) {
      const o = order[q];
      const v = nv[o];
      const p = np[o];
      let lo = k;
      let hi = base.m;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (base.v[mid] < v || (base.v[mid] === v && base.p[mid] <= p)) lo = mid + 1;
        else hi = mid;
      }
      copy(k, lo);
      k = lo;
      out.v[m] = v;
      out.p[m] = p;
      out.a[m] = na[o];
      out.b[m] = nb[o];
      m++;
    }
    copy(k, base.m);
    out.m = m;
    return this.score(out);
  }

  /** The current options without those of element i. */
  private exclude(i: number): void {
    const { cur, base } = this;
    let m = 1;
    for (let k = 1; k < cur.m; k++) {
      if (cur.a[k] === i || cur.b[k] === i) continue;
      base.v[m] = cur.v[k];
      base.p[m] = cur.p[k];
      base.a[m] = cur.a[k];
      base.b[m] = cur.b[k];
      m++;
    }
    base.m = m;
  }

  private swapBest(): void {
    const t = this.tmp;
    this.tmp = this.best;
    this.best = t;
  }

  private commitBest(): void {
    const t = this.cur;
    this.cur = this.best;
    this.best = t;
  }

  /** Tries every element as R_f and keeps the best; true when it changed. */
  chooseFeedback(): boolean {
    let bestRf = this.rf;
    let bestV = this.value;
    for (let i = 0; i < this.set.length; i++) {
      if (i === this.rf) continue;
      const v = this.full(i, this.tmp);
      if (improves(v, bestV)) {
        bestV = v;
        bestRf = i;
        this.swapBest();
      }
    }
    if (bestRf === this.rf) return false;
    this.rf = bestRf;
    this.value = bestV;
    this.commitBest();
    return true;
  }

  /** Tries the candidate values for element i and keeps the best if it improves; true when it changed. */
  tryElement(i: number, candidates: readonly number[]): boolean {
    const set = this.set;
    const old = set[i];
    let bestX = old;
    let bestV = this.value;
    if (i !== this.rf) this.exclude(i);
    for (const c of candidates) {
      if (c === old || hasValue(set, c, i)) continue;
      let v: number;
      if (i === this.rf) {
        set[i] = c;
        v = this.full(i, this.tmp);
        set[i] = old;
      } else {
        v = this.replaced(i, c, this.tmp);
      }
      if (improves(v, bestV)) {
        bestV = v;
        bestX = c;
        this.swapBest();
      }
    }
    if (bestX === old) return false;
    set[i] = bestX;
    this.value = bestV;
    this.commitBest();
    return true;
  }

  /** Re-evaluates from scratch (after the set was changed from outside). */
  refresh(): void {
    this.value = this.full(this.rf, this.cur);
  }
}

type Columns = readonly [Float64Array, Float64Array, Int32Array, Int32Array];

/** Merges the sorted runs [lo, mid) and [mid, hi) of src (by value, then penalty; stable) into dst from `at`. */
function mergeRuns(src: Columns, lo: number, mid: number, hi: number, dst: Columns, at: number): void {
  const [sv, sp, sa, sb] = src;
  const [dv, dp, da, db] = dst;
  let i = lo;
  let j = mid;
  let k = at;
  while (i < mid || j < hi) {
    const left = j >= hi || (i < mid && (sv[i] < sv[j] || (sv[i] === sv[j] && sp[i] <= sp[j])));
    const from = left ? i++ : j++;
    dv[k] = sv[from];
    dp[k] = sp[from];
    da[k] = sa[from];
    db[k] = sb[from];
    k++;
  }
}

/**
 * The search's fast evaluation of a set with set[rfIndex] as R_f (half range, see the top of this file). Equals
 * resistorSetValue(set, ...).value up to floating-point rounding, except when an exact tie in the envelope is broken
 * differently on the two sides of 0. Exported for tests.
 */
export function halfRangeValue(set: readonly number[], rfIndex: number, params: Omit<SetValueParams, 'rFeedbackOhm'>): number {
  const thresholdFactor = params.thresholdFactor ?? DEFAULT_THRESHOLD;
  if (!(Number.isInteger(rfIndex) && rfIndex >= 0 && rfIndex < set.length)) throw usageError(RM.badFeedbackIndex(rfIndex, set.length));
  for (const r of set) if (!(Number.isFinite(r) && r > 0)) throw usageError(RM.setValueNotPositive(r));
  checkWeightLimit(params.weightLimit);
  checkTolerance(params.toleranceRel);
  checkThreshold(thresholdFactor);
  return new Searcher(Float64Array.from(set), rfIndex, params.weightLimit, params.toleranceRel, thresholdFactor * params.toleranceRel).value;
}

function improves(candidate: number, best: number): boolean {
  return candidate < best - 1e-12 * Math.abs(best);
}

function hasValue(set: Float64Array, x: number, skip: number): boolean {
  for (let i = 0; i < set.length; i++) if (i !== skip && set[i] === x) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------------------------------
// Search.

/** Rounds to 4 significant digits, staying within [lo, hi]. */
function round4(x: number, lo: number, hi: number): number {
  let r = Number(x.toPrecision(4));
  if (r > hi) r = floor4(hi);
  if (r < lo) r = ceil4(lo);
  return r;
}

/** The neighbouring 4-significant-digit value of x (itself on that grid), up (+1) or down (-1). */
function step4(x: number, dir: 1 | -1): number {
  const [mant, exp] = x.toExponential(3).split('e');
  // Going down from 1.000e(k) the unit shrinks: 1.000 -> 0.9999.
  const unit = 10 ** (Number(exp) - (dir < 0 && mant === '1.000' ? 4 : 3));
  return Number((x + dir * unit).toPrecision(4));
}

/** Largest 4-significant-digit value <= x. */
function floor4(x: number): number {
  const r = Number(x.toPrecision(4));
  return r > x ? step4(r, -1) : r;
}

/** Smallest 4-significant-digit value >= x. */
function ceil4(x: number): number {
  const r = Number(x.toPrecision(4));
  return r < x ? step4(r, 1) : r;
}

/** Whether [lo, hi] holds at least `count` distinct 4-significant-digit values. */
function gridHolds(lo: number, hi: number, count: number): boolean {
  let x = ceil4(lo);
  for (let k = 1; k < count; k++) x = step4(x, 1);
  return x <= hi;
}

/** The coordinate descent over the learning-rate schedule. Returns the number of sweeps. */
function descend(s: Searcher, rMin: number, rMax: number): number {
  let sweeps = 0;
  const set = s.set;
  const clamp = (x: number) => Math.min(rMax, Math.max(rMin, x));
  for (const rate of LEARNING_RATES) {
    s.chooseFeedback();
    for (;;) {
      sweeps++;
      let improved = false;
      for (let i = 0; i < set.length; i++) {
        if (s.tryElement(i, [clamp(set[i] * (1 + rate)), clamp(set[i] / (1 + rate))])) improved = true;
      }
      if (!improved) break;
    }
  }
  return sweeps;
}

/** Rounds to 4 significant digits without duplicates, then a descent on that grid (one-unit steps). */
function roundAndPolish(s: Searcher, rMin: number, rMax: number): number {
  const set = s.set;
  const n = set.length;
  // Sort ascending, keeping track of R_f.
  const rf = set[s.rf];
  set.sort();
  s.rf = set.indexOf(rf);
  for (let i = 0; i < n; i++) set[i] = round4(set[i], rMin, rMax);
  // Rounding can merge neighbours: push duplicates up one unit, then down from the top where that ran past rMax
  // (gridHolds guarantees the range has room).
  for (let i = 1; i < n; i++) if (set[i] <= set[i - 1]) set[i] = step4(set[i - 1], 1);
  for (let i = n - 1; i >= 0; i--) {
    const cap = i === n - 1 ? floor4(rMax) : step4(set[i + 1], -1);
    if (set[i] > cap) set[i] = cap;
  }
  s.refresh();
  let sweeps = 0;
  for (;;) {
    sweeps++;
    let improved = s.chooseFeedback();
    for (let i = 0; i < n; i++) {
      const cands = [step4(set[i], 1), step4(set[i], -1)].filter((c) => c >= rMin && c <= rMax);
      if (s.tryElement(i, cands)) improved = true;
    }
    if (!improved) break;
  }
  return sweeps;
}

/**
 * The patent's iterative search for a set of `count` resistors in [rMin, rMax] that minimizes resistorSetValue, one
 * element serving as R_f = R+ = R-. Deterministic for a given seed.
 */
export function searchOptimalSet(params: SearchParams): SearchResult {
  const { count, rMinOhm: rMin, rMaxOhm: rMax, weightLimit: wlim, toleranceRel } = params;
  const thresholdFactor = params.thresholdFactor ?? DEFAULT_THRESHOLD;
  const restarts = params.restarts ?? defaultRestarts(count);
  const seed = params.seed ?? 1;
  checkCount(count);
  checkRange(rMin, rMax);
  checkWeightLimit(wlim);
  checkTolerance(toleranceRel);
  checkThreshold(thresholdFactor);
  if (!(Number.isInteger(restarts) && restarts >= 0)) throw usageError(RM.badRestarts(restarts));
  if (!Number.isFinite(seed)) throw usageError(RM.searchSeedNotNumber(seed));
  if (!gridHolds(rMin, rMax, count)) throw usageError(RM.rangeTooNarrow(rMin, rMax, count));
  const rng = new Rng(seed);
  const ratio = rMax / rMin;
  let best: { set: number[]; rf: number; value: number } | null = null;
  let iterations = 0;
  let evaluations = 0;
  for (let start = 0; start <= restarts; start++) {
    let set: Float64Array;
    if (start === 0) {
      set = Float64Array.from({ length: count }, (_, k) => rMin * ratio ** (k / (count - 1)));
      set[count - 1] = rMax;
    } else {
      set = Float64Array.from({ length: count }, () => rMin * ratio ** rng.next());
      set.sort();
      for (let i = 1; i < count; i++) if (set[i] <= set[i - 1]) set[i] = set[i - 1] * (1 + 1e-6);
      for (let i = 0; i < count; i++) set[i] = Math.min(rMax, set[i]);
    }
    const s = new Searcher(set, count >> 1, wlim, toleranceRel, thresholdFactor * toleranceRel);
    iterations += descend(s, rMin, rMax);
    iterations += roundAndPolish(s, rMin, rMax);
    evaluations += s.evaluations;
    // The set is sorted by roundAndPolish; tryElement keeps no order, so sort again.
    const rfv = s.set[s.rf];
    const sorted = Array.from(s.set).sort((x, y) => x - y);
    if (!best || improves(s.value, best.value)) best = { set: sorted, rf: rfv, value: s.value };
  }
  const b = best!;
  const value = resistorSetValue(b.set, { rFeedbackOhm: b.rf, weightLimit: wlim, toleranceRel, thresholdFactor });
  return { set: b.set, rFeedbackOhm: b.rf, value, iterations, evaluations, searchValue: b.value };
}
