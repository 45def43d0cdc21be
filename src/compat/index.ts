export { type MessageScope, scopePerMessage } from './per-message.js';
export { perRequest } from './per-request.js';
