import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidArgumentError } from '../errors.js';
import { describeValue, expectFunction, expectPlainObject } from '../validate.js';
import { expectPositiveNumber } from './expect.js';

/** One request of a load run, and what its answer must say. */
export interface PlannedRequest {
  /** Path and query, default `/`. */
  readonly path?: string;
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** What the answer must carry for this request, checked by `verify`. */
  readonly expected: string;
}

/** Options of `loadAndVerify`. */
export interface LoadOptions {
  /** The server's base URL, such as `http://127.0.0.1:3000`. Give this or `app`. */
  readonly url?: string;
  /** An app (an Express app, any request listener) to start on a free port of 127.0.0.1 for the run, then stop. */
  readonly app?: RequestListener;
  /** Builds the request with sequence number `index` (0, 1, 2, ...). */
  readonly request: (index: number) => PlannedRequest;
  /** Whether a 2xx answer belongs to its request. Default: the body equals `expected`. */
  readonly verify?: (body: string, expected: string) => boolean;
  /** Concurrent connections. Default 10. */
  readonly connections?: number;
  /** How long to run, in seconds. Default 10; ignored when `amount` is given. */
  readonly durationSeconds?: number;
  /** Stop after exactly this many requests instead of after a duration. */
  readonly amount?: number;
  /** Seconds a request may take before it counts as a timeout. Default 10. */
  readonly timeoutSeconds?: number;
  /** Called about once a second with the answers counted so far. */
  readonly onTick?: (progress: { readonly responses: number }) => void;
  /** Stops the run early; the summary covers what ran. Already aborted, the call rejects with its reason. */
  readonly signal?: AbortSignal;
}

/** A siege-style summary of a load run: every answer was checked against the request that caused it. */
export interface LoadSummary {
  /** Answers received, of any status. */
  readonly transactions: number;
  /** 2xx answers that belonged to their request. */
  readonly successful: number;
  /** 2xx answers that carried another request's data: the leaks. */
  readonly leaked: number;
  /** Non-2xx answers, connection errors and timeouts. */
  readonly failed: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  /** Percentage of requests answered 2xx (leaked or not), of all attempts. */
  readonly availabilityPercent: number;
  /** Percentage of 2xx answers that leaked. */
  readonly leakPercent: number;
  readonly requestsPerSecond: number;
  readonly elapsedSeconds: number;
  /** Latency percentiles, in ms. */
  readonly latencyMs: {
    readonly mean: number;
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly max: number;
  };
}

interface Context {
  expected?: string;
}

/**
 * Drives a server with autocannon and checks every answer against the
 * request that caused it, so leaks are counted exactly, not sampled. Each
 * connection sends one request at a time (no pipelining), which is what
 * pairs an answer with its request.
 *
 * autocannon is an optional peer dependency, loaded on first use.
 *
 * @throws {InvalidArgumentError} when an option has the wrong type.
 * @example
 * ```ts
 * const summary = await loadAndVerify({
 *   app, // or url: 'http://127.0.0.1:3000'
 *   connections: 50,
 *   amount: 5000,
 *   request: (i) => ({ path: '/me', headers: { 'x-user': `user-${i}` }, expected: `user-${i}` }),
 *   verify: (body, expected) => JSON.parse(body).user === expected,
 * });
 * expect(summary.leaked).toBe(0);
 * ```
 */
export async function loadAndVerify(options: LoadOptions): Promise<LoadSummary> {
  expectPlainObject('options', options);
  const { app, ...rest } = options;
  if (app === undefined) return load(rest);
  expectFunction('options.app', app);
  if (options.url !== undefined) {
    throw new InvalidArgumentError('Give `options.url` or `options.app`, not both.');
  }
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  try {
    return await load({ ...rest, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

async function load(options: Omit<LoadOptions, 'app'>): Promise<LoadSummary> {
  const { url, request, verify = (body, expected) => body === expected, onTick, signal } = options;
  const { connections = 10, durationSeconds = 10, amount, timeoutSeconds = 10 } = options;
  expectFunction('options.request', request);
  expectFunction('options.verify', verify);
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) {
    throw new InvalidArgumentError(
      `Expected \`options.url\` to be an http(s) URL (or \`options.app\` to be an app), got ${describeValue(url)}.`,
    );
  }
  for (const [name, value] of Object.entries({ connections, durationSeconds, timeoutSeconds, amount })) {
    if (value !== undefined) expectPositiveNumber(`options.${name}`, value);
  }

  signal?.throwIfAborted();
  const { default: autocannon } = await import('autocannon');
  let index = 0;
  let successful = 0;
  let leaked = 0;
  const instance = autocannon({
    url,
    connections,
    pipelining: 1,
    timeout: timeoutSeconds,
    ...(amount === undefined ? { duration: durationSeconds } : { amount }),
    requests: [
      {
        setupRequest(raw: Record<string, unknown>, context: Context) {
          const planned = request(index++);
          context.expected = planned.expected;
          return {
            ...raw,
            path: planned.path ?? '/',
            method: planned.method ?? 'GET',
            headers: { ...(raw.headers as object), ...planned.headers },
            ...(planned.body === undefined ? {} : { body: planned.body }),
          };
        },
        onResponse(status: number, body: string, context: Context) {
          if (status < 200 || status >= 300) return;
          if (verify(body, context.expected as string)) successful += 1;
          else leaked += 1;
        },
      },
    ],
  } as never) as unknown as AutocannonInstance;
  let responses = 0;
  instance.on('response', () => {
    responses += 1;
  });
  const ticker = onTick && setInterval(() => onTick({ responses }), 1000);
  const stop = () => instance.stop();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    const result = await instance;
    return summarize(result, successful, leaked);
  } finally {
    if (ticker) clearInterval(ticker);
    signal?.removeEventListener('abort', stop);
  }
}

/** The part of an autocannon instance used here: an emitter that is also the promise of its result. */
interface AutocannonInstance extends PromiseLike<AutocannonResult> {
  on(event: 'response', listener: () => void): void;
  stop(): void;
}

interface AutocannonResult {
  readonly duration: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly '2xx': number;
  readonly requests: { readonly average: number; readonly total: number };
  readonly latency: Readonly<Record<'average' | 'p50' | 'p90' | 'p99' | 'max', number>>;
}

function summarize(result: AutocannonResult, successful: number, leaked: number): LoadSummary {
  const ok = successful + leaked;
  const failed = result.non2xx + result.errors;
  const attempts = ok + failed;
  const percent = (part: number, whole: number) => (whole === 0 ? 0 : (100 * part) / whole);
  return {
    transactions: ok + result.non2xx,
    successful,
    leaked,
    failed,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    availabilityPercent: percent(ok, attempts),
    leakPercent: percent(leaked, ok),
    requestsPerSecond: result.duration > 0 ? (ok + result.non2xx) / result.duration : 0,
    elapsedSeconds: result.duration,
    latencyMs: {
      mean: result.latency.average,
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
  };
}
