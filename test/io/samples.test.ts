// Sample files (issue 20, "wrong messages and silent quirks"): a BOM is accepted in JSON as in CSV, quoted CSV fields
// are read, a first row of NaN is data (a header is text labels only), only decimal numbers are numbers, and a sample
// nested 100,000 arrays deep is refused with a message (it overflowed the stack: exit 3).

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLabelledSamples, readSamples } from '../../src/io/samples.js';
import { isOhmnetError } from '../../src/errors.js';
import { FIXTURES, runCli } from '../helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'ohmnet-samples-'));
let n = 0;
const file = (text: string) => {
  const p = join(tmp, `s${n++}.txt`);
  writeFileSync(p, text);
  return p;
};
const read = (text: string, shape = [3]) => readSamples(file(text), shape).map((s) => Array.from(s));
function refusal(text: string, shape = [3]): string {
  try {
    readSamples(file(text), shape);
  } catch (e) {
    if (isOhmnetError(e)) return e.message;
    throw e;
  }
  return 'accepted';
}

describe('JSON samples', () => {
  it('reads {"inputs": ...}, a bare array, nested samples, and skips other keys', () => {
    expect(read('{"inputs": [[1, 2, 3], [4, 5.5, -6e-1]]}')).toEqual([[1, 2, 3], [4, 5.5, -0.6]]);
    expect(read('[[1, 2, 3]]')).toEqual([[1, 2, 3]]);
    expect(read('{"inputs": [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]}', [2, 2])).toEqual([[1, 2, 3, 4], [5, 6, 7, 8]]);
    expect(read('{"name": "x\\"y\\u00e9", "meta": {"a": [1, {"b": null}], "t": true}, "inputs": [[1, 2, 3]], "outputs": [[0]]}')).toEqual([[1, 2, 3]]);
  });

  it('accepts a byte-order mark, as CSV does', () => {
    expect(read('\uFEFF{"inputs": [[1, 2, 3]]}')).toEqual([[1, 2, 3]]);
    expect(read('\uFEFF1,2,3\n')).toEqual([[1, 2, 3]]);
  });

  it('a sample nested 100,000 arrays deep is refused, not a stack overflow', async () => {
    const deep = `{"inputs": [${'['.repeat(100_000)}1${']'.repeat(100_000)}]}`;
    expect(refusal(deep)).toMatch(/sample 0 is nested more than 64 arrays deep/);
    const r = await runCli(['run', join(FIXTURES, 'tiny_mlp.onnx'), '--inputs', file(deep)]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    // Other values are bounded too.
    expect(refusal(`{"x": ${'['.repeat(100_000)}${']'.repeat(100_000)}, "inputs": [[1, 2, 3]]}`)).toMatch(/nesting deeper than 64 levels/);
  });

  it.each([
    ['{"inputs": [[0x10, 2, 3]]}', /invalid JSON \(expected ',' or '\]', found 'x' at line 1 column 15\)/],
    ['{"inputs": [[1, 2, 3]],}', /invalid JSON \(expected a string key/],
    ['{"inputs": [[1, 2, 3]]} x', /invalid JSON \(expected the end of the file/],
    ['{"inputs": [[1, 2', /invalid JSON/],
    ['{"inputs": [[NaN, 2, 3]]}', /invalid JSON/],
    ['{"inputs": [["1", 2, 3]]}', /sample 0 value 0 is not a finite number/],
    ['{"inputs": [[1e400, 2, 3]]}', /sample 0 value 0 is not a finite number/],
    ['{"inputs": [[1, 2]]}', /sample 0 has 2 values, the model input \[3\] needs 3/],
    ['{"inputs": [[1, 2, 3, 4, 5]]}', /sample 0 has 5 values/],
    ['{"inputs": [1, 2, 3]}', /sample 0 is not an array/],
    ['{"inputs": {}}', /"inputs" is not an array/],
    ['{"inputs": [[1,2,3]], "inputs": [[1,2,3]]}', /two "inputs" arrays/],
    ['{"x": 1}', /no "inputs" array/],
    ['{"inputs": []}', /contains no samples/],
    ['{"a": "\u0001"}', /control character in a string/],
  ])('%s is refused', (text, re) => {
    expect(refusal(text)).toMatch(re);
  });
});

describe('CSV samples', () => {
  it('reads delimiters , ; and tab, comments, blank lines and CRLF', () => {
    expect(read('# a comment\n1,2,3\r\n\n4;5;6\n7\t8\t9')).toEqual([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    expect(read('+1, .5 ,5.\n')).toEqual([[1, 0.5, 5]]);
  });

  it('reads quoted fields (it said "contains no samples")', () => {
    expect(read('"1","2","3"\n"4","5","6"\n')).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(read('"a","b ""c""","d"\r\n"1",2,"3"\r\n')).toEqual([[1, 2, 3]]);
    expect(refusal('"1,2,3\n')).toMatch(/a quoted field is not closed/);
    expect(refusal('"1"x,2,3\n')).toMatch(/text follows the quoted field "1"/);
  });

  it('a header is a first row of text labels only: NaN,NaN,NaN is data', () => {
    expect(read('x1,x2,x3\n1,2,3\n')).toEqual([[1, 2, 3]]);
    expect(refusal('NaN,NaN,NaN\n1,2,3\n')).toMatch(/sample 0 value 0 is not a finite number/);
    expect(refusal('inf,1,2\n')).toMatch(/sample 0 value 0 is not a finite number/);
  });

  it.each(['0x10', '0b11', '0o7', '1_000', '1e', '--1', 'Infinityx'])('%s is not a decimal number', (cell) => {
    expect(refusal(`1,2,3\n${cell},2,3\n`)).toMatch(new RegExp(`sample 1 value 0 is not a finite number \\('${cell}' is not a decimal number\\)`));
  });

  it('refuses empty cells and rows of the wrong length', () => {
    expect(refusal('1,,3\n')).toMatch(/sample 0 value 1 is not a finite number/);
    expect(refusal('1,2\n')).toMatch(/sample 0 has 2 values, the model input \[3\] needs 3/);
    expect(refusal('')).toMatch(/contains no samples/);
    expect(refusal('a,b,c\n')).toMatch(/contains no samples/);
  });
});

describe('labels', () => {
  const labelled = (text: string, column?: string) => {
    const r = readLabelledSamples(file(text), [2], column);
    return { samples: r.samples.map((x) => Array.from(x)), labels: r.labels };
  };
  const labelRefusal = (text: string, column?: string) => {
    try {
      readLabelledSamples(file(text), [2], column);
    } catch (e) {
      if (isOhmnetError(e)) return e.message;
      throw e;
    }
    return 'accepted';
  };

  it('JSON "labels" in any position, or none', () => {
    expect(labelled('{"labels": [1, 0], "inputs": [[1, 2], [3, 4]]}')).toEqual({ samples: [[1, 2], [3, 4]], labels: [1, 0] });
    expect(labelled('{"inputs": [[1, 2]]}')).toEqual({ samples: [[1, 2]], labels: null });
    expect(labelled('[[1, 2]]')).toEqual({ samples: [[1, 2]], labels: null });
  });

  it('a CSV label column by header name or index, removed from the samples', () => {
    expect(labelled('a,label,b\n1,3,2\n4,0,5\n', 'label')).toEqual({ samples: [[1, 2], [4, 5]], labels: [3, 0] });
    expect(labelled('1,2,7\n3,4,8\n', '2')).toEqual({ samples: [[1, 2], [3, 4]], labels: [7, 8] });
    expect(labelled('1,2\n', undefined)).toEqual({ samples: [[1, 2]], labels: null });
  });

  it.each([
    ['{"inputs": [[1, 2]], "labels": [1.5]}', undefined, /label 0 is '1\.5'; labels are class indices/],
    ['{"inputs": [[1, 2]], "labels": ["a"]}', undefined, /label 0 is '"a"'/],
    ['{"inputs": [[1, 2]], "labels": [-1]}', undefined, /label 0 is '-1'/],
    ['{"inputs": [[1, 2]], "labels": 3}', undefined, /"labels" must be an array of class indices/],
    ['{"inputs": [[1, 2], [3, 4]], "labels": [0]}', undefined, /has 1 labels for 2 samples/],
    ['a,b,c\n1,2,3\n', 'label', /has no label column 'label' \(columns: a, b, c\)/],
    ['1,2,3\n', '5', /has no label column '5'/],
    ['1,2,x\n', '2', /label 0 is 'x'/],
  ])('%s (column %s) is refused', (text, column, re) => {
    expect(labelRefusal(text, column)).toMatch(re);
  });
});
