import { Worker } from 'node:worker_threads';
import { defineCurrent, InvalidPayloadError, UnserializableAttributeError } from 'current-attributes';
import { ReentrantLockError, withLock } from 'current-attributes/lock';
import { describe, expect, test } from 'vitest';
import { alice, Current } from '../support/fixtures.js';
import { clock, david, Current as Rails, Session as RailsSession } from '../support/rails-current.js';
import { captureWarnings } from '../support/warnings.js';

describe('serialize and restore', () => {
  test('serialize returns what was assigned: setter inputs in order, then fields that differ from their defaults', () => {
    Current.run(() => {
      Current.user = alice;
      Current.tags.push('beta');
      const payload = Current.serialize();
      Current.tags.push('later');
      expect(payload).toEqual({
        format: 'current-attributes',
        version: 1,
        entries: [
          ['user', alice],
          ['account', 'acme'],
          ['requestId', Current.requestId],
          ['tags', ['beta']],
        ],
      });
      expect(payload.entries[0]?.[1]).not.toBe(alice);
    });
  });

  test('serialize returns plain data that survives JSON', () => {
    const payload = Current.run(() => {
      Current.user = alice;
      Current.title = 'Boss';
      return Current.serialize();
    });
    expect(JSON.parse(JSON.stringify(payload))).toEqual(payload);
  });

  test('serialize refuses a value nested too deep to clone with a typed error naming the attribute, not a RangeError', () => {
    const nested = (levels: number) => {
      const root: { next?: object } = {};
      let at = root;
      for (let level = 0; level < levels; level += 1) {
        const next = {};
        at.next = next;
        at = next;
      }
      return root;
    };
    // The bare failure this replaces: structuredClone overflows the stack, on Node a little below
    // 2,000 levels, on Bun (JavaScriptCore, a deeper stack) somewhere past 10,000.
    expect(() => structuredClone(nested(100_000))).toThrow(RangeError);
    Current.run(() => {
      Current.tags = [nested(10_000) as never];
      expect(() => Current.serialize()).toThrow(UnserializableAttributeError);
      expect(() => Current.serialize()).toThrow(
        /^Cannot serialize CurrentAttributes\.tags: tags\[0\](\.next){4}…(\.next){6} is nested more than 1000 levels deep/,
      );
      Current.tags = [nested(900) as never];
      expect(Current.serialize().entries.map(([key]) => key)).toContain('tags');
    });
  });

  test('serialize names the attribute that cannot cross a process boundary', () => {
    class WithCallback {
      onDone?: () => void;
    }
    const Callbacks = defineCurrent(WithCallback);
    Callbacks.run(() => {
      Callbacks.onDone = () => undefined;
      expect(() => Callbacks.serialize()).toThrow(UnserializableAttributeError);
      expect(() => Callbacks.serialize()).toThrow(/^Cannot serialize WithCallback\.onDone: DataCloneError/);
    });
  });

  test('restore runs the callback in a fresh scope holding the payload, through the setters', () => {
    const payload = Current.run(() => {
      Current.user = alice;
      Current.locale = 'fr';
      return Current.serialize();
    });
    const seen = Current.restore(payload, () => [Current.greet('Bonjour'), Current.locale, Current.isAdmin]);
    expect(seen).toEqual(['Bonjour, Alice', 'fr', true]);
    expect(Current.isActive).toBe(false);
  });

  test('restore gives every attribute what it read at serialize, whatever the getters decorate and the setters derive', () => {
    const read = () => [Rails.request, Rails.account, Rails.person, Rails.world, RailsSession.current, clock.zone];
    const [payload, before] = Rails.run(() => {
      Rails.request = 'request/1';
      Rails.account = 'account/1';
      Rails.person = david;
      Rails.world = 'world/1';
      return [JSON.parse(JSON.stringify(Rails.serialize())), read()];
    });
    expect(before).toEqual(['request/1 something', 'account/1', david, 'world/1', 42, david.timeZone]);
    expect(Rails.restore(payload, read)).toEqual(before);
  });

  test('carries the attributes of a request into a worker thread', async () => {
    const payload = Current.run(() => {
      Current.user = alice;
      Current.locale = 'de';
      return Current.serialize();
    });
    // The worker runs TypeScript, so it registers tsx before importing it.
    const script = new URL('../support/restore-worker.ts', import.meta.url).href;
    const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(script)}); });`;
    const worker = new Worker(bootstrap, { eval: true, workerData: payload });
    const message = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(message).toEqual({ greeting: 'Welcome back, Alice', locale: 'de', account: 'acme' });
  });

  test('restore keeps the locks the caller holds, so a nested withLock on a held key is refused, not a wait for itself', async () => {
    await Current.run(() =>
      withLock('restore-keeps-marks', async () => {
        const payload = Current.serialize();
        const nested = Current.restore(payload, () =>
          withLock('restore-keeps-marks', () => 'never', { timeoutMs: 500 }),
        );
        await expect(nested).rejects.toThrow(ReentrantLockError);
      }),
    );
  });
});

describe('restore reads payloads of other versions', () => {
  class Before {
    locale = 'en';
    plan?: string;
  }
  class After {
    locale = 'en';
  }

  test('drops attributes the class no longer declares and reports each to onUnknownAttribute', () => {
    const Old = defineCurrent(Before);
    const payload = Old.run(() => {
      Old.locale = 'fr';
      Old.plan = 'pro';
      return Old.serialize();
    });
    const dropped: string[] = [];
    const New = defineCurrent(After, { onUnknownAttribute: (attribute) => dropped.push(attribute) });
    expect(New.restore(payload as never, () => New.locale)).toBe('fr');
    expect(dropped).toEqual(['plan']);
  });

  test('warns of a dropped attribute by default, once', () => {
    const New = defineCurrent(After);
    const warnings = captureWarnings();
    New.restore({ format: 'current-attributes', version: 1, entries: [['plan', 'pro']] } as never, () => undefined);
    expect(warnings).toEqual([
      {
        name: 'CurrentAttributesWarning',
        code: undefined,
        message: expect.stringMatching(/^After\.restore\(\) dropped `plan`: After has no such attribute/),
      },
    ]);
  });

  test('refuses a payload that serialize did not return, saying what it expects', () => {
    for (const payload of [{ user: alice }, null, 'locale=fr', { format: 'other', version: 1, entries: [] }]) {
      expect(() => Current.restore(payload as never, () => 1)).toThrow(InvalidPayloadError);
    }
    expect(() => Current.restore({ locale: 'fr' } as never, () => 1)).toThrow(
      /^Expected `payload` to be what Current\.serialize\(\) returned \(\{ format: 'current-attributes', version, entries \}\), got `\[object Object\]` \(object\)\./,
    );
  });

  test('refuses a payload from a newer release, saying to upgrade', () => {
    const newer = { format: 'current-attributes', version: 2, entries: [] };
    expect(() => Current.restore(newer as never, () => 1)).toThrow(InvalidPayloadError);
    expect(() => Current.restore(newer as never, () => 1)).toThrow(
      /got `2` \(number\)\. A higher version comes from a newer release/,
    );
  });

  test('refuses entries with a hole, naming the index, instead of a bare TypeError', () => {
    // biome-ignore lint/suspicious/noSparseArray: the hole under test
    const entries = [, ['locale', 'fr']];
    const restore = () => Current.restore({ format: 'current-attributes', version: 1, entries } as never, () => 1);
    expect(restore).toThrow(InvalidPayloadError);
    expect(restore).toThrow(
      /^Expected `payload\.entries\[0\]` to be an \[attribute name, value\] or \[attribute name\] entry, got a hole \(the array is sparse\)\./,
    );
  });

  test('refuses a payload that is a revoked Proxy with InvalidPayloadError', () => {
    const { proxy, revoke } = Proxy.revocable({ format: 'current-attributes', version: 1, entries: [] }, {});
    revoke();
    expect(() => Current.restore(proxy as never, () => 1)).toThrow(InvalidPayloadError);
    expect(() => Current.restore(proxy as never, () => 1)).toThrow(/got `a revoked Proxy` \(object\)/);
  });

  test('refuses malformed entries, such as a symbol for a name', () => {
    const entries = [[Symbol('locale'), 'fr']];
    expect(() => Current.restore({ format: 'current-attributes', version: 1, entries } as never, () => 1)).toThrow(
      /^Expected `payload\.entries\[0\]` to be an \[attribute name, value\] or \[attribute name\] entry, got `\[object Array\]` \(array\)/,
    );
  });
});
