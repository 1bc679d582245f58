// The `wasm` engine: ngspice compiled to WebAssembly (npm package eecircuit-engine, ngspice 45), run in a
// worker thread.
//
// eecircuit-engine's Simulation drives an interactive ngspice: runSim() writes the netlist to test.cir in the
// module's in-memory file system and feeds the commands `source test.cir`, `destroy all`, `run`,
// `write out.raw`; it returns the parsed out.raw and keeps everything ngspice printed (stdout and stderr, in
// order, at most 2e6 characters, oldest dropped) for getInfo(). `source` executes the netlist's .control block,
// so the same generated script as for the binary (alter, op, print per sample) runs here; the values are read
// from getInfo(). The package's result object is not used (after `destroy all` it holds only constants).
//
// Why a worker: the simulation runs synchronously inside WebAssembly, so a timer on the calling thread could
// not interrupt it; terminating the worker can. The worker also keeps the package's side effects away from
// the caller: it sets globalThis.window (its stdin is window.prompt) and echoes ngspice's errors on
// console.error. One started Simulation serves all calls (start() takes ~0.4 s); after a time-out the worker
// is terminated and the next call starts a new one.

import { Worker } from 'node:worker_threads';
import { inputError } from '../../errors.js';
import { SM } from '../../messages/index.js';
import type { Method } from './dc.js';
import { armDeadline } from './deadline.js';
import { runOperatingPoints, runTransient, TimedOut, type Backend, type RunOutput } from './runner.js';
import type {
  EngineOptions,
  OperatingPointRequest,
  OperatingPointResult,
  SpiceEngine,
  TransientRequest,
  TransientResult,
} from './types.js';

/** getInfo() keeps at most this many characters; output beyond it is lost from the front. */
const INFO_LIMIT = 2_000_000;
/** Aim for chunks whose output stays well below the limit. */
const INFO_BUDGET = 1_000_000;
/** Also bound the netlist per run (it is copied into the module's memory and parsed as a whole). */
const MAX_NETLIST_CHARS = 16_000_000;

/** The worker: an ES module given as a data: URL, so it needs no separate file next to the compiled code. */
const WORKER_SOURCE = `
import { parentPort, workerData } from 'node:worker_threads';
const quiet = () => {};
console.error = quiet; console.warn = quiet; console.info = quiet; console.log = quiet; console.debug = quiet;
let sim;
try {
  const { Simulation } = await import(workerData.moduleUrl);
  sim = new Simulation();
  await sim.start();
  parentPort.postMessage({ type: 'ready' });
} catch (e) {
  parentPort.postMessage({ type: 'fatal', message: String(e && e.message ? e.message : e) });
}
parentPort.on('message', async (m) => {
  try {
    sim.setNetList(m.netlist);
    await sim.runSim();
    parentPort.postMessage({ type: 'done', id: m.id, info: sim.getInfo() });
  } catch (e) {
    parentPort.postMessage({ type: 'fatal', message: String(e && e.message ? e.message : e) });
  }
});
`;

type FromWorker =
  | { type: 'ready' }
  | { type: 'done'; id: number; info: string }
  | { type: 'fatal'; message: string };

/** Resolves the package's ES module entry to an absolute URL (the data: worker cannot resolve bare names). */
function engineModuleUrl(): string {
  return import.meta.resolve('eecircuit-engine');
}

/** One worker with one started Simulation; messages are answered in order. */
class WasmWorker {
  private readonly worker: Worker;
  private readonly ready: Promise<void>;
  private pending: { resolve: (info: string) => void; reject: (e: Error) => void } | undefined;
  private nextId = 1;
  dead = false;

