// Module libraries (issue 15, C11): an MLP 8-16-16-4 compiled with masks and added to a library; a second MLP,
// 8-16-16-6 with other weights everywhere (fixtures/library/make_mlps.py), compiled with that library reuses exactly
// its first two layers: their module cells in its masks.gds are the library's cells.gds bytes, byte for byte, while
// every resistor cell is drawn for its own weights; its third layer is new. A retrained XOR compiled with a library
// and a re-spin changes only resistor cells. `library add` twice changes nothing (content-addressed); `library list`
// and `match` print the entries; a library of another version is refused (one line, exit 2, nothing written).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, runCli } from '../helpers.js';
import { readGds } from '../../src/layout/gds.js';

const work = mkdtempSync(join(tmpdir(), 'ohmnet-library-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const mlp4 = join(FIXTURES, 'library', 'mlp_8_16_16_4.onnx');
const mlp6 = join(FIXTURES, 'library', 'mlp_8_16_16_6.onnx');
const lib = join(work, 'lib');
const a = join(work, 'a');
const b = join(work, 'b');
const masks = ['--masks', '--process', 'sky130-res-high'];

/** Every cell of a GDSII file: name -> its bytes (BGNSTR .. ENDSTR). */
function cells(path: string): Map<string, Buffer> {
  const bytes = readFileSync(path);
  return new Map(readGds(bytes).structures.map((s) => [s.name, bytes.subarray(s.start, s.end)]));
}

/** Every file of a directory tree with its SHA-256 (what "nothing changed" compares). */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p, `${rel}${name}/`);
      else out[`${rel}${name}`] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir, '');
  return out;
}

const modulesOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'modules.json'), 'utf8')).modules as { name: string; cell: string; hash: string; status: string; from: number; to: number }[];

