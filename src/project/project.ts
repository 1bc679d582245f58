// The compiled project (issue 10): `compile` writes ohmnet.project.json beside its outputs, the resolved options that
// reproduce it (every option with its value), the model file and the files the options name (sample sets, resistor
// lists) as paths relative to the project file with their SHA-256, the ohmnet version and a schema version. `run`,
// `verify` and `report` given a project directory (or the file) load it and use exactly what was compiled; a file
// that changed since is refused (recompile). The format is documented in docs/formats.md.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { inputError, usageError } from '../errors.js';
import type { FlowOptions, LayerOptions, ResolvedFlowOptions } from '../flow/options.js';
import { PROJECT_MESSAGES as PM } from '../messages/project.js';
import { isResistorListFile } from '../realize/series.js';
import { readTextFile } from '../util/read-file.js';

export const PROJECT_FILE = 'ohmnet.project.json';
export const PROJECT_SCHEMA_VERSION = 1;
const FORMAT = 'ohmnet-project';

/** A file the project was compiled from: its path relative to the project file, and its SHA-256 (hex). */
export interface ProjectFile {
  readonly file: string;
  readonly sha256: string;
}

export interface ProjectSampleSet extends ProjectFile {
  /** The CSV column holding the labels, or null. */
  readonly labelColumn: string | null;
}

/** ohmnet.project.json. */
export interface ProjectDoc {
  readonly format: typeof FORMAT;
  readonly schemaVersion: typeof PROJECT_SCHEMA_VERSION;
  /** The ohmnet version that compiled it (package.json). */
  readonly ohmnet: string;
  readonly model: ProjectFile & { readonly inputShape: number[] | null; readonly maxTensorElements: number | null };
  /** The config file the options were read from (its file name; its values are in `options`), or null. */
  readonly config: string | null;
  /** Sample files; null: the calibration set is drawn uniformly (options.compile: inputRange, calibrationSamples, seed) / no test set. */
  readonly sets: { readonly calibration: ProjectSampleSet | null; readonly test: ProjectSampleSet | null };
  /** Resistor-list files named by options (realization.resistors and the layers'), relative paths as in `options`. */
  readonly resistorFiles: readonly ProjectFile[];
  /** Whether compile solved the netlist with SPICE (--verify): `report` then runs SPICE too. */
  readonly spice: boolean;
  /** The command line of the compile (summary.json `command`; null from the library), so `report` shows it too. */
  readonly command: string | null;
  /** compile --energy: the op-amp preset (with its overrides) and the rate, so `report` re-renders the energy section. */
  readonly energy?: { readonly opampPreset: string; readonly rateHz: number | null };
  /**
   * compile --masks: the resistor process (a preset name, or a process file with its hash), so `run`, `verify` and
   * `report` use the drawn resistances, as compile did.
   */
  readonly masks?: { readonly process: string } | { readonly processFile: ProjectFile };
  /** Every option, resolved (flow/options.ts ResolvedFlowOptions), resistor-list paths relative to the project file. */
  readonly options: ResolvedFlowOptions;
}

export function sha256Of(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** A path for the project file: relative to its directory, with forward slashes (the same on every system). */
function relativeTo(dir: string, path: string): string {
  return relative(resolve(dir), resolve(path)).split(sep).join('/') || '.';
}

export interface ProjectSources {
  readonly model: string;
  readonly inputShape: number[] | null;
  readonly maxTensorElements: number | null;
  readonly config: string | null;
  readonly calibration: { readonly path: string; readonly labelColumn: string | null } | null;
  readonly test: { readonly path: string; readonly labelColumn: string | null } | null;
  readonly spice: boolean;
  readonly command: string | null;
  readonly energy?: { readonly opampPreset: string; readonly rateHz: number | null };
  /** compile --masks: the --process argument (a preset name, or a path to a process file: `isFile` true). */
  readonly masks?: { readonly process: string; readonly isFile: boolean };
}

/** The project document of a compile into `dir`, with `version` the ohmnet version. */
export function projectDoc(dir: string, options: ResolvedFlowOptions, src: ProjectSources, version: string): ProjectDoc {
  const ref = (path: string): ProjectFile => ({ file: relativeTo(dir, path), sha256: sha256Of(path) });
  const set = (s: ProjectSources['calibration']): ProjectSampleSet | null => (s ? { ...ref(s.path), labelColumn: s.labelColumn } : null);
  const files = new Map<string, ProjectFile>();
  const rel = (spec: string) => {
    if (!isResistorListFile(spec)) return spec;
    const f = ref(spec);
    files.set(f.file, f);
    return f.file;
  };
  const layers = Object.fromEntries(Object.entries(options.layers).map(([name, l]) => [name, { ...l, realization: { ...l.realization, resistors: rel(l.realization.resistors) } }]));
  const realization = { ...options.realization, resistors: rel(options.realization.resistors) };
  return {
    format: FORMAT,
    schemaVersion: PROJECT_SCHEMA_VERSION,
    ohmnet: version,
    model: { ...ref(src.model), inputShape: src.inputShape, maxTensorElements: src.maxTensorElements },
    config: src.config === null ? null : basename(src.config),
    sets: { calibration: set(src.calibration), test: set(src.test) },
    resistorFiles: [...files.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)),
    spice: src.spice,
    command: src.command,
    ...(src.energy ? { energy: src.energy } : {}),
    ...(src.masks ? { masks: src.masks.isFile ? { processFile: ref(src.masks.process) } : { process: src.masks.process } } : {}),
    options: { ...options, realization, layers },
  };
}

