// Every default of ohmnet, once. Library entry points that accept partial options resolve them against this table
// (flow/options.ts for the whole flow; transform/pipeline.ts and realize/ for their own options), the CLI's help
// texts quote it, and summary.json records the resolved value of every option, so nothing is hidden.

export const DEFAULTS = {
  /** N_I: the patent's examples use 100 ("Example Analog Neuromorphic IC ..."). */
  fanIn: 100,
  /** N_O: likewise 100 in the patent's examples. */
  fanOut: 100,
  /** S: the patent's signal limit of 5 V. */
  signalLimitV: 5,
  /** No headroom: the calibration set's largest signal reaches S exactly (the patent's construction). */
  signalHeadroomRel: 0,
  /** Without calibration samples: uniform samples over [0, 1] (images scaled to [0, 1]). */
  inputRange: [0, 1] as readonly [number, number],
  calibrationSamples: 100,
  /** Seed of every random draw: uniform calibration samples, Monte Carlo, the optimal-set search. */
  seed: 1,
  /** Resistor set: E96 (1% tolerance class) over the patent's range 100 kΩ..1 MΩ. */
  resistors: 'E96',
  rMinOhm: 1e5,
  rMaxOhm: 1e6,
  feedback: 'min-error' as const,
  feedbackPer: 'layer' as const,
  /** 0: nominal resistor values (no tolerance in pair selection, no Monte Carlo). */
  toleranceRel: 0,
  toleranceDistribution: 'gaussian' as const,
  /** The optimal-set search needs a tolerance: the patent's example r_err = 0.1% when none is given. */
  optimalSetToleranceRel: 0.001,
  vRefV: 1,
  /** Monte Carlo trials when a tolerance is given (the patent's error analysis uses 20; more for stable percentiles). */
  trialsWithTolerance: 100,
  /** Class of a single-output model: output > 0.5 (a sigmoid output). */
  classThreshold: 0.5,
  opamp: 'ideal',
  engine: 'auto' as const,
  /** SPICE verification: the first 20 samples of the evaluation set. */
  spiceSamples: 20,
  /** SPICE must agree with the behavioural simulation within 1e-4 of the rails. */
  spiceToleranceRailRel: 1e-4,
  /** Verdicts (docs/cli.md#verdicts): the T-network equals the source within 1e-9 of S (it is exact up to rounding). */
  equivalenceSignalRel: 1e-9,
  /**
   * Realization error of the nominal circuit at any analog output: 1% of S (50 mV at 5 V, 2.5 LSB of an 8-bit ADC over
   * +-5 V) unless --max-output-error. With E96 100k..1M (normalizers of one or two set values, docs/realization.md)
   * the fixtures stay well inside it: Iris 5.9 mV on its calibration set, the demo's digits CNN 31 mV on its test set.
   */
  outputErrorSignalRel: 0.01,
  /** Class agreement of the realized circuit (and Monte Carlo p5) with the source: 98% unless --min-agreement. */
  minAgreement: 0.98,
  /** Task accuracy: the source's accuracy minus 2 percentage points unless --min-accuracy. */
  accuracyDropAllowed: 0.02,
  /**
   * compile's default outputs write resistors.bin instead of resistors.csv when connections + blocks (about the table's
   * rows) exceed this: about 1.5 GB of CSV at ~300 bytes a row (MobileNet v1: ~12 M rows, 2.1 GB of CSV).
   */
  resistorsCsvMaxRows: 5_000_000,
  /**
   * `ohmnet prune`: the fractions of the source's weights (magnitude) or units (structured) zeroed, tried in this
   * order by the accuracy loop unless --levels (docs/pruning.md); the last level within the allowed drop is kept.
   */
  pruneLevels: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98],
} as const;

