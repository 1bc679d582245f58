// Fine-tuning an imported model (the API behind `ohmnet train`): the IR graph's weights trained on a labelled sample
// set with the hardware-aware modes, returned as a new Graph with the same nodes (io/onnx-export.ts writes it back as
// ONNX). Options are resolved here once against TRAIN_DEFAULTS and the realization defaults.

import { usageError } from '../errors.js';
import { TRAIN_MESSAGES as TM } from '../messages/train.js';
import type { Graph } from '../ir/ops.js';
import { resolveRealizationOptions, resolveResistorSet, type RealizationOptions } from '../realize/stage.js';
import { PairTableCache } from '../realize/pairs.js';
import { DEFAULTS } from '../presets/defaults.js';
import type { Progress } from '../util/progress.js';
import { checkGridRealizable, GRID_PRESETS, patentFeedback, resistorGrid, valueGrid, type GridPreset, type LayerGrid } from './grid.js';
import { isBiasParam, isWeightParam, TrainModel } from './model.js';
import { trainModel, TRAIN_DEFAULTS, type EpochRow, type LabelledSet, type LossKind, type TrainOptions } from './train.js';

export { TrainModel } from './model.js';
export { trainModel, evaluateSet, TRAIN_DEFAULTS, type TrainOptions, type EpochRow, type LabelledSet } from './train.js';
export { GRID_PRESETS } from './grid.js';

export const GRID_NAMES = [...Object.keys(GRID_PRESETS), 'resistors'] as const;
export type GridName = GridPreset | 'resistors';

export interface FineTuneOptions extends Pick<RealizationOptions, 'resistors' | 'rMinOhm' | 'rMaxOhm' | 'rFeedbackOhm' | 'toleranceRel' | 'vRefV'> {
  /** Default: cross-entropy with 2 or more outputs, MSE with one. */
  readonly loss?: LossKind;
  readonly optimizer?: 'adam' | 'sgd';
  readonly learningRate?: number;
  readonly momentum?: number;
  readonly epochs?: number;
  readonly batchSize?: number;
  readonly seed?: number;
  readonly workers?: number;
  readonly l1?: number;
  readonly l2?: number;
  readonly l1Negative?: number;
  readonly rangePenalty?: number;
  readonly weightNoiseRel?: number;
  readonly signalNoiseRel?: number;
  /** Quantization-aware training onto a weight grid: a patent preset, or the realization grid of the resistor set. */
  readonly grid?: GridName;
  readonly test?: LabelledSet;
  readonly progress?: Progress;
  readonly onEpoch?: (row: EpochRow) => void;
}

export interface GridInfo {
  readonly name: GridName;
  readonly setName?: string;
  /** The resistor grid's R_f (compile with feedback fixed at this value to realize the trained weights pair for pair). */
  readonly rFeedbackOhm?: number;
  /** Largest |weight| the grid holds. */
  readonly maxAbs: number;
  readonly source: string;
}

export interface FineTuneResult {
  readonly graph: Graph;
  readonly history: EpochRow[];
  readonly loss: LossKind;
  readonly grid: GridInfo | null;
}

/** The weight grid of the options for the model (null: float training). */
export function resolveGrid(model: TrainModel, o: FineTuneOptions): { grid: LayerGrid; info: GridInfo } | null {
  if (o.grid === undefined) return null;
  if (!(GRID_NAMES as readonly string[]).includes(o.grid)) throw usageError(TM.unknownGrid(String(o.grid), GRID_NAMES));
  const r = resolveRealizationOptions({ ...pick(o), seed: o.seed ?? DEFAULTS.seed });
  if (/^optimal/i.test(r.resistors)) throw usageError(TM.gridNeedsFixedSet(r.resistors));
  // An E-series or a file of values: the T-network argument serves only the optimal-set search, refused above.
  const set = resolveResistorSet(r.resistors, r.rMinOhm, r.rMaxOhm, null as never, r.toleranceRel, r.vRefV, r.seed);
  if (o.grid !== 'resistors') {
    const preset = GRID_PRESETS[o.grid];
    checkGridRealizable(o.grid, preset.values, set.values, set.name);
    return { grid: valueGrid(preset.values), info: { name: o.grid, setName: set.name, maxAbs: Math.max(...preset.values.map(Math.abs)), source: preset.source } };
  }
  let wMax = 0;
  for (const p of model.params) {
    const s = isBiasParam(p) ? r.vRefV : 1;
    if (isWeightParam(p) || isBiasParam(p)) for (const v of p.value) wMax = Math.max(wMax, Math.abs(v) / s);
  }
  const rf = r.rFeedbackOhm ?? patentFeedback(set.values, wMax);
  if (r.rFeedbackOhm !== null && !set.values.some((v) => Math.abs(v - rf) <= 1e-9 * rf)) throw usageError(TM.feedbackNotInSet(rf, set.name));
  const table = new PairTableCache(set.values, r.toleranceRel).get(rf);
  return {
    grid: resistorGrid(table, r.vRefV),
    info: { name: 'resistors', setName: set.name, rFeedbackOhm: rf, maxAbs: table.maxAbs, source: 'realize/pairs.ts: the pair table and bestOption realize() uses for each weight' },
  };
}

function pick(o: FineTuneOptions): RealizationOptions {
  const out: Record<string, unknown> = {};
  for (const k of ['resistors', 'rMinOhm', 'rMaxOhm', 'rFeedbackOhm', 'toleranceRel', 'vRefV'] as const) if (o[k] !== undefined) out[k] = o[k];
  return out as RealizationOptions;
}

/** Trains a copy of the graph's weights; the graph itself is not changed. */
export async function fineTune(graph: Graph, train: LabelledSet, options: FineTuneOptions = {}): Promise<FineTuneResult> {
  const loss: LossKind = options.loss ?? (isSingleOutput(graph) ? 'mse' : 'cross-entropy');
  const model = new TrainModel(graph, loss === 'cross-entropy');
  const g = resolveGrid(model, options);
  const opts: TrainOptions = {
    ...TRAIN_DEFAULTS,
    ...strip(options),
    loss,
    seed: options.seed ?? DEFAULTS.seed,
    grid: g ? (p) => (isWeightParam(p) || isBiasParam(p) ? g.grid : null) : null,
  };
  const r = await trainModel(model, train, opts);
  return { graph: model.toGraph(), history: r.history, loss, grid: g?.info ?? null };
}

function isSingleOutput(graph: Graph): boolean {
  return new TrainModel(graph).outputSize === 1;
}

function strip(o: FineTuneOptions): Partial<TrainOptions> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined && !['grid', 'resistors', 'rMinOhm', 'rMaxOhm', 'rFeedbackOhm', 'toleranceRel', 'vRefV'].includes(k)) out[k] = v;
  return out as Partial<TrainOptions>;
}
