// The configuration file (ohmnet.config.json, or --config FILE): the same options as the command-line flags, named as
// the flags in camelCase (--fan-in -> fanIn). Flags given on the command line override the file. Each command uses
// the options it knows and ignores the rest, so one file can serve compile, run, verify and demo. Relative paths in
// the file (sample files, resistor lists, directories) resolve against the file's directory; `layers` (per-layer
// options) exists only in the file.
//
// The JSON Schema in schema/ohmnet.config.schema.json is generated from this interface (npm run schema) and is what
// the file is validated against; test/config/schema.test.ts keeps the two, the CLI and the docs in step.

/** A resistance: ohms as a number, or text with an SI suffix such as "100k", "4k7", "1M". */
export type Resistance = number | string;

export interface OhmnetConfig {
  /** Per-sample input shape when the model leaves non-batch dimensions dynamic, e.g. "1,28,28" or [1, 28, 28]. */
  inputShape?: string | number[];
  /**
   * Refuse tensors with more elements than this (default 268435456).
   * @minimum 1
   * @asType integer
   */
  maxTensorElements?: number;

  /**
   * Maximum inputs per analog neuron, N_I (default 100).
   * @minimum 2
   * @asType integer
   */
  fanIn?: number;
  /**
   * Maximum neurons one signal may drive, N_O (default 100).
   * @minimum 2
   * @asType integer
   */
  fanOut?: number;
  /**
   * Every signal stays within +-this many volts on the calibration data (default 5).
   * @exclusiveMinimum 0
   */
  signalLimit?: number;
  /**
   * Fraction of the signal limit kept free on the calibration data, a margin for unseen inputs (default 0).
   * @minimum 0
   * @maximum 0.9
   */
  signalHeadroom?: number;
  /** Calibration samples (JSON or CSV, like --inputs) for signal scaling. */
  calibration?: string;
  /**
   * Held-out test samples (JSON or CSV, with labels as JSON "labels" or a CSV labelColumn) on which equivalence,
   * realization, Monte Carlo and SPICE are measured (default: the calibration samples).
   */
  test?: string;
  /** CSV sample files: the column (header name or 0-based index) that holds each sample's class label. */
  labelColumn?: string;
  /** Check every pass against the network before it and write each pass's output into this directory. */
  debug?: string;
  /** Without calibration: draw calibration samples uniformly from this range (default "0,1"), e.g. "0,1" or [0, 1]. */
  inputRange?: string | number[];
  /**
   * Without calibration: how many samples to draw (default 100).
   * @minimum 1
   * @asType integer
   */
  calibrationSamples?: number;
  /**
   * Seed of the calibration sampler, the Monte Carlo draws and the optimal-set search (default 1).
   * @minimum 0
   * @asType integer
   */
  seed?: number;
  /**
   * Approximate construction (Layer2TNNX_Approx) sharing the first p pyramid levels; the error is reported.
   * @minimum 1
   * @asType integer
   */
  approx?: number;
  /** With approx: "patent" (the seed's ratio rule, default) or "svd" (best rank-1 block). */
  approxMethod?: 'patent' | 'svd';
  /** Fixed sigmoid block constants A/(1+exp(-B v)): "patent" (A = -0.1, B = 11.3) or "A,B"; default: chosen per neuron. */
  sigmoidBlock?: string;
  /** Fixed tanh block constants A tanh(B v): "patent" (A = 0.1, B = -10.1) or "A,B"; default: chosen per neuron. */
  tanhBlock?: string;
  /** ohmnet prune: magnitude or structured (docs/pruning.md). */
  method?: 'magnitude' | 'structured';
  /**
   * ohmnet prune: the largest accuracy drop allowed from the source's, in accuracy points (0..1).
   * @minimum 0
   * @maximum 1
   */
  maxAccuracyDrop?: number;
  /** ohmnet prune: the fractions tried, comma-separated and ascending, e.g. "0.5,0.8,0.9". */
  levels?: string;
  /** Pruning and knowledge extraction steps, comma-separated: weights, biases, dead, extract, rank, fold (docs/pruning.md). */
  prune?: string;
  /**
   * With prune weights: remove connections with |w| below this (a weight ratio).
   * @minimum 0
   */
  pruneWeightBelow?: number;
  /**
   * With prune biases: realize biases with |b| below this (model signal units) as 0.
   * @minimum 0
   */
  pruneBiasBelow?: number;
  /** With prune rank: the use measure neurons are ranked by on the calibration set: activity, mean-abs or current. */
  pruneRankBy?: 'activity' | 'mean-abs' | 'current';
  /**
   * With prune rank: the largest |output change| allowed on the calibration set (model signal units).
   * @minimum 0
   */
  pruneRankMaxError?: number;
  /**
   * With prune: the area of one resistor in um^2 (the user's process figure) for the pruning summary's area estimate.
   * @exclusiveMinimum 0
   */
  pruneResistorAreaUm2?: number;
  /**
   * With prune: the area of one op-amp in um^2 (the user's process figure) for the pruning summary's area estimate.
   * @exclusiveMinimum 0
   */
  pruneOpampAreaUm2?: number;

