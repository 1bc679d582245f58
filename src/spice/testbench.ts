// The testbench deck (testbench.cir, issue 10): a designer runs `ngspice -b testbench.cir` beside netlist.cir and
// reads every output of the network for given input samples, with the values ohmnet's behavioural simulation of the
// same realized circuit expects written as comments next to each sample.
//
// The deck includes netlist.cir by a relative path (ngspice resolves it against the including file's directory, so
// the folder can be moved), and netlist.cir instantiates the network once at its top level (Xnet between the input
// sources VIN<k>, the reference VREF and the output nodes out<k>). One .control block then, per sample, sets every
// VIN<k> to the sample's voltage with `alter`, solves the operating point with `op`, prints every v(out<k>) after an
// `echo sample <s>` line, and destroys the solution, so a sample whose operating point fails prints ngspice's error
// instead of the previous sample's values. `quit` ends the batch run with exit code 0 (without it, ngspice -b finds
// no analysis card outside the control block and exits 1). This is simpler to read and to edit than the engines'
// one-sweep table (engines/dc.ts), and a designer's few samples do not need the sweep's speed.

import { inputError, usageError } from '../errors.js';
import { SM } from '../messages/index.js';
import type { TNet } from '../tnet/types.js';
import { inputPoints, readTimeS, type ClockTiming } from '../circuit/clock.js';
import { commentText } from './emit.js';
import { spiceNumber } from './engines/deck.js';

export interface TestbenchSample {
  /** Input voltages VIN<k> (physical volts: inputGain x model input); a clocked network's, tick-major. */
  readonly inputsV: ArrayLike<number>;
  /**
   * Expected v(out<k>) in volts (the behavioural simulation of the realized circuit); a clocked network's at the end
   * of every tick, tick-major (outputs of tick 0, then tick 1 ...).
   */
  readonly expectedV: ArrayLike<number>;
}

export interface TestbenchOptions {
  /** The netlist file, relative to the testbench (default netlist.cir). */
  readonly netlistFile?: string;
  /** A name for the title line. */
  readonly title?: string;
  /** Where the samples come from and what the expected values are, one comment line each. */
  readonly describe?: readonly string[];
  readonly samples: readonly TestbenchSample[];
  /** A clocked network's timing (circuit/clock.ts, the netlist's clock): required for one, unused otherwise. */
  readonly timing?: ClockTiming;
}

/** Expected values per comment line. */
const PER_LINE = 6;

/** Digits ngspice prints (the behavioural values agree to ~1e-6 V; 12 digits show that without noise). */
const DIGITS = 12;

/** The testbench deck's lines for a network whose netlist is `netlistFile`. */
export function testbenchLines(net: TNet, o: TestbenchOptions): string[] {
  const file = o.netlistFile ?? 'netlist.cir';
  if (!/^[A-Za-z0-9_.][A-Za-z0-9_./-]*$/.test(file) || file.split('/').includes('..')) throw usageError(SM.testbenchBadInclude(file));
  if (o.samples.length === 0) throw usageError(SM.testbenchNoSamples());
  const outputs = net.outputSignal.length;
  const ticks = net.clock?.ticks ?? 1;
  o.samples.forEach((s, k) => {
    if (s.inputsV.length !== net.inputCount * ticks) throw inputError(SM.testbenchSampleLength(k, 'input voltages', s.inputsV.length, net.inputCount * ticks));
    if (s.expectedV.length !== outputs * ticks) throw inputError(SM.testbenchSampleLength(k, 'expected outputs', s.expectedV.length, outputs * ticks));
  });
  if (net.clock !== null) {
    if (o.timing === undefined) throw usageError(SM.testbenchNoTiming());
    return transientLines(net, o, file, o.timing);
  }
  const probes = Array.from({ length: outputs }, (_, k) => `v(out${k})`);
  const lines = [
    `* ohmnet testbench${o.title ? `: ${commentText(o.title)}` : ''}`,
    `* run: ngspice -b testbench.cir (beside ${file}); prints "sample <s>", then v(out0) .. v(out${outputs - 1}) in volts`,
    `* ${o.samples.length} sample${o.samples.length === 1 ? '' : 's'}: per sample, alter sets VIN0 .. VIN${net.inputCount - 1}, op solves the operating point, print shows every output`,
    ...(o.describe ?? []).map((l) => `* ${commentText(l)}`),
    `.include ${file}`,
    '.control',
    // No pseudo-transient fallback (ngspice 39+): an operating point that cannot be found fails visibly.
    'optran 1 1 1 0 1 0',
    `set numdgt=${DIGITS}`,
  ];
  o.samples.forEach((s, k) => {
    const expected = Array.from(s.expectedV, (v, j) => `v(out${j}) = ${String(v)}`);
    for (let j = 0; j < expected.length; j += PER_LINE) {
      lines.push(`* sample ${k} expected${j > 0 ? ' (cont.)' : ''}: ${expected.slice(j, j + PER_LINE).join(', ')}`);
    }
    lines.push(`echo sample ${k}`);
    for (let j = 0; j < net.inputCount; j++) lines.push(`alter vin${j} = ${spiceNumber(s.inputsV[j])}`);
    lines.push('op', `print ${probes.join(' ')}`, 'destroy all');
  });
  lines.push('quit', '.endc', '.end');
  return lines;
}

