import type { AddressInfo } from 'node:net';
import { createBarrier } from 'current-attributes/testing';
import { expect, test, vi } from 'vitest';
import { createApp } from './app.js';
import { createLogger } from './logger.js';

const REQUESTS = 200;

interface Line {
  readonly msg: string;
  readonly requestId?: string;
  readonly userId?: string;
  readonly order?: string;
  readonly url?: string;
  readonly req?: { readonly id?: string; readonly url?: string };
}

/** Which request a line is about, from what the code logged, not from Current. */
const requestOf = (line: Line) => /order-(\d+)$/.exec(line.order ?? line.url ?? line.req?.url ?? '')?.[1];

test(`${REQUESTS} concurrent requests: every line carries its own request's id and user, lines outside none`, async () => {
  const lines: Line[] = [];
  const logger = createLogger({ write: (line: string) => void lines.push(JSON.parse(line) as Line) });
  // Every request waits in the payments library until all of them are there.
  const allInTheLibrary = createBarrier(REQUESTS, { timeoutMs: 60_000 });
  let lastOrder: string | undefined;
  const globalSaw: boolean[] = [];
  const app = createApp(logger, async (order) => {
    lastOrder = order;
    await allInTheLibrary.arrive();
    globalSaw.push(lastOrder === order);
  });

  logger.info('starting');
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  const statuses = await Promise.all(
    Array.from({ length: REQUESTS }, async (_, index) => {
      const response = await fetch(`http://127.0.0.1:${port}/orders/order-${index}`, {
        method: 'POST',
        headers: { 'x-request-id': `request-${index}`, 'x-user': `user-${index}` },
      });
      await response.arrayBuffer();
      return response.status;
    }),
  );
  // pino-http writes its line when the response has finished, which the client may see first.
  await vi.waitFor(() => expect(lines.filter((line) => line.msg === 'request completed')).toHaveLength(REQUESTS));
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  logger.info('stopped');

  expect(statuses.filter((status) => status === 402)).toHaveLength(REQUESTS / 10);
  const outside = lines.filter((line) => requestOf(line) === undefined);
  expect(outside).toEqual([expect.objectContaining({ msg: 'starting' }), expect.objectContaining({ msg: 'stopped' })]);
  expect(outside.filter((line) => 'requestId' in line || 'userId' in line)).toEqual([]);

  const wrong = lines.filter((line) => {
    const index = requestOf(line);
    if (index === undefined) return false;
    const ids = [line.requestId, line.req?.id ?? `request-${index}`];
    return ids.some((id) => id !== `request-${index}`) || line.userId !== `user-${index}`;
  });
  expect(wrong).toEqual([]);
  const messages = (index: number) =>
    lines
      .filter((line) => requestOf(line) === String(index))
      .map((line) => line.msg)
      .sort();
  expect(messages(1)).toEqual(['card charged', 'charging card', 'placing order', 'request completed']);
  expect(messages(7)).toEqual(['charging card', 'order failed', 'placing order', 'request completed']);
  expect(lines.filter((line) => line.requestId !== undefined)).toHaveLength(REQUESTS * 4);
  expect(globalSaw.filter((same) => !same).length).toBeGreaterThan(REQUESTS / 2);
}, 60_000);
