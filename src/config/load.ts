// Loading ohmnet.config.json (or --config FILE), validated against the JSON Schema generated from the OhmnetConfig
// type. Values become the same strings the command-line flags carry, so one parser serves both, and flags given on the
// command line override the file.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { inputError } from '../errors.js';
import type { OhmnetConfig } from './types.js';

export const CONFIG_FILE = 'ohmnet.config.json';

let validator: ReturnType<Ajv['compile']> | null = null;

/** The JSON Schema shipped with the package (schema/ohmnet.config.schema.json). */
export function configSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL('../../schema/ohmnet.config.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
}

function validate(): ReturnType<Ajv['compile']> {
  if (!validator) validator = new Ajv({ allErrors: false, strict: false }).compile(configSchema());
  return validator;
}

/** The config file to use: the explicit path (which must exist), else ./ohmnet.config.json if present, else null. */
export function findConfig(explicit: string | undefined, cwd = process.cwd()): string | null {
  if (explicit !== undefined) {
    if (!existsSync(explicit)) throw inputError(`cannot read config file '${explicit}': no such file; check the --config path`);
    return explicit;
  }
  const local = join(cwd, CONFIG_FILE);
  return existsSync(local) ? local : null;
}

export function loadConfig(path: string): OhmnetConfig {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw inputError(`config file '${path}' is not valid JSON (${(e as Error).message}); fix it or pass another with --config`);
  }
  const check = validate();
  if (!check(doc)) {
    const err = check.errors![0];
    const where = err.instancePath ? `'${err.instancePath.slice(1).replace(/\//g, '.')}'` : 'the file';
    if (err.keyword === 'additionalProperties') {
      const key = (err.params as { additionalProperty: string }).additionalProperty;
      throw inputError(`config file '${path}': unknown option '${key}'; options are the flags in camelCase (fanIn for --fan-in), see schema/ohmnet.config.schema.json`);
    }
    const allowed = err.keyword === 'enum' ? ` (one of ${(err.params as { allowedValues: unknown[] }).allowedValues.join(', ')})` : '';
    throw inputError(`config file '${path}': ${where} ${err.message}${allowed}`);
  }
  return doc as OhmnetConfig;
}

/** Config values as flag values: strings (lists joined with commas) or booleans, keyed like commander's options. */
export function configToFlags(config: OhmnetConfig): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (const [k, v] of Object.entries(config)) {
    if (v === undefined) continue;
    out[k] = typeof v === 'boolean' ? v : Array.isArray(v) ? v.join(',') : String(v);
  }
  return out;
}
