import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import ts from 'typescript';

// Hand-written over TypeScript's own import scanner rather than
// dependency-cruiser or madge: those bring dozens of packages for what is here
// a walk of the tree, a map of relative paths and one strongly-connected-
// components pass; `ts.preProcessFile` already skips comments and strings,
// and sees `import type`, `export ... from` and `import()` alike.

/** One import of one file: where it points, as a path from the root, or a package name. */
export interface Import {
  readonly from: string;
  readonly specifier: string;
  /** The imported file from the root (`src/core/scope.ts`), for a relative specifier. */
  readonly file?: string;
}

/** Every TypeScript file under some folders of a root, and each one's imports. */
export interface ImportGraph {
  readonly files: readonly string[];
  readonly imports: readonly Import[];
}

const SKIPPED = new Set(['node_modules', 'dist', '.build', 'results']);

/**
 * Reads the imports of every `.ts` file under `folders` of `root` (paths in
 * the graph are relative to `root`, with `/`). Folders that do not exist are
 * left out, so a workspace package that is not there yet costs nothing.
 *
 * @example
 * ```ts
 * const graph = await readImportGraph(process.cwd(), ['src', 'bench']);
 * graph.imports.filter((edge) => edge.from === 'src/index.ts');
 * ```
 */
export async function readImportGraph(root: string, folders: readonly string[]): Promise<ImportGraph> {
  const files = (await Promise.all(folders.map((folder) => filesUnder(root, folder)))).flat().sort();
  const imports = await Promise.all(
    files.map(async (from) => {
      const source = await readFile(path.join(root, from), 'utf8');
      return ts.preProcessFile(source, true, true).importedFiles.map(({ fileName: specifier }): Import => {
        if (!specifier.startsWith('.')) return { from, specifier };
        return { from, specifier, file: resolveRelative(root, from, specifier) };
      });
    }),
  );
  return { files, imports: imports.flat() };
}

async function filesUnder(root: string, folder: string): Promise<string[]> {
  if (!existsSync(path.join(root, folder))) return [];
  const entries = await readdir(path.join(root, folder), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const child = `${folder}/${entry.name}`;
      if (entry.isDirectory()) return SKIPPED.has(entry.name) ? [] : filesUnder(root, child);
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [child] : [];
    }),
  );
  return nested.flat();
}

/** `./scope.js` from `src/core/current.ts` is `src/core/scope.ts`: ESM specifiers name the built file. */
function resolveRelative(root: string, from: string, specifier: string): string {
  const target = path.posix.join(path.posix.dirname(from), specifier);
  const candidates = [target.replace(/\.js$/, '.ts'), `${target}.ts`, `${target}/index.ts`, target];
  return candidates.find((candidate) => existsSync(path.join(root, candidate))) ?? target;
}

/**
 * Each import cycle, as the files of one loop in import order, first file
 * repeated at the end (`a.ts -> b.ts -> a.ts`): one loop per group of files
 * that reach each other (strongly connected components).
 *
 * @example
 * ```ts
 * importCycles(graph).map((cycle) => cycle.join(' -> ')); // [] when the tree has none
 * ```
 */
export function importCycles(graph: ImportGraph): string[][] {
  const next = new Map<string, string[]>(graph.files.map((file) => [file, []]));
  for (const { from, file } of graph.imports) if (file !== undefined && next.has(file)) next.get(from)?.push(file);

  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (file: string) => {
    index.set(file, index.size);
    low.set(file, index.get(file) as number);
    stack.push(file);
    onStack.add(file);
    for (const target of next.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file) as number, low.get(target) as number));
      } else if (onStack.has(target)) low.set(file, Math.min(low.get(file) as number, index.get(target) as number));
    }
    if (low.get(file) !== index.get(file)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      group.push(member);
    } while (member !== file);
    if (group.length > 1 || next.get(file)?.includes(file)) groups.push(group);
  };
  for (const file of graph.files) if (!index.has(file)) visit(file);
  return groups.map((group) => loopThrough(group, next));
}

/** The shortest way from a group's first file back to itself, through the group. */
function loopThrough(group: readonly string[], next: ReadonlyMap<string, readonly string[]>): string[] {
  const members = new Set(group);
  const start = [...group].sort()[0] as string;
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    for (const target of next.get(file) ?? []) {
      if (!members.has(target)) continue;
      if (target === start) {
        const loop = [file];
        while (loop[0] !== start) loop.unshift(cameFrom.get(loop[0] as string) as string);
        return [...loop, start];
      }
      if (!cameFrom.has(target)) {
        cameFrom.set(target, file);
        queue.push(target);
      }
    }
  }
  return [...group];
}
