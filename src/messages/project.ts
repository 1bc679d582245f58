// Messages about compiled projects (ohmnet.project.json), per-layer options and config files in use.

/** Compiled projects and per-layer options. */
export const PROJECT_MESSAGES = {
  layersNotObject: () => `the per-layer options (layers) must be an object keyed by layer name, e.g. {"/fc1/Gemm": {"fanIn": 16}}`,
  layerNotObject: (name: string) => `the options of layer '${name}' must be an object, e.g. {"resistors": "E24"}`,
  layerUnknownOption: (name: string, key: string, known: readonly string[]) => `layer '${name}': unknown option '${key}'; a layer may set ${known.join(', ')}`,
  layerOption: (name: string, message: string) => `layer '${name}': ${message}`,
  unknownLayer: (name: string, known: readonly string[]) => `unknown layer '${name}' in the per-layer options; the model's layers are ${known.map((k) => `'${k}'`).join(', ')} (see ohmnet inspect)`,
  layerHasNoNeurons: (name: string, into: string | null) =>
    into !== null
      ? `layer '${name}' has no neurons of its own: it is fused into '${into}'; set the per-layer options on '${into}'`
      : `layer '${name}' has no neurons of its own (it is computed by wiring or digitally); set the per-layer options on a layer with neurons`,
  notAProject: (path: string, why: string) => `'${path}' is not an ohmnet project: ${why}; compile into a directory first (ohmnet compile MODEL -o DIR) or name a model file`,
  dirWithoutProject: (dir: string) => `'${dir}' is a directory without ohmnet.project.json; pass a model file, or a directory written by ohmnet compile (recompile it with this ohmnet version if it predates projects)`,
  projectNotJson: (path: string, why: string) => `project file '${path}' is not valid JSON (${why}); recompile with ohmnet compile`,
  projectSchema: (path: string, version: unknown, want: number) => `project file '${path}' has schema version ${JSON.stringify(version)}, this ohmnet reads ${want}; recompile with ohmnet compile`,
  projectInvalid: (path: string, what: string) => `project file '${path}' is damaged (${what}); recompile with ohmnet compile`,
  fileChanged: (role: string, file: string, project: string) => `the ${role} '${file}' changed since it was compiled into '${project}' (SHA-256 differs); recompile with ohmnet compile`,
  fileMissing: (role: string, file: string, project: string) => `the ${role} '${file}' that '${project}' was compiled from is missing; restore it or recompile with ohmnet compile`,
  circuitOption: (flags: readonly string[], project: string) =>
    `${flags.join(', ')} would change the compiled circuit of '${project}'; recompile with ohmnet compile to change ${flags.length > 1 ? 'them' : 'it'} (with a project, only measurement and SPICE options may be given)`,
  configWithProject: (project: string) => `--config does not apply to a compiled project ('${project}' holds the options it was compiled with); recompile with the config, or pass measurement flags`,
} as const;
