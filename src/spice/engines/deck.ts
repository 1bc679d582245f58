// What every engine run shares: screening and preparing the given netlist, the start and end of the generated
// .control script, and reading ngspice's messages back (markers, parse errors, failed analyses).
//
// A deck ohmnet runs holds only what ohmnet wrote (issue 20, item 1). The given netlist may contain elements,
// comments, continuation lines and the dot cards of ALLOWED_CARDS; anything else is refused with a one-line error
// naming the line, before any engine starts: `.include` and `.lib` (an included file is not screened, and its
// `.control` block would run), `.control`/`.endc` and `.exec` (command scripts), analysis and output cards (the
// engine adds its own), a line starting with `shell`, and a line that starts with anything but a letter, '.', '+'
// or '*'. The title line is replaced: a first line `*ng_script` makes ngspice run the whole file as commands.
// ngspice runs with -n (no spinit/.spiceinit) in a fresh directory, so no other file is read.

import { inputError } from '../../errors.js';
import { SM, type EngineLabel } from '../../messages/index.js';

/** Dot cards a netlist may hold: those ohmnet's emitter writes, and initial conditions (.ic, .nodeset). */
export const ALLOWED_CARDS: ReadonlySet<string> = new Set([
  '.options', '.option', '.opt', '.subckt', '.ends', '.param', '.global', '.func', '.model', '.ic', '.nodeset', '.end',
]);

/** Cards the engine layer owns, refused with "the engine adds its own" rather than "not allowed". */
const ANALYSIS_CARDS = new Set([
  '.op', '.dc', '.ac', '.tran', '.noise', '.tf', '.pz', '.sens', '.disto', '.four', '.fourier', '.pss', '.sp',
  '.print', '.plot', '.probe', '.save', '.meas', '.measure', '.width',
]);

/** The title line every deck gets (the given one is not copied: see the module comment). */
const TITLE = '* ohmnet engine deck';

/** A top-level voltage source card: its line in the deck and its nodes. */
export interface SourceCard {
  readonly line: number;
  /** Number of + continuation lines after the card. */
  continuations: number;
  /** The name as written (e.g. VIN0, VDD). */
  readonly name: string;
  readonly plus: string;
  readonly minus: string;
}

export interface Deck {
  /** The netlist's lines up to (without) .end, the title replaced; line i is line i + 1 of the given netlist. */
  readonly lines: readonly string[];
  /** Number of input sources VIN0..VIN{n-1}. */
  readonly inputCount: number;
  /** The input sources by index. */
  readonly sources: readonly SourceCard[];
  /** Every top-level voltage source (inputs included), by lower-cased name. */
  readonly voltageSources: ReadonlyMap<string, SourceCard>;
}

/** The first word of a trimmed line, lower-cased. */
function firstWord(t: string): string {
  return (/^\S*/.exec(t) as RegExpExecArray)[0].toLowerCase();
}

/** Why a line (trimmed; `word` its first word) of the given netlist is refused, or undefined if it may stay. */
function refusal(t: string, word: string): string | undefined {
  const c = t.charCodeAt(0);
  // Most lines are elements: a letter other than the 's' of 'shell' passes at once.
  if ((c >= 97 && c <= 122 && c !== 115) || (c >= 65 && c <= 90 && c !== 83)) return undefined;
  if (t === '' || c === 42 /* '*' */) return undefined;
  if (c === 43 /* '+' */) {
    // A continuation cannot start a card, but a dot card here is nothing ohmnet writes: refuse it too.
    const next = t.slice(1).trim();
    return /^\.[a-z]/i.test(next) ? refusal(next, firstWord(next)) ?? SM.forbiddenWhy.card() : undefined;
  }
  if (word.startsWith('.')) {
    if (ALLOWED_CARDS.has(word)) return undefined;
    if (/^\.(inc|lib)/.test(word)) return SM.forbiddenWhy.include();
    if (/^\.(control|endc|exec)/.test(word)) return SM.forbiddenWhy.control();
    if (ANALYSIS_CARDS.has(word)) return SM.forbiddenWhy.analysis();
    return SM.forbiddenWhy.card();
  }
  if (word.startsWith('shell')) return SM.forbiddenWhy.shell();
  if (!/^[a-z]/.test(word)) return SM.forbiddenWhy.start();
  return undefined;
}

/**
 * Screens the netlist (see the module comment), splits it into lines (up to .end) and finds the voltage sources.
 * Line numbers are kept, so ngspice's "error on line N" still points into the given netlist.
 */
