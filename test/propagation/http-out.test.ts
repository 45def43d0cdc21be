import { createPropagator, propagateHttp } from 'current-attributes/propagation';
import { afterEach, describe, expect, test } from 'vitest';
import { listen, type RunningServer } from '../support/listen.js';
import { SECRET, Traveling } from './support.js';

const propagator = createPropagator({ trust: { secret: SECRET }, currents: [Traveling] });
const servers: RunningServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

/** A server that answers with the baggage header it received. */
async function echo(): Promise<string> {
  const server = await listen((req, res) => res.end(String(req.headers.baggage ?? '')));
  servers.push(server);
  return server.url;
}

describe('propagateHttp', () => {
  test('refuses origins that are not origins, a missing list and unknown option keys', () => {
    expect(() => propagateHttp(propagator, {} as never)).toThrow(/never travel to an origin you did not name/);
    expect(() => propagateHttp(propagator, { origins: ['http://billing.internal:8080/api'] })).toThrow(
      /options.origins\[0\]/,
    );
    expect(() => propagateHttp(propagator, { origins: [], abort: true } as never)).toThrow(/got `abort`/);
  });

  test('adds the header only inside a scope, to an allowed origin, and merges a baggage the caller set', async () => {
    const allowed = await echo();
    const other = await echo();
    const stop = propagateHttp(propagator, { origins: (url) => url.origin === allowed });
    try {
      expect(await (await fetch(allowed)).text()).toBe('');
      const [toAllowed, toOther, merged] = await Traveling.run(async () => {
        Traveling.tenant = 'acme';
        return Promise.all([
          fetch(allowed).then((response) => response.text()),
          fetch(other).then((response) => response.text()),
          fetch(allowed, { headers: { baggage: 'theirs=1,tenant=forged' } }).then((response) => response.text()),
        ]);
      });
      expect(toAllowed).toMatch(/^tenant=acme,ca\.sig=/);
      expect(toOther).toBe('');
      expect(merged).toMatch(/^theirs=1,tenant=acme,ca\.sig=/);
    } finally {
      stop();
    }
    const afterStop = await Traveling.run(async () => {
      Traveling.tenant = 'acme';
      return (await fetch(allowed)).text();
    });
    expect(afterStop).toBe('');
  });
});
