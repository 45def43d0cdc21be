import type { Instance } from '../core/definition.js';
import { ScopeMissingError } from '../core/errors.js';
import { runScoped, Scope, storage } from '../core/scope.js';
import { RESERVED_WIRE_PREFIX } from '../core/travel.js';
import { expectFunction } from '../core/validate.js';
import { activeLifetime } from '../deadline/lifetime.js';
import { remainingMs } from '../deadline/request-signal.js';
import { type BaggageMember, formatBaggage, formatMember, parseBaggage } from './baggage.js';
import { type CarrierAccess, objectAccess } from './carrier.js';
import { checkPropagatorOptions, normalizePeer, type PropagatorOptions, type RejectReason } from './options.js';
import { Signer } from './signature.js';
import { type WireEntry, WireMap } from './wire-map.js';

const HEADER = 'baggage';
const SIGNATURE = `${RESERVED_WIRE_PREFIX}sig`;
const TIMEOUT = `${RESERVED_WIRE_PREFIX}timeout`;

/** Counters of one propagator. */
export interface PropagatorStats {
  /** Carriers written with values. */
  readonly injected: number;
  /** Carriers whose values were taken. */
  readonly accepted: number;
  /** Carriers whose values were refused, by reason: the handler ran with its own defaults. */
  readonly rejected: Readonly<Record<RejectReason, number>>;
}

/** Where a carrier came from, for `extract` and `accept`. */
export interface ExtractOptions<C> {
  /** The sender's IP address, checked against `trust.peers`. */
  readonly peer?: string;
  /** Reads a key of the carrier. Default: a property of a plain object, or `Headers#get`. */
  readonly getter?: CarrierAccess<C>['get'];
  /**
   * Whether a signature may be accepted more than once. Default false: a
   * header seen before is a replay. A queue redelivers the same message
   * (a nack, a consumer that died), so its consumer passes true; only who
   * may publish to the queue can send a message again.
   */
  readonly redelivery?: boolean;
}

/**
 * Carries the attributes each definition declares in `options.travel` to
 * other services, and takes them from trusted senders only: OpenTelemetry's
 * propagator shape (`inject`, `extract`), over W3C `baggage`.
 */
export interface Propagator {
  /** The carrier keys it writes and reads (`['baggage']`), as OpenTelemetry's `fields()`. */
  fields(): string[];
  /**
   * Writes the active scope's traveling values (signed, when a secret is
   * set) and its remaining time into `carrier`'s `baggage`, keeping the
   * members already there that are not ours. Outside a scope, or with nothing
   * to send, it writes nothing. Returns `carrier`.
   *
   * @throws {PropagationLimitError} when the header would be over W3C's limits.
   * @throws {InvalidTravelValueError} when a value cannot be written as text.
   */
  inject<C>(carrier: C, access?: CarrierAccess<C>): C;
  /**
   * Runs `fn` in a fresh scope holding the values `carrier` brought, if its
   * sender is trusted; otherwise (counted in `stats`) with the defaults.
   */
  extract<C, R>(carrier: C, fn: () => R, options?: ExtractOptions<C>): R;
  /**
   * Assigns the values `carrier` brought to the active scope, if its sender
   * is trusted, and returns whether it did. Adapters call it at the start of
   * each request. A trusted caller's remaining time limits the request's deadline.
   */
  accept<C>(carrier: C, options?: ExtractOptions<C>): boolean;
  /** Counters: injected, accepted, and rejected by reason. */
  readonly stats: PropagatorStats;
}

/**
 * Makes a propagator. Nothing travels but what definitions declare in
 * `travel`, and nothing is taken but from who `trust` names.
 *
 * @throws {InvalidArgumentError} when an option is wrong.
 * @example
 * ```ts
 * class Attributes { requestId?: string; tenant?: string; apiToken?: string; }
 * const Current = defineCurrent(Attributes, { travel: { requestId: 'request-id', tenant: true }, hidden: ['apiToken'] });
 * export const propagator = createPropagator({ trust: { secret: process.env.SERVICE_SECRET } });
 * ```
 */
