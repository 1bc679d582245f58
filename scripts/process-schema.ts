// Generates schema/process.schema.json (a user's resistor process file for the masks) from the ResistorProcess type
// (src/presets/processes.ts).
//   npx tsx scripts/process-schema.ts          write the schema
//   npx tsx scripts/process-schema.ts --check  exit 1 if the committed schema differs (also a test)

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGenerator } from 'ts-json-schema-generator';

const root = join(fileURLToPath(import.meta.url), '..', '..');
export const PROCESS_SCHEMA_PATH = join(root, 'schema', 'process.schema.json');

export function generateProcessSchema(): string {
  const schema = createGenerator({
    path: join(root, 'src', 'presets', 'processes.ts'),
    tsconfig: join(root, 'tsconfig.json'),
    type: 'ResistorProcess',
    additionalProperties: false,
    skipTypeCheck: true,
  }).createSchema('ResistorProcess');
  return `${JSON.stringify({ ...schema, $id: 'https://ohmnet.dev/process.schema.json', title: 'ohmnet resistor process (masks)' }, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = generateProcessSchema();
  if (process.argv.includes('--check')) {
    if (readFileSync(PROCESS_SCHEMA_PATH, 'utf8') !== text) {
      process.stderr.write('schema/process.schema.json is out of date: run npx tsx scripts/process-schema.ts\n');
      process.exit(1);
    }
  } else {
    writeFileSync(PROCESS_SCHEMA_PATH, text);
  }
}
