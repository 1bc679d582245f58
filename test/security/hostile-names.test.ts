// Issue 20, item 1: names from the model reach the netlist only as safe comment text. A model whose graph and node
// names carry a newline and live SPICE (".control / shell touch PWNED / .endc") compiles; no line of the netlist
// is a control card or a shell command; ngspice run on the netlist (and ohmnet's own SPICE check) executes nothing;
// resistors.csv keeps each name in one quoted field, and the report escapes it.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { ngspiceAvailable } from '../../src/spice/engines/index.js';
import { emitNetlist } from '../../src/spice/emit.js';
import { FIXTURES, runCli } from '../helpers.js';

const { onnx } = onnxProto;
const work = mkdtempSync(join(tmpdir(), 'ohmnet-hostile-'));
const marker = join(work, 'PWNED');
const EVIL = `evil\n.control\nshell touch ${marker}\n.endc\n* `;

function hostileModel(): string {
  const m = onnx.ModelProto.decode(readFileSync(join(FIXTURES, 'tiny_mlp.onnx')));
  m.graph!.name = EVIL;
  m.graph!.node!.forEach((n, i) => (n.name = `${EVIL}${i}\u2028\r.include /etc/passwd`));
  const path = join(work, 'evil.onnx');
  writeFileSync(path, onnx.ModelProto.encode(m).finish());
  return path;
}

describe('hostile names', () => {
  const model = hostileModel();
  const out = join(work, 'out');

  it('compile writes a netlist where no name starts a card', async () => {
    const r = await runCli(['compile', model, '-o', out, '--calibration', join(FIXTURES, 'tiny_mlp.json')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const netlist = readFileSync(join(out, 'netlist.cir'), 'utf8');
    const lines = netlist.split('\n');
    for (const l of lines) {
      const t = l.trim().toLowerCase();
      expect(t.startsWith('.control') || t.startsWith('.endc') || t.startsWith('shell') || t.startsWith('.include')).toBe(false);
      expect(/[\u0000-\u0008\u000b-\u001f\u007f-\uffff]/.test(l), l).toBe(false);
    }
    // The names are still there, escaped, in the comments that map neurons to layers.
    expect(netlist).toContain('evil\\n.control\\nshell touch');
    expect(lines[0].startsWith('* ohmnet netlist: evil\\n.control')).toBe(true);
  });

  it.skipIf(!ngspiceAvailable())('ngspice -b on the netlist runs no shell command', () => {
    spawnSync('ngspice', ['-b', join(out, 'netlist.cir')], { cwd: work, encoding: 'utf8', timeout: 60_000 });
    expect(existsSync(marker)).toBe(false);
  });

  it('ohmnet verify --spice on the hostile model runs nothing either (both engines)', async () => {
    for (const engine of ['wasm', ...(ngspiceAvailable() ? ['ngspice'] : [])]) {
      const r = await runCli(['verify', model, '--spice', '--engine', engine, '--samples', '2', '--calibration', join(FIXTURES, 'tiny_mlp.json')]);
      expect(r.code, r.stderr).toBe(0);
      expect(existsSync(marker)).toBe(false);
    }
  }, 120_000);

  it('the library emitter is as safe as the CLI', async () => {
    const { realized } = await (await import('../../src/flow/index.js')).runFlow((await import('../../src/import/index.js')).importModel(model), {}, ['realize']).then((run) => ({ realized: run.requireRealization().realized }));
    const text = emitNetlist(realized, { opamp: { kind: 'ideal', gain: 1e9 }, title: EVIL });
    expect(text.split('\n').some((l) => /^\s*(\.control|shell|\.endc)/i.test(l))).toBe(false);
  });

  it('resistors.csv quotes each name in one field; the report escapes it', () => {
    const csv = readFileSync(join(out, 'resistors.csv'), 'utf8');
    expect(csv).toContain('"evil\n.control\nshell touch');
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).not.toContain('<script');
    expect(existsSync(marker)).toBe(false);
  });
});
