import { InvalidArgumentError } from 'current-attributes';
import { loadAndVerify } from 'current-attributes/testing';
import { afterEach, describe, expect, test } from 'vitest';
import { listen, type RunningServer } from '../support/listen.js';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Echoes the `x-user` header, except that every `wrongEvery`-th request is answered as `answer(n)`. */
async function serverThatAnswersWrongly(wrongEvery: number, answer: (res: import('node:http').ServerResponse) => void) {
  let seen = 0;
  server = await listen((req, res) => {
    seen += 1;
    if (seen % wrongEvery === 0) return answer(res);
    res.end(req.headers['x-user']);
  });
  return server.url;
}

const perUser = (index: number) => ({ headers: { 'x-user': `user-${index}` }, expected: `user-${index}` });

describe('loadAndVerify', () => {
  test('counts exactly the answers that carry another request’s data', async () => {
    const url = await serverThatAnswersWrongly(4, (res) => res.end('somebody else'));
    const summary = await loadAndVerify({ url, connections: 8, amount: 400, request: perUser });
    expect(summary).toMatchObject({ transactions: 400, successful: 300, leaked: 100, failed: 0, leakPercent: 25 });
    expect(summary.availabilityPercent).toBe(100);
  });

  test('counts non-2xx answers as failed, and lowers availability by them', async () => {
    const url = await serverThatAnswersWrongly(5, (res) => {
      res.statusCode = 503;
      res.end();
    });
    const summary = await loadAndVerify({ url, connections: 4, amount: 200, request: perUser });
    expect(summary).toMatchObject({ transactions: 200, successful: 160, leaked: 0, failed: 40, non2xx: 40 });
    expect(summary.availabilityPercent).toBe(80);
  });

  test('uses the verify function to decide what belongs to a request', async () => {
    server = await listen((req, res) => res.end(JSON.stringify({ user: req.headers['x-user'] })));
    const summary = await loadAndVerify({
      url: server.url,
      amount: 50,
      request: perUser,
      verify: (body, expected) => JSON.parse(body).user === expected,
    });
    expect(summary).toMatchObject({ successful: 50, leaked: 0 });
    expect(summary.latencyMs.p99).toBeGreaterThanOrEqual(summary.latencyMs.p50);
  });

  test('rejects bad options with a message that names them', async () => {
    await expect(loadAndVerify({ url: 'localhost', request: perUser })).rejects.toThrow(InvalidArgumentError);
    await expect(loadAndVerify({ url: 'http://127.0.0.1:1', request: perUser, connections: 0 })).rejects.toThrow(
      'Expected `options.connections` to be a positive number, got `0` (number).',
    );
  });
});