  constructor() {
    this.worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(WORKER_SOURCE)}`), {
      workerData: { moduleUrl: engineModuleUrl() },
      // Not piped to this process: the package's own printing stays in the worker (unread, and unreferenced
      // so that it does not keep the process alive).
      stdout: true,
      stderr: true,
    });
    this.ready = new Promise((resolve, reject) => {
      const fail = (e: Error) => {
        this.dead = true;
        reject(e);
        this.pending?.reject(e);
        this.pending = undefined;
      };
      this.worker.on('message', (m: FromWorker) => {
        if (m.type === 'ready') resolve();
        else if (m.type === 'fatal') fail(inputError(SM.wasmCrashed(m.message)));
        else if (m.type === 'done') {
          const p = this.pending;
          this.pending = undefined;
          p?.resolve(m.info);
        }
      });
      this.worker.on('error', (e) => fail(inputError(SM.wasmCrashed(e.message))));
      this.worker.on('exit', (code) => fail(inputError(SM.wasmCrashed(`worker exit code ${code}`))));
    });
    this.ready.catch(() => undefined); // observed by run(); avoid an unhandled rejection meanwhile
    // Do not keep the process alive for an idle engine: a caller that forgets dispose() still exits. (After
    // the listeners: adding a 'message' listener refs the worker again. A call in progress is kept alive by
    // its time-limit timer.)
    this.worker.unref();
  }

  /** Runs one netlist; rejects with TimedOut at the deadline (the caller then terminates the worker). */
  async run(netlist: string, deadline: number): Promise<string> {
    let cancel = (): void => undefined;
    const timeout = new Promise<never>((_, reject) => {
      cancel = armDeadline(deadline, () => reject(new TimedOut()));
    });
    try {
      await Promise.race([this.ready, timeout]);
      const answer = new Promise<string>((resolve, reject) => {
        this.pending = { resolve, reject };
        this.worker.postMessage({ id: this.nextId++, netlist });
      });
      return await Promise.race([answer, timeout]);
    } finally {
      cancel();
    }
  }

  async terminate(): Promise<void> {
    this.dead = true;
    this.pending = undefined;
    await this.worker.terminate();
  }
}

export class WasmEngine implements SpiceEngine {
  readonly name = 'wasm' as const;
  private worker: WasmWorker | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly backend: Backend;
  constructor(private readonly method: Method = 'sweep') {
    this.backend = {
      name: this.name,
      label: 'ngspice (wasm)',
      style: { stderrMarkers: false, quit: false, free: true },
      maxNetlistChars: MAX_NETLIST_CHARS,
      outputBudget: INFO_BUDGET,
      open: async () => ({
        run: async (netlist: string, deadline: number): Promise<RunOutput> => {
          const info = await this.current().run(netlist, deadline);
          return { stdout: info, messages: info, truncated: info.length >= INFO_LIMIT - 1000 };
        },
        close: async () => undefined,
      }),
      timedOut: () => {
        // Terminating waits for the WebAssembly code to reach an interrupt check; do not wait for it.
        const w = this.worker;
        this.worker = undefined;
        void w?.terminate().catch(() => undefined);
      },
    };
  }

  /** Starts the worker now rather than on the first call (e.g. to keep start-up out of a measurement). */
  async warmUp(): Promise<void> {
    await this.serialize(async () => {
      const w = this.current();
      await w.run('warm-up\n.end\n', Date.now() + 60_000);
    });
  }

  operatingPoints(req: OperatingPointRequest): Promise<OperatingPointResult> {
    return this.serialize(() => runOperatingPoints(this.backend, this.method, req));
  }

  transient(req: TransientRequest): Promise<TransientResult> {
    return this.serialize(() => runTransient(this.backend, req));
  }

  async dispose(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }

  private serialize<T>(f: () => Promise<T>): Promise<T> {
    const run = this.queue.then(f, f);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private current(): WasmWorker {
    if (this.worker === undefined || this.worker.dead) this.worker = new WasmWorker();
    return this.worker;
  }
}

export function createWasmEngine(options: EngineOptions = {}): WasmEngine {
  return new WasmEngine(options.method);
}
