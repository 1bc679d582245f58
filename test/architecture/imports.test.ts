// No import cycles between the folders of src/ (issue 9): each folder imports only folders below it, so a stage
// never reaches back into a later one. The checker itself is tested on a tree with a planted cycle.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cycles, folderGraph } from '../../scripts/folder-cycles.js';
import { ROOT } from '../helpers.js';

describe('import graph of src/', () => {
  it('has no cycle between folders', () => {
    expect(cycles(folderGraph(ROOT))).toEqual([]);
  });

  it('the checker finds a planted cycle, through a third folder and a type-only import', () => {
    const root = mkdtempSync(join(tmpdir(), 'ohmnet-cycles-'));
    for (const d of ['a', 'b', 'c']) mkdirSync(join(root, 'src', d), { recursive: true });
    writeFileSync(join(root, 'src', 'a', 'x.ts'), "import { y } from '../b/y.js';\nexport const x = y;\n");
    writeFileSync(join(root, 'src', 'b', 'y.ts'), "import type { Z } from '../c/z.js';\nexport const y: Z = 1;\n");
    writeFileSync(join(root, 'src', 'c', 'z.ts'), "// import { x } from '../a/x.js'; (a comment is not an import)\nexport { x as w } from '../a/x.js';\nexport type Z = number;\n");
    expect(cycles(folderGraph(root))).toEqual([['a/', 'b/', 'c/']]);
  });
});