  /** Resistor set: E6, E12, E24, E48, E96, E192 (IEC 60063), optimal:N, or a file of values (default E96). */
  resistors?: string;
  /** Smallest resistor (default 100k). */
  rMin?: Resistance;
  /** Patent claims (FIG. 30C): remove every weight or bias resistor above this. */
  pruneOpenAbove?: Resistance;
  /** Patent claims (FIG. 30B): replace every weight or bias resistor below this by a conductor of pruneConductorOhm. */
  pruneConductorBelow?: Resistance;
  /** With pruneConductorBelow: the conductor's resistance (no default). */
  pruneConductorOhm?: Resistance;
  /** Largest resistor (default 1M). */
  rMax?: Resistance;
  /** Feedback resistor R_f: "min-error" (default), "patent", or a resistance such as "1M". */
  rFeedback?: Resistance;
  /** Choose R_f per layer (default) or per neuron. */
  feedbackPer?: 'layer' | 'neuron';
  /**
   * Relative resistor tolerance, e.g. 0.01 (default 0: nominal values); used in pair selection and Monte Carlo.
   * @minimum 0
   */
  tolerance?: number;
  /** Monte Carlo tolerance distribution: gaussian (sigma = tolerance, default) or uniform (+-tolerance). */
  toleranceDist?: 'gaussian' | 'uniform';
  /**
   * Bias reference voltage V_ref (default 1).
   * @exclusiveMinimum 0
   */
  vRef?: number;
  /**
   * Monte Carlo trials over resistor tolerance (default 100 when tolerance > 0).
   * @minimum 0
   * @asType integer
   */
  trials?: number;
  /**
   * Worker threads for Monte Carlo (default: CPU count; results do not depend on it).
   * @minimum 1
   * @asType integer
   */
  workers?: number;
  /**
   * Simulate an n-bit input DAC (over the calibration input range).
   * @minimum 1
   * @maximum 32
   * @asType integer
   */
  dacBits?: number;
  /**
   * Simulate an n-bit output ADC (over the rails, -S..+S).
   * @minimum 1
   * @maximum 32
   * @asType integer
   */
  adcBits?: number;
  /** Class of a single-output model: output > this (default 0.5). */
  classThreshold?: number;
  /**
   * Verdict: largest |realized - source| at any analog output of the nominal circuit, in volts (default 1% of the
   * signal limit).
   * @exclusiveMinimum 0
   */
  maxOutputError?: number;
  /**
   * Verdict: smallest task accuracy (fraction 0..1) of the realized circuit and of Monte Carlo p5, with labels
   * (default: the source model's accuracy minus 0.02).
   * @minimum 0
   * @maximum 1
   */
  minAccuracy?: number;
  /**
   * Verdict: smallest class agreement (fraction 0..1) with the source of the realized circuit and of Monte Carlo p5
   * (default 0.98).
   * @minimum 0
   * @maximum 1
   */
  minAgreement?: number;
  /** Verdict: inputs beyond the calibration range or the rails are counted but do not fail (default false). */
  allowOutOfRange?: boolean;

