import { createRequire } from 'node:module';
import { CurrentAttributesError } from './errors.js';

/** What an optional peer dependency is needed for. */
export interface PeerNeed {
  /** The package to install, such as `autocannon`. */
  readonly packageName: string;
  /** Who needs it, for the message: "`loadAndVerify` from current-attributes/testing". */
  readonly neededBy: string;
  /** Needed only in tests and tools, so installed as a dev dependency. */
  readonly dev?: boolean;
}

/**
 * Thrown the first time a function needs an optional peer dependency that
 * is not installed, instead of Node's raw `ERR_MODULE_NOT_FOUND`: the
 * message names the package, what needs it and the command that installs
 * it. The library has no dependencies of its own; each framework or client
 * is installed only by the apps that use it.
 *
 * @example
 * ```ts
 * try {
 *   await loadAndVerify({ app, request: (i) => ({ expected: String(i) }) });
 * } catch (error) {
 *   if (error instanceof MissingPeerDependencyError) console.error(error.installCommand); // npm install --save-dev autocannon
 *   throw error;
 * }
 * ```
 */
export class MissingPeerDependencyError extends CurrentAttributesError {
  override name = 'MissingPeerDependencyError';
  /** The package to install. */
  readonly packageName: string;
  /** The npm command that installs it. */
  readonly installCommand: string;

  constructor({ packageName, neededBy, dev = false }: PeerNeed, options?: ErrorOptions) {
    const installCommand = `npm install ${dev ? '--save-dev ' : ''}${packageName}`;
    super(
      `${neededBy} needs \`${packageName}\`, an optional peer dependency of current-attributes that is not installed. ` +
        `Install it: \`${installCommand}\` (or your package manager's equivalent).`,
      options,
    );
    this.packageName = packageName;
    this.installCommand = installCommand;
  }
}

/**
 * Imports an optional peer dependency when a function first needs it.
 *
 * @throws {MissingPeerDependencyError} when the package is not installed.
 * @example
 * ```ts
 * const { default: autocannon } = await importPeer<typeof import('autocannon')>('autocannon', need);
 * ```
 */
export async function importPeer<Module>(specifier: string, need: PeerNeed): Promise<Module> {
  try {
    return (await import(specifier)) as Module;
  } catch (error) {
    throw missingOr(error, need);
  }
}

const requireHere = createRequire(import.meta.url);

/**
 * Loads an optional peer dependency synchronously, for a factory that needs
 * it before it returns (such as `redisBackend()`), so that importing the
 * subpath loads no peer and a missing one is reported where it is needed.
 * Through `require`: only for peers that ship CommonJS, or on a Node that
 * can `require()` ES modules.
 *
 * @throws {MissingPeerDependencyError} when the package is not installed.
 * @example
 * ```ts
 * const { Mutex } = requirePeer<typeof import('redis-semaphore')>('redis-semaphore', need);
 * ```
 */
export function requirePeer<Module>(specifier: string, need: PeerNeed): Module {
  try {
    return requireHere(specifier) as Module;
  } catch (error) {
    throw missingOr(error, need);
  }
}

/** The typed error when `error` says the peer itself is missing; otherwise `error`, such as a dependency of the peer that is missing. */
function missingOr(error: unknown, need: PeerNeed): unknown {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const notFound = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
  const named =
    typeof message === 'string' &&
    (message.includes(`'${need.packageName}'`) || message.includes(`'${need.packageName}/`));
  return notFound && named ? new MissingPeerDependencyError(need, { cause: error }) : error;
}
