// `ohmnet train --synapse lut:FILE --report FILE` (src/synapse/report.ts; issue 16): the page shows the table's curves,
// the training curve, the kept network's counts, the accuracy under mismatch and the interpolation cost, with the run's
// own numbers (the ones --json prints); the same run gives the same bytes; --report with --target crossbar is refused.

import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'ohmnet-syn-report-'));
const lut = join(ROOT, 'fixtures', 'synapse', 'ptm65.lut.json');
const iris = (s: string) => join(ROOT, 'fixtures', 'synapse-iris', `${s}.json`);
const run = ['train', '--synapse', `lut:${lut}`, '--data', iris('train'), '--validation', iris('validation'), '--test', iris('test'), '--iterations', '60', '--hidden', '5', '--monte-carlo', '3', '--area-scales', '1,1.5'];

describe('ohmnet train --synapse --report', () => {
  it('writes the run\'s curves, counts, Monte Carlo and cost, byte for byte the same on a rerun', async () => {
    const a = join(tmp, 'a.html');
    const args = [...run, '-o', join(tmp, 'w.json'), '--report', a, '--json'];
    const r = await runCli(args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    const html = readFileSync(a, 'utf8');
    for (const id of ['run', 'lut', 'training-curve', 'result', 'monte-carlo', 'cost']) expect(html).toContain(`<section id="${id}">`);
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(2);
    expect(html).toContain(`the weights of iteration ${j.training.keptIteration}`);
    expect(html).toContain(`${j.accuracy.test.correct}/${j.accuracy.test.samples}`);
    expect(html).toContain(`${j.accuracy.validation.correct}/${j.accuracy.validation.samples}`);
    for (const m of j.monteCarlo) expect(html).toContain(`${m.mean.toFixed(2)}/${m.samples}`);
    expect(html).toContain(`>${j.cost.reads}<`);
    for (const h of j.history) expect(html).toContain(`>${h.iteration}<`);
    // The same command again (the page quotes its command line): the same bytes.
    const first = readFileSync(a);
    expect((await runCli(args)).code).toBe(0);
    expect(readFileSync(a).equals(first)).toBe(true);
  });

  it('refuses --report with --target crossbar, and a report path it cannot write, before any work', async () => {
    const x = await runCli(['train', '--target', 'crossbar', '--data', iris('train'), '-o', join(tmp, 'x.json'), '--report', join(tmp, 'x.html')]);
    expect(x.code).toBe(2);
    expect(x.stderr).toMatch(/--report is not written for --target crossbar/);
    const blocked = join(tmp, 'a-directory');
    mkdirSync(blocked);
    const bad = await runCli([...run, '-o', join(tmp, 'y.json'), '--report', blocked]);
    expect(bad.code).toBe(2);
    expect(existsSync(join(tmp, 'y.json'))).toBe(false);
  });
});
