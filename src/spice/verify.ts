// Cross-validation of the netlist (SPEC C7; patent "Example Process for Generating Schematic Models": mathematical
// equivalence |V_L - V_M| < eps for every output, functional equivalence = the same classes): the netlist of the
// realized network is solved by a real SPICE engine for N input samples, and its outputs are compared with the
// behavioural simulation of the same realized network (same resistors, the same op-amp model: ideal, or the macro
// model's DC transfer, simulate/realized.ts) and with the source model. One tolerance for both models: the behavioural
// macro model is exact at DC, so SPICE agrees with it as closely as an ideal netlist agrees with the ideal simulation.

import { API_MESSAGES as AM } from '../messages/index.js';
import { requireGraph } from '../ir/validate.js';
import { requireRealized } from '../realize/realize.js';
import type { Graph } from '../ir/ops.js';
import { evaluate } from '../reference/evaluate.js';
import type { Realized } from '../realize/realize.js';
import type { TNet } from '../tnet/types.js';
import { readout, type TnetEvaluation } from '../tnet/evaluate.js';
import { usageError } from '../errors.js';
import { ohms } from '../util/format.js';
import { SM } from '../messages/index.js';
import { DEFAULTS } from '../presets/defaults.js';
import { compareOutputs, realizedTrace, simulateRealized } from '../simulate/realized.js';
import { networkTiming } from '../circuit/build.js';
import { inputPoints, readTimeS, type ClockTiming } from '../circuit/clock.js';
import type { Waveform } from './engines/types.js';
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
  /** What the behavioural simulation SPICE is compared with models of the op-amp. */
  readonly behaviouralModel: string;
  /** Macro model: max over samples and outputs of |behavioural with it - behavioural with ideal op-amps| at out<k>
   * in volts, how far the macro op-amp (finite gain, Rin, Rout, swing) moves the outputs: modelled by the reference
   * SPICE is compared with, so not an error. Null for ideal op-amps (or when the caller gave no ideal evaluation). */
  readonly opampEffectV: number | null;
  /**
   * A clocked network's transient run (docs/spice.md "Clocked networks"): the tick period, the ticks per sample and
   * how many ticks were compared (every tick of every sample, not only the read ticks); absent for a DC verification.
   */
  readonly transient?: { readonly tickS: number; readonly ticks: number; readonly comparedTicks: number; readonly runs: number };
  /**
   * Partitioned verification (spice/partition.ts, docs/spice.md "Partitioned verification"): how many partitions, the
   * size asked for, the largest partition's neurons and inputs; absent when the whole netlist was solved at once.
   */
  readonly partitions?: { readonly count: number; readonly maxNeurons: number; readonly largestNeurons: number; readonly largestInputs: number };
  readonly passed: boolean;
}

/** What the behavioural simulation models of an op-amp model (the DC part of the macro model). */
export function behaviouralModelText(m: OpampModel): string {
  return m.kind === 'ideal'
    ? 'ideal op-amps (infinite open-loop gain)'
    : `macro op-amps at DC: open-loop gain A0 ${m.gain}, Rin ${ohms(m.rinOhm)}, Rout ${ohms(m.routOhm)}, swing headroom ${m.swingHeadroomV} V`;
}

/** What the cross-validation compares SPICE with, computed by the caller (the flow computes each once). */
export interface SpiceComparison {
  /** The netlist text (its VIN<k> values are set per sample by the engine). */
  readonly netlist: string;
  /** The behavioural realized network on the samples (same resistors, the netlist's op-amp model: simulateRealized
   * with it; no converters). */
  readonly behavioural: TnetEvaluation;
  /** With a macro op-amp, the behavioural network with ideal op-amps (for opampEffectV); optional. */
  readonly ideal?: TnetEvaluation;
  /** The source model's final outputs on the samples. */
  readonly reference: readonly ArrayLike<number>[];
}