  /** Op-amp model in the netlist: "ideal" (default) or "macro", with overrides, e.g. "macro:gain=1e6,gbw=10e6". */
  opamp?: string;
  /** SPICE engine: ngspice (the binary), wasm (from npm) or auto (ngspice if installed; default). */
  engine?: 'ngspice' | 'wasm' | 'auto';
  /**
   * SPICE verification: how many calibration samples to simulate (default 20).
   * @minimum 1
   * @maximum 100000
   * @asType integer
   */
  samples?: number;
  /**
   * Time limit of one SPICE run in seconds (default 60 plus, per sample, 0.25 and 0.00005 per netlist line).
   * @exclusiveMinimum 0
   */
  spiceTimeout?: number;
  /**
   * SPICE verification in partitions of at most this many neurons (default: the whole netlist at once).
   * @minimum 1
   * @asType integer
   */
  spicePartition?: number;

  /** energy: the op-amp model with dynamics every time and energy figure rests on: generic, micropower or fast, with
   * overrides, e.g. "micropower:gbw=100e3,supply=op3". */
  opampPreset?: string;
  /**
   * energy: inference rate in Hz (each sample gets 1/rate; the average power at that rate is reported).
   * @exclusiveMinimum 0
   */
  rateHz?: number;
  /**
   * energy: an output has settled once it stays within this many volts of its DC value (default 0.01).
   * @exclusiveMinimum 0
   */
  latencyToleranceV?: number;

  /** train: the training samples with labels (JSON or CSV). */
  data?: string;
  /**
   * train: passes over the training set (default 10).
   * @minimum 0
   * @asType integer
   */
  epochs?: number;
  /**
   * train: samples per optimizer step (default 32).
   * @minimum 1
   * @asType integer
   */
  batchSize?: number;
  /**
   * train: learning rate (default 0.001).
   * @exclusiveMinimum 0
   */
  lr?: number;
  /** train: the optimizer (default adam). */
  optimizer?: 'adam' | 'sgd';
  /**
   * train: SGD momentum (default 0.9).
   * @minimum 0
   * @exclusiveMaximum 1
   */
  momentum?: number;
  /** train: the loss (default cross-entropy with 2+ outputs, mse with one). */
  loss?: 'mse' | 'cross-entropy';
  /** train: quantization-aware training onto a weight grid. */
  grid?: 'ternary' | 'two-nominal' | 'resistors';
  /**
   * train: relative weight noise in the forward pass (default 0).
   * @minimum 0
   * @exclusiveMaximum 0.5
   */
  weightNoise?: number;
  /**
   * train: relative noise on every summator output in the forward pass (default 0).
   * @minimum 0
   * @exclusiveMaximum 0.5
   */
  signalNoise?: number;
  /**
   * train: L1 penalty on the weights (default 0).
   * @minimum 0
   */
  l1?: number;
  /**
   * train: L2 penalty on the weights (default 0).
   * @minimum 0
   */
  l2?: number;
  /**
   * train: L1 penalty on negative weights only (default 0).
   * @minimum 0
   */
  l1Negative?: number;
  /**
   * train: the patent's weight-range penalty A (default 0).
   * @minimum 0
   */
  rangePenalty?: number;

  /** train: train a network of the circuit's non-linear synapses on a look-up table: lut:FILE (docs/synapse.md). */
  synapse?: string;
  /** train --synapse: labelled validation samples (the best validation accuracy's weights are kept). */
  validation?: string;
  /**
   * train --synapse: optimizer steps (default 1000); train --target crossbar: 0.1 s iterations of 1,000 pulse slots
   * (default 20, at least 1).
   * @minimum 0
   * @asType integer
   */
  iterations?: number;
  /**
   * train --synapse: hidden layer sizes, comma-separated (default 10,10); train --target crossbar: hidden neurons
   * (default 0: one layer; n > 0: two crossbars, features -> n -> classes).
   */
  hidden?: string | number;
  /** train --synapse: starting weight levels (a file train --synapse wrote). */
  weights?: string;
  /**
   * train --synapse: cell area scale of the mismatch noise while training (default 1).
   * @exclusiveMinimum 0
   */
  areaScale?: number;
  /**
   * train --synapse: mismatch draws (chips) of the test accuracy per area scale (default 0: none).
   * @minimum 0
   * @asType integer
   */
  monteCarlo?: number;
  /** train --synapse: area scales of the Monte Carlo, comma-separated (default 0.8,0.9,1,1.2,1.5). */
  areaScales?: string;
  /** train --synapse: the gradient, exact (through the v = H(z) loop) or eq6 (the seed's Eq. 6 as printed). */
  gradient?: 'exact' | 'eq6';
  /**
   * train --synapse: logits = output currents / this, amperes (default 50e-6).
   * @exclusiveMinimum 0
   */
  currentScaleA?: number;
  /**
   * train --synapse: input current of a feature equal to 1, amperes.
   * @exclusiveMinimum 0
   */
  inputHighA?: number;
  /**
   * train --synapse: the bias synapses' constant input current, amperes.
   * @exclusiveMinimum 0
   */
  biasA?: number;

