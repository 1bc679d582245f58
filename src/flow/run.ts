// The run context of one command (issue 9): the imported graph, the resolved options, the named sample sets, the
// artifacts the stages produce (compilation, realization, measurements), and the analyses they share, each computed
// once per sample set: the float64 reference outputs, the T-network's evaluation, the realized network's nominal
// outputs, the netlist. Stages (stages.ts) read and fill it; nothing re-derives what an earlier stage computed.

import type { Graph } from '../ir/ops.js';
import type { MonteCarloResult } from '../simulate/montecarlo.js';
import { evaluateRealized, simulateRealized, type ConverterOptions } from '../simulate/realized.js';
import { evaluate } from '../reference/evaluate.js';
import type { RealizationResult } from '../realize/stage.js';
import type { RealizationStats } from '../realize/realize.js';
import type { ResistorRulesSummary } from '../report/pruning.js';
import type { SpiceVerification } from '../spice/verify.js';
import { emitNetlist, type NetlistOptions } from '../spice/emit.js';
import { evaluateTnet, finalOutputs, type TnetEvaluation } from '../tnet/evaluate.js';
import type { Compiled } from '../transform/pipeline.js';
import { calibrationEvaluation } from '../transform/rescale-signals.js';
import { silentProgress, type Progress } from '../util/progress.js';
import type { Equivalence, AccuracySummary, MeasuredFigures } from '../report/summary.js';
import type { DebugHooks } from '../pass/manager.js';
import type { ResolvedFlowOptions } from './options.js';
import type { SampleSet } from './samples.js';

/** The source model's outputs on a set: at the tensor the analog network realizes, and after the digital tail. */
export interface ReferenceOutputs {
  readonly analog: readonly Float64Array[];
  readonly final: readonly Float64Array[];
}

export interface ModelInfo {
  /** The model file as the user named it (for messages), or null. */
  readonly path: string | null;
  /** The file's name without its directory (for outputs: the same file gives the same bytes wherever it is). */
  readonly fileName: string | null;
}

export interface Measurements {
  readonly equivalence: { readonly calibration: Equivalence; readonly test: Equivalence | null };
  readonly nominal: MeasuredFigures;
  readonly accuracy: AccuracySummary | null;
}

export class Run {
  compiled: Compiled | null = null;
  /** With pruning: the same compilation without it and its realization's counts (the figures before pruning). */
  unpruned: { readonly compiled: Compiled; readonly stats: RealizationStats | null } | null = null;
  /** The resistor rules applied to the realized circuit and the change they caused, or null. */
  resistorRules: ResistorRulesSummary | null = null;
  realization: RealizationResult | null = null;
  converters: ConverterOptions = {};
  measurements: Measurements | null = null;
  monteCarlo: MonteCarloResult | null = null;
  spice: (SpiceVerification & { on: SampleSet['name'] }) | null = null;
  /** The config file the options were read from (as the user named it), or null. */
  config: string | null = null;
  /** The command line that reproduces the run (shell-quoted), or null for a library call. */
  command: string | null = null;
  /** Stages that have run (stages.ts). */
  readonly done = new Set<string>();
  private readonly references = new Map<SampleSet, ReferenceOutputs>();
  private readonly tnetEvaluations = new Map<SampleSet, TnetEvaluation>();
  private readonly realizedEvaluations = new Map<SampleSet, TnetEvaluation>();
  private readonly netlistEvaluations = new Map<SampleSet, TnetEvaluation>();
  private readonly realizedNominal = new Map<SampleSet, Float64Array[]>();
  private netlist: string | null = null;

  constructor(
    readonly graph: Graph,
    readonly options: ResolvedFlowOptions,
    readonly sets: { readonly calibration: SampleSet; readonly test: SampleSet | null },
    readonly model: ModelInfo,
    readonly progress: Progress = silentProgress,
    /** The pass manager's debug hooks (differential checks, dumps), or null. */
    readonly debug: DebugHooks | null = null,
  ) {}

  /** The set that judges the circuit: the test set when one is given, else the calibration set. */
  get evaluation(): SampleSet {
    return this.sets.test ?? this.sets.calibration;
  }

