import { InvalidArgumentError } from 'current-attributes';
import { trackConcurrency } from 'current-attributes/testing';
import { describe, expect, test } from 'vitest';

describe('trackConcurrency', () => {
  test('counts callers inside at once and flags an overlap', async () => {
    const section = trackConcurrency();
    const pause = () => new Promise((resolve) => setImmediate(resolve));
    await Promise.all([section.run(pause), section.run(pause)]);
    expect(section.maxConcurrent).toBe(2);
    expect(() => section.assertNoOverlap()).toThrow(
      'Critical sections overlapped: up to 2 callers were inside at once, expected 1.',
    );
    const serial = trackConcurrency();
    await serial.run(pause);
    await serial.run(pause);
    serial.assertNoOverlap();
  });

  test('run refuses what is not a function', async () => {
    await expect(trackConcurrency().run('x' as never)).rejects.toThrow(
      new InvalidArgumentError('Expected `fn` to be a function, got `x` (string).'),
    );
  });
});
