export { type CurrentMiddlewareOptions, currentMiddleware } from './current-middleware.js';
export { onResponseClosed } from './on-response-closed.js';
