import type { WatchSettings } from '../watch.js';
import type { RequestEnd } from '../watched-request.js';
import { followBody } from './body.js';

/** The chain after the middleware settled: the handler is done. */
const HANDLER_DONE = 1;
/** The response's body was read to its end or cancelled, or there is none. */
const BODY_DONE = 2;
/** The request's signal aborted before the end: the client left. */
const DISCONNECTED = 4;
const ENDED = 8;

/**
 * Follows one web-standard request (a `Request` handed to a `fetch` handler:
 * `Bun.serve`, `Deno.serve`, workerd, `app.request()`, @hono/node-server's
 * HTTP/2) from its start to the end of its work, and reports that end once.
 *
 * Such servers tell two things: the request's `signal` aborts when the
 * client leaves, and the server reads the Response's body to its end, or
 * cancels it when it cannot send it. So the work is over once the handler
 * returned and its body was read or cancelled (a streamed body's producer
 * runs until then); after a hang-up, once the handler returned (the body is
 * then cancelled here, as nobody will read it), or at `abandonedHoldMs`.
 *
 * A body the runtime holds whole (a string, bytes, a Blob) runs no code of
 * the request while it is sent, and following it through a stream of our own
 * would cost Bun and Deno the fast path they send it by: an adapter that
 * knows a body is such (Hono's, from `c.text()`, `c.json()`, ...) ends the
 * request with `handlerDone()` when it hands the Response back, and only
 * hands others to `responded()`.
 *
 * Deno aborts the signal after a successful response too (its "legacy
 * abort"); that abort comes once the body was read, after the end, and is
 * ignored. A caller of `app.request()` that never reads nor cancels the body
 * holds the request open, as a client that never reads would.
 */
export abstract class WebRequestWatch<Settings extends WatchSettings = WatchSettings> {
  #state = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Cancels the followed body, once the client is gone. */
  #cancelBody: ((reason: unknown) => void) | undefined;
  readonly #onAbort = () => this.#disconnect();

  constructor(
    readonly request: Request,
    readonly settings: Settings,
  ) {
    const { signal } = request;
    if (signal.aborted) this.#state = DISCONNECTED;
    else signal.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** Whether the client left before the response was complete. */
  get disconnected(): boolean {
    return (this.#state & DISCONNECTED) !== 0;
  }

  /** Whether the client is gone: here the same as `disconnected`. */
  get clientGone(): boolean {
    return this.disconnected;
  }

  /** Whether the request's work is over (`onEnd` was called). */
  get ended(): boolean {
    return (this.#state & ENDED) !== 0;
  }

  /** Called exactly once, when the request's work is over. */
  protected abstract onEnd(end: RequestEnd): void;

  /** Called once, when the client leaves before the response was complete. */
  protected onDisconnect(): void {}

  /** The handler is done and answered nothing to follow: a request that never ran, or whose chain failed. */
  handlerDone(): void {
    this.#state |= BODY_DONE;
    this.#handlerDone();
  }

  /**
   * The handler is done and answered `response`: returns the response to hand
   * to the server, whose body (when it has one) ends the request once read or
   * cancelled.
   */
  responded(response: Response): Response {
    if ((this.#state & ENDED) !== 0 || response.body === null) {
      this.handlerDone();
      return response;
    }
    const followed = followBody(response, () => this.#bodyDone());
    this.#cancelBody = followed.cancel;
    this.#handlerDone();
    return followed.response;
  }

  #handlerDone(): void {
    const state = this.#state;
    if ((state & HANDLER_DONE) !== 0) return;
    this.#state = state | HANDLER_DONE;
    if ((state & DISCONNECTED) !== 0) this.#cancelBody?.(this.request.signal.reason);
    this.#settle();
  }

  #bodyDone(): void {
    this.#state |= BODY_DONE;
    this.#settle();
  }

  #disconnect(): void {
    const state = this.#state;
    if ((state & (ENDED | DISCONNECTED)) !== 0) return;
    this.#state = state | DISCONNECTED;
    this.onDisconnect();
    // onDisconnect may have ended a request that never ran.
    if ((this.#state & ENDED) !== 0) return;
    if ((state & HANDLER_DONE) !== 0) {
      // Nobody reads the body any more; a server that does not cancel it would keep it open.
      this.#cancelBody?.(this.request.signal.reason);
      return;
    }
    const { abandonedHoldMs, untilHandlerDone } = this.settings;
    if (untilHandlerDone || abandonedHoldMs === Number.POSITIVE_INFINITY) return;
    this.#timer = setTimeout(() => this.#end('abandoned'), abandonedHoldMs);
    // The bound must not keep a server that is shutting down alive (workerd's timers have no unref).
    (this.#timer as { unref?: () => void }).unref?.();
  }

  #settle(): void {
    const state = this.#state;
    if ((state & (HANDLER_DONE | BODY_DONE)) !== (HANDLER_DONE | BODY_DONE)) return;
    this.#end((state & DISCONNECTED) !== 0 ? 'after-disconnect' : 'completed');
  }

  #end(end: RequestEnd): void {
    if ((this.#state & ENDED) !== 0) return;
    this.#state |= ENDED;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.request.signal.removeEventListener('abort', this.#onAbort);
    this.onEnd(end);
  }
}