describe('module libraries', () => {
  beforeAll(async () => {
    // A library that does not exist yet is empty: every module of the first network is new.
    const r = await runCli(['compile', mlp4, '-o', a, ...masks, '--library', lib]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(lib)).toBe(false);
  });

  it('library add: every module of the compile, one content-addressed entry each; adding again changes nothing', async () => {
    expect(modulesOf(a).map((m) => [m.name, m.status])).toEqual([['fc1', 'new'], ['fc2', 'new'], ['fc3', 'new']]);
    const r = await runCli(['library', 'add', lib, a]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`library ${lib}: 3 modules added, 0 already present`);
    const hashes = modulesOf(a).map((m) => m.hash);
    expect(readdirSync(join(lib, 'modules')).sort()).toEqual([...hashes].sort());
    for (const h of hashes) {
      const entry = JSON.parse(readFileSync(join(lib, 'modules', h, 'module.json'), 'utf8'));
      expect(entry.hash).toBe(h);
      // Each file is the one module.json names by its SHA-256; the subcircuit is the layer's .subckt of the netlist.
      for (const [file, sha] of Object.entries(entry.files)) expect(createHash('sha256').update(readFileSync(join(lib, 'modules', h, file))).digest('hex')).toBe(sha);
      const sub = readFileSync(join(lib, 'modules', h, 'subcircuit.cir'), 'utf8');
      expect(sub.startsWith(`.subckt ${entry.subcircuit} `)).toBe(true);
      expect(readFileSync(join(a, 'netlist.cir'), 'utf8')).toContain(sub);
    }
    expect(JSON.parse(readFileSync(join(lib, 'library.json'), 'utf8'))).toEqual({ format: 'ohmnet-module-library', version: 1 });
    const before = tree(lib);
    const again = await runCli(['library', 'add', lib, a]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 modules added, 3 already present');
    expect(tree(lib)).toEqual(before);
  });

  it('library list: one line per module with its hash, layer, op, size, process and constraints', async () => {
    const r = await runCli(['library', 'list', lib]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe(`library ${lib}: 3 modules (format version 1)`);
    const byHash = new Map(modulesOf(a).map((m) => [m.hash.slice(0, 12), m]));
    expect(lines.slice(1).map((l) => l.trim().split(' ')[0]).sort()).toEqual([...byHash.keys()].sort());
    const fc1 = lines.find((l) => l.includes(' fc1 '))!;
    expect(fc1).toMatch(/fc1 \(Gemm\+Relu\): 16 neurons, 8 inputs, sky130-res-high, fan-in \d+, fan-out \d+, E96, rMax 1000000 ohm, cell M[0-9a-f]{16}, subcircuit ohm_layer0$/);
    expect(lines.find((l) => l.includes(' fc3 '))).toMatch(/fc3 \(Gemm\): 4 neurons, 16 inputs/);
    const json = JSON.parse((await runCli(['library', 'list', lib, '--json'])).stdout);
    expect(json.map((e: { name: string }) => e.name).sort()).toEqual(['fc1', 'fc2', 'fc3']);
  });

  it('a network sharing two of three layers with the library reuses exactly those two: their cells are the library\'s bytes; resistor cells are drawn for its weights', async () => {
    const r = await runCli(['compile', mlp6, '-o', b, ...masks, '--library', lib]);
    expect(r.code, r.stderr).toBe(0);
    const mods = modulesOf(b);
    expect(mods.map((m) => [m.name, m.status])).toEqual([['fc1', 'reused'], ['fc2', 'reused'], ['fc3', 'new']]);
    expect(r.stdout).toContain('modules (library');
    expect(r.stdout).toContain('2 reused (fc1, fc2), 1 new (fc3)');
    const doc = JSON.parse(readFileSync(join(b, 'masks.json'), 'utf8'));
    expect(doc.masks.modules.map((m: { status: string }) => m.status)).toEqual(['reused', 'reused', 'new']);
    expect(JSON.parse(readFileSync(join(b, 'summary.json'), 'utf8')).masks.masks.modules).toEqual(doc.masks.modules);
    const now = cells(join(b, 'masks.gds'));
    for (const m of mods.slice(0, 2)) {
      const entry = cells(join(lib, 'modules', m.hash, 'cells.gds'));
      expect(now.get(m.cell)!.equals(entry.get(m.cell)!)).toBe(true);
      // The entry holds the module cell and the op-amp placeholder it references, as in the masks.
      expect([...entry.keys()]).toEqual(['OPAMP', m.cell]);
      expect(now.get('OPAMP')!.equals(entry.get('OPAMP')!)).toBe(true);
    }
    expect(existsSync(join(lib, 'modules', mods[2].hash))).toBe(false);
    expect(mods[2].cell).not.toBe(modulesOf(a)[2].cell);
    // The weights differ everywhere: every resistor-array cell of the shared layers differs from the library network's.
    const first = cells(join(a, 'masks.gds'));
    for (let i = 0; i < 32; i++) expect(now.get(`RA${i}`)!.equals(first.get(`RA${i}`)!), `RA${i}`).toBe(false);
    // No per-neuron op-amp cells: the module cells hold the op-amps (the labels are in the arrays).
    expect([...now.keys()].filter((n) => /^N\d+$/.test(n))).toEqual([]);
    const m = await runCli(['library', 'match', lib, b]);
    expect(m.code).toBe(0);
    expect(m.stdout.trim().split('\n')).toEqual([
      `${b}: 2 of 3 modules in library ${lib}`,
      `  in library ${mods[0].hash.slice(0, 12)} fc1: 16 neurons`,
      `  in library ${mods[1].hash.slice(0, 12)} fc2: 16 neurons`,
      `  new        ${mods[2].hash.slice(0, 12)} fc3: 6 neurons`,
    ]);
  });

  it('KLayout reads masks drawn with a library: every resistance, DRC clean, one neuron\'s op-amp pins found in its module cell', () => {
    if (spawnSync('klayout', ['-v'], { stdio: 'ignore' }).status !== 0) {
      if (process.env.OHMNET_REQUIRE_KLAYOUT === '1') throw new Error('klayout is required (OHMNET_REQUIRE_KLAYOUT=1)');
      return;
    }
    const out = join(b, 'check.json');
    const r = spawnSync('klayout', ['-b', '-r', join(ROOT, 'scripts', 'klayout', 'check.rb'), '-rd', `dir=${b}`, '-rd', 'neuron=20', '-rd', `out=${out}`], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const c = JSON.parse(readFileSync(out, 'utf8'));
    const rows = readFileSync(join(b, 'resistors.csv'), 'utf8').trim().split('\n').length - 1;
    expect(c.resistors.length).toBeGreaterThanOrEqual(rows);
    expect(c.drc.every((d: { violations: number }) => d.violations === 0)).toBe(true);
    // Neuron 20 (fc2): its summator's pins on the netlist's nets.
    const x = /^X20 (.*) ohm_opamp\b/m.exec(readFileSync(join(b, 'netlist.cir'), 'utf8'))!;
    expect(c.neuron.instances.X20).toEqual(x[1].split(' '));
  });

  it('the report\'s masks section: areas per layer and in total, resistor vs op-amp area, the process, reused and new modules, the KLayout check once known', async () => {
    const text = (html: string) => {
      const i = html.indexOf('<section id="masks">');
      expect(i).toBeGreaterThan(0);
      return html.slice(i, html.indexOf('</section>', i)).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    };
    const doc = JSON.parse(readFileSync(join(b, 'masks.json'), 'utf8'));
    const s = text(readFileSync(join(b, 'report.html'), 'utf8'));
    const um2 = (a: number) => `${Math.round(a).toLocaleString('en-US')} µm²`;
    expect(s).toContain('masks.gds in process sky130-res-high');
    for (const l of doc.masks.byLayer) expect(s).toContain(`${l.layer} ${l.neurons} ${l.resistors.toLocaleString('en-US')} ${um2(l.resistorAreaUm2)} ${um2(l.opampAreaUm2)}`);
    expect(s).toContain(`resistor area (drawn footprints) ${um2(doc.masks.resistorAreaUm2)}`);
    expect(s).toContain(`op-amp area (placeholder footprints) ${um2(doc.masks.opampAreaUm2)}`);
    expect(s).toContain('2 of 3 modules reused');
    expect(s).toMatch(/fc1 16 M[0-9a-f]{16} reused/);
    expect(s).toMatch(/fc3 6 M[0-9a-f]{16} new/);
    expect(s).toContain('KLayout check: not run on these masks');
    // Once check.rb has written check.json beside the masks (the previous test, with klayout), the report shows it.
    const page = join(work, 'b-report.html');
    expect((await runCli(['report', b, '-o', page])).code).toBe(0);
    if (existsSync(join(b, 'check.json'))) {
      expect(text(readFileSync(page, 'utf8'))).toMatch(/KLayout check \(check\.json\): [\d,]+ resistances recomputed from the drawn geometry; DRC clean; neuron 20's connectivity extracted \(\d+ resistors, 1 op-amps\)/);
    } else expect(readFileSync(page).equals(readFileSync(join(b, 'report.html')))).toBe(true);
  });

  it('same topology with a library: a retrained XOR reuses every module, and a re-spin changes only resistor cells', async () => {
    const xlib = join(work, 'xlib');
    const x1 = join(work, 'x1');
    const x2 = join(work, 'x2');
    expect((await runCli(['compile', join(FIXTURES, 'xor.onnx'), '-o', x1, ...masks, '--library', xlib])).code).toBe(0);
    expect((await runCli(['library', 'add', xlib, x1])).code).toBe(0);
    const r = await runCli(['compile', join(FIXTURES, 'gds', 'xor_respin.onnx'), '-o', x2, ...masks, '--library', xlib, '--reuse', x1]);
    expect(r.code, r.stderr).toBe(0);
    expect(modulesOf(x2).every((m) => m.status === 'reused')).toBe(true);
    const before = cells(join(x1, 'masks.gds'));
    const after = cells(join(x2, 'masks.gds'));
    // Device cells (resistor shapes, straps) are named by their geometry: new weights may add some.
    const kept = (m: Map<string, Buffer>) => [...m.keys()].filter((name) => !/^[DHS][\dm]/.test(name));
    expect(kept(after)).toEqual(kept(before));
    expect(kept(after).filter((n) => !after.get(n)!.equals(before.get(n)!))).toEqual(['RA4']);
    expect(JSON.parse(readFileSync(join(x2, 'masks.json'), 'utf8')).respin.changedResistorCells).toEqual(['RA4']);
  });

  it('refuses a library of another version, a directory that is no library and a compile without modules: one line, exit 2, nothing written', async () => {
    const v2 = join(work, 'v2');
    expect((await runCli(['library', 'add', v2, a])).code).toBe(0);
    writeFileSync(join(v2, 'library.json'), JSON.stringify({ format: 'ohmnet-module-library', version: 2 }));
    const v2tree = tree(v2);
    const plain = join(work, 'plain');
    expect((await runCli(['compile', join(FIXTURES, 'xor.onnx'), '-o', plain, ...masks])).code).toBe(0);
    const notLib = join(work, 'not-a-library');
    mkdirSync(notLib);
    const out = join(work, 'refused');
    const cases: [string[], RegExp][] = [
      [['compile', mlp6, '-o', out, ...masks, '--library', v2], /^ohmnet: error: module library .*v2 is of version 2, this ohmnet reads version 1; rebuild it with this ohmnet \(library add\) or use the ohmnet that wrote it$/],
      [['compile', mlp6, '-o', out, ...masks, '--library', notLib], /is not an ohmnet module library \(no library\.json/],
      [['compile', mlp6, '-o', out, '--library', lib], /^ohmnet: error: --library applies to masks: add --masks$/],
      [['library', 'add', v2, a], /is of version 2, this ohmnet reads version 1/],
      [['library', 'list', v2], /is of version 2/],
      [['library', 'match', v2, b], /is of version 2/],
      [['library', 'add', join(work, 'lib-new'), plain], /holds no masks\.gds and modules\.json of a compile with a module library; compile it with --masks and --library$/],
      [['compile', join(FIXTURES, 'xor.onnx'), '-o', out, ...masks, '--library', lib, '--reuse', plain], /was compiled for another topology \(masks drawn with a module library and masks drawn without one: give both compiles the library, or neither\)/],
      [['library', 'remove', lib], /^ohmnet: error: library: unknown action 'remove'; give add, list or match$/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(message);
      expect(existsSync(out)).toBe(false);
    }
    // No staging directory of the masks is left beside the outputs.
    expect(readdirSync(work).filter((name) => name.startsWith('.ohmnet-'))).toEqual([]);
    expect(tree(v2)).toEqual(v2tree);
    expect(existsSync(join(work, 'lib-new'))).toBe(false);
  });
});
