import type { Redis } from 'ioredis';
import { Mutex as RedisMutex } from 'redis-semaphore';
import { InvalidArgumentError } from '../../errors.js';
import { describeValue, expectPlainObject } from '../../validate.js';
import type { LockBackend } from '../backend.js';

/** Options of `redisBackend`. */
export interface RedisBackendOptions {
  /** An ioredis client. The backend never connects or quits it. */
  readonly client: Redis;
  /** The lease (TTL) of a lock in Redis, in ms: if the process stalls this long without refreshing, the lock lapses. Default 10 000. */
  readonly lockTimeoutMs?: number;
  /** How often a held lock's lease is renewed, in ms. Default 80% of `lockTimeoutMs`. */
  readonly refreshIntervalMs?: number;
  /** How long to wait between attempts while another process holds the key, in ms. Default 10. */
  readonly retryIntervalMs?: number;
  /** Prepended to every key. redis-semaphore adds its own `mutex:`, so key `k` lives at `mutex:<keyPrefix>k`. Default `''`. */
  readonly keyPrefix?: string;
}

/** Connection states in which a command would wait in ioredis's offline queue instead of failing. */
const DISCONNECTED = new Set(['reconnecting', 'end', 'close']);

/**
 * The commands redis-semaphore sends, each failing at once while the client
 * is disconnected. ioredis would otherwise hold them in its offline queue
 * through up to 20 reconnection attempts, and an acquisition would hang.
 */
function failFast(client: Redis): Redis {
  const guard =
    <A extends unknown[], R>(command: (...args: A) => R) =>
    (...args: A): R => {
      if (DISCONNECTED.has(client.status)) throw new Error(`the Redis client is ${client.status}`);
      return command.apply(client, args);
    };
  const commands = {
    options: client.options,
    set: guard(client.set),
    get: guard(client.get),
    eval: guard(client.eval),
    evalsha: guard(client.evalsha),
    zrem: guard(client.zrem),
  };
  return commands as unknown as Redis;
}

/**
 * Makes redis-semaphore's refresh failure a lost lock: it reports `false`
 * instead of throwing from a timer, where a Redis outage would otherwise be
 * an unhandled rejection that ends the process.
 */
class LeasedMutex extends RedisMutex {
  protected override async _refresh(): Promise<boolean> {
    try {
      return await super._refresh();
    } catch {
      return false;
    }
  }
}

/**
 * A Redis lock backend for `KeyedMutex`, built on redis-semaphore's mutex
 * (`SET key id NX PX ttl`, renewed while held, released by a script that
 * checks the id). Each `KeyedMutex` queues its local waiters first, so one
 * waiter per key and process polls Redis.
 *
 * A lease lock is for efficiency, not correctness (Kleppmann): a process
 * that stalls past `lockTimeoutMs` loses the lock while it may still be
 * working. Its signal is aborted with `LockLostError` when the next refresh
 * finds the lease gone; for money and stock, let the database decide.
 *
 * When Redis cannot be reached, acquiring fails at once with
 * `LockUnavailableError` (a `503` from the middleware) instead of waiting in
 * ioredis's offline queue.
 *
 * @throws {InvalidArgumentError} when an option has the wrong type.
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { KeyedMutex } from 'current-attributes/lock';
 * import { redisBackend } from 'current-attributes/lock/redis';
 *
 * const locks = new KeyedMutex({ backend: redisBackend({ client: new Redis() }), timeoutMs: 5000 });
 * await locks.withLock('nightly-report', (signal) => buildReport({ signal }));
 * ```
 */
export function redisBackend(options: RedisBackendOptions): LockBackend {
  expectPlainObject('options', options);
  const { client, lockTimeoutMs = 10_000, retryIntervalMs = 10, keyPrefix = '' } = options;
  const { refreshIntervalMs = Math.round(lockTimeoutMs * 0.8) } = options;
  if (client === null || typeof client !== 'object' || typeof client.set !== 'function') {
    throw new InvalidArgumentError(
      `Expected \`options.client\` to be an ioredis client, got ${describeValue(client)}.`,
    );
  }
  for (const [name, value] of Object.entries({ lockTimeoutMs, refreshIntervalMs, retryIntervalMs })) {
    if (typeof value !== 'number' || !(value > 0) || value === Number.POSITIVE_INFINITY) {
      throw new InvalidArgumentError(
        `Expected \`options.${name}\` to be a positive number, got ${describeValue(value)}.`,
      );
    }
  }
  if (typeof keyPrefix !== 'string') {
    throw new InvalidArgumentError(`Expected \`options.keyPrefix\` to be a string, got ${describeValue(keyPrefix)}.`);
  }

  const commands = failFast(client);
  return {
    async acquire(key, { timeoutMs, signal, onLost }) {
      const mutex = new LeasedMutex(commands, `${keyPrefix}${key}`, {
        lockTimeout: lockTimeoutMs,
        ...(timeoutMs > 0 ? { acquireTimeout: timeoutMs } : { acquireAttemptsLimit: 1 }),
        retryInterval: retryIntervalMs,
        refreshInterval: refreshIntervalMs,
        onLockLost: onLost,
      });
      if (!(await mutex.tryAcquire(signal))) return undefined;
      return { release: () => mutex.release() };
    },
  };
}
