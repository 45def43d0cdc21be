import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { type ConnectionFollower, followOnConnection, onConnectionClose } from './connection.js';
import { type Production, productionOf } from './production.js';
import type { RequestEnd, WatchedRequest } from './watched-request.js';

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

/**
 * Follows one request from its start to the end of its work, on every path a
 * connection can take, and tells its `WatchedRequest` of that end exactly once.
 *
 * A part of the request rather than its base class: TurboFan does not inline
 * a `super()` call, so a subclass paid for the generic construct path on
 * every request (docs/benchmarks/cost.md). See `WatchedRequest` for an example.
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
 *   disconnect is observed on that response alone) or its promise settles,
 *   and what still produces the response has stopped (see `Production`).
 * - On the common path, a request on a keep-alive connection that already
 *   served one, it adds no listener at all: the connection follows it
 *   (`followOnConnection`). Otherwise it costs one `'close'` listener, as a
 *   plain `res.on('close')` does; on-finished adds socket listeners and closures.
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
/** The handler was done when the client left: whatever still wrote the response was not the handler. */
const DONE_AT_DISCONNECT = 64;
/** The turn of the hang-up is over: pipes that unpiped from the response at its `'close'` are followed. */
const SETTLING = 128;

/**
 * `EventEmitter`'s own `on`, called on the response rather than looked up on
 * it: one inline-cache miss fewer per request (see `RequestWatch`). Node's
 * `ServerResponse` does not override it.
 */
const addListener = EventEmitter.prototype.on;

/**
 * What a request needs off the common path, made on first need: a request
 * its connection follows, answered to a client that stayed, never makes it.
 */
interface Detour {
  /** The `'close'` listener, made only where one is added. */
  onClose: (() => void) | undefined;
  /** Stops following the connection, followed only while the response is queued behind a pipelined one. */
  leaveConnection: (() => void) | undefined;
  /** Ends the request `abandonedHoldMs` after its client left. */
  timer: ReturnType<typeof setTimeout> | undefined;
  /** What still produces the response, once the client left. */
  production: Production | undefined;
  /** The production's listener, made at the disconnect. */
  onProduction: (() => void) | undefined;
}

