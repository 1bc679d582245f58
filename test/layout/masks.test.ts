// Masks without KLayout: the geometry against the process figures (the SKY130 e-test table it is built from), the
// re-spin (only resistor cells change, and exactly those are listed: checked with ohmnet's own GDSII reader, byte for
// byte), determinism, and the refusals (a bad process file, a resistance no shape can draw, a previous directory of
// another network): one line, exit 2, nothing written.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, runCli } from '../helpers.js';
import { readGds } from '../../src/layout/gds.js';
import { CORNER_SQUARES, holeOhm, planarFrame, planarOhm, serpentineLength, shapeFor, type PlanarShape } from '../../src/layout/geometry.js';
import { loadProcessFile } from '../../src/layout/process.js';
import { PATENT_HOLE_EXAMPLE, PROCESS_PRESETS, SKY130_RES_HIGH } from '../../src/presets/processes.js';
import { checkProcess } from '../../src/layout/process.js';
import { generateProcessSchema, PROCESS_SCHEMA_PATH } from '../../scripts/process-schema.js';

const work = mkdtempSync(join(tmpdir(), 'ohmnet-masks-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('geometry', () => {
  it('SKY130 res_high_po: the e-test resistances (964.2/1326/2054/7888 ohm at 1/2/4/20 squares, W 0.35 um) are Rs n + 2 Rhead within 0.3%', () => {
    const p = SKY130_RES_HIGH;
    for (const [sq, ohm] of [[1, 964.2], [2, 1326], [4, 2054], [20, 7888]]) {
      const r = p.sheetOhmPerSq * sq + 2 * p.headOhm;
      expect(Math.abs(r - ohm) / ohm).toBeLessThan(3e-3);
    }
  });

  it('draws every E96 value of 100k..1M within Rs grid / (2 w) of it, legs within maxLegUm, on the grid', () => {
    const p = SKY130_RES_HIGH;
    const f = planarFrame(p);
    const bound = (p.sheetOhmPerSq * f.grid) / (2 * f.w) + 1e-9;
    for (const ohm of [1e5, 1.02e5, 2.49e5, 5.11e5, 9.76e5, 1e6]) {
      const s = shapeFor(p, ohm) as PlanarShape;
      expect(s.legs % 2).toBe(0);
      expect(s.legDbu).toBeLessThanOrEqual(f.maxLeg);
      expect(s.legDbu % f.grid).toBe(0);
      expect(s.extraDbu % f.grid).toBe(0);
      expect(Math.abs(s.ohm - ohm)).toBeLessThanOrEqual(bound);
      // The drawn value is the formula on the drawn path: L / w - (1 - 0.56) per corner.
      const L = serpentineLength(f, s.legs, s.legDbu, s.extraDbu);
      expect(s.ohm).toBe(planarOhm(p, L.length, L.corners, f.w));
      expect(s.ohm).toBeCloseTo(p.sheetOhmPerSq * (L.length / f.w - (1 - CORNER_SQUARES) * L.corners) + 2 * p.headOhm, 6);
    }
  });

  it('holes: R = rho t / (pi d^2 / 4) with d on twice the grid, and the nearer of the two grid diameters', () => {
    const p = PATENT_HOLE_EXAMPLE;
    const s = shapeFor(p, 1e6);
    expect(s.kind).toBe('hole');
    if (s.kind !== 'hole') return;
    expect(s.diameterDbu % 2).toBe(0);
    expect(s.ohm).toBeCloseTo((p.resistivityOhmM * p.thicknessM) / ((Math.PI * (s.diameterDbu * 1e-9) ** 2) / 4), 6);
    for (const d of [s.diameterDbu - 2, s.diameterDbu + 2]) expect(Math.abs(holeOhm(p, d) - 1e6)).toBeGreaterThanOrEqual(Math.abs(s.ohm - 1e6));
  });

  it('refuses a resistance no shape within the rules can draw, naming the element and the way out', () => {
    expect(() => shapeFor(SKY130_RES_HIGH, 1000, 'R3p1')).toThrow(/^R3p1 of 1000 ohm is below the smallest resistor process sky130-res-high can draw \(\d+(\.\d+)? ohm\); raise rMinOhm or choose another process$/);
    expect(() => shapeFor(PATENT_HOLE_EXAMPLE, 1e7, 'R0f')).toThrow(/^R0f of 10000000 ohm is above the largest resistor process patent-hole-example can draw/);
  });
});

