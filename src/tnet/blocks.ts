// The block table: every kind of T-network block and what the rest of the compiler may assume about it. A row of the
// T-network (a CSR row: sources and weights) is read according to its block code, and every stage that interprets
// rows (evaluate, verify, compact, realize, emit, tnet.json) consults this table instead of assuming a summing
// neuron. Patent "basic function blocks" (FIGS. 13-15, 20-23): the weighted summator with an activation, the signal
// multiplier and the delay (for recurrent networks), one entry each, with their rules.
//
// How each row's fields are read:
//   neuron      out = act(sum_j w_j s_j + bias)                   (paramA/paramB: the activation's parameters)
//   multiplier  out = paramA * s_0 * s_1                          (two sources, both weights exactly 1; no bias)
//   delay       out(t) = w * s_0(t - paramA)  if t - paramA >= paramB,  else bias
//               paramA: the delay in clock ticks (a whole number >= 1); paramB: the first tick at which the source
//               carries valid data (a recurrent layer fed by a stream that starts late); bias: the initial value
//               (a recurrent layer's initial state), held until the source's delayed value is valid.

/** Block kinds, stored as small integer codes in `neurons.block`. */
export const BLOCKS = ['neuron', 'multiplier', 'delay'] as const;
export type BlockName = (typeof BLOCKS)[number];
export const BLOCK = { neuron: 0, multiplier: 1, delay: 2 } as const;

export interface BlockKind {
  readonly name: BlockName;
  /** What the block computes, for reports and tnet.json. */
  readonly describe: string;
  /**
   * May the block read a signal produced later in the topological order? Only a block whose output depends on its
   * inputs' values at an earlier clock tick (a delay) may close a loop; every other block reads earlier signals.
   */
  readonly readsLaterSignals: boolean;
  /** May one signal appear twice among the block's sources (a multiplier squaring a signal)? */
  readonly allowsDuplicateSources: boolean;
  /** May a connection carry weight 0? For a summator a zero weight is an absent connection, never a stored one. */
  readonly allowsZeroWeight: boolean;
  /** Number of sources the block needs: [min, max] (max Infinity: any). */
  readonly arity: readonly [number, number];
  /** Whether the activation code and its parameters (paramA, paramB) apply to this block. */
  readonly hasActivation: boolean;
  /** Whether the block holds state from one clock tick to the next (the network then needs a clock). */
  readonly stateful: boolean;
}

export const BLOCK_TABLE: Readonly<Record<BlockName, BlockKind>> = {
  neuron: {
    name: 'neuron',
    describe: 'weighted summator sum_j w_j x_j + b followed by an activation (a differential summing amplifier)',
    readsLaterSignals: false,
    allowsDuplicateSources: false,
    allowsZeroWeight: false,
    arity: [0, Infinity],
    hasActivation: true,
    stateful: false,
  },
  multiplier: {
    name: 'multiplier',
    describe: 'signal multiplier k * x_0 * x_1 (an analog multiplier cell, patent FIG. 20)',
    readsLaterSignals: false,
    allowsDuplicateSources: true,
    allowsZeroWeight: false,
    arity: [2, 2],
    hasActivation: false,
    stateful: false,
  },
  delay: {
    name: 'delay',
    describe: 'delay U(t) = w * V(t - k dt) by k clock ticks (a chain of clocked sample-and-hold pairs, patent FIG. 21)',
    readsLaterSignals: true,
    allowsDuplicateSources: false,
    allowsZeroWeight: false,
    arity: [1, 1],
    hasActivation: false,
    stateful: true,
  },
};

/** The table entry of a block code, or null for an unknown code. */
export function blockKind(code: number): BlockKind | null {
  const name = BLOCKS[code];
  return name === undefined ? null : BLOCK_TABLE[name];
}
