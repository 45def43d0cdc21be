import type { Socket } from 'node:net';
import type { LockMiddlewareStats } from 'current-attributes/express';

// The contract's terms, apart from contract.ts so the files of its cases
// (streamed-responses, lock-edges, mounts) import them without a cycle.

/** One request as a contract route sees it, whatever the framework. */
export interface Call {
  /** The path, without the query. */
  readonly path: string;
  /** The request's connection. */
  readonly socket: Socket;
  header(name: string): string | undefined;
  /** Sends the status and a first chunk: the response has started. */
  write(text: string): void;
  /** Ends the response with `text` (status 200 unless `write` set it). */
  end(text: string): void;
  /** Runs `listener` in the framework's end-of-response hook. */
  onFinish(listener: () => void): void;
  /** Runs `listener` when the connection lets go of the response: sent, or the client gone. */
  onClose(listener: () => void): void;
  /** The signal of the lock the request holds (`lockSignal`), once granted. */
  lockSignal(): AbortSignal | undefined;
  /**
   * Answers with a body produced by `source`, in the framework's own way of
   * streaming one: a Node stream piped into the response (Express,
   * node:http), `ctx.body` (Koa), `reply.send` (Fastify), `stream()` (Hono).
   */
  stream(source: () => AsyncIterable<string>): void;
}

/** What an adapter's `onRejected` does, in neutral terms: each adapter writes it in its framework's idiom. */
export type Rejection =
  /** Throws an `Error('rethrown <name>')`. */
  | 'throws'
  /** Returns a promise rejected with `Error('rethrown <name>')`. */
  | 'rejects'
  /** Resolves without answering: the adapter must answer all the same. */
  | 'answers-nothing'
  /** Only sets the status to 429 (Fastify `reply.code`, Koa `ctx.status`, Hono `c.status`, `res.statusCode`). */
  | 'sets-status';

/** An app in neutral terms: what the contract needs from every adapter. */
export interface ContractApp {
  /** The lock around the route, with the adapter's middleware or wrapper for it. */
  readonly lock?: {
    readonly timeoutMs?: number;
    readonly maxQueue?: number;
    readonly retryAfterSeconds?: number;
    readonly key?: (path: string) => string;
    readonly abandonedHoldMs?: number;
    readonly onRejected?: Rejection;
  };
  /** Options of the adapter's scope middleware, with `setup` given the request's path. */
  readonly scope?: {
    readonly abandonedHoldMs?: number;
    readonly setup?: (path: string) => void;
    /**
     * Mounts the scope middleware a second time after the first (as a router
     * or sub-app would), with `between` in between and this `setup` given to
     * the second mount.
     */
    readonly mountedTwice?: { readonly between: (call: Call) => void; readonly setup: (path: string) => void };
  };
  /**
   * A middleware between the scope and the lock: `before` runs first and may
   * wait, `after` runs once the rest of the request settled, where the
   * framework resumes a middleware (Koa, Hono, a node:http handler around the
   * locked one); Express and Fastify never call it.
   */
  readonly aroundLock?: { readonly before: (call: Call) => Promise<void>; readonly after: (call: Call) => void };
  /** The route for every path. A throw or rejection goes to the framework's error handling. */
  readonly route: (call: Call) => unknown;
  /** Called from the framework's error handling; the adapter answers 500 with what it returns. */
  readonly onError?: (error: unknown, call: Call) => string;
}

export interface StartedApp {
  readonly url: string;
  /** The counters of the app's lock, when it has one. */
  readonly lockStats: () => LockMiddlewareStats;
  close(): Promise<void>;
}

/** How to run a `ContractApp` on one framework, with that framework's adapter of this library. */
export interface AdapterUnderTest {
  readonly name: string;
  /**
   * Whether the scope of a queued request whose client left ends at once.
   * Express's lock middleware cannot tell `currentMiddleware` (no promise
   * links them), so there it ends by `abandonedHoldMs`.
   */
  readonly endsScopeOfLeftWaiter?: boolean;
  /**
   * Whether the lock learns when the handler is done (all but Express, whose
   * `next()` returns before the handler ran): where it cannot, after a
   * hang-up it goes by the response's end or the streams piped into it.
   */
  readonly knowsHandlerEnd?: boolean;
  /** Whether a middleware before the lock resumes after it (`aroundLock.after`): Koa, Hono and node:http. */
  readonly resumesAroundLock?: boolean;
  /**
   * Whether the adapter answers a refused request whose `onRejected` did not
   * (Fastify, Koa, Hono, whose hooks return or set the answer). Express and
   * node:http hooks answer through `res` themselves, maybe later from a
   * callback, so the adapter cannot tell a missing answer from a late one.
   */
  readonly answersForOnRejected?: boolean;
  /** Whether a second mount of the scope middleware is refused (Fastify) rather than reusing the request's scope. */
  readonly refusesSecondMount?: boolean;
  /** Whether the framework has no second mount of the scope to test (NestJS: `CurrentModule.forRoot` is one global module). */
  readonly mountsScopeOnce?: boolean;
  /** Whether the lock takes an `onRejected` hook: all but NestJS, whose refused requests reach exception filters. */
  readonly takesOnRejected?: boolean;
  start(app: ContractApp): Promise<StartedApp>;
}
