import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Propagator } from '../../propagation/propagator.js';

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
  /** Takes the values other services sent with the request, from trusted senders only, before `setup` runs (docs/propagation.md). Default: none are taken. */
  readonly propagator?: Propagator;
  /** The request's deadline, in ms from its start: then `requestSignal()` aborts. A trusted caller's shorter remaining time wins. Default: none. */
  readonly deadlineMs?: number;
}
