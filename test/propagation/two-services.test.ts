import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { currentLogFields } from 'current-attributes';
import { currentMiddleware } from 'current-attributes/express';
import { fastifyCurrent } from 'current-attributes/fastify';
import { createPropagator, propagateHttp } from 'current-attributes/propagation';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listen, type RunningServer } from '../support/listen.js';
import { SECRET, Traveling } from './support.js';

/** Collects every log line either service writes. */
const lines: string[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    lines.push(String(chunk));
    done();
  },
});
const logger = pino({ mixin: currentLogFields(Traveling, ['requestId', 'tenant', 'userId']) }, sink);

const propagatorA = createPropagator({ trust: { secret: SECRET }, currents: [Traveling] });
const propagatorB = createPropagator({ trust: { secret: SECRET }, currents: [Traveling] });
/** The baggage headers B received, as sent. */
const receivedByB: string[] = [];
let serviceB: FastifyInstance;
let urlB: string;
let serviceA: RunningServer;
let thirdParty: RunningServer;
const thirdPartyHeaders: Array<string | undefined> = [];
let stop: () => void;

/** What B's handler sees: its values (never the hidden one) and the raw header. */
interface Seen {
  readonly attributes: Record<string, unknown>;
  readonly apiToken: string | undefined;
}

function get(url: string, headers: Record<string, string> = {}, localAddress?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers, ...(localAddress === undefined ? {} : { localAddress }) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve(body));
    });
    request.on('error', reject);
    request.end();
  });
}

/** node:http to B: on Node 22.14+ the diagnostics channel adds the header; on Node 20 it must be passed. */
const httpChannelExists = (() => {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 14);
})();

beforeAll(async () => {
  serviceB = Fastify();
  await serviceB.register(fastifyCurrent, { propagator: propagatorB });
  serviceB.get('/whoami', async (request) => {
    receivedByB.push(String(request.headers.baggage));
    await new Promise((resolve) => setImmediate(resolve));
    logger.info('B answers');
    return { attributes: { ...Traveling.attributes }, apiToken: Traveling.apiToken } satisfies Seen;
  });
  await serviceB.listen({ port: 0, host: '127.0.0.1' });
  urlB = `http://127.0.0.1:${(serviceB.server.address() as AddressInfo).port}`;
  thirdParty = await listen((req, res) => {
    thirdPartyHeaders.push(req.headers.baggage as string | undefined);
    res.end('{}');
  });
  stop = propagateHttp(propagatorA, { origins: [urlB] });

  const app = express();
  app.use(
    currentMiddleware({
      propagator: propagatorA,
      // A's own authentication: the values come from its client, and travel on to B.
      setup: (req) => {
        Traveling.tenant = req.get('x-tenant');
        Traveling.userId = Number(req.get('x-user'));
        Traveling.requestId = req.get('x-request-id');
        Traveling.apiToken = `token-of-${req.get('x-user')}`;
      },
    }),
  );
  app.get('/call', async (req, res) => {
    logger.info('A calls B');
    await fetch(`${thirdParty.url}/analytics`);
    const body =
      req.query.via === 'http'
        ? await get(`${urlB}/whoami`, httpChannelExists ? {} : propagatorA.inject({}))
        : await (await fetch(`${urlB}/whoami`)).text();
    res.type('json').send(body);
  });
  serviceA = await listen(app);
});

afterAll(async () => {
  stop?.();
  await serviceA?.close();
  await thirdParty?.close();
  await serviceB?.close();
});

describe('two services: A (Express) calls B (Fastify) with fetch and node:http', () => {
  test('200 concurrent requests: B reads each caller’s own traveled values, never the hidden one', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, async (_, index) => {
        const via = index % 2 === 0 ? 'fetch' : 'http';
        const body = await get(`${serviceA.url}/call?via=${via}`, {
          'x-tenant': `tenant-${index}`,
          'x-user': String(index),
          'x-request-id': `request-${index}`,
        });
        return { index, seen: JSON.parse(body) as Seen };
      }),
    );
    const wrong = results.filter(
      ({ index, seen }) =>
        seen.attributes.tenant !== `tenant-${index}` ||
        seen.attributes.userId !== index ||
        seen.attributes.requestId !== `request-${index}`,
    );
    expect(wrong).toEqual([]);
    expect(results.every(({ seen }) => seen.apiToken === undefined)).toBe(true);
    expect(receivedByB.some((header) => header.includes('token-of'))).toBe(false);
    // Values go only to the origins allowed: the third party got no baggage.
    expect(thirdPartyHeaders).toHaveLength(200);
    expect(thirdPartyHeaders.every((header) => header === undefined)).toBe(true);
    // Every log line carries its request's fields, and no line a hidden value.
    const logged = lines.map((line) => JSON.parse(line) as { msg: string; tenant?: string });
    expect(logged.filter((line) => line.msg === 'B answers')).toHaveLength(200);
    expect(logged.every((line) => line.tenant?.startsWith('tenant-'))).toBe(true);
    expect(lines.some((line) => line.includes('token-of'))).toBe(false);
    expect(propagatorB.stats.accepted).toBe(200);
  }, 120_000);

  test('a forged header from an outside client is ignored and counted: B runs with its defaults', async () => {
    const before = propagatorB.stats.rejected;
    const forged = JSON.parse(await get(`${urlB}/whoami`, { baggage: 'tenant=victim,user-id=1' })) as Seen;
    expect(forged.attributes).toEqual({ locale: 'en' });
    const badSignature = JSON.parse(
      await get(`${urlB}/whoami`, { baggage: `tenant=victim,ca.sig=v1.${Date.now() + 1000}.AAAAAAAAAAAAAAAA.AAAA` }),
    ) as Seen;
    expect(badSignature.attributes).toEqual({ locale: 'en' });
    expect(propagatorB.stats.rejected.unsigned).toBe(before.unsigned + 1);
    expect(propagatorB.stats.rejected.badSignature).toBe(before.badSignature + 1);
  });

  test('a header captured from A’s call and sent again to B is a replay, and is ignored', async () => {
    receivedByB.length = 0;
    await get(`${serviceA.url}/call?via=fetch`, { 'x-tenant': 'acme', 'x-user': '5', 'x-request-id': 'r' });
    const captured = receivedByB.find((header) => header.includes('tenant=acme'));
    expect(captured).toBeDefined();
    const replayed = JSON.parse(await get(`${urlB}/whoami`, { baggage: String(captured) })) as Seen;
    expect(replayed.attributes).toEqual({ locale: 'en' });
    expect(propagatorB.stats.rejected.replayed).toBe(1);
  }, 60_000);
});

describe('a peer allow-list instead of a secret', () => {
  test('takes unsigned values from a listed address only', async () => {
    const trusting = createPropagator({ trust: { peers: ['127.0.0.1'] }, currents: [Traveling] });
    const app = express();
    app.use(currentMiddleware({ propagator: trusting }));
    app.get('/', (_req, res) => void res.json({ tenant: Traveling.tenant ?? null }));
    const server = await listen(app);
    try {
      expect(await get(server.url, { baggage: 'tenant=acme' }, '127.0.0.1')).toBe('{"tenant":"acme"}');
      expect(await get(server.url, { baggage: 'tenant=acme' }, '127.0.0.2')).toBe('{"tenant":null}');
      expect(trusting.stats.rejected.untrustedPeer).toBe(1);
    } finally {
      await server.close();
    }
  });
});
