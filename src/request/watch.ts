import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { InvalidArgumentError } from '../core/errors.js';
import { describeValue } from '../core/validate.js';

/**
 * How a request's work ended:
 * - `'completed'`: the response was ended by the handler and its connection let go of it;
 * - `'after-disconnect'`: the client left first, and later the handler ended the response
 *   (its bytes go nowhere) or the framework reported the handler done;
 * - `'abandoned'`: the client left, and the handler did neither within `abandonedHoldMs`.
 */
export type RequestEnd = 'completed' | 'after-disconnect' | 'abandoned';

/** How to follow requests: shared by every request of one middleware. */
export interface WatchSettings {
  /**
   * How long to wait, after the client left, for the handler to end the
   * response before calling the request over anyway. `Infinity`: wait for it.
   */
  readonly abandonedHoldMs: number;
  /**
   * End only once the framework reported the handler done (`handlerDone()`),
   * even after a complete response, and never by `abandonedHoldMs`: for
   * handlers whose promise is known and may outlive their response.
   */
  readonly untilHandlerDone?: boolean;
}

/** The default of `abandonedHoldMs`: long enough for a real handler to notice its client left and end. */
export const DEFAULT_ABANDONED_HOLD_MS = 30_000;

/** Node's timers overflow past this many ms and fire at once. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * Throws `InvalidArgumentError` unless `value` is a usable `abandonedHoldMs`:
 * 0 to 2^31-1 ms, or `Infinity`. Returns it.
 */
export function checkHoldMs(name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0) || (value > LONGEST_TIMER_MS && value !== Number.POSITIVE_INFINITY)) {
    throw new InvalidArgumentError(
      `Expected \`${name}\` to be a number of ms from 0 to ${LONGEST_TIMER_MS}, or Infinity, got ${describeValue(value)}.`,
    );
  }
  return value;
}

/**
 * Follows one request from its start to the end of its work, on every path a
 * connection can take, and reports that end exactly once.
 *
 * Hand-written rather than `on-finished`, measured on Node 20, 22 and 24:
 * - A response queued behind a pipelined one has no socket yet. If the
 *   connection dies while it waits, Node 20 and 22 never emit its `'close'`,
 *   and on-finished, which waits for a `'socket'` event that never comes,
 *   never calls back on any version: a lock held for it would stay held
 *   forever. Here a queued response also listens to the connection.
 * - on-finished reports `'finish'`; reset callbacks and lock releases here
 *   wait for `'close'`, after every `'finish'` listener ran with the values.
 * - When the client leaves mid-handler, `'close'` comes while the handler
 *   still works. Its end is when it ends the response (`res.end()` after the
 *   disconnect is observed on that response alone) or its promise settles.
 * - On the common path it costs one `'close'` listener, as a plain
 *   `res.on('close')` does; on-finished adds socket listeners and closures.
 *
 * Its reads of `req` and `res` are few on purpose. In an Express app nearly
 * every property load on them misses V8's inline caches (`--log-ic` counts
 * over a hundred misses per request in Express and node:http themselves), so
 * each extra read costs thousands of instructions: the common path reads
 * `res.socket`, which tells a live connection, a dead one and a queued
 * response apart, and at the close `res.socket` again, which Node sets to
 * `null` once the response was sent; `res.writableEnded` only on the rare paths.
 */
const CLOSED = 1;
const DISCONNECTED = 2;
const HANDLER_DONE = 4;
const ENDED = 8;
/** The response had no socket when the request started: queued behind a pipelined one. */
const QUEUED = 16;
/** The connection was gone before the request started; `CLOSED` follows on the next tick. */
const GONE = 32;

/**
 * `EventEmitter`'s own `on`, called on the response rather than looked up on
 * it: one inline-cache miss fewer per request (see `RequestWatch`). Node's
 * `ServerResponse` does not override it.
 */
const addListener = EventEmitter.prototype.on;

