// Regenerates the golden scheduler files of test/scale/submit.test.ts (review the diff before committing):
// npx tsx scripts/golden-submit.ts
import { writeFileSync } from 'node:fs';
import { GOLDEN_OPTIONS } from '../test/scale/submit-options.js';
import { k8sManifests, slurmScripts } from '../src/scale/submit.js';

const dir = new URL('../test/scale/golden/', import.meta.url);
const s = slurmScripts(GOLDEN_OPTIONS);
const k = k8sManifests(GOLDEN_OPTIONS);
for (const [name, text] of [['array.sbatch', s.array], ['merge.sbatch', s.merge], ['submit.sh', s.submit], ['shards.yaml', k.shards], ['merge.yaml', k.merge]] as const) writeFileSync(new URL(name, dir), text);
