// Transient runs: checking a request, the deck and .control script of one `tran` analysis, and reading the
// values at the requested times back.
//
// The deck: every driven source (each VINk, and the sources the request names, e.g. a clock) becomes its card
// (DC 0) in series with a helper source carrying the waveform (PWL, PULSE or DC), appended after the circuit so
// that ngspice's line numbers still point into the given netlist; the branch current of the named source is the
// same as before. A helper PWL source of value 0 whose corners are the read times (into a 1 Ω load) makes every
// read time a breakpoint: ngspice steps exactly onto each breakpoint (to within an ulp of rounding), so the
// solution has a time point at each read time.
//
// The script: `save` only the probes and currents (ngspice otherwise keeps every node at every step), `tran` with
// TMAX = maxStepS, the charge `integ(i)` per current, then the values at the read times by ngspice's own
// `interpolate` (polydegree 1) onto a scale of the read times, printed with 17 digits. Because each read time is
// a time point, the interpolation returns the solver's value there, not a mix of the steps on either side of a
// clock edge (which is why breakpoints are forced rather than the printed steps interpolated afterwards); and
// only read times x columns values are printed, however many steps the run takes. ngspice's `compose` takes a
// few hundred values per command, so the read times go in pieces of TIMES_PER_PIECE, each in a new plot.

import { inputError } from '../../errors.js';
import { SM, type EngineLabel } from '../../messages/index.js';
import {
  checkProbes,
  clean,
  ending,
  failureReason,
  marker,
  MARK,
  missingVector,
  OP_FAILED,
  parseFailure,
  PREAMBLE,
  readValues,
  spiceNumber,
  splitAtMarkers,
  type Deck,
  type RunStyle,
  type SourceCard,
} from './deck.js';
import type { TransientRequest, Waveform } from './types.js';

/** At most this many largest steps per run (stopTimeS / maxStepS): bounds ngspice's memory and time. */
export const MAX_STEPS = 1e7;
/** Read times per `compose` (ngspice 39 refuses a command of 1,000 values; 500 pass). */
const TIMES_PER_PIECE = 200;
/** Columns per `print` (keeps each command and its page width moderate). */
const COLUMNS_PER_PRINT = 24;
/** Marker before each piece of read times. */
const PIECE_MARK = '@@P';
const BREAK_SOURCE = 'vohmnet_bp';
const BREAK_NODE = 'ohmnet_bp';

/** A checked request: lower-cased names, the driven sources, the sorted distinct read times. */
export interface TransientPlan {
  readonly probes: readonly string[];
  /** Source names (lower-cased) whose branch current is read. */
  readonly currents: readonly string[];
  readonly drives: readonly { readonly card: SourceCard; readonly waveform: Waveform }[];
  readonly stopTimeS: number;
  readonly maxStepS: number;
  /** The distinct read times, ascending. */
  readonly times: readonly number[];
  /** For each requested read time, its index in `times`. */
  readonly order: readonly number[];
}

function checkWaveform(name: string, w: Waveform): void {
  const finite = (what: string, v: number) => {
    if (!Number.isFinite(v)) throw inputError(SM.waveformValue(name, what, v));
  };
  if (w === null || typeof w !== 'object') throw inputError(SM.waveformKind(name, String(w)));
  switch (w.kind) {
    case 'dc':
      finite('value', w.value);
      return;
    case 'pwl': {
      if (!Array.isArray(w.points) || w.points.length === 0) throw inputError(SM.pwlEmpty(name));
      let prev = -Infinity;
      w.points.forEach((p, i) => {
        if (!Array.isArray(p) || p.length !== 2) throw inputError(SM.pwlPoint(name, i));
        const [t, v] = p;
        finite(`time of point ${i}`, t);
        finite(`value of point ${i}`, v);
        if (t < 0 || t <= prev) throw inputError(SM.pwlTimes(name, i, t));
        prev = t;
      });
      return;
    }
    case 'pulse': {
      finite('low', w.low);
      finite('high', w.high);
      for (const [what, v] of [['delayS', w.delayS], ['riseS', w.riseS], ['fallS', w.fallS], ['widthS', w.widthS], ['periodS', w.periodS]] as const) {
        finite(what, v);
        if (v < 0 || (what !== 'delayS' && what !== 'widthS' && v === 0)) throw inputError(SM.pulseTime(name, what, v));
      }
      if (w.riseS + w.widthS + w.fallS > w.periodS) throw inputError(SM.pulsePeriod(name));
      return;
    }
    default:
      throw inputError(SM.waveformKind(name, String((w as { kind?: unknown }).kind)));
  }
}

