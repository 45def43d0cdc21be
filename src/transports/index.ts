export { CONTEXT_ENV, envWithContext, runWithEnvContext } from './child-process.js';
export {
  CONTEXT_KEY,
  DEADLINE_KEY,
  inContextOf,
  type JobContext,
  runWithContext,
  type WithContextOptions,
  withContext,
} from './context-carrier.js';
