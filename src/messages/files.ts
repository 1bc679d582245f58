// Messages about reading input files and writing outputs.

/** Files: reading inputs, writing outputs. */
export const FILE_MESSAGES = {
  fileNotFound: (path: string) => `cannot read '${path}': no such file; check the path`,
  fileUnreadable: (path: string, why: string) => `cannot read '${path}': ${why}`,
  notRegularFile: (path: string, kind: string) =>
    `cannot read '${path}': it is ${kind}, not a regular file; give the path of a file (copy a stream to a file first)`,
  fileTooLarge: (path: string, what: string, bytes: number, limit: string, hint: string) =>
    `cannot read '${path}': ${bytes > 0 ? `its ${bytes} bytes are` : 'it is'} more than the ${limit} ohmnet reads from ${what}; ${hint}`,
  outputExists: (path: string) => `'${path}' already exists; pass --force to overwrite it or choose another path`,
} as const;

/** The config file (ohmnet.config.json or --config FILE): its problems are named by the file's keys. */
export const CONFIG_MESSAGES = {
  configMissing: (path: string) => `cannot read config file '${path}': no such file; check the config path`,
  configNotJson: (path: string, why: string) => `config file '${path}' is not valid JSON (${why}); fix it or pass another config file`,
  configUnknownKey: (path: string, key: string) =>
    `config file '${path}': unknown option '${key}'; options are the flags in camelCase (fanIn for --fan-in), see schema/ohmnet.config.schema.json`,
  configInvalid: (path: string, where: string, why: string) => `config file '${path}': ${where} ${why}`,
  configUnknownLayerKey: (path: string, layer: string, key: string, known: readonly string[]) =>
    `config file '${path}': layer '${layer}' has unknown option '${key}'; a layer may set ${known.join(', ')}`,
  configValue: (path: string, key: string, value: string, want: string) => `config file '${path}': '${key}' is ${value}, ${want}`,
} as const;
