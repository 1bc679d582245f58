// What both engines share: preparing the netlist, generating the .control script that runs the samples, and
// reading ngspice's text output back. Two methods:
//
// - sweep (default): each input source VINk is split into VINk (DC 0) in series with a behavioural source
//   whose value is a piecewise-linear table of the samples' values, indexed by a swept helper source; one
//   `dc` sweep over the helper then solves all samples of a chunk. The table is flat around each integer, so
//   a sweep point gives the sample's value exactly. One analysis means one matrix ordering for all samples:
//   on large circuits this is 10-35x faster than an `op` per sample, whose every run reorders the matrix.
// - alter: per sample, `alter` each VIN source that changed, run `op`, print, `destroy all`.
//
// Values are printed with 17 significant digits (full double precision).

import { inputError } from '../../errors.js';
import { SM, type EngineLabel } from '../../messages/index.js';
import { defaultTimeoutMs, type OperatingPointRequest } from './types.js';

export type Method = 'sweep' | 'alter';

/** Where input source VINk is: its card's line and nodes. */
interface InputSource {
  readonly line: number;
  /** Number of + continuation lines after the card. */
  continuations: number;
  readonly name: string;
  readonly plus: string;
  readonly minus: string;
}

export interface Deck {
  /** The netlist's lines up to (without) .end; analysis, output and .control cards replaced by comments. */
  readonly lines: readonly string[];
  /** Number of input sources VIN0..VIN{n-1}. */
  readonly inputCount: number;
  /** The input sources by index. */
  readonly sources: readonly InputSource[];
}

/** Cards the engine layer owns: analyses and output requests in the given netlist are ignored. */
const DROPPED_CARDS = new Set([
  '.op', '.dc', '.ac', '.tran', '.noise', '.tf', '.pz', '.sens', '.disto', '.four', '.fourier', '.pss', '.sp',
  '.print', '.plot', '.probe', '.save', '.meas', '.measure',
]);

/** Marker that ngspice echoes before each sample (stdout and, for the binary, stderr). */
const MARK = '@@S';
const END_MARK = '@@END';

/**
 * Splits the netlist into lines, drops the cards the engine layer owns (keeping line numbers, so ngspice's
 * "error on line N" still points into the given netlist) and finds the input sources.
 */
export function prepareDeck(netlist: string): Deck {
  const raw = netlist.replace(/\r\n?/g, '\n').split('\n');
  if (raw.every((l) => l.trim() === '')) throw inputError(SM.emptyNetlist());
  const lines: string[] = [raw[0]];
  const inputs = new Map<number, InputSource>();
  let lastCard: InputSource | undefined;
  let inControl = false;
  let dropping = false; // inside a dropped card's + continuation lines
  let subcktDepth = 0;
  for (let i = 1; i < raw.length; i++) {
    const line = raw[i];
    const t = line.trim();
    const word = (t.split(/\s+/)[0] ?? '').toLowerCase();
    if (inControl) {
      if (word === '.endc') inControl = false;
      lines.push(`* (ohmnet) ${line}`);
      continue;
    }
    if (word === '.end') break;
    if (t.startsWith('+')) {
      lines.push(dropping ? `* (ohmnet) ${line}` : line);
      if (lastCard) lastCard.continuations++;
      continue;
    }
    dropping = false;
    lastCard = undefined;
    if (word === '.control') {
      inControl = true;
      lines.push(`* (ohmnet) ${line}`);
      continue;
    }
    if (DROPPED_CARDS.has(word) || word === '.endc') {
      dropping = true;
      lines.push(`* (ohmnet) ${line}`);
      continue;
    }
    if (word === '.subckt') subcktDepth++;
    else if (word === '.ends') subcktDepth = Math.max(0, subcktDepth - 1);
    else if (subcktDepth === 0) {
      const m = /^vin(\d+)$/.exec(word);
      if (m) {
        const k = Number(m[1]);
        if (inputs.has(k)) throw inputError(SM.duplicateInputSource(k));
        const tokens = t.split(/\s+/);
        if (tokens.length < 3) throw inputError(SM.badInputSource(k, i + 1));
        lastCard = { line: lines.length, continuations: 0, name: tokens[0], plus: tokens[1], minus: tokens[2] };
        inputs.set(k, lastCard);
      }
    }
    lines.push(line);
  }
  const found = [...inputs.keys()].sort((a, b) => a - b);
  for (let k = 0; k < found.length; k++) if (found[k] !== k) throw inputError(SM.missingInputSource(k, found));
  return { lines, inputCount: found.length, sources: found.map((k) => inputs.get(k) as InputSource) };
}