/** A project as a command uses it: absolute-or-cwd paths, checked hashes, the flow options without sample sets. */
export interface LoadedProject {
  /** The project file as the user named it (or the directory's file). */
  readonly file: string;
  /** The directory holding it, as the user named it (for messages). */
  readonly dir: string;
  readonly doc: ProjectDoc;
  readonly modelPath: string;
  readonly calibration: { readonly path: string; readonly labelColumn: string | null } | null;
  readonly test: { readonly path: string; readonly labelColumn: string | null } | null;
  /** The compiled options as library options (resolving them gives doc.options back), without the sample sets. */
  readonly options: FlowOptions;
  /** compile --masks: the process as resolveProcess reads it (a preset name, or the checked process file's path). */
  readonly masksProcess: string | null;
}

/**
 * The project file named by a command's argument: a directory with ohmnet.project.json, or a file named
 * *.project.json; null for anything else (a model file). A directory without a project file is refused.
 */
export function projectFileOf(arg: string): string | null {
  let st;
  try {
    st = statSync(arg);
  } catch {
    return null;
  }
  if (st.isDirectory()) {
    const f = join(arg, PROJECT_FILE);
    if (!existsSync(f)) throw usageError(PM.dirWithoutProject(arg));
    return f;
  }
  return st.isFile() && arg.endsWith('.project.json') ? arg : null;
}

