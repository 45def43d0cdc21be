import { Worker } from 'node:worker_threads';
import { defineCurrent, UnserializableAttributeError } from 'current-attributes';
import { ReentrantLockError, withLock } from 'current-attributes/lock';
import { describe, expect, test } from 'vitest';
import { alice, Current } from './support/fixtures.js';

describe('serialize and restore', () => {
  test('serialize returns a deep copy of the attributes, independent of the live values', () => {
    Current.run(() => {
      Current.user = alice;
      Current.tags.push('beta');
      const payload = Current.serialize();
      Current.tags.push('later');
      expect(payload).toEqual({
        user: alice,
        account: 'acme',
        locale: 'en',
        requestId: Current.requestId,
        tags: ['beta'],
      });
      expect(payload.user).not.toBe(alice);
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

  test('carries the attributes of a request into a worker thread', async () => {
    const payload = Current.run(() => {
      Current.user = alice;
      Current.locale = 'de';
      return Current.serialize();
    });
    // The worker runs TypeScript, so it registers tsx before importing it.
    const script = new URL('./support/restore-worker.ts', import.meta.url).href;
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