/**
 * A source name, lower-cased. Current names are pasted into control commands (`save vdd#branch`), where ';'
 * separates commands: only a letter followed by letters, digits and '_' pass.
 */
function sourceKey(name: string): string {
  const key = String(name).trim().toLowerCase();
  if (!/^[a-z][a-z0-9_]*$/.test(key)) throw inputError(SM.badSourceName(name));
  return key;
}

/** Checks a transient request against the deck; throws a one-line OhmnetError for the first problem. */
export function planTransient(deck: Deck, req: TransientRequest): TransientPlan {
  const probes = checkProbes(req.probes);
  const { stopTimeS, maxStepS } = req;
  if (!(stopTimeS > 0) || !Number.isFinite(stopTimeS)) throw inputError(SM.badStopTime(stopTimeS));
  if (!(maxStepS > 0) || !Number.isFinite(maxStepS) || maxStepS > stopTimeS) throw inputError(SM.badMaxStep(maxStepS, stopTimeS));
  if (stopTimeS / maxStepS > MAX_STEPS) throw inputError(SM.tooManySteps(stopTimeS, maxStepS, MAX_STEPS));

  if (req.inputs.length !== deck.inputCount) throw inputError(SM.waveformCount(req.inputs.length, deck.inputCount));
  const drives: { card: SourceCard; waveform: Waveform }[] = [];
  req.inputs.forEach((w, k) => {
    checkWaveform(`VIN${k}`, w);
    drives.push({ card: deck.sources[k], waveform: w });
  });
  const named = new Set<string>();
  for (const [name, w] of Object.entries(req.sources ?? {})) {
    const key = sourceKey(name);
    const card = deck.voltageSources.get(key);
    if (card === undefined) throw inputError(SM.unknownSource(name));
    if (/^vin\d+$/.test(key)) throw inputError(SM.inputInSources(name));
    if (named.has(key)) throw inputError(SM.sourceTwice(name));
    named.add(key);
    checkWaveform(card.name, w);
    drives.push({ card, waveform: w });
  }
  const currents = (req.currents ?? []).map((name) => {
    const key = sourceKey(name);
    if (!deck.voltageSources.has(key)) throw inputError(SM.unknownSource(name));
    return key;
  });

  if (req.readTimesS.length === 0) throw inputError(SM.noReadTimes());
  req.readTimesS.forEach((t, i) => {
    if (!Number.isFinite(t) || t < 0 || t > stopTimeS) throw inputError(SM.badReadTime(i, t, stopTimeS));
  });
  const times = [...new Set(req.readTimesS.map((t) => t + 0))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const order = req.readTimesS.map((t) => index.get(t + 0) as number);
  return { probes, currents, drives, stopTimeS, maxStepS, times, order };
}

/** A waveform as the value of a voltage source card (PWL points four per continuation line). */
function sourceValue(w: Waveform): string[] {
  switch (w.kind) {
    case 'dc':
      return [`DC ${spiceNumber(w.value)}`];
    case 'pulse':
      return [`PULSE(${[w.low, w.high, w.delayS, w.riseS, w.fallS, w.widthS, w.periodS].map(spiceNumber).join(' ')})`];
    case 'pwl':
      return pwl(w.points);
  }
}

function pwl(points: readonly (readonly [number, number])[]): string[] {
  const out = ['PWL('];
  for (let i = 0; i < points.length; i += 4) {
    const part = points.slice(i, i + 4).map(([t, v]) => `${spiceNumber(t)} ${spiceNumber(v)}`);
    out.push(`+ ${part.join(' ')}${i + 4 >= points.length ? ')' : ''}`);
  }
  return out;
}

/** Vector names in the tran plot: probes, branch currents, charges. */
const probeVector = (p: string) => `v(${p})`;
const currentVector = (s: string) => `${s}#branch`;
/** Column names of the printed values. */
const column = (kind: 'v' | 'i' | 'q', j: number) => `ohmnet_${kind}${j}`;

function columns(plan: TransientPlan): string[] {
  return [
    ...plan.probes.map((_, j) => column('v', j)),
    ...plan.currents.map((_, j) => column('i', j)),
    ...plan.currents.map((_, j) => column('q', j)),
  ];
}

/** The deck and script of one transient run. */
export function transientNetlist(deck: Deck, plan: TransientPlan, style: RunStyle): string {
  const lines = [...deck.lines];
  const extra: string[] = [];
  plan.drives.forEach(({ card, waveform }, i) => {
    const node = `ohmnet_d${i}`;
    lines[card.line] = `${card.name} ${card.plus} ${node} DC 0`;
    for (let c = 1; c <= card.continuations; c++) lines[card.line + c] = `* (ohmnet) ${lines[card.line + c]}`;
    const [first, ...rest] = sourceValue(waveform);
    extra.push(`Vohmnet_d${i} ${node} ${card.minus} ${first}`, ...rest);
  });
  const corners = [...new Set([0, ...plan.times, plan.stopTimeS])].sort((a, b) => a - b);
  const [bpFirst, ...bpRest] = pwl(corners.map((t) => [t, 0] as const));
  extra.push(`${BREAK_SOURCE} ${BREAK_NODE} 0 ${bpFirst}`, ...bpRest, `Rohmnet_bp ${BREAK_NODE} 0 1`);

  const cols = columns(plan);
  const script = [...PREAMBLE];
  // noinit: no table of every node's initial value (thousands of lines on a large circuit).
  script.push('option noinit', `set width=${30 * (Math.min(cols.length, COLUMNS_PER_PRINT) + 3)}`, 'set nobreak');
  // Free the plots of earlier runs (the wasm build keeps running), so that plot names cannot collide.
  script.push('destroy all');
  // The breakpoint node too: with nothing saved that exists (every probe misspelt) ngspice would not run at all,
  // and say so in words that do not name the probe.
  script.push(`save ${[...plan.probes.map(probeVector), ...plan.currents.map(currentVector), probeVector(BREAK_NODE)].join(' ')}`);
  script.push(...marker(`${MARK} 0`, style));
  script.push(`tran ${spiceNumber(plan.maxStepS)} ${spiceNumber(plan.stopTimeS)} 0 ${spiceNumber(plan.maxStepS)}`);
  script.push('set ohmnet_plot = $curplot');
  plan.currents.forEach((s, j) => script.push(`let ohmnet_q${j} = integ(${currentVector(s)})`));
  script.push('set polydegree=1');
  const from = (v: string) => `interpolate({$ohmnet_plot}.${v})`;
  for (let k = 0; k < plan.times.length; k += TIMES_PER_PIECE) {
    const { scale } = piece(plan, k);
    script.push('setplot new', `compose time values ${scale.map(spiceNumber).join(' ')}`, 'setscale time');
    plan.probes.forEach((p, j) => script.push(`let ${column('v', j)} = ${from(probeVector(p))}`));
    plan.currents.forEach((s, j) => script.push(`let ${column('i', j)} = ${from(currentVector(s))}`));
    plan.currents.forEach((_, j) => script.push(`let ${column('q', j)} = ${from(`ohmnet_q${j}`)}`));
    script.push(...marker(`${PIECE_MARK} ${k}`, style));
    for (let c = 0; c < cols.length; c += COLUMNS_PER_PRINT) script.push(`print time ${cols.slice(c, c + COLUMNS_PER_PRINT).join(' ')}`);
  }
  script.push(...ending(style));
  return [...lines, ...extra, ...script, '.end', ''].join('\n');
}

/**
 * The scale of the piece of read times from index k, and where the read times start in it: `interpolate` needs
 * two points at least, so a piece of one time gets the stop time (or 0) beside it.
 */
function piece(plan: TransientPlan, k: number): { scale: number[]; skip: number } {
  const scale = plan.times.slice(k, k + TIMES_PER_PIECE);
  if (scale.length > 1) return { scale, skip: 0 };
  return scale[0] < plan.stopTimeS ? { scale: [scale[0], plan.stopTimeS], skip: 0 } : { scale: [0, scale[0]], skip: 1 };
}

/** Roughly how many characters the run prints (the wasm engine keeps a bounded amount of output). */
export function transientOutputChars(plan: TransientPlan): number {
  const cols = columns(plan).length;
  const pieces = Math.ceil(plan.times.length / TIMES_PER_PIECE);
  const prints = pieces * Math.ceil(cols / COLUMNS_PER_PRINT);
  return plan.times.length * (cols + 2) * 26 + prints * 4 * 30 * (Math.min(cols, COLUMNS_PER_PRINT) + 3) + 2000;
}

export interface TransientValues {
  /** Per distinct read time (ascending), the probe voltages, currents and charges. */
  readonly voltages: Float64Array[];
  readonly currents: Float64Array[];
  readonly charges: Float64Array[];
}

/** "no such function as tran1.v, or tran1.v(n9) is not available": a probe the circuit does not have. */
const MISSING_NODE = /\.v\(([^)\s]+)\) is not available/i;

