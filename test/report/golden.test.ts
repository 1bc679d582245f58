// report.html does not change by accident: for a few fixture models and option sets (Monte Carlo, SPICE, R_f per
// neuron, a softmax tail, no calibration statistics beyond the file), the page is byte-identical to the one recorded
// in test/golden/report/ (brotli). Re-record only for an intended change of the page, and say why in the commit:
//   OHMNET_UPDATE_GOLDEN=1 npx vitest run test/report/golden.test.ts

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/report/html.js';
import { ROOT } from '../helpers.js';
import { buildReportData, type BuildOptions } from './build.js';

const DIR = join(ROOT, 'test', 'golden', 'report');
const UPDATE = process.env.OHMNET_UPDATE_GOLDEN === '1';

const CASES: { id: string; model: string; inputs: string; options: BuildOptions }[] = [
  { id: 'digits_cnn-mc-spice', model: 'digits_cnn.onnx', inputs: 'digits_cnn.json', options: { fanIn: 16, fanOut: 16, resistors: 'E96', tolerance: 0.01, trials: 8, spiceSamples: 4 } },
  { id: 'iris_mlp-mc', model: 'iris_mlp.onnx', inputs: 'iris_mlp.json', options: { resistors: 'E48', tolerance: 0.01, trials: 8, spiceSamples: 0 } },
  { id: 'residual-per-neuron', model: 'residual.onnx', inputs: 'residual.json', options: { resistors: 'E24', tolerance: 0, trials: 0, spiceSamples: 0, feedbackPer: 'neuron' } },
  { id: 'xor-e12', model: 'xor.onnx', inputs: 'xor.json', options: { fanIn: 2, fanOut: 2, resistors: 'E12', tolerance: 0.05, trials: 40, spiceSamples: 0 } },
];

describe('report.html is identical to the recorded page', () => {
  for (const c of CASES) {
    it(c.id, async () => {
      const page = await renderReport(await buildReportData(c.model, c.inputs, c.options));
      const file = join(DIR, `${c.id}.html.br`);
      if (UPDATE || !existsSync(file)) {
        if (!UPDATE) throw new Error(`no recorded page ${file}; record it with OHMNET_UPDATE_GOLDEN=1`);
        mkdirSync(DIR, { recursive: true });
        writeFileSync(file, brotliCompressSync(page, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: page.length } }));
      }
      const want = brotliDecompressSync(readFileSync(file)).toString('utf8');
      // Compared as a boolean first (a failing toBe on 500 kB strings prints both), then the first differing line.
      if (page !== want) {
        const a = page.split('\n');
        const b = want.split('\n');
        const k = a.findIndex((l, i) => l !== b[i]);
        expect({ line: k + 1, got: a[k]?.slice(0, 400), want: b[k]?.slice(0, 400) }).toBe(null);
      }
      expect(page === want).toBe(true);
    }, 120_000);
  }
});
