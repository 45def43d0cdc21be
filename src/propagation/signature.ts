import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a signed set of members proves, and why one was refused. */
export type Verdict = 'valid' | 'bad-signature' | 'expired' | 'replayed' | 'malformed';

/**
 * Signs and checks the members that travel, with HMAC-SHA256 over a shared
 * secret. A signature names its expiry and a random nonce; a receiver
 * accepts each nonce once until it expires, so a header captured from one
 * request cannot be sent again to the same process. Node's `crypto` is the
 * library made for this; only the layout is ours.
 */
export class Signer {
  readonly #secrets: readonly Buffer[];
  readonly #seen = new Map<string, number>();

  constructor(
    secrets: readonly (string | Buffer)[],
    readonly maxAgeMs: number,
    readonly maxNonces: number,
  ) {
    this.#secrets = secrets.map((secret) => (typeof secret === 'string' ? Buffer.from(secret) : secret));
  }

  /** The signature of `members` (each `key=encoded value`), valid for `maxAgeMs` from `now`. */
  sign(members: readonly string[], now = Date.now()): string {
    const expires = now + this.maxAgeMs;
    const nonce = randomBytes(12).toString('base64url');
    return `v1.${expires}.${nonce}.${this.#mac(this.#secrets[0] as Buffer, expires, nonce, members)}`;
  }

  /**
   * Checks `signature` over `members`; a valid one is remembered until it
   * expires, so it is valid once, unless `once` is false (a queue's
   * redelivery of the same message).
   */
  verify(signature: string, members: readonly string[], once = true, now = Date.now()): Verdict {
    const parts = signature.split('.');
    if (parts.length !== 4 || parts[0] !== 'v1') return 'malformed';
    const [, expiresText, nonce, mac] = parts as [string, string, string, string];
    const expires = Number(expiresText);
    if (!/^\d{1,16}$/.test(expiresText) || !/^[\w-]{16}$/.test(nonce)) return 'malformed';
    const given = Buffer.from(mac, 'base64url');
    const matches = this.#secrets.some((secret) => {
      const expected = Buffer.from(this.#mac(secret, expires, nonce, members), 'base64url');
      return expected.length === given.length && timingSafeEqual(expected, given);
    });
    if (!matches) return 'bad-signature';
    // A later expiry than we would give is from a sender with another setting; still bounded, to bound #seen.
    if (expires <= now || expires > now + this.maxAgeMs + CLOCK_SKEW_MS) return 'expired';
    if (!once) return 'valid';
    if (this.#seen.has(nonce)) return 'replayed';
    this.#remember(nonce, expires, now);
    return 'valid';
  }

  #remember(nonce: string, expires: number, now: number): void {
    if (this.#seen.size >= this.maxNonces) {
      for (const [seen, until] of this.#seen) if (until <= now) this.#seen.delete(seen);
      // Still full of live nonces: forget the oldest, which expire first.
      const oldest = this.#seen.keys().next();
      if (this.#seen.size >= this.maxNonces && oldest.done !== true) this.#seen.delete(oldest.value);
    }
    this.#seen.set(nonce, expires);
  }

  #mac(secret: Buffer, expires: number, nonce: string, members: readonly string[]): string {
    const hmac = createHmac('sha256', secret);
    hmac.update(`current-attributes v1\n${expires}\n${nonce}\n`);
    for (const member of [...members].sort()) hmac.update(`${member}\n`);
    return hmac.digest('base64url');
  }
}

/** How far a sender's clock may run ahead of the receiver's. */
const CLOCK_SKEW_MS = 5_000;
