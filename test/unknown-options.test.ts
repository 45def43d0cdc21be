// cspell:ignore strickt curents Queu signl tmeout conections solds
import { defineCurrent, InvalidArgumentError, restoreContext } from 'current-attributes';
import { processWithContext, withContext } from 'current-attributes/bullmq';
import * as express from 'current-attributes/express';
import * as fastify from 'current-attributes/fastify';
import * as hono from 'current-attributes/hono';
import * as http from 'current-attributes/http';
import * as koa from 'current-attributes/koa';
import { KeyedMutex, Mutex, withLock } from 'current-attributes/lock';
import { redisBackend } from 'current-attributes/lock/redis';
import {
  assertNoLostUpdates,
  assertNotOversold,
  createBarrier,
  createLatch,
  exploreSchedules,
  injectOnce,
  joinRace,
  loadAndVerify,
  raceProcesses,
  startTogether,
} from 'current-attributes/testing';
import Fastify from 'fastify';
import { describe, expect, test } from 'vitest';

type Options = Record<string | symbol, unknown>;

/** One export that takes options: how to call it, what else it needs, and a misspelling with what it meant. */
interface Row {
  readonly owner: string;
  readonly call: (options: Options) => unknown;
  readonly required?: Options;
  readonly typo: string;
  readonly meant: string;
}

const fn = () => undefined;
const key = () => 'k';

const ROWS: Row[] = [
  // Core and jobs
  { owner: 'defineCurrent()', call: (o) => defineCurrent(class A {}, o), typo: 'strickt', meant: 'strict' },
  {
    owner: 'restoreContext()',
    call: (o) => restoreContext(undefined, fn, o),
    typo: 'onUnknownDefinitions',
    meant: 'onUnknownDefinition',
  },
  { owner: 'withContext()', call: (o) => withContext({}, o), typo: 'current', meant: 'currents' },
  { owner: 'processWithContext()', call: (o) => processWithContext(fn, o), typo: 'curents', meant: 'currents' },
  // Locks and their backend
  { owner: 'new KeyedMutex()', call: (o) => new KeyedMutex(o), typo: 'timeout', meant: 'timeoutMs' },
  { owner: 'new Mutex()', call: (o) => new Mutex(o), typo: 'maxQueu', meant: 'maxQueue' },
  { owner: 'acquire()', call: (o) => new KeyedMutex().acquire('k', o), typo: 'signl', meant: 'signal' },
  { owner: 'acquire()', call: (o) => new Mutex().acquire(o), typo: 'lockTimeout', meant: 'timeoutMs' },
  { owner: 'withLock()', call: (o) => new KeyedMutex().withLock('k', fn, o), typo: 'tmeoutMs', meant: 'timeoutMs' },
  { owner: 'withLock()', call: (o) => new Mutex().withLock(fn, o), typo: 'MaxQueue', meant: 'maxQueue' },
  { owner: 'withLock()', call: (o) => withLock('k', fn, o), typo: 'lock', meant: 'locks' },
  { owner: 'redisBackend()', call: (o) => redisBackend(o as never), typo: 'lockTimeout', meant: 'lockTimeoutMs' },
  // Adapters: scope middleware and locks
  ...(
    [
      ['express', express.currentMiddleware, 'currentMiddleware()'],
      ['koa', koa.currentMiddleware, 'currentMiddleware()'],
      ['hono', hono.currentMiddleware, 'currentMiddleware()'],
      ['http', (o: Options) => http.withCurrent(fn, o), 'withCurrent()'],
      ['fastify', (o: Options) => registerFastifyCurrent(o), 'fastifyCurrent'],
    ] as const
  ).flatMap(([, call, owner]): Row[] => [
    { owner, call: call as Row['call'], typo: 'setUp', meant: 'setup' },
    { owner, call: call as Row['call'], typo: 'abandonedHoldMS', meant: 'abandonedHoldMs' },
  ]),
  ...([express, koa, hono, http, fastify] as const).flatMap((adapter): Row[] => [
    { owner: 'globalLock()', call: (o) => adapter.globalLock(o), typo: 'timeout', meant: 'timeoutMs' },
    { owner: 'globalLock()', call: (o) => adapter.globalLock(o), typo: 'retryAfter', meant: 'retryAfterSeconds' },
    {
      owner: 'keyedLock()',
      call: (o) => adapter.keyedLock(o as never),
      required: { key },
      typo: 'onReject',
      meant: 'onRejected',
    },
    {
      owner: 'keyedLock()',
      call: (o) => adapter.keyedLock(o as never),
      required: { key },
      typo: 'abandonedHoldMS',
      meant: 'abandonedHoldMs',
    },
  ]),
  { owner: 'globalLock()', call: (o) => http.globalLock(o), typo: 'onErrors', meant: 'onError' },
  // The race kit
  { owner: 'createBarrier()', call: (o) => createBarrier(2, o), typo: 'timeout', meant: 'timeoutMs' },
  { owner: 'injectOnce()', call: (o) => injectOnce({ now: fn }, 'now', fn, o), typo: 'mod', meant: 'mode' },
  { owner: 'joinRace()', call: (o) => joinRace(fn, o), typo: 'tearDown', meant: 'teardown' },
  {
    owner: 'loadAndVerify()',
    call: (o) => loadAndVerify(o as never),
    required: { url: 'http://127.0.0.1:9', request: () => ({ expected: '' }) },
    typo: 'conections',
    meant: 'connections',
  },
  {
    owner: 'raceProcesses()',
    call: (o) => raceProcesses(o as never),
    required: { script: new URL(import.meta.url), processes: 1 },
    typo: 'round',
    meant: 'rounds',
  },
  { owner: 'exploreSchedules()', call: (o) => exploreSchedules(async () => {}, o), typo: 'numRun', meant: 'numRuns' },
  { owner: 'startTogether()', call: (o) => startTogether(1, fn, o), typo: 'timeout', meant: 'timeoutMs' },
  {
    owner: 'assertNotOversold()',
    call: (o) => assertNotOversold(o as never),
    required: { stock: 3, sold: 3 },
    typo: 'solds',
    meant: 'sold',
  },
  {
    owner: 'assertNoLostUpdates()',
    call: (o) => assertNoLostUpdates(o as never),
    required: { expected: 2, actual: 2 },
    typo: 'wat',
    meant: 'what',
  },
  { owner: 'latch.wait()', call: (o) => createLatch(0).wait(o as never), typo: 'timeout', meant: 'timeoutMs' },
];

