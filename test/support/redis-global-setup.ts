import type { TestProject } from 'vitest/node';
import { redisServerInstalled, startRedisServer } from '../../examples/support/redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The URL of the Redis server the tests share, or '' when Redis tests are skipped. */
    redisUrl: string;
  }
}

/**
 * Starts one redis-server for the whole run. Without one installed, the Redis
 * tests are skipped with a visible line, except in CI, where they must run.
 */
export default async function setup(project: TestProject) {
  if (!redisServerInstalled()) {
    if (process.env.CI === 'true') {
      throw new Error(
        'CI=true but redis-server is not installed: the Redis tests must run in CI (apt-get install -y redis-server).',
      );
    }
    console.warn(
      '\n  Redis tests skipped: redis-server is not installed. Install it (apt-get install redis-server) to run them.\n',
    );
    project.provide('redisUrl', '');
    return;
  }
  const server = await startRedisServer();
  project.provide('redisUrl', server.url);
  return () => server.stop();
}