/** Training (src/train/, `ohmnet train`): the optimizer's and the modes' defaults (docs/training.md). */
export const TRAIN_DEFAULTS = {
  loss: 'cross-entropy' as 'mse' | 'cross-entropy',
  optimizer: 'adam' as const,
  learningRate: 0.001,
  momentum: 0.9,
  epochs: 10,
  batchSize: 32,
  workers: 1,
  shardSize: 25,
  l1: 0,
  l2: 0,
  l1Negative: 0,
  rangePenalty: 0,
  weightNoiseRel: 0,
  signalNoiseRel: 0,
  /** Adam's moments (Kingma and Ba; Keras's defaults, epsilon as Keras 1e-7). */
  adamBeta1: 0.9,
  adamBeta2: 0.999,
  adamEpsilon: 1e-7,
} as const;

/** The SDK loop (`ohmnet sdk`): fine-tuning rounds at most, epochs per round, learning rate. */
export const SDK_DEFAULTS = { maxIterations: 3, epochsPerIteration: 3, learningRate: 0.0005 } as const;

/**
 * The crossbar solver (src/crossbar/solve.ts, `ohmnet crossbar solve`, docs/crossbar.md; issue 17). `auto` solves
 * exactly (nested-dissection L D L^T) up to 128 x 128 devices (under a second here) and iteratively beyond
 * (line-preconditioned CG: as accurate in float64, 12x faster at 256 x 256 and 29x at 512 x 512); an exact factor larger than
 * exactMaxBytes is refused (512 x 512 needs 250 MiB).
 */
export const CROSSBAR_DEFAULTS = {
  solver: 'auto' as 'auto' | 'exact' | 'iterative',
  toleranceRel: 1e-13,
  maxIterations: 20_000,
  autoExactMaxCells: 128 * 128,
  exactMaxBytes: 2 * 2 ** 30,
  /**
   * The mapping's DAC: volts per unit input. 0.2 V, a typical non-disturbing read voltage of oxide memristors (below
   * the ~0.5 V set/reset thresholds of e.g. the linear-ion-drift parameters in shared/research/anchors.md). The
   * crossbar is linear, so the relative IR-drop error does not depend on it; it sets the currents.
   */
  readVoltageV: 0.2,
} as const;

/**
 * Training on non-linear synapse curves (`ohmnet train --synapse`, src/synapse/train.ts; issue 16). Source: Yuzuguler
 * et al. (seed 002) section 4.1: 1,000 iterations, batch 20, learning rate 5.0, currents divided by 50e-6, Iris
 * 4-10-10-3, A_VT-based mismatch noise in the forward pass, 200 Monte Carlo test runs at area scales 0.8..1.5. Ours
 * where the seed is silent: momentum 0.9 (the seed's "Momentum optimizer with its default settings" has no default
 * momentum in TF1 or Keras), Newton tolerance 1e-9 V and 50 updates at most (the seed caps at 5), the validation set
 * read every 50 iterations (the best iteration's weights are kept), inputs and biases at half the table's largest
 * current, logits = currents / 10e-6 (the seed's 50e-6 suits its cells' larger currents; on our cells' LUT it leaves
 * 4 of 5 seeds at 16/30 on the Iris test set), and every bias synapse starting at level +2 (the soma is ReLU-like: a
 * neuron whose current starts at or below 0 has no gradient; with biases from {-1, 0, 1}, 4 of 10 seeds never left
 * one class on an earlier table):
 * docs/benchmarks.md, "Non-linear synapses: training".
 */
export const SYNAPSE_TRAIN_DEFAULTS = {
  hidden: [10, 10] as readonly number[],
  iterations: 1000,
  batchSize: 20,
  learningRate: 5.0,
  momentum: 0.9,
  currentScaleA: 10e-6,
  initialBiasLevel: 2,
  newtonToleranceV: 1e-9,
  newtonMaxIterations: 50,
  evalEvery: 50,
  areaScale: 1,
  inputFractionOfRange: 0.5,
  monteCarloRuns: 200,
  areaScales: [0.8, 0.9, 1.0, 1.2, 1.5] as readonly number[],
} as const;
