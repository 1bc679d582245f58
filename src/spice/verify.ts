// Cross-validation of the netlist (SPEC C7; patent "Example Process for Generating Schematic Models": mathematical
// equivalence |V_L - V_M| < eps for every output, functional equivalence = the same classes): the netlist of the
// realized network is solved by a real SPICE engine for N input samples, and its outputs are compared with the
// behavioural simulation of the same realized network (same resistors, ideal op-amps) and with the source model.

import { API_MESSAGES as AM } from '../messages/index.js';
import { requireGraph } from '../ir/validate.js';
import { requireRealized } from '../realize/realize.js';
import type { Graph } from '../ir/ops.js';
import { evaluate } from '../reference/evaluate.js';
import { noiseGain } from '../realize/circuit.js';
import { signalDepths } from '../tnet/compact.js';
import type { Realized } from '../realize/realize.js';
import { evaluateTnet, readout, type TnetEvaluation } from '../tnet/evaluate.js';
import { usageError } from '../errors.js';
import { SM } from '../messages/index.js';
import { DEFAULTS } from '../presets/defaults.js';
import { compareOutputs } from '../simulate/realized.js';
import { emitNetlist } from './emit.js';
import { createEngine, type EngineKind } from './engines/index.js';
import type { OpampModel } from './models.js';

export interface SpiceVerifyOptions {
  readonly engine: EngineKind;
  readonly opamp: OpampModel;
  /** Model inputs (source units), one per sample. */
  readonly samples: readonly ArrayLike<number>[];
  /** Largest allowed |SPICE - behavioural| at any analog output, in volts. Default 1e-4 of the rails. */
  readonly toleranceV?: number;
  readonly timeoutMs?: number;
  readonly classThreshold?: number;
}

export interface OutputAgreement {
  readonly output: number;
  /** max over samples of |v(out<k>) SPICE - behavioural| in volts. */
  readonly maxVsBehaviouralV: number;
  /** max over samples of |model output k from SPICE - source model output k| in source units (after the tail). */
  readonly maxVsSource: number;
}

export interface SpiceVerification {
  readonly engine: string;
  readonly opamp: OpampModel;
  readonly samples: number;
  readonly seconds: number;
  readonly toleranceV: number;
  readonly maxVsBehaviouralV: number;
  readonly maxVsSource: number;
  /** Fraction of samples whose class from SPICE equals the behavioural realized network's / the source model's. */
  readonly classAgreementVsBehavioural: number;
  readonly classAgreementVsSource: number;
  readonly perOutput: OutputAgreement[];
  /** For the macro model: the largest noise gain 1 + R_f G- over the neurons, and noise gain / A0, the first-order
   * relative error of one neuron from finite open-loop gain (errors add up through the layers). */
  readonly finiteGain: { readonly maxNoiseGain: number; readonly relativeErrorPerNeuron: number } | null;
  readonly passed: boolean;
}

/** Largest noise gain 1 + R_f * (sum of conductances at the inverting input) over the neurons. */
export function maxNoiseGain(r: Realized): number {
  let best = 1;
  for (let i = 0; i < r.tnet.neurons.count; i++) best = Math.max(best, noiseGain(r, i));
  return best;
}

/** The number of neuron layers (the longest chain of neurons from an input to an output). */
function depthOf(r: Realized): number {
  const d = signalDepths(r.tnet);
  let best = 0;
  for (const x of d) best = Math.max(best, x);
  return best;
}

/** What the cross-validation compares SPICE with, computed by the caller (the flow computes each once). */
export interface SpiceComparison {
  /** The netlist text (its VIN<k> values are set per sample by the engine). */
  readonly netlist: string;
  /** The behavioural realized network on the samples (same resistors, ideal op-amps, no converters). */
  readonly behavioural: TnetEvaluation;
  /** The source model's final outputs on the samples. */
  readonly reference: readonly ArrayLike<number>[];
}

