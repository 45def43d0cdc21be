import { CurrentAttributesError } from '../core/errors.js';
import { MissingPeerDependencyError } from '../core/peer.js';

/**
 * Thrown by `inject` when what would travel is over a transport's limit
 * (W3C baggage's 8,192 bytes or 64 members, a header's size): never a
 * silently truncated header, which the receiver would read as other values.
 *
 * @example
 * ```ts
 * try {
 *   propagator.inject(headers);
 * } catch (error) {
 *   if (error instanceof PropagationLimitError) Current.note = undefined; // travel less
 * }
 * ```
 */
export class PropagationLimitError extends CurrentAttributesError {
  override name = 'PropagationLimitError';

  constructor(what: string, limit: string) {
    super(
      `Cannot propagate ${what}: the limit is ${limit}. Nothing was written. ` +
        'Send less: let fewer attributes travel (`options.travel`), or send an id and look the value up on the other side.',
    );
  }
}

/**
 * Thrown by `inject` when a traveling attribute holds a value its rule
 * cannot write: not a string and no `serialize`, or a `serialize` that did
 * not return a string.
 *
 * @example
 * ```ts
 * defineCurrent(Attributes, { travel: { userId: { serialize: String, parse: Number } } });
 * ```
 */
export class InvalidTravelValueError extends CurrentAttributesError {
  override name = 'InvalidTravelValueError';
}

/**
 * Thrown when a `current-attributes` subpath needs an optional peer
 * dependency that is not installed (`@opentelemetry/api` for `/otel`), at
 * the first call that needs it. A `MissingPeerDependencyError`: it names the
 * package (`packageName`) and the command that installs it (`installCommand`).
 *
 * @example
 * ```ts
 * try {
 *   currentTraceIds();
 * } catch (error) {
 *   if (error instanceof MissingPeerError) console.error(error.installCommand); // npm install @opentelemetry/api
 *   throw error;
 * }
 * ```
 */
export class MissingPeerError extends MissingPeerDependencyError {
  override name = 'MissingPeerError';

  constructor(peer: string, subpath: string, cause: unknown) {
    super({ packageName: peer, neededBy: subpath }, { cause });
  }
}
