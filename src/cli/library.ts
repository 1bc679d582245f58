// `ohmnet library add|list|match LIBRARY [DIR]`: module libraries of masks (src/layout/library.ts, docs/masks.md).

import { usageError } from '../errors.js';
import { addToLibrary, matchLibrary, readLibrary } from '../layout/library.js';
import { LIBRARY_MESSAGES as LM } from '../messages/index.js';
import { existsSync } from 'node:fs';
import { inputError } from '../errors.js';
import type { CliIO } from './context.js';

const short = (h: string) => h.slice(0, 12);

export function libraryCommand(action: string, library: string, dir: string | undefined, flags: { json?: boolean }, io: CliIO): number {
  if (action !== 'add' && action !== 'list' && action !== 'match') throw usageError(LM.unknownAction(action));
  if (action !== 'list' && dir === undefined) throw usageError(LM.needsDir(action));
  if (action === 'add') {
    const r = addToLibrary(library, dir!);
    if (flags.json) io.out(JSON.stringify({ added: r.added.map((e) => e.hash), present: r.present }, null, 2));
    else {
      io.out(`library ${library}: ${r.added.length} module${r.added.length === 1 ? '' : 's'} added, ${r.present.length} already present`);
      for (const e of r.added) io.out(`  + ${short(e.hash)} ${e.name || '(no layer)'} (${e.op || 'buffers'}): ${e.neurons} neurons`);
    }
    return 0;
  }
  if (action === 'list') {
    if (!existsSync(library)) throw inputError(LM.notLibrary(library));
    const lib = readLibrary(library);
    const entries = [...lib.entries.values()];
    if (flags.json) io.out(JSON.stringify(entries, null, 2));
    else {
      io.out(`library ${library}: ${entries.length} module${entries.length === 1 ? '' : 's'} (format version 1)`);
      for (const e of entries) {
        const c = e.constraints;
        io.out(`  ${short(e.hash)} ${e.name || '(no layer)'} (${e.op || 'buffers'}): ${e.neurons} neurons, ${e.inputs} inputs, ${e.process}, fan-in ${c.fanIn}, fan-out ${c.fanOut}, ${c.resistors}, rMax ${c.rMaxOhm} ohm, cell ${e.cell}${e.subcircuit ? `, subcircuit ${e.subcircuit}` : ''}`);
      }
    }
    return 0;
  }
  const m = matchLibrary(library, dir!);
  if (flags.json) io.out(JSON.stringify(m, null, 2));
  else {
    io.out(`${dir}: ${m.filter((x) => x.inLibrary).length} of ${m.length} modules in library ${library}`);
    for (const x of m) io.out(`  ${x.inLibrary ? 'in library' : 'new       '} ${short(x.hash)} ${x.name || '(no layer)'}: ${x.neurons} neurons`);
  }
  return 0;
}
