// `ohmnet energy <model> --opamp-preset <name>`: compile and realize the model (the compile and realize flags), run the
// behavioural transient (simulate/transient.ts) of each sample by Binas's protocol (a random previous sample settled,
// then the sample under test), and print the latency percentiles, the energy per inference and per MAC, the power at
// --rate-hz, the per-layer wavefront and energy, and the op-amp model every figure rests on.

import { isOhmnetError, OhmnetError, usageError, type Namer } from '../errors.js';
import { DEFAULTS } from '../presets/defaults.js';
import { openRun, runStages } from '../flow/index.js';
import { importModel } from '../import/index.js';
import { readSampleFile } from '../io/sample-file.js';
import { ENERGY_CLI_MESSAGES as ECM, ENERGY_MESSAGES as EM } from '../messages/energy.js';
import { DYNAMIC_OPAMPS, ENERGY_DEFAULTS, type DynamicOpamp } from '../presets/opamps.js';
import { inspectGraph } from '../report/inspect.js';
import { formatTable, groupDigits } from '../report/table.js';
import { checkOpampFits } from '../simulate/transient.js';
import { estimateEnergy, parseOpampPreset, type EnergyFigures, type Percentiles } from '../simulate/energy.js';
import type { CliIO } from './context.js';
import { modelInfo } from './flow-options.js';
import { flagNamer, flowOptionsFrom } from './option-table.js';
import { importOptionsFrom, parseIntOption, parseNumberOption, type ModelFlags } from './options.js';
import { progressFor } from './progress.js';

export interface EnergyFlags extends ModelFlags {
  [flag: string]: unknown;
  opampPreset?: string;
  rateHz?: string;
  latencyToleranceV?: string;
  inputs?: string;
  samples?: string;
  gating?: boolean;
  gateMargin?: string;
  json?: boolean;
}

/** The energy command's options as flags, then the flow's (messages name options through this). */
const FLAGS: Readonly<Record<string, string>> = { opampPreset: '--opamp-preset', rateHz: '--rate-hz', latencyToleranceV: '--latency-tolerance-v', samples: '--samples', gateMarginRel: '--gate-margin' };
const energyNamer: Namer = (o) => FLAGS[o] ?? flagNamer(o);

/** SI text of a value: 3 significant digits and a prefix, e.g. 1.23 uJ. */
export function si(v: number, unit: string): string {
  if (!Number.isFinite(v)) return `${v} ${unit}`;
  if (v === 0) return `0 ${unit}`;
  const prefixes: [number, string][] = [[1e9, 'G'], [1e6, 'M'], [1e3, 'k'], [1, ''], [1e-3, 'm'], [1e-6, 'u'], [1e-9, 'n'], [1e-12, 'p'], [1e-15, 'f'], [1e-18, 'a']];
  const a = Math.abs(v);
  const [f, p] = prefixes.find(([f]) => a >= f * 0.9995) ?? prefixes[prefixes.length - 1];
  return `${(v / f).toPrecision(3)} ${p}${unit}`;
}

function pct(p: Percentiles, unit: string): string {
  return `mean ${si(p.mean, unit)}, p50 ${si(p.p50, unit)}, p90 ${si(p.p90, unit)}, p99 ${si(p.p99, unit)}, max ${si(p.max, unit)}`;
}

export function opampLine(op: DynamicOpamp): string {
  return `${op.name} (${op.part}): GBW ${si(op.gbwHz, 'Hz')}, slew ${si(op.slewRateVPerS / 1e6, 'V/us')}, Iq ${si(op.iqA, 'A')}, supplies ${op.supplyMinusV} V .. +${op.supplyPlusV} V, A0 ${op.gain}, swing ${op.swingHeadroomV} V inside the rails`;
}

