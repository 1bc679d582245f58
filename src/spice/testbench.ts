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
import { commentText } from './emit.js';
import { spiceNumber } from './engines/deck.js';

export interface TestbenchSample {
  /** Input voltages VIN<k> (physical volts: inputGain x model input). */
  readonly inputsV: ArrayLike<number>;
  /** Expected v(out<k>) in volts (the behavioural simulation of the realized circuit). */
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
}

/** Expected values per comment line. */
const PER_LINE = 6;

/** Digits ngspice prints (the behavioural values agree to ~1e-6 V; 12 digits show that without noise). */
const DIGITS = 12;

/** The testbench deck's lines for a network whose netlist is `netlistFile`. */
export function testbenchLines(net: TNet, o: TestbenchOptions): string[] {
  if (net.clock !== null) throw usageError(SM.testbenchClocked());
  const file = o.netlistFile ?? 'netlist.cir';
  if (!/^[A-Za-z0-9_.][A-Za-z0-9_./-]*$/.test(file) || file.split('/').includes('..')) throw usageError(SM.testbenchBadInclude(file));
  if (o.samples.length === 0) throw usageError(SM.testbenchNoSamples());
  const outputs = net.outputSignal.length;
  o.samples.forEach((s, k) => {
    if (s.inputsV.length !== net.inputCount) throw inputError(SM.testbenchSampleLength(k, 'input voltages', s.inputsV.length, net.inputCount));
    if (s.expectedV.length !== outputs) throw inputError(SM.testbenchSampleLength(k, 'expected outputs', s.expectedV.length, outputs));
  });
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

/** The testbench deck as text. */
export function testbenchText(net: TNet, o: TestbenchOptions): string {
  return `${testbenchLines(net, o).join('\n')}\n`;
}
