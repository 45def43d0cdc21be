import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freeLoopbackPort } from './redis-server.js';

export interface PostgresServer {
  /** A connection URL for the superuser `postgres`, on 127.0.0.1. */
  readonly url: string;
  readonly port: number;
  /** The server process's id. */
  readonly pid: number;
  /** The temporary directory holding the cluster and the unix socket, deleted by `stop`. */
  readonly directory: string;
  /** Stops the server (fast shutdown) and deletes its cluster. */
  stop(): Promise<void>;
}

/**
 * The directory holding `initdb` and `postgres`, or `undefined` when
 * PostgreSQL is not installed. Debian and Ubuntu put them in
 * `/usr/lib/postgresql/<version>/bin`, off the PATH, so look there and ask
 * `pg_config` before trying the PATH.
 *
 * @example
 * ```ts
 * if (postgresBinDir() === undefined) console.warn('PostgreSQL is not installed: running on PGlite.');
 * ```
 */
export function postgresBinDir(): string | undefined {
  const candidates = [pgConfigBinDir(), ...debianBinDirs(), ...(process.env.PATH ?? '').split(delimiter)];
  return candidates.find((dir) => dir !== undefined && dir !== '' && existsSync(join(dir, 'initdb')));
}

function pgConfigBinDir(): string | undefined {
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** `/usr/lib/postgresql/*\/bin`, newest version first. */
function debianBinDirs(): string[] {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
    .map((version) => join(root, version, 'bin'));
}

/**
 * `initdb` and `postgres` refuse to run as root: as root, run them as the
 * `postgres` system user that Debian's package creates; otherwise as ourselves.
 */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  // Read from /etc/passwd rather than asking `id`, which a bare PATH may not reach.
  const entry = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .find(([name]) => name === 'postgres');
  if (entry === undefined) {
    throw new Error(
      'PostgreSQL refuses to run as root, and there is no `postgres` user to run it as. ' +
        'Install the postgresql package (it creates the user), or run the tests as another user.',
    );
  }
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}

/**
 * Starts a throwaway PostgreSQL server: a new cluster in a temporary
 * directory, listening on a free port of 127.0.0.1 only (its unix socket in
 * the same directory), tuned for tests (no fsync). `stop` shuts it down and
 * removes the directory, leaving nothing behind.
 *
 * @example
 * ```ts
 * const server = await startPostgresServer();
 * const db = await openDatabase(server.url);
 * // ...
 * await db.close();
 * await server.stop();
 * ```
 */
export async function startPostgresServer(binDir = postgresBinDir()): Promise<PostgresServer> {
  if (binDir === undefined) {
    throw new Error(
      'PostgreSQL is not installed: apt-get install postgresql (or put initdb and postgres on the PATH).',
    );
  }
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'current-attributes-pg-'));
  try {
    if (user !== undefined) chownSync(dir, user.uid, user.gid);
    const data = join(dir, 'data');
    const asServerUser = { cwd: dir, ...user };
    execFileSync(
      join(binDir, 'initdb'),
      ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
      { ...asServerUser, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const port = await freeLoopbackPort();
    const child = spawn(
      join(binDir, 'postgres'),
      ['-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', dir, '-F', '-c', 'max_connections=200'],
      { ...asServerUser, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    await readyToAcceptConnections(child);
    return {
      port,
      pid: child.pid as number,
      directory: dir,
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      async stop() {
        await stopProcess(child);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

function readyToAcceptConnections(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let output: string | undefined = '';
    // Keeps reading after the server is ready: a full pipe would stall its logging, and the server with it.
    child.stderr?.on('data', (chunk: Buffer) => {
      if (output === undefined) return;
      output += chunk;
      if (output.includes('ready to accept connections')) {
        output = undefined;
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`postgres exited with ${code} before it was ready:\n${output}`)));
  });
}

/** SIGINT is PostgreSQL's fast shutdown: roll back open transactions, close connections, exit. */
function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGINT');
  });
}

/**
 * The database URL for a runnable example: `DATABASE_URL` if set, else a
 * throwaway PostgreSQL server started here (stopped by the returned `stop`),
 * else `''`, which `openDatabase` takes as PGlite. Prints which it is.
 *
 * @example
 * ```ts
 * const server = await databaseForExample();
 * const db = await openDatabase(server.url);
 * ```
 */
export async function databaseForExample(): Promise<{ url: string; stop(): Promise<void> }> {
  const nothingToStop = async () => undefined;
  if (process.env.DATABASE_URL) {
    console.log('On the PostgreSQL server at DATABASE_URL.');
    return { url: process.env.DATABASE_URL, stop: nothingToStop };
  }
  if (postgresBinDir() === undefined) {
    console.log(
      'On PGlite, which runs one transaction at a time: install PostgreSQL (apt-get install postgresql) ' +
        'or set DATABASE_URL to see what the locks in a transaction do.',
    );
    return { url: '', stop: nothingToStop };
  }
  console.log('On a throwaway PostgreSQL server.');
  return startPostgresServer();
}
