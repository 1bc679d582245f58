// The report's time axis for a clocked (recurrent) network: summary.json `clock` (blocks by kind, read ticks) and
// `layerError.ticks` (the realized circuit against the ideal network at every tick), and the report section they
// feed; a feed-forward network has neither (its summary and report stay as they were).

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fullSummary, openRun, runStages } from '../../src/flow/index.js';
import { reportDataOf } from '../../src/flow/outputs.js';
import { importModel } from '../../src/import/index.js';
import { renderReport } from '../../src/report/html.js';
import { flowOptionsFrom } from '../../src/cli/option-table.js';
import { modelInfo } from '../../src/cli/flow-options.js';
import { progressFor } from '../../src/cli/progress.js';
import type { CliIO } from '../../src/cli/context.js';
import { FIXTURES } from '../helpers.js';

const quiet: CliIO = { out: () => {}, err: () => {}, interactive: false };

async function summaryOf(model: string, calibration: string) {
  const g = importModel(model);
  const run = openRun(g, flowOptionsFrom({ calibration }, g, ['compile', 'test', 'realize', 'verdict', 'spice']), { model: modelInfo(model), progress: progressFor(quiet, true), debug: null });
  await runStages(run, ['measure']);
  const s = fullSummary(run);
  return { s, html: await renderReport(reportDataOf(run, s)) };
}

describe('the time axis in the summary and the report', () => {
  it('a recurrent model: blocks by kind, read ticks, the error at every tick, and the section', async () => {
    const f = join(FIXTURES, 'recurrent', 'lstm_seq_bf.json');
    const { s, html } = await summaryOf(join(FIXTURES, 'recurrent', 'lstm_seq_bf.onnx'), f);
    // LSTM(3 -> 8) over 6 steps, sequence output: 8 units x (4 gates + C sum + tanh C) summators, 3 multipliers, 2 delays.
    expect(s.clock).toMatchObject({ ticks: 6, readTicks: [0, 1, 2, 3, 4, 5], summators: 48, multipliers: 24, delaysByTicks: [{ ticks: 1, count: 16 }], stateStartTicks: [0] });
    expect(s.clock!.summatorsByActivation).toEqual({ sigmoid: 24, tanh: 16, identity: 8 });
    const t = s.layerError!.ticks!;
    expect(t.outputMaxAbsErrorV).toHaveLength(6);
    expect(t.signalMaxAbsErrorV).toHaveLength(6);
    // Every block output is within the rails; the realized circuit differs from the ideal one by resistor rounding only.
    for (let k = 0; k < 6; k++) {
      expect(t.signalMinV[k]).toBeGreaterThanOrEqual(-5);
      expect(t.signalMaxV[k]).toBeLessThanOrEqual(5);
      expect(t.outputMaxAbsErrorV[k]).toBeLessThanOrEqual(t.signalMaxAbsErrorV[k]);
      expect(t.signalMaxAbsErrorV[k]).toBeLessThan(0.05 * 5);
    }
    expect(html).toContain('<section id="time">');
    expect(html).toContain('Clock, blocks and error per tick');
    expect(html).toMatch(/multipliers<\/th><td class="num">24</);
  });

  it('a feed-forward model has no clock key and no time section', async () => {
    const { s, html } = await summaryOf(join(FIXTURES, 'iris_mlp.onnx'), join(FIXTURES, 'iris_mlp.json'));
    expect('clock' in s).toBe(false);
    expect(s.layerError!.ticks).toBeUndefined();
    expect(html).not.toContain('<section id="time">');
  });
});