export abstract class RequestWatch<Settings extends WatchSettings = WatchSettings> {
  /** The bits above: one field to write on the hot path. */
  #state = 0;
  /** The connection, listened to only while the response is queued behind a pipelined one. */
  #socket: Socket | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #onClose = () => this.#close();

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly settings: Settings,
  ) {
    const socket = res.socket;
    if (socket !== null) {
      // The client left before the request reached here: a listener added now would never be called.
      if (!socket.destroyed) addListener.call(res, 'close', this.#onClose);
      else {
        this.#state = GONE;
        process.nextTick(this.#onClose);
      }
      return;
    }
    // Queued behind a pipelined response: until it gets the socket, only the
    // connection can say the client is gone.
    this.#state = QUEUED;
    const connection = req.socket;
    if (connection.destroyed || res.writableFinished) {
      this.#state = QUEUED | GONE;
      process.nextTick(this.#onClose);
      return;
    }
    addListener.call(res, 'close', this.#onClose);
    this.#socket = connection;
    connection.on('close', this.#onClose);
  }

  /** Whether the client left before the response was ended. */
  get disconnected(): boolean {
    return (this.#state & DISCONNECTED) !== 0;
  }

  /** Whether the client is gone: it left before the response was ended, or before the request started. */
  get clientGone(): boolean {
    return (this.#state & (DISCONNECTED | GONE)) !== 0;
  }

  /** Whether the request's work is over (`onEnd` was called). */
  get ended(): boolean {
    return (this.#state & ENDED) !== 0;
  }

  /** Called exactly once, when the request's work is over. */
  protected abstract onEnd(end: RequestEnd): void;

  /** Called once, when the client leaves before the response was ended. */
  protected onDisconnect(): void {}

  /** Tells the watch the handler is done: after a disconnect, the request's work is over. */
  handlerDone(): void {
    const state = this.#state;
    if ((state & HANDLER_DONE) !== 0) return;
    this.#state = state | HANDLER_DONE;
    if ((state & CLOSED) !== 0) this.#end((state & DISCONNECTED) !== 0 ? 'after-disconnect' : 'completed');
  }

  #close(): void {
    let state = this.#state;
    if ((state & CLOSED) !== 0) return;
    // Node detaches the socket from a response it has sent; only a response
    // still attached (or never attached) needs the slower question.
    const completed = (state & QUEUED) === 0 && this.res.socket === null ? true : this.res.writableEnded;
    state |= completed ? CLOSED : CLOSED | DISCONNECTED;
    this.#state = state;
    if ((state & DISCONNECTED) === 0) {
      if ((state & HANDLER_DONE) !== 0 || !this.settings.untilHandlerDone) this.#end('completed');
      return;
    }
    this.onDisconnect();
    // onDisconnect may have called handlerDone (a request that never started) and ended it.
    state = this.#state;
    if ((state & HANDLER_DONE) !== 0) this.#end('after-disconnect');
    else if (!this.settings.untilHandlerDone) this.#awaitEndAfterDisconnect();
  }

  /** The client is gone, the handler is not: wait for it to end the response, or for the bound. */
  #awaitEndAfterDisconnect(): void {
    const { res, settings } = this;
    const end = res.end;
    const watch = this;
    // An own property of this one response, set only after a disconnect, so
    // the common path never pays for it. `finish` never comes once the
    // connection is gone, so the call itself is the only sign.
    res.end = function (this: ServerResponse, ...args: Parameters<ServerResponse['end']>) {
      try {
        return Reflect.apply(end, this, args) as ServerResponse;
      } finally {
        watch.#end('after-disconnect');
      }
    } as ServerResponse['end'];
    if (settings.abandonedHoldMs === Number.POSITIVE_INFINITY) return;
    this.#timer = setTimeout(() => this.#end('abandoned'), settings.abandonedHoldMs);
    // The bound must not keep a server that is shutting down alive.
    this.#timer.unref();
  }

  #end(end: RequestEnd): void {
    if ((this.#state & ENDED) !== 0) return;
    this.#state |= ENDED;
    // The response's own 'close' comes once and has come by now; only the
    // timer and a queued response's connection listener outlive it.
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    if (this.#socket !== undefined) this.#socket.off('close', this.#onClose);
    this.onEnd(end);
  }
}
