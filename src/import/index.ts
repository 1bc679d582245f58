// The importer front door: picks the format from the file's contents and extension.

import type { Graph } from '../ir/ops.js';
import { importOnnxFile, type ImportOptions } from './onnx.js';

export type { ImportOptions } from './onnx.js';

/** Imports a model file into the source-graph IR (ONNX today; every importer returns a validated Graph). */
export function importModel(path: string, options: ImportOptions = {}): Graph {
  return importOnnxFile(path, options);
}
