export {
  CONTEXT_KEY,
  DEADLINE_KEY,
  inContextOf,
  type JobContext,
  type WithContextOptions,
  withContext,
} from '../../transports/context-carrier.js';
export { type JobWithData, processWithContext } from './process-with-context.js';
