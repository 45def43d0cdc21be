import type { Redis } from 'ioredis';
import { InvalidArgumentError } from '../../core/errors.js';
import { expectOptions, optionNames } from '../../core/options.js';
import { describeValue } from '../../core/validate.js';
import type { LockBackend } from '../backend.js';
import { expectDurationMs } from '../durations.js';
import { BoundedCommands } from './bounded-commands.js';
import { followConnection } from './connection.js';
import { deleteInBackground, type LeaseSettings, leaseValidityMs, RedisLease } from './redis-lease.js';
import { loadedRedisMutex, redisMutexLoading } from './redis-mutex.js';

/** Options of `redisBackend`. */
export interface RedisBackendOptions {
  /** An ioredis client. The backend never connects or quits it, and stays bounded whatever its settings. */
  readonly client: Redis;
  /** The lease (TTL) of a lock in Redis, in ms: if it is not renewed in time, the lock lapses. Default 10 000. */
  readonly lockTimeoutMs?: number;
  /** How often a held lock's lease is renewed, in ms; less than `lockTimeoutMs`. Default a third of it, so one renewal may fail without losing the lease. */
  readonly refreshIntervalMs?: number;
  /** How long to wait between attempts while another process holds the key, in ms. Default 10. */
  readonly retryIntervalMs?: number;
  /** How long any one Redis command may go unanswered before the call fails, in ms. Bounds `tryAcquire` and `release()`. Default 1000. */
  readonly commandTimeoutMs?: number;
  /** Prepended to every key. redis-semaphore adds its own `mutex:`, so key `k` lives at `mutex:<keyPrefix>k`. Default `''`. */
  readonly keyPrefix?: string;
}

/**
 * A Redis lock backend for `KeyedMutex`, built on redis-semaphore's mutex
 * (`SET key id NX PX ttl`, renewed while held, released by a script that
 * checks the id). Each `KeyedMutex` queues its local waiters first, so one
 * waiter per key and process polls Redis.
 *
 * Every call is bounded, whatever Redis does (down, frozen, still
 * connecting): an acquisition by its `timeoutMs` and signal, each command by
 * `commandTimeoutMs`. A holder's signal is aborted with `LockLostError` when
 * its lease runs out without a confirmed renewal. When Redis comes back,
 * the same client and locks work again.
 *
 * A lease lock is for efficiency, not correctness (Kleppmann): a process
 * that stalls past `lockTimeoutMs` loses the lock while it may still be
 * working. For money and stock, let the database decide.
 *
 * @throws {InvalidArgumentError} when an option has the wrong type or range, or is not one it takes.
 * @throws {MissingPeerDependencyError} from the first acquisition, when redis-semaphore (an optional peer dependency) is not installed.
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
  const { settings, retryIntervalMs, keyPrefix } = checkOptions(options);
  const { client, lockTimeoutMs, commandTimeoutMs } = settings;
  followConnection(client);
  // An answer later than the lease would be worthless: the key may have expired already.
  const setLimitMs = Math.min(commandTimeoutMs, leaseValidityMs(lockTimeoutMs));
  const setBound = setLimitMs === commandTimeoutMs ? '`commandTimeoutMs`' : '`lockTimeoutMs` less clock drift';

  return {
    async acquire(key, { timeoutMs, signal, onLost }) {
      const redisKey = `${keyPrefix}${key}`;
      const RedisMutex = loadedRedisMutex() ?? (await redisMutexLoading());
      const commands = new BoundedCommands(client, setLimitMs, setBound, signal);
      const mutex = new RedisMutex(commands.client, redisKey, {
        lockTimeout: lockTimeoutMs,
        acquireTimeout: timeoutMs > 0 ? timeoutMs : Number.POSITIVE_INFINITY,
        acquireAttemptsLimit: timeoutMs > 0 ? Number.POSITIVE_INFINITY : 1,
        retryInterval: retryIntervalMs,
        refreshInterval: 0,
      });
      try {
        if (!(await mutex.tryAcquire(signal))) return undefined;
      } catch (error) {
        // An unanswered SET may still land, even after a reconnection: delete
        // it behind the SET, or it would hold the key for a whole lease.
        if (commands.sentAt > 0) deleteInBackground(client, redisKey, mutex.identifier, lockTimeoutMs);
        throw error;
      }
      return new RedisLease(settings, redisKey, mutex.identifier, commands.sentAt, onLost);
    },
  };
}

const REDIS_BACKEND_OPTIONS = optionNames<RedisBackendOptions>({
  client: true,
  lockTimeoutMs: true,
  refreshIntervalMs: true,
  retryIntervalMs: true,
  commandTimeoutMs: true,
  keyPrefix: true,
});

function checkOptions(options: RedisBackendOptions) {
  expectOptions(options, REDIS_BACKEND_OPTIONS, 'redisBackend()');
  const { client, lockTimeoutMs = 10_000, retryIntervalMs = 10, commandTimeoutMs = 1000, keyPrefix = '' } = options;
  if (client === null || typeof client !== 'object' || typeof client.set !== 'function') {
    throw new InvalidArgumentError(
      `Expected \`options.client\` to be an ioredis client, got ${describeValue(client)}.`,
    );
  }
  expectDurationMs('options.lockTimeoutMs', lockTimeoutMs);
  const { refreshIntervalMs = Math.round(lockTimeoutMs / 3) } = options;
  for (const [name, value] of Object.entries({ refreshIntervalMs, retryIntervalMs, commandTimeoutMs })) {
    expectDurationMs(`options.${name}`, value);
  }
  if (refreshIntervalMs >= lockTimeoutMs) {
    throw new InvalidArgumentError(
      `Expected \`options.refreshIntervalMs\` to be less than \`options.lockTimeoutMs\` (${lockTimeoutMs}), ` +
        `got ${describeValue(refreshIntervalMs)}: a lease must be renewed before it runs out.`,
    );
  }
  if (typeof keyPrefix !== 'string') {
    throw new InvalidArgumentError(`Expected \`options.keyPrefix\` to be a string, got ${describeValue(keyPrefix)}.`);
  }
  const settings: LeaseSettings = { client, lockTimeoutMs, refreshIntervalMs, commandTimeoutMs };
  return { settings, retryIntervalMs, keyPrefix };
}
