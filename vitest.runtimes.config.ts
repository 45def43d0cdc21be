import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * The suites `npm run runtimes:suites` runs inside Bun and Deno
 * (test/runtimes/suites.ts): the adapter contract suite, the Hono adapter on
 * the runtime's own server, the core, the locks
 * with Redis, and the race-testing kit. Only the Redis server is set up: no
 * suite here needs PostgreSQL.
 */
export const RUNTIME_SUITES = [
  'test/adapters/contract/*.test.ts',
  // The Hono adapter on the runtime's own server (Bun.serve, Deno.serve), not only @hono/node-server.
  'test/adapters/hono/web-*.test.ts',
  'test/core/**/*.test.ts',
  'test/lock/**/*.test.ts',
  'test/testing/**/*.test.ts',
];

export default defineConfig({
  ...base,
  test: { ...base.test, include: RUNTIME_SUITES, globalSetup: ['test/support/redis-global-setup.ts'] },
});
