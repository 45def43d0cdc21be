import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadAndVerify } from 'current-attributes/testing';
import { describe, expect, test } from 'vitest';
import { createBenchServer } from '../../bench/apps/index.js';
import { FRAMEWORKS, STRATEGIES, strategiesOn } from '../../bench/frameworks.js';
import { requestsAt } from '../../bench/load.js';

// Every server that keeps the user safely, on every framework: the module-level global is the one meant to leak.
const safe = FRAMEWORKS.flatMap((framework) =>
  strategiesOn(framework, STRATEGIES)
    .filter((strategy) => strategy !== 'global')
    .map((strategy) => ({ framework, strategy })),
);

async function listening(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the benchmark servers', () => {
  test('have a peer on Express, Fastify, Hono and NestJS, and none on Koa and node:http', () => {
    expect(FRAMEWORKS.filter((framework) => strategiesOn(framework, ['peer']).length > 0)).toEqual([
      'express',
      'fastify',
      'hono',
      'nest',
    ]);
  });

  test.each(safe)(
    '$strategy on $framework answers each of 300 concurrent requests with its own user',
    {
      timeout: 30_000,
    },
    async ({ framework, strategy }) => {
      const server = await createBenchServer(framework, strategy);
      try {
        // 2 ms of simulated IO, so every request is still waiting when others arrive.
        const summary = await loadAndVerify({
          url: await listening(server),
          connections: 30,
          amount: 300,
          request: requestsAt(2),
        });
        expect(summary).toMatchObject({ successful: 300, leaked: 0, failed: 0 });
      } finally {
        server.closeAllConnections();
        server.close();
      }
    },
  );
});
