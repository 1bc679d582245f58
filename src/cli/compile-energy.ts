// compile --energy (issue 12): the energy request checked before any work, and the energy section and power-gating
// verdict of a run (the behavioural transient without and with power gating on the first samples of the evaluated set,
// and one inference's waveforms). `report` re-renders a project compiled with --energy through the same functions.

import { isOhmnetError, OhmnetError, usageError, type Namer } from '../errors.js';
import type { Run } from '../flow/run.js';
import { ENERGY_CLI_MESSAGES as ECM, ENERGY_MESSAGES as EM } from '../messages/energy.js';
import { ENERGY_DEFAULTS, type DynamicOpamp } from '../presets/opamps.js';
import { inspectGraph } from '../report/inspect.js';
import type { FullSummary } from '../report/summary.js';
import type { Verdict } from '../report/verdicts.js';
import { energyWaveform, estimateEnergy, parseOpampPreset, type EnergySummary } from '../simulate/energy.js';
import { checkOpampFits } from '../simulate/transient.js';
import { flagNamer } from './option-table.js';
import { parseNumberOption } from './options.js';

/** The energy options of compile as flags (messages name them through this; the rest as the flow's). */
const ENERGY_FLAGS: Readonly<Record<string, string>> = { opampPreset: '--energy', rateHz: '--rate-hz' };
const compileEnergyNamer: Namer = (o) => ENERGY_FLAGS[o] ?? flagNamer(o);

/** Runs `work`, naming the energy options by compile's flags in its errors. */
function withEnergyFlags<T>(work: () => T): T {
  try {
    return work();
  } catch (e) {
    if (isOhmnetError(e)) throw new OhmnetError(e.kind, e.messageWith(compileEnergyNamer));
    throw e;
  }
}

/** compile --energy: the parsed preset and rate, checked before any work. */
/** What compile --energy asks for; recorded in the project file so `report` re-renders the same section. */
export interface EnergyRequest {
  readonly opamp: DynamicOpamp;
  readonly rateHz: number | undefined;
}

export function energyRequest(flags: { energy?: unknown; rateHz?: unknown }, signalLimitV: number): EnergyRequest | null {
  if (flags.energy === undefined) {
    if (flags.rateHz !== undefined && flags.rateHz !== null) throw usageError(ECM.rateWithoutEnergy());
    return null;
  }
  return withEnergyFlags(() => {
    const opamp = parseOpampPreset(String(flags.energy));
    checkOpampFits(opamp, signalLimitV);
    const rateHz = flags.rateHz === undefined ? undefined : parseNumberOption('--rate-hz', String(flags.rateHz));
    if (rateHz !== undefined && !(rateHz > 0 && Number.isFinite(rateHz))) throw usageError(EM.badRate(rateHz));
    return { opamp, rateHz };
  });
}

/**
 * summary.json's energy section and the gating verdict: the behavioural transient of the first samples of the
 * evaluation set by Binas's protocol, without and with power gating, and one inference's waveforms.
 */
export function energyOf(run: Run, req: EnergyRequest): { energy: EnergySummary; verdict: Verdict } {
  const r = run.requireRealization().realized;
  const set = run.evaluation;
  const samples = set.samples.slice(0, ENERGY_DEFAULTS.compileSamples);
  const seed = run.options.realization.seed;
  const tol = ENERGY_DEFAULTS.latencyToleranceV;
  const signalLimitV = run.requireCompiled().options.signalLimitV;
  const figures = withEnergyFlags(() => estimateEnergy(r, samples, {
    opamp: req.opamp, latencyToleranceV: tol, macs: inspectGraph(run.graph).totals.macs, seed, gateMarginRel: ENERGY_DEFAULTS.gateMarginRel,
    ...(req.rateHz !== undefined ? { rateHz: req.rateHz } : {}),
  }));
  const g = figures.gating!;
  const waveform = energyWaveform(r, samples, 0, seed, { opamp: req.opamp, latencyToleranceV: tol }, g.layers.map((l) => l.offS));
  const verdict: Verdict = {
    check: 'power-gating', pass: g.check.passed, value: g.check.maxDeviationV, threshold: tol, bound: 'max', unit: 'V', on: set.name, samples: samples.length,
    detail: `max |gated - ungated output| at the end of the behavioural transient (op-amp ${req.opamp.name}, schedule ${g.marginRel} x the settling times); threshold the latency tolerance; ${g.check.failedSamples.length} samples failed`,
  };
  return { energy: { on: `${set.name} set, first ${samples.length}`, signalLimitV, ...figures, waveform }, verdict };
}

/** The summary with the energy section and the power-gating verdict added. */
export function withEnergy(summary: FullSummary, run: Run, req: EnergyRequest): FullSummary {
  const { energy, verdict } = energyOf(run, req);
  return { ...summary, verdicts: [...summary.verdicts, verdict], energy };
}
