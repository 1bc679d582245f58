// The block table: every kind of T-network block and what the rest of the compiler may assume about it. A row of the
// T-network (a CSR row: sources and weights) is read according to its block code, and every stage that interprets
// rows (evaluate, verify, compact, realize, emit, tnet.json) consults this table instead of assuming a summing
// neuron. Patent "basic function blocks" (FIGS. 13-15, 20-23): the weighted summator with an activation is the only
// block today; the signal multiplier and the delay (for recurrent networks) are added here, one entry each, with
// their rules.

/** Block kinds, stored as small integer codes in `neurons.block`. */
export const BLOCKS = ['neuron'] as const;
export type BlockName = (typeof BLOCKS)[number];
export const BLOCK = { neuron: 0 } as const;

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
};

/** The table entry of a block code, or null for an unknown code. */
export function blockKind(code: number): BlockKind | null {
  const name = BLOCKS[code];
  return name === undefined ? null : BLOCK_TABLE[name];
}
