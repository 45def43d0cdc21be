import { AsyncLocalStorage } from 'node:async_hooks';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { currentMiddleware, globalLock } from '../../src/adapters/hono/index.js';
import { bind, defineCurrent, restoreContext, serializeContext, snapshot } from '../../src/index.js';
import { KeyedMutex } from '../../src/lock/index.js';

class Attributes {
  user?: string;
}
const Current = defineCurrent(Attributes, { name: 'NoEnterWith' });

// TC39 AsyncContext has Variable.run and Snapshot, and nothing like enterWith: workerd does not
// implement it, and Bun has lost values after it (oven-sh/bun#21303). The library must not need it.
const original = AsyncLocalStorage.prototype.enterWith;
let calls = 0;

// On AsyncContextFrame (Node 24 and 26 by default, 22 with the flag) Node's own run() is built
// on enterWith; those calls are Node's, not the library's, so only callers outside Node count.
function calledFromNodeItself(): boolean {
  const caller = new Error().stack?.split('\n')[3] ?? '';
  return caller.includes('(node:internal/');
}

describe('the library never calls AsyncLocalStorage#enterWith', () => {
  beforeEach(() => {
    calls = 0;
    AsyncLocalStorage.prototype.enterWith = function countedEnterWith(this: AsyncLocalStorage<unknown>, store) {
      if (!calledFromNodeItself()) calls += 1;
      return original.call(this, store);
    };
  });
  afterEach(() => {
    AsyncLocalStorage.prototype.enterWith = original;
  });

  test('the counter sees a call of enterWith, so a zero below means none', () => {
    new AsyncLocalStorage<number>().enterWith(1);
    expect(calls).toBe(1);
  });

  test('run, set, bind, snapshot, serialize and restore, and a keyed lock, work with no enterWith', async () => {
    const mutex = new KeyedMutex();
    const read = await Current.run(async () => {
      Current.user = 'ada';
      const later = bind(() => Current.user);
      const inside = snapshot();
      const serialized = serializeContext();
      await mutex.withLock('k', async () => Current.set({ user: 'grace' }, async () => Current.user));
      const restored = restoreContext(serialized, () => Current.user);
      return [later(), inside(() => Current.user), restored, Current.user];
    });
    expect(read).toEqual(['ada', 'ada', 'ada', 'ada']);
    expect(calls).toBe(0);
  });

  test('a Hono app with the adapter and a globalLock serves app.request() with no enterWith', async () => {
    const app = new Hono();
    app.use(
      currentMiddleware({
        setup: (c) => {
          Current.user = c.req.header('x-user');
        },
      }),
    );
    app.get('/', globalLock(), async (c) => c.text(Current.user ?? ''));
    const texts = await Promise.all(
      ['a', 'b', 'c'].map(async (user) => (await app.request('/', { headers: { 'x-user': user } })).text()),
    );
    expect(texts).toEqual(['a', 'b', 'c']);
    expect(calls).toBe(0);
  });

  test('no source file of the library calls enterWith, but the warning about reads outside any scope', () => {
    const root = fileURLToPath(new URL('../../src', import.meta.url));
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
    const calling = files.filter((file) => /\.enterWith\(/.test(readFileSync(join(root, file), 'utf8')));
    expect(files.length).toBeGreaterThan(20);
    // The one exception, a diagnostic and no value path: it marks a request from Node's
    // http.server.request.start channel, only while a read outside any scope armed it (see
    // docs/runtimes.md). Any other call fails here.
    expect(calling).toEqual(['core/outside-request.ts']);
  });
});
