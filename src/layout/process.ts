// Resolving the resistor process of the masks: a preset's name (presets/processes.ts) or a user's JSON process file,
// validated against schema/process.schema.json (generated from the ResistorProcess type) and then past what JSON
// Schema says: every size positive and finite, on the grid, every layer number a GDSII layer (0..255).

import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { inputError, usageError } from '../errors.js';
import { MASK_MESSAGES as MM } from '../messages/index.js';
import { PROCESS_NAMES, PROCESS_PRESETS, type ResistorProcess } from '../presets/processes.js';
import { readTextFile } from '../util/read-file.js';

/** The JSON Schema shipped with the package (schema/process.schema.json). */
export function processSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL('../../schema/process.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
}

const validators = new Map<string, ReturnType<Ajv['compile']>>();
function validatorFor(kind: 'PlanarProcess' | 'HoleProcess'): ReturnType<Ajv['compile']> {
  let v = validators.get(kind);
  if (!v) {
    const s = processSchema();
    v = new Ajv({ allErrors: false, strict: false }).compile({ $ref: `#/definitions/${kind}`, definitions: s.definitions });
    validators.set(kind, v);
  }
  return v;
}

/** Whether x is a whole multiple of the grid (to a part in 1e9). */
export function onGrid(x: number, grid: number): boolean {
  const q = x / grid;
  return Math.abs(q - Math.round(q)) < 1e-6;
}

/** The checks past the schema: positive finite sizes, resistances, grid multiples, GDSII layer numbers. */
export function checkProcess(p: ResistorProcess, where: string): void {
  const bad = (key: string, value: number, need: string) => {
    throw inputError(MM.processValue(where, key, value, need));
  };
  const positive = (key: string, v: number) => {
    if (!(Number.isFinite(v) && v > 0)) bad(key, v, 'a positive finite number');
  };
  const layer = (key: string, l: { layer: number; datatype: number }) => {
    for (const [k, v] of [['layer', l.layer], ['datatype', l.datatype]] as const) if (!(Number.isInteger(v) && v >= 0 && v <= 255)) bad(`${key}.${k}`, v, 'a GDSII number from 0 to 255');
  };
  const gridded = (key: string, v: number) => {
    positive(key, v);
    if (!onGrid(v, p.gridUm)) bad(key, v, `a multiple of the grid ${p.gridUm} um`);
  };
  const rule = (key: string, r: { layer: number; datatype: number; minWidthUm: number; minSpacingUm: number }) => {
    layer(key, r);
    gridded(`${key}.minWidthUm`, r.minWidthUm);
    gridded(`${key}.minSpacingUm`, r.minSpacingUm);
  };
  positive('gridUm', p.gridUm);
  if (p.gridUm < 0.001) bad('gridUm', p.gridUm, 'at least 0.001 um (the database unit of the masks)');
  if (!onGrid(p.gridUm, 0.001)) bad('gridUm', p.gridUm, 'a multiple of 0.001 um (the database unit of the masks)');
  rule('strap', p.strap);
  rule('bus', p.bus);
  layer('via', p.via);
  gridded('via.sizeUm', p.via.sizeUm);
  layer('outline', p.outline);
  gridded('opampWidthUm', p.opampWidthUm);
  gridded('opampHeightUm', p.opampHeightUm);
  if (p.kind === 'planar') {
    positive('sheetOhmPerSq', p.sheetOhmPerSq);
    if (!(Number.isFinite(p.headOhm) && p.headOhm >= 0)) bad('headOhm', p.headOhm, 'a finite resistance of 0 ohm or more');
    rule('body', p.body);
    if (!onGrid(p.body.minWidthUm, 2 * p.gridUm)) bad('body.minWidthUm', p.body.minWidthUm, `a multiple of twice the grid (${2 * p.gridUm} um: the body's centre line is on the grid)`);
    layer('marker', p.marker);
    layer('contact', p.contact);
    gridded('contact.sizeUm', p.contact.sizeUm);
    p.implants.forEach((im, k) => {
      layer(`implants.${k}`, im);
      gridded(`implants.${k}.enclosureUm`, im.enclosureUm);
      gridded(`implants.${k}.minSpacingUm`, im.minSpacingUm);
    });
    gridded('headLengthUm', p.headLengthUm);
    gridded('maxLegUm', p.maxLegUm);
    if (p.maxLegUm < 4 * p.body.minWidthUm) bad('maxLegUm', p.maxLegUm, `at least 4 body widths (${4 * p.body.minWidthUm} um)`);
  } else {
    positive('resistivityOhmM', p.resistivityOhmM);
    positive('thicknessM', p.thicknessM);
    rule('hole', p.hole);
    gridded('electrodeEnclosureUm', p.electrodeEnclosureUm);
    gridded('minDiameterUm', p.minDiameterUm);
    gridded('maxDiameterUm', p.maxDiameterUm);
    if (p.maxDiameterUm < p.minDiameterUm) bad('maxDiameterUm', p.maxDiameterUm, `at least minDiameterUm (${p.minDiameterUm})`);
  }
}

/** A process file: JSON of the ResistorProcess shape, checked. */
export function loadProcessFile(path: string): ResistorProcess {
  const text = readTextFile(path, { maxBytes: 2 ** 20, what: 'a process file', hint: 'a process file holds a few dozen figures: is it the right file?' });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw inputError(MM.processNotJson(path, (e as Error).message));
  }
  const kind = (doc as { kind?: unknown } | null)?.kind;
  if (kind !== 'planar' && kind !== 'hole') throw inputError(MM.processInvalid(path, "'kind'", 'must be "planar" or "hole"'));
  const check = validatorFor(kind === 'planar' ? 'PlanarProcess' : 'HoleProcess');
  if (!check(doc)) {
    const err = check.errors![0];
    const where = err.instancePath ? `'${err.instancePath.slice(1).replace(/\//g, '.')}'` : 'the file';
    const extra = err.keyword === 'additionalProperties' ? ` '${(err.params as { additionalProperty: string }).additionalProperty}'` : '';
    throw inputError(MM.processInvalid(path, where, `${err.message}${extra}`));
  }
  const p = doc as ResistorProcess;
  checkProcess(p, path);
  return p;
}

/** A preset's name, or the path of a process file (it ends in .json). */
export function resolveProcess(spec: string): ResistorProcess {
  if (PROCESS_PRESETS[spec]) return PROCESS_PRESETS[spec];
  if (/\.json$/i.test(spec)) return loadProcessFile(spec);
  throw usageError(MM.unknownProcess(spec, PROCESS_NAMES));
}
