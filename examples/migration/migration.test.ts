import { ScopeMissingError } from 'current-attributes';
import type { Express } from 'express';
import httpContext from 'express-http-context';
import { describe, expect, test } from 'vitest';
import { listen } from '../../test/support/listen.js';
import * as after from './after-express-http-context.js';
import * as before from './before-express-http-context.js';
import { Current, time, type User } from './rails-current.js';
import { enqueueReport, performReport, type StoredJob } from './rails-jobs.js';

async function answersOf(app: Express) {
  const server = await listen(app);
  try {
    return await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const headers = { 'x-user': `user-${i}`, ...(i % 2 === 0 ? { 'x-request-id': `r-${i}` } : {}) };
        return (await fetch(`${server.url}/me`, { headers })).json();
      }),
    );
  } finally {
    await server.close();
  }
}

describe('moving from express-http-context', () => {
  test('answers 20 concurrent requests the same before and after', async () => {
    const expected = Array.from({ length: 20 }, (_, i) => ({
      user: `user-${i}`,
      requestId: i % 2 === 0 ? `r-${i}` : 'none',
    }));
    expect(await answersOf(before.createApp())).toEqual(expected);
    expect(await answersOf(after.createApp())).toEqual(expected);
  });

  test('turns a write outside a request from silently lost into ScopeMissingError', () => {
    httpContext.set('user', 'ann');
    expect(httpContext.get('user')).toBeUndefined();
    expect(() => {
      after.Current.user = 'ann';
    }).toThrow(ScopeMissingError);
  });
});

const ann: User = { name: 'Ann', account: { name: 'Acme' }, timeZone: 'Europe/Paris' };
const bob: User = { name: 'Bob', account: { name: 'Globex' }, timeZone: 'America/Chicago' };

describe("Rails' example class, ported", () => {
  test('runs the custom setter, and afterReset puts the time zone back when the request ends', async () => {
    await Current.run(async () => {
      Current.user = ann;
      expect([Current.account?.name, time.zone]).toEqual(['Acme', 'Europe/Paris']);
    });
    expect(time.zone).toBe('UTC');
  });

  test('set overrides through the setter and puts back what it changed', async () => {
    await Current.run(async () => {
      Current.user = ann;
      const inside = await Current.set({ user: bob }, async () => [Current.account?.name, time.zone]);
      expect(inside).toEqual(['Globex', 'America/Chicago']);
      expect([Current.user?.name, Current.account?.name, time.zone]).toEqual(['Ann', 'Acme', 'Europe/Paris']);
    });
  });

  test("carries a request's values into a job, as Sidekiq's persist does", async () => {
    const queue: StoredJob[] = [];
    await Current.run(async () => {
      Current.user = ann;
      enqueueReport(queue, 'monthly');
    });
    expect(Current.isActive).toBe(false);
    expect(performReport(queue[0] as StoredJob)).toEqual({
      report: 'monthly',
      user: 'Ann',
      account: 'Acme',
      timeZone: 'Europe/Paris',
    });
    expect(time.zone).toBe('UTC');
  });
});
