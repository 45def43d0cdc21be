import { defineCurrent } from 'current-attributes';
import { withFreshScope } from 'current-attributes/testing';
import { aroundEach, describe, expect, test } from 'vitest';
import { alice, bob, Current, Session } from '../support/fixtures.js';
import { clock, david, Current as Rails, Session as RailsSession } from '../support/rails-current.js';

aroundEach(withFreshScope);

describe('set assigns the named attributes for the duration of its callback', () => {
  test('assigns one attribute during a sync callback and puts it back after', () => {
    const inside = Current.set({ locale: 'fr' }, () => Current.locale);
    expect(inside).toBe('fr');
    expect(Current.locale).toBe('en');
  });

  test('assigns through the setters, so custom setters run, and puts back what they derived', () => {
    Current.set({ user: bob, locale: 'de' }, () => {
      expect([Current.account, Current.locale, Session.previousUser]).toEqual(['globex', 'de', bob]);
    });
    expect([Current.user, Current.account, Session.previousUser]).toEqual([undefined, undefined, undefined]);
  });

  test('leaves what it does not name as it was, including private state behind accessors', () => {
    Current.user = alice;
    Current.title = 'Boss';
    Current.set({ locale: 'fr' }, () => {
      expect([Current.user, Current.title, Current.isAdmin]).toEqual([alice, 'Boss!', true]);
    });
  });

  test('lets an explicit value win over a setter side effect', () => {
    Current.set({ account: 'initech', user: alice }, () => expect(Current.account).toBe('initech'));
  });

  test('puts back after an async callback settles', async () => {
    const inside = await Current.set({ locale: 'fr' }, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return Current.locale;
    });
    expect(inside).toBe('fr');
    expect(Current.locale).toBe('en');
  });

  test('puts back when the callback throws, and rethrows', () => {
    const failing = () =>
      Current.set({ locale: 'fr' }, () => {
        throw new Error('boom');
      });
    expect(failing).toThrow('boom');
    expect(Current.locale).toBe('en');
  });

  test('puts back when the async callback rejects', async () => {
    const failing = Current.set({ locale: 'fr' }, async () => {
      await Promise.resolve();
      throw new Error('boom');
    });
    await expect(failing).rejects.toThrow('boom');
    expect(Current.locale).toBe('en');
  });

  test('puts back what it assigned so far when a setter throws, and rethrows', () => {
    class Picky {
      locale = 'en';
      #level = 1;
      get level() {
        return this.#level;
      }
      set level(level: number) {
        if (level < 0) throw new RangeError('level must not be negative');
        this.#level = level;
      }
    }
    const Strict = defineCurrent(Picky);
    expect(() => Strict.set({ locale: 'fr', level: -1 }, () => 'never')).toThrow(RangeError);
    expect([Strict.locale, Strict.level]).toEqual(['en', 1]);
  });

  test('nests: the inner call sees both overrides, each level comes back in turn', () => {
    Current.set({ locale: 'fr' }, () => {
      Current.set({ account: 'initech' }, () => {
        expect([Current.locale, Current.account]).toEqual(['fr', 'initech']);
      });
      expect([Current.locale, Current.account]).toEqual(['fr', undefined]);
    });
    expect(Current.locale).toBe('en');
  });
});

describe('set, as in Rails, acts on the request values themselves', () => {
  test('keeps what the callback writes to attributes it does not name, and to other definitions', () => {
    Current.set({ locale: 'fr' }, () => {
      Current.account = 'inside';
      Session.token = 'inside';
    });
    expect([Current.account, Session.token]).toEqual(['inside', 'inside']);
  });

  test('puts back the attributes it names even when the callback assigned them again', () => {
    Current.set({ locale: 'fr' }, () => {
      Current.locale = 'de';
    });
    expect(Current.locale).toBe('en');
  });
});

describe("set with the fixtures of Rails' own tests", () => {
  test('does not decorate twice an attribute it does not name', () => {
    Rails.request = 'request/1';
    expect(Rails.set({ world: 'w2' }, () => Rails.request)).toBe('request/1 something');
    expect(Rails.request).toBe('request/1 something');
  });

  test('does not run again the setters of attributes it does not name, so outside state keeps later changes', () => {
    Rails.person = david;
    RailsSession.current = 99;
    clock.zone = 'Pacific';
    Rails.set({ world: 'w2' }, () => expect([RailsSession.current, clock.zone]).toEqual([99, 'Pacific']));
    expect([RailsSession.current, clock.zone]).toEqual([99, 'Pacific']);
  });

  test('undoes the side effects of a named setter by running it again with its previous input', () => {
    Rails.person = david;
    Rails.set({ person: { id: 7, name: 'Seven', timeZone: 'Pacific' } }, () => {
      expect([Rails.person?.id, RailsSession.current, clock.zone]).toEqual([7, 7, 'Pacific']);
    });
    expect(Rails.person).toBe(david);
    expect([RailsSession.current, clock.zone]).toEqual([42, 'Central Time (US & Canada)']);
  });

  test('puts back what a named setter derived, not what the setter would derive again', () => {
    Rails.account = 'account/1';
    Rails.person = david;
    Rails.set({ account: 'account/2' }, () => expect(Rails.person?.name).toBe("account/2's person"));
    expect([Rails.account, Rails.person, RailsSession.current]).toEqual(['account/1', david, 42]);
  });

  test('puts back an attribute never assigned before, even behind a decorating getter', () => {
    Rails.set({ request: 'request/2' }, () => expect(Rails.request).toBe('request/2 something'));
    expect(Rails.request).toBe('undefined something');
    expect(Rails.restore(Rails.serialize(), () => Rails.request)).toBe('undefined something');
  });
});
