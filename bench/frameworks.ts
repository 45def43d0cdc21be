// The names the benchmark measures, and nothing that loads a framework or the
// library: `npm run bench -- --help` reads them straight from the sources.

/** The frameworks the benchmark serves with, each through this library's adapter. */
export const FRAMEWORKS = ['express', 'fastify', 'koa', 'hono', 'http', 'nest'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

/**
 * The ways a handler keeps "the current user", on each framework:
 * - `bare`: no context at all, the user in a local variable (the framework's own cost);
 * - `global`: a module-level variable (the bug);
 * - `global-lock`: the same handler behind this library's `globalLock` (Rack::Lock);
 * - `current`: `Current.user`, through this library's adapter;
 * - `als`: a hand-written `AsyncLocalStorage` middleware, the floor of any request context;
 * - `peer`: the framework's own request-context package, where it has one.
 */
export const STRATEGIES = ['bare', 'global', 'global-lock', 'current', 'als', 'peer'] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** Each framework's own request-context package: the library users would otherwise pick. */
export const PEERS: Readonly<Record<Framework, string | undefined>> = {
  express: 'express-http-context',
  fastify: '@fastify/request-context',
  koa: undefined,
  hono: 'hono/context-storage',
  http: undefined,
  nest: 'nestjs-cls',
};

/** The packages whose versions a run records for each framework: the framework's, its server's, its peer's. */
export const PACKAGES: Readonly<Record<Framework, readonly string[]>> = {
  express: ['express', 'express-http-context'],
  fastify: ['fastify', '@fastify/request-context'],
  koa: ['koa'],
  hono: ['hono', '@hono/node-server'],
  http: [],
  nest: ['@nestjs/core', '@nestjs/platform-express', 'nestjs-cls'],
};

/**
 * The strategies of `strategies` that `framework` can serve: `peer` only where a peer exists.
 *
 * @example
 * ```ts
 * strategiesOn('koa', ['current', 'peer']); // ['current']
 * ```
 */
export function strategiesOn(framework: Framework, strategies: readonly Strategy[]): Strategy[] {
  return strategies.filter((strategy) => strategy !== 'peer' || PEERS[framework] !== undefined);
}

/**
 * How a strategy is shown: the peer by its package's name.
 *
 * @example
 * ```ts
 * strategyLabel('fastify', 'peer'); // '@fastify/request-context'
 * ```
 */
export function strategyLabel(framework: Framework, strategy: Strategy): string {
  return strategy === 'peer' ? (PEERS[framework] ?? 'peer') : strategy;
}

/**
 * A server's name, `framework:strategy`, as the server process takes it.
 *
 * @example
 * ```ts
 * serverName('hono', 'current'); // 'hono:current'
 * ```
 */
export function serverName(framework: Framework, strategy: Strategy): string {
  return `${framework}:${strategy}`;
}
