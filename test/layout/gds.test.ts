// The hand-written GDSII writer and reader (src/layout/gds.ts): round trips, the excess-64 reals, a file written by
// gdspy (an independent writer: fixtures/gds/make_gdspy.py) read by ohmnet's reader, and, where /usr/bin/python3 has
// gdspy, ohmnet's file read by gdspy.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeReal8, encodeReal8, GdsWriter, readGds, structureSpans } from '../../src/layout/gds.js';

const dir = mkdtempSync(join(tmpdir(), 'ohmnet-gds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sample(path: string): void {
  const w = new GdsWriter(path);
  try {
    w.beginLib('OHMLIB', 1e-3, 1e-9);
    w.beginStr('RES');
    w.rect(66, 20, 0, 0, 350, 2000);
    w.path(66, 20, 350, [175, 0, 175, 5000, 1005, 5000, 1005, 0]);
    w.text(66, 13, 500, 1000, 'R0p0');
    w.endStr();
    w.beginStr('TOP');
    w.sref('RES', 10000, 0);
    w.aref('RES', 3, 2, 0, 20000, 2000, 6000);
    w.endStr();
    w.endLib();
  } finally {
    w.close();
  }
}

describe('GDSII reals', () => {
  it('encodes the units as gdspy writes them (fixtures/gds/gdspy.gds: 1e-3 is 3E 41 89 37 4B C6 A7 F0, 1e-9 is 39 44 B8 2F A0 9B 5A 54)', () => {
    const b = new Uint8Array(8);
    encodeReal8(1e-3, b, 0);
    expect(Buffer.from(b).toString('hex')).toBe('3e4189374bc6a7f0');
    encodeReal8(1e-9, b, 0);
    expect(Buffer.from(b).toString('hex')).toBe('3944b82fa09b5a54');
  });
  it('round-trips every double within the GDSII range exactly (the 56-bit mantissa holds the 53 bits)', () => {
    fc.assert(fc.property(fc.double({ min: -1e60, max: 1e60, noNaN: true }).filter((v) => v === 0 || Math.abs(v) > 1e-60), (v) => {
      const b = new Uint8Array(8);
      encodeReal8(v, b, 0);
      const back = decodeReal8(b, 0);
      expect(back).toBe(v === 0 ? 0 : v);
    }));
  });
});

describe('GDSII writer and reader', () => {
  it('round-trips every element kind, and writes the same bytes twice (fixed timestamps)', () => {
    sample(join(dir, 'a.gds'));
    sample(join(dir, 'b.gds'));
    const a = readFileSync(join(dir, 'a.gds'));
    expect(a.equals(readFileSync(join(dir, 'b.gds')))).toBe(true);
    const lib = readGds(a);
    expect(lib).toMatchObject({ version: 600, name: 'OHMLIB', userUnitsPerDbu: 1e-3, metresPerDbu: 1e-9 });
    expect(lib.structures.map((s) => s.name)).toEqual(['RES', 'TOP']);
    expect(lib.structures[0].elements).toEqual([
      { type: 'boundary', layer: 66, datatype: 20, xy: [0, 0, 350, 0, 350, 2000, 0, 2000, 0, 0] },
      { type: 'path', layer: 66, datatype: 20, pathtype: 0, width: 350, xy: [175, 0, 175, 5000, 1005, 5000, 1005, 0] },
      { type: 'text', layer: 66, texttype: 13, xy: [500, 1000], string: 'R0p0' },
    ]);
    expect(lib.structures[1].elements).toEqual([
      { type: 'sref', name: 'RES', xy: [10000, 0] },
      { type: 'aref', name: 'RES', cols: 3, rows: 2, xy: [0, 20000, 6000, 20000, 0, 32000] },
    ]);
    // The byte span of a structure starts at its BGNSTR (record type 0x05) and ends after its ENDSTR (0x07).
    const s = lib.structures[0];
    expect(a[s.start + 2]).toBe(0x05);
    expect(a[s.end - 2]).toBe(0x07);
  });

  it('finds every structure\'s byte span without parsing its elements (structureSpans), as readGds does, in ohmnet\'s and gdspy\'s files', () => {
    sample(join(dir, 'spans.gds'));
    for (const bytes of [readFileSync(join(dir, 'spans.gds')), readFileSync(new URL('../../fixtures/gds/gdspy.gds', import.meta.url))]) {
      const lib = readGds(bytes);
      const { header, spans } = structureSpans(bytes);
      expect([...spans.entries()]).toEqual(lib.structures.map((st) => [st.name, [st.start, st.end]]));
      expect(header).toBe(lib.structures[0].start);
    }
  });

  it('reads the file gdspy 1.4.2 wrote (fixtures/gds/gdspy.gds): the same elements, in gdspy\'s order', () => {
    const lib = readGds(readFileSync(new URL('../../fixtures/gds/gdspy.gds', import.meta.url)));
    expect(lib).toMatchObject({ name: 'GDSPYLIB', userUnitsPerDbu: 1e-3, metresPerDbu: 1e-9 });
    const res = lib.structures.find((s) => s.name === 'RES')!;
    expect(res.elements).toContainEqual({ type: 'path', layer: 66, datatype: 20, pathtype: 0, width: 350, xy: [175, 0, 175, 5000, 1005, 5000, 1005, 0] });
    expect(res.elements).toContainEqual({ type: 'text', layer: 66, texttype: 13, xy: [500, 1000], string: 'R0p0' });
    const box = res.elements.find((e) => e.type === 'boundary')!;
    expect(box.type === 'boundary' && [...box.xy].sort((x, y) => x - y)).toEqual([0, 0, 0, 0, 0, 0, 350, 350, 2000, 2000]);
    const top = lib.structures.find((s) => s.name === 'TOP')!;
    expect(top.elements).toEqual([
      { type: 'sref', name: 'RES', xy: [10000, 0] },
      { type: 'aref', name: 'RES', cols: 3, rows: 2, xy: [0, 20000, 6000, 20000, 0, 32000] },
    ]);
  });

  it('refuses a truncated stream with one line', () => {
    sample(join(dir, 'c.gds'));
    const bytes = readFileSync(join(dir, 'c.gds')).subarray(0, 100);
    expect(() => readGds(bytes, 'c.gds')).toThrow(/^c\.gds is not a GDSII stream \(a record at byte \d+ runs past the end of the file\)$/);
  });

  const hasGdspy = spawnSync('/usr/bin/python3', ['-c', 'import gdspy'], { stdio: 'ignore' }).status === 0;
  it.runIf(hasGdspy)('gdspy reads ohmnet\'s file: the same cells, polygons, paths and labels', () => {
    sample(join(dir, 'd.gds'));
    const script = [
      'import sys, gdspy',
      'lib = gdspy.GdsLibrary(infile=sys.argv[1])',
      'c = lib.cell_dict["RES"]',
      'print(sorted(lib.cell_dict.keys()))',
      'print(len(c.polygons), len(c.paths), [l.text for l in c.labels])',
      'print(c.paths[0].points.round(3).tolist() if hasattr(c.paths[0], "points") else "")',
      'print(lib.cell_dict["TOP"].get_bounding_box().round(3).tolist())',
    ].join('\n');
    const r = spawnSync('/usr/bin/python3', ['-W', 'ignore', '-c', script, join(dir, 'd.gds')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe("['RES', 'TOP']");
    expect(lines[1]).toBe("1 1 ['R0p0']");
    // TOP: RES at (10, 0) and a 3 x 2 array from (0, 20) at pitch (2, 6); RES spans x 0..1.18 and y 0..5.175 (the path's half width beyond its points)
    expect(lines[3]).toBe('[[0.0, 0.0], [11.18, 31.175]]');
  });
});