describe('process files', () => {
  it('the schema is generated from the ResistorProcess type (the committed file is up to date), and every preset passes the checks', () => {
    expect(readFileSync(PROCESS_SCHEMA_PATH, 'utf8')).toBe(generateProcessSchema());
    for (const p of Object.values(PROCESS_PRESETS)) expect(() => checkProcess(p, p.name)).not.toThrow();
  });

  const file = (name: string, doc: unknown) => {
    const p = join(work, name);
    writeFileSync(p, JSON.stringify(doc));
    return p;
  };
  it('loads a preset written as a file, and refuses bad values with one line naming the key', () => {
    expect(loadProcessFile(file('ok.json', SKY130_RES_HIGH))).toEqual(SKY130_RES_HIGH);
    expect(() => loadProcessFile(file('neg.json', { ...SKY130_RES_HIGH, sheetOhmPerSq: -300 }))).toThrow(/^process file .*neg\.json: sheetOhmPerSq -300 must be a positive finite number; fix the file \(schema\/process\.schema\.json\)$/);
    expect(() => loadProcessFile(file('grid.json', { ...SKY130_RES_HIGH, body: { ...SKY130_RES_HIGH.body, minWidthUm: 0.353 } }))).toThrow(/body\.minWidthUm 0\.353 must be a multiple of the grid 0\.005 um/);
    expect(() => loadProcessFile(file('key.json', { ...SKY130_RES_HIGH, sheetOhm: 1 }))).toThrow(/^process file .*key\.json: the file must NOT have additional properties 'sheetOhm'/);
    expect(() => loadProcessFile(file('kind.json', { ...SKY130_RES_HIGH, kind: 'vertical' }))).toThrow(/'kind' must be "planar" or "hole"/);
  });
});