/** Solves the netlist for every sample and compares with the behavioural simulation and the source model. */
export async function crossValidate(r: Realized, o: SpiceVerifyOptions, c: SpiceComparison): Promise<SpiceVerification> {
  requireRealized(r);
  if (typeof o !== 'object' || o === null || !Array.isArray(o.samples as unknown)) throw usageError(AM.badArgument('SPICE verification', 'options with the samples (an array) and the op-amp model'));
  const net = r.tnet;
  if (o.samples.length === 0) throw usageError(SM.verifyNoSamples());
  const physical = o.samples.map((x) => Array.from(x, (v) => net.inputGain * v));
  const probes = Array.from(net.outputSignal, (_, k) => `out${k}`);
  const engine = await createEngine(o.engine);
  let result: SpiceSolution;
  let clocked: ClockedRun | null = null;
  try {
    if (net.clock) {
      clocked = await transientRuns(r, engine, o, c.netlist, physical, probes);
      result = { voltages: clocked.readVoltages, engine: engine.name, seconds: clocked.seconds };
    } else {
      result = await engine.operatingPoints({ netlist: c.netlist, inputs: physical, probes, ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}) });
    }
  } finally {
    await engine.dispose?.();
  }
  return compareSolution(r, o, c, result, clocked);
}

/** The engine's solution at the output probes, per sample (volts), compared as crossValidate compares it. */
export interface SpiceSolution {
  readonly voltages: Float64Array[];
  readonly engine: string;
  readonly seconds: number;
}

/**
 * Compares a SPICE solution of the outputs (whole netlist, or composed from partitions: spice/partition.ts) with the
 * behavioural simulation and the source model.
 */
export function compareSolution(r: Realized, o: SpiceVerifyOptions, c: SpiceComparison, result: SpiceSolution, clocked: ClockedRun | null = null): SpiceVerification {
  const net = r.tnet;
  const spiceOut = result.voltages.map((v) => readout(net, v).output);
  return compareReadOut({ railV: net.railV, outputScale: net.outputScale, clock: net.clock }, o, c, result, spiceOut, clocked);
}

/** What compareSolution needs of the network: its rails, its outputs' readout scales and its clock. */
export interface ComparedNetwork {
  readonly railV: number | null;
  readonly outputScale: ArrayLike<number>;
  readonly clock: TNet['clock'];
}

/**
 * compareSolution with SPICE's outputs already read out (readout scales and tail applied): the comparison a merge of
 * sharded SPICE runs repeats on the shards' per-sample results (src/scale/shard.ts).
 */
export function compareReadOut(net: ComparedNetwork, o: Pick<SpiceVerifyOptions, 'opamp' | 'samples' | 'toleranceV' | 'classThreshold'>, c: Omit<SpiceComparison, 'netlist'>, result: SpiceSolution, spiceOut: readonly ArrayLike<number>[], clocked: ClockedRun | null = null): SpiceVerification {
  const rail = net.railV ?? DEFAULTS.signalLimitV;
  const probes = Array.from(net.outputScale, (_, k) => `out${k}`);
  const { behavioural, reference } = c;
  const nOut = probes.length;
  const perOutput: OutputAgreement[] = probes.map((_, k) => {
    let vb = 0;
    let vs = 0;
    result.voltages.forEach((v, s) => {
      // A clocked network's outputs are every read tick's, concatenated (output k of read tick j at j nOut + k).
      for (let j = k; j < v.length; j += nOut) {
        vb = Math.max(vb, Math.abs(v[j] - behavioural.analog[s][j] / net.outputScale[k]));
        vs = Math.max(vs, Math.abs(spiceOut[s][j] - reference[s][j]));
      }
    });
    // Every tick, not only the read ticks: against the time-stepped behavioural simulation.
    clocked?.everyTick.forEach((ticks, s) => ticks.forEach((v, t) => (vb = Math.max(vb, Math.abs(v[k] - clocked!.trace[s][t][k])))));
    return { output: k, maxVsBehaviouralV: vb, maxVsSource: vs };
  });
  const toleranceV = o.toleranceV ?? DEFAULTS.spiceToleranceRailRel * rail;
  let opampEffectV: number | null = null;
  if (o.opamp.kind === 'macro' && c.ideal) {
    opampEffectV = 0;
    for (let s = 0; s < behavioural.analog.length && s < o.samples.length; s++) {
      for (let k = 0; k < probes.length; k++) opampEffectV = Math.max(opampEffectV, Math.abs(behavioural.analog[s][k] - c.ideal.analog[s][k]) / net.outputScale[k]);
    }
  }
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
    behaviouralModel: behaviouralModelText(o.opamp),
    opampEffectV,
    ...(clocked && net.clock ? { transient: { tickS: clocked.timing.tickS, ticks: net.clock.ticks, comparedTicks: o.samples.length * net.clock.ticks, runs: clocked.runs } } : {}),
    passed: maxVsBehaviouralV <= toleranceV,
  };
}

