// Report additions of issue 10: the share of the ±S swing per layer (summary.json layers[].swingShare), the drawing
// of one neuron with its real element names and values, and the command line of the run (summary.json command).

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { commandLine } from '../../src/cli/compile.js';
import type { ReportData } from '../../src/report/data.js';
import { renderReport } from '../../src/report/html.js';
import { chosenNeuron, neuronSvg, SHOWN_INPUTS } from '../../src/report/html/sections/neuron-schematic.js';
import { neuronElement as el } from '../../src/realize/circuit.js';
import { ohms, shellQuote } from '../../src/util/format.js';
import { LAYER_ERROR_SAMPLES, layerOutputError, layerSensitivity, SENSITIVITY_SAMPLES, SENSITIVITY_TRIALS } from '../../src/report/summary.js';
import { FIXTURES, runCli } from '../helpers.js';
import { buildReportData } from './build.js';

function sectionOf(html: string, id: string): string {
  const m = new RegExp(`<section id="${id}">([\\s\\S]*?)</section>`).exec(html);
  if (!m) throw new Error(`no section ${id}`);
  return m[1];
}

let data: ReportData;
let html: string;
beforeAll(async () => {
  data = await buildReportData('iris_mlp.onnx', 'iris_mlp.json', { resistors: 'E48', tolerance: 0, trials: 0, spiceSamples: 0 });
  html = await renderReport(data);
}, 60_000);

describe('share of the signal swing', () => {
  it('is max |output| / S per layer with neurons, from the calibration ranges', () => {
    const S = data.summary.constraints.signalLimit;
    const withNeurons = data.summary.layers.filter((l) => l.neurons.total > 0);
    expect(withNeurons.length).toBeGreaterThan(0);
    for (const l of data.summary.layers) {
      if (l.signalRangeV === null) expect(l.swingShare).toBeNull();
      else expect(l.swingShare).toBe(Math.max(Math.abs(l.signalRangeV[0]), Math.abs(l.signalRangeV[1])) / S);
    }
    // The signal-limit pass scales the largest signal to S minus the headroom: some layer uses most of the swing.
    expect(Math.max(...withNeurons.map((l) => l.swingShare!))).toBeGreaterThan(0.5);
    expect(Math.max(...withNeurons.map((l) => l.swingShare!))).toBeLessThanOrEqual(1);
  });
  it('is a section listing every such layer', () => {
    const sec = sectionOf(html, 'signal-swing');
    for (const l of data.summary.layers.filter((x) => x.swingShare !== null)) expect(sec).toContain(`<td>${l.name}</td>`);
  });
});

describe('drawing of one neuron', () => {
  it('draws the first layer neuron with the largest fan-in, with its element names and values', () => {
    const r = data.realized;
    const n = r.tnet.neurons;
    const i = chosenNeuron(r);
    const first = Math.min(...Array.from(n.origin).filter((o) => o >= 0));
    expect(n.origin[i]).toBe(first);
    const fanIn = (j: number) => n.rowPtr[j + 1] - n.rowPtr[j];
    for (let j = 0; j < n.count; j++) if (n.origin[j] === first) expect(fanIn(j)).toBeLessThanOrEqual(fanIn(i));
    const sec = sectionOf(html, 'neuron-schematic');
    expect(sec).toContain(`<svg xmlns="http://www.w3.org/2000/svg" class="schematic" data-neuron="${i}"`);
    expect(sec).toContain(`>${el.feedback(i)}</text>`);
    expect(sec).toContain(`>${ohms(r.rFeedbackOhm[i])}</text>`);
    expect(sec).toContain(`>${el.ground(i)}</text>`);
    expect(sec).toContain(`>${el.summator(i)}</text>`);
    const e0 = n.rowPtr[i];
    if (r.rPlusOhm[e0] !== Infinity) {
      expect(sec).toContain(`>${el.plus(i, 0)}</text>`);
      expect(sec).toContain(`>${el.minus(i, 0)}</text>`);
      expect(sec).toContain(`>${ohms(r.rPlusOhm[e0])}</text>`);
      expect(sec).toContain(`>${ohms(r.rMinusOhm[e0])}</text>`);
    }
    if (r.rBiasPlusOhm[i] !== Infinity) expect(sec).toContain(`>${el.biasPlus(i)}</text>`);
    if (r.rNormPlusOhm[i] !== Infinity) expect(sec).toContain(`>${el.normalizerPlus(i)}${r.normPlusCount[i] > 1 ? ` ×${r.normPlusCount[i]}` : ''}</text>`);
    if (r.rNormMinusOhm[i] !== Infinity) expect(sec).toContain(`>${el.normalizerMinus(i)}${r.normMinusCount[i] > 1 ? ` ×${r.normMinusCount[i]}` : ''}</text>`);
  });
  it('shows at most SHOWN_INPUTS inputs and counts the rest', () => {
    const r = data.realized;
    const n = r.tnet.neurons;
    let wide = -1;
    for (let j = 0; j < n.count; j++) if (n.rowPtr[j + 1] - n.rowPtr[j] > SHOWN_INPUTS) wide = j;
    if (wide < 0) throw new Error('the fixture has no neuron with more than SHOWN_INPUTS inputs');
    const svg = neuronSvg(r, wide);
    const k = n.rowPtr[wide + 1] - n.rowPtr[wide];
    expect(svg).toContain(`>${el.plus(wide, SHOWN_INPUTS - 1)}</text>`);
    expect(svg).not.toContain(`>${el.plus(wide, SHOWN_INPUTS)}</text>`);
    expect(svg).toContain(`… ${k - SHOWN_INPUTS} more input`);
    expect(neuronSvg(r, wide)).toBe(svg);
  });
});

