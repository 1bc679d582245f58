// Messages about reading input files and writing outputs.

/** Files: reading inputs, writing outputs. */
export const FILE_MESSAGES = {
  fileNotFound: (path: string) => `cannot read '${path}': no such file; check the path`,
  fileUnreadable: (path: string, why: string) => `cannot read '${path}': ${why}`,
  outputExists: (path: string) => `'${path}' already exists; pass --force to overwrite it or choose another path`,
} as const;
