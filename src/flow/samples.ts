// Named sample sets (issue 9): the calibration set scales the signals (the signal-limit pass) and the test set
// judges the circuit. Every figure that judges the circuit (equivalence on unseen data, realization error, Monte
// Carlo, SPICE, accuracy) is measured on the test set when one is given, else on the calibration set, and every
// report says which set a figure comes from.

import { sizeOf } from '../ir/tensor.js';
import type { Graph } from '../ir/ops.js';
import { usageError } from '../errors.js';
import { Rng } from '../util/random.js';

export type SetName = 'calibration' | 'test';

export type SetOrigin =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'uniform'; readonly range: readonly [number, number]; readonly seed: number }
  | { readonly kind: 'given' };

export interface SampleSet {
  readonly name: SetName;
  /** Flattened samples in model units (a sequence sample: its ticks one after another). */
  readonly samples: readonly Float64Array[];
  /** Integer class labels, one per sample, or null. */
  readonly labels: readonly number[] | null;
  readonly origin: SetOrigin;
}

/** Samples (and optional labels) as a library caller gives them. */
export type SampleInput = readonly ArrayLike<number>[] | { readonly samples: readonly ArrayLike<number>[]; readonly labels?: readonly number[] | null; readonly path?: string };

/** A sample set from what a caller gave, checked against the model's per-sample input size. */
export function sampleSet(name: SetName, input: SampleInput, graph: Graph): SampleSet {
  const given = Array.isArray(input) ? { samples: input as readonly ArrayLike<number>[] } : (input as Exclude<SampleInput, readonly ArrayLike<number>[]>);
  const want = sizeOf(graph.input.shape);
  if (given.samples.length === 0) throw usageError((n) => `the ${name} set (${n(name)}) is empty; give at least one sample`);
  const samples = given.samples.map((s, k) => {
    if (s.length !== want) throw usageError((n) => `${n(name)} sample ${k} has ${s.length} values; the model input needs ${want}`);
    const x = Float64Array.from(s);
    for (let j = 0; j < x.length; j++) if (!Number.isFinite(x[j])) throw usageError((n) => `${n(name)} sample ${k} value ${j} is ${x[j]}; samples must be finite numbers`);
    return x;
  });
  const labels = given.labels ?? null;
  if (labels) {
    if (labels.length !== samples.length) throw usageError((n) => `${n(name)} has ${labels.length} labels for ${samples.length} samples; give one label per sample`);
    labels.forEach((l, k) => {
      if (!Number.isSafeInteger(l) || l < 0) throw usageError((n) => `${n(name)} label ${k} is ${l}; labels are class indices 0, 1, 2, ...`);
    });
  }
  return { name, samples, labels, origin: given.path !== undefined ? { kind: 'file', path: given.path } : { kind: 'given' } };
}

/** Uniform random calibration samples over `range` (model units), drawn with the seeded generator. */
export function uniformSet(graph: Graph, range: readonly [number, number], count: number, seed: number): SampleSet {
  const size = sizeOf(graph.input.shape);
  const rng = new Rng(seed);
  const samples = Array.from({ length: count }, () => Float64Array.from({ length: size }, () => rng.uniform(range[0], range[1])));
  return { name: 'calibration', samples, labels: null, origin: { kind: 'uniform', range, seed } };
}

/** The first `count` samples of a set (same name and origin). */
/** min..max of a set's samples over every feature (what an input DAC spans, before the input gain). */
export function featureRange(set: SampleSet): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of set.samples) for (let j = 0; j < x.length; j++) {
    lo = Math.min(lo, x[j]);
    hi = Math.max(hi, x[j]);
  }
  return [lo, hi];
}

export function headOf(set: SampleSet, count: number): SampleSet {
  if (count >= set.samples.length) return set;
  return { ...set, samples: set.samples.slice(0, count), labels: set.labels ? set.labels.slice(0, count) : null };
}

/** How a report names a set: "360 test samples (digits_test.json)". */
export function describeSet(set: SampleSet): string {
  const from = set.origin.kind === 'file' ? ` (${set.origin.path.split(/[\\/]/).pop()})` : set.origin.kind === 'uniform' ? ` (uniform over [${set.origin.range.join(', ')}], seed ${set.origin.seed})` : '';
  return `${set.samples.length} ${set.name} samples${from}`;
}
