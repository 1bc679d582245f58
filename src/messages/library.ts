// Messages of module libraries (src/layout/library.ts): a directory that is no library, of another version, a
// damaged entry, a compiled directory without modules.
// A message that names an option returns a function of the Namer (the CLI renders it as the flag).

import type { Namer } from '../errors.js';

export const LIBRARY_MESSAGES = {
  notLibrary: (dir: string) => `${dir} is not an ohmnet module library (no library.json of format ohmnet-module-library); give a library directory (library add creates one)`,
  otherVersion: (dir: string, version: string, want: number) =>
    `module library ${dir} is of version ${version}, this ohmnet reads version ${want}; rebuild it with this ohmnet (library add) or use the ohmnet that wrote it`,
  badEntry: (dir: string, hash: string, why: string) =>
    `module library ${dir}: entry ${hash.slice(0, 12)}... is damaged (${why}); remove modules/${hash} and add its network again`,
  notModular: (dir: string) => (n: Namer) =>
    `${dir} holds no masks.gds and modules.json of a compile with a module library; compile it with ${n('masks')} and ${n('library')}`,
  noNetlist: (dir: string) => `${dir} has no netlist.cir (the modules' subcircuits come from it); compile it with the netlist among the outputs`,
  masksTooLarge: (dir: string) => `${dir}/masks.gds is over 2 GiB, more than library add reads at once; add the modules of a smaller network (a library is shared by its layers' topology)`,
  badCompile: (dir: string, why: string) => `${dir}: ${why}; compile it again`,
  libraryWithoutMasks: () => (n: Namer) => `${n('library')} applies to masks: add ${n('masks')}`,
  unknownAction: (action: string) => `library: unknown action '${action.slice(0, 40)}'; give add, list or match`,
  needsDir: (action: string) => `library ${action} needs a compiled output directory after the library`,
} as const;
