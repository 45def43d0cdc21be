import type { ServerResponse } from 'node:http';
import { finished } from 'node:stream';

/**
 * What still produces one response after its client hung up: the bodies
 * being written into it and the framework's own write, so that the
 * request's end (its lock's release, its reset callbacks) waits until
 * nothing runs for it any more. One per response, shared by every watch on
 * it (the scope's and each lock's), made only on rare paths: when the
 * client hangs up, or when a helper announces a producer of its own.
 *
 * It follows what it can see: a Node stream piped into the response (its
 * `'unpipe'` at the hang-up, or a `'pipe'` after it) until it has finished
 * or closed (a `Readable.from(generator)` closes once the generator stopped,
 * not when it is asked to), bodies an adapter names (Koa's `ctx.body`),
 * producers a helper registers (Hono's streaming helpers from this
 * library), and the response's `end()`. A web `ReadableStream` tells nothing
 * once cancelled, so a response that is being written from one when the
 * client leaves ends only by `abandonedHoldMs`.
 */
export class Production {
  /** Producers running: followed streams not yet finished, registered callbacks not yet done. */
  #open = 0;
  /**
   * Producers ever followed or registered that write the response on their
   * own: a stream with no writable side (its `_read` is its producer),
   * a registered callback. A stream something else writes into (a
   * `PassThrough` the handler feeds) is followed, but its closing says nothing
   * of that writer.
   */
  #producers = 0;
  readonly #streams = new WeakSet<object>();
  #unseen = false;
  readonly #watchers = new Set<() => void>();
  /** Whether the client is gone: the response's `end` and pipes are followed from then on. */
  #disconnected = false;
  /** Whether `end()` was called after the client left. */
  ended = false;
  /** Whether the response had started, and not ended, when the client left. */
  startedAtDisconnect = false;
  /**
   * Whether the framework writes the response after the handler (`expectWrite`):
   * then only `end()`, or its producers finishing, says the writing is over.
   */
  writerPending = false;

  constructor(readonly res: ServerResponse) {}

  /** Whether nothing produces the response any more. */
  get idle(): boolean {
    return this.#open === 0;
  }

  /** Whether the response's writing is over: `end()` was called, or producers wrote it and all finished. */
  get written(): boolean {
    return this.ended || (this.#producers > 0 && this.#open === 0);
  }

  /** Whether a producer that writes the response was followed or registered: something other than the handler writes it. */
  get producing(): boolean {
    return this.#producers > 0;
  }

  /** The framework writes the response after the handler: its end is `end()`, or its producers' (see `written`). */
  expectWrite(): void {
    this.writerPending = true;
  }

  /**
   * Something writes the response whose end cannot be seen: a web
   * `ReadableStream` the framework cancelled, whose source may still run.
   * Nothing ends the production then, so the request ends by `abandonedHoldMs`.
   */
  unseenWriter(): void {
    if (this.#unseen) return;
    this.#unseen = true;
    this.start();
  }

  /** Follows `stream` until it finished or closed. Anything else (a web stream, a string) is ignored. */
  follow(stream: unknown): void {
    if (!isNodeStream(stream) || this.#streams.has(stream)) return;
    this.#streams.add(stream);
    const done = this.start(typeof (stream as { write?: unknown }).write !== 'function');
    finished(stream, () => done());
  }

  /**
   * Registers a producer the response waits for (one that writes it, unless
   * `writes` is false); returns the function that says it is done (idempotent).
   */
  start(writes = true): () => void {
    this.#open += 1;
    if (writes) this.#producers += 1;
    let running = true;
    return () => {
      if (!running) return;
      running = false;
      this.#open -= 1;
      this.#notify();
    };
  }

  /** Calls `watcher` on every change until `unwatch`. */
  watch(watcher: () => void): void {
    this.#watchers.add(watcher);
  }

  unwatch(watcher: () => void): void {
    this.#watchers.delete(watcher);
  }

  /**
   * The client is gone: from now on, follow the response's `end()` and the
   * streams piped into it or out of it (pipe's own `'close'` listener, which
   * runs after this one, unpipes its source). Once per response.
   */
  disconnected(): void {
    if (this.#disconnected) return;
    this.#disconnected = true;
    const { res } = this;
    this.startedAtDisconnect = res.headersSent && !res.writableEnded;
    const production = this;
    const end = res.end;
    // Own properties of this one response, set only after a hang-up: the
    // common path never pays for them. `'finish'` never comes once the
    // connection is gone, so the call itself is the only sign.
    res.end = function (this: ServerResponse, ...args: Parameters<ServerResponse['end']>) {
      try {
        return Reflect.apply(end, this, args) as ServerResponse;
      } finally {
        production.ended = true;
        production.#notify();
      }
    } as ServerResponse['end'];
    const emit = res.emit;
    res.emit = function (this: ServerResponse, ...args: Parameters<ServerResponse['emit']>) {
      if (args[0] === 'pipe' || args[0] === 'unpipe') production.follow(args[1]);
      return Reflect.apply(emit, this, args) as boolean;
    };
  }

  #notify(): void {
    for (const watcher of this.#watchers) watcher();
  }
}

const productions = new WeakMap<ServerResponse, Production>();

/** The production of `res`, made on first use. Only for rare paths: a hang-up, a helper's producer. */
export function productionOf(res: ServerResponse): Production {
  let production = productions.get(res);
  if (production === undefined) {
    production = new Production(res);
    productions.set(res, production);
  }
  return production;
}

/**
 * Registers a producer of `res`'s body that runs beside the handler (a
 * streaming helper's callback): after a hang-up, the request's end waits for
 * the returned function to be called. Call it once the producer stopped.
 *
 * @example
 * ```ts
 * const done = startProducing(res);
 * try { await produce(); } finally { done(); }
 * ```
 */
export function startProducing(res: ServerResponse): () => void {
  return productionOf(res).start();
}

function isNodeStream(value: unknown): value is NodeJS.ReadableStream {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { pipe?: unknown }).pipe === 'function' &&
    typeof (value as { on?: unknown }).on === 'function'
  );
}
