// report.html in a real browser: headless Chromium loads the page of a compile and dumps the rendered DOM, which must
// hold the sections of issue 10 (signal swing, layer error, the neuron's SVG schematic, the command line).
// Skipped, with the reason in its name, when no chromium is installed.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli } from '../helpers.js';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const present = existsSync(CHROMIUM);

describe.skipIf(!present)(present ? 'report.html in headless Chromium' : `report.html in headless Chromium (skipped: no browser at ${CHROMIUM})`, () => {
  it('renders the new sections into the DOM', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'ohmnet-chromium-'));
    const out = join(tmp, 'out');
    const r = await runCli(['compile', join(FIXTURES, 'iris_mlp.onnx'), '-o', out, '--calibration', join(FIXTURES, 'iris_mlp.json'), '--tolerance', '0.01', '--trials', '5']);
    expect(r.code).toBe(0);
    const page = pathToFileURL(join(out, 'report.html')).href;
    const dom = execFileSync(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', `--user-data-dir=${join(tmp, 'profile')}`, '--dump-dom', page], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'] });
    for (const id of ['signal-swing', 'layer-error', 'layer-sensitivity', 'neuron-schematic', 'reproduce']) expect(dom).toContain(`<section id="${id}">`);
    expect(dom).toMatch(/<svg[^>]*class="schematic"/);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(dom).toContain(`<td>${s.layerError.layers[0].name}</td>`);
    expect(dom).toContain('ohmnet compile');
  }, 120_000);
});