  /** The sets the equivalence is measured on: calibration, and test when given. */
  get allSets(): SampleSet[] {
    return this.sets.test ? [this.sets.calibration, this.sets.test] : [this.sets.calibration];
  }

  requireCompiled(): Compiled {
    if (!this.compiled) throw new Error('flow: the compile stage has not run');
    return this.compiled;
  }

  requireRealization(): RealizationResult {
    if (!this.realization) throw new Error('flow: the realize stage has not run');
    return this.realization;
  }

  /**
   * The float64 reference on a set, evaluated once: at the analog output tensor when the model is compiled (the
   * final outputs follow by the digital tail, the same function as the source's final Softmax), else at the output.
   */
  reference(set: SampleSet): ReferenceOutputs {
    let r = this.references.get(set);
    if (!r) {
      const c = this.compiled;
      if (c) {
        const analog = evaluate(this.graph, set.samples, { tensor: c.analogOutput }).outputs;
        r = { analog, final: c.tnet.tail ? analog.map((y) => finalOutputs(c.tnet, y)) : analog };
      } else {
        const final = evaluate(this.graph, set.samples).outputs;
        r = { analog: final, final };
      }
      this.references.set(set, r);
    }
    return r;
  }

  /** The compiled T-network's evaluation on a set (rails on, signal statistics): the calibration set's comes from the
   * signal-limit pass's proof. */
  tnetEvaluation(set: SampleSet): TnetEvaluation {
    let ev = this.tnetEvaluations.get(set);
    if (!ev) {
      const c = this.requireCompiled();
      ev = (set === this.sets.calibration ? calibrationEvaluation(c.analyses, c.tnet) : undefined) ?? evaluateTnet(c.tnet, set.samples, { collectStats: true });
      this.tnetEvaluations.set(set, ev);
    }
    return ev;
  }

  /** The realized network (nominal resistor values, ideal op-amps, no converters) on a set. */
  realizedEvaluation(set: SampleSet): TnetEvaluation {
    let ev = this.realizedEvaluations.get(set);
    if (!ev) {
      const r = this.requireRealization().realized;
      ev = evaluateTnet(r.tnet, set.samples, { weight: r.weight, bias: r.bias });
      this.realizedEvaluations.set(set, ev);
    }
    return ev;
  }

  /** The realized network with the netlist's op-amp model (spice.opamp; simulate/realized.ts) on a set: what SPICE
   * is compared with. Ideal op-amps: realizedEvaluation itself. */
  netlistEvaluation(set: SampleSet): TnetEvaluation {
    const opamp = this.options.spice.opamp;
    if (opamp.kind === 'ideal') return this.realizedEvaluation(set);
    let ev = this.netlistEvaluations.get(set);
    if (!ev) {
      ev = simulateRealized(this.requireRealization().realized, set.samples, opamp);
      this.netlistEvaluations.set(set, ev);
    }
    return ev;
  }

  /** The realized network's final outputs with nominal resistor values and the converters, on a set. */
  realizedOutputs(set: SampleSet): Float64Array[] {
    let out = this.realizedNominal.get(set);
    if (!out) {
      const r = this.requireRealization().realized;
      const c = this.converters;
      out = c.dacBits === undefined && c.adcBits === undefined ? this.realizedEvaluation(set).outputs : evaluateRealized(r, set.samples, { weight: r.weight, bias: r.bias }, c);
      this.realizedNominal.set(set, out);
    }
    return out;
  }

  /** The netlist text, emitted once (its VIN<k> values are 0 V; SPICE engines set them per sample). */
  netlistText(): string {
    if (this.netlist === null) this.netlist = emitNetlist(this.requireRealization().realized, this.netlistOptions());
    return this.netlist;
  }

  /** Whether the netlist text has been emitted (a writer then reuses it instead of emitting again). */
  hasNetlistText(): boolean {
    return this.netlist !== null;
  }

  netlistOptions(): NetlistOptions {
    return { opamp: this.options.spice.opamp, title: this.model.fileName ? `${this.graph.name} (${this.model.fileName})` : this.graph.name };
  }
}
