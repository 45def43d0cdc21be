import { defineCurrent, InvalidArgumentError, InvalidDefinitionError } from 'current-attributes';
import { createPropagator, InvalidTravelValueError, PropagationLimitError } from 'current-attributes/propagation';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { SECRET, Traveling } from './support.js';

const signed = () => createPropagator({ trust: { secret: SECRET }, currents: [Traveling] });

function sent(values: Partial<Record<'requestId' | 'tenant' | 'apiToken', string>> & { userId?: number }) {
  const propagator = signed();
  return Traveling.run(() => {
    Object.assign(Traveling, values);
    return propagator.inject({} as Record<string, string>);
  });
}

afterEach(() => vi.useRealTimers());

describe('inject', () => {
  test('writes the declared attributes into one baggage header, signed, and never a hidden or undeclared one', () => {
    const headers = sent({ requestId: 'r-1', tenant: 'acme', userId: 7, apiToken: 'secret-token' });
    expect(Object.keys(headers)).toEqual(['baggage']);
    expect(headers.baggage).toMatch(/^request-id=r-1,tenant=acme,user-id=7,ca\.sig=v1\.\d+\.[\w-]{16}\.[\w-]+$/);
    expect(headers.baggage).not.toContain('secret-token');
    expect(headers.baggage).not.toContain('locale');
  });

  test('writes nothing outside a scope, or when no traveling attribute is set', () => {
    const propagator = signed();
    expect(propagator.inject({})).toEqual({});
    expect(Traveling.run(() => propagator.inject({}))).toEqual({});
  });

  test('keeps the baggage members already there that are not its own, and replaces its own', () => {
    const propagator = signed();
    const headers = Traveling.run(() => {
      Traveling.tenant = 'acme';
      return propagator.inject({ baggage: 'other=1;prop,tenant=forged' });
    });
    expect(headers.baggage).toMatch(/^other=1;prop,tenant=acme,ca\.sig=/);
  });

  test('percent-encodes values that baggage cannot hold as they are', () => {
    const headers = sent({ tenant: 'a, b; "c" 100% é' });
    expect(headers.baggage).toContain('tenant=a%2C%20b%3B%20%22c%22%20100%25%20%C3%A9');
  });

  test('refuses a value that is not a string without a rule, with a typed error that says how to fix it', () => {
    class Attributes {
      count?: number;
    }
    const Counting = defineCurrent(Attributes, { name: 'Counting', travel: { count: true } });
    const propagator = createPropagator({ trust: { secret: SECRET }, currents: [Counting] });
    expect(() =>
      Counting.run(() => {
        Counting.count = 3;
        return propagator.inject({});
      }),
    ).toThrow(InvalidTravelValueError);
  });

  test('refuses more than 8,192 bytes of baggage at inject, instead of sending a truncated header', () => {
    const headers = { baggage: '' };
    expect(() =>
      Traveling.run(() => {
        Traveling.tenant = 'x'.repeat(8200);
        return signed().inject(headers);
      }),
    ).toThrow(PropagationLimitError);
    expect(headers.baggage).toBe('');
  });

  test('refuses more than 64 members at inject, counting those already in the header', () => {
    const others = Array.from({ length: 62 }, (_, index) => `m${index}=1`).join(',');
    expect(() =>
      Traveling.run(() => {
        Traveling.tenant = 'acme';
        return signed().inject({ baggage: others }); // 62 + tenant + signature = 64: fits
      }),
    ).not.toThrow();
    expect(() =>
      Traveling.run(() => {
        Traveling.tenant = 'acme';
        Traveling.requestId = 'r';
        return signed().inject({ baggage: others });
      }),
    ).toThrow(/65 members/);
  });
});

