// Import cycles between the top-level folders (and top-level files) of src/: a folder that imports a folder that,
// directly or through others, imports it back. test/architecture/imports.test.ts fails on any; run
// `npx tsx scripts/folder-cycles.ts` to print them. Type-only imports count: a cycle of types is a cycle of design.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder-level import graph of src/ under `root`: unit -> units it imports. */
export function folderGraph(root: string): Map<string, Set<string>> {
  const src = resolve(root, 'src');
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|mts)$/.test(e.name) && !e.name.endsWith('.d.ts')) files.push(p);
    }
  };
  walk(src);
  const unit = (f: string) => {
    const rel = relative(src, f).split(sep);
    return rel.length > 1 ? `${rel[0]}/` : rel[0].replace(/\.(ts|mts)$/, '');
  };
  const edges = new Map<string, Set<string>>();
  for (const f of files) {
    const text = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"`;]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) {
      const target = resolve(dirname(f), m[1] ?? m[2]).replace(/\.js$/, '.ts');
      if (!target.startsWith(src + sep)) continue;
      const a = unit(f);
      const b = unit(target);
      if (a === b) continue;
      if (!edges.has(a)) edges.set(a, new Set());
      edges.get(a)!.add(b);
    }
  }
  return edges;
}

/** Strongly connected components with more than one unit (Tarjan), each sorted. */
export function cycles(edges: Map<string, Set<string>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const nodes = new Set([...edges.keys(), ...[...edges.values()].flatMap((s) => [...s])]);
  const strong = (v: string) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    on.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1) out.push(c.sort());
    }
  };
  for (const v of nodes) if (!idx.has(v)) strong(v);
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const found = cycles(folderGraph(process.argv[2] ?? process.cwd()));
  for (const c of found) console.log(c.join(' <-> '));
  process.exitCode = found.length > 0 ? 1 : 0;
}
