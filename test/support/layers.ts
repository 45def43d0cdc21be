import type { ImportGraph } from './import-graph.js';

/**
 * The library's layers, each with the layers it may import: lower layers
 * never import higher ones (docs/architecture.md draws the same table).
 * `adapters/*` and `jobs/*` stand for each folder under them, which may not
 * import one another unless a line names that folder itself. A new folder
 * under `src/` needs a line here.
 */
export const LAYERS: Readonly<Record<string, readonly string[]>> = {
  core: [],
  // A request's signal and deadline: an abort signal on the core's scope.
  deadline: ['core'],
  // What travels and how: the carrier, the baggage propagator, HTTP out.
  propagation: ['core', 'deadline'],
  // The carrier across worker threads, child processes (and BullMQ, over it).
  transports: ['core', 'deadline', 'propagation'],
  amqp: ['core', 'propagation'],
  lock: ['core'],
  'lock/redis': ['core', 'lock'],
  request: ['core', 'lock', 'deadline', 'propagation'],
  'adapters/*': ['core', 'lock', 'request'],
  // Nest runs on Express or Fastify: its module mounts their adapters. Its
  // microservice scopes take the traveled values and deadline (propagation,
  // deadline) as the request layer does for HTTP.
  'adapters/nestjs': ['core', 'deadline', 'propagation', 'lock', 'request', 'adapters/express', 'adapters/fastify'],
  testing: ['core'],
  'jobs/*': ['core', 'transports'],
  logs: ['core'],
  otel: ['core', 'logs', 'propagation'],
  compat: ['core'],
  'index.ts': ['core', 'deadline', 'logs', 'compat'],
};

/**
 * Layers that know no package at all, only Node's built-ins: no framework, no
 * Redis client, no OpenTelemetry (its bridge, `otel`, loads it on first use).
 */
export const BUILT_INS_ONLY: readonly string[] = [
  'core',
  'deadline',
  'propagation',
  'transports',
  'lock',
  'request',
  'compat',
];

/** Where a file of `src/` sits: its layer (`adapters/express`) and the rule that applies to it (`adapters/*`). */
export function layerOf(file: string): { readonly layer: string; readonly rule: string } | undefined {
  const inner = file.replace(/^src\//, '');
  if (inner === file) return undefined;
  const [top, second] = inner.split('/');
  if ((top === 'adapters' || top === 'jobs') && second !== undefined && inner.includes('/', top.length + 1)) {
    return { layer: `${top}/${second}`, rule: `${top}/*` };
  }
  if (top === 'lock' && second === 'redis') return { layer: 'lock/redis', rule: 'lock/redis' };
  const layer = inner.includes('/') ? (top as string) : inner;
  return layer in LAYERS ? { layer, rule: layer } : undefined;
}

/**
 * Whether `layer` may import `target`: by the line of the layer itself
 * (`adapters/nestjs`), else of its pattern (`adapters/*`); a line names a
 * layer, or a pattern that covers it.
 */
const allowed = (layer: string, rule: string, target: string) =>
  (LAYERS[layer] ?? LAYERS[rule] ?? []).some(
    (name) => name === target || (name.endsWith('/*') && target.startsWith(name.slice(0, -1))),
  );

/**
 * Every import that breaks the architecture, one sentence each: a file of
 * `src/` in no layer, a layer importing one it may not, a layer of
 * `BUILT_INS_ONLY` importing a package, `src/` reaching outside itself, or the
 * sources of a workspace package (`packages/<name>/src/`) reaching out of
 * their package instead of importing the library by its published name.
 *
 * @example
 * ```ts
 * expect(layerViolations(await readImportGraph(root, ['src', 'packages']))).toEqual([]);
 * ```
 */
export function layerViolations(graph: ImportGraph): string[] {
  const problems: string[] = [];
  for (const file of graph.files) {
    if (file.startsWith('src/') && layerOf(file) === undefined) {
      problems.push(`${file} is in no layer: add its folder to LAYERS in test/support/layers.ts`);
    }
  }
  for (const { from, specifier, file } of graph.imports) {
    const home = packageFolder(from);
    if (home !== undefined) {
      if (file !== undefined && !file.startsWith(`${home}/`)) {
        problems.push(`${from} imports ${specifier}, outside ${home}/: import the library by its package name`);
      }
      continue;
    }
    const source = layerOf(from);
    if (source === undefined) continue;
    if (file === undefined) {
      if (BUILT_INS_ONLY.includes(source.rule) && !specifier.startsWith('node:')) {
        problems.push(
          `${from} (${source.layer}) imports the package ${specifier}: this layer uses only node: built-ins`,
        );
      }
      continue;
    }
    const target = layerOf(file);
    if (target === undefined) {
      // A file of src/ in no layer is reported once, above.
      if (!file.startsWith('src/')) problems.push(`${from} imports ${file}, outside src/`);
    } else if (target.layer !== source.layer && !allowed(source.layer, source.rule, target.layer)) {
      problems.push(
        `${from} (${source.layer}) imports ${file} (${target.layer}), which ${source.layer} may not import`,
      );
    }
  }
  return problems;
}

/** The workspace package whose published sources (`packages/<name>/src/`) hold `file`; its tests may share the repository's. */
function packageFolder(file: string): string | undefined {
  return /^(packages\/[^/]+)\/src\//.exec(file)?.[1];
}
