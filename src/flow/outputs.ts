// What the flow hands to the report: everything a run computed, gathered once (report/data.ts), with the resolved
// options flattened into one table keyed by the library's option names (units in the names).

import type { ReportData } from '../report/data.js';
import { inspectGraph } from '../report/inspect.js';
import type { FullSummary } from '../report/summary.js';
import { testbenchText } from '../spice/testbench.js';
import { networkTiming } from '../circuit/build.js';
import { realizedTrace } from '../simulate/realized.js';
import { behaviouralModelText } from '../spice/verify.js';
import type { Run } from './run.js';
import { describeSet, headOf } from './samples.js';

/** Every option the run used, resolved, as a flat table for the report. */
export function resolvedOptionsTable(run: Run): Record<string, string | number | boolean | null> {
  const o = run.options;
  const m = o.spice.opamp;
  return {
    fanIn: o.compile.fanIn,
    fanOut: o.compile.fanOut,
    signalLimitV: o.compile.signalLimitV,
    calibration: describeSet(run.sets.calibration),
    test: run.sets.test ? describeSet(run.sets.test) : null,
    seed: o.compile.seed,
    approx: o.compile.approx?.levels ?? null,
    approxMethod: o.compile.approx?.method ?? null,
    resistors: run.realization?.set.name ?? o.realization.resistors,
    rMinOhm: o.realization.rMinOhm,
    rMaxOhm: o.realization.rMaxOhm,
    feedback: run.realization?.feedbackText ?? o.realization.feedback,
    feedbackPer: o.realization.feedbackPer,
    toleranceRel: o.realization.toleranceRel,
    toleranceDistribution: o.realization.toleranceDistribution,
    vRefV: o.realization.vRefV,
    trials: o.measure.trials,
    dacBits: o.measure.dacBits,
    adcBits: o.measure.adcBits,
    classThreshold: o.measure.classThreshold,
    opamp: m.kind === 'ideal' ? `ideal (gain ${m.gain})` : `macro (A0 ${m.gain}, GBW ${m.gbwHz} Hz, headroom ${m.swingHeadroomV} V, Rin ${m.rinOhm}, Rout ${m.routOhm}, Iq ${m.iqA} A)`,
    spice: run.spice !== null,
    engine: run.spice ? run.spice.engine : null,
    spiceSamples: run.spice ? run.spice.samples : null,
    config: run.config === null ? null : run.config.split(/[\\/]/).pop()!,
    ...layerRows(run),
  };
}

/** One row per layer with options of its own: "layer NAME" -> its limits, set, R_f rule and tolerance. */
function layerRows(run: Run): Record<string, string> {
  const realized = new Map((run.realization?.layers ?? []).map((l) => [l.layer, l]));
  return Object.fromEntries(Object.entries(run.options.layers).map(([name, l]) => {
    const r = realized.get(name);
    return [`layer ${name}`, `fanIn ${l.fanIn}, fanOut ${l.fanOut}, resistors ${r?.series ?? l.realization.resistors}, feedback ${r?.feedback ?? l.realization.feedback}, toleranceRel ${l.realization.toleranceRel}`];
  }));
}

/** The report's input from a run whose measure stage has run. */
export function reportDataOf(run: Run, summary: FullSummary): ReportData {
  return {
    summary,
    inspect: inspectGraph(run.graph),
    tnet: run.requireCompiled().tnet,
    realized: run.requireRealization().realized,
    monteCarloTrials: run.monteCarlo?.trials ?? null,
    options: resolvedOptionsTable(run),
  };
}

/**
 * The testbench deck (spice/testbench.ts) of a realized run: the samples SPICE verification simulates (the first
 * spiceSamples of the evaluation set: the test set when given, else the calibration set), with the behavioural
 * realized circuit's v(out<k>) as the expected values.
 */
export function testbenchOf(run: Run, netlistFile = 'netlist.cir'): string {
  const realized = run.requireRealization().realized;
  const net = realized.tnet;
  const set = run.evaluation;
  const head = headOf(set, run.options.spice.samples);
  const count = head.samples.length;
  if (net.clock) {
    // A clocked network's testbench is a transient one: the expected values are the time-stepped behavioural
    // simulation's outputs at the end of every tick.
    const trace = realizedTrace(realized, head.samples, run.options.spice.opamp);
    return testbenchText(net, {
      netlistFile,
      title: run.netlistOptions().title,
      timing: networkTiming(realized, run.options.spice.opamp),
      describe: [
        `samples: the first ${count} of ${describeSet(set)}, those SPICE verification simulates (verify --spice, compile --verify)`,
        `expected: the time-stepped behavioural simulation of this realized circuit (same resistors, ${behaviouralModelText(run.options.spice.opamp)}), v(out<k>) in volts at the end of every tick`,
        `model output k of read tick j = scale_k x v(out<k>) at the end of tick j (scales in the header of ${netlistFile})`,
      ],
      samples: head.samples.map((x, s) => ({
        inputsV: Array.from(x, (v) => net.inputGain * v),
        expectedV: trace[s].flatMap((v) => Array.from(v)),
      })),
    });
  }
  const behavioural = run.netlistEvaluation(set);
  return testbenchText(net, {
    netlistFile,
    title: run.netlistOptions().title,
    describe: [
      `samples: the first ${count} of ${describeSet(set)}, those SPICE verification simulates (verify --spice, compile --verify)`,
      `expected: the behavioural simulation of this realized circuit (same resistors, ${behaviouralModelText(run.options.spice.opamp)}), v(out<k>) in volts`,
      `model output k = scale_k x v(out<k>) (scales in the header of ${netlistFile})`,
    ],
    samples: head.samples.map((x, s) => ({
      inputsV: Array.from(x, (v) => net.inputGain * v),
      expectedV: Array.from(net.outputScale, (scale, k) => behavioural.analog[s][k] / scale),
    })),
  });
}