async function registerFastifyCurrent(options: Options): Promise<void> {
  const app = Fastify();
  try {
    await app.register(fastify.fastifyCurrent, options);
  } finally {
    await app.close().catch(() => undefined);
  }
}

/** What calling `row` with `options` threw or rejected with. */
async function failureOf(row: Row, options: Options): Promise<unknown> {
  try {
    await row.call(options);
  } catch (error) {
    return error;
  }
  return undefined;
}

function withOwn(required: Options | undefined, name: string | symbol, value: unknown): Options {
  // defineProperty, so `__proto__` becomes an own key as JSON.parse makes it, not the prototype.
  return Object.defineProperty({ ...required }, name, { value, enumerable: true, writable: true, configurable: true });
}

describe('every options object of the library refuses keys it does not know, at creation', () => {
  test.each(ROWS.map((row) => [row.owner, row.typo, row.meant, row] as const))(
    '%s refuses `%s`, naming `%s`',
    async (owner, typo, meant, row) => {
      const error = await failureOf(row, withOwn(row.required, typo, 200));
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as Error).message).toMatch(
        new RegExp(
          `^Unknown option \`${typo}\` of ${owner.replace(/[()]/g, '\\$&')}: did you mean \`${meant}\`\\? Known options: `,
        ),
      );
    },
  );

  test.each(
    ROWS.filter((row, index) => ROWS.findIndex((other) => other.call === row.call) === index).map(
      (row) => [row.owner, row] as const,
    ),
  )('%s refuses a symbol key and an own __proto__ key', async (owner, row) => {
    for (const [name, shown] of [
      [Symbol('timeoutMs'), 'Symbol\\(timeoutMs\\)'],
      ['__proto__', '__proto__'],
    ] as const) {
      const error = await failureOf(row, withOwn(row.required, name, 1));
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as Error).message).toMatch(
        new RegExp(`^Unknown option \`${shown}\` of ${owner.replace(/[()]/g, '\\$&')}: `),
      );
    }
  });
});

test("fastifyCurrent refuses Fastify's register options, which do nothing for a plugin that applies to the whole app", async () => {
  const app = Fastify();
  await expect(app.register(fastify.fastifyCurrent, { prefix: '/api' } as never)).rejects.toThrow(
    /^Unknown option `prefix` of fastifyCurrent\. Known options: setup, onResetError, abandonedHoldMs, propagator, deadlineMs\.$/,
  );
  await app.close().catch(() => undefined);
});