describe('command line of the run', () => {
  it('quotes words for a POSIX shell', () => {
    expect(shellQuote('model.onnx')).toBe('model.onnx');
    expect(shellQuote('my model.onnx')).toBe("'my model.onnx'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('')).toBe("''");
  });
  it('writes the output directory as OUT_DIR', () => {
    expect(commandLine(['compile', 'a b.onnx', '-o', '/tmp/x', '--trials', '5'])).toBe("ohmnet compile 'a b.onnx' -o OUT_DIR --trials 5");
    expect(commandLine(['compile', 'm.onnx', '--output=/tmp/x'])).toBe('ohmnet compile m.onnx --output=OUT_DIR');
  });
  it('is "library call" without a CLI, and in the report', () => {
    expect(data.summary.command).toBe('library call');
    expect(sectionOf(html, 'reproduce')).toContain('library call');
  });
  it('is the argv of a compile in summary.json and report.html', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ohmnet-cmd-')), 'out');
    const model = join(FIXTURES, 'xor.onnx');
    const r = await runCli(['compile', model, '-o', out, '--resistors', 'E12']);
    expect(r.code).toBe(0);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.command).toBe(`ohmnet compile ${shellQuote(model)} -o OUT_DIR --resistors E12`);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain(`<pre class="command"><code>ohmnet compile`);
    // The per-layer output error is in summary.json and the report, measured on the named evaluation set.
    expect(s.layerError.on).toBe('calibration');
    expect(s.layerError.layers.length).toBeGreaterThan(0);
    for (const l of s.layerError.layers) {
      expect(l.maxAbsErrorV).toBeGreaterThan(0);
      expect(l.rmsErrorV).toBeLessThanOrEqual(l.maxAbsErrorV);
      expect(l.maxAbsErrorRel).toBeCloseTo(l.maxAbsErrorV / s.constraints.signalLimit, 12);
    }
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain(`<td>${s.layerError.layers[0].name}</td>`);
  }, 60_000);
});

describe('per-layer output error', () => {
  const samples = () => (JSON.parse(readFileSync(join(FIXTURES, 'iris_mlp.json'), 'utf8')) as { inputs: number[][] }).inputs;
  it('is zero with the exact weights and positive with the realized ones, per source layer', () => {
    const r = data.realized;
    const S = data.summary.constraints.signalLimit;
    const exact = layerOutputError('calibration', r.tnet, r.tnet.neurons.weight, r.tnet.neurons.bias, samples(), S);
    for (const l of exact.layers) expect(l.maxAbsErrorV).toBe(0);
    const le = layerOutputError('calibration', r.tnet, r.weight, r.bias, samples(), S);
    expect(le.samples).toBe(Math.min(LAYER_ERROR_SAMPLES, samples().length));
    expect(le.layers.map((l) => l.name)).toEqual(data.summary.layers.filter((l) => l.neurons.total > 0).map((l) => l.name));
    expect(Math.max(...le.layers.map((l) => l.maxAbsErrorV))).toBeGreaterThan(0);
    for (const l of le.layers) {
      expect(l.rmsErrorV).toBeLessThanOrEqual(l.maxAbsErrorV);
      expect(l.maxAbsErrorRel).toBe(l.maxAbsErrorV / S);
    }
  });
});

describe('per-layer Monte Carlo sensitivity', () => {
  const samples = () => (JSON.parse(readFileSync(join(FIXTURES, 'iris_mlp.json'), 'utf8')) as { inputs: number[][] }).inputs;
  it('is zero without tolerance, positive with it, over a bounded replay of the trials', () => {
    const r = data.realized;
    const S = data.summary.constraints.signalLimit;
    const none = layerSensitivity('calibration', r, samples(), 5, 1, 0, 'gaussian', S);
    for (const l of none.layers) expect(l.rmsDeviationV).toBe(0);
    const ls = layerSensitivity('calibration', r, samples(), 100, 1, 0.01, 'gaussian', S);
    expect(ls.trials).toBe(SENSITIVITY_TRIALS);
    expect(ls.samples).toBe(Math.min(SENSITIVITY_SAMPLES, samples().length));
    for (const l of ls.layers) {
      expect(l.rmsDeviationV).toBeGreaterThan(0);
      expect(l.p95MaxDeviationV).toBeGreaterThanOrEqual(l.rmsDeviationV);
      expect(l.rmsDeviationRel).toBe(l.rmsDeviationV / S);
    }
    expect(layerSensitivity('calibration', r, samples(), 100, 1, 0.01, 'gaussian', S)).toEqual(ls);
  });
  it('is in summary.json and the report of a compile with trials', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ohmnet-sens-')), 'out');
    const r = await runCli(['compile', join(FIXTURES, 'iris_mlp.onnx'), '-o', out, '--calibration', join(FIXTURES, 'iris_mlp.json'), '--tolerance', '0.01', '--trials', '3']);
    expect(r.code).toBe(0);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.layerSensitivity.trials).toBe(3);
    expect(s.layerSensitivity.layers.length).toBe(s.layerError.layers.length);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(sectionOf(html, 'layer-sensitivity')).toContain('replaying the first 3 of 3 Monte Carlo trials');
  }, 60_000);
});
