import { InvalidArgumentError, ResetCallbackError } from 'current-attributes';
import { withFreshScope } from 'current-attributes/testing';
import { aroundEach, beforeEach, describe, expect, test } from 'vitest';
import { Current, Session } from '../support/fixtures.js';

describe('aroundEach(withFreshScope)', () => {
  aroundEach(withFreshScope);

  beforeEach(() => {
    Session.token = 'set in beforeEach';
  });

  const localesSeenAtStart: string[] = [];

  test('lets the test write Current without a request, and sees what beforeEach set', () => {
    localesSeenAtStart.push(Current.locale);
    expect(Session.token).toBe('set in beforeEach');
    Current.locale = 'fr';
    expect(Current.locale).toBe('fr');
  });

  test('starts every test from the defaults, whatever the previous test wrote', () => {
    localesSeenAtStart.push(Current.locale);
    expect(localesSeenAtStart).toEqual(['en', 'en']);
  });
});

describe('withFreshScope', () => {
  test('runs the reset callbacks when the test ends, and fails the test when one throws', async () => {
    const remove = Current.beforeReset(() => {
      throw new Error('callback broke');
    });
    try {
      await expect(
        withFreshScope(() => {
          Current.locale = 'fr';
        }),
      ).rejects.toThrow(ResetCallbackError);
    } finally {
      remove();
    }
  });

  test('leaves no scope behind', async () => {
    await withFreshScope(async () => {
      expect(Current.isActive).toBe(true);
    });
    expect(Current.isActive).toBe(false);
  });
});

describe('withFreshScope given something other than a test', () => {
  test('refuses it, saying what to pass', async () => {
    await expect(withFreshScope('x' as never)).rejects.toThrow(
      new InvalidArgumentError('Expected `runTest` to be a function, got `x` (string).'),
    );
  });
});
