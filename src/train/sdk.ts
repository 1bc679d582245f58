// The SDK loop (patent FIG. 1C, seed-targets C12): compile -> realize -> Monte Carlo -> fine-tune with the
// hardware-aware modes, until the realized circuit meets the threshold or the budget runs out. Each iteration is
// measured by ohmnet's own flow (flow/index.ts runFlow: the realized circuit's accuracy and output error on the test
// set, Monte Carlo p5 over resistor tolerance when a tolerance is given), never assumed; each is a row of the table.
// The fine-tuning step (train/index.ts fineTune): quantization-aware training onto the resistor grid of the flow's set
// (one R_f, which the next iteration's realization then uses), with weight noise at the resistor tolerance.
// (Pruning joins the loop when the pruning issue has landed.)

import { usageError } from '../errors.js';
import { SDK_DEFAULTS } from '../presets/defaults.js';
import { TRAIN_MESSAGES as TM } from '../messages/train.js';
import { fullSummary, runFlow, type FlowOptions } from '../flow/index.js';
import type { Graph } from '../ir/ops.js';
import type { Progress } from '../util/progress.js';
import { fineTune } from './index.js';
import type { EpochRow, LabelledSet } from './train.js';

export interface SdkOptions {
  /** The flow's options (resistor set, tolerance, trials, limits...); calibration defaults to the whole training set. */
  readonly flow: FlowOptions;
  readonly train: LabelledSet;
  readonly test: LabelledSet;
  /** Stop once this accuracy (0..1) is met: Monte Carlo p5 with a tolerance, else the nominal realized accuracy. */
  readonly minAccuracy?: number;
  /** Stop once the nominal realized circuit's largest |output error| on the test set is at most this (volts). */
  readonly maxErrorV?: number;
  /** Fine-tuning rounds at most (the budget). */
  readonly maxIterations: number;
  readonly epochsPerIteration: number;
  readonly learningRate: number;
  readonly seed: number;
  readonly workers: number;
  readonly progress?: Progress;
  readonly onRow?: (row: SdkRow) => void;
}

export { SDK_DEFAULTS };

export interface SdkRow {
  readonly iteration: number;
  /** What produced this iteration's model. */
  readonly step: string;
  readonly source: number;
  readonly realized: number;
  readonly monteCarloP5: number | null;
  readonly maxErrorV: number;
  readonly resistors: number;
  readonly meets: boolean;
}

export interface SdkResult {
  readonly rows: SdkRow[];
  readonly graph: Graph;
  readonly met: boolean;
  /** The learning curve of every fine-tuning round (the round before iteration `iteration`'s measurement). */
  readonly rounds: { readonly iteration: number; readonly step: string; readonly history: EpochRow[] }[];
  /** The R_f of the final model's realization (fixed after the first fine-tuning), or null (the flow's own choice). */
  readonly rFeedbackOhm: number | null;
}

export async function sdkLoop(graph: Graph, o: SdkOptions): Promise<SdkResult> {
  if (o.minAccuracy === undefined && o.maxErrorV === undefined) throw usageError(TM.sdkNoThreshold());
  if (o.minAccuracy !== undefined && !(o.minAccuracy >= 0 && o.minAccuracy <= 1)) throw usageError(TM.sdkBadAccuracy(o.minAccuracy));
  if (o.maxErrorV !== undefined && !(o.maxErrorV > 0)) throw usageError(TM.sdkBadError(o.maxErrorV));
  if (!o.test.labels || o.test.labels.length === 0) throw usageError(TM.emptySet('test'));
  const tol = o.flow.toleranceRel ?? 0;
  const stages = tol > 0 ? (['measure', 'montecarlo'] as const) : (['measure'] as const);
  const rows: SdkRow[] = [];
  const rounds: SdkResult['rounds'] = [];
  let current = graph;
  let rf: number | null = o.flow.rFeedbackOhm ?? null;
  let step = 'as given';
  for (let it = 0; ; it++) {
    const flow: FlowOptions = {
      calibration: o.train.samples,
      ...o.flow,
      ...(rf !== null ? { rFeedbackOhm: rf } : {}),
      test: { samples: o.test.samples, labels: o.test.labels },
    };
    const run = await runFlow(current, flow, [...stages], o.progress ? { progress: o.progress } : {});
    const s = fullSummary(run);
    const a = s.accuracy!;
    const p5 = a.monteCarlo?.p5 ?? null;
    const maxErrorV = s.realization.nominal.maxAbsError;
    const accuracy = p5 ?? a.realized;
    const meets = (o.minAccuracy === undefined || accuracy >= o.minAccuracy) && (o.maxErrorV === undefined || maxErrorV <= o.maxErrorV);
    const row: SdkRow = { iteration: it, step, source: a.source, realized: a.realized, monteCarloP5: p5, maxErrorV, resistors: s.realization.resistors, meets };
    rows.push(row);
    o.onRow?.(row);
    if (meets || it >= o.maxIterations) return { rows, graph: current, met: meets, rFeedbackOhm: rf, rounds };
    const tuned = await fineTune(current, o.train, {
      grid: 'resistors',
      ...(o.flow.resistors !== undefined ? { resistors: o.flow.resistors } : {}),
      ...(o.flow.rMinOhm !== undefined ? { rMinOhm: o.flow.rMinOhm } : {}),
      ...(o.flow.rMaxOhm !== undefined ? { rMaxOhm: o.flow.rMaxOhm } : {}),
      ...(o.flow.vRefV !== undefined ? { vRefV: o.flow.vRefV } : {}),
      ...(rf !== null ? { rFeedbackOhm: rf } : {}),
      toleranceRel: tol,
      weightNoiseRel: tol,
      epochs: o.epochsPerIteration,
      learningRate: o.learningRate,
      // Measured after every epoch for the learning curves (it does not steer the training).
      test: o.test,
      seed: o.seed + it,
      workers: o.workers,
      ...(o.progress ? { progress: o.progress } : {}),
    });
    rf = tuned.grid!.rFeedbackOhm!;
    current = tuned.graph;
    step = `QAT on the ${tuned.grid!.setName} grid (R_f ${rf} ohm)${tol > 0 ? `, weight noise ${tol}` : ''}, ${o.epochsPerIteration} epochs`;
    rounds.push({ iteration: it + 1, step, history: tuned.history });
  }
}
