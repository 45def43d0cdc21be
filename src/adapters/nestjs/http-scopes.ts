import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { HttpServer } from '@nestjs/common';
import type { FastifyInstance, FastifyPluginCallback } from 'fastify';
import { InvalidArgumentError } from '../../core/errors.js';
import { currentMiddleware } from '../express/current-middleware.js';

/** What `setup` and a lock's `key` get on either platform: Express's `req` or Fastify's `request`. */
export interface NestHttpRequest {
  readonly headers: IncomingHttpHeaders;
  readonly method?: string | undefined;
  readonly url?: string | undefined;
}

/** The options of the request scope `CurrentModule` opens, on either platform. */
export interface HttpScopeOptions<Request extends NestHttpRequest = NestHttpRequest> {
  /**
   * Runs first in every request's fresh scope, before Nest middleware,
   * guards and the handler: the place to set attributes from the request.
   * Gets the platform's request and response (Express's `req`/`res`,
   * Fastify's `request`/`reply`). May be async; a throw or rejection goes to
   * Nest's exception filters.
   */
  readonly setup?: (request: Request, response: unknown) => unknown;
  /** Receives a `ResetCallbackError` raised at the end of a request. Default: a process warning. */
  readonly onResetError?: (error: unknown, req: IncomingMessage, res: ServerResponse) => void;
  /** How long a request whose client hung up keeps its values for a handler that has not ended its response, in ms. Default 30 000. */
  readonly abandonedHoldMs?: number;
}

/** The platform adapters that can carry the scope, loaded before Nest creates its HTTP adapter. */
export interface Platforms {
  /** `fastifyCurrent`, or why it could not be loaded (fastify-plugin missing). */
  readonly fastify: { readonly plugin: FastifyPluginCallback<never> } | { readonly error: unknown };
}

/** Loads what the Fastify platform needs; the Express middleware has no dependency to load. */
export async function loadPlatforms(): Promise<Platforms> {
  try {
    const { fastifyCurrent } = await import('../fastify/plugin.js');
    return { fastify: { plugin: fastifyCurrent as FastifyPluginCallback<never> } };
  } catch (error) {
    return { fastify: { error } };
  }
}

/** HTTP adapters a scope was mounted on: a second `CurrentModule.forRoot` would open a second scope mid-request. */
const mounted = new WeakSet<object>();

/**
 * Mounts the request scope on Nest's HTTP adapter, through this library's
 * Express middleware or Fastify plugin: one request lifecycle for all. Called
 * when Nest sets the adapter, before `app.init()` registers body parsers,
 * Nest middleware and routes, so everything after sees the scope.
 *
 * Returns, on Fastify, the plugin's registration, to await before Nest adds
 * its routes: Fastify loads a plugin only when something awaits it, and the
 * plugin follows the handlers of routes added after it.
 *
 * @throws {InvalidArgumentError} on a platform other than Express or Fastify, or a second mount.
 */
export function mountHttpScopes(
  adapter: HttpServer,
  options: HttpScopeOptions,
  platforms: Platforms,
): PromiseLike<unknown> | undefined {
  if (mounted.has(adapter)) {
    throw new InvalidArgumentError(
      'CurrentModule.forRoot() is imported twice in one app: import it once, in the root module.',
    );
  }
  const type = adapter.getType();
  if (type === 'express') {
    adapter.use(currentMiddleware(options as never));
    mounted.add(adapter);
    return undefined;
  }
  if (type === 'fastify') {
    const { fastify } = platforms;
    if ('error' in fastify) throw fastify.error;
    mounted.add(adapter);
    // Registered on the instance before Nest registers middie, so its hook runs
    // first: Nest middleware sees the scope too.
    return (adapter.getInstance() as FastifyInstance).register(fastify.plugin, options as never);
  }
  throw new InvalidArgumentError(
    `CurrentModule opens request scopes on @nestjs/platform-express and @nestjs/platform-fastify, got the \`${type}\` platform. ` +
      'Open a scope per request with its own adapter of current-attributes, or wrap the handling in Current.run().',
  );
}
