// A sample file as a sample set: the samples (io/samples.ts reads and checks them) and, when the file has them, class
// labels: JSON {"inputs": [...], "labels": [...]}, or a CSV column named by --label-column (header name or 0-based
// index), which is removed from the samples.

import { readFileSync } from 'node:fs';
import { inputError } from '../errors.js';
import { sizeOf, type Shape } from '../ir/tensor.js';
import { readSamples } from './samples.js';

export interface SampleFile {
  readonly samples: Float64Array[];
  readonly labels: number[] | null;
  readonly path: string;
}

function checkLabels(path: string, labels: unknown[], count: number): number[] {
  if (labels.length !== count) throw inputError(`'${path}' has ${labels.length} labels for ${count} samples; give one label per sample`);
  return labels.map((l, k) => {
    if (typeof l !== 'number' || !Number.isSafeInteger(l) || l < 0) throw inputError(`'${path}': label ${k} is ${JSON.stringify(l)}; labels are class indices 0, 1, 2, ...`);
    return l;
  });
}

function csvWithLabelColumn(path: string, text: string, column: string, shape: Shape): SampleFile {
  const rows = text.replace(/^\uFEFF/, '').split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0 && !l.startsWith('#')).map((r) => r.split(/[,;\t]/).map((c) => c.trim()));
  if (rows.length === 0) throw inputError(`'${path}' contains no samples`);
  const header = rows[0].some((c) => c !== '' && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(c)) ? rows.shift()! : null;
  let col = header ? header.indexOf(column) : -1;
  if (col < 0 && /^\d+$/.test(column)) col = Number(column);
  if (col < 0 || (rows.length > 0 && col >= rows[0].length)) throw inputError(`'${path}' has no label column '${column}'${header ? ` (columns: ${header.join(', ')})` : ''}; name a header column or give a 0-based index`);
  const want = sizeOf(shape);
  const labels: number[] = [];
  const samples = rows.map((r, k) => {
    if (r.length !== want + 1) throw inputError(`'${path}': sample ${k} has ${r.length - 1} values besides its label, the model input needs ${want}`);
    const l = Number(r[col]);
    if (!Number.isSafeInteger(l) || l < 0 || !/^\d+$/.test(r[col])) throw inputError(`'${path}': label of sample ${k} is '${r[col]}'; labels are class indices 0, 1, 2, ...`);
    labels.push(l);
    const values = r.filter((_, j) => j !== col);
    return Float64Array.from(values, (v, j) => {
      const x = Number(v);
      if (v === '' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v) || !Number.isFinite(x)) throw inputError(`'${path}': sample ${k} value ${j} is not a finite number`);
      return x;
    });
  });
  if (samples.length === 0) throw inputError(`'${path}' contains no samples`);
  return { samples, labels, path };
}

/** Reads a sample file with its labels, if any (labelColumn: the CSV column that holds them). */
export function readSampleFile(path: string, shape: Shape, labelColumn?: string): SampleFile {
  const samples = labelColumn === undefined ? readSamples(path, shape) : null;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw inputError(`cannot read '${path}': ${(e as Error).message}`);
  }
  const json = /^\s*[[{]/.test(text.replace(/^\uFEFF/, ''));
  if (!json) {
    if (labelColumn === undefined) return { samples: samples!, labels: null, path };
    return csvWithLabelColumn(path, text, labelColumn, shape);
  }
  const all = samples ?? readSamples(path, shape);
  const doc = JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  const labels = !Array.isArray(doc) && typeof doc === 'object' && doc !== null ? (doc as { labels?: unknown }).labels : undefined;
  if (labels === undefined) return { samples: all, labels: null, path };
  if (!Array.isArray(labels)) throw inputError(`'${path}': "labels" must be an array of class indices`);
  return { samples: all, labels: checkLabels(path, labels, all.length), path };
}
