// Module libraries (issue 15, C11): a directory of transformed modules, content-addressed by their topology hash
// (layout/modules.ts), from which a compile takes the neuron (op-amp) cells and placement of every module it shares
// with the library; the resistor cells (the weights) are always drawn for the new network.
//
// Layout (version 1; docs/masks.md "Module libraries"):
//   LIBRARY/library.json                 {"format": "ohmnet-module-library", "version": 1}
//   LIBRARY/modules/<hash>/module.json   the entry: hash, layer name and op, neurons, inputs, process, constraints,
//                                        the module cell's name, the netlist subcircuit's name, each file's SHA-256
//   LIBRARY/modules/<hash>/tnet.json     the module's T-network (ModuleStructure: rows, blocks, local sources)
//   LIBRARY/modules/<hash>/subcircuit.cir  the layer's .subckt from the netlist of the network it was added from
//                                        (absent when the layer's rows are not one run)
//   LIBRARY/modules/<hash>/cells.gds     a GDSII library: the op-amp placeholder cells the module uses and the
//                                        module cell (its op-amp instances and placement), the bytes of the masks
//                                        it was added from
// An entry is written once (to a temporary directory, then renamed): adding a module already present changes nothing.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inputError } from '../errors.js';
import { LIBRARY_MESSAGES as LM } from '../messages/index.js';
import { readGds, structureSpans } from './gds.js';
import type { LibraryCell, ModuleCellStatus } from './masks.js';
import { MASKS_FILE } from './masks.js';
import { moduleCell, type ModuleRun, type ModuleStructure } from './modules.js';
import { onCleanupResource } from '../util/cleanup.js';

export const LIBRARY_FORMAT = 'ohmnet-module-library';
export const LIBRARY_VERSION = 1;
export const LIBRARY_JSON = 'library.json';
/** The modules of a compile with a library (beside masks.gds). */
export const MODULES_JSON = 'modules.json';

export interface LibraryEntry {
  readonly version: number;
  readonly hash: string;
  readonly name: string;
  readonly op: string;
  readonly neurons: number;
  readonly inputs: number;
  readonly process: string;
  readonly constraints: ModuleStructure['constraints'];
  readonly cell: string;
  readonly subcircuit: string | null;
  /** SHA-256 of each file of the entry. */
  readonly files: Readonly<Record<string, string>>;
}

export interface Library {
  readonly dir: string;
  /** Entries by hash, in hash order. */
  readonly entries: ReadonlyMap<string, LibraryEntry>;
}

/** modules.json: the modules of a compile with a library, with their structure and whether the library had them. */
export interface ModulesDoc {
  readonly version: number;
  readonly library: string;
  readonly modules: readonly (ModuleCellStatus & { readonly from: number; readonly to: number; readonly subcircuit: string | null; readonly structure: ModuleStructure })[];
}

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

/** Reads a library (a directory that does not exist is an empty library); refuses another format or version. */
export function readLibrary(dir: string): Library {
  if (!existsSync(dir)) return { dir, entries: new Map() };
  const head = join(dir, LIBRARY_JSON);
  if (!existsSync(head)) throw inputError(LM.notLibrary(dir));
  let doc: { format?: unknown; version?: unknown };
  try {
    doc = JSON.parse(readFileSync(head, 'utf8')) as typeof doc;
  } catch {
    throw inputError(LM.notLibrary(dir));
  }
  if (doc?.format !== LIBRARY_FORMAT) throw inputError(LM.notLibrary(dir));
  if (doc.version !== LIBRARY_VERSION) throw inputError(LM.otherVersion(dir, String(doc.version), LIBRARY_VERSION));
  const entries = new Map<string, LibraryEntry>();
  const modules = join(dir, 'modules');
  const hashes = existsSync(modules) ? readdirSync(modules).filter((h) => /^[0-9a-f]{64}$/.test(h)).sort() : [];
  for (const h of hashes) {
    let e: LibraryEntry;
    try {
      e = JSON.parse(readFileSync(join(modules, h, 'module.json'), 'utf8')) as LibraryEntry;
    } catch {
      throw inputError(LM.badEntry(dir, h, 'module.json is missing or not JSON'));
    }
    if (e.version !== LIBRARY_VERSION || e.hash !== h) throw inputError(LM.badEntry(dir, h, `module.json is of version ${String(e.version)} or names hash ${String(e.hash).slice(0, 12)}...`));
    entries.set(h, e);
  }
  return { dir, entries };
}

