import { parentPort, workerData } from 'node:worker_threads';
import { Current } from './fixtures.js';

// A worker (or a job) gets nothing from the request's scope; it restores the
// attributes the request serialized and runs its work inside them.
Current.restore(workerData, () => {
  parentPort?.postMessage({
    greeting: Current.greet('Welcome back'),
    locale: Current.locale,
    account: Current.account,
  });
});
