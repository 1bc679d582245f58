// The stages of the flow, each with what it requires (hls4ml's flows with `requires`): a command names the stages
// it wants and runStages runs those and their requirements once each, in order, on one Run (run.ts).
//
//   compile ──► realize ──► measure ──► summary
//                  │ └────► montecarlo ─┘
//                  └──────► spice ──────┘
//
// compile: the pass pipeline (transform/pipeline.ts) on the calibration set; realize: resistor pairs (realize/);
// measure: equivalence on every set, the nominal realized network and task accuracy on the evaluation set;
// montecarlo: tolerance trials on the evaluation set; spice: the netlist solved by a SPICE engine on the first
// samples of the evaluation set, against the behavioural realized network and the source.

import { accuracyOf, compareOutputs } from '../simulate/realized.js';
import { monteCarlo } from '../simulate/montecarlo.js';
import { realizeNetwork } from '../realize/stage.js';
import { realizationStats } from '../realize/realize.js';
import { applyResistorRules, realizedChange } from '../transform/prune-resistors.js';
import { crossValidate } from '../spice/verify.js';
import { crossValidatePartitioned } from '../spice/partition.js';
import { compileGraph } from '../transform/pipeline.js';
import { equivalenceOf } from '../report/summary.js';
import type { Run } from './run.js';
import { featureRange, headOf } from './samples.js';
import { requireLayerNeurons } from './options.js';

export type StageName = 'compile' | 'realize' | 'measure' | 'montecarlo' | 'spice';

export interface Stage {
  readonly name: StageName;
  readonly requires: readonly StageName[];
  run(r: Run): Promise<void> | void;
}

const compile: Stage = {
  name: 'compile',
  requires: [],
  run: (r) => {
    const c = r.options.compile;
    const bar = r.progress.stage('T-transformation');
    const options = {
      fanIn: c.fanIn, fanOut: c.fanOut, signalLimitV: c.signalLimitV, signalHeadroomRel: c.signalHeadroomRel, calibration: r.sets.calibration.samples, seed: c.seed,
      approx: c.approx, sigmoidBlock: c.sigmoidBlock, tanhBlock: c.tanhBlock, verify: c.verifyPasses,
      layers: Object.fromEntries(Object.entries(r.options.layers).map(([name, l]) => [name, { fanIn: l.fanIn, fanOut: l.fanOut }])),
    };
    r.compiled = compileGraph(r.graph, { ...options, prune: c.prune, debug: r.debug });
    // Pruning: the same compilation without it gives the figures before pruning (summary.json `pruning`).
    if (c.prune || c.resistorRules) r.unpruned = { compiled: c.prune ? compileGraph(r.graph, options) : r.compiled, stats: null };
    bar.done();
    requireLayerNeurons(r.compiled.tnet, Object.keys(r.options.layers));
  },
};

const realize: Stage = {
  name: 'realize',
  requires: ['compile'],
  run: (r) => {
    const net = r.requireCompiled().tnet;
    const bar = r.progress.stage('realization');
    const layers = Object.fromEntries(Object.entries(r.options.layers).map(([name, l]) => [name, l.realization]));
    r.realization = realizeNetwork(net, r.options.realization, layers);
    // The figures before pruning: the unpruned compilation's realization (before the resistor rules, too).
    if (r.unpruned) r.unpruned = { ...r.unpruned, stats: r.unpruned.compiled === r.compiled ? r.realization.stats : realizeNetwork(r.unpruned.compiled.tnet, r.options.realization, layers).stats };
    const rules = r.options.compile.resistorRules;
    if (rules) {
      // The claims' rules on the resistance matrix: every later stage sees the changed circuit; the change is measured.
      const before = r.realization.realized;
      const applied = applyResistorRules(before, rules);
      r.realization = { ...r.realization, realized: applied.realized, stats: realizationStats(applied.realized) };
      const set = r.evaluation;
      r.resistorRules = { ...rules, opened: applied.opened, conductors: applied.conductors, connectionsRemoved: applied.connectionsRemoved, maxAbsOutputError: realizedChange(before, applied.realized, set.samples), on: set.name, samples: set.samples.length };
    }
    bar.done();
    const m = r.options.measure;
    // The DAC spans the physical input range seen on the calibration set (the input gain is positive: min and max
    // of the scaled values are the scaled min and max, exactly, since rounding is monotonic).
    const [fLo, fHi] = featureRange(r.sets.calibration);
    const lo = net.inputGain * fLo;
    const hi = net.inputGain * fHi;
    r.converters = { ...(m.dacBits !== null ? { dacBits: m.dacBits, dacRangeV: [lo, hi] as const } : {}), ...(m.adcBits !== null ? { adcBits: m.adcBits } : {}) };
  },
};

