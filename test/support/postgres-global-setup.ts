import type { TestProject } from 'vitest/node';
import { postgresBinDir, startPostgresServer } from '../../examples/support/postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The URL of the PostgreSQL server the SQL examples share, or '' when they run on PGlite. */
    databaseUrl: string;
  }
}

/**
 * Starts one throwaway PostgreSQL server for the whole run (each test opens
 * its own schema on it), or uses `DATABASE_URL` when set. Without PostgreSQL
 * installed, the SQL examples fall back to PGlite with a visible line,
 * except in CI, where they must run on the real server.
 */
export default async function setup(project: TestProject) {
  if (process.env.DATABASE_URL) {
    project.provide('databaseUrl', process.env.DATABASE_URL);
    return;
  }
  const binDir = postgresBinDir();
  if (binDir === undefined) {
    if (process.env.CI === 'true') {
      throw new Error(
        'CI=true but PostgreSQL is not installed: the SQL examples must run on a real server in CI ' +
          '(apt-get install -y postgresql).',
      );
    }
    console.warn(
      '\n  SQL examples run on PGlite, and their PostgreSQL-only tests are skipped: PostgreSQL is not installed. ' +
        'Install it (apt-get install postgresql) or set DATABASE_URL to run them.\n',
    );
    project.provide('databaseUrl', '');
    return;
  }
  const server = await startPostgresServer(binDir);
  project.provide('databaseUrl', server.url);
  return () => server.stop();
}