describe('compile --masks', () => {
  const xor = join(FIXTURES, 'xor.onnx');
  const respin = join(FIXTURES, 'gds', 'xor_respin.onnx');
  const cells = (dir: string) => {
    const bytes = readFileSync(join(dir, 'masks.gds'));
    return new Map(readGds(bytes).structures.map((s) => [s.name, bytes.subarray(s.start, s.end)]));
  };

  // gdspy (Debian python3-gdspy), a reader independent of ohmnet's and KLayout's: the resistor arrays reference one
  // device cell per drawn shape; gdspy follows the references (get_paths/get_labels with depth None) and every
  // resistance recomputed from the placed body paths (R = Rs (L / w - 0.44 corners) + 2 Rhead) is resistors.csv's, by the
  // label inside each body. Tolerance 1e-9 relative: gdspy reads the same integer coordinates, in um as doubles.
  const hasGdspy = spawnSync('/usr/bin/python3', ['-c', 'import gdspy'], { stdio: 'ignore' }).status === 0;
  it.runIf(hasGdspy)('gdspy reads the masks through their device-cell references: every resistance recomputed is resistors.csv\'s', async () => {
    const dir = join(work, 'gdspy');
    expect((await runCli(['compile', xor, '-o', dir, '--masks', '--process', 'sky130-res-high'])).code).toBe(0);
    const p = SKY130_RES_HIGH;
    const script = [
      'import sys, json, math, gdspy',
      'lib = gdspy.GdsLibrary(infile=sys.argv[1])',
      'p = json.loads(sys.argv[2])',
      'out = {}',
      'for name, c in lib.cell_dict.items():',
      '    if not name.startswith("RA"): continue',
      '    labels = [l for l in c.get_labels(depth=None) if l.layer == p["marker"]["layer"]]',
      '    for path in c.get_paths(depth=None):',
      '        if path.layers[0] != p["body"]["layer"] or path.datatypes[0] != p["body"]["datatype"]: continue',
      '        pts = path.points',
      '        L = sum(math.hypot(*(pts[k + 1] - pts[k])) for k in range(len(pts) - 1))',
      '        w = float(path.widths[0][0])',
      '        r = p["sheetOhmPerSq"] * (L / w - 0.44 * (len(pts) - 2)) + 2 * p["headOhm"]',
      '        lo, hi = pts.min(axis=0) - w / 2, pts.max(axis=0) + w / 2',
      '        inside = [l.text for l in labels if lo[0] <= l.position[0] <= hi[0] and lo[1] <= l.position[1] <= hi[1]]',
      '        assert len(inside) == 1, (name, inside)',
      '        out[inside[0]] = r',
      'print(json.dumps(out))',
    ].join('\n');
    const r = spawnSync('/usr/bin/python3', ['-W', 'ignore', '-c', script, join(dir, 'masks.gds'), JSON.stringify(p)], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const read = JSON.parse(r.stdout) as Record<string, number>;
    const lines = readFileSync(join(dir, 'resistors.csv'), 'utf8').trim().split('\n');
    const head = lines[0].split(',');
    const csv = new Map<string, number>();
    for (const line of lines.slice(1)) {
      const f = line.split(',');
      if (f[head.indexOf('element_plus')]) csv.set(f[head.indexOf('element_plus')], Number(f[head.indexOf('r_plus_ohm')]));
      if (f[head.indexOf('element_minus')]) csv.set(f[head.indexOf('element_minus')], Number(f[head.indexOf('r_minus_ohm')]));
    }
    expect(Object.keys(read).sort()).toEqual([...csv.keys()].sort());
    for (const [name, ohm] of csv) expect(Math.abs(read[name] - ohm) / ohm, name).toBeLessThan(1e-9);
    // The arrays draw no body themselves: every body is in a device cell.
    const gds = readGds(readFileSync(join(dir, 'masks.gds')));
    for (const st of gds.structures) if (st.name.startsWith('RA')) expect(st.elements.some((e) => e.type === 'path')).toBe(false);
  });

  it('is deterministic: the same compile gives the same masks.gds bytes', async () => {
    for (const d of ['d1', 'd2']) expect((await runCli(['compile', xor, '-o', join(work, d), '--masks', '--process', 'ihp-rppd'])).code).toBe(0);
    expect(readFileSync(join(work, 'd1', 'masks.gds')).equals(readFileSync(join(work, 'd2', 'masks.gds')))).toBe(true);
  });

  it('re-spin: retrained weights keep every neuron cell and the placement byte-identical; only the changed resistor cells differ, and they are listed', async () => {
    const a = join(work, 'first');
    const b = join(work, 'respin');
    expect((await runCli(['compile', xor, '-o', a, '--masks', '--process', 'sky130-res-high'])).code).toBe(0);
    const run = await runCli(['compile', respin, '-o', b, '--masks', '--process', 'sky130-res-high', '--reuse', a]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const before = cells(a);
    const after = cells(b);
    // Device cells (a drawn resistor shape D/H, a strap S) are named by their geometry: new weights may add some, and
    // one name is the same bytes in both files.
    const isDevice = (name: string) => /^[DHS][\dm]/.test(name);
    const kept = (m: Map<string, Buffer>) => [...m.keys()].filter((name) => !isDevice(name));
    for (const [name, bytes] of after) if (isDevice(name) && before.has(name)) expect(bytes.equals(before.get(name)!), name).toBe(true);
    expect(kept(after)).toEqual(kept(before));
    const differ = kept(after).filter((name) => !after.get(name)!.equals(before.get(name)!));
    // Only the last layer was retrained (fixtures/gds/make_respin.py): its one neuron's array, nothing else.
    expect(differ).toEqual(['RA4']);
    const doc = JSON.parse(readFileSync(join(b, 'masks.json'), 'utf8'));
    expect(doc.respin.changedResistorCells).toEqual(differ);
    expect(doc.respin.unchangedResistorCells).toBe(4);
    expect(doc.respin.identicalCells).toBe(7); // OPAMP, N0..N4, TOP
    expect(run.stdout).toContain('1 resistor cells changed (RA4)');
    // The resistors.csv of the re-spin differs from the first in the last neuron's rows only.
    const rows = (d: string) => readFileSync(join(d, 'resistors.csv'), 'utf8').trim().split('\n');
    const changedRows = rows(b).filter((line, k) => line !== rows(a)[k]);
    expect(changedRows.length).toBeGreaterThan(0);
    expect(changedRows.every((l) => l.startsWith('4,'))).toBe(true);
  });

  it('refuses with one line, exit 2 and nothing written: a process file with a negative sheet resistance, an undrawable resistance, a previous directory of another network', async () => {
    const bad = join(work, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...SKY130_RES_HIGH, sheetOhmPerSq: -364.4 }));
    const cases: [string[], RegExp][] = [
      [['--masks', '--process', bad], /sheetOhmPerSq -364\.4 must be a positive finite number/],
      [['--masks', '--process', 'sky130-res-high', '--r-min', '1k', '--r-max', '10k'], /^ohmnet: error: R0f of 1330 ohm is below the smallest resistor process sky130-res-high can draw \(\d+(\.\d+)? ohm\); raise --r-min or choose another --process$/],
      [['--masks', '--process', 'patent-hole-example', '--r-min', '10k', '--r-max', '100k'], /below the smallest resistor process patent-hole-example can draw/],
      [['--masks'], /^ohmnet: error: masks need a resistor process: pass --process \(e\.g\. sky130-res-high\)$/],
      [['--process', 'sky130-res-high'], /^ohmnet: error: --process and --reuse apply to masks: add --masks$/],
      [['--masks', '--process', 'sky130-res-high', '--reuse', join(work, 'nothing-here')], /holds no masks\.gds and masks\.json of a previous compile; give --reuse a directory written with masks/],
    ];
    const iris = join(work, 'iris');
    expect((await runCli(['compile', join(FIXTURES, 'iris_mlp.onnx'), '-o', iris, '--masks', '--process', 'sky130-res-high'])).code).toBe(0);
    cases.push([['--masks', '--process', 'sky130-res-high', '--reuse', iris], /was compiled for another topology .*--reuse needs the same network structure and process/]);
    cases.push([['--masks', '--process', 'ihp-rppd', '--reuse', iris], /was compiled for another topology/]);
    // masks of another version of masks.json
    const old = join(work, 'xor-v0');
    expect((await runCli(['compile', xor, '-o', old, '--masks', '--process', 'sky130-res-high'])).code).toBe(0);
    const doc = JSON.parse(readFileSync(join(old, 'masks.json'), 'utf8'));
    writeFileSync(join(old, 'masks.json'), JSON.stringify({ ...doc, version: 0 }));
    cases.push([['--masks', '--process', 'sky130-res-high', '--reuse', old], /was compiled for another topology \(masks version 0, this ohmnet writes 1\)/]);
    // a placement beyond GDSII's 32-bit coordinates: op-amps of 1.5 m each
    const huge = join(work, 'huge.json');
    writeFileSync(huge, JSON.stringify({ ...SKY130_RES_HIGH, opampWidthUm: 1.5e6 }));
    cases.push([['--masks', '--process', huge], /beyond GDSII's 32-bit coordinates at 1 nm \(2,147 mm\); use a process of higher sheet resistance or a smaller network$/]);
    for (const [k, [flags, message]] of cases.entries()) {
      const out = join(work, `refused${k}`);
      const run = await runCli(['compile', xor, '-o', out, ...flags]);
      expect(run.code, flags.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr.trim()).toMatch(message);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('a project compiled with --masks keeps the drawn circuit: report re-renders it byte for byte, run uses it', async () => {
    const dir = join(work, 'project-masks');
    const plain = join(work, 'project-plain');
    // The hole example snaps by up to 2.4%: the drawn circuit differs visibly from the set values.
    expect((await runCli(['compile', xor, '-o', dir, '--masks', '--process', 'patent-hole-example'])).code).toBe(0);
    expect((await runCli(['compile', xor, '-o', plain])).code).toBe(0);
    const project = JSON.parse(readFileSync(join(dir, 'ohmnet.project.json'), 'utf8'));
    expect(project.masks).toEqual({ process: 'patent-hole-example' });
    const page = join(work, 'rerendered.html');
    expect((await runCli(['report', dir, '-o', page])).code).toBe(0);
    expect(readFileSync(page).equals(readFileSync(join(dir, 'report.html')))).toBe(true);
    const inputs = join(work, 'xor-inputs.json');
    writeFileSync(inputs, JSON.stringify({ inputs: [[0, 0], [0, 1], [1, 0], [1, 1]] }));
    const drawn = JSON.parse((await runCli(['run', dir, '--inputs', inputs, '--stage', 'realized', '--json'])).stdout).outputs;
    const nominal = JSON.parse((await runCli(['run', plain, '--inputs', inputs, '--stage', 'realized', '--json'])).stdout).outputs;
    expect(drawn).not.toEqual(nominal);
    // The drawn circuit's outputs are the ones compile measured: its summary's realization figures, recomputed.
    const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    const v = JSON.parse((await runCli(['verify', dir, '--spice', '--json', '--samples', '4'])).stdout);
    expect(v.passed).toBe(true);
    expect(s.masks).toBeDefined();
  });
});

