// Parsers for option values; each failure is a one-line usage error naming the flag.

import { usageError } from '../errors.js';
import { M } from '../messages/index.js';
import { parseShapeOption } from '../import/onnx.js';
import type { ImportOptions } from '../import/index.js';

export function parseIntOption(flag: string, text: string, min = -Infinity, max = Infinity): number {
  const v = Number(text);
  if (!/^[+-]?\d+$/.test(text.trim()) || !Number.isSafeInteger(v) || v < min || v > max) {
    throw usageError(M.badNumberOption(flag, text, `an integer${min > -Infinity ? ` >= ${min}` : ''}${max < Infinity ? ` and <= ${max}` : ''}`));
  }
  return v;
}

export function parseNumberOption(flag: string, text: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) throw usageError(M.badNumberOption(flag, text, 'a finite number'));
  return v;
}

export interface ModelFlags {
  inputShape?: string;
  maxTensorElements?: string;
}

export function importOptionsFrom(flags: ModelFlags): ImportOptions {
  return {
    ...(flags.inputShape !== undefined ? { inputShape: parseShapeOption(flags.inputShape) } : {}),
    ...(flags.maxTensorElements !== undefined ? { maxTensorElements: parseIntOption('--max-tensor-elements', flags.maxTensorElements, 1) } : {}),
  };
}
