import type { ServerResponse } from 'node:http';
import type { LockError } from '../lock/errors.js';

/** The default answer to a request that did not get its lock: `503 Service Unavailable` with `Retry-After`. */
export function answerUnavailable(retryAfterSeconds: number): (error: LockError, res: ServerResponse) => void {
  const retryAfter = String(retryAfterSeconds);
  return (error, res) => {
    res.statusCode = 503;
    res.setHeader('Retry-After', retryAfter);
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end(`${error.message}\n`);
  };
}