/** The one-call form: emits the netlist and evaluates the behavioural network (with the op-amp model) and the source. */
export async function verifySpice(source: Graph, r: Realized, o: SpiceVerifyOptions): Promise<SpiceVerification> {
  requireGraph(source);
  requireRealized(r);
  if (typeof o !== 'object' || o === null || !Array.isArray(o.samples as unknown) || typeof o.opamp !== 'object' || o.opamp === null) throw usageError(AM.badArgument('SPICE verification', 'options with the samples (an array) and the op-amp model'));
  const netlist = emitNetlist(r, { opamp: o.opamp, title: source.name });
  const behavioural = simulateRealized(r, o.samples, o.opamp);
  const ideal = o.opamp.kind === 'macro' ? simulateRealized(r, o.samples) : undefined;
  const reference = evaluate(source, o.samples).outputs;
  return crossValidate(r, o, { netlist, behavioural, reference, ...(ideal ? { ideal } : {}) });
}

/** What the transient runs of a clocked network gave: its outputs at every tick, and the behavioural trace. */
interface ClockedRun {
  readonly timing: ClockTiming;
  /** Per sample, the SPICE outputs at the read ticks, concatenated (the layout of TnetEvaluation.analog, in volts). */
  readonly readVoltages: Float64Array[];
  /** Per sample, per tick, v(out<k>) from SPICE. */
  readonly everyTick: Float64Array[][];
  /** Per sample, per tick, the behavioural realized network's output voltages. */
  readonly trace: Float64Array[][];
  readonly runs: number;
  readonly seconds: number;
}

/**
 * Printed cells per transient run at most: read times x (outputs + 2), the time and index columns included. The wasm
 * engine keeps ~10^6 characters of output, ~26 per cell (engines/transient.ts transientOutputChars).
 */
export const TRANSIENT_CELLS_PER_RUN = 24_000;

/**
 * The transient verification of a clocked network (docs/spice.md "Clocked networks"): the samples' ticks one after
 * another in as few runs as keep TRANSIENT_CELLS_PER_RUN printed cells each, every VIN<k> a piecewise-linear waveform of
 * one value per tick, every output read at the end of every tick.
 */
async function transientRuns(r: Realized, engine: Awaited<ReturnType<typeof createEngine>>, o: SpiceVerifyOptions, netlist: string, physical: readonly number[][], probes: readonly string[]): Promise<ClockedRun> {
  const net = r.tnet;
  const clock = net.clock!;
  const ticks = clock.ticks;
  const nIn = net.inputCount;
  const timing = networkTiming(r, o.opamp);
  const perRun = Math.max(1, Math.floor(TRANSIENT_CELLS_PER_RUN / (ticks * (probes.length + 2))));
  const everyTick: Float64Array[][] = [];
  let seconds = 0;
  let runs = 0;
  for (let from = 0; from < physical.length; from += perRun) {
    const chunk = physical.slice(from, from + perRun);
    const inputs: Waveform[] = Array.from({ length: nIn }, (_, j) => ({
      kind: 'pwl',
      points: inputPoints(timing, chunk.flatMap((x) => Array.from({ length: ticks }, (_, t) => x[t * nIn + j]))),
    }));
    const total = chunk.length * ticks;
    const stopTimeS = readTimeS(timing, total - 1);
    const res = await engine.transient({
      netlist, inputs, probes, stopTimeS, maxStepS: timing.maxStepS,
      readTimesS: Array.from({ length: total }, (_, g) => readTimeS(timing, g)),
      // One minute, and two seconds per simulated tick (a tick of the 180-block LSTM took 0.2 s with the binary,
      // 1 s with the wasm engine on a loaded machine).
      timeoutMs: o.timeoutMs ?? 60_000 + 2000 * total,
    });
    seconds += res.seconds;
    runs++;
    for (let s = 0; s < chunk.length; s++) everyTick.push(res.voltages.slice(s * ticks, (s + 1) * ticks));
  }
  const readVoltages = everyTick.map((tv) => {
    const out = new Float64Array(clock.readTicks.length * probes.length);
    clock.readTicks.forEach((t, j) => out.set(tv[t], j * probes.length));
    return out;
  });
  const trace = realizedTrace(r, o.samples, o.opamp);
  return { timing, readVoltages, everyTick, trace, runs, seconds };
}