/** Solves the netlist for every sample and compares with the behavioural simulation and the source model. */
export async function crossValidate(r: Realized, o: SpiceVerifyOptions, c: SpiceComparison): Promise<SpiceVerification> {
  requireRealized(r);
  if (typeof o !== 'object' || o === null || !Array.isArray(o.samples as unknown)) throw usageError(AM.badArgument('SPICE verification', 'options with the samples (an array) and the op-amp model'));
  const net = r.tnet;
  const rail = net.railV ?? DEFAULTS.signalLimitV;
  if (o.samples.length === 0) throw usageError(SM.verifyNoSamples());
  const physical = o.samples.map((x) => Array.from(x, (v) => net.inputGain * v));
  const probes = Array.from(net.outputSignal, (_, k) => `out${k}`);
  const engine = await createEngine(o.engine);
  let result;
  try {
    result = await engine.operatingPoints({ netlist: c.netlist, inputs: physical, probes, ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}) });
  } finally {
    await engine.dispose?.();
  }
  const { behavioural, reference } = c;
  const spiceOut = result.voltages.map((v) => readout(net, v).output);
  const perOutput: OutputAgreement[] = probes.map((_, k) => {
    let vb = 0;
    let vs = 0;
    result.voltages.forEach((v, s) => {
      vb = Math.max(vb, Math.abs(v[k] - behavioural.analog[s][k] / net.outputScale[k]));
      vs = Math.max(vs, Math.abs(spiceOut[s][k] - reference[s][k]));
    });
    return { output: k, maxVsBehaviouralV: vb, maxVsSource: vs };
  });
  const gain = maxNoiseGain(r);
  // The behavioural simulation has ideal op-amps. A macro op-amp of open-loop gain A0 leaves each neuron a relative
  // error of about noise gain / A0 of its output (at most the rail S); that error reaches the outputs through every
  // later layer. The tolerance adds a bound of it (twice the first-order figure, times the depth, on the rails), so a
  // correct circuit with a finite-gain op-amp never fails by design (issue 10, observation 3).
  const depth = Math.max(1, depthOf(r));
  const finiteGainV = o.opamp.kind === 'macro' ? 2 * depth * rail * (gain / o.opamp.gain) : 0;
  const toleranceV = o.toleranceV ?? DEFAULTS.spiceToleranceRailRel * rail + finiteGainV;
  const maxVsBehaviouralV = Math.max(...perOutput.map((p) => p.maxVsBehaviouralV));
  const threshold = o.classThreshold ?? DEFAULTS.classThreshold;
  return {
    engine: result.engine,
    opamp: o.opamp,
    samples: o.samples.length,
    seconds: result.seconds,
    toleranceV,
    maxVsBehaviouralV,
    maxVsSource: Math.max(...perOutput.map((p) => p.maxVsSource)),
    classAgreementVsBehavioural: compareOutputs(spiceOut, behavioural.outputs, threshold).classAgreement,
    classAgreementVsSource: compareOutputs(spiceOut, reference, threshold).classAgreement,
    perOutput,
    finiteGain: o.opamp.kind === 'macro' ? { maxNoiseGain: gain, relativeErrorPerNeuron: gain / o.opamp.gain } : null,
    passed: maxVsBehaviouralV <= toleranceV,
  };
}

/** The one-call form: emits the netlist and evaluates the behavioural network and the source itself. */
export async function verifySpice(source: Graph, r: Realized, o: SpiceVerifyOptions): Promise<SpiceVerification> {
  requireGraph(source);
  requireRealized(r);
  if (typeof o !== 'object' || o === null || !Array.isArray(o.samples as unknown) || typeof o.opamp !== 'object' || o.opamp === null) throw usageError(AM.badArgument('SPICE verification', 'options with the samples (an array) and the op-amp model'));
  const netlist = emitNetlist(r, { opamp: o.opamp, title: source.name });
  const behavioural = evaluateTnet(r.tnet, o.samples, { weight: r.weight, bias: r.bias });
  const reference = evaluate(source, o.samples).outputs;
  return crossValidate(r, o, { netlist, behavioural, reference });
}
