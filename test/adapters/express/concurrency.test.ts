import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { currentMiddleware } from 'current-attributes/express';
import { type Barrier, createBarrier } from 'current-attributes/testing';
import express, { type RequestHandler } from 'express';
import { afterEach, describe, expect, test } from 'vitest';
import { Current, type User } from '../../support/fixtures.js';
import { listen, type RunningServer } from '../../support/listen.js';

const REQUESTS = 200;

/** A small seeded generator (mulberry32), so each request's awaits are varied but repeatable. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const waits: Array<(random: () => number) => Promise<unknown>> = [
  (random) => new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 3))),
  () => new Promise((resolve) => setImmediate(resolve)),
  () => Promise.resolve(),
  (random) => Promise.all([Promise.resolve(), new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 2)))]),
  () => pipeline(Readable.from(['a', 'b', 'c']), new Writable({ write: (_chunk, _encoding, done) => done() })),
];

/** Three awaits of varied kinds, chosen by the request's own seed. */
async function wanderAround(seed: number) {
  const random = seeded(seed);
  for (let step = 0; step < 3; step += 1) {
    await (waits[Math.floor(random() * waits.length)] as (typeof waits)[number])(random);
  }
}

function userFor(index: number): User {
  return { id: `u${index}`, name: `User ${index}`, account: `account-${index}` };
}

/**
 * An app that signs each request in from `x-user`, holds every request at a
 * barrier until all of them have signed in, wanders through varied awaits,
 * then answers with the user it reads from `store`.
 */
function appReadingFrom(store: { write(user: User): void; read(): User | undefined }, barrier: Barrier) {
  const app = express();
  app.use(currentMiddleware());
  const signIn: RequestHandler = (req, _res, next) => {
    store.write(userFor(Number(req.get('x-user'))));
    next();
  };
  app.get('/', signIn, async (req, res) => {
    await barrier.arrive();
    await wanderAround(Number(req.get('x-user')));
    res.json({ id: store.read()?.id ?? null });
  });
  return app;
}

/** Sends REQUESTS concurrent requests, each as its own user; counts the answers naming someone else. */
async function countMismatches(url: string): Promise<number> {
  const answers = await Promise.all(
    Array.from({ length: REQUESTS }, async (_, index) => {
      const response = await fetch(url, { headers: { 'x-user': String(index) } });
      const { id } = (await response.json()) as { id: string | null };
      return id === `u${index}`;
    }),
  );
  return answers.filter((matched) => !matched).length;
}

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
});

describe(`${REQUESTS} concurrent requests that each sign in, await, then read their user`, () => {
  test('a module-level variable answers all but the last signed-in request with the wrong user', async () => {
    let signedIn: User | undefined;
    const moduleLevel = { write: (user: User) => (signedIn = user), read: () => signedIn };
    server = await listen(appReadingFrom(moduleLevel, createBarrier(REQUESTS)));
    expect(await countMismatches(server.url)).toBe(REQUESTS - 1);
  });

  test('Current answers every request with its own user', async () => {
    const current = { write: (user: User) => (Current.user = user), read: () => Current.user };
    server = await listen(appReadingFrom(current, createBarrier(REQUESTS)));
    expect(await countMismatches(server.url)).toBe(0);
  });
});
