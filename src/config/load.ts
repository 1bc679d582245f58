// Loading ohmnet.config.json (or --config FILE), validated against the JSON Schema generated from the OhmnetConfig
// type, then checked past what JSON Schema says (integers within 2^53, finite numbers, resistances and shapes that
// parse), so that every problem of the file is reported by its key, never by the command-line flag it feeds.
// Values become the same strings the command-line flags carry, so one parser serves both, and flags given on the
// command line override the file. The file is read like every input: a regular file, size-limited.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { Ajv } from 'ajv';
import { inputError, isOhmnetError } from '../errors.js';
import { CONFIG_MESSAGES as CM } from '../messages/files.js';
import { parseShapeOption } from '../import/onnx.js';
import { isResistorListFile, parseResistance } from '../realize/series.js';
import { readTextFile } from '../util/read-file.js';
import type { LayerConfig, OhmnetConfig } from './types.js';

export const CONFIG_FILE = 'ohmnet.config.json';

/** A config file holds a few dozen options: 1 MiB is far past any real one. */
const MAX_CONFIG_BYTES = 2 ** 20;

let validator: ReturnType<Ajv['compile']> | null = null;
let schemaProperties: Record<string, { type?: string | string[] }> | null = null;

/** The JSON Schema shipped with the package (schema/ohmnet.config.schema.json). */
export function configSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL('../../schema/ohmnet.config.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
}

function validate(): ReturnType<Ajv['compile']> {
  if (!validator) validator = new Ajv({ allErrors: false, strict: false }).compile(configSchema());
  return validator;
}

function properties(): Record<string, { type?: string | string[] }> {
  schemaProperties ??= (configSchema().definitions as Record<string, { properties: Record<string, { type?: string }> }>).OhmnetConfig.properties;
  return schemaProperties;
}

/** The config file to use: the explicit path (which must exist), else ./ohmnet.config.json if present, else null. */
export function findConfig(explicit: string | undefined, cwd = process.cwd()): string | null {
  if (explicit !== undefined) {
    if (!existsSync(explicit)) throw inputError(CM.configMissing(explicit));
    return explicit;
  }
  const local = join(cwd, CONFIG_FILE);
  return existsSync(local) ? local : null;
}

