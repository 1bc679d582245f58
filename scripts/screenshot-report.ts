// Opens the HTML report in a real browser (Debian's chromium, headless) and takes screenshots of the whole page.
//
//   npx tsx scripts/screenshot-report.ts <report.html> <out.png> [--existing] [--pdf out.pdf] [--width 1280] [--chunk 1800]
//
// Without --existing, the report of the digits CNN (fan-in/fan-out 32, E96, 1% tolerance with 30 Monte Carlo trials,
// SPICE on 10 samples with the wasm engine) is built and written to <report.html> first. The page is then loaded in
// chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe: no port, no extra package), and:
//   - the full page is captured in slices of --chunk pixels: <out.png>, <out>-2.png, ... (one file if it fits);
//   - every <figure class="plot"> is checked in the browser: its <svg> has a rendered size and data marks;
//   - console errors and warnings, page exceptions, and any request that is not file:/data: are printed;
//   - with --pdf, the page is also printed (A4, print stylesheet) to that file.
// Exit code 1 when a plot is empty, a console error occurred or the page tried to reach the network.
// Needs chromium on PATH (apt-get install chromium) or CHROMIUM=/path/to/chrome.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Readable, Writable } from 'node:stream';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

interface Args {
  report: string;
  out: string;
  existing: boolean;
  pdf: string | null;
  width: number;
  chunk: number;
}

function parseArgs(argv: string[]): Args {
  const pos: string[] = [];
  const a: Args = { report: '', out: '', existing: false, pdf: null, width: 1280, chunk: 1800 };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i];
    if (v === '--existing') a.existing = true;
    else if (v === '--pdf') a.pdf = resolve(argv[++i]);
    else if (v === '--width') a.width = Number(argv[++i]);
    else if (v === '--chunk') a.chunk = Number(argv[++i]);
    else if (v.startsWith('--')) throw new Error(`unknown option ${v}`);
    else pos.push(v);
  }
  a.report = resolve(pos[0] ?? join(mkdtempSync(join(tmpdir(), 'ohmnet-report-')), 'report.html'));
  a.out = resolve(pos[1] ?? join(ROOT, 'docs/img/report-digits.png'));
  if (!(a.width >= 320) || !(a.chunk >= 200)) throw new Error('--width must be >= 320 and --chunk >= 200');
  return a;
}

/** The digits CNN report data, as `ohmnet compile --fan-in 32 --fan-out 32 --resistors E96 --tolerance 0.01 --verify` builds it. */
async function buildDigitsReport(): Promise<string> {
  const { importModel } = await import('../src/import/index.js');
  const { compileGraph } = await import('../src/transform/pipeline.js');
  const { summarize, addRealization } = await import('../src/report/summary.js');
  const { inspectGraph } = await import('../src/report/inspect.js');
  const { realizeCompiled } = await import('../src/flow/index.js');
  const { verifySpice } = await import('../src/spice/verify.js');
  const { parseOpamp } = await import('../src/spice/models.js');
  const { renderReport } = await import('../src/report/html.js');
  const model = 'fixtures/digits_cnn.onnx';
  const graph = importModel(join(ROOT, model));
  const calibration = (JSON.parse(readFileSync(join(ROOT, 'fixtures/digits_test.json'), 'utf8')) as { inputs: number[][] }).inputs;
  const compiled = compileGraph(graph, { fanIn: 32, fanOut: 32, calibration });
  const r = await realizeCompiled(graph, compiled, { resistors: 'E96', toleranceRel: 0.01, trials: 30 });
  const spice = await verifySpice(graph, r.realized, { engine: 'wasm', opamp: parseOpamp('ideal'), samples: calibration.slice(0, 10) });
  const summary = addRealization(summarize(graph, compiled, model), r.summary, spice);
  const t0 = performance.now();
  const html = await renderReport({
    summary, inspect: inspectGraph(graph), tnet: compiled.tnet, realized: r.realized, monteCarloTrials: r.trials,
    options: { 'fan-in': 32, 'fan-out': 32, resistors: 'E96', tolerance: 0.01, trials: 30, verify: true, engine: 'wasm', samples: 10 },
  });
  console.log(`rendered the digits CNN report in ${(performance.now() - t0).toFixed(0)} ms: ${html.length} bytes`);
  return html;
}

// ---------------------------------------------------------------------------------------------------------------
// A minimal DevTools-protocol client over chromium's pipe (fd 3: commands in, fd 4: replies out; NUL-delimited JSON).

