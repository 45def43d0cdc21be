import { EventEmitter } from 'node:events';
import { bindEmitter } from 'current-attributes';
import { Current } from './current.js';

/** One emitter for the whole process: its listeners run in the context of whoever emits. */
export const priceFeed = new EventEmitter();

/** The fix: made once, at start-up; every listener then runs in the scope it was added from. */
export const boundPriceFeed = bindEmitter(new EventEmitter());

/** Waits for the next price, and tells whom the listener saw as the user. */
export function nextPrice(feed: EventEmitter): Promise<{ price: number; seenBy: string | undefined }> {
  return new Promise((resolve) => feed.once('price', (price: number) => resolve({ price, seenBy: Current.user })));
}