export function energyLines(f: EnergyFigures, signalLimitV: number, on: string): string[] {
  const lines = [
    `op-amp model: ${opampLine(f.opamp)}`,
    `  source: ${f.opamp.source}`,
    `  assumptions: ${f.opamp.assumptions.join('; ')}`,
    `  ${ECM.header}`,
    `network: ${groupDigits(f.opamps)} op-amps, ${groupDigits(f.macs)} MACs, signal limit ${signalLimitV} V; closed-loop poles ${si(f.slowestPoleHz, 'Hz')} .. ${si(f.fastestPoleHz, 'Hz')}`,
    `${f.samples} samples (${on}), Binas's protocol (a random previous sample settled, then the sample); ${groupDigits(f.steps)} steps (${groupDigits(f.rejectedSteps)} rejected)`,
    `latency (every output within ${f.latencyToleranceV} V of DC and the class fixed): ${pct(f.latencyS, 's')}`,
    `  class fixed for good (Binas): ${pct(f.classLatencyS, 's')}`,
    `energy per inference (to the latency): ${pct(f.energyPerInferenceJ, 'J')}`,
    `  by source (mean): op-amp quiescent ${si(f.energyParts.quiescentJ, 'J')}, op-amp output stages ${si(f.energyParts.outputStageJ, 'J')}, inputs ${si(f.energyParts.inputsJ, 'J')}, V_ref ${si(f.energyParts.referenceJ, 'J')}; of which dissipated in resistors ${si(f.energyParts.resistorJ, 'J')}`,
    `energy per MAC: ${si(f.energyPerMacJ, 'J')}`,
  ];
  if (f.rateHz !== null && f.powerW !== null && f.energyPerPeriodJ !== null) {
    lines.push(`at ${si(f.rateHz, 'Hz')} (period ${si(1 / f.rateHz, 's')}): average power ${si(f.powerW, 'W')}, energy per period ${si(f.energyPerPeriodJ, 'J')}`);
  } else {
    lines.push(`power: give --rate-hz for the average power at an inference rate (at most ${si(1 / f.latencyS.max, 'Hz')} for these samples)`);
  }
  lines.push('per layer (the wavefront: when the layer\'s last output settled; op-amp supply energy to the latency):');
  lines.push(formatTable(
    ['layer', 'op', 'neurons', 'op-amps', 'settled p50', 'settled max', 'energy/inference'],
    f.layers.map((l) => [l.layer, l.op, l.neurons, l.opamps, si(l.settleS.p50, 's'), si(l.settleS.max, 's'), si(l.energyPerInferenceJ, 'J')]),
    [false, false, true, true, true, true, true],
  ).split('\n').map((l) => `  ${l}`).join('\n'));
  if (f.gating) lines.push(...gatingLines(f, on));
  if (f.overCurrentOpamps > 0) lines.push(ECM.overCurrent(f.overCurrentOpamps, f.opamp.outputCurrentLimitA, f.peakOutputCurrentA));
  return lines;
}

/** The power-gating part of the text output: the schedule, the figures with and without gating, the check. */
export function gatingLines(f: EnergyFigures, on: string): string[] {
  const g = f.gating!;
  const c = g.check;
  const lines = [
    `power gating (schedule: each layer off at ${g.marginRel} x the latest settling of it and the layers it feeds; ${ECM.gatedOpamp}):`,
    formatTable(
      ['layer', 'settled max', 'consumers settled', 'off at', 'sample-and-hold', 'energy/inference gated'],
      g.layers.map((l) => [l.layer, si(l.settledS, 's'), si(l.consumersSettledS, 's'), si(l.offS, 's'), l.sampleAndHold ? 'yes' : 'no', si(l.energyPerInferenceJ, 'J')]),
      [false, true, true, true, false, true],
    ).split('\n').map((l) => `  ${l}`).join('\n'),
    `  active set after each switch: ${g.activeSet.map((a) => `${si(a.fromS, 's')}..${Number.isFinite(a.toS) ? si(a.toS, 's') : 'next switch'}: ${a.layers.length === 0 ? 'none' : `layers ${a.layers.join(', ')}`}`).join('; ')}`,
    `  latency with gating: ${pct(g.latencyS, 's')}`,
    `  energy per inference: ${si(f.energyPerInferenceJ.mean, 'J')} without gating, ${si(g.energyPerInferenceJ.mean, 'J')} with gating; per MAC ${si(f.energyPerMacJ, 'J')} / ${si(g.energyPerMacJ, 'J')}`,
  ];
  if (f.powerW !== null && g.powerW !== null && f.rateHz !== null) lines.push(`  at ${si(f.rateHz, 'Hz')}: average power ${si(f.powerW, 'W')} without gating, ${si(g.powerW, 'W')} with gating`);
  lines.push(c.passed
    ? `gating check: PASS on ${c.samples} samples (${on}): every output at the end of the gated run within ${c.toleranceV} V of the ungated output (largest ${si(c.maxDeviationV, 'V')}), every class kept`
    : `gating check: FAIL on ${c.samples} samples (${on}): ${c.failedSamples.length} samples end more than ${c.toleranceV} V from the ungated outputs or with another class (largest deviation ${si(c.maxDeviationV, 'V')}; first failing sample ${c.failedSamples[0]}); the schedule gates a layer too early: raise --gate-margin`);
  return lines;
}

