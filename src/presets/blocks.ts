// Fixed-constant activation blocks, as typed presets citing their source. A sigmoid block computes A / (1 + exp(-B v))
// and a tanh block A tanh(B v) of its summator's output v (patent "basic function blocks", FIGS. 22-23). By default
// the compiler chooses A and B per neuron (the signal-limit pass takes a summator's gain into B); with a preset every
// block of that kind has the preset's A and B, and the block-constants pass folds the difference into the
// neighbouring weights, exactly (transform/block-constants.ts).

export interface ActivationBlock {
  readonly name: string;
  /** Amplitude A (volts): the block's output spans (0, A) for a sigmoid, (-|A|, |A|) for a tanh. */
  readonly amplitudeV: number;
  /** Slope B (1/volt) applied to the summator output. */
  readonly slopePerV: number;
  readonly source: string;
}

/** The patent's sigmoid block: A = -0.1 V, B = 11.3 /V (seed 001, "basic function blocks"; seed-targets.md C4). */
export const PATENT_SIGMOID: ActivationBlock = { name: 'patent', amplitudeV: -0.1, slopePerV: 11.3, source: 'patent (seed 001), sigmoid block example "A=-0.1, B=11.3"' };

/** The patent's tanh block: A = 0.1 V, B = -10.1 /V (seed 001, "basic function blocks"; seed-targets.md C4). */
export const PATENT_TANH: ActivationBlock = { name: 'patent', amplitudeV: 0.1, slopePerV: -10.1, source: 'patent (seed 001), tanh block example "A=0.1, B=-10.1"' };

export const SIGMOID_BLOCKS: Readonly<Record<string, ActivationBlock>> = { patent: PATENT_SIGMOID };
export const TANH_BLOCKS: Readonly<Record<string, ActivationBlock>> = { patent: PATENT_TANH };
