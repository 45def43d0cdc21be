import type { ServerResponse } from 'node:http';

/**
 * Calls `callback` once, when the response has closed: sent completely, or
 * its connection aborted. If it closed already (the client hung up earlier),
 * calls it on the next tick, so a late listener can never wait forever.
 *
 * Hand-written rather than `on-finished`: that package reports `'finish'`
 * (the last byte handed to the OS), which comes before `'close'`, and this
 * library ends scopes and releases locks on `'close'`, after every `'finish'`
 * listener (loggers, metrics) has run with the request's values.
 */
export function onResponseClosed(res: ServerResponse, callback: () => void): void {
  // `on`, not `once`: a response closes once, and `once` allocates a wrapper per call.
  if (res.closed) process.nextTick(callback);
  else res.on('close', callback);
}
