// Issue 20, item 1: a deck ohmnet runs contains only what ohmnet wrote. Hostile netlists (an .include of a file
// whose .control block runs a shell command, .control blocks however spelt, shell lines, unknown cards) are refused
// with one line naming the line, before an engine starts, on both engines; the same netlists handed to the ngspice
// program directly do run the command, so the refusal is what keeps it from running. Every golden netlist of the
// emitter passes the screen.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OhmnetError } from '../../src/errors.js';
import { prepareDeck } from '../../src/spice/engines/deck.js';
import { createEngine, ngspiceAvailable, type SpiceEngine } from '../../src/spice/engines/index.js';
import { ROOT } from '../helpers.js';

const HAS_NGSPICE = ngspiceAvailable();
const dir = mkdtempSync(join(tmpdir(), 'ohmnet-deck-test-'));
const marker = join(dir, 'PWNED');
const hostileInclude = join(dir, 'hostile.inc');
writeFileSync(hostileInclude, `.control\nshell touch ${marker}\n.endc\n`);

const DIVIDER = (extra: string) => `divider\nVIN0 in0 0 DC 1\nR1 in0 out0 3k\nR2 out0 0 7k\n${extra}\n.end\n`;

/** Hostile netlists, the line number each is refused at, and what the message says. */
const HOSTILE: [string, string, number, RegExp][] = [
  ['an .include of a file with a .control block', DIVIDER(`.include ${hostileInclude}`), 5, /an included file .* is not checked/],
  ['an .INC (abbreviated, upper case)', DIVIDER(`.INC ${hostileInclude}`), 5, /an included file/],
  ['a .lib', DIVIDER(`.lib ${hostileInclude} sec`), 5, /an included file/],
  ['a .control block', DIVIDER(`.control\nshell touch ${marker}\n.endc`), 5, /runs no command scripts/],
  ['an indented upper-case .CONTROL', DIVIDER(`   .CONTROL\nshell touch ${marker}\n.endc`), 5, /runs no command scripts/],
  ['a .control block inside a subcircuit', DIVIDER(`.subckt s a\n.control\nshell touch ${marker}\n.endc\n.ends`), 6, /runs no command scripts/],
  ['a lone .endc', DIVIDER('.endc'), 5, /runs no command scripts/],
  ['an .exec block', DIVIDER(`.exec\nshell touch ${marker}\n.endc`), 5, /runs no command scripts/],
  ['a shell line', DIVIDER(`shell touch ${marker}`), 5, /'shell' runs a command/],
  ['a .control on a continuation line', DIVIDER(`R3 out0 0 1k\n+ .control`), 6, /runs no command scripts/],
  ['an allowed dot card on a continuation line', DIVIDER(`R3 out0 0 1k\n+ .options`), 6, /only the dot cards ohmnet writes/],
  ['an analysis card', DIVIDER('.tran 1n 1u'), 5, /adds its own analysis/],
  ['an output card', DIVIDER('.print dc v(out0)'), 5, /adds its own analysis/],
  ['an unknown dot card', DIVIDER('.csparam x=1'), 5, /only the dot cards ohmnet writes \(\.options, \.subckt/],
  ['a line starting with punctuation', DIVIDER('# not spice'), 5, /a line must be an element/],
];

async function failure(p: Promise<unknown>): Promise<OhmnetError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(OhmnetError);
    const err = e as OhmnetError;
    expect(err.message).not.toContain('\n');
    expect(err.exitCode).toBe(2);
    return err;
  }
  throw new Error('expected an OhmnetError');
}

const engines: SpiceEngine[] = [];
beforeAll(async () => {
  engines.push(await createEngine('wasm'));
  if (HAS_NGSPICE) engines.push(await createEngine('ngspice'));
});
afterAll(async () => {
  for (const e of engines) await e.dispose?.();
  rmSync(dir, { recursive: true, force: true });
});

