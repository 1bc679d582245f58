// The importer front door: picks the format from the file's contents (zip: Keras 3 .keras; HDF5: Keras 2 .h5; a
// JSON object: TF.js model.json; anything else: ONNX protobuf, which has no magic number), then the extension.

import { dirname, join } from 'node:path';
import { inputError } from '../errors.js';
import type { Graph } from '../ir/ops.js';
import { M } from '../messages/index.js';
import { readRegularFile } from '../util/read-file.js';
import { importKeras, isHdf5, isZip } from './keras.js';
import { importOnnx, scanOnnx, type ImportOptions, type OnnxScan } from './onnx.js';
import { importTfjs } from './tfjs.js';

export type { ImportOptions } from './onnx.js';

export type ModelFormat = 'onnx' | 'keras' | 'tfjs';

/** Protobuf cannot encode 2 GiB or more, and the other formats are read whole too. */
const MAX_MODEL_BYTES = 2 ** 31 - 1;

/** The format of a model file's bytes (the extension decides only between formats the bytes cannot tell apart). */
export function modelFormatOf(bytes: Uint8Array, path: string): ModelFormat {
  if (isZip(bytes) || isHdf5(bytes)) return 'keras';
  let i = 0;
  while (i < bytes.length && i < 64 && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09 || bytes[i] === 0xef || bytes[i] === 0xbb || bytes[i] === 0xbf)) i++;
  if (bytes[i] === 0x7b /* { */ || /\.json$/i.test(path)) return 'tfjs';
  if (/\.(keras|h5|hdf5)$/i.test(path)) return 'keras';
  return 'onnx';
}

/** Imports a model file (ONNX, Keras .keras/.h5, TF.js model.json) into the source-graph IR, validated. */
export function importModel(path: string, options: ImportOptions = {}): Graph {
  if (typeof path !== 'string') throw inputError(M.badImportArgument('the model path must be a string', path === null ? 'null' : typeof path));
  const bytes = readRegularFile(path, { maxBytes: MAX_MODEL_BYTES, what: 'a model file', hint: 'no model ohmnet reads is this large: is it the right file?' });
  switch (modelFormatOf(bytes, path)) {
    case 'keras':
      return importKeras(bytes, path, options);
    case 'tfjs': {
      const dir = dirname(path);
      const text = new TextDecoder('utf-8').decode(bytes);
      return importTfjs(text, (p) => readRegularFile(join(dir, p), { maxBytes: MAX_MODEL_BYTES, what: 'a TF.js weight shard', hint: 'is it the right file?' }), path, options);
    }
    case 'onnx':
      return importOnnx(bytes, path, options);
  }
}

/**
 * What `inspect` reads of a model file before importing it: its format and, for ONNX, its source nodes and every
 * refusal the importer makes from the graph alone (so inspect can list them all where the import stops).
 */
export function scanModel(path: string): { format: ModelFormat; onnx: OnnxScan | null } {
  if (typeof path !== 'string') throw inputError(M.badImportArgument('the model path must be a string', path === null ? 'null' : typeof path));
  const bytes = readRegularFile(path, { maxBytes: MAX_MODEL_BYTES, what: 'a model file', hint: 'no model ohmnet reads is this large: is it the right file?' });
  const format = modelFormatOf(bytes, path);
  return { format, onnx: format === 'onnx' ? scanOnnx(bytes, path) : null };
}
