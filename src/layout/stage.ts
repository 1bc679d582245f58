// Masks in the flow (issue 15): after the realize stage, the realization is replaced by the drawn one (every
// resistance the value its grid-snapped shape has, layout/drawn.ts), so measurement, Monte Carlo, SPICE, the netlist
// and resistors.csv all describe the circuit on the masks; then the output directory gets masks.gds, its cell table
// masks-cells.csv, the process it was drawn in (process.json, what scripts/klayout/check.rb reads) and masks.json
// (the figures, and with a previous directory to reuse, which cells changed).
//
// Re-spin (reuse): the previous directory's masks.json names the topology it was drawn for (a hash of the
// T-network's structure, the process and the lanes' sizing); the same topology with new weights must give the same
// bytes for every neuron (op-amp) cell and for the placement, and the cells that change are resistor arrays only:
// they are listed. Anything else is refused (nothing is written).

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { inputError } from '../errors.js';
import { MASK_MESSAGES as MM } from '../messages/index.js';
import type { ResistorProcess } from '../presets/processes.js';
import type { RealizationResult } from '../realize/stage.js';
import type { TNet } from '../tnet/types.js';
import { drawnRealization, type SnappingStats } from './drawn.js';
import { ShapeCache } from './geometry.js';
import { MASK_CELLS_FILE, MASKS_FILE, writeMasks, type LibraryCell, type MaskReport } from './masks.js';
import { libraryCells, MODULES_JSON, readLibrary, type ModulesDoc } from './library.js';
import { MODULE_VERSION, networkModules, type ModuleConstraints, type ModuleRun } from './modules.js';

export const MASKS_JSON = 'masks.json';
export const PROCESS_JSON = 'process.json';
/** Version of masks.json and masks-cells.csv. */
export const MASKS_VERSION = 1;

export interface Respin {
  readonly from: string;
  /** Resistor-array cells whose bytes differ from the previous masks', in cell order. */
  readonly changedResistorCells: readonly string[];
  readonly unchangedResistorCells: number;
  /** Neuron cells, op-amp placeholders and the placement: all byte-identical (else the re-spin is refused). */
  readonly identicalCells: number;
}

export interface MasksDoc {
  readonly version: number;
  readonly process: string;
  readonly topology: string;
  readonly snapping: SnappingStats;
  readonly masks: MaskReport | null;
  readonly respin: Respin | null;
  /** The module library the masks were drawn with (their modules in `masks.modules`), or null. */
  readonly library?: string | null;
}

/** The hash of what fixes the placement: the T-network's structure, the process, the largest resistance. */
export function topologyHash(net: TNet, process: ResistorProcess, rMaxOhm: number): string {
  const h = createHash('sha256');
  const n = net.neurons;
  h.update(JSON.stringify({ inputs: net.inputCount, count: n.count, process, rMaxOhm }));
  for (const a of [n.rowPtr, n.src, n.block, n.activation, n.origin]) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return h.digest('hex');
}

interface Previous {
  readonly dir: string;
  readonly doc: MasksDoc;
  readonly cells: Map<string, { kind: string; hash: string }>;
}

function readCells(path: string): Map<string, { kind: string; hash: string }> {
  const out = new Map<string, { kind: string; hash: string }>();
  const lines = readFileSync(path, 'utf8').split('\n');
  for (let k = 1; k < lines.length; k++) {
    if (lines[k] === '') continue;
    const [name, kind, hash] = lines[k].split(',');
    out.set(name, { kind, hash });
  }
  return out;
}

/** Reads the masks of a previous compile for a re-spin, refusing another topology or process. */
export function readPrevious(dir: string, topology: string): Previous {
  const json = join(dir, MASKS_JSON);
  const csv = join(dir, MASK_CELLS_FILE);
  if (!existsSync(json) || !existsSync(csv) || !existsSync(join(dir, MASKS_FILE))) throw inputError(MM.reuseNotMasks(dir));
  let doc: MasksDoc;
  try {
    doc = JSON.parse(readFileSync(json, 'utf8')) as MasksDoc;
  } catch {
    throw inputError(MM.reuseNotMasks(dir));
  }
  if (doc.version !== MASKS_VERSION) throw inputError(MM.reuseOtherTopology(dir, `masks version ${String(doc.version)}, this ohmnet writes ${MASKS_VERSION}`));
  if (doc.topology !== topology) throw inputError(MM.reuseOtherTopology(dir, `process ${doc.process}, topology ${String(doc.topology).slice(0, 12)}..., this one ${topology.slice(0, 12)}...`));
  return { dir, doc, cells: readCells(csv) };
}

