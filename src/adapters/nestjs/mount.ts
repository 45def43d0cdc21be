import type { HttpServer } from '@nestjs/common';
import type { FastifyInstance, FastifyPluginCallback } from 'fastify';
import { InvalidArgumentError } from '../../core/errors.js';
import { currentMiddleware } from '../express/current-middleware.js';
import type { HttpScopeOptions } from './scope-options.js';

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
