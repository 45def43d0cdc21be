import { CurrentAttributesError } from './errors.js';

/** What an optional peer dependency is needed for. */
export interface PeerNeed {
  /** The package to install, such as `autocannon`. */
  readonly packageName: string;
  /** Who needs it, for the message: "`loadAndVerify` from current-attributes/testing". */
  readonly neededBy: string;
  /** Needed only in tests and tools, so installed as a dev dependency. */
  readonly dev?: boolean;
  /** The command that installs it, when it takes more than the package itself. Default `npm install <packageName>`. */
  readonly installCommand?: string;
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

  constructor(need: PeerNeed, options?: ErrorOptions) {
    const { packageName, neededBy, dev = false } = need;
    const installCommand = need.installCommand ?? `npm install ${dev ? '--save-dev ' : ''}${packageName}`;
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
 * `load` is the import itself, written with the package's name as a literal
 * (`() => import('autocannon')`), so that bundlers see it and bundle the
 * peer as they would a static import; nothing is loaded before the call.
 *
 * @throws {MissingPeerDependencyError} when the package is not installed.
 * @example
 * ```ts
 * const { default: autocannon } = await importPeer(() => import('autocannon'), need);
 * ```
 */
export async function importPeer<Module>(load: () => Promise<Module>, need: PeerNeed): Promise<Module> {
  try {
    return await load();
  } catch (error) {
    throw missingOr(error, need);
  }
}

/** The typed error when `error` says the peer itself is missing; otherwise `error`, such as a dependency of the peer that is missing. */
function missingOr(error: unknown, need: PeerNeed): unknown {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const named =
    typeof message === 'string' &&
    (message.includes(`'${need.packageName}'`) || message.includes(`'${need.packageName}/`));
  return code === 'ERR_MODULE_NOT_FOUND' && named ? new MissingPeerDependencyError(need, { cause: error }) : error;
}