describe('hostile netlists are refused before an engine runs', () => {
  it.each(HOSTILE)('%s', async (_, netlist, line, why) => {
    for (const e of engines) {
      const op = await failure(e.operatingPoints({ netlist, inputs: [[1]], probes: ['out0'] }));
      expect(op.message).toMatch(new RegExp(`^line ${line} of the netlist \\('.*'\\) is not allowed: `));
      expect(op.message).toMatch(why);
      const tran = await failure(e.transient({ netlist, inputs: [{ kind: 'dc', value: 1 }], probes: ['out0'], stopTimeS: 1e-6, maxStepS: 1e-7, readTimesS: [1e-6] }));
      expect(tran.message).toBe(op.message);
    }
    expect(existsSync(marker)).toBe(false);
  });

  it.skipIf(!HAS_NGSPICE)('the same netlists do run the command when given to the ngspice program directly', () => {
    // Proof that the cases are live: the .include case, run by ngspice -b as a user might, creates the file.
    const file = join(dir, 'direct.cir');
    writeFileSync(file, DIVIDER(`.include ${hostileInclude}\n.op`));
    spawnSync('ngspice', ['-n', '-b', file], { cwd: dir, stdio: 'ignore' });
    expect(existsSync(marker)).toBe(true);
    rmSync(marker);
  });

  it('a control character or a very long line is shown safely in the message', () => {
    const long = `.include ${'x'.repeat(500)}\u0007`;
    expect(() => prepareDeck(DIVIDER(long))).toThrow(/^line 5 of the netlist \('\.include x+\.\.\.'\)/);
    expect(() => prepareDeck(DIVIDER('.inc a\u0007b'))).toThrow(/\('\.inc a\?b'\)/);
  });
});

describe('what ohmnet writes passes', () => {
  it('a *ng_script title (which would make ngspice run the file as commands) is replaced, not obeyed', async () => {
    const netlist = `*ng_script\nVIN0 in0 0 DC 1\nR1 in0 out0 3k\nR2 out0 0 7k\n.end\n`;
    expect(prepareDeck(netlist).lines[0]).toBe('* ohmnet engine deck');
    for (const e of engines) {
      const r = await e.operatingPoints({ netlist, inputs: [[2]], probes: ['out0'] });
      expect(Math.abs(r.voltages[0][0] - 1.4)).toBeLessThan(1e-12);
    }
  });

  it('comments, continuations, .options, .param, .func, .model, .global, .ic, .nodeset and subcircuits pass', async () => {
    const netlist = [
      'allowed cards',
      '* a comment that mentions .control and .include is only a comment',
      '.options reltol=1e-9',
      '.param rr=7k',
      '.func half(x) {x/2}',
      '.global vref',
      '.model swm sw vt=0.5',
      '.subckt buf a b',
      'E1 b 0 a 0 1',
      '.ends buf',
      'VIN0 in0 0',
      '+ DC 1',
      'R1 in0 out0 3k',
      'R2 out0 0 {rr}',
      'X1 out0 out1 buf',
      '.ic v(out1)=0',
      '.nodeset v(out0)=0.5',
      '.end',
      '.control',
      'shell echo after .end is not part of the deck',
      '.endc',
    ].join('\n');
    const deck = prepareDeck(netlist);
    expect(deck.inputCount).toBe(1);
    expect(deck.sources[0].continuations).toBe(1);
    expect(deck.lines.some((l) => /shell/.test(l))).toBe(false);
    for (const e of engines) {
      const r = await e.operatingPoints({ netlist, inputs: [[2]], probes: ['out1'] });
      expect(Math.abs(r.voltages[0][0] - 1.4)).toBeLessThan(1e-12);
    }
  });

  it('every golden netlist of the emitter passes the screen', () => {
    const golden = join(ROOT, 'test', 'golden', 'realization');
    const files = readdirSync(golden).filter((f) => f.endsWith('.netlist.cir.br'));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const deck = prepareDeck(brotliDecompressSync(readFileSync(join(golden, f))).toString('utf8'));
      expect(deck.inputCount).toBeGreaterThan(0);
    }
    expect(prepareDeck(readFileSync(join(ROOT, 'test', 'golden', 'xor-ideal.cir'), 'utf8')).inputCount).toBe(2);
  });
});