export function prepareDeck(netlist: string): Deck {
  const raw = netlist.replace(/\r\n?/g, '\n').split('\n');
  if (raw.every((l) => l.trim() === '')) throw inputError(SM.emptyNetlist());
  const lines: string[] = [TITLE];
  const inputs = new Map<number, SourceCard>();
  const voltageSources = new Map<string, SourceCard>();
  let lastCard: SourceCard | undefined;
  let subcktDepth = 0;
  for (let i = 1; i < raw.length; i++) {
    const line = raw[i];
    const t = line.trim();
    const word = firstWord(t);
    const why = refusal(t, word);
    if (why !== undefined) throw inputError(SM.forbiddenLine(i + 1, t, why));
    if (word === '.end') break;
    lines.push(line);
    const c = t.charCodeAt(0);
    if (c === 43 /* '+' */) {
      if (lastCard) lastCard.continuations++;
      continue;
    }
    if (t === '' || c === 42 /* '*' */) continue;
    lastCard = undefined;
    if (word === '.subckt') subcktDepth++;
    else if (word === '.ends') subcktDepth = Math.max(0, subcktDepth - 1);
    else if (subcktDepth === 0 && (c === 118 || c === 86) /* 'v' */) {
      const tokens = t.split(/\s+/);
      const m = /^vin(\d+)$/.exec(word);
      if (m && tokens.length < 3) throw inputError(SM.badInputSource(Number(m[1]), i + 1));
      if (tokens.length >= 3) {
        const card: SourceCard = { line: lines.length - 1, continuations: 0, name: tokens[0], plus: tokens[1], minus: tokens[2] };
        if (m) {
          const k = Number(m[1]);
          if (inputs.has(k)) throw inputError(SM.duplicateInputSource(k));
          inputs.set(k, card);
        }
        if (voltageSources.has(word)) throw inputError(SM.duplicateSource(tokens[0], i + 1));
        voltageSources.set(word, card);
        lastCard = card;
      }
    }
  }
  const found = [...inputs.keys()].sort((a, b) => a - b);
  for (let k = 0; k < found.length; k++) if (found[k] !== k) throw inputError(SM.missingInputSource(k, found));
  return { lines, inputCount: found.length, sources: found.map((k) => inputs.get(k) as SourceCard), voltageSources };
}

/**
 * Checks and lower-cases the probe names. A probe is pasted into control commands (`print v(p)`), where ';'
 * separates commands, '>' redirects and '$' substitutes: only letters, digits, '_', '.', ':' and '#' pass.
 */
export function checkProbes(probes: readonly string[]): string[] {
  if (probes.length === 0) throw inputError(SM.noProbes());
  return probes.map((p) => {
    const q = p.trim().toLowerCase();
    if (!/^[a-z0-9_][a-z0-9_.:#]*$/.test(q)) throw inputError(SM.badProbe(p));
    return q;
  });
}

/** A number as ngspice reads it: JavaScript's shortest round-trip form (e.g. 0.1, -2.5e-7, 1e+21). */
export function spiceNumber(x: number): string {
  return Object.is(x, -0) ? '0' : String(x);
}

/** How an engine runs the generated script. */
export interface RunStyle {
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

export const PREAMBLE: readonly string[] = [
  '.control',
  'set noaskquit',
  // No "transient operating point" fallback: ngspice 39+ otherwise answers a singular circuit (a floating
  // node) with the state of a pseudo-transient run instead of failing. Direct iteration, gmin stepping and
  // source stepping stay on.
  'optran 1 1 1 0 1 0',
  'set numdgt=17',
];

/** Marker that ngspice echoes before each sample (stdout and, for the binary, stderr). */
export const MARK = '@@S';
export const END_MARK = '@@END';

/** The commands that echo marker `text` on stdout (and stderr). */
export function marker(text: string, style: RunStyle): string[] {
  // Appending (>>) reopens the error stream, which the binary engine points at a file opened for appending.
  return style.stderrMarkers ? [`echo ${text}`, `echo ${text} >> /dev/stderr`] : [`echo ${text}`];
}

/** The end of every script: the end marker, freeing (wasm) or quitting (binary). */
export function ending(style: RunStyle): string[] {
  const out = marker(END_MARK, style);
  if (style.free) out.push('destroy all', 'remcirc');
  if (style.quit) out.push('quit 0');
  out.push('.endc');
  return out;
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
export function clean(line: string): string {
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

export const OP_FAILED = /simulation\(s\) aborted|DC solution failed|could not be simulated successfully/i;
const NOT_PARSED = /Simulation interrupted due to error|circuit not parsed|^Error\b/i;
export const MISSING_VECTOR = /vector (\S+) is not available/i;

/** True when a line of ngspice's error stream means the run cannot give results (stop early). */
export function isFatalLine(line: string): boolean {
  return OP_FAILED.test(line) || MISSING_VECTOR.test(line) || /Simulation interrupted due to error/i.test(line);
}

export function oneLine(s: string, max = 200): string {
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

/** The most telling line of a failed analysis, e.g. "singular matrix: check node n3" or "timestep too small". */
export function failureReason(lines: readonly string[]): string {
  const singular = lines.find((l) => /singular matrix/i.test(l));
  if (singular) return oneLine(singular.replace(/^.*?(singular matrix)/i, '$1'));
  const step = lines.find((l) => /timestep too small/i.test(l));
  if (step) return oneLine(step.replace(/^.*?(timestep too small)/i, '$1'));
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

/** The probe or source a "vector ... is not available" message names, if any, as the request spelled it. */
export function missingVector(lines: readonly string[]): string | undefined {
  const m = lines.map((l) => MISSING_VECTOR.exec(l)).find((x) => x !== null);
  return m ? m[1].replace(/^[vi]\((.*)\)$/i, '$1').replace(/#branch$/i, '').toLowerCase() : undefined;
}

/**
 * The printed values: per sample (relative to the chunk), per probe column. `print` writes a single point as
 * "v(out0) = 1.5e-01" lines and several points (a sweep) as a table with an "Index v-sweep v(out0) ..." header.
 */
export function readValues(lines: readonly string[], rows: Map<number, Map<string, string>>, at: number): void {
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

/** Checks a time limit: any positive finite number of milliseconds (deadline.ts re-arms long ones). */
export function checkTimeout(timeoutMs: number): number {
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) throw inputError(SM.badTimeout(timeoutMs));
  return timeoutMs;
}

export type { EngineLabel };
