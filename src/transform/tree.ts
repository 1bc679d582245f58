// Tree planning shared by fan-in pyramids and fan-out trees: reduce n items to at most N top items by grouping,
// each group (a partial-sum neuron, or a buffer) holding at most N members.
//
// Depth is minimal: D = ceil(log_N n) - 1 group levels. Within that depth the number of groups is near-minimal: level
// l groups only as many items as needed to bring the count down to N^(D-l+1), and a group of s members removes
// s - 1 items, so full groups are used and only the last group of a level is partial. The total is within D - 1 of
// the lower bound ceil((n - N) / (N - 1)). For a dense K-to-L layer this gives the patent's trapezium depth
// ceil(log_NI K) + ceil(log_NO L) - 1 (fan-out levels, then fan-in levels, sharing the layer of first partial sums).

export interface TreePlan {
  /** Groups in creation order (bottom-up). Member ids < n are items; n + g is group g. */
  readonly groups: number[][];
  /** Ids the root takes (at most N). */
  readonly top: number[];
}

export function planTree(n: number, N: number): TreePlan {
  if (N < 2) throw new Error(`tree arity ${N} must be at least 2`);
  let current = Array.from({ length: n }, (_, i) => i);
  const groups: number[][] = [];
  if (n <= N) return { groups, top: current };
  let levels = 0;
  for (let cap = N; cap < n; cap *= N) levels++;
  for (let l = 1; l <= levels; l++) {
    const target = N ** (levels - l + 1);
    const reduce = current.length - target;
    if (reduce <= 0) continue;
    const count = Math.ceil(reduce / (N - 1));
    const lastSize = reduce - (count - 1) * (N - 1) + 1;
    const next: number[] = [];
    let k = 0;
    for (let g = 0; g < count; g++) {
      const size = g === count - 1 ? lastSize : N;
      groups.push(current.slice(k, k + size));
      next.push(n + groups.length - 1);
      k += size;
    }
    next.push(...current.slice(k));
    current = next;
  }
  return { groups, top: current };
}
