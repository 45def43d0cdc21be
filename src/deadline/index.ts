export { ClientDisconnectedError, DeadlineExceededError } from './errors.js';
export { remainingMs, requestSignal } from './request-signal.js';
