import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { ProbeUsageError } from './errors.js';

/** Files the probe may open besides the load's connections: the sample requests, DNS, a TLS session, Node's own. */
const HEADROOM = 32;

/**
 * The soft limit of open files of this process (`ulimit -n`), or
 * `undefined` where it cannot be read (Windows, or no shell). Hand-written:
 * Node has no `getrlimit`, and a native module would be a dependency with a
 * build step for one number. Linux tells it in /proc; elsewhere a shell
 * started from here inherits the limit and prints it.
 */
function openFileLimit(): number | undefined {
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const soft = /^Max open files\s+(\S+)/m.exec(limits)?.[1];
    if (soft !== undefined) return soft === 'unlimited' ? undefined : Number(soft);
  } catch {
    // Not Linux: ask a shell.
  }
  const { stdout, status } = spawnSync('/bin/sh', ['-c', 'ulimit -n'], { encoding: 'utf8' });
  const soft = status === 0 ? Number(stdout.trim()) : Number.NaN;
  return Number.isInteger(soft) ? soft : undefined;
}

/** How many files this process has open now, or `undefined` where the system does not list them. */
function openFileCount(): number | undefined {
  for (const directory of ['/proc/self/fd', '/dev/fd']) {
    try {
      return readdirSync(directory).length;
    } catch {
      // Try the next way, or give up.
    }
  }
  return undefined;
}

/**
 * Checks, before any request, that the process may open a file for each
 * of `connections` besides those it holds. Past the limit, autocannon would
 * retry the connections it cannot open without end, starving the event loop:
 * the run would never end and Ctrl-C would go unheard.
 *
 * @throws {ProbeUsageError} saying how many files the connections need, the limit, and how to raise it.
 * @example
 * ```ts
 * checkOpenFiles(Math.max(...settings.connections));
 * ```
 */
export function checkOpenFiles(connections: number): void {
  const limit = openFileLimit();
  if (limit === undefined) return;
  const needed = connections + (openFileCount() ?? HEADROOM) + HEADROOM;
  if (needed <= limit) return;
  throw new ProbeUsageError(
    `Expected \`--connections\` to fit the open-file limit: ${connections} connections need about ${needed} open ` +
      `files, and this process may open ${limit} (ulimit -n). Raise the limit in this shell (\`ulimit -n ${Math.max(
        4096,
        needed,
      )}\`), or give fewer connections.`,
  );
}
