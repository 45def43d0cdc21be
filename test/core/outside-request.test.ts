import { randomUUID } from 'node:crypto';
import { channel } from 'node:diagnostics_channel';
import { defineCurrent, ScopeMissingError, snapshot } from 'current-attributes';
import { withCurrent } from 'current-attributes/http';
import { afterEach, describe, expect, test } from 'vitest';
import { WINDOW } from '../../src/core/outside-request.js';
import { testUnless } from '../runtimes/differences.js';
import { listen, type RunningServer } from '../support/listen.js';
import { collectWarnings } from '../support/warnings.js';

const CODE = 'CURRENT_ATTRIBUTES_READ_OUTSIDE_SCOPE';

/** Captured at load time, outside any scope and any request: runs a callback as start-up code would. */
const atStartUp = snapshot();

/** A definition of its own per test: each warns at most once. */
function defineAttributes(name: string, options: { strict?: boolean; warnOutsideScope?: boolean } = {}) {
  class Attributes {
    requestId = randomUUID();
    locale = 'en';
    greeting() {
      return `hello in ${this.locale}`;
    }
  }
  return defineCurrent(Attributes, { name, ...options });
}

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function get(path = '/'): Promise<string> {
  return (await fetch(`${(server as RunningServer).url}${path}`)).text();
}

describe('a read outside any scope by code serving an HTTP request', () => {
  testUnless('bun-http-server-channels')(
    'without the middleware, every request reads one shared request id, and the process is told once, naming the attribute',
    async () => {
      const Current = defineAttributes('Forgotten');
      const warnings = collectWarnings(CODE);
      server = await listen((_req, res) => res.end(Current.requestId));
      const ids = [await get(), await get(), await get()];
      expect(new Set(ids).size).toBe(1);
      const messages = await warnings.stop();
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(
        /^Forgotten\.requestId was read outside any scope while the process was serving an HTTP request, .*Mount currentMiddleware\(\) before your routes .*or wrap the code in Current\.run\(\(\) => \.\.\.\)\..*defineCurrent\(Class, \{ warnOutsideScope: false \}\)\.$/,
      );
    },
  );

  testUnless('bun-http-server-channels')('a method called outside any scope counts as a read', async () => {
    const Current = defineAttributes('ForgottenMethod');
    const warnings = collectWarnings(CODE);
    server = await listen((_req, res) => res.end(Current.greeting()));
    for (let request = 0; request < 3; request += 1) expect(await get()).toBe('hello in en');
    expect(await warnings.stop()).toEqual([
      expect.stringMatching(/^ForgottenMethod\.greeting\(\) was called outside any scope/),
    ]);
  });

  testUnless('bun-http-server-channels')(
    'is told after an await in the handler too, where the request started turns ago',
    async () => {
      const Current = defineAttributes('AfterAwait');
      const warnings = collectWarnings(CODE);
      server = await listen(async (_req, res) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        res.end(Current.locale);
      });
      for (let request = 0; request < 3; request += 1) await get();
      expect(await warnings.stop()).toHaveLength(1);
    },
  );

  test('can be silenced for a definition read outside scopes on purpose', async () => {
    const Current = defineAttributes('Silenced', { warnOutsideScope: false });
    const warnings = collectWarnings(CODE);
    server = await listen((_req, res) => res.end(Current.requestId));
    for (let request = 0; request < 3; request += 1) await get();
    expect(await warnings.stop()).toEqual([]);
  });

  test('throws in a strict definition, as before, instead of warning', async () => {
    const Current = defineAttributes('Strict', { strict: true });
    const warnings = collectWarnings(CODE);
    const thrown: unknown[] = [];
    server = await listen((_req, res) => {
      try {
        res.end(Current.requestId);
      } catch (error) {
        thrown.push(error);
        res.end('threw');
      }
    });
    for (let request = 0; request < 3; request += 1) expect(await get()).toBe('threw');
    expect(thrown.every((error) => error instanceof ScopeMissingError)).toBe(true);
    expect(await warnings.stop()).toEqual([]);
  });
});

describe('no warning for code that reads the defaults on purpose', () => {
  test('a script that never serves a request reads the defaults in silence', async () => {
    const Current = defineAttributes('Script');
    const warnings = collectWarnings(CODE);
    for (let read = 0; read < 10; read += 1) expect(Current.locale).toBe('en');
    expect(Current.greeting()).toBe('hello in en');
    expect(await warnings.stop()).toEqual([]);
  });

  test('start-up code, and work it scheduled that runs while requests are served, read the defaults in silence beside a mounted middleware', async () => {
    const Current = defineAttributes('StartUp');
    const warnings = collectWarnings(CODE);
    const defaultId = Current.requestId;
    server = await listen(
      withCurrent((_req, res) => {
        // What a timer or a queue set up at start-up would read: the start-up context, no scope, no request.
        const fromStartUp = atStartUp(() => Current.requestId);
        res.end(JSON.stringify([Current.requestId, fromStartUp]));
      }),
    );
    const answers = await Promise.all(Array.from({ length: 5 }, () => get().then((body) => JSON.parse(body))));
    expect(new Set(answers.map(([own]) => own)).size).toBe(5);
    expect(answers.every(([, fromStartUp]) => fromStartUp === defaultId)).toBe(true);
    expect(await warnings.stop()).toEqual([]);
  });

  testUnless('bun-http-server-channels')(
    `stops marking requests after ${WINDOW} without a finding, so start-up reads cost a correctly mounted app nothing after`,
    async () => {
      const Current = defineAttributes('Window');
      const requestStart = channel('http.server.request.start');
      const warnings = collectWarnings(CODE);
      server = await listen(withCurrent((_req, res) => res.end(Current.requestId)));
      expect(Current.locale).toBe('en');
      expect(requestStart.hasSubscribers).toBe(true);
      for (let request = 0; request <= WINDOW; request += 1) await get();
      expect(requestStart.hasSubscribers).toBe(false);
      expect(await warnings.stop()).toEqual([]);
    },
  );
});
