import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import { InvalidArgumentError } from '../../core/errors.js';
import { isPromiseLike } from '../../core/scope.js';
import { checkScopeOptions, type ScopeOptions } from '../../request/scope-options.js';
import { FastifyScopedRequest, followHandler, SCOPED_REQUEST, scopedRequestOf } from './handler-end.js';

/** Options of the `fastifyCurrent` plugin. */
export interface FastifyCurrentOptions
  extends ScopeOptions<(request: FastifyRequest, reply: FastifyReply) => unknown> {}

const currentAttributes: FastifyPluginCallback<FastifyCurrentOptions> = (fastify, options, registered) => {
  let checked: ReturnType<typeof checkScopeOptions<FastifyCurrentOptions>>;
  try {
    checked = checkScopeOptions(options, 'fastifyCurrent');
  } catch (error) {
    registered(error as Error);
    return;
  }
  const { setup, settings } = checked;
  // A second copy would open a second scope mid-request, dropping what hooks between the two wrote.
  if (fastify.hasRequestDecorator(SCOPED_REQUEST)) {
    registered(
      new InvalidArgumentError(
        'fastifyCurrent is registered twice in one app: register it once, on the root instance, before other plugins, hooks and routes.',
      ),
    );
    return;
  }
  fastify.decorateRequest(SCOPED_REQUEST, null);
  fastify.addHook('onRoute', (route) => {
    route.handler = followHandler(route.handler);
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    const scoped = new FastifyScopedRequest(request, reply.raw, settings);
    if (setup === undefined) {
      scoped.run(done);
      return;
    }
    scoped.run(() => {
      let pending: unknown;
      try {
        pending = setup(request, reply);
      } catch (error) {
        done(error as Error);
        return;
      }
      if (isPromiseLike(pending)) pending.then(() => done(), done);
      else done();
    });
  });
  // Fastify runs these hooks from the request's 'close', outside every scope.
  // Added first, this one runs the others in the request's scope: cheaper than
  // running every event of every request in it, which would cover the same.
  fastify.addHook('onRequestAbort', (request, done) => {
    const scoped = scopedRequestOf(request);
    if (scoped === undefined) done();
    else scoped.run(done);
  });
  registered();
};

/**
 * Fastify 5 plugin that gives every request a fresh scope from its
 * `onRequest` hook on, so each `Current` holds that request's values in
 * every later hook (`preParsing`, `preValidation`, `preHandler`,
 * `preSerialization`, `onSend`, `onResponse`, `onRequestAbort`, `onError`),
 * the handler, the error handler and the not-found handler. A body that
 * arrives in several socket reads keeps the scope too: the request's events
 * run in it (the context loss @fastify/request-context works around with a
 * `preValidation` hook, nodejs/node#34430). The request ends when its
 * response is complete, or, if the client hung up first, when the handler
 * ends the response or its promise settles (at most `abandonedHoldMs`
 * later): then reset callbacks run once and the values are dropped.
 *
 * Register it before other plugins, hooks and routes: `onRequest` hooks added
 * before it run outside the scope, and only the handlers of routes added
 * after it are followed to their end. Its hooks apply to the whole app, not
 * only to its own encapsulation context, as with fastify-plugin.
 *
 * @throws {InvalidArgumentError} when an option has the wrong type or is not one it takes, or the plugin is registered twice in one app (from `fastify.ready()` or `listen()`).
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { fastifyCurrent } from 'current-attributes/fastify';
 *
 * const app = Fastify();
 * await app.register(fastifyCurrent, {
 *   setup: (request) => { Current.requestId = request.id; },
 * });
 * app.get('/me', async () => ({ user: Current.user, requestId: Current.requestId }));
 * ```
 */
export const fastifyCurrent: FastifyPluginCallback<FastifyCurrentOptions> = Object.assign(currentAttributes, {
  // What fastify-plugin would set, set here so that Fastify apps need no
  // second peer: `skip-override` (Fastify's Plugins reference, "Handle the
  // scope") keeps the hooks app-wide; Fastify reads the plugin's name and
  // checks its Fastify range from the other two. fastify-plugin's own gain,
  // compatibility across Fastify majors, does not apply: the peer range is
  // Fastify 5 only.
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'current-attributes',
  [Symbol.for('plugin-meta')]: { fastify: '5.x', name: 'current-attributes' },
});