type Json = Record<string, unknown>;

class Cdp {
  private nextId = 1;
  private buffer = '';
  private readonly pending = new Map<number, { ok: (v: Json) => void; fail: (e: Error) => void }>();
  private readonly listeners: ((method: string, params: Json, sessionId?: string) => void)[] = [];

  constructor(private readonly input: Writable, output: Readable) {
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => {
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf('\0')) >= 0) {
        const text = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 1);
        this.dispatch(JSON.parse(text) as Json);
      }
    });
  }

  private dispatch(msg: Json): void {
    if (typeof msg.id === 'number') {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.fail(new Error(`CDP: ${JSON.stringify(msg.error)}`));
      else p.ok((msg.result ?? {}) as Json);
    } else if (typeof msg.method === 'string') {
      for (const l of this.listeners) l(msg.method, (msg.params ?? {}) as Json, msg.sessionId as string | undefined);
    }
  }

  on(listener: (method: string, params: Json, sessionId?: string) => void): void {
    this.listeners.push(listener);
  }

  send(method: string, params: Json = {}, sessionId?: string): Promise<Json> {
    const id = this.nextId++;
    return new Promise((ok, fail) => {
      this.pending.set(id, { ok, fail });
      this.input.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  }

  failAll(e: Error): void {
    for (const p of this.pending.values()) p.fail(e);
    this.pending.clear();
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((ok, fail) => {
    const t = setTimeout(() => fail(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    p.then((v) => { clearTimeout(t); ok(v); }, (e: unknown) => { clearTimeout(t); fail(e as Error); });
  });
}

interface PlotCheck {
  name: string;
  width: number;
  height: number;
  marks: number;
}

/** Runs in the page: size and data marks (children of vega's role-mark groups) of every figure's SVG. */
const CHECK_PLOTS = `JSON.stringify([...document.querySelectorAll('figure.plot')].map((f) => {
  const svg = f.querySelector('svg');
  const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
  const marks = svg ? [...svg.querySelectorAll('g.role-mark > path, g.role-mark > line, g.role-mark > rect')].filter((m) => { const b = m.getBoundingClientRect(); return b.width > 0 || b.height > 0; }).length : 0;
  return { name: f.dataset.plot, width: Math.round(box.width), height: Math.round(box.height), marks };
}))`;

/** Runs in the page: y positions (ascending) just above block boundaries where a screenshot slice may end. */
const CUT_POINTS = `JSON.stringify([...new Set([...document.querySelectorAll('section, figure, h2, h3, .table-wrap, .cards, footer')]
  .map((e) => Math.max(0, Math.floor(e.getBoundingClientRect().top + window.scrollY) - 10)))].sort((a, b) => a - b))`;

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (!args.existing) writeFileSync(args.report, await buildDigitsReport());
  else if (!existsSync(args.report)) throw new Error(`${args.report} does not exist`);
  const chromium = process.env.CHROMIUM ?? 'chromium';
  const profile = mkdtempSync(join(tmpdir(), 'ohmnet-chromium-'));
  const proc: ChildProcess = spawn(chromium, [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--no-default-browser-check',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-extensions',
    '--disable-default-apps', '--hide-scrollbars', '--mute-audio', '--force-color-profile=srgb',
    `--user-data-dir=${profile}`, `--window-size=${args.width},1000`, '--remote-debugging-pipe', 'about:blank',
  ], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const cdp = new Cdp(proc.stdio[3] as Writable, proc.stdio[4] as Readable);
  proc.on('exit', () => cdp.failAll(new Error(`chromium exited\n${stderr.slice(-2000)}`)));
  proc.on('error', (e) => cdp.failAll(e));

  const problems: string[] = [];
  const messages: string[] = [];
  const requests: string[] = [];
  try {
    const { targetId } = await withTimeout(cdp.send('Target.createTarget', { url: 'about:blank' }), 30_000, 'starting chromium') as { targetId: string };
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true }) as { sessionId: string };
    const s = (method: string, params: Json = {}) => withTimeout(cdp.send(method, params, sessionId), 60_000, method);
    let loaded: () => void = () => {};
    const load = new Promise<void>((ok) => (loaded = ok));
    cdp.on((method, params, sid) => {
      if (sid !== sessionId) return;
      if (method === 'Page.loadEventFired') loaded();
      else if (method === 'Runtime.consoleAPICalled' && ['error', 'warning', 'assert'].includes(params.type as string)) {
        messages.push(`console.${String(params.type)}: ${JSON.stringify((params.args as Json[]).map((a) => a.value ?? a.description))}`);
      } else if (method === 'Runtime.exceptionThrown') messages.push(`exception: ${JSON.stringify((params.exceptionDetails as Json).text)}`);
      else if (method === 'Log.entryAdded') {
        const e = params.entry as Json;
        if (e.level === 'error' || e.level === 'warning') messages.push(`${String(e.source)} ${String(e.level)}: ${String(e.text)}${e.url ? ` (${String(e.url)})` : ''}`);
      } else if (method === 'Network.requestWillBeSent') {
        const url = (params.request as Json).url as string;
        if (!/^(file|data|about):/.test(url)) requests.push(url);
      }
    });
    await s('Page.enable');
    await s('Runtime.enable');
    await s('Log.enable');
    await s('Network.enable');
    await s('Emulation.setDeviceMetricsOverride', { width: args.width, height: 1000, deviceScaleFactor: 1, mobile: false });
    await s('Page.navigate', { url: pathToFileURL(args.report).href });
    await withTimeout(load, 60_000, 'loading the report');
    await new Promise((ok) => setTimeout(ok, 300));

    const checks = JSON.parse((await s('Runtime.evaluate', { expression: CHECK_PLOTS, returnByValue: true }) as { result: { value: string } }).result.value) as PlotCheck[];
    for (const c of checks) {
      const ok = c.width >= 100 && c.height >= 50 && c.marks >= 3;
      console.log(`plot ${c.name}: ${c.width}x${c.height} px, ${c.marks} data marks${ok ? '' : '  <- EMPTY OR TOO SMALL'}`);
      if (!ok) problems.push(`plot ${c.name} is empty or not rendered`);
    }
    if (checks.length === 0) problems.push('no plots found');

    const metrics = await s('Page.getLayoutMetrics') as { cssContentSize: { width: number; height: number } };
    const height = Math.ceil(metrics.cssContentSize.height);
    await s('Emulation.setDeviceMetricsOverride', { width: args.width, height, deviceScaleFactor: 1, mobile: false });
    await new Promise((ok) => setTimeout(ok, 200));
    // Slices end just above a section, figure, heading or table where one falls in the last two thirds of a slice,
    // so no figure is cut in two when it fits in a slice.
    const tops = JSON.parse((await s('Runtime.evaluate', { expression: CUT_POINTS, returnByValue: true }) as { result: { value: string } }).result.value) as number[];
    const files: string[] = [];
    for (let y = 0, k = 0; y < height; k++) {
      let end = Math.min(height, y + args.chunk);
      if (end < height) {
        const cut = tops.filter((t) => t > y + args.chunk / 3 && t <= end).pop();
        if (cut !== undefined) end = cut;
      }
      const shot = await s('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true, clip: { x: 0, y, width: args.width, height: end - y, scale: 1 } }) as { data: string };
      const file = k === 0 ? args.out : args.out.replace(/(\.png)?$/i, `-${k + 1}.png`);
      writeFileSync(file, Buffer.from(shot.data, 'base64'));
      files.push(file);
      y = end;
    }
    console.log(`page ${args.width}x${height} px -> ${files.join(', ')}`);

    if (args.pdf) {
      await s('Emulation.clearDeviceMetricsOverride');
      const pdf = await s('Page.printToPDF', { printBackground: true, preferCSSPageSize: true }) as { data: string };
      writeFileSync(args.pdf, Buffer.from(pdf.data, 'base64'));
      console.log(`printed ${args.pdf}`);
    }
    await cdp.send('Browser.close').catch(() => undefined);
  } finally {
    // Let chromium exit (it writes its profile on the way out) before removing the profile.
    if (proc.exitCode === null && proc.signalCode === null) {
      await withTimeout(new Promise((ok) => proc.once('exit', ok)), 5_000, 'chromium exit').catch(() => proc.kill());
    }
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    } catch {
      console.log(`note: could not remove the temporary profile ${profile}`);
    }
  }
  for (const m of messages) console.log(`chromium: ${m}`);
  for (const r of requests) console.log(`network request (should be none): ${r}`);
  if (messages.some((m) => /error|exception/i.test(m))) problems.push('console errors');
  if (requests.length > 0) problems.push('the page requested network resources');
  if (problems.length > 0) {
    console.error(`problems: ${problems.join('; ')}`);
    return 1;
  }
  console.log('every plot renders with data; no console errors; no network requests');
  return 0;
}

main().then((code) => process.exit(code), (e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(2);
});
