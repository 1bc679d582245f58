// A sample file as a sample set: the samples and, when the file has them, their class labels (JSON "labels", or the
// CSV column named by labelColumn), read by io/samples.ts with its bounded, regular-files-only reader.

import type { Shape } from '../ir/tensor.js';
import { readLabelledSamples } from './samples.js';

export interface SampleFile {
  readonly samples: Float64Array[];
  readonly labels: number[] | null;
  readonly path: string;
}

/** Reads a sample file with its labels, if any (labelColumn: the CSV column that holds them). */
export function readSampleFile(path: string, shape: Shape, labelColumn?: string): SampleFile {
  const r = readLabelledSamples(path, shape, labelColumn);
  return { samples: r.samples, labels: r.labels, path };
}
