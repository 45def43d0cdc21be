import { DeadlineExceededError, requestSignal } from 'current-attributes';
import { currentMiddleware } from 'current-attributes/hono';
import { createPropagator } from 'current-attributes/propagation';
import { Hono } from 'hono';
import { afterEach, describe, expect, test } from 'vitest';
import { SECRET, Traveling } from '../../propagation/support.js';
import { type WebServed, webServers } from './web-servers.js';

const propagator = createPropagator({ trust: { secret: SECRET }, currents: [Traveling] });

/** The baggage header a trusted sender writes for `tenant`. */
function signedBaggage(tenant: string): string {
  return Traveling.run(() => {
    Traveling.tenant = tenant;
    return propagator.inject({} as Record<string, string>).baggage as string;
  });
}

// The options a web-standard request used to drop without a word: the same
// promise as on Node's request objects (test/propagation, test/deadline).
describe.each(webServers)('currentMiddleware for Hono on $name', (server) => {
  let served: WebServed | undefined;
  afterEach(async () => {
    await served?.close();
    served = undefined;
  });

  test('takes the values a trusted sender signed before setup runs, and ignores a forged baggage', async () => {
    const app = new Hono();
    const seenBySetup: Array<string | undefined> = [];
    app.use(currentMiddleware({ propagator, setup: () => void seenBySetup.push(Traveling.tenant) }));
    app.get('/', (c) => c.json({ tenant: Traveling.tenant ?? null }));
    served = await server.start(app);
    const signed = await served.fetch('/', { headers: { baggage: signedBaggage('acme') } });
    const forged = await served.fetch('/', { headers: { baggage: 'tenant=acme' } });
    expect(await signed.json()).toEqual({ tenant: 'acme' });
    expect(await forged.json()).toEqual({ tenant: null });
    expect(seenBySetup).toEqual(['acme', undefined]);
  });

  test('aborts the request’s signal with DeadlineExceededError once deadlineMs has passed', async () => {
    const app = new Hono();
    app.use(currentMiddleware({ deadlineMs: 20 }));
    app.get('/', async (c) => {
      const signal = requestSignal();
      if (signal === undefined) return c.text('no signal');
      if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      return c.text(signal.reason instanceof DeadlineExceededError ? 'deadline' : String(signal.reason));
    });
    served = await server.start(app);
    expect(await (await served.fetch('/')).text()).toBe('deadline');
  });

  test('a second mount in the same request keeps its scope: values set between the mounts stay', async () => {
    const app = new Hono();
    const sub = new Hono();
    sub.use(
      currentMiddleware({
        setup: () => {
          Traveling.requestId = 'set by the second mount';
        },
      }),
    );
    sub.get('/', (c) => c.json({ tenant: Traveling.tenant ?? null, requestId: Traveling.requestId ?? null }));
    app.use(currentMiddleware());
    app.use((_c, next) => {
      Traveling.tenant = 'between the mounts';
      return next();
    });
    app.route('/sub', sub);
    served = await server.start(app);
    const answer = await (await served.fetch('/sub')).json();
    expect(answer).toEqual({ tenant: 'between the mounts', requestId: 'set by the second mount' });
  });
});
