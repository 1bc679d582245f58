// Messages about sample files (--inputs, --calibration, --test).

import { formatShape, type Shape } from './format.js';

/**
 * Why a sample's length is wrong, for inputs of rank 2 or more: a sample is the input flattened row-major, so its
 * length is a multiple of the last axis (for a [T, F] sequence: F features per step, time-major).
 */
function lengthHint(got: number, shape: Shape): string {
  if (shape.length < 2) return '';
  const k = shape[shape.length - 1];
  const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const unit = shape.length === 2 ? `the ${k} features per step` : `${k}, the input's last axis`;
  if (got % k !== 0) return `; ${got} is not a multiple of ${unit}`;
  if (shape.length === 2) return ` (${shape[0]} steps of ${k} features): this sample has ${got / k} steps; every sample must have ${shape[0]} (ragged sequences are not supported)`;
  return ` (${rows} rows of ${k}): this sample has ${got / k}`;
}

/** Sample files. */
export const SAMPLE_MESSAGES = {
  inputsFileFormat: (path: string, why: string) =>
    `'${path}': ${why}; give JSON {"inputs": [[...], ...]} or CSV with one flattened sample per row`,
  sampleLength: (path: string, row: number, got: number, want: number, shape: Shape, line?: number) =>
    `'${path}'${line !== undefined ? ` line ${line}` : ''}: sample ${row} has ${got} values, the model input ${formatShape(shape)} needs ${want}${lengthHint(got, shape)}`,
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