  /**
   * sdk: goal, the largest |output error| of the nominal realized circuit on the test set, volts.
   * @exclusiveMinimum 0
   */
  maxError?: number;
  /** sdk: also compile the final model into this directory. */
  circuit?: string;
  /** train, sdk: also write an HTML report of the run (the learning curves; the SDK loop's iterations). */
  report?: string;
  /**
   * sdk: fine-tuning rounds at most (default 3).
   * @minimum 0
   * @asType integer
   */
  budget?: number;
  /** run: compute only this shard of the Monte Carlo trials, INDEX/COUNT with a 0-based index (docs/scale.md). */
  shard?: string;
  /** submit: a Slurm job array. */
  slurm?: boolean;
  /** submit: a Kubernetes Indexed Job. */
  k8s?: boolean;
  /** submit: how many shards. */
  shards?: string;
  /** submit: the directory every node sees (scripts, shard files, merged result). */
  jobDir?: string;
  /** submit: write the scripts without submitting. */
  dryRun?: boolean;
  /** submit: Slurm partition. */
  partition?: string;
  /** submit: Slurm account. */
  account?: string;
  /** submit: Slurm time limit per task. */
  timeLimit?: string;
  /** submit: Kubernetes container image. */
  image?: string;
  /** submit: Kubernetes PersistentVolumeClaim mounted at the job directory. */
  pvc?: string;
  /** submit: Kubernetes pods at once. */
  parallelism?: string;

  /** compile and demo: the output directory. */
  output?: string;
  /** compile and demo: replace the output directory if it exists. */
  force?: boolean;
  /** compile: also verify the netlist with SPICE. */
  verify?: boolean;
  /**
   * compile: which files to write besides summary.json, comma-separated (tnet, resistors, resistors-bin, bom, netlist,
   * netlist-gz, testbench, report, project; docs/cli.md).
   */
  outputs?: string;
  /** compile: also the behavioural transient and the energy figures with this op-amp preset (as opampPreset). */
  energy?: string;
  /** energy: power gating (each layer off once it and its consumers have settled), checked against the ungated outputs. */
  gating?: boolean;
  /**
   * energy: the gating schedule's factor on the settling times (default 1.25).
   * @exclusiveMinimum 0
   */
  gateMargin?: number;
  /** verify: run the SPICE cross-validation. */
  spice?: boolean;
  /** compile: also write masks.gds (docs/masks.md). */
  masks?: boolean;
  /** compile with masks: the resistor process, a preset's name or a process file (schema/process.schema.json). */
  process?: string;
  /** compile with masks: a previous output directory whose neuron cells and placement a re-spin keeps. */
  reuse?: string;
  /** compile with masks: a module library (docs/masks.md) whose module cells the masks reuse. */
  library?: string;
  /** run: the samples file. */
  inputs?: string;
  /** characterize: top of the aggregated-current axis of the synapse tables, amperes. */
  zMaxA?: number;
  /**
   * characterize: points of F's current axis.
   * @minimum 8
   * @asType integer
   */
  zPoints?: number;
  /**
   * characterize: points of F's node-voltage axis.
   * @minimum 8
   * @asType integer
   */
  vPoints?: number;
  /**
   * characterize: points of the soma's current axis.
   * @minimum 8
   * @asType integer
   */
  somaPoints?: number;
  /**
   * characterize: Monte Carlo draws per grid point.
   * @minimum 2
   * @asType integer
   */
  mcDraws?: number;
  /** run: which network to evaluate. */
  stage?: 'source' | 'tnet' | 'realized';
  /** ohmnet crossbar solve: device resistances in ohms, a JSON file of word lines x bit lines (docs/crossbar.md). */
  resistances?: string;
  /** ohmnet crossbar solve: instead of resistances, device conductances in siemens (same layout). */
  conductances?: string;
  /** ohmnet crossbar solve: applied voltages in volts, a JSON file of word lines x input sets. */
  voltages?: string;
  /**
   * ohmnet crossbar solve: resistance of every word- and bit-line segment in ohms (0: ideal lines).
   * @minimum 0
   */
  interconnect?: number;
  /**
   * ohmnet crossbar solve: word-line segments only, in ohms.
   * @minimum 0
   */
  interconnectWord?: number;
  /**
   * ohmnet crossbar solve: bit-line segments only, in ohms.
   * @minimum 0
   */
  interconnectBit?: number;
  /** ohmnet crossbar solve: exact, iterative or auto (default). */
  solver?: 'auto' | 'exact' | 'iterative';
  /** Print machine-readable JSON instead of the human summary. */
  json?: boolean;

