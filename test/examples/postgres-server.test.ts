import { existsSync } from 'node:fs';
import pg from 'pg';
import { describe, expect, test } from 'vitest';
import { postgresBinDir, startPostgresServer } from '../../examples/support/postgres-server.js';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// In CI PostgreSQL must be installed (the global setup fails the run otherwise).
describe.skipIf(postgresBinDir() === undefined)('a throwaway PostgreSQL server', () => {
  test('accepts connections on 127.0.0.1, and leaves neither a process nor a directory behind', async () => {
    const server = await startPostgresServer();
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const [row] = (await client.query<{ address: string }>('select inet_server_addr()::text as address')).rows;
    await client.end();
    expect(row?.address).toBe('127.0.0.1/32');
    expect([isRunning(server.pid), existsSync(server.directory)]).toEqual([true, true]);

    await server.stop();
    expect([isRunning(server.pid), existsSync(server.directory)]).toEqual([false, false]);
  });
});
