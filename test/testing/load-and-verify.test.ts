import { InvalidArgumentError } from 'current-attributes';
import { type AnsweredRequest, loadAndVerify } from 'current-attributes/testing';
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

  test('tells apart, with `classify`, answers that carry another request’s value from answers that match none', async () => {
    let seen = 0;
    server = await listen((req, res) => {
      seen += 1;
      res.end(seen % 4 === 0 ? 'nobody' : seen % 4 === 1 ? 'user-0' : req.headers['x-user']);
    });
    const summary = await loadAndVerify({
      url: server.url,
      connections: 1,
      amount: 40,
      request: perUser,
      classify: ({ body, request }) =>
        body === request.expected ? 'own' : body.startsWith('user-') ? 'leaked' : 'unmatched',
    });
    // The first answer is user-0's own; then every fourth carries user-0 (a leak) or nobody's value.
    expect(summary).toMatchObject({ transactions: 40, successful: 21, leaked: 9, unmatched: 10, failed: 0 });
    expect(summary.leakPercent).toBe(22.5);
    expect(summary.availabilityPercent).toBe(100);
  });

  test('hands `classify` each 2xx answer whole, paired with the request and the index that caused it', async () => {
    server = await listen((req, res) => {
      res.setHeader('x-seen', String(req.headers['x-user']));
      res.statusCode = req.method === 'POST' ? 201 : 200;
      req.pipe(res);
    });
    const answers: AnsweredRequest[] = [];
    await loadAndVerify({
      url: server.url,
      connections: 1,
      amount: 3,
      request: (index) => ({ method: 'POST', path: `/users/${index}`, body: `body-${index}`, ...perUser(index) }),
      classify: (answer) => {
        answers.push(answer);
        return 'own';
      },
    });
    expect(
      answers.map(({ index, status, body, headers, request }) => [
        index,
        status,
        body,
        headers['x-seen'],
        request.path,
      ]),
    ).toEqual([
      [0, 201, 'body-0', 'user-0', '/users/0'],
      [1, 201, 'body-1', 'user-1', '/users/1'],
      [2, 201, 'body-2', 'user-2', '/users/2'],
    ]);
  });

  test('sends at most `ratePerSecond` requests a second, over all connections', async () => {
    server = await listen((req, res) => res.end(req.headers['x-user']));
    const summary = await loadAndVerify({
      url: server.url,
      connections: 2,
      durationSeconds: 1.5,
      ratePerSecond: 10,
      request: perUser,
    });
    // Each started second allows 10; however slow the machine, never more.
    expect(summary.transactions).toBeGreaterThan(0);
    expect(summary.transactions).toBeLessThanOrEqual(10 * (Math.ceil(summary.elapsedSeconds) + 1));
  });

  test('stops a counted run at `durationSeconds` when the server does not answer', async () => {
    server = await listen(() => undefined);
    const summary = await loadAndVerify({
      url: server.url,
      connections: 2,
      amount: 10,
      durationSeconds: 0.5,
      timeoutSeconds: 60,
      request: perUser,
    });
    expect(summary).toMatchObject({ transactions: 0, successful: 0 });
  });

  test('rejects bad options with a message that names them', async () => {
    await expect(loadAndVerify({ url: 'localhost', request: perUser })).rejects.toThrow(InvalidArgumentError);
    await expect(loadAndVerify({ url: 'http://127.0.0.1:1', request: perUser, connections: 0 })).rejects.toThrow(
      'Expected `options.connections` to be a positive number, got `0` (number).',
    );
    await expect(
      loadAndVerify({ url: 'http://127.0.0.1:1', request: perUser, connections: 10, amount: 4 }),
    ).rejects.toThrow(
      'Expected `options.amount` to be at least `options.connections` (10), got `4` (number): every connection sends at least one request.',
    );
    await expect(
      loadAndVerify({ url: 'http://127.0.0.1:1', request: perUser, connections: 10, ratePerSecond: 5 }),
    ).rejects.toThrow(
      'Expected `options.ratePerSecond` to be at least `options.connections` (10), got `5` (number): each connection sends a whole number of requests a second.',
    );
    await expect(
      loadAndVerify({ url: 'http://127.0.0.1:1', request: perUser, verify: () => true, classify: () => 'own' }),
    ).rejects.toThrow('Give `options.verify` or `options.classify`, not both.');
  });
});