/** A value as the file wrote it, shortened for a message. */
function shown(v: unknown): string {
  const text = typeof v === 'number' ? String(v) : JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

/** The checks JSON Schema cannot express, each refusal naming the key. */
function checkValues(path: string, config: Record<string, unknown>): void {
  const props = properties();
  const bad = (key: string, v: unknown, want: string) => inputError(CM.configValue(path, key, shown(v), want));
  const layers = (config.layers ?? {}) as Record<string, Record<string, unknown>>;
  for (const [name, layer] of Object.entries(layers)) {
    for (const [key, v] of Object.entries(layer)) {
      if (typeof v === 'number' && !Number.isFinite(v)) throw bad(`layers.${name}.${key}`, v, 'not a finite number');
    }
    checkResistances(layer, `layers.${name}.`, bad);
  }
  for (const [key, v] of Object.entries(config)) {
    const type = props[key]?.type;
    // JSON.parse reads 1e400 as Infinity, and JSON Schema calls 1e20 an integer: neither is a value ohmnet can use.
    if (typeof v === 'number' && !Number.isFinite(v)) throw bad(key, v, 'not a finite number');
    if (typeof v === 'number' && type === 'integer' && !Number.isSafeInteger(v)) throw bad(key, v, `more than the largest integer ohmnet reads (${Number.MAX_SAFE_INTEGER})`);
  }
  const shape = config.inputShape;
  if (shape !== undefined) {
    try {
      parseShapeOption(Array.isArray(shape) ? shape.join(',') : String(shape));
    } catch (e) {
      if (!isOhmnetError(e)) throw e;
      throw bad('inputShape', shape, 'not a list of positive integers; write it like [1, 8, 8] (per sample, without the batch dimension)');
    }
  }
  const range = config.inputRange;
  if (range !== undefined) {
    const parts = Array.isArray(range) ? range : String(range).split(',').map((t) => (/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(t) ? Number(t) : NaN));
    if (parts.length !== 2 || parts.some((p) => typeof p !== 'number' || !Number.isFinite(p))) throw bad('inputRange', range, 'not two finite numbers lo,hi; write it like [0, 1]');
  }
  checkResistances(config, '', bad);
}

function checkResistances(config: Record<string, unknown>, prefix: string, bad: (key: string, v: unknown, want: string) => Error): void {
  for (const key of ['rMin', 'rMax', 'rFeedback'] as const) {
    const r = config[key];
    if (r === undefined || (key === 'rFeedback' && (r === 'min-error' || r === 'patent'))) continue;
    const ok = typeof r === 'number' ? r > 0 : (() => {
      try {
        return parseResistance(String(r)) > 0;
      } catch (e) {
        if (!isOhmnetError(e)) throw e;
        return false;
      }
    })();
    if (!ok) throw bad(`${prefix}${key}`, r, `not a positive resistance; write e.g. 100k, 1M, 4k7 or 220${key === 'rFeedback' ? ' (or min-error, patent)' : ''}`);
  }
}

export function loadConfig(path: string): OhmnetConfig {
  if (typeof path !== 'string') throw inputError(`loadConfig needs the config file's path as a string, got ${path === null ? 'null' : typeof path}`);
  // A byte-order mark (some Windows editors write one) is not part of the JSON: readTextFile drops it.
  const text = readTextFile(path, { maxBytes: MAX_CONFIG_BYTES, what: 'a config file', hint: 'a config file holds a few options: is it the right file?' });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw inputError(CM.configNotJson(path, (e as Error).message));
  }
  const check = validate();
  if (!check(doc)) {
    const err = check.errors![0];
    const where = err.instancePath ? `'${err.instancePath.slice(1).replace(/\//g, '.')}'` : 'the file';
    if (err.keyword === 'additionalProperties') {
      const key = (err.params as { additionalProperty: string }).additionalProperty;
      if (err.instancePath.startsWith('/layers/')) throw inputError(CM.configUnknownLayerKey(path, err.instancePath.slice('/layers/'.length).replace(/~1/g, '/').replace(/~0/g, '~'), key, LAYER_KEYS));
      throw inputError(CM.configUnknownKey(path, key));
    }
    const allowed = err.keyword === 'enum' ? ` (one of ${(err.params as { allowedValues: unknown[] }).allowedValues.join(', ')})` : '';
    throw inputError(CM.configInvalid(path, where, `${err.message}${allowed}`));
  }
  checkValues(path, doc as Record<string, unknown>);
  return doc as OhmnetConfig;
}

/** The keys a layer may set in the config file (LayerConfig). */
export const LAYER_KEYS = ['fanIn', 'fanOut', 'resistors', 'rMin', 'rMax', 'rFeedback', 'tolerance'] as const;

/** Config keys whose values are paths (resolved against the config file's directory). */
const PATH_KEYS = ['calibration', 'test', 'debug', 'output', 'inputs', 'data', 'circuit', 'reuse', 'resistances', 'conductances', 'voltages', 'library'] as const;

/**
 * The config with its relative paths resolved against the file's directory (the file's meaning does not depend on
 * where ohmnet runs): sample files, directories, resistor lists (global and per layer).
 */
export function resolveConfigPaths(config: OhmnetConfig, path: string): OhmnetConfig {
  const dir = dirname(path);
  const at = (p: string) => (isAbsolute(p) ? p : join(dir, p));
  const out: Record<string, unknown> = { ...config };
  for (const k of PATH_KEYS) if (typeof out[k] === 'string') out[k] = at(out[k] as string);
  if (typeof config.resistors === 'string' && isResistorListFile(config.resistors)) out.resistors = at(config.resistors);
  if (config.layers) {
    out.layers = Object.fromEntries(Object.entries(config.layers).map(([name, l]) => [name, typeof l.resistors === 'string' && isResistorListFile(l.resistors) ? { ...l, resistors: at(l.resistors) } : l]));
  }
  return out as OhmnetConfig;
}

/** A flag value: text (lists joined with commas), a boolean, or the per-layer options object (config only). */
export type FlagValue = string | boolean | Readonly<Record<string, LayerConfig>>;

/** Config values as flag values: strings (lists joined with commas) or booleans, keyed like commander's options. */
export function configToFlags(config: OhmnetConfig): Record<string, FlagValue> {
  const out: Record<string, FlagValue> = {};
  for (const [k, v] of Object.entries(config)) {
    if (v === undefined) continue;
    if (k === 'layers') out[k] = v as Record<string, LayerConfig>;
    else out[k] = typeof v === 'boolean' ? v : Array.isArray(v) ? v.join(',') : String(v);
  }
  return out;
}
