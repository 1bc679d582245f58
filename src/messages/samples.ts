// Messages about sample files (--inputs, --calibration, --test).

import { formatShape, type Shape } from './format.js';

/** Sample files. */
export const SAMPLE_MESSAGES = {
  inputsFileFormat: (path: string, why: string) =>
    `'${path}': ${why}; give JSON {"inputs": [[...], ...]} or CSV with one flattened sample per row`,
  sampleLength: (path: string, row: number, got: number, want: number, shape: Shape) =>
    `'${path}': sample ${row} has ${got} values, the model input ${formatShape(shape)} needs ${want}`,
  sampleNonFinite: (path: string, row: number, col: number) =>
    `'${path}': sample ${row} value ${col} is not a finite number`,
  sampleTooDeep: (path: string, row: number, max: number) =>
    `'${path}': sample ${row} is nested more than ${max} arrays deep; give each sample as a flat list or nested to the input's shape`,
  notDecimal: (path: string, row: number, col: number, text: string) =>
    `'${path}': sample ${row} value ${col} is not a finite number ('${text.length > 20 ? `${text.slice(0, 20)}...` : text}' is not a decimal number)`,
  noSamples: (path: string) => `'${path}' contains no samples`,
  labelsNotArray: (path: string) => `'${path}': "labels" must be an array of class indices`,
  badLabel: (path: string, k: number, text: string) =>
    `'${path}': label ${k} is ${text === '' ? 'missing' : `'${text.length > 20 ? `${text.slice(0, 20)}...` : text}'`}; labels are class indices 0, 1, 2, ...`,
  labelCount: (path: string, labels: number, samples: number) => `'${path}' has ${labels} labels for ${samples} samples; give one label per sample`,
  noLabelColumn: (path: string, column: string, header: string[] | null) =>
    `'${path}' has no label column '${column}'${header ? ` (columns: ${header.slice(0, 20).join(', ')})` : ''}; name a header column or give a 0-based index`,
} as const;