/** Checks the samples against the deck's input sources and the probe names; returns lower-cased probes. */
export function checkRequest(deck: Deck, inputs: readonly (readonly number[])[], probes: readonly string[]): string[] {
  if (probes.length === 0) throw inputError(SM.noProbes());
  const out = probes.map((p) => {
    const q = p.trim().toLowerCase();
    if (q === '' || /[\s(),='"]/.test(q)) throw inputError(SM.badProbe(p));
    return q;
  });
  inputs.forEach((row, s) => {
    if (row.length !== deck.inputCount) throw inputError(SM.sampleLength(s, row.length, deck.inputCount));
    row.forEach((v, j) => {
      if (!Number.isFinite(v)) throw inputError(SM.sampleNonFinite(s, j, v));
    });
  });
  return out;
}

/** A number as ngspice reads it: JavaScript's shortest round-trip form (e.g. 0.1, -2.5e-7, 1e+21). */
export function spiceNumber(x: number): string {
  return Object.is(x, -0) ? '0' : String(x);
}

export interface ScriptOptions {
  readonly method: Method;
  readonly inputCount: number;
  readonly probes: readonly string[];
  /** The chunk's samples. */
  readonly samples: readonly (readonly number[])[];
  /** Global index of the chunk's first sample (used in markers and messages). */
  readonly offset: number;
  /** Also write each marker to stderr (the binary, whose stdout and stderr are separate streams). */
  readonly stderrMarkers: boolean;
  /** End with `quit 0` (the binary in batch mode; the wasm engine must keep running). */
  readonly quit: boolean;
  /**
   * End with `destroy all` and `remcirc` (the wasm engine: its ngspice keeps running, and every `source`
   * adds a circuit that is otherwise never freed, ~17 MB per run of a 1000-neuron network).
   */
  readonly free: boolean;
}

const PREAMBLE = [
  '.control',
  'set noaskquit',
  // No "transient operating point" fallback: ngspice 39+ otherwise answers a singular circuit (a floating
  // node) with the state of a pseudo-transient run instead of failing. Direct iteration, gmin stepping and
  // source stepping stay on.
  'optran 1 1 1 0 1 0',
  'set numdgt=17',
];

/** Names the sweep method adds to the circuit (chosen not to clash with ohmnet's own names). */
const SWEEP_SOURCE = 'vohmnet_sweep';
const SWEEP_NODE = 'ohmnet_sweep';

/** The .control block (alter method): one `op` per sample. */
function alterBlock(o: ScriptOptions): string[] {
  const out = [...PREAMBLE];
  const print = `print ${o.probes.map((p) => `v(${p})`).join(' ')}`;
  let prev: readonly number[] | undefined;
  o.samples.forEach((row, i) => {
    for (let j = 0; j < o.inputCount; j++) {
      if (prev === undefined || !Object.is(prev[j], row[j])) out.push(`alter vin${j} = ${spiceNumber(row[j])}`);
    }
    prev = row;
    const k = o.offset + i;
    out.push(`echo ${MARK} ${k}`);
    // Appending (>>) reopens the error stream, which the binary engine points at a file opened for appending.
    if (o.stderrMarkers) out.push(`echo ${MARK} ${k} >> /dev/stderr`);
    out.push('op', print, 'destroy all');
  });
  return [...out, ...ending(o)];
}

function ending(o: ScriptOptions): string[] {
  const out = [`echo ${END_MARK}`];
  if (o.stderrMarkers) out.push(`echo ${END_MARK} >> /dev/stderr`);
  if (o.free) out.push('destroy all', 'remcirc');
  if (o.quit) out.push('quit 0');
  out.push('.endc');
  return out;
}

/** The .control block (sweep method): one `dc` sweep over the helper source, then one table of the probes. */
function sweepBlock(o: ScriptOptions): string[] {
  const out = [...PREAMBLE];
  // A wide enough page that the table is not split, and no page breaks (the wasm build is interactive).
  out.push(`set width=${Math.max(80, 30 * (o.probes.length + 2))}`, 'set nobreak');
  out.push(`echo ${MARK} ${o.offset}`);
  if (o.stderrMarkers) out.push(`echo ${MARK} ${o.offset} >> /dev/stderr`);
  out.push(`dc ${SWEEP_SOURCE} 0 ${o.samples.length - 1} 1`);
  out.push(`print ${o.probes.map((p) => `v(${p})`).join(' ')}`);
  return [...out, ...ending(o)];
}

/**
 * The circuit lines with each VINk card replaced by VINk (DC 0) in series with a table source indexed by the
 * sweep; the table sources come after the circuit so that line numbers in ngspice's messages stay right.
 */
function sweepCircuit(deck: Deck, o: ScriptOptions): string[] {
  const lines = [...deck.lines];
  const tables: string[] = [];
  deck.sources.forEach((src, k) => {
    const node = `ohmnet_vin${k}`;
    lines[src.line] = `${src.name} ${src.plus} ${node} DC 0`;
    for (let c = 1; c <= src.continuations; c++) lines[src.line + c] = `* (ohmnet) ${lines[src.line + c]}`;
    tables.push(`B_ohmnet_vin${k} ${node} ${src.minus} V = pwl(v(${SWEEP_NODE}),`);
    const n = o.samples.length;
    for (let i = 0; i < n; i += 4) {
      const part: string[] = [];
      for (let r = i; r < Math.min(n, i + 4); r++) {
        const v = spiceNumber(o.samples[r][k]);
        part.push(`${r - 0.25}, ${v}, ${r + 0.25}, ${v}`);
      }
      tables.push(`+ ${part.join(', ')}${i + 4 < n ? ',' : ')'}`);
    }
  });
  lines.push(`${SWEEP_SOURCE} ${SWEEP_NODE} 0 DC 0`, ...tables);
  return lines;
}

/** The full netlist for one chunk: the prepared deck (rewritten for the sweep), the control block, .end. */
export function chunkNetlist(deck: Deck, o: ScriptOptions): string {
  const body = o.method === 'sweep' ? [...sweepCircuit(deck, o), ...sweepBlock(o)] : [...deck.lines, ...alterBlock(o)];
  return [...body, '.end', ''].join('\n');
}

/** Roughly how many characters of netlist a chunk's samples cost. */
export function charsPerSample(method: Method, inputCount: number): number {
  return method === 'sweep' ? 60 * inputCount + 10 : 32 * inputCount + 80;
}

/** Roughly how many characters of output a chunk's samples cost (page titles and notes aside). */
export function outputPerSample(method: Method, probes: number): number {
  return method === 'sweep' ? 26 * (probes + 2) + 10 : 200 + 45 * probes;
}

// ---------------------------------------------------------------------------------------------------------
// Reading the output back

/** ngspice's text split at the sample markers: what it said before the first sample, and per sample. */
export interface Chunks {
  readonly preamble: string[];
  readonly samples: Map<number, string[]>;
  readonly ended: boolean;
}

/** Strips the interactive prompt ("ngspice 12 -> ") that the wasm build prints before reading a command. */
function clean(line: string): string {
  return line.replace(/^(?:ngspice \d+ -> )+/, '').replace(/\s+$/, '');
}

export function splitAtMarkers(text: string): Chunks {
  const preamble: string[] = [];
  const samples = new Map<number, string[]>();
  let cur = preamble;
  let ended = false;
  for (const rawLine of text.split('\n')) {
    const line = clean(rawLine);
    const m = /^@@S (\d+)$/.exec(line);
    if (m) {
      cur = [];
      samples.set(Number(m[1]), cur);
      continue;
    }
    if (line === END_MARK) {
      ended = true;
      cur = [];
      continue;
    }
    cur.push(line);
  }
  return { preamble, samples, ended };
}

const OP_FAILED = /simulation\(s\) aborted|DC solution failed|could not be simulated successfully/i;
const NOT_PARSED = /Simulation interrupted due to error|circuit not parsed|^Error\b/i;
const MISSING_VECTOR = /vector (\S+) is not available/i;

/** True when a line of ngspice's error stream means the run cannot give results (stop early). */
export function isFatalLine(line: string): boolean {
  return OP_FAILED.test(line) || MISSING_VECTOR.test(line) || /Simulation interrupted due to error/i.test(line);
}

function oneLine(s: string, max = 200): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 3)}...` : t;
}

/** The first `Error...` line with its indented continuation lines, made into one line. */
function errorBlock(lines: readonly string[], skip: RegExp): string | undefined {
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i].trim();
    if (!/^Error\b/i.test(l) || skip.test(l)) continue;
    const parts = [l];
    // Continuation lines are indented; the wasm build puts a blank line after each line of stderr.
    for (let j = i + 1; j < lines.length && /^(\s+\S.*|\s*)$/.test(lines[j]); j++) {
      if (lines[j].trim() !== '' && !/Simulation interrupted|following steps may fail/i.test(lines[j])) {
        parts.push(lines[j].trim());
      }
    }
    return oneLine(
      parts
        .join(' ')
        .replace(/^Error on line (\d+) or its substitute:/i, 'line $1:')
        .replace(/^Error:\s*/i, '')
        .replace(/ from file \S+$/i, '')
        .replace(/[.!]+$/, ''),
    );
  }
  return undefined;
}

/** The most telling line of a failed operating point, e.g. "singular matrix: check node n3". */
export function failureReason(lines: readonly string[]): string {
  const singular = lines.find((l) => /singular matrix/i.test(l));
  if (singular) return oneLine(singular.replace(/^.*?(singular matrix)/i, '$1'));
  const err = errorBlock(lines, /could not be simulated successfully/i);
  if (err) return err;
  const other = lines.find((l) => /iteration limit|failed|too small|aborted/i.test(l) && !/^Note:/i.test(l.trim()));
  return other ? oneLine(other) : 'no solution';
}

/** ngspice's reason for not reading the netlist, if its messages before the first sample give one. */
export function parseFailure(lines: readonly string[]): string | undefined {
  if (!lines.some((l) => NOT_PARSED.test(l.trim()))) return undefined;
  return errorBlock(lines, /^$/) ?? oneLine(lines.find((l) => NOT_PARSED.test(l.trim())) ?? 'unknown error');
}

export interface ReadOptions {
  readonly method: Method;
  readonly engine: EngineLabel;
  readonly probes: readonly string[];
  readonly offset: number;
  readonly count: number;
  /** ngspice's standard output (values and markers). */
  readonly stdout: string;
  /** ngspice's messages with markers: stderr for the binary, the same text as stdout for the wasm build. */
  readonly messages: string;
  /** Why the run ended, if not normally (e.g. "exit code 1"); used when output is missing without a reason. */
  readonly ending?: string;
}

/**
 * The printed values: per sample (relative to the chunk), per probe column. `print` writes a single point as
 * "v(out0) = 1.5e-01" lines and several points (a sweep) as a table with an "Index v-sweep v(out0) ..." header.
 */
function readValues(lines: readonly string[], rows: Map<number, Map<string, string>>, at: number): void {
  let columns: string[] | undefined;
  const row = (i: number) => {
    let r = rows.get(i);
    if (r === undefined) rows.set(i, (r = new Map()));
    return r;
  };
  for (const l of lines) {
    const header = /^Index\s+(.*\S)\s*$/.exec(l);
    if (header) {
      columns = ['index', ...header[1].split(/\s+/).map((c) => c.toLowerCase())];
      continue;
    }
    const table = /^(\d+)\t(.*)$/.exec(l);
    if (table && columns) {
      const cells = table[2].trim().split(/\s+/);
      const r = row(Number(table[1]));
      cells.forEach((c, j) => r.set(columns?.[j + 1] ?? '', c));
      continue;
    }
    const single = /^\s*(\S+)\s+=\s+(\S+)$/.exec(l);
    if (single) row(at).set(single[1].toLowerCase(), single[2]);
  }
}

/** Reads the probe values of a chunk's samples; throws a one-line OhmnetError naming the first bad sample. */
export function readChunk(o: ReadOptions): Float64Array[] {
  const msgs = splitAtMarkers(o.messages);
  const notParsed = parseFailure(msgs.preamble);
  if (notParsed !== undefined && !msgs.samples.has(o.offset)) throw inputError(SM.notParsed(o.engine, notParsed));

  // Explained failures, in sample order (alter: per sample; sweep: one message list for the whole sweep).
  const explain = (k: number, lines: readonly string[]) => {
    if (lines.some((l) => OP_FAILED.test(l))) throw inputError(SM.opFailed(o.engine, k, failureReason(lines)));
    const missing = lines.map((l) => MISSING_VECTOR.exec(l)).find((m) => m !== null);
    if (missing) {
      const name = missing[1].replace(/^v\((.*)\)$/i, '$1').toLowerCase();
      throw inputError(SM.missingProbe(o.probes.includes(name) ? name : missing[1]));
    }
  };

  const rows = new Map<number, Map<string, string>>();
  const values = splitAtMarkers(o.stdout);
  if (o.method === 'alter') {
    for (let i = 0; i < o.count; i++) {
      const lines = msgs.samples.get(o.offset + i);
      if (lines === undefined) break;
      explain(o.offset + i, lines);
    }
    for (const [k, lines] of values.samples) readValues(lines, rows, k - o.offset);
  } else {
    const lines = values.samples.get(o.offset);
    if (lines) readValues(lines, rows, 0);
  }

  const out: Float64Array[] = [];
  for (let i = 0; i < o.count; i++) {
    const k = o.offset + i;
    const r = rows.get(i);
    const v = new Float64Array(o.probes.length);
    for (let j = 0; j < o.probes.length; j++) {
      const text = r?.get(`v(${o.probes[j]})`);
      if (text === undefined) {
        // Sweep: the analysis stopped at this sample; alter: this sample's messages were read above.
        const lines = msgs.samples.get(o.method === 'sweep' ? o.offset : k);
        if (lines && o.method === 'sweep') explain(k, lines);
        const why = lines ? failureReason(lines) : 'no solution';
        throw inputError(SM.stopped(o.engine, k, why === 'no solution' ? (o.ending ?? 'no output') : why));
      }
      v[j] = Number(text);
      if (!Number.isFinite(v[j])) throw inputError(SM.notFinite(o.engine, k, o.probes[j], text));
    }
    out.push(v);
  }
  return out;
}

/** What every engine does first with a request: its time limit, the prepared deck, the checked probes, the clock. */
export function beginRequest(req: OperatingPointRequest): { timeoutMs: number; deck: Deck; probes: string[]; t0: number; deadline: number } {
  const timeoutMs = req.timeoutMs ?? defaultTimeoutMs(req.inputs.length);
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) throw inputError(SM.badTimeout(timeoutMs));
  const deck = prepareDeck(req.netlist);
  const probes = checkRequest(deck, req.inputs, req.probes);
  return { timeoutMs, deck, probes, t0: performance.now(), deadline: Date.now() + timeoutMs };
}
