import { parentPort, workerData } from 'node:worker_threads';
import { runWithContext } from 'current-attributes/transports';
import { Traveling } from '../../propagation/support.js';

const read = () => ({ ...Traveling.attributes, apiToken: Traveling.apiToken });

// The worker's start-up values come in workerData, each later task's in its message.
parentPort?.postMessage({ kind: 'started', seen: runWithContext(workerData, read) });
parentPort?.on('message', (message: { id: number }) => {
  runWithContext(message, async () => {
    await new Promise((resolve) => setImmediate(resolve));
    parentPort?.postMessage({ kind: 'task', id: message.id, seen: read() });
  });
});
