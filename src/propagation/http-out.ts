import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import type { Socket } from 'node:net';
import { expectPlainObject } from '../core/validate.js';
import { activeLifetime, type Lifetime } from '../deadline/lifetime.js';
import type { CarrierAccess } from './carrier.js';
import { refuseUnknownKeys } from './options.js';
import { type AllowedOrigins, originTest } from './origins.js';
import type { Propagator } from './propagator.js';

/** Options of `propagateHttp`. */
export interface PropagateHttpOptions {
  /** Where values may go. Required: never to a third party by default. */
  readonly origins: AllowedOrigins;
  /**
   * Abort an outgoing request when the request that made it is aborted
   * (its client left, its deadline passed): `fetch` rejects, a node:http
   * request is destroyed. Default true.
   */
  readonly abortWithRequest?: boolean;
}

/** What undici publishes on its diagnostics channels: the documented parts we use. */
interface UndiciRequest {
  readonly origin: string | URL;
  readonly headers: string[] | string;
  addHeader(key: string, value: string): unknown;
}

const clientRequestAccess: CarrierAccess<ClientRequest> = {
  get: (request, key) => request.getHeader(key)?.toString(),
  set: (request, key, value) => request.setHeader(key, value),
};

/**
 * Adds the traveling values (and the remaining time) to every `fetch`/
 * undici request and every node:http client request made inside a scope to
 * an allowed origin, through Node's diagnostics channels: nothing is patched.
 * undici's `undici:request:create` covers `fetch` on every Node version;
 * node:http's `http.client.request.created` exists from Node 22.14 and 23.2,
 * so on Node 20 pass `propagator.inject(headers)` to `http.request` yourself.
 * Returns a function that stops it.
 *
 * @throws {InvalidArgumentError} when an option is wrong.
 * @example
 * ```ts
 * propagateHttp(propagator, { origins: ['http://billing.internal:8080'] });
 * app.get('/invoice', async (req, res) => {
 *   res.json(await (await fetch('http://billing.internal:8080/total')).json()); // carries Current.tenant
 * });
 * ```
 */
export function propagateHttp(propagator: Propagator, options: PropagateHttpOptions): () => void {
  expectPlainObject('options', options);
  refuseUnknownKeys('options', options, ['origins', 'abortWithRequest']);
  const allowed = originTest(options.origins);
  const abortWithRequest = options.abortWithRequest ?? true;
  const lifetimes = new WeakMap<object, Lifetime>();

  const onUndiciCreate = (message: unknown) => {
    const { request } = message as { request: UndiciRequest };
    if (!allowed(String(request.origin))) return followRequest(request);
    propagator.inject(request, undiciAccess);
    followRequest(request);
  };
  const followRequest = (request: object) => {
    const lifetime = abortWithRequest ? activeLifetime() : undefined;
    if (lifetime?.watched) lifetimes.set(request, lifetime);
  };
  const onUndiciSendHeaders = (message: unknown) => {
    const { request, socket } = message as { request: object; socket: Socket };
    const lifetime = lifetimes.get(request);
    if (lifetime === undefined) return;
    const signal = lifetime.signal;
    if (signal.aborted) return void socket.destroy(signal.reason as Error);
    const abort = () => socket.destroy(signal.reason as Error);
    signal.addEventListener('abort', abort, { once: true });
    listeners.set(request, () => signal.removeEventListener('abort', abort));
  };
  const listeners = new WeakMap<object, () => void>();
  const onUndiciDone = (message: unknown) => {
    const { request } = message as { request: object };
    listeners.get(request)?.();
    listeners.delete(request);
  };
  const onHttpCreated = (message: unknown) => {
    const { request } = message as { request: ClientRequest };
    const origin = `${request.protocol}//${request.getHeader('host')}`;
    if (allowed(origin)) propagator.inject(request, clientRequestAccess);
    const lifetime = abortWithRequest ? activeLifetime() : undefined;
    if (lifetime === undefined || !lifetime.watched) return;
    const signal = lifetime.signal;
    if (signal.aborted) return void request.destroy(signal.reason as Error);
    const abort = () => request.destroy(signal.reason as Error);
    signal.addEventListener('abort', abort, { once: true });
    request.once('close', () => signal.removeEventListener('abort', abort));
  };

  const subscriptions: Array<readonly [string, (message: unknown) => void]> = [
    ['undici:request:create', onUndiciCreate],
    ['undici:client:sendHeaders', onUndiciSendHeaders],
    ['undici:request:trailers', onUndiciDone],
    ['undici:request:error', onUndiciDone],
    ['http.client.request.created', onHttpCreated],
  ];
  for (const [name, listener] of subscriptions) diagnostics.subscribe(name, listener);
  return () => {
    for (const [name, listener] of subscriptions) diagnostics.unsubscribe(name, listener);
  };
}

/**
 * undici's request as a carrier: `addHeader` is its documented way to add a
 * header from `undici:request:create`; a `baggage` the caller set is merged
 * into ours and taken out of the header list, so the request has one.
 */
const undiciAccess: CarrierAccess<UndiciRequest> = {
  get(request, key) {
    const { headers } = request;
    if (!Array.isArray(headers)) return undefined;
    for (let index = 0; index < headers.length; index += 2) {
      if (headers[index]?.toLowerCase() === key) return headers[index + 1];
    }
    return undefined;
  },
  set(request, key, value) {
    const { headers } = request;
    if (Array.isArray(headers)) {
      for (let index = headers.length - 2; index >= 0; index -= 2) {
        if (headers[index]?.toLowerCase() === key) headers.splice(index, 2);
      }
    }
    request.addHeader(key, value);
  },
};
