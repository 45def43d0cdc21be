// `npm run bench:soak`: many requests through `globalLock()` mounted as
// middleware, every tenth client hanging up mid-handler, and the handlers
// counting how often two of them ran at once. The lock's promise is that
// this stays 0 (see the README's lock section).
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { globalLock } from 'current-attributes/express';
import express from 'express';

const total = Number(process.argv[2] ?? 20_000);
const concurrency = Number(process.argv[3] ?? 50);

const lock = globalLock();
let inside = 0;
let overlaps = 0;
let handled = 0;
const app = express();
app.use(lock);
app.get('/:index', async (req, res) => {
  inside += 1;
  if (inside > 1) overlaps += 1;
  handled += 1;
  const index = Number(req.params.index);
  // A mix of handlers: some answer at once, some write a first chunk and
  // wait, some wait then answer; an aborted one goes on after its client left.
  if (index % 3 === 0 || index % 10 === 0) res.write('started ');
  await sleep(index % 4);
  if (index % 10 === 0) await sleep(2);
  inside -= 1;
  res.end(String(index));
});
const server = app.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const { port } = server.address() as AddressInfo;

/**
 * One request. Every tenth client hangs up: half of them as soon as the
 * handler has started (its first byte: mid-handler, holding the lock), half
 * after 1 to 3 ms (mostly while queued for the lock).
 */
function send(index: number): Promise<'answered' | 'hung up' | 'failed'> {
  return new Promise((resolve) => {
    const hangsUp = index % 10 === 0;
    const req = request({ host: '127.0.0.1', port, path: `/${index}`, agent: false }, (res) => {
      if (hangsUp) {
        req.destroy();
        resolve('hung up');
        return;
      }
      res.resume();
      res.on('end', () => resolve('answered'));
    });
    req.on('error', () => resolve(hangsUp ? 'hung up' : 'failed'));
    if (index % 20 === 10) setTimeout(() => req.destroy(), 1 + (index % 3));
    req.end();
  });
}

const outcomes = { answered: 0, 'hung up': 0, failed: 0 };
let next = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < total) {
      const outcome = await send(next++);
      outcomes[outcome] += 1;
      if ((outcomes.answered + outcomes['hung up']) % 5000 === 0) {
        console.log(`${outcomes.answered + outcomes['hung up']} of ${total} requests, ${overlaps} overlaps so far`);
      }
    }
  }),
);
// Let the handlers whose clients left finish, and the lock settle.
while (lock.stats.active > 0 || inside > 0) await sleep(10);
const seconds = (performance.now() - started) / 1000;
server.close();
const { releasedAfterDisconnect, releasedByBound, abandoned, acquired } = lock.stats;
console.log(
  JSON.stringify(
    {
      requests: total,
      concurrency,
      seconds: Math.round(seconds),
      ...outcomes,
      handlersRun: handled,
      overlaps,
      acquired,
      abandonedWhileQueued: abandoned,
      releasedAfterDisconnect,
      releasedByBound,
    },
    null,
    2,
  ),
);
process.exit(overlaps === 0 && releasedByBound === 0 ? 0 : 1);