const measure: Stage = {
  name: 'measure',
  requires: ['realize'],
  run: (r) => {
    const c = r.requireCompiled();
    const eq = (set: typeof r.sets.calibration) => equivalenceOf(set.name, c.tnet, r.tnetEvaluation(set), r.reference(set).analog);
    const evalSet = r.evaluation;
    const threshold = r.options.measure.classThreshold;
    const nominal = compareOutputs(r.realizedOutputs(evalSet), r.reference(evalSet).final, threshold, evalSet.labels);
    const labels = evalSet.labels;
    r.measurements = {
      equivalence: { calibration: eq(r.sets.calibration), test: r.sets.test ? eq(r.sets.test) : null },
      nominal: { ...nominal, on: evalSet.name, samples: evalSet.samples.length },
      accuracy: labels
        ? {
          on: evalSet.name,
          samples: evalSet.samples.length,
          source: accuracyOf(r.reference(evalSet).final, labels, threshold),
          tnet: accuracyOf(r.tnetEvaluation(evalSet).outputs, labels, threshold),
          realized: nominal.accuracy!,
          monteCarlo: null,
        }
        : null,
    };
  },
};

const montecarlo: Stage = {
  name: 'montecarlo',
  requires: ['realize'],
  run: async (r) => {
    const m = r.options.measure;
    if (m.trials === 0) return;
    const o = r.options.realization;
    const set = r.evaluation;
    const bar = r.progress.stage('Monte Carlo', m.trials);
    r.monteCarlo = await monteCarlo(r.requireRealization().realized, set.samples, r.reference(set).final, {
      trials: m.trials, ...(m.workers !== null ? { workers: m.workers } : {}), seed: o.seed, toleranceRel: o.toleranceRel,
      distribution: o.toleranceDistribution, classThreshold: m.classThreshold, converters: r.converters, labels: set.labels,
      onTrial: () => bar.tick(),
    });
    bar.done();
  },
};

const spice: Stage = {
  name: 'spice',
  requires: ['realize'],
  run: async (r) => {
    const s = r.options.spice;
    const set = headOf(r.evaluation, s.samples);
    const n = set.samples.length;
    const full = r.netlistEvaluation(r.evaluation);
    const ideal = s.opamp.kind === 'macro' ? r.realizedEvaluation(r.evaluation) : null;
    const realized = r.requireRealization().realized;
    const verify = {
      engine: s.engine, opamp: s.opamp, samples: set.samples, classThreshold: r.options.measure.classThreshold,
      ...(s.timeoutMs !== null ? { timeoutMs: s.timeoutMs } : {}),
    };
    const compare = {
      behavioural: { analog: full.analog.slice(0, n), outputs: full.outputs.slice(0, n) },
      ...(ideal ? { ideal: { analog: ideal.analog.slice(0, n), outputs: ideal.outputs.slice(0, n) } } : {}),
      reference: r.reference(r.evaluation).final.slice(0, n),
    };
    let v;
    if (s.partitionNeurons !== null) {
      // The partitions are cut once, inside the solve; the bar learns their count from it.
      const held: { bar?: ReturnType<typeof r.progress.stage> } = {};
      v = await crossValidatePartitioned(realized, verify, compare, {
        maxNeurons: s.partitionNeurons,
        netlist: r.netlistOptions(),
        onStart: (total) => { held.bar = r.progress.stage(`SPICE (${n} samples, ${total} partitions)`, total); },
        onPartition: () => held.bar?.tick(),
      });
      held.bar?.done();
    } else {
      const bar = r.progress.stage(`SPICE (${n} samples)`);
      v = await crossValidate(realized, verify, { ...compare, netlist: r.netlistText() });
      bar.done();
    }
    r.spice = { ...v, on: set.name };
  },
};

export const STAGES: Readonly<Record<StageName, Stage>> = { compile, realize, measure, montecarlo, spice };

/** Runs the wanted stages and what they require, each once, requirements first. */
export async function runStages(r: Run, wanted: readonly StageName[]): Promise<void> {
  const visit = async (name: StageName) => {
    if (r.done.has(name)) return;
    for (const req of STAGES[name].requires) await visit(req);
    await STAGES[name].run(r);
    r.done.add(name);
  };
  for (const name of wanted) await visit(name);
}