/**
 * Longest `alter` line of a waveform, in characters. ngspice 39 silently drops the waveform of a longer command line
 * (measured: 10,336 characters read correctly, 15,633 gave a source of 0 V); 8,000 is about 100 ticks of 17-digit
 * values. A longer waveform is built as a vector, one `let` per value.
 */
export const MAX_ALTER_CHARS = 8000;

/**
 * The transient testbench of a clocked network: per sample, `alter` gives every VIN<k> its piecewise-linear waveform
 * (one value per tick, ramping one clock edge into each tick: circuit/clock.ts), `tran` runs the sample's ticks with
 * the netlist's clock and enables, and the outputs are interpolated onto the end of every tick (read times are
 * breakpoints of the run: clock corners, so the values are the solver's own) and printed as one table, one row per
 * tick. The expected values are comments before each sample.
 */
function transientLines(net: TNet, o: TestbenchOptions, file: string, timing: ClockTiming): string[] {
  const clock = net.clock!;
  const ticks = clock.ticks;
  const outputs = net.outputSignal.length;
  const n = net.inputCount;
  const stop = readTimeS(timing, ticks - 1);
  const reads = Array.from({ length: ticks }, (_, t) => spiceNumber(readTimeS(timing, t)));
  const columns = Array.from({ length: outputs }, (_, k) => `out${k}`);
  const lines = [
    `* ohmnet testbench (transient)${o.title ? `: ${commentText(o.title)}` : ''}`,
    `* run: ngspice -b testbench.cir (beside ${file}); per sample prints "sample <s>", then a table: one row per tick (time = the end of the tick, in s), out0 .. out${outputs - 1} = v(out<k>) in volts`,
    `* ${o.samples.length} sample${o.samples.length === 1 ? '' : 's'} of ${ticks} ticks (tick ${spiceNumber(timing.tickS)} s; the outputs the model reads are those of ticks [${clock.readTicks.join(',')}]): per sample, alter sets the waveforms of VIN0 .. VIN${n - 1}, tran runs the ticks, every output is read at the end of every tick`,
    ...(o.describe ?? []).map((l) => `* ${commentText(l)}`),
    `.include ${file}`,
    '.control',
    'optran 1 1 1 0 1 0',
    // No table of every node's initial value before each run.
    'option noinit',
    `set numdgt=${DIGITS}`,
    `set width=${16 * (outputs + 3)}`,
    'set nobreak',
  ];
  o.samples.forEach((s, k) => {
    for (let t = 0; t < ticks; t++) {
      const expected = Array.from({ length: outputs }, (_, j) => `v(out${j}) = ${String(s.expectedV[t * outputs + j])}`);
      for (let j = 0; j < expected.length; j += PER_LINE) {
        lines.push(`* sample ${k} tick ${t} expected${j > 0 ? ' (cont.)' : ''}: ${expected.slice(j, j + PER_LINE).join(', ')}`);
      }
    }
    lines.push(`echo sample ${k}`);
    for (let j = 0; j < n; j++) {
      const pts = inputPoints(timing, Array.from({ length: ticks }, (_, t) => s.inputsV[t * n + j]));
      // The DC value too: ngspice's initial operating point uses it ("dc value used for op instead of transient
      // time=0 value").
      const values = pts.flatMap(([tm, v]) => [spiceNumber(tm), spiceNumber(v)]);
      const line = `alter @vin${j}[pwl] = [ ${values.join(' ')} ]`;
      lines.push(`alter vin${j} = ${values[1]}`);
      if (line.length <= MAX_ALTER_CHARS) lines.push(line);
      else {
        // A long sequence: the waveform as a vector built one value per command, then given to the source.
        lines.push(`let tb_pwl${j} = vector(${values.length})`, ...values.map((v, i) => `let tb_pwl${j}[${i}] = ${v}`), `alter @vin${j}[pwl] = tb_pwl${j}`);
      }
    }
    lines.push(
      `tran ${spiceNumber(timing.maxStepS)} ${spiceNumber(stop)} 0 ${spiceNumber(timing.maxStepS)}`,
      'set tb_run = $curplot',
      'setplot new',
      `compose time values ${ticks === 1 ? `0 ${reads[0]}` : reads.join(' ')}`,
      'setscale time',
      ...columns.map((c, j) => `let ${c} = interpolate({$tb_run}.v(out${j}))`),
      `print time ${columns.join(' ')}`,
      'destroy all',
    );
  });
  lines.push('quit', '.endc', '.end');
  return lines;
}

/** The testbench deck as text. */
export function testbenchText(net: TNet, o: TestbenchOptions): string {
  return `${testbenchLines(net, o).join('\n')}\n`;
}
