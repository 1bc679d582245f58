// Generates schema/ohmnet.config.schema.json from the OhmnetConfig interface (src/config/types.ts).
//   npx tsx scripts/schema.ts          write the schema
//   npx tsx scripts/schema.ts --check  exit 1 if the committed schema differs (also a test)

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGenerator } from 'ts-json-schema-generator';

const root = join(fileURLToPath(import.meta.url), '..', '..');
export const SCHEMA_PATH = join(root, 'schema', 'ohmnet.config.schema.json');

export function generateSchema(): string {
  const schema = createGenerator({
    path: join(root, 'src', 'config', 'types.ts'),
    tsconfig: join(root, 'tsconfig.json'),
    type: 'OhmnetConfig',
    additionalProperties: false,
    skipTypeCheck: true,
  }).createSchema('OhmnetConfig');
  return `${JSON.stringify({ ...schema, $id: 'https://ohmnet.dev/ohmnet.config.schema.json', title: 'ohmnet configuration (ohmnet.config.json)' }, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = generateSchema();
  if (process.argv.includes('--check')) {
    if (readFileSync(SCHEMA_PATH, 'utf8') !== text) {
      process.stderr.write('schema/ohmnet.config.schema.json is out of date: run npx tsx scripts/schema.ts\n');
      process.exit(1);
    }
  } else {
    writeFileSync(SCHEMA_PATH, text);
  }
}
