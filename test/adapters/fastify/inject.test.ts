import { fastifyCurrent, globalLock } from 'current-attributes/fastify';
import Fastify from 'fastify';
import { afterEach, expect, test } from 'vitest';
import { Current } from '../../support/fixtures.js';
import { until } from '../../support/until.js';

let removeCallback: (() => void) | undefined;
afterEach(() => removeCallback?.());

// fastify.inject() answers through light-my-request's own response over a
// stand-in socket, which Node's HTTP server never publishes as sent: the
// library must not wait for that channel there, or no injected request would
// ever end (its reset callbacks never run, its lock never released).
test('ends every injected request and releases its lock, though no server sent it', async () => {
  const resets: string[] = [];
  removeCallback = Current.beforeReset(() => resets.push(Current.locale));
  const app = Fastify();
  await app.register(fastifyCurrent, {
    setup: (request) => {
      Current.locale = request.url;
    },
  });
  app.addHook('preHandler', globalLock());
  app.get('/*', async (request) => `=${request.url} as ${Current.locale}`);
  try {
    for (const path of ['/first', '/second', '/third']) {
      const response = await app.inject({ method: 'GET', url: path });
      expect(response.body).toBe(`=${path} as ${path}`);
    }
    await until(() => resets.length === 3);
    expect(resets).toEqual(['/first', '/second', '/third']);
  } finally {
    await app.close();
  }
});