export function createPropagator(options: PropagatorOptions): Propagator {
  const settings = checkPropagatorOptions(options);
  const wire = new WireMap(settings.currents);
  const signer =
    settings.secrets.length > 0 ? new Signer(settings.secrets, settings.maxAgeMs, settings.maxNonces) : undefined;
  let injected = 0;
  let accepted = 0;
  const rejected: Record<RejectReason, number> = {
    untrustedPeer: 0,
    unsigned: 0,
    badSignature: 0,
    expired: 0,
    replayed: 0,
    malformed: 0,
    badValue: 0,
  };
  const isOurs = (key: string) => key.startsWith(RESERVED_WIRE_PREFIX) || wire.entries.has(key);
  const refuse = (reason: RejectReason, peer: string | undefined) => {
    rejected[reason] += 1;
    settings.onRejected?.(reason, peer);
    return undefined;
  };

  /** The values a carrier brings, once its sender is trusted; `undefined` when it brings none or is refused. */
  const read = <C>(carrier: C, { peer, getter = objectAccess.get, redelivery = false }: ExtractOptions<C> = {}) => {
    const header = getter(carrier, HEADER);
    if (header === undefined) return undefined;
    const members = parseBaggage(header);
    if (members === undefined) return refuse('malformed', peer);
    const ours = members.filter((member) => isOurs(member.key));
    if (ours.length === 0) return undefined;
    if (new Set(ours.map((member) => member.key)).size !== ours.length) return refuse('malformed', peer);
    if (settings.peers !== undefined && (peer === undefined || !settings.peers.has(normalizePeer(peer)))) {
      return refuse('untrustedPeer', peer);
    }
    if (signer !== undefined) {
      const signature = ours.find((member) => member.key === SIGNATURE);
      if (signature === undefined) return refuse('unsigned', peer);
      const signed = ours.filter((member) => member !== signature).map(formatMember);
      const verdict = signer.verify(signature.value, signed, !redelivery);
      if (verdict !== 'valid') return refuse(verdict === 'bad-signature' ? 'badSignature' : verdict, peer);
    }
    const values: Array<readonly [WireEntry['definition'], (instance: Instance) => void]> = [];
    let timeoutMs: number | undefined;
    try {
      for (const { key, value } of ours) {
        if (key === TIMEOUT) {
          if (!/^\d{1,10}$/.test(value)) return refuse('malformed', peer);
          timeoutMs = Number(value);
          continue;
        }
        const entry = wire.entries.get(key);
        if (entry === undefined) continue;
        const parsed = entry.parse === undefined ? value : entry.parse(value);
        values.push([entry.definition, (instance) => (instance[entry.attribute] = parsed)]);
      }
    } catch {
      return refuse('badValue', peer);
    }
    accepted += 1;
    return { values, timeoutMs };
  };

  const assign = (found: NonNullable<ReturnType<typeof read>>) => {
    const scope = storage.getStore();
    if (scope === undefined) throw new ScopeMissingError('propagator', 'accept()', 'call');
    for (const [definition, write] of found.values) write(scope.instanceFor(definition) as Instance);
    if (settings.deadline && found.timeoutMs !== undefined) activeLifetime()?.limitTo(found.timeoutMs);
  };

  return {
    fields: () => [HEADER],
    inject(carrier, access = objectAccess) {
      const values = wire.read();
      const ours: BaggageMember[] = values.map(([key, value]) => ({ key, value, properties: '' }));
      const remaining = settings.deadline ? remainingMs() : Number.POSITIVE_INFINITY;
      if (remaining !== Number.POSITIVE_INFINITY)
        ours.push({ key: TIMEOUT, value: String(Math.ceil(remaining)), properties: '' });
      if (ours.length === 0) return carrier;
      if (signer !== undefined)
        ours.push({ key: SIGNATURE, value: signer.sign(ours.map(formatMember)), properties: '' });
      const existing = access.get(carrier, HEADER);
      const others =
        existing === undefined ? [] : (parseBaggage(existing) ?? []).filter((member) => !isOurs(member.key));
      access.set(carrier, HEADER, formatBaggage([...others, ...ours]));
      injected += 1;
      return carrier;
    },
    extract(carrier, fn, extractOptions) {
      expectFunction('fn', fn);
      const found = read(carrier, extractOptions);
      return runScoped(new Scope(undefined, -1, storage.getStore()?.held), () => {
        if (found !== undefined) assign(found);
        return fn();
      });
    },
    accept(carrier, extractOptions) {
      const found = read(carrier, extractOptions);
      if (found === undefined) return false;
      assign(found);
      return true;
    },
    get stats() {
      return { injected, accepted, rejected: { ...rejected } };
    },
  };
}