describe('extract and accept', () => {
  test('restores what a trusted sender sent, each value through its rule, in a fresh scope', () => {
    const headers = sent({ requestId: 'r-1', tenant: 'acme', userId: 7 });
    const seen = signed().extract(headers, () => ({ ...Traveling.attributes }));
    expect(seen).toEqual({ requestId: 'r-1', tenant: 'acme', userId: 7, locale: 'en' });
  });

  test('ignores and counts a header without a signature, and the handler runs with its defaults', () => {
    const propagator = signed();
    const seen = propagator.extract({ baggage: 'tenant=acme,user-id=1' }, () => Traveling.attributes);
    expect(seen).toEqual({ locale: 'en' });
    expect(propagator.stats.rejected.unsigned).toBe(1);
    expect(propagator.stats.accepted).toBe(0);
  });

  test('ignores a header whose values were changed after signing', () => {
    const headers = sent({ tenant: 'acme', userId: 7 });
    const tampered = { baggage: String(headers.baggage).replace('user-id=7', 'user-id=1') };
    const propagator = signed();
    expect(propagator.extract(tampered, () => Traveling.userId)).toBeUndefined();
    expect(propagator.stats.rejected.badSignature).toBe(1);
  });

  test('ignores a member added to a signed header, and one signed with another secret', () => {
    const headers = sent({ tenant: 'acme' });
    const propagator = signed();
    expect(propagator.extract({ baggage: `user-id=1,${headers.baggage}` }, () => Traveling.userId)).toBeUndefined();
    const other = createPropagator({ trust: { secret: 'x'.repeat(32) }, currents: [Traveling] });
    const forged = Traveling.run(() => {
      Traveling.userId = 1;
      return other.inject({});
    });
    expect(propagator.extract(forged, () => Traveling.userId)).toBeUndefined();
    expect(propagator.stats.rejected.badSignature).toBe(2);
  });

  test('accepts a signature once: the same header sent again is a replay', () => {
    const headers = sent({ tenant: 'acme' });
    const propagator = signed();
    expect(propagator.extract(headers, () => Traveling.tenant)).toBe('acme');
    expect(propagator.extract(headers, () => Traveling.tenant)).toBeUndefined();
    expect(propagator.stats.rejected.replayed).toBe(1);
  });

  test('ignores a signature past its expiry', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const headers = sent({ tenant: 'acme' });
    vi.setSystemTime(Date.now() + 30_001);
    const propagator = signed();
    expect(propagator.extract(headers, () => Traveling.tenant)).toBeUndefined();
    expect(propagator.stats.rejected.expired).toBe(1);
  });

  test('with a peer allow-list, takes unsigned values from a listed peer only', () => {
    const propagator = createPropagator({ trust: { peers: ['127.0.0.1'] }, currents: [Traveling] });
    const headers = { baggage: 'tenant=acme' };
    expect(propagator.extract(headers, () => Traveling.tenant, { peer: '::ffff:127.0.0.1' })).toBe('acme');
    expect(propagator.extract(headers, () => Traveling.tenant, { peer: '127.0.0.2' })).toBeUndefined();
    expect(propagator.extract(headers, () => Traveling.tenant)).toBeUndefined();
    expect(propagator.stats.rejected.untrustedPeer).toBe(2);
  });

  test('refuses the whole header when one value does not parse, or the header is malformed', () => {
    const reasons: string[] = [];
    const propagator = createPropagator({
      trust: { peers: ['127.0.0.1'] },
      currents: [Traveling],
      onRejected: (reason) => reasons.push(reason),
    });
    const peer = '127.0.0.1';
    expect(propagator.extract({ baggage: 'tenant=acme,user-id=NaN' }, () => Traveling.attributes, { peer })).toEqual({
      locale: 'en',
    });
    for (const baggage of ['tenant=a b', 'tenant=%E0%A4%A', '=x', 'tenant=a,tenant=b', 'x'.repeat(9000)]) {
      expect(propagator.extract({ baggage }, () => Traveling.tenant, { peer })).toBeUndefined();
    }
    expect(reasons).toEqual(['badValue', 'malformed', 'malformed', 'malformed', 'malformed', 'malformed']);
  });

  test('leaves alone a header that carries none of its members', () => {
    const propagator = signed();
    expect(propagator.extract({ baggage: 'other=1' }, () => Traveling.tenant)).toBeUndefined();
    expect(propagator.stats).toEqual({
      injected: 0,
      accepted: 0,
      rejected: { untrustedPeer: 0, unsigned: 0, badSignature: 0, expired: 0, replayed: 0, malformed: 0, badValue: 0 },
    });
  });

  test('accept assigns to the active scope, and is refused outside one', () => {
    const headers = sent({ tenant: 'acme' });
    const propagator = signed();
    expect(() => propagator.accept(headers)).toThrow(/no scope is active/);
    const again = sent({ tenant: 'globex' });
    expect(Traveling.run(() => [propagator.accept(again), Traveling.tenant])).toEqual([true, 'globex']);
  });

  test('does not let a member named __proto__ or constructor reach an object', () => {
    const propagator = createPropagator({ trust: { peers: ['127.0.0.1'] }, currents: [Traveling] });
    const seen = propagator.extract({ baggage: '__proto__=x,constructor=y,tenant=acme' }, () => Traveling.attributes, {
      peer: '127.0.0.1',
    });
    expect(seen).toEqual({ tenant: 'acme', locale: 'en' });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('declaring and configuring', () => {
  test('refuses an attribute both hidden and traveling, an unknown one, and a reserved wire name', () => {
    class Attributes {
      token?: string;
    }
    expect(() => defineCurrent(Attributes, { travel: { token: true }, hidden: ['token'] })).toThrow(
      InvalidDefinitionError,
    );
    expect(() => defineCurrent(Attributes, { travel: { nope: true } as never })).toThrow(/name an attribute/);
    expect(() => defineCurrent(Attributes, { travel: { token: 'ca.token' } })).toThrow(/wire name/);
    expect(() => defineCurrent(Attributes, { travel: { token: 'two words' } })).toThrow(/wire name/);
    expect(() => defineCurrent(Attributes, { hidden: ['nope' as never] })).toThrow(/options.hidden\[0\]/);
  });

  test('refuses two definitions that travel under one wire name when a propagator uses both', () => {
    class A {
      tenant?: string;
    }
    const First = defineCurrent(A, { name: 'First', travel: { tenant: true } });
    const Second = defineCurrent(A, { name: 'Second', travel: { tenant: true } });
    expect(() => createPropagator({ trust: { secret: SECRET }, currents: [First, Second] })).toThrow(
      /First.tenant and Second.tenant both travel as `tenant`/,
    );
  });

  test('refuses a propagator without trust, a short secret and unknown option keys', () => {
    expect(() => createPropagator({} as never)).toThrow(InvalidArgumentError);
    expect(() => createPropagator({ trust: {} })).toThrow(/neither/);
    expect(() => createPropagator({ trust: { secret: 'short' } })).toThrow(/at least 32 bytes/);
    expect(() => createPropagator({ trust: { secret: SECRET }, origin: [] } as never)).toThrow(/got `origin`/);
    expect(() => createPropagator({ trust: { secret: SECRET, peer: [] } as never })).toThrow(/got `peer`/);
  });
});
