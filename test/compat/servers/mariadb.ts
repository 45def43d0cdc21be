import { execFileSync, spawn } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort } from '../../../examples/support/redis-server.js';
import { readyWhenPrinted, stopChild, systemUser } from './process.js';

export interface RunningServer {
  readonly url: string;
  stop(): Promise<void>;
}

/** Whether `mariadbd` is installed (Debian's mariadb-server). */
export function mariadbInstalled(): boolean {
  try {
    execFileSync('mariadbd', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts a throwaway MariaDB server on a free port of 127.0.0.1, in an empty
 * temporary data directory. The matrix only runs `SELECT ? AS id`, so it
 * skips the system tables and the grant checks (no `mariadb-install-db`,
 * which takes seconds), and logs in as `root` without a password.
 */
export async function startMariadb(): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'current-attributes-mariadb-'));
  const data = join(dir, 'data');
  mkdirSync(data);
  // mariadbd refuses to run as root unless told which user to become.
  const user = process.getuid?.() === 0 ? (systemUser('mysql') ?? undefined) : undefined;
  if (user !== undefined) for (const path of [dir, data]) chownSync(path, user.uid, user.gid);
  const port = await freeLoopbackPort();
  const child = spawn(
    'mariadbd',
    [
      '--no-defaults',
      `--datadir=${data}`,
      `--socket=${join(dir, 'mariadb.sock')}`,
      `--pid-file=${join(dir, 'mariadb.pid')}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      '--skip-grant-tables',
      '--skip-name-resolve',
      '--skip-log-bin',
      '--innodb-buffer-pool-size=16M',
      ...(user === undefined ? [] : ['--user=mysql']),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    await readyWhenPrinted(child, 'ready for connections', 'mariadbd', 60_000);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `mysql://root@127.0.0.1:${port}`,
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
