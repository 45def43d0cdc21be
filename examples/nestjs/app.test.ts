import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { currentToken } from 'current-attributes/nestjs';
import { afterEach, describe, expect, test } from 'vitest';
import { Current } from '../usage/current.js';
import { Greeter } from './app.module.js';
import { createApp } from './main.js';

let app: INestApplication | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe.each(['express', 'fastify'] as const)('the NestJS example on %s', (platform) => {
  test('answers concurrent users with their own values, and deposits to one account one at a time', async () => {
    app = await createApp(platform);
    await app.listen(0, '127.0.0.1');
    const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const tokens = ['token-ann', 'token-bob'];
    const [me, deposits] = await Promise.all([
      Promise.all(
        Array.from({ length: 20 }, async (_, index) => {
          const headers = { authorization: tokens[index % 2] as string, 'x-request-id': `r-${index}` };
          return (await fetch(`${url}/me?wait=5`, { headers })).json();
        }),
      ),
      Promise.all(
        Array.from({ length: 20 }, () =>
          fetch(`${url}/deposit`, {
            method: 'POST',
            headers: { authorization: 'token-ann', 'content-type': 'application/json' },
            body: JSON.stringify({ amount: 10 }),
          }),
        ),
      ),
    ]);
    me.forEach((answer, index) => {
      const ann = index % 2 === 0;
      expect(answer).toEqual({
        user: ann ? 'Ann' : 'Bob',
        account: ann ? 'acme' : 'globex',
        greeting: ann ? 'Hello, Ann (admin)' : 'Hello, Bob',
        requestId: `r-${index}`,
      });
    });
    expect(deposits.map((response) => response.status)).toEqual(Array(20).fill(201));
    // No lost update: the lock let one read-modify-write of the account through at a time.
    const balances = await Promise.all(
      deposits.map(async (response) => ((await response.json()) as { balance: number }).balance),
    );
    expect(balances.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, index) => (index + 1) * 10));
    expect((await fetch(`${url}/me`)).status).toBe(401);
  });
});

test('the Greeter service, unit-tested with a plain value in place of Current', async () => {
  const moduleRef = await Test.createTestingModule({
    providers: [Greeter, { provide: currentToken(Current), useValue: { user: { name: 'Eve' }, isAdmin: true } }],
  }).compile();
  expect(moduleRef.get(Greeter).greet()).toBe('Hello, Eve (admin)');
});