function entryFile(lib: Library, hash: string, file: string): Uint8Array {
  const path = join(lib.dir, 'modules', hash, file);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch {
    throw inputError(LM.badEntry(lib.dir, hash, `${file} is missing`));
  }
  if (sha(bytes) !== lib.entries.get(hash)!.files[file]) throw inputError(LM.badEntry(lib.dir, hash, `${file} does not match its SHA-256 in module.json`));
  return bytes;
}

/** The library's module cells of the modules it holds (by cell name), each checked against its entry's SHA-256. */
export function libraryCells(lib: Library, runs: readonly ModuleRun[]): Map<string, LibraryCell> {
  const out = new Map<string, LibraryCell>();
  for (const r of runs) {
    const e = lib.entries.get(r.hash);
    if (!e || out.has(r.cell)) continue;
    const bytes = entryFile(lib, r.hash, 'cells.gds');
    const gds = readGds(bytes, join(lib.dir, 'modules', r.hash, 'cells.gds'));
    const s = gds.structures.find((x) => x.name === e.cell);
    if (!s) throw inputError(LM.badEntry(lib.dir, r.hash, `cells.gds has no cell ${e.cell}`));
    out.set(r.cell, { bytes: bytes.slice(s.start, s.end), elements: s.elements });
  }
  return out;
}

/** Reads a compile's modules.json (written by compile with masks and a library). */
export function readModulesDoc(dir: string): ModulesDoc {
  const path = join(dir, MODULES_JSON);
  if (!existsSync(path) || !existsSync(join(dir, MASKS_FILE))) throw inputError(LM.notModular(dir));
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as ModulesDoc;
  } catch {
    throw inputError(LM.notModular(dir));
  }
}

/** The `.subckt NAME` and `.subckt NAME_<p>` blocks of a netlist's text (a split layer's parts). */
export function subcircuitText(netlist: string, name: string): string | null {
  const lines = netlist.split('\n');
  const out: string[] = [];
  const head = new RegExp(`^\\.subckt ${name}(_\\d+)? `);
  for (let k = 0; k < lines.length; k++) {
    if (!head.test(lines[k])) continue;
    const sub = lines[k].split(' ')[1];
    for (; k < lines.length; k++) {
      out.push(lines[k]);
      if (lines[k] === `.ends ${sub}` || lines[k].startsWith(`.ends ${sub} `)) break;
    }
  }
  return out.length > 0 ? `${out.join('\n')}\n` : null;
}

export interface AddResult {
  readonly added: readonly LibraryEntry[];
  /** Modules whose hash the library held already (nothing written for them). */
  readonly present: readonly string[];
}

/**
 * Adds the modules of a compile with masks and a library (`dir`: its masks.gds, modules.json and netlist.cir) to the
 * library at `libDir` (created when it does not exist). Everything is read and checked before anything is written.
 */
