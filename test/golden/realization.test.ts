// The circuits do not change by accident: every fixture model, compiled with the option sets the tests use, gives
// the same resistors.csv (every recorded column; columns added later may follow) and the same netlist elements
// (names, nodes, values) as the files recorded in
// test/golden/realization/ (scripts/record-realization-golden.ts writes them; re-record only for an intended change
// of the circuits, and say why in the commit). Comments and the title are free to change; elements are not.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers.js';
import { GOLDEN_CASES, GOLDEN_DIR, goldenArgs } from './realization-cases.js';
import { parseEng } from '../../src/spice/eng.js';

/** An element line with its numeric tokens (plain or engineering notation) parsed to the same double text. */
function canonical(line: string): string {
  return line.split(/\s+/).map((t, k) => { if (k === 0) return t; const v = parseEng(t); return Number.isNaN(v) ? t : String(v); }).join(' ');
}

/** The element lines of a netlist (no comments, no title, no dot cards), one per element. */
export function netlistElements(text: string): string[] {
  return text.split('\n').slice(1).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('*') && !l.startsWith('.'));
}

/** A CSV as header and rows of fields (quoted fields with commas are kept whole). */
function csvColumns(text: string): { header: string[]; rows: string[][] } {
  const split = (line: string): string[] => {
    const fields: string[] = [];
    let cur = '';
    let quoted = false;
    for (const ch of line) {
      if (ch === '"') quoted = !quoted;
      if (ch === ',' && !quoted) {
        fields.push(cur);
        cur = '';
      } else cur += ch;
    }
    fields.push(cur);
    return fields;
  };
  const lines = text.trimEnd().split('\n');
  return { header: split(lines[0]), rows: lines.slice(1).map(split) };
}

const work = mkdtempSync(join(tmpdir(), 'ohmnet-golden-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('circuits are identical to the recorded ones', () => {
  for (const c of GOLDEN_CASES) {
    it(c.id, async () => {
      const out = join(work, c.id);
      const r = await runCli(goldenArgs(c, out));
      // The circuit is the subject here, not the verdicts: a case may fail one (the approximate construction fails
      // equivalence by design, E12/fan-in 16 cases the default output-error threshold) and exit 1; nothing else.
      expect(r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('ohmnet: check failed:'))).toEqual([]);
      expect([0, 1]).toContain(r.code);
      const golden = (f: string) => brotliDecompressSync(readFileSync(join(GOLDEN_DIR, `${c.id}.${f}.br`))).toString('utf8');
      const csv = csvColumns(readFileSync(join(out, 'resistors.csv'), 'utf8'));
      const want = csvColumns(golden('resistors.csv'));
      expect(csv.rows.length).toBe(want.rows.length);
      for (const [k, name] of want.header.entries()) {
        const col = csv.header.indexOf(name);
        expect(col, `column ${name}`).toBeGreaterThanOrEqual(0);
        const bad = want.rows.findIndex((row, r) => row[k] !== csv.rows[r][col]);
        expect(bad === -1 ? null : { column: name, row: bad, got: csv.rows[bad][col], want: want.rows[bad][k] }).toBe(null);
      }
      const got = netlistElements(readFileSync(join(out, 'netlist.cir'), 'utf8')).map(canonical);
      const wantLines = netlistElements(golden('netlist.cir')).map(canonical);
      expect(got.length).toBe(wantLines.length);
      const firstDiff = got.findIndex((l, k) => l !== wantLines[k]);
      expect(firstDiff === -1 ? null : { line: firstDiff, got: got[firstDiff], want: wantLines[firstDiff] }).toBe(null);
    }, 120_000);
  }
});