  /**
   * Options of single layers, by layer name as `ohmnet inspect` lists them (e.g. "/fc1/Gemm"): their fan-in and
   * fan-out limits, resistor set, range, R_f rule and tolerance; the other layers keep the options above. Config only.
   */
  layers?: Record<string, LayerConfig>;

  // train --target crossbar (issue 17): on-line training on a memristor crossbar (docs/crossbar.md).
  /** train: what to train: onnx (fine-tune the model, default) or crossbar (one layer on a memristor crossbar). */
  target?: 'onnx' | 'crossbar';
  /** train (crossbar): the memristor model: linear-ion-drift, vteam (default), yakopcic, threshold, or a JSON file of a model record. */
  device?: string;
  /**
   * train (crossbar): T_rd, seconds (default 2e-5).
   * @exclusiveMinimum 0
   */
  readWindow?: number;
  /**
   * train (crossbar): T_write, seconds (default 8e-5).
   * @exclusiveMinimum 0
   */
  writeWindow?: number;
  /**
   * train (crossbar): longest update pulse, seconds (default: the write window).
   * @exclusiveMinimum 0
   */
  maxPulse?: number;
  /**
   * train (crossbar): weight of a pair at full conductance difference (default 3).
   * @exclusiveMinimum 0
   */
  weightMax?: number;
  /** train (crossbar): the adaptive learning-rate module. */
  adaptiveLr?: boolean;
  /**
   * train (crossbar): the adaptive module's gain when the error fell (default 1.1).
   * @minimum 1
   */
  lrIncrease?: number;
  /**
   * train (crossbar): the adaptive module's constant when the error rose (default 0.5).
   * @exclusiveMinimum 0
   * @maximum 1
   */
  lrDecrease?: number;
  /**
   * train (crossbar): device-to-device variation, relative sigma (default 0).
   * @minimum 0
   * @exclusiveMaximum 0.5
   */
  d2d?: number;
  /**
   * train (crossbar): cycle-to-cycle variation per write pulse, relative sigma (default 0).
   * @minimum 0
   * @exclusiveMaximum 0.5
   */
  c2c?: number;
  /**
   * train (crossbar): state drift per read cycle (default 0).
   * @minimum 0
   * @maximum 0.01
   */
  readDisturb?: number;
}

/** What one layer may set for itself (keys as above). */
export interface LayerConfig {
  /**
   * Maximum inputs per neuron of this layer.
   * @minimum 2
   * @asType integer
   */
  fanIn?: number;
  /**
   * Maximum neurons one signal of this layer may drive.
   * @minimum 2
   * @asType integer
   */
  fanOut?: number;
  /** Resistor set of this layer: E6 ... E192, optimal:N, or a file of values (relative to the config file). */
  resistors?: string;
  /** Smallest resistor of this layer. */
  rMin?: Resistance;
  /** Largest resistor of this layer. */
  rMax?: Resistance;
  /** R_f of this layer: "min-error", "patent", or a resistance such as "1M". */
  rFeedback?: Resistance;
  /**
   * Relative resistor tolerance of this layer, used in its pair selection.
   * @minimum 0
   */
  tolerance?: number;
}