export function addToLibrary(libDir: string, dir: string): AddResult {
  const lib = readLibrary(libDir);
  const doc = readModulesDoc(dir);
  const netlistPath = join(dir, 'netlist.cir');
  if (!existsSync(netlistPath)) throw inputError(LM.noNetlist(dir));
  const netlist = readFileSync(netlistPath, 'utf8');
  let masks: Buffer;
  try {
    masks = readFileSync(join(dir, MASKS_FILE));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_FS_FILE_TOO_LARGE') throw inputError(LM.masksTooLarge(dir));
    throw e;
  }
  // Only the structures' spans: the module cells and what they reference are parsed one by one.
  const { header, spans } = structureSpans(masks, join(dir, MASKS_FILE));
  const staged: { entry: LibraryEntry; files: Record<string, Uint8Array | string> }[] = [];
  const present: string[] = [];
  const seen = new Set<string>();
  for (const m of doc.modules) {
    if (seen.has(m.hash)) continue;
    seen.add(m.hash);
    if (lib.entries.has(m.hash)) {
      present.push(m.hash);
      continue;
    }
    // A module drawn under another name (its realization widened a slot) is not the module's topology cell.
    if (m.cell !== moduleCell(m.hash)) continue;
    if (!spans.has(m.cell)) throw inputError(LM.badCompile(dir, `masks.gds has no cell ${m.cell}`));
    const cells = moduleGds(masks, header, m.cell, spans, join(dir, MASKS_FILE));
    const sub = m.subcircuit ? subcircuitText(netlist, m.subcircuit) : null;
    const files: Record<string, Uint8Array | string> = { 'tnet.json': `${JSON.stringify(m.structure)}\n`, 'cells.gds': cells };
    if (sub !== null) files['subcircuit.cir'] = sub;
    const s = m.structure;
    const entry: LibraryEntry = {
      version: LIBRARY_VERSION, hash: m.hash, name: m.name, op: s.op, neurons: s.neurons, inputs: s.inputs, process: s.process,
      constraints: s.constraints, cell: m.cell, subcircuit: sub !== null ? m.subcircuit : null,
      files: Object.fromEntries(Object.entries(files).map(([k, v]) => [k, sha(v)])),
    };
    staged.push({ entry, files });
  }
  if (!existsSync(join(libDir, LIBRARY_JSON))) {
    mkdirSync(libDir, { recursive: true });
    writeFileSync(join(libDir, LIBRARY_JSON), `${JSON.stringify({ format: LIBRARY_FORMAT, version: LIBRARY_VERSION }, null, 2)}\n`);
  }
  const modules = join(libDir, 'modules');
  mkdirSync(modules, { recursive: true });
  for (const { entry, files } of staged) {
    const tmp = join(modules, `.tmp-${entry.hash.slice(0, 16)}-${process.pid}`);
    const unregister = onCleanupResource({ kind: 'path', path: tmp });
    try {
      rmSync(tmp, { recursive: true, force: true });
      mkdirSync(tmp);
      for (const [name, data] of Object.entries(files)) writeFileSync(join(tmp, name), data);
      writeFileSync(join(tmp, 'module.json'), `${JSON.stringify(entry, null, 2)}\n`);
      renameSync(tmp, join(modules, entry.hash));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
      unregister();
    }
  }
  return { added: staged.map((s) => s.entry), present };
}

/**
 * A GDSII library of one module cell and the cells it references (the op-amp placeholders): the masks' header records
 * (HEADER .. UNITS, before the first structure), the structures' bytes as in the masks, ENDLIB.
 */
function moduleGds(masks: Uint8Array, header: number, cell: string, spans: Map<string, [number, number]>, path: string): Uint8Array {
  const ENDLIB = Uint8Array.of(0, 4, 4, 0);
  const bytesOf = (name: string) => masks.subarray(spans.get(name)![0], spans.get(name)![1]);
  const order: string[] = [];
  const visit = (name: string) => {
    if (order.includes(name) || !spans.has(name)) return;
    const one = readGds(Buffer.concat([masks.subarray(0, header), bytesOf(name), ENDLIB]), path).structures[0];
    for (const e of one.elements) if (e.type === 'sref' || e.type === 'aref') visit(e.name);
    order.push(name);
  };
  visit(cell);
  return Buffer.concat([masks.subarray(0, header), ...order.map(bytesOf), ENDLIB]);
}

export interface ModuleMatch {
  readonly name: string;
  readonly hash: string;
  readonly neurons: number;
  readonly inLibrary: boolean;
}

/** Which modules of a compile with a library (its modules.json) another library holds. */
export function matchLibrary(libDir: string, dir: string): ModuleMatch[] {
  if (!existsSync(libDir)) throw inputError(LM.notLibrary(libDir));
  const lib = readLibrary(libDir);
  return readModulesDoc(dir).modules.map((m) => ({ name: m.name, hash: m.hash, neurons: m.to - m.from, inLibrary: lib.entries.has(m.hash) }));
}
