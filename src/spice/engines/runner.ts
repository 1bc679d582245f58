// The one request runner both engines share: check the request, open a session, run the generated decks (in
// chunks for operating points), read the values back, and turn a time-out into a one-line error. An engine is a
// Backend: how to run one deck (the ngspice program on a file in a temporary directory, or the WebAssembly build
// in a worker thread) and how much one run may hold.

import { inputError } from '../../errors.js';
import { SM, type EngineLabel } from '../../messages/index.js';
import { charsPerSample, checkSamples, chunkNetlist, outputPerSample, readChunk, type Method } from './dc.js';
import { checkProbes, checkTimeout, prepareDeck, type RunStyle } from './deck.js';
import { planTransient, readTransient, transientNetlist, transientOutputChars } from './transient.js';
import {
  defaultTimeoutMs,
  lineCount,
  defaultTransientTimeoutMs,
  type EngineName,
  type OperatingPointRequest,
  type OperatingPointResult,
  type TransientRequest,
  type TransientResult,
} from './types.js';

/** What one run of a deck printed. */
export interface RunOutput {
  /** ngspice's standard output (values and markers). */
  readonly stdout: string;
  /** ngspice's messages with markers: stderr for the binary, the same text as stdout for the wasm build. */
  readonly messages: string;
  /** Why the run ended, if not normally (e.g. "exit code 1"). */
  readonly ending?: string;
  /** The output exceeded what the backend keeps, and its start was lost. */
  readonly truncated: boolean;
}

/** Rejection of EngineSession.run at the deadline. */
export class TimedOut extends Error {}

/** One request's use of an engine (the binary's temporary directory lives as long as this). */
export interface EngineSession {
  /** Runs one deck; rejects with TimedOut at `deadline` (Date.now() time, any finite value). */
  run(netlist: string, deadline: number): Promise<RunOutput>;
  /** Frees the session's resources; called once on every exit path. */
  close(): Promise<void>;
}

export interface Backend {
  readonly name: EngineName;
  readonly label: EngineLabel;
  readonly style: RunStyle;
  /** Largest netlist per run, in characters. */
  readonly maxNetlistChars: number;
  /** Output per run that is surely kept whole (Infinity when the backend keeps everything). */
  readonly outputBudget: number;
  open(): Promise<EngineSession>;
  /** Called after a time-out (the wasm engine drops its worker, which may still be computing). */
  timedOut?(): void;
}

/** Runs `work` in a session of the backend; a time-out becomes the one-line error `timeout()`. */
async function inSession<T>(b: Backend, timeout: () => string, work: (s: EngineSession) => Promise<T>): Promise<T> {
  const session = await b.open();
  try {
    return await work(session);
  } catch (e) {
    if (e instanceof TimedOut) {
      b.timedOut?.();
      throw inputError(timeout());
    }
    throw e;
  } finally {
    await session.close();
  }
}


/** DC operating points of every sample, in chunks sized for the backend. */
export async function runOperatingPoints(b: Backend, method: Method, req: OperatingPointRequest): Promise<OperatingPointResult> {
  const t0 = performance.now();
  const timeoutMs = checkTimeout(req.timeoutMs ?? defaultTimeoutMs(req.inputs.length, lineCount(req.netlist)));
  const deck = prepareDeck(req.netlist);
  const probes = checkProbes(req.probes);
  checkSamples(deck, req.inputs);
  const deadline = Date.now() + timeoutMs;
  const perChunk = Math.max(
    1,
    Math.min(
      Math.floor(b.outputBudget / outputPerSample(method, probes.length)),
      Math.floor(b.maxNetlistChars / charsPerSample(method, deck.inputCount)),
    ),
  );
  const chunk = async (s: EngineSession, offset: number, count: number): Promise<Float64Array[]> => {
    const opts = { ...b.style, method, inputCount: deck.inputCount, probes, samples: req.inputs.slice(offset, offset + count), offset };
    const out = await s.run(chunkNetlist(deck, opts), deadline);
    // Output beyond what the backend keeps (an estimate fell short): redo the chunk in halves.
    if (out.truncated && !out.stdout.includes(`@@S ${offset}\n`) && count > 1) {
      const half = Math.ceil(count / 2);
      return [...(await chunk(s, offset, half)), ...(await chunk(s, offset + half, count - half))];
    }
    return readChunk({ method, engine: b.label, probes, offset, count, stdout: out.stdout, messages: out.messages, ending: out.ending });
  };
  const voltages = await inSession(
    b,
    () => SM.timeout(b.label, req.inputs.length, timeoutMs),
    async (s) => {
      const all: Float64Array[] = [];
      for (let offset = 0; offset < req.inputs.length; offset += perChunk) {
        for (const v of await chunk(s, offset, Math.min(perChunk, req.inputs.length - offset))) all.push(v);
      }
      return all;
    },
  );
  return { voltages, engine: b.name, seconds: (performance.now() - t0) / 1000 };
}

/** One transient run; values at the read times in request order. */
export async function runTransient(b: Backend, req: TransientRequest): Promise<TransientResult> {
  const t0 = performance.now();
  if (req.timeoutMs !== undefined) checkTimeout(req.timeoutMs);
  const deck = prepareDeck(req.netlist);
  const plan = planTransient(deck, req);
  // The default depends on the run's length, known to be valid only now.
  const timeoutMs = req.timeoutMs ?? defaultTransientTimeoutMs(plan.stopTimeS, plan.maxStepS);
  const deadline = Date.now() + timeoutMs;
  const expected = transientOutputChars(plan);
  if (expected > b.outputBudget) throw inputError(SM.transientTooLarge(b.label, plan.times.length, expected, b.outputBudget));
  const netlist = transientNetlist(deck, plan, b.style);
  if (netlist.length > b.maxNetlistChars) throw inputError(SM.transientNetlistTooLarge(b.label, netlist.length, b.maxNetlistChars));
  const values = await inSession(
    b,
    () => SM.transientTimeout(b.label, plan.stopTimeS, timeoutMs),
    async (s) => {
      const out = await s.run(netlist, deadline);
      if (out.truncated && !out.stdout.includes('@@P 0\n')) {
        throw inputError(SM.transientTooLarge(b.label, plan.times.length, out.stdout.length, b.outputBudget));
      }
      return readTransient(plan, b.label, out);
    },
  );
  const pick = (rows: Float64Array[]) => plan.order.map((i) => rows[i].slice());
  return {
    timesS: Float64Array.from(req.readTimesS, (t) => t + 0),
    voltages: pick(values.voltages),
    currents: pick(values.currents),
    charges: pick(values.charges),
    engine: b.name,
    seconds: (performance.now() - t0) / 1000,
  };
}
