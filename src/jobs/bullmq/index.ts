export { type JobWithData, processWithContext } from './process-with-context.js';
export { CONTEXT_KEY, type JobContext, type WithContextOptions, withContext } from './with-context.js';