/** Compares the new cell table with the previous one: only resistor arrays may differ. */
function compareCells(prev: Previous, cellsPath: string): Respin {
  const now = readCells(cellsPath);
  const modular = (cells: Map<string, { kind: string }>) => [...cells.values()].some((c) => c.kind === 'module');
  if (modular(now) !== modular(prev.cells)) throw inputError(MM.reuseOtherTopology(prev.dir, 'masks drawn with a module library and masks drawn without one: give both compiles the library, or neither'));
  const changed: string[] = [];
  const otherChanged: string[] = [];
  let same = 0;
  let unchangedResistors = 0;
  for (const [name, c] of now) {
    // Device cells (a drawn resistor shape, a strap) are named by their geometry: new weights may need new ones.
    if (c.kind === 'device') continue;
    const before = prev.cells.get(name);
    const equal = before !== undefined && before.hash === c.hash && before.kind === c.kind;
    if (c.kind === 'resistors') {
      if (equal) unchangedResistors++;
      else changed.push(name);
    } else if (equal) same++;
    else otherChanged.push(name);
  }
  for (const [name, c] of prev.cells) if (!now.has(name) && c.kind !== 'device') otherChanged.push(name);
  if (otherChanged.length > 0) {
    throw inputError(MM.reuseOtherTopology(prev.dir, `the new weights change ${otherChanged.length} cells that are not resistor arrays (${otherChanged.slice(0, 5).join(', ')}${otherChanged.length > 5 ? ', ...' : ''}): a gain stage or a wider array appeared`));
  }
  return { from: prev.dir, changedResistorCells: changed, unchangedResistorCells: unchangedResistors, identicalCells: same };
}

export interface MasksRun {
  readonly shapes: ShapeCache;
  readonly snapping: SnappingStats;
  readonly topology: string;
  readonly rMaxOhm: number;
  readonly previous: Previous | null;
  /** Filled in when masks.gds has been written. */
  report: MaskReport | null;
  respin: Respin | null;
  /** With a module library: the network's modules and the library's cells of those it holds. */
  readonly modules: { readonly library: string; readonly runs: readonly ModuleRun[]; readonly cells: ReadonlyMap<string, LibraryCell> } | null;
}

/** A compile with a module library: the library's directory and each layer's constraints. */
export interface LibraryRequest {
  readonly dir: string;
  readonly constraintsOf: (layer: string) => ModuleConstraints;
}

/**
 * Replaces the realization by the drawn one (throws, before anything is written, on a resistance the process cannot
 * draw or a previous directory of another topology).
 */
export function drawRealization(realization: RealizationResult, process: ResistorProcess, rMaxOhm: number, reuse: string | null, library: LibraryRequest | null = null): { realization: RealizationResult; masks: MasksRun } {
  const shapes = new ShapeCache(process);
  const drawn = drawnRealization(realization.realized, shapes);
  const topology = topologyHash(realization.realized.tnet, process, rMaxOhm);
  const previous = reuse !== null ? readPrevious(reuse, topology) : null;
  let modules: MasksRun['modules'] = null;
  if (library) {
    const lib = readLibrary(library.dir);
    const runs = networkModules(realization.realized.tnet, process, library.constraintsOf);
    modules = { library: library.dir, runs, cells: libraryCells(lib, runs) };
  }
  return {
    realization: { ...realization, realized: drawn.realized },
    masks: { shapes, snapping: drawn.snapping, topology, rMaxOhm, previous, report: null, respin: null, modules },
  };
}

/** The files of the masks, in writing order (masks.gds writes masks-cells.csv beside itself). */
export function maskFiles(m: MasksRun, realization: RealizationResult): [string, (path: string) => void][] {
  return [
    [MASKS_FILE, (p) => {
      const cells = join(dirname(p), MASK_CELLS_FILE);
      m.report = writeMasks(p, cells, realization.realized, m.shapes, { rMaxOhm: m.rMaxOhm, modules: m.modules ? { runs: m.modules.runs, library: m.modules.cells } : null });
      if (m.previous) m.respin = compareCells(m.previous, cells);
    }],
    // Written with masks.gds (streamed side by side); listed so the output directory records it.
    [MASK_CELLS_FILE, () => undefined],
    [PROCESS_JSON, (p) => writeJson(p, m.shapes.process)],
    [MASKS_JSON, (p) => writeJson(p, masksDoc(m))],
    ...(m.modules ? [[MODULES_JSON, (p: string) => writeJson(p, modulesDoc(m))] as [string, (path: string) => void]] : []),
  ];
}

export function masksDoc(m: MasksRun): MasksDoc {
  return { version: MASKS_VERSION, process: m.shapes.process.name, topology: m.topology, snapping: m.snapping, masks: m.report, respin: m.respin, ...(m.modules ? { library: m.modules.library } : {}) };
}

/** modules.json: every module with its structure, cell and whether it came from the library (after masks.gds). */
export function modulesDoc(m: MasksRun): ModulesDoc {
  const mods = m.modules!;
  const status = m.report?.modules ?? [];
  return {
    version: MODULE_VERSION,
    library: mods.library,
    modules: mods.runs.map((r, k) => ({ ...status[k], from: r.from, to: r.to, subcircuit: r.subcircuit, structure: r.structure })),
  };
}

function writeJson(path: string, doc: unknown): void {
  writeFileSync(path, `${JSON.stringify(doc, null, 2)}\n`);
}
