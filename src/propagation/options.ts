import { InvalidArgumentError } from '../core/errors.js';
import type { AnyCurrent } from '../core/registry.js';
import { describeValue, expectPlainObject } from '../core/validate.js';

/** Why a carrier's values were refused; each is counted in `stats.rejected`. */
export type RejectReason =
  | 'untrustedPeer'
  | 'unsigned'
  | 'badSignature'
  | 'expired'
  | 'replayed'
  | 'malformed'
  | 'badValue';

/** Who may set values that travel in: a shared secret, known peers, or both (then both must hold). */
export interface TrustOptions {
  /**
   * The secret both sides share (at least 32 bytes). Outgoing values are
   * signed with it (HMAC-SHA256, with an expiry and a single-use nonce);
   * incoming values count only with a valid signature. Several: the first
   * signs, any verifies (rotate by adding the new one second, then first).
   */
  readonly secret?: string | Buffer | ReadonlyArray<string | Buffer>;
  /** IP addresses whose requests are trusted, as `req.socket.remoteAddress` reads them (`::ffff:` is ignored). */
  readonly peers?: readonly string[];
  /** How long a signature is valid, in ms. Default 30 000. */
  readonly maxAgeMs?: number;
  /** How many signatures to remember against replay. Default 100 000; past it the oldest are forgotten. */
  readonly maxNonces?: number;
}

/** Options of `createPropagator`. */
export interface PropagatorOptions {
  /** Who may set traveling values in this process. Required: values are never taken from just anyone. */
  readonly trust: TrustOptions;
  /** The definitions whose `travel` attributes to carry. Default: every definition that declares some. */
  readonly currents?: readonly AnyCurrent[];
  /** Carry the request's remaining time (`ca.timeout`), and take a trusted caller's. Default true. */
  readonly deadline?: boolean;
  /** Called with each refusal, beside the count in `stats`. Default: nothing (counted only). */
  readonly onRejected?: (reason: RejectReason, peer: string | undefined) => void;
}

/** `PropagatorOptions`, checked. */
export interface PropagatorSettings {
  readonly secrets: readonly (string | Buffer)[];
  readonly peers: ReadonlySet<string> | undefined;
  readonly maxAgeMs: number;
  readonly maxNonces: number;
  readonly currents: readonly AnyCurrent[] | undefined;
  readonly deadline: boolean;
  readonly onRejected: ((reason: RejectReason, peer: string | undefined) => void) | undefined;
}

const KEYS = ['trust', 'currents', 'deadline', 'onRejected'];
const TRUST_KEYS = ['secret', 'peers', 'maxAgeMs', 'maxNonces'];

/**
 * Checks a propagator's options when it is made.
 *
 * @throws {InvalidArgumentError} naming the first option that is wrong and what it takes.
 */
export function checkPropagatorOptions(options: PropagatorOptions): PropagatorSettings {
  expectPlainObject('options', options);
  refuseUnknownKeys('options', options, KEYS);
  const { trust, currents, deadline = true, onRejected } = options;
  if (trust === undefined) {
    throw new InvalidArgumentError(
      'Expected `options.trust` to say who may set traveling values ({ secret } or { peers }), got `undefined`. ' +
        'Values are never taken from any sender: share a secret between your services, or list their addresses.',
    );
  }
  expectPlainObject('options.trust', trust);
  refuseUnknownKeys('options.trust', trust, TRUST_KEYS);
  const { secret, peers, maxAgeMs = 30_000, maxNonces = 100_000 } = trust;
  const secrets = secret === undefined ? [] : Array.isArray(secret) ? secret : [secret];
  secrets.forEach((each: unknown, index) => {
    const length = typeof each === 'string' ? Buffer.byteLength(each) : Buffer.isBuffer(each) ? each.length : -1;
    if (length < 32) {
      throw new InvalidArgumentError(
        `Expected \`options.trust.secret${Array.isArray(secret) ? `[${index}]` : ''}\` to be a string or Buffer of at least 32 bytes, ` +
          `got ${describeValue(each)}. Make one with: node -e "console.log(crypto.randomBytes(32).toString('base64'))"`,
      );
    }
  });
  if (peers !== undefined && (!Array.isArray(peers) || !peers.every((peer) => typeof peer === 'string'))) {
    throw new InvalidArgumentError(
      `Expected \`options.trust.peers\` to be an array of IP addresses, got ${describeValue(peers)}.`,
    );
  }
  if (secrets.length === 0 && (peers === undefined || peers.length === 0)) {
    throw new InvalidArgumentError(
      'Expected `options.trust` to have a `secret` or some `peers`, got neither: nobody could send values.',
    );
  }
  expectPositiveInteger('options.trust.maxAgeMs', maxAgeMs);
  expectPositiveInteger('options.trust.maxNonces', maxNonces);
  if (typeof deadline !== 'boolean') {
    throw new InvalidArgumentError(`Expected \`options.deadline\` to be a boolean, got ${describeValue(deadline)}.`);
  }
  if (onRejected !== undefined && typeof onRejected !== 'function') {
    throw new InvalidArgumentError(
      `Expected \`options.onRejected\` to be a function, got ${describeValue(onRejected)}.`,
    );
  }
  return {
    secrets,
    peers: peers === undefined ? undefined : new Set(peers.map(normalizePeer)),
    maxAgeMs,
    maxNonces,
    currents,
    deadline,
    onRejected,
  };
}

/** An address as the allow-list compares it: IPv4 mapped into IPv6 is the IPv4 address. */
export function normalizePeer(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/** Throws `InvalidArgumentError` naming the first key of `object` that is not one of `known`. */
export function refuseUnknownKeys(name: string, object: object, known: readonly string[]): void {
  const unknown = Object.keys(object).find((key) => !known.includes(key));
  if (unknown !== undefined) {
    throw new InvalidArgumentError(
      `Expected \`${name}\` to have only the keys ${known.join(', ')}, got \`${unknown}\`. Check its spelling.`,
    );
  }
}

function expectPositiveInteger(name: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new InvalidArgumentError(`Expected \`${name}\` to be a positive integer, got ${describeValue(value)}.`);
  }
}
