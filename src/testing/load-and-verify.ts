import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidArgumentError } from '../core/errors.js';
import { expectOptions, optionNames } from '../core/options.js';
import { importPeer } from '../core/peer.js';
import { describeValue, expectFunction } from '../core/validate.js';
import { expectPositiveNumber } from './expect.js';
import { guardConnection, type LoadClient } from './load-guards.js';
import {
  type AnswerVerdict,
  type AutocannonResult,
  type LoadSummary,
  summarizeLoad,
  type VerdictCounts,
} from './load-summary.js';
import { realClearTimeout, realSetTimeout } from './real-timers.js';

/** One request of a load run, and what its answer must say. */
export interface PlannedRequest {
  /** Path and query, default `/`. */
  readonly path?: string;
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** What the answer must carry for this request, checked by `verify` or `classify`. */
  readonly expected: string;
}

/** A 2xx answer, paired with the request that caused it. */
export interface AnsweredRequest {
  readonly request: PlannedRequest;
  /** The sequence number `request` was built with. */
  readonly index: number;
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[]>>;
  readonly body: string;
}

/** Options of `loadAndVerify`. */
export interface LoadOptions {
  /** The server's base URL, such as `http://127.0.0.1:3000`. Give this or `app`. */
  readonly url?: string;
  /** An app (an Express app, any request listener) to start on a free port of 127.0.0.1 for the run, then stop. */
  readonly app?: RequestListener;
  /** Builds the request with sequence number `index` (0, 1, 2, ...). */
  readonly request: (index: number) => PlannedRequest;
  /** Whether a 2xx answer belongs to its request; `false` counts as leaked. Default: the body equals `expected`. */
  readonly verify?: (body: string, expected: string) => boolean;
  /** Instead of `verify`: judges a 2xx answer as its request's own, leaked from another, or matching none. */
  readonly classify?: (answer: AnsweredRequest) => AnswerVerdict;
  /** Concurrent connections. Default 10. */
  readonly connections?: number;
  /** How long to run, in seconds. Default 10. With `amount`, only a given value counts: the longest the count may take. */
  readonly durationSeconds?: number;
  /** Stop after exactly this many requests instead of after a duration. At least `connections`. */
  readonly amount?: number;
  /** The most requests a second, over all connections. At least `connections`. Default: as fast as answered. */
  readonly ratePerSecond?: number;
  /** Seconds a request may take before it counts as a timeout. Default 10. */
  readonly timeoutSeconds?: number;
  /**
   * The longest answer body read, in bytes. A longer one closes its
   * connection for the rest of the run and counts as an error, as does a
   * connection the system cannot open (too many open files). Default 16 MiB.
   */
  readonly maxBodyBytes?: number;
  /** Called about once a second with the answers counted so far. */
  readonly onTick?: (progress: { readonly responses: number; readonly leaked: number }) => void;
  /** Stops the run early; the summary covers what ran. Already aborted, the call rejects with its reason. */
  readonly signal?: AbortSignal;
}

const LOAD_OPTIONS = optionNames<LoadOptions>({
  url: true,
  app: true,
  request: true,
  verify: true,
  classify: true,
  connections: true,
  durationSeconds: true,
  amount: true,
  ratePerSecond: true,
  timeoutSeconds: true,
  maxBodyBytes: true,
  onTick: true,
  signal: true,
});

interface Context {
  request?: PlannedRequest;
  index?: number;
}