/** Reads the values of a transient run; throws a one-line OhmnetError when the run failed. */
export function readTransient(
  plan: TransientPlan,
  engine: EngineLabel,
  out: { readonly stdout: string; readonly messages: string; readonly ending?: string },
): TransientValues {
  const msgs = splitAtMarkers(out.messages);
  const run = msgs.samples.get(0);
  const notParsed = parseFailure(msgs.preamble);
  if (notParsed !== undefined && run === undefined) throw inputError(SM.notParsed(engine, notParsed));
  const said = run ?? [];
  if (said.some((l) => OP_FAILED.test(l))) throw inputError(SM.tranFailed(engine, failureReason(said)));
  const node = said.map((l) => MISSING_NODE.exec(l)).find((m) => m !== null);
  if (node) throw inputError(SM.missingProbe(node[1].toLowerCase()));
  const vector = missingVector(said);
  if (vector !== undefined && plan.currents.includes(vector)) throw inputError(SM.unknownSource(vector));

  // Each piece's tables: rows by index within the piece, columns by name.
  const pieces = new Map<number, string[]>();
  let cur: string[] | undefined;
  for (const raw of out.stdout.split('\n')) {
    const line = clean(raw);
    const m = /^@@P (\d+)$/.exec(line);
    if (m) pieces.set(Number(m[1]), (cur = []));
    else if (line === '@@END') cur = undefined;
    else cur?.push(line);
  }
  const n = plan.times.length;
  const voltages: Float64Array[] = [];
  const currents: Float64Array[] = [];
  const charges: Float64Array[] = [];
  const stopped = () => {
    const why = failureReason(said);
    return inputError(SM.tranStopped(engine, why === 'no solution' ? (out.ending ?? 'no output') : why));
  };
  for (let k = 0; k < n; k += TIMES_PER_PIECE) {
    const lines = pieces.get(k);
    if (lines === undefined) throw stopped();
    const rows = new Map<number, Map<string, string>>();
    readValues(lines, rows, 0);
    const { skip } = piece(plan, k);
    for (let i = 0; i < Math.min(TIMES_PER_PIECE, n - k); i++) {
      const r = rows.get(i + skip);
      const t = plan.times[k + i];
      // The time column must be the read time (a check that rows line up). Not exactly: ngspice's number parser
      // is not correctly rounded (it reads 0.00033 as 3.30000000000000052e-4, an ulp off).
      if (r === undefined || !(Math.abs(Number(r.get('time')) - t) <= 1e-12 * plan.stopTimeS)) throw stopped();
      const get = (name: string, what: string) => {
        const text = r.get(name);
        if (text === undefined) throw stopped();
        const v = Number(text);
        if (!Number.isFinite(v)) throw inputError(SM.tranNotFinite(engine, what, t, text));
        return v;
      };
      voltages.push(Float64Array.from(plan.probes, (p, j) => get(column('v', j), `node '${p}'`)));
      currents.push(Float64Array.from(plan.currents, (s, j) => get(column('i', j), `the current of ${s}`)));
      charges.push(Float64Array.from(plan.currents, (s, j) => get(column('q', j), `the charge through ${s}`)));
    }
  }
  return { voltages, currents, charges };
}
