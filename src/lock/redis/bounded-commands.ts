import type { Redis } from 'ioredis';
import type { Mutex as RedisMutex } from 'redis-semaphore';
import { settleWithin } from '../settle-within.js';
import { whyNotSent } from './connection.js';

/** The client redis-semaphore's mutex is given: the few commands it sends. */
export type MutexClient = ConstructorParameters<typeof RedisMutex>[0];

/**
 * A Redis command that got no answer within its bound. ioredis may still
 * send it (again, after a reconnection): its effect can come later.
 *
 * @example
 * ```ts
 * new RedisTimeoutError(1000, '`commandTimeoutMs`').message; // 'Redis did not answer within 1000 ms (`commandTimeoutMs`)'
 * ```
 */
export class RedisTimeoutError extends Error {
  override name = 'RedisTimeoutError';

  constructor(ms: number, bound: string) {
    super(`Redis did not answer within ${Math.round(ms)} ms (${bound})`);
  }
}

/**
 * The commands of one operation (acquire, renew, release), each bounded:
 * it settles within `limitMs`, or when `signal` aborts, whatever the
 * settings of the ioredis client the user passed (by default it holds
 * commands through 20 reconnection attempts and has no command timeout).
 * While the client is known to be disconnected (reconnecting, or connecting
 * again after it lost its connection) a command fails at once, so an outage
 * is answered fast; the bound holds either way.
 *
 * @example
 * ```ts
 * const commands = new BoundedCommands(client, 1000, '`commandTimeoutMs`', signal);
 * const mutex = new RedisMutex(commands.client, key, { lockTimeout: 10_000 });
 * ```
 */
export class BoundedCommands {
  /** When the last command was sent (`performance.now()`), or `0`: a lease counts from the send of its SET. */
  sentAt = 0;
  readonly client: MutexClient;

  constructor(redis: Redis, limitMs: number, bound: string, signal?: AbortSignal) {
    const bounded =
      (command: (...args: never[]) => Promise<unknown>) =>
      (...args: unknown[]): Promise<unknown> => {
        const unsent = whyNotSent(redis);
        if (unsent !== undefined) return Promise.reject(new Error(unsent));
        this.sentAt = performance.now();
        const reply = (command as (...args: unknown[]) => Promise<unknown>).apply(redis, args);
        return settleWithin(reply, limitMs, signal, () => new RedisTimeoutError(limitMs, bound));
      };
    this.client = {
      options: redis.options,
      set: bounded(redis.set),
      get: bounded(redis.get),
      eval: bounded(redis.eval),
      evalsha: bounded(redis.evalsha),
      zrem: bounded(redis.zrem),
    } as unknown as MutexClient;
  }
}
