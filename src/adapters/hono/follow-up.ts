import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from 'hono';
import type { Production } from '../../request/production.js';
import { ScopedRequest, type ScopedRequestSettings } from '../../request/scoped-request.js';
import { isResponseAlreadySent } from './node-objects.js';

/**
 * What @hono/node-server still does for a response once the chain settled
 * after its client hung up: it writes the Response the handler returned
 * (unless the handler wrote it itself), so the request is over once that
 * write ended it, or once the producers that wrote it stopped. A
 * `ReadableStream` body it cancels tells nothing more: such a response ends
 * by `abandonedHoldMs`, unless it came from this adapter's streaming helpers.
 */
export function followUpHono(c: Context, production: Production): void {
  if (isResponseAlreadySent(c.res)) return;
  production.expectWrite();
  // Writing a body when the client left: a ReadableStream, which says nothing once cancelled.
  if (production.startedAtDisconnect && !production.producing) production.unseenWriter();
}

/** A Hono request's scope: after a hang-up, it also waits for @hono/node-server's write of the returned Response. */
export class HonoScopedRequest extends ScopedRequest {
  constructor(
    readonly c: Context,
    readonly onResetError: (error: unknown, c: Context) => void,
    req: IncomingMessage,
    res: ServerResponse,
    settings: ScopedRequestSettings,
  ) {
    super(req, res, settings);
  }

  override followUp(production: Production): void {
    followUpHono(this.c, production);
  }

  /** As Node's, with Hono's context for `onResetError`. */
  protected override resetFailed(error: unknown): void {
    this.onResetError(error, this.c);
  }
}
