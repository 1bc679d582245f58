// Sample files: JSON {"inputs": [[...flattened sample...], ...]} or CSV with one flattened sample per row
// (an optional header row of non-numeric labels is skipped).

import { readFileSync } from 'node:fs';
import { inputError } from '../errors.js';
import { M } from '../messages/index.js';
import { sizeOf, type Shape } from '../ir/tensor.js';

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw inputError(M.fileNotFound(path));
    throw inputError(M.fileUnreadable(path, (e as Error).message));
  }
}

function parseJsonSamples(path: string, text: string): unknown[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw inputError(M.inputsFileFormat(path, `invalid JSON (${(e as Error).message})`));
  }
  const inputs = Array.isArray(doc) ? doc : (doc as { inputs?: unknown } | null)?.inputs;
  if (!Array.isArray(inputs)) throw inputError(M.inputsFileFormat(path, 'no "inputs" array'));
  return inputs;
}

function parseCsvSamples(text: string): unknown[] {
  const rows = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0 && !l.startsWith('#'));
  const parsed = rows.map((r) => r.split(/[,;\t]/).map((c) => c.trim()));
  if (parsed.length > 0 && parsed[0].every((c) => c !== '' && Number.isNaN(Number(c)))) parsed.shift();
  return parsed.map((r) => r.map((c) => (c === '' ? NaN : Number(c))));
}

/** Reads samples and checks each against the model's per-sample input shape. */
export function readSamples(path: string, inputShape: Shape): Float64Array[] {
  const text = readText(path);
  const trimmed = text.trimStart();
  const raw = trimmed.startsWith('{') || trimmed.startsWith('[') ? parseJsonSamples(path, text) : parseCsvSamples(text);
  if (raw.length === 0) throw inputError(M.noSamples(path));
  const want = sizeOf(inputShape);
  return raw.map((sample, row) => {
    const flat = Array.isArray(sample) ? (sample as unknown[]).flat(Infinity) : null;
    if (!flat) throw inputError(M.inputsFileFormat(path, `sample ${row} is not an array`));
    if (flat.length !== want) throw inputError(M.sampleLength(path, row, flat.length, want, inputShape));
    const out = new Float64Array(want);
    flat.forEach((v, col) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw inputError(M.sampleNonFinite(path, row, col));
      out[col] = v;
    });
    return out;
  });
}
