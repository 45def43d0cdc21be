import { EventEmitter } from 'node:events';
import { bindEmitter } from 'current-attributes';
import { libraryRows } from '../harness/cell.js';
import type { Probe } from '../harness/reads.js';
import { nextTurn } from '../harness/turns.js';

/**
 * An emitter made at start-up and shared by every request (a price feed, a
 * cache's invalidations): each request waits for the next event, and the
 * first request to get there emits it for all of them.
 */
function emitterCell(make: () => EventEmitter) {
  return {
    start: make,
    stop: (emitter: EventEmitter) => void emitter.removeAllListeners(),
    async request(emitter: EventEmitter, probe: Probe) {
      let heard = false;
      const price = new Promise<void>((resolve) =>
        emitter.once('price', () => {
          heard = true;
          probe.read();
          resolve();
        }),
      );
      await nextTurn(); // every request released by the barrier is listening by now
      if (!heard) emitter.emit('price');
      await price;
    },
  };
}

export const rows = libraryRows('EventEmitter', undefined, [
  {
    key: 'shared',
    mode: 'one emitter made at start-up, a listener per request',
    asIs: emitterCell(() => new EventEmitter()),
    fixed: { fix: 'bindEmitter(new EventEmitter())', cell: emitterCell(() => bindEmitter(new EventEmitter())) },
  },
]);