export async function energyCommand(model: string, flags: EnergyFlags, io: CliIO): Promise<number> {
  try {
    return await energy(model, flags, io);
  } catch (e) {
    // The command's own options are named by their flags (the shared namer knows the flow's only).
    if (isOhmnetError(e)) throw new OhmnetError(e.kind, e.messageWith(energyNamer));
    throw e;
  }
}

async function energy(model: string, flags: EnergyFlags, io: CliIO): Promise<number> {
  if (!flags.opampPreset) throw usageError(ECM.presetRequired(Object.keys(DYNAMIC_OPAMPS)));
  const opamp = parseOpampPreset(String(flags.opampPreset));
  const tolerance = flags.latencyToleranceV === undefined ? ENERGY_DEFAULTS.latencyToleranceV : parseNumberOption('--latency-tolerance-v', String(flags.latencyToleranceV));
  if (!(tolerance > 0)) throw usageError(EM.badTolerance(tolerance));
  const rateHz = flags.rateHz === undefined ? undefined : parseNumberOption('--rate-hz', String(flags.rateHz));
  if (rateHz !== undefined && !(rateHz > 0 && Number.isFinite(rateHz))) throw usageError(EM.badRate(rateHz));
  if (flags.gateMargin !== undefined && !flags.gating) throw usageError(ECM.gateMarginWithoutGating());
  const gateMarginRel = !flags.gating ? undefined : flags.gateMargin === undefined ? ENERGY_DEFAULTS.gateMarginRel : parseNumberOption('--gate-margin', String(flags.gateMargin));
  if (gateMarginRel !== undefined && !(gateMarginRel > 0 && Number.isFinite(gateMarginRel))) throw usageError(EM.badGateMargin(gateMarginRel));
  const count = flags.samples === undefined ? ENERGY_DEFAULTS.samples : parseIntOption('--samples', String(flags.samples), 1);
  const graph = importModel(model, importOptionsFrom(flags));
  const given = flowOptionsFrom(flags, graph, ['compile', 'test', 'realize']);
  // The signal limit defaults to what the op-amp's supplies allow (symmetric about the signal ground).
  const signalLimitV = given.signalLimitV ?? Math.min(opamp.supplyPlusV, -opamp.supplyMinusV);
  checkOpampFits(opamp, signalLimitV);
  const inputs = flags.inputs ? readSampleFile(flags.inputs, graph.input.shape, typeof flags.labelColumn === 'string' ? flags.labelColumn : undefined) : null;
  const options = { ...given, signalLimitV, ...(inputs ? { test: inputs } : {}) };
  const run = openRun(graph, options, { model: modelInfo(model), progress: progressFor(io, flags.json) });
  await runStages(run, ['realize']);
  const r = run.requireRealization().realized;
  const set = run.evaluation;
  const samples = set.samples.slice(0, count);
  const macs = inspectGraph(graph).totals.macs;
  const figures = estimateEnergy(r, samples, { opamp, latencyToleranceV: tolerance, macs, ...(rateHz !== undefined ? { rateHz } : {}), ...(gateMarginRel !== undefined ? { gateMarginRel } : {}), seed: given.seed ?? DEFAULTS.seed });
  const on = `${inputs ? 'the --inputs' : set.name} set, first ${samples.length}`;
  if (flags.json) {
    io.out(JSON.stringify({ on, signalLimitV, ...figures }, (_k, v: unknown) => (v instanceof Float64Array ? Array.from(v) : v === Infinity ? null : v), 2));
  } else {
    io.out(energyLines(figures, signalLimitV, on).join('\n'));
  }
  // A gating schedule that changes an output is a failed verdict, never exit 0.
  return figures.gating && !figures.gating.check.passed ? 1 : 0;
}
