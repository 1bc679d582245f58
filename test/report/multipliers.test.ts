// The report of a network with multiplier blocks (issue 11): multipliers are counted apart from neurons (overview,
// layer table), the bill of materials lists the multiplier cells by coefficient, and nothing reads a multiplier's
// absent R_f (no NaN reaches the page); the neuron drawn is a summing neuron.

import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/report/html.js';
import { chosenNeuron } from '../../src/report/html/sections/neuron-schematic.js';
import { BLOCK } from '../../src/tnet/blocks.js';
import { buildReportData } from './build.js';

describe('report of the squeeze-and-excitation block', async () => {
  const data = await buildReportData('recurrent/se_block.onnx', 'recurrent/se_block.json', { resistors: 'E96', tolerance: 0.01, trials: 4, spiceSamples: 2 });
  const page = await renderReport(data);

  it('counts 288 multipliers apart from the neurons and lists them as BOM cells', () => {
    expect(data.summary.tnet.blocks.multiplier).toBe(288);
    expect(data.summary.tnet.neurons).toBe(data.tnet.neurons.count - 288);
    expect(page).toContain('<th class="num">multipliers</th>');
    expect(page).toContain('288 multiplier cells');
    expect(page).not.toMatch(/NaN/);
  });

  it('draws a summing neuron', () => {
    expect(data.tnet.neurons.block[chosenNeuron(data.realized)]).toBe(BLOCK.neuron);
  });
});