/**
 * Drives a server with autocannon and checks every answer against the
 * request that caused it, so leaks are counted exactly, not sampled. Each
 * connection sends one request at a time (no pipelining), which is what
 * pairs an answer with its request. Redirects are not followed: a 3xx
 * answer counts as non-2xx, so the load never goes anywhere but `url`.
 *
 * It is the engine of `npm run bench` and of `npx current-attributes-probe`.
 * autocannon is an optional peer dependency, loaded at the first call.
 *
 * @throws {InvalidArgumentError} when an option has the wrong type or range, or is not one it takes.
 * @throws {MissingPeerDependencyError} when autocannon is not installed.
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
  expectOptions(options, LOAD_OPTIONS, 'loadAndVerify()');
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
  const { url, request, onTick, signal } = options;
  const { connections = 10, amount, ratePerSecond, timeoutSeconds = 10, maxBodyBytes = 16 * 1024 * 1024 } = options;
  const classify = verdictOf(options);
  const durationSeconds = options.durationSeconds ?? (amount === undefined ? 10 : undefined);
  expectFunction('options.request', request);
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) {
    throw new InvalidArgumentError(
      `Expected \`options.url\` to be an http(s) URL (or \`options.app\` to be an app), got ${describeValue(url)}.`,
    );
  }
  const checked = { connections, durationSeconds, timeoutSeconds, amount, ratePerSecond, maxBodyBytes };
  for (const [name, value] of Object.entries(checked)) {
    if (value !== undefined) expectPositiveNumber(`options.${name}`, value);
  }
  // autocannon shares both among the connections in whole numbers, and fails or drops connections below that.
  expectAtLeastConnections('amount', amount, connections, 'every connection sends at least one request');
  expectAtLeastConnections(
    'ratePerSecond',
    ratePerSecond,
    connections,
    'each connection sends a whole number of requests a second',
  );

  signal?.throwIfAborted();
  const { default: autocannon } = await importPeer(() => import('autocannon'), {
    packageName: 'autocannon',
    neededBy: '`loadAndVerify` from current-attributes/testing',
    dev: true,
  });
  let index = 0;
  let cut = 0;
  const counts: VerdictCounts = { own: 0, leaked: 0, unmatched: 0 };
  const instance = autocannon({
    url,
    connections,
    pipelining: 1,
    timeout: timeoutSeconds,
    setupClient: (client: LoadClient) =>
      guardConnection(client, maxBodyBytes, () => {
        cut += 1;
      }),
    ...(amount === undefined ? { duration: durationSeconds } : { amount }),
    ...(ratePerSecond === undefined ? {} : { overallRate: ratePerSecond }),
    requests: [
      {
        setupRequest(raw: Record<string, unknown>, context: Context) {
          context.index = index++;
          const planned = request(context.index);
          context.request = planned;
          return {
            ...raw,
            path: planned.path ?? '/',
            method: planned.method ?? 'GET',
            headers: { ...(raw.headers as object), ...planned.headers },
            ...(planned.body === undefined ? {} : { body: planned.body }),
          };
        },
        onResponse(status: number, body: string, context: Context, headers: AnsweredRequest['headers']) {
          if (status < 200 || status >= 300) return;
          const { request: planned, index: sent } = context as Required<Context>;
          counts[classify({ request: planned, index: sent, status, headers, body })] += 1;
        },
      },
    ],
  } as never) as unknown as AutocannonInstance;
  let responses = 0;
  instance.on('response', () => {
    responses += 1;
  });
  const ticker = onTick && setInterval(() => onTick({ responses, leaked: counts.leaked }), 1000);
  const stop = () => instance.stop();
  const deadline =
    amount !== undefined && durationSeconds !== undefined && realSetTimeout(stop, durationSeconds * 1000);
  signal?.addEventListener('abort', stop, { once: true });
  try {
    const result = await instance;
    // An answer cut for its length is an error, which autocannon does not count.
    return summarizeLoad({ ...result, errors: result.errors + cut }, counts);
  } finally {
    if (ticker) clearInterval(ticker);
    if (deadline) realClearTimeout(deadline);
    signal?.removeEventListener('abort', stop);
  }
}

/** The one judge of a 2xx answer: `classify`, or `verify` (true: own, false: leaked). */
function verdictOf({ verify, classify }: LoadOptions): (answer: AnsweredRequest) => AnswerVerdict {
  if (verify !== undefined && classify !== undefined) {
    throw new InvalidArgumentError('Give `options.verify` or `options.classify`, not both.');
  }
  if (classify !== undefined) {
    expectFunction('options.classify', classify);
    return classify;
  }
  const check = verify ?? ((body: string, expected: string) => body === expected);
  expectFunction('options.verify', check);
  return ({ body, request }) => (check(body, request.expected) ? 'own' : 'leaked');
}

function expectAtLeastConnections(name: string, value: number | undefined, connections: number, why: string) {
  if (value !== undefined && value < connections) {
    throw new InvalidArgumentError(
      `Expected \`options.${name}\` to be at least \`options.connections\` (${connections}), got ${describeValue(value)}: ${why}.`,
    );
  }
}

/** The part of an autocannon instance used here: an emitter that is also the promise of its result. */
interface AutocannonInstance extends PromiseLike<AutocannonResult> {
  on(event: 'response', listener: () => void): void;
  stop(): void;
}