export class RequestWatch implements ConnectionFollower {
  /** The bits above: one field to write on the hot path. */
  #state = 0;
  #detour: Detour | undefined;
  /** @internal Kept by the connection that follows this request (`followOnConnection`). */
  nextOnConnection: ConnectionFollower | undefined;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly settings: WatchSettings,
    readonly owner: WatchedRequest,
  ) {
    const socket = res.socket;
    if (socket !== null) {
      // The client left before the request reached here: a listener added now would never be called.
      if (socket.destroyed) {
        this.#state = GONE;
        process.nextTick(this.#closeListener());
      } else if (!followOnConnection(socket as Socket, this)) addListener.call(res, 'close', this.#closeListener());
      return;
    }
    // Queued behind a pipelined response: until it gets the socket, only the
    // connection can say the client is gone.
    this.#state = QUEUED;
    const connection = req.socket;
    if (connection.destroyed || res.writableFinished) {
      this.#state = QUEUED | GONE;
      process.nextTick(this.#closeListener());
      return;
    }
    const onClose = this.#closeListener();
    addListener.call(res, 'close', onClose);
    this.#detourOf().leaveConnection = onConnectionClose(connection, onClose);
  }

  #detourOf(): Detour {
    this.#detour ??= {
      onClose: undefined,
      leaveConnection: undefined,
      timer: undefined,
      production: undefined,
      onProduction: undefined,
    };
    return this.#detour;
  }

  #closeListener(): () => void {
    const detour = this.#detourOf();
    detour.onClose ??= () => this.#close();
    return detour.onClose;
  }

  /** Whether the response had no socket when the request started: queued behind a pipelined one. */
  get queued(): boolean {
    return (this.#state & QUEUED) !== 0;
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

  /**
   * Tells the watch the handler is done: after a disconnect, the request's
   * work is over once nothing produces its response any more.
   */
  handlerDone(): void {
    const state = this.#state;
    if ((state & HANDLER_DONE) !== 0) return;
    this.#state = state | HANDLER_DONE;
    if ((state & CLOSED) === 0) return;
    if ((state & DISCONNECTED) === 0) {
      this.#end('completed');
      return;
    }
    this.owner.followUp(this.#detour?.production as Production);
    this.#settle();
  }

  /** @internal The connection saw the response sent, where its `'close'` would have come. */
  responseSent(): void {
    this.#close(true);
  }

  /** @internal The connection closed while the response held it. */
  connectionClosed(): void {
    this.#close();
  }

  /** The response closed: `sent` when it is known to have been sent, else found out here. */
  #close(sent?: boolean): void {
    let state = this.#state;
    if ((state & CLOSED) !== 0) return;
    // Node detaches the socket from a response it has sent; only a response
    // still attached (or never attached) needs the slower question.
    const completed = sent ?? ((state & QUEUED) === 0 && this.res.socket === null ? true : this.res.writableEnded);
    state |= completed ? CLOSED : CLOSED | DISCONNECTED;
    this.#state = state;
    if ((state & DISCONNECTED) === 0) {
      if ((state & HANDLER_DONE) !== 0 || !this.settings.untilHandlerDone) this.#end('completed');
      return;
    }
    this.#disconnect();
  }

  /** The client is gone: follow what still runs for the response, and end once nothing does, or at the bound. */
  #disconnect(): void {
    if ((this.#state & HANDLER_DONE) !== 0) this.#state |= DONE_AT_DISCONNECT;
    const detour = this.#detourOf();
    const production = productionOf(this.res);
    detour.production = production;
    production.disconnected();
    detour.onProduction = () => this.#settle();
    production.watch(detour.onProduction);
    this.owner.onDisconnect();
    if ((this.#state & DONE_AT_DISCONNECT) !== 0) this.owner.followUp(production);
    const { untilHandlerDone, abandonedHoldMs } = this.settings;
    if (!untilHandlerDone && abandonedHoldMs !== Number.POSITIVE_INFINITY) {
      detour.timer = setTimeout(() => this.#end('abandoned'), abandonedHoldMs);
      // The bound must not keep a server that is shutting down alive.
      detour.timer.unref();
    }
    // A pipe into the response unpipes its source from its own 'close'
    // listener, which runs after this one: decide once this turn is over.
    queueMicrotask(() => {
      this.#state |= SETTLING;
      this.#settle();
    });
  }

  /**
   * After a disconnect: ends the request once its handler is done (or, where
   * the framework cannot tell, its response was ended) and nothing produces
   * the response any more.
   */
  #settle(): void {
    const state = this.#state;
    if ((state & (SETTLING | ENDED)) !== SETTLING) return;
    const production = this.#detour?.production as Production;
    if (!production.idle) return;
    const handlerDone = (state & HANDLER_DONE) !== 0;
    if (this.settings.untilHandlerDone) {
      if (handlerDone) this.#end('after-disconnect');
      return;
    }
    // A handler done before the hang-up had left the response to something
    // else still writing it (a body stream, a framework's loop): its end is
    // the response's end, or that writer's.
    const handlerWasWriter =
      handlerDone &&
      !production.writerPending &&
      ((state & DONE_AT_DISCONNECT) === 0 || !production.startedAtDisconnect);
    if (handlerWasWriter || production.written) this.#end('after-disconnect');
  }

  #end(end: RequestEnd): void {
    if ((this.#state & ENDED) !== 0) return;
    this.#state |= ENDED;
    const detour = this.#detour;
    if (detour !== undefined) {
      // The response's own 'close' comes once and has come by now; only the
      // timer, a queued response's connection listener and the production outlive it.
      if (detour.timer !== undefined) clearTimeout(detour.timer);
      if (detour.leaveConnection !== undefined) detour.leaveConnection();
      if (detour.onProduction !== undefined) detour.production?.unwatch(detour.onProduction);
    }
    this.owner.onEnd(end);
  }
}
