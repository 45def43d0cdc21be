export { bindCallbacks, type MethodName } from './bind-callbacks.js';
export { type MessageScope, scopePerMessage } from './per-message.js';
export { perRequest } from './per-request.js';
