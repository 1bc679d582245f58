// Messages of the T-network (src/tnet/) and of its file, tnet.json (src/io/tnet-json.ts): samples the network cannot
// take, and files that are not a complete, consistent T-network. Reading a file names the field at fault.

/** Evaluating a T-network and reading it back from tnet.json. */
export const TNET_MESSAGES = {
  notATnet: (what: string) => `the value passed as a T-network is not one (${what}); pass the tnet of a compileGraph result or readTnetJson's`,
  sampleLength: (sample: number, got: number, want: number) =>
    `sample ${sample} has ${got} values; the network takes ${want}`,

  // tnet.json (the format name is passed in: messages/ imports nothing from io/).
  notJson: (path: string, why: string) => `'${path}' is not a readable tnet.json (${why})`,
  inconsistent: (path: string, why: string) =>
    `'${path}' holds an inconsistent T-network (${why}); write it again with ohmnet compile`,
  inFile: (path: string, message: string) => `'${path}': ${message}`,
  fieldMissing: (key: string, format: string) => `'${key}' is missing; this is not a complete ${format} file`,
  notObject: (what: string) => `${what} must be an object`,
  notNumberArray: (what: string) => `${what} must be an array of numbers`,
  wrongLength: (what: string, got: number, want: number) => `${what} has ${got} entries where ${want} are needed`,
  badEntry: (what: string, index: number, value: unknown, kind: string) =>
    `${what}[${index}] is ${JSON.stringify(value)}, not ${kind}`,
  notFormat: (format: string) => `it is not an ${format} file of version 1 or 2`,
  readTicksOrder: () => 'clock.readTicks must be ascending without repeats',
  inputShapeSize: (shape: readonly number[], size: number, want: number) =>
    `inputShape [${shape.join(', ')}] holds ${size} values, but the network takes ${want} per sample`,
  badTailKind: (kind: unknown) => `tail.kind ${JSON.stringify(kind)} is not "softmax"`,
  originsNotArray: () => 'origins must be an array',
  badOrigin: (index: number) => `origins[${index}] needs a string name and op`,
  outputShapeSize: (shape: readonly number[], size: number, want: number) =>
    `outputShape [${shape.join(', ')}] holds ${size} values, but the network reads ${want}`,
} as const;
