// The compact outputs of issue 18: resistors.bin read back equals resistors.csv row by row (every number exact), the
// gzipped netlist decompresses to the plain one, and `compile --outputs` writes exactly the files it names.

import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { importModel } from '../../src/import/index.js';
import { openRun, runStages } from '../../src/flow/index.js';
import { writeResistorsCsv } from '../../src/io/resistors-csv.js';
import { readResistorsBin, writeResistorsBin } from '../../src/io/resistors-bin.js';
import { SOURCE } from '../../src/io/resistor-rows.js';
import { writeLines } from '../../src/io/stream.js';
import { outputsFor, parseOutputs, OUTPUTS } from '../../src/io/outputs.js';
import { PROJECT_FILE } from '../../src/project/project.js';
import { signalLabel } from '../../src/tnet/types.js';
import type { Realized } from '../../src/realize/realize.js';
import { FIXTURES, runCli } from '../helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'ohmnet-compact-'));

async function realizedOf(file: string): Promise<Realized> {
  const run = openRun(importModel(join(FIXTURES, file)), {}, {});
  await runStages(run, ['realize']);
  return run.requireRealization().realized;
}

/** resistors.csv parsed by a plain CSV reader (quoted fields with doubled quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.trimEnd().split('\n').slice(1)) {
    const fields: string[] = [];
    let i = 0;
    while (i <= line.length) {
      if (line[i] === '"') {
        let j = i + 1;
        let v = '';
        while (j < line.length) {
          if (line[j] === '"' && line[j + 1] === '"') (v += '"'), (j += 2);
          else if (line[j] === '"') break;
          else v += line[j++];
        }
        fields.push(v);
        i = j + 2;
      } else {
        const j = line.indexOf(',', i) < 0 ? line.length : line.indexOf(',', i);
        fields.push(line.slice(i, j));
        i = j + 1;
      }
    }
    rows.push(fields);
  }
  return rows;
}

const num = (s: string): number => (s === '' ? NaN : Number(s));
const same = (a: number, b: number): boolean => (Number.isNaN(a) && Number.isNaN(b)) || a === b;

describe('resistors.bin', () => {
  // A feed-forward MLP, a CNN with normalizers of two values, an LSTM (delays, multipliers) and SiLU (multipliers).
  it.each(['xor.onnx', 'iris_mlp.onnx', 'dwsep_cnn.onnx', 'recurrent/lstm_digits.onnx', 'recurrent/silu_mlp.onnx'])('%s: reads back as resistors.csv, row by row', async (file) => {
    const r = await realizedOf(file);
    const csv = join(tmp, 'r.csv');
    const bin = join(tmp, 'r.bin');
    writeResistorsCsv(csv, r);
    writeResistorsBin(bin, r);
    const text = parseCsv(readFileSync(csv, 'utf8'));
    const rows = [...readResistorsBin(bin)];
    expect(rows.length).toBe(text.length);
    const label = (s: number) => (s === SOURCE.output ? 'output' : s === SOURCE.vref ? 'vref' : s === SOURCE.ground ? 'ground' : s === SOURCE.summator ? 'summator' : signalLabel(r.tnet, s));
    rows.forEach((b, k) => {
      const c = text[k];
      expect(b.neuron).toBe(Number(c[0]));
      expect(b.kind).toBe(c[2]);
      if (b.kind === 'multiplier') expect(`${label(b.source)} x ${label(b.aux)}`).toBe(c[3]);
      else if (b.kind === 'delay') expect(c[3]).toBe(`${label(b.source)}, ${b.aux} tick${b.aux === 1 ? '' : 's'} earlier`);
      else expect(label(b.source)).toBe(c[3]);
      expect(same(b.target, num(c[4]))).toBe(true);
      // CSV prints an open circuit and "no resistor" both as empty; the binary table tells them apart.
      const ohm = (v: number) => (v === Infinity ? NaN : v);
      expect(same(ohm(b.rPlusOhm), num(c[6]))).toBe(true);
      expect(same(ohm(b.rMinusOhm), num(c[7]))).toBe(true);
      expect(same(b.realized, num(c[8]))).toBe(true);
    });
    if (file.includes('lstm')) expect(rows.some((b) => b.kind === 'delay') && rows.some((b) => b.kind === 'multiplier')).toBe(true);
  });

  it('is smaller than the CSV and deterministic', async () => {
    const r = await realizedOf('dwsep_cnn.onnx');
    const [a, b, c] = ['a.bin', 'b.bin', 'c.csv'].map((f) => join(tmp, f));
    writeResistorsBin(a, r);
    writeResistorsBin(b, r);
    writeResistorsCsv(c, r);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    const rows = [...readResistorsBin(a)].length;
    // Two float64s a row and a few bytes of varint columns (version 1's fixed columns took 21 bytes more).
    expect(readFileSync(a).length).toBeLessThan(rows * (16 + 8) + 4096);
    expect(readFileSync(a).length * 3).toBeLessThan(readFileSync(c).length);
  });

  it('refuses a damaged file with one line naming it', async () => {
    const r = await realizedOf('xor.onnx');
    const good = join(tmp, 'good.bin');
    writeResistorsBin(good, r);
    const bytes = readFileSync(good);
    const cases: [string, Buffer][] = [
      ['not-bin', Buffer.from('neuron,layer,kind\n0,a,weight\n'.repeat(4))],
      ['truncated', bytes.subarray(0, bytes.length - 10)],
      ['no-header', Buffer.concat([Buffer.alloc(8), bytes.subarray(8)])],
      ['version-1', Buffer.concat([Buffer.from('OHMRBIN1'), bytes.subarray(8)])],
      // The first block's varint byte count one short: its columns no longer end where the header says.
      ['bad-columns', (() => { const c = Buffer.from(bytes); c.writeUInt32LE(c.readUInt32LE(20) - 1, 20); return c; })()],
    ];
    for (const [name, b] of cases) {
      const p = join(tmp, `${name}.bin`);
      writeFileSync(p, b);
      expect(() => [...readResistorsBin(p)], name).toThrow(/not a resistors\.bin file|truncated resistors\.bin/);
    }
  });
});

describe('gzipped text outputs', () => {
  it('decompress to the plain text, across several gzip members', () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => `R${i} n${i} n${i + 1} ${100_000 + (i % 977)}`);
    const plain = join(tmp, 'plain.cir');
    const gz = join(tmp, 'plain.cir.gz');
    writeLines(plain, lines);
    writeLines(gz, lines, { gzip: true });
    const text = readFileSync(plain);
    expect(text.length).toBeGreaterThan(2 << 20);
    expect(gunzipSync(readFileSync(gz)).equals(text)).toBe(true);
    expect(readFileSync(gz).length).toBeLessThan(text.length / 3);
  });
});

describe('compile --outputs', () => {
  it('parses names, refuses unknown ones and a testbench without its netlist', () => {
    expect([...parseOutputs('summary,netlist-gz, resistors-bin').names]).toEqual(['netlist-gz', 'resistors-bin']);
    expect(parseOutputs(undefined).explicit).toBe(false);
    expect(() => parseOutputs('netlist,gerber')).toThrow(/unknown output 'gerber'; choose from summary, tnet/);
    expect(() => parseOutputs('testbench')).toThrow(/testbench.cir includes netlist.cir/);
    expect(OUTPUTS.project).toBe(PROJECT_FILE);
  });

  it('switches the default resistors.csv to resistors.bin above the row threshold only', () => {
    const d = parseOutputs(undefined);
    expect(outputsFor(d, 5_000_000).switchedToBinary).toBe(false);
    const big = outputsFor(d, 5_000_001);
    expect(big.switchedToBinary).toBe(true);
    expect(big.names.has('resistors-bin') && !big.names.has('resistors')).toBe(true);
    // Named outputs are what the user asked for, whatever the size.
    expect(outputsFor(parseOutputs('resistors'), 9e9).names.has('resistors')).toBe(true);
  });

  it('writes exactly the named files; the gzipped netlist is the default netlist', async () => {
    const model = join(FIXTURES, 'iris_mlp.onnx');
    const full = join(tmp, 'full');
    const small = join(tmp, 'small');
    expect((await runCli(['compile', model, '-o', full])).code).toBe(0);
    const r = await runCli(['compile', model, '-o', small, '--outputs', 'netlist-gz,resistors-bin']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('wrote');
    expect(readdirSync(small).sort()).toEqual(['.ohmnet-output', 'netlist.cir.gz', 'resistors.bin', 'summary.json']);
    expect(gunzipSync(readFileSync(join(small, 'netlist.cir.gz'))).equals(readFileSync(join(full, 'netlist.cir')))).toBe(true);
    // The same summary but for the command line it records.
    const summary = (d: string) => readFileSync(join(d, 'summary.json'), 'utf8').replace(/\n  "command": .*\n/, '\n');
    expect(summary(small)).toBe(summary(full));
    const verdictOnly = join(tmp, 'verdict');
    expect((await runCli(['compile', model, '-o', verdictOnly, '--outputs', 'summary'])).code).toBe(0);
    expect(readdirSync(verdictOnly).sort()).toEqual(['.ohmnet-output', 'summary.json']);
  });

  it('refuses a bad list before any work, exit 2, nothing written', async () => {
    const out = join(tmp, 'bad');
    const r = await runCli(['compile', join(FIXTURES, 'iris_mlp.onnx'), '-o', out, '--outputs', 'netlist,masks']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--outputs: unknown output 'masks'/);
    expect(readdirSync(tmp)).not.toContain('bad');
  });
});
