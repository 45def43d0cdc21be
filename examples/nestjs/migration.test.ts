import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { afterEach, expect, test } from 'vitest';
import { createAfter } from './after-current.js';
import { createBefore } from './before-nestjs-cls.js';

let app: INestApplication | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

test.each([
  ['before, with nestjs-cls', createBefore],
  ['after, with Current', createAfter],
])(
  'the migration example %s answers each concurrent user with their own name and request id',
  async (_name, create) => {
    app = await create();
    await app.listen(0, '127.0.0.1');
    const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/me`;
    const tokens = ['token-ann', 'token-bob'];
    const answers = await Promise.all(
      Array.from({ length: 40 }, async (_, index) => {
        const token = tokens[index % 2] as string;
        const response = await fetch(url, { headers: { authorization: token, 'x-request-id': `r-${index}` } });
        return response.json();
      }),
    );
    answers.forEach((answer, index) => {
      const name = index % 2 === 0 ? 'Ann' : 'Bob';
      expect(answer).toEqual({ user: name, greeting: `Hello, ${name}`, requestId: `r-${index}` });
    });
  },
);
