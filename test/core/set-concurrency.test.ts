import { createDeferred } from 'current-attributes/testing';
import { describe, expect, test } from 'vitest';
import { Current } from '../support/fixtures.js';
import { clock, david, Current as Rails, Session as RailsSession } from '../support/rails-current.js';

/**
 * Rails' `set` ported naively: assign, run, restore the saved values. Kept
 * here as the red half of the pair: it is what `Current.set` must not do.
 */
async function naiveSet<R>(values: { locale: string }, fn: () => Promise<R>): Promise<R> {
  const saved = Current.locale;
  Current.locale = values.locale;
  try {
    return await fn();
  } finally {
    Current.locale = saved;
  }
}

/**
 * Two overrides inside one request, overlapping on purpose: the second starts
 * while the first is parked, the first finishes, then the second finishes.
 */
async function overlap(set: typeof naiveSet) {
  const secondStarted = createDeferred();
  const firstFinished = createDeferred();
  const first = set({ locale: 'fr' }, async () => {
    await secondStarted.promise;
    return Current.locale;
  });
  const second = set({ locale: 'de' }, async () => {
    secondStarted.resolve();
    await firstFinished.promise;
    return Current.locale;
  });
  const seenByFirst = await first;
  firstFinished.resolve();
  const seenBySecond = await second;
  return { seen: [seenByFirst, seenBySecond], after: Current.locale };
}

describe('two overlapping set calls in one request (Promise.all)', () => {
  test('the naive save-and-restore version restores the wrong value when the calls end out of order', async () => {
    await Current.run(async () => {
      const { seen, after } = await overlap(naiveSet);
      expect(seen).toEqual(['de', 'en']);
      expect(after).toBe('fr');
    });
  });

  test('share the request values as in Rails: both see the later override, and the request value is back after both', async () => {
    await Current.run(async () => {
      const { seen, after } = await overlap((values, fn) => Current.set(values, fn));
      expect(seen).toEqual(['de', 'de']);
      expect(after).toBe('en');
    });
  });

  test('that name different attributes each put theirs back when they end, in whatever order', async () => {
    await Current.run(async () => {
      const secondStarted = createDeferred();
      const firstFinished = createDeferred();
      const first = Current.set({ locale: 'fr' }, () => secondStarted.promise);
      const second = Current.set({ account: 'initech' }, async () => {
        secondStarted.resolve();
        await firstFinished.promise;
        return [Current.locale, Current.account];
      });
      await first;
      expect([Current.locale, Current.account]).toEqual(['en', 'initech']);
      firstFinished.resolve();
      expect(await second).toEqual(['en', 'initech']);
      expect([Current.locale, Current.account]).toEqual(['en', undefined]);
    });
  });

  test("with Rails' fixtures, see one person and the Session.current it set, never one without the other", async () => {
    await Rails.run(async () => {
      Rails.person = david;
      const secondStarted = createDeferred();
      const firstFinished = createDeferred();
      const read = () => [Rails.person?.id, RailsSession.current];
      const first = Rails.set({ person: { id: 1, name: 'One' } }, async () => {
        await secondStarted.promise;
        return read();
      });
      const second = Rails.set({ person: { id: 2, name: 'Two' } }, async () => {
        secondStarted.resolve();
        await firstFinished.promise;
        return read();
      });
      const seenByFirst = await first;
      firstFinished.resolve();
      expect([seenByFirst, await second]).toEqual([
        [2, 2],
        [2, 2],
      ]);
      expect([Rails.person, RailsSession.current, clock.zone]).toEqual([david, 42, david.timeZone]);
    });
  });

  test('work started inside set and still running after it reads the request values again, as in Rails', async () => {
    await Current.run(async () => {
      const release = createDeferred();
      let background: Promise<string> | undefined;
      Current.set({ locale: 'fr' }, () => {
        background = release.promise.then(() => Current.locale);
      });
      Current.locale = 'de';
      release.resolve();
      expect(await background).toBe('de');
    });
  });

  test('branches that need values of their own restore a serialized copy each, and leave the request alone', async () => {
    await Current.run(async () => {
      Current.account = 'acme';
      const branch = (locale: string) =>
        Current.restore(Current.serialize(), () =>
          Current.set({ locale }, async () => {
            await new Promise((resolve) => setImmediate(resolve));
            return `${Current.account}/${Current.locale}`;
          }),
        );
      expect(await Promise.all([branch('fr'), branch('de')])).toEqual(['acme/fr', 'acme/de']);
      expect(Current.locale).toBe('en');
    });
  });
});
