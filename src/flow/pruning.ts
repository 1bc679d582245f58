// summary.json's pruning section from a run compiled with pruning (report/pruning.ts): the realized circuit with and
// without pruning, and each pruning pass's network measured on the evaluation set against the source.

import type { RealizationStats } from '../realize/realize.js';
import type { AreaEstimate, AreaFigures, CircuitCounts, PruningSummary } from '../report/pruning.js';
import { accuracyOf } from '../simulate/realized.js';
import { evaluateTnet } from '../tnet/evaluate.js';
import type { TNet } from '../tnet/types.js';
import type { Run } from './run.js';

function countsOf(net: TNet, st: RealizationStats): CircuitCounts {
  // Connections of the circuit: the T-network's, less those realized open (no resistors).
  return { neurons: st.neurons, opAmps: st.neurons + st.neuronsWithGain, resistors: st.resistors, connections: net.neurons.rowPtr[net.neurons.count] - st.openConnections };
}

function areaEstimate(before: CircuitCounts, after: CircuitCounts, resistorAreaUm2: number, opampAreaUm2: number): AreaEstimate {
  const fig = (c: CircuitCounts): AreaFigures => ({ resistorsUm2: c.resistors * resistorAreaUm2, opAmpsUm2: c.opAmps * opampAreaUm2, totalUm2: c.resistors * resistorAreaUm2 + c.opAmps * opampAreaUm2 });
  const b = fig(before);
  const a = fig(after);
  return { source: 'user-supplied', resistorAreaUm2, opampAreaUm2, before: b, after: a, ratio: ratio(b.totalUm2, a.totalUm2) };
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : a > 0 ? Infinity : 1);

/** The pruning section, or null when the run did not prune. */
export function pruningSummary(run: Run): PruningSummary | null {
  const c = run.requireCompiled();
  const p = c.options.prune ?? { steps: [], weightBelowAbs: null, biasBelowAbs: null, rankBy: null, rankMaxErrorAbs: null };
  if (!run.unpruned?.stats) return null;
  const set = run.evaluation;
  const ref = run.reference(set);
  const labels = set.labels;
  const threshold = run.options.measure.classThreshold;
  const before = countsOf(run.unpruned.compiled.tnet, run.unpruned.stats);
  const after = countsOf(c.tnet, run.requireRealization().stats);
  const steps = c.pruneSteps.slice(1).map(({ pass, net }) => {
    const rec = c.passes.find((r) => r.pass === pass)!;
    const ev = evaluateTnet(net, set.samples);
    let err = 0;
    ev.analog.forEach((y, k) => y.forEach((v, j) => (err = Math.max(err, Math.abs(v - ref.analog[k][j])))));
    const m = rec.metrics;
    return {
      pass, exact: rec.exact, notes: rec.notes,
      removedNeurons: m.removedNeurons ?? 0, removedConnections: m.removedConnections ?? 0, removedBiasPairs: m.removedBiasPairs ?? 0,
      removedResistors: m.removedResistors ?? 0, linearizedNeurons: m.linearizedNeurons ?? 0,
      neurons: net.neurons.count, connections: net.neurons.rowPtr[net.neurons.count],
      error: { on: set.name, samples: set.samples.length, maxAbsOutputError: err, accuracy: labels ? accuracyOf(ev.outputs, labels, threshold) : null },
    };
  });
  return {
    options: { steps: p.steps, weightBelowAbs: p.weightBelowAbs, biasBelowAbs: p.biasBelowAbs, rankBy: p.rankBy, rankMaxErrorAbs: p.rankMaxErrorAbs, fanIn: c.options.fanIn, fanOut: c.options.fanOut },
    extractionOn: { set: 'calibration', samples: run.sets.calibration.samples.length },
    before, after,
    ratio: { opAmps: ratio(before.opAmps, after.opAmps), resistors: ratio(before.resistors, after.resistors), connections: ratio(before.connections, after.connections) },
    sourceAccuracy: labels ? accuracyOf(ref.final, labels, threshold) : null,
    steps,
    area: p.resistorAreaUm2 != null && p.opampAreaUm2 != null ? areaEstimate(before, after, p.resistorAreaUm2, p.opampAreaUm2) : null,
    resistorRules: run.resistorRules,
  };
}
