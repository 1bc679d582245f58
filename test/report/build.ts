// Report data the way `ohmnet compile` gathers it, built in-process from a fixture model, for the report tests.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importModel } from '../../src/import/index.js';
import { realizeCompiled } from '../../src/flow/index.js';
import type { ReportData } from '../../src/report/data.js';
import { inspectGraph } from '../../src/report/inspect.js';
import { addRealization, summarize } from '../../src/report/summary.js';
import { parseOpamp } from '../../src/spice/models.js';
import { verifySpice } from '../../src/spice/verify.js';
import { compileGraph } from '../../src/transform/pipeline.js';
import { FIXTURES } from '../helpers.js';

export interface BuildOptions {
  readonly fanIn?: number;
  readonly fanOut?: number;
  readonly resistors: string;
  readonly tolerance: number;
  readonly trials: number;
  /** Samples solved by SPICE (wasm engine, ideal op-amps); 0: no SPICE. */
  readonly spiceSamples: number;
  readonly feedbackPer?: 'layer' | 'neuron';
}

/** The report data of a fixture model compiled on its sample inputs (`inputs`: a fixture JSON with "inputs"). */
export async function buildReportData(model: string, inputs: string, o: BuildOptions): Promise<ReportData> {
  const graph = importModel(join(FIXTURES, model));
  const calibration = (JSON.parse(readFileSync(join(FIXTURES, inputs), 'utf8')) as { inputs: number[][] }).inputs;
  const fanIn = o.fanIn ?? 32;
  const fanOut = o.fanOut ?? 32;
  const compiled = compileGraph(graph, { fanIn, fanOut, calibration });
  const r = await realizeCompiled(graph, compiled, { resistors: o.resistors, toleranceRel: o.tolerance, trials: o.trials, feedbackPer: o.feedbackPer });
  const spice = o.spiceSamples > 0
    ? await verifySpice(graph, r.realized, { engine: 'wasm', opamp: parseOpamp('ideal'), samples: calibration.slice(0, o.spiceSamples) })
    : null;
  const summary = addRealization(summarize(graph, compiled, `fixtures/${model}`), r.summary, spice);
  return {
    summary, inspect: inspectGraph(graph), tnet: compiled.tnet, realized: r.realized, monteCarloTrials: r.trials,
    options: { 'fan-in': fanIn, 'fan-out': fanOut, resistors: o.resistors, tolerance: o.tolerance > 0 ? o.tolerance : null, verify: o.spiceSamples > 0 },
  };
}
