import { createDeferred } from 'current-attributes/testing';
import { describe, expect, test } from 'vitest';
import { Current } from './support/fixtures.js';

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

describe('two concurrent set calls in one request (Promise.all)', () => {
  test('the naive save-and-restore version lets one see the other and restores the wrong value', async () => {
    await Current.run(async () => {
      const { seen, after } = await overlap(naiveSet);
      expect(seen).toEqual(['de', 'en']);
      expect(after).toBe('fr');
    });
  });

  test('each sees only its own override, and the request value is untouched afterwards', async () => {
    await Current.run(async () => {
      const { seen, after } = await overlap((values, fn) => Current.set(values, fn));
      expect(seen).toEqual(['fr', 'de']);
      expect(after).toBe('en');
    });
  });

  test('work started inside set and still running after it keeps seeing the override', async () => {
    await Current.run(async () => {
      const release = createDeferred();
      let background: Promise<string> | undefined;
      Current.set({ locale: 'fr' }, () => {
        background = release.promise.then(() => Current.locale);
      });
      Current.locale = 'de';
      release.resolve();
      expect(await background).toBe('fr');
      expect(Current.locale).toBe('de');
    });
  });
});
