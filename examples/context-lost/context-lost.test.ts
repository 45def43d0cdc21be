import { createDeferred } from 'current-attributes/testing';
import { describe, expect, test } from 'vitest';
import { createAuditLog } from './audit-log.js';
import { Current } from './current.js';
import { CallbackPool, userOnConnection, userOnConnectionBound } from './pool.js';
import { boundPriceFeed, nextPrice, priceFeed } from './price-feed.js';

/** Ann's request waits for something; Bob's request, running meanwhile, is what makes it happen. */
async function annWaitsBobTriggers<T>(wait: () => Promise<T>, trigger: () => void): Promise<T> {
  const waiting = createDeferred();
  const [seen] = await Promise.all([
    Current.run(async () => {
      Current.user = 'Ann';
      const result = wait();
      waiting.resolve();
      return result;
    }),
    Current.run(async () => {
      Current.user = 'Bob';
      await waiting.promise;
      trigger();
    }),
  ]);
  return seen;
}

/** Bob holds the pool's one connection while Ann's request queues for it; then Bob releases it. */
async function userSeenByAnnOnConnection(lookUp: (pool: CallbackPool) => Promise<string | undefined>) {
  const pool = new CallbackPool();
  let releaseBobs = () => {};
  pool.acquire((release) => {
    releaseBobs = release;
  });
  return annWaitsBobTriggers(
    () => lookUp(pool),
    () => releaseBobs(),
  );
}

describe('a connection pool that calls waiters back from the releasing request', () => {
  test("gives Ann's callback Bob's user", async () => {
    expect(await userSeenByAnnOnConnection(userOnConnection)).toBe('Bob');
  });

  test('gives it her own once the callback is wrapped in Current.bind', async () => {
    expect(await userSeenByAnnOnConnection(userOnConnectionBound)).toBe('Ann');
  });
});

describe('an emitter shared by every request', () => {
  test("runs Ann's listener in Bob's request, which emits", async () => {
    const seen = await annWaitsBobTriggers(
      () => nextPrice(priceFeed),
      () => priceFeed.emit('price', 42),
    );
    expect(seen).toEqual({ price: 42, seenBy: 'Bob' });
  });

  test('runs it in her own request once the emitter went through bindEmitter', async () => {
    const seen = await annWaitsBobTriggers(
      () => nextPrice(boundPriceFeed),
      () => boundPriceFeed.emit('price', 42),
    );
    expect(seen).toEqual({ price: 42, seenBy: 'Ann' });
  });
});

describe('a timer made at start-up, before any request', () => {
  async function auditOfTwoRequests(record: 'record' | 'recordWithoutUser') {
    const lines: string[] = [];
    const written = createDeferred();
    const log = createAuditLog((line) => {
      lines.push(line);
      if (lines.length === 2) written.resolve();
    }, 1);
    await Current.run(async () => {
      Current.user = 'Ann';
      log[record]('signed in');
    });
    await Current.run(async () => {
      Current.user = 'Bob';
      log[record]('paid');
    });
    await written.promise;
    log.stop();
    return lines;
  }

  test('runs its callback in no scope, where Current reads the defaults', async () => {
    expect(await auditOfTwoRequests('recordWithoutUser')).toEqual(['signed in by nobody', 'paid by nobody']);
  });

  test('writes the right users when each request reads Current itself and hands the value over', async () => {
    expect(await auditOfTwoRequests('record')).toEqual(['signed in by Ann', 'paid by Bob']);
  });
});