/** Library options of resolved options: resolveFlowOptions(flowOptionsOf(r)) equals r. */
export function flowOptionsOf(r: ResolvedFlowOptions, resistors: (spec: string) => string = (s) => s): FlowOptions {
  const c = r.compile;
  const z = r.realization;
  const m = r.measure;
  const s = r.spice;
  const layers: Record<string, LayerOptions> = {};
  for (const [name, l] of Object.entries(r.layers)) {
    const lz = l.realization;
    layers[name] = {
      fanIn: l.fanIn, fanOut: l.fanOut, resistors: resistors(lz.resistors), rMinOhm: lz.rMinOhm, rMaxOhm: lz.rMaxOhm, feedback: lz.feedback,
      ...(lz.rFeedbackOhm !== null ? { rFeedbackOhm: lz.rFeedbackOhm } : {}), toleranceRel: lz.toleranceRel,
    };
  }
  return {
    fanIn: c.fanIn, fanOut: c.fanOut, signalLimitV: c.signalLimitV, signalHeadroomRel: c.signalHeadroomRel, inputRange: [c.inputRange[0], c.inputRange[1]],
    calibrationSamples: c.calibrationSamples, seed: c.seed, approx: c.approx, verifyPasses: c.verifyPasses,
    ...(c.prune ? { prune: c.prune.steps, ...(c.prune.weightBelowAbs !== null ? { pruneWeightBelowAbs: c.prune.weightBelowAbs } : {}), ...(c.prune.biasBelowAbs !== null ? { pruneBiasBelowAbs: c.prune.biasBelowAbs } : {}), ...(c.prune.rankBy !== null ? { pruneRankBy: c.prune.rankBy } : {}), ...(c.prune.rankMaxErrorAbs !== null ? { pruneRankMaxErrorAbs: c.prune.rankMaxErrorAbs } : {}), ...(c.prune.resistorAreaUm2 != null ? { pruneResistorAreaUm2: c.prune.resistorAreaUm2, pruneOpampAreaUm2: c.prune.opampAreaUm2! } : {}) } : {}),
    ...(c.resistorRules?.openAboveOhm != null ? { pruneOpenAboveOhm: c.resistorRules.openAboveOhm } : {}),
    ...(c.resistorRules?.conductorBelowOhm != null ? { pruneConductorBelowOhm: c.resistorRules.conductorBelowOhm, pruneConductorOhm: c.resistorRules.conductorOhm! } : {}),
    resistors: resistors(z.resistors), rMinOhm: z.rMinOhm, rMaxOhm: z.rMaxOhm, feedback: z.feedback, ...(z.rFeedbackOhm !== null ? { rFeedbackOhm: z.rFeedbackOhm } : {}),
    feedbackPer: z.feedbackPer, toleranceRel: z.toleranceRel, toleranceDistribution: z.toleranceDistribution, vRefV: z.vRefV,
    trials: m.trials, ...(m.workers !== null ? { workers: m.workers } : {}), ...(m.dacBits !== null ? { dacBits: m.dacBits } : {}),
    ...(m.adcBits !== null ? { adcBits: m.adcBits } : {}), classThreshold: m.classThreshold,
    ...(m.maxOutputErrorV !== null ? { maxOutputErrorV: m.maxOutputErrorV } : {}), ...(m.minAccuracy !== null ? { minAccuracy: m.minAccuracy } : {}),
    minAgreement: m.minAgreement, allowOutOfRange: m.allowOutOfRange,
    opamp: s.opamp, engine: s.engine, spiceSamples: s.samples, ...(s.timeoutMs !== null ? { spiceTimeoutMs: s.timeoutMs } : {}),
    ...(s.partitionNeurons !== null ? { spicePartitionNeurons: s.partitionNeurons } : {}),
    ...(Object.keys(layers).length > 0 ? { layers } : {}),
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads and checks a project file: its format, every file it names present and unchanged. */
export function loadProject(file: string): LoadedProject {
  const text = readTextFile(file, { maxBytes: 2 ** 24, what: 'a project file', hint: 'ohmnet.project.json is written by ohmnet compile' });
  let doc: ProjectDoc;
  try {
    doc = JSON.parse(text) as ProjectDoc;
  } catch (e) {
    throw inputError(PM.projectNotJson(file, (e as Error).message));
  }
  if (!isObject(doc) || doc.format !== FORMAT) throw inputError(PM.notAProject(file, `it has no "format": "${FORMAT}"`));
  if (doc.schemaVersion !== PROJECT_SCHEMA_VERSION) throw inputError(PM.projectSchema(file, doc.schemaVersion, PROJECT_SCHEMA_VERSION));
  const bad = (what: string) => inputError(PM.projectInvalid(file, what));
  if (!isObject(doc.model) || typeof doc.model.file !== 'string' || typeof doc.model.sha256 !== 'string') throw bad('no model file and hash');
  if (!isObject(doc.options) || !isObject(doc.options.compile) || !isObject(doc.options.realization) || !isObject(doc.options.measure) || !isObject(doc.options.spice) || !isObject(doc.options.layers)) throw bad('no resolved options');
  if (!isObject(doc.sets) || !Array.isArray(doc.resistorFiles)) throw bad('no sample sets or resistor files');
  const dir = dirname(file);
  const at = (rel: string) => (isAbsolute(rel) ? rel : join(dir, rel));
  const check = (role: string, f: ProjectFile) => {
    if (!isObject(f) || typeof f.file !== 'string' || typeof f.sha256 !== 'string') throw bad(`the ${role} entry`);
    const path = at(f.file);
    if (!existsSync(path)) throw inputError(PM.fileMissing(role, path, file));
    if (sha256Of(path) !== f.sha256) throw inputError(PM.fileChanged(role, path, file));
    return path;
  };
  const modelPath = check('model file', doc.model);
  const set = (role: string, s: ProjectSampleSet | null) => (s === null || s === undefined ? null : { path: check(role, s), labelColumn: typeof s.labelColumn === 'string' ? s.labelColumn : null });
  const calibration = set('calibration file', doc.sets.calibration);
  const test = set('test file', doc.sets.test);
  const lists = new Set<string>();
  for (const f of doc.resistorFiles) {
    check('resistor list', f);
    lists.add(f.file);
  }
  const resistors = (spec: string) => (lists.has(spec) ? at(spec) : spec);
  let options: FlowOptions;
  try {
    options = flowOptionsOf(doc.options, resistors);
  } catch (e) {
    if (e instanceof TypeError) throw bad(e.message);
    throw e;
  }
  let masksProcess: string | null = null;
  if (doc.masks !== undefined) {
    if (!isObject(doc.masks)) throw bad('the masks entry');
    const m = doc.masks as Record<string, unknown>;
    if (typeof m.process === 'string') masksProcess = m.process;
    else if (isObject(m.processFile)) masksProcess = check('process file', m.processFile as unknown as ProjectFile);
    else throw bad('the masks entry');
  }
  return { file, dir, doc, modelPath, calibration, test, options, masksProcess };
}
