import { withFreshScope } from 'current-attributes/testing';
import { aroundEach, expect, test } from 'vitest';
import { Current } from './current.js';

// Every test (and its hooks) runs in a fresh scope: code under test can write
// Current as in a request, and nothing written survives into the next test.
aroundEach(withFreshScope);

test('gives an admin the admin view', () => {
  Current.user = { name: 'Ann', account: 'acme', role: 'admin' };
  expect(Current.isAdmin).toBe(true);
  expect(Current.account).toBe('acme');
});

test('starts the next test from the defaults', () => {
  expect(Current.user).toBeUndefined();
  expect(Current.locale).toBe('en');
});
